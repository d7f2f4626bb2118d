// `cloudtrail-lens athena-ddl`: prints the Athena table for a trail's bucket (AWS's CloudTrail
// table with partition projection). It never runs it: creating a table writes to the Glue catalog.
import { athenaTableDdl, athenaTableProblem, type AthenaTableInput } from '../remote/athenaDdl';
import { escapeControl } from '../text/safeText';

interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const USAGE = `Usage: cloudtrail-lens athena-ddl --bucket NAME [--prefix P] (--account ID | --organization o-ID --accounts ID,ID...)
                    --regions R,R... --from yyyy/MM/dd [--table NAME] [--database NAME]

Prints CREATE EXTERNAL TABLE for the trail's logs in s3://NAME/P/AWSLogs/..., with partition
projection over account (organization trails), region and day. Its partition columns (account,
region, "timestamp") are also columns of a local investigation, so a query filtered on them runs
unchanged on both. Run the statement in Athena yourself: this command writes nothing to AWS.`;

export function athenaDdlCommand(args: string[], io: CliIo): number {
  const input: AthenaTableInput = { table: 'cloudtrail_logs', bucket: '', regions: [], startDay: '' };
  const list = (v: string | undefined): string[] => (v ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = (): string | undefined => args[++i];
    if (arg === '--bucket') input.bucket = value() ?? '';
    else if (arg === '--prefix') input.prefix = value();
    else if (arg === '--account') input.accountId = value();
    else if (arg === '--organization') input.organizationId = value();
    else if (arg === '--accounts') input.accountIds = list(value());
    else if (arg === '--regions') input.regions = list(value());
    else if (arg === '--from') input.startDay = value() ?? '';
    else if (arg === '--table') input.table = value() ?? '';
    else if (arg === '--database') input.database = value();
    else if (arg === '--help' || arg === '-h') {
      io.out(`${USAGE}\n`);
      return 0;
    } else {
      io.err(`cloudtrail-lens athena-ddl: unknown argument ${escapeControl(arg)}\n${USAGE}\n`);
      return 2;
    }
  }
  const problem = athenaTableProblem(input);
  if (problem) {
    io.err(`cloudtrail-lens athena-ddl: ${escapeControl(problem)}\n`);
    return 2;
  }
  io.out(`${athenaTableDdl(input)};\n`);
  return 0;
}
