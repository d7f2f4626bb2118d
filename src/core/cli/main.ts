// The SDK's notice about future Node versions is for developers, not for this tool's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
import { findAwsLogsFolders } from '../awsLogsLayout';
import { escapeControl } from '../text/safeText';

const USAGE = `Usage: cloudtrail-lens <command> [options]

Commands:
  summarize <files or folders...> [--json] [--top N]
                    count events per caller, source IP, access key, event name and error code
  detect <files or folders...> [--json] [--rules DIR]... [--min-level L]
                    run Sigma detection rules on the events, one line per finding; "detect --help"
  ingest <files, folders or s3://bucket/prefix...> --db FILE [--start-time T] [--end-time T] [--region R]
                    read events into an investigation (an embedded DuckDB database); "ingest --help"
  query --db FILE "SQL" [--json | --csv]
                    run SQL (Athena's CloudTrail table and functions) on an investigation
  athena-ddl --bucket NAME --account ID --regions R,R --from yyyy/MM/dd [options]
                    print the Athena table for a trail's bucket (partition projection); "athena-ddl --help"
  layout <folder>   list the accounts and regions of local AWSLogs/ folders
  validate --trail-arn ARN --start-time TIME [options] | --local DIR --start-time TIME [options]
                    validate digest and log file integrity (stricter than aws cloudtrail
                    validate-logs); "validate --help" lists the options
  check-protection [--trail-arn ARN ...] [--region R ...] [--profile P] [--retention-days N] [--json]
                    check that each trail's logs can be trusted and kept (settings, bucket, IAM)
  help              show this help

Exit codes: 0 success, 1 findings (validation failed, a detection fired), 2 usage or input error.`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const io = { out: (t: string) => void process.stdout.write(t), err: (t: string) => void process.stderr.write(t) };
  switch (command) {
    // Each command loads its own modules when it runs, so `summarize` never loads the AWS SDK and
    // `validate` not the IAM clients: the bundle starts faster.
    case 'summarize':
      return (await import('./summarize')).summarize(rest, io);
    case 'check-protection':
      return (await import('./checkProtection')).checkProtectionCommand(rest, io);
    case 'validate':
      return (await import('./validate')).validateCommand(rest, io);
    case 'detect':
      return (await import('./detect')).detectCommand(rest, io);
    case 'ingest':
      return (await import('./investigate')).ingestCommand(rest, io);
    case 'query':
      return (await import('./investigate')).queryCommand(rest, io);
    case 'athena-ddl':
      return (await import('./athenaDdl')).athenaDdlCommand(rest, io);
    case 'layout': {
      if (rest.length !== 1) {
        process.stderr.write('cloudtrail-lens layout: give exactly one folder\n');
        return 2;
      }
      const found = await findAwsLogsFolders(rest[0]);
      if (found.length === 0) {
        process.stderr.write(`cloudtrail-lens layout: no AWSLogs/ folder at or below ${escapeControl(rest[0])}\n`);
        return 2;
      }
      // Folder names are input: escaped as printed (the tabs between columns are this tool's own).
      for (const layout of found) {
        process.stdout.write(`${escapeControl(layout.root)}\n`);
        for (const a of layout.accounts) {
          const account = escapeControl(`${a.organizationId ? a.organizationId + '/' : ''}${a.accountId}`);
          process.stdout.write(`  ${account}\tlogs: ${escapeControl(a.logRegions.join(',')) || '-'}\tdigests: ${escapeControl(a.digestRegions.join(',')) || '-'}\n`);
        }
      }
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE + '\n');
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`cloudtrail-lens: unknown command '${escapeControl(command)}'\n${USAGE}\n`);
      return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`cloudtrail-lens: ${escapeControl(error instanceof Error ? error.message : String(error))}\n`);
      process.exit(2);
    },
  );
}
