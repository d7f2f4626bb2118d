// `cloudtrail-lens ingest` and `cloudtrail-lens query`: the investigation store from a terminal, the
// same core the Investigation view uses.
import { mkdtemp, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { csvField } from '../events/exportEvents';
import { parseUserTime } from '../integrity/time';
import { escapeControl, safeJsonStringify } from '../text/safeText';
import type { RulesPayload } from '../detections/detectionRun';
import type { IngestInput, IngestReport } from '../store/investigationStore';

export const INGEST_USAGE = `Usage: cloudtrail-lens ingest <file, folder or s3://bucket/prefix>... --db FILE [options]

Reads CloudTrail events into an investigation (a DuckDB database, FILE, conventionally *.ctinv;
created when it does not exist, added to when it does). Local inputs take every shape
"summarize" reads; s3:// inputs are a trail's bucket and prefix (what comes before AWSLogs/), of
which the log files delivered in the time range are downloaded. Identical repeats of an eventID
are folded; copies that differ are all kept and flagged (duplicate_conflict). The shipped Sigma
detection rules run on every event as it is read (the same rules as "detect"): each event's
highest-level finding goes in its detection and detection_level columns, and every finding
(correlations too) in the table ctl_findings.

  --db FILE            the investigation (required)
  --start-time TIME    keep events from TIME (ISO 8601, UTC unless a zone is given)
  --end-time TIME      keep events before TIME
  --region R           keep these regions (repeat, or comma-separated)
  --account ID         s3:// inputs: read these accounts only (repeat, or comma-separated)
  --profile NAME       AWS profile for s3:// inputs (default: the SDK's credential chain)
  --endpoint-url URL   S3 endpoint (an emulator); AWS_ENDPOINT_URL_S3 also applies
  --memory-mb N        DuckDB's memory limit (default 512)
  --rules DIR          also run the Sigma rules in DIR (repeat for more folders)
  --no-detect          run no detection rules (detection stays NULL)
  --json               print the report as JSON

Exit codes: 0 every file read, 1 some files refused (listed with why), 2 usage error or nothing read.`;

export const QUERY_USAGE = `Usage: cloudtrail-lens query --db FILE "SQL" [--json | --csv] [--max-rows N]

Runs SQL on an investigation, opened read-only. The table cloudtrail_logs has the columns of AWS's
Athena table for CloudTrail, so a query written for Athena runs unchanged (json_extract_scalar,
from_iso8601_timestamp, date_format, regexp_like, approx_distinct… are provided), plus event_ts,
caller_key, caller_label, caller_type, source_class, access_key_kind, sensitive_action, tactic,
outcome, source_file, source_position, duplicate_conflict, detection and detection_level; the table
ctl_findings holds the findings of the rules run at ingest (rule_id, title, level, first_time,
event_ids, and the whole finding as JSON).

  --json         one JSON array of row objects
  --csv          CSV with a header row (cells a spreadsheet would run as formulas are quoted)
  --max-rows N   print at most N rows (default 10000)

Exit codes: 0 the query ran, 2 usage error or the query failed.`;

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

class UsageError extends Error {}

function list(values: string[]): string[] {
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

interface IngestArgs {
  inputs: string[];
  db?: string;
  start?: number;
  end?: number;
  regions: string[];
  accounts: string[];
  profile?: string;
  endpoint?: string;
  memoryMB?: number;
  json: boolean;
  detect: boolean;
  ruleFolders: string[];
}

function parseIngestArgs(args: string[]): IngestArgs {
  const a: IngestArgs = { inputs: [], regions: [], accounts: [], json: false, detect: true, ruleFolders: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = (): string => {
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    switch (arg) {
      case '--db':
        a.db = value();
        break;
      case '--start-time':
      case '--end-time': {
        const text = value();
        const t = parseUserTime(text);
        if (!t) throw new UsageError(`Unable to parse date value: ${text}`);
        if (arg === '--start-time') a.start = t.getTime();
        else a.end = t.getTime();
        break;
      }
      case '--region':
        a.regions.push(...list([value()]));
        break;
      case '--account':
        a.accounts.push(...list([value()]));
        break;
      case '--profile':
        a.profile = value();
        break;
      case '--endpoint-url':
        a.endpoint = value();
        break;
      case '--memory-mb': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 64) throw new UsageError('--memory-mb takes a whole number of megabytes (64 or more)');
        a.memoryMB = n;
        break;
      }
      case '--json':
        a.json = true;
        break;
      case '--rules':
        a.ruleFolders.push(value());
        break;
      case '--no-detect':
        a.detect = false;
        break;
      case '--help':
      case '-h':
        throw new UsageError('');
      default:
        if (arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`);
        a.inputs.push(arg);
    }
  }
  if (!a.db) throw new UsageError('--db FILE is required');
  if (a.inputs.length === 0) throw new UsageError('give at least one file, folder or s3://bucket/prefix');
  if (!a.detect && a.ruleFolders.length > 0) throw new UsageError('--rules and --no-detect cannot be used together');
  if (a.start !== undefined && a.end !== undefined && a.start > a.end) throw new UsageError('Invalid time range specified: start-time must occur before end-time');
  return a;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** The report as a person reads it; every name from input is escaped. */
export function formatIngestReport(db: string, r: IngestReport): string {
  const lines = [
    `${escapeControl(db)}: read ${plural(r.files, 'file')}, ${plural(r.read, 'event')}; stored ${plural(r.stored, 'event')} in ${(r.ms / 1000).toFixed(1)} s`,
  ];
  if (r.findings > 0) lines.push(`  ${plural(r.findings, 'detection finding')} (in ctl_findings; the events' detection column names them)`);
  if (r.folded > 0) lines.push(`  ${plural(r.folded, 'identical repeat')} of an eventID folded into one`);
  if (r.conflicts > 0) lines.push(`  ${plural(r.conflicts, 'eventID')} with copies that differ: every copy kept, flagged duplicate_conflict`);
  if (r.outsideFilter > 0) lines.push(`  ${plural(r.outsideFilter, 'event')} outside the time range or regions, not stored`);
  for (const w of r.warnings.slice(0, 20)) lines.push(`  warning: ${escapeControl(w.name)}: ${escapeControl(w.warning)}`);
  if (r.warnings.length > 20) lines.push(`  … and ${plural(r.warnings.length - 20, 'more warning')}`);
  if (r.refused.length > 0) {
    lines.push(`${plural(r.refused.length, 'file')} refused (recorded in the investigation):`);
    for (const x of r.refused.slice(0, 50)) lines.push(`  ${escapeControl(x.name)}: ${escapeControl(x.reason)}`);
    if (r.refused.length > 50) lines.push(`  … and ${plural(r.refused.length - 50, 'more')}`);
  }
  const skipped = r.skipped.filter((s) => !/digest file|validation metadata/.test(s.reason));
  if (skipped.length > 0) {
    lines.push(`${plural(skipped.length, 'path')} skipped:`);
    for (const x of skipped.slice(0, 20)) lines.push(`  ${escapeControl(x.name)}: ${escapeControl(x.reason)}`);
  }
  return lines.join('\n') + '\n';
}

export async function ingestCommand(args: string[], io: CliIo): Promise<number> {
  let a: IngestArgs;
  try {
    a = parseIngestArgs(args);
  } catch (error) {
    const message = (error as Error).message;
    if (message) io.err(`cloudtrail-lens ingest: ${escapeControl(message)}\n`);
    io.err(`${INGEST_USAGE}\n`);
    return message ? 2 : 0;
  }
  let rules: RulesPayload | undefined;
  if (a.detect) {
    const { loadRules } = await import('../detections/loadRules');
    const loaded = await loadRules({ folders: a.ruleFolders });
    for (const r of loaded.refused) io.err(`cloudtrail-lens ingest: rule refused: ${escapeControl(`${r.file}:${r.line}: ${r.title ? `${r.title}: ` : ''}${r.message}`)}\n`);
    rules = loaded.payload;
  }
  const { InvestigationStore } = await import('../store/investigationStore');
  const store = await InvestigationStore.open(a.db!, { memoryLimitMB: a.memoryMB });
  const temp: string[] = [];
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  const tty = process.stderr.isTTY === true;
  try {
    const inputs: IngestInput[] = [];
    const failed: { name: string; reason: string }[] = [];
    for (const input of a.inputs) {
      const s3 = /^s3:\/\/([^/]+)\/?(.*)$/.exec(input);
      if (!s3) {
        inputs.push({ path: input });
        continue;
      }
      const [, bucket, prefix] = s3;
      const { createS3Client } = await import('../aws/clients');
      const { S3ObjectStore, bucketRegion } = await import('../aws/s3ObjectStore');
      const { downloadTrailLogs } = await import('../store/s3Source');
      const context = { profile: a.profile, endpoints: a.endpoint ? { s3: a.endpoint } : undefined };
      let client = createS3Client(context, process.env.AWS_REGION ?? 'us-east-1');
      const region = await bucketRegion(client, bucket, controller.signal);
      client = createS3Client(context, region);
      const folder = await mkdtemp(path.join(path.dirname(path.resolve(a.db!)), `.${path.basename(a.db!)}-s3-`));
      temp.push(folder);
      const got = await downloadTrailLogs(new S3ObjectStore(client, bucket), folder, {
        prefix: prefix.replace(/AWSLogs\/?$/, ''),
        start: a.start,
        end: a.end,
        regions: a.regions,
        accounts: a.accounts,
        signal: controller.signal,
        onProgress: (done, total) => tty && io.err(`\rdownloading ${done}/${total} log files from s3://${escapeControl(bucket)}`),
      });
      if (tty) io.err('\n');
      if (got.listed === 0) io.err(`cloudtrail-lens ingest: no log files in ${escapeControl(input)} for that time range and those regions\n`);
      inputs.push(...got.files);
      failed.push(...got.failed);
    }
    const report = await store.ingest(inputs, {
      start: a.start,
      end: a.end,
      regions: a.regions,
      rules,
      signal: controller.signal,
      onProgress: (done, total) => tty && io.err(`\rreading ${done}/${total} files`),
    });
    if (tty) io.err('\n');
    report.refused.unshift(...failed);
    if (a.json) io.out(safeJsonStringify(report, 2) + '\n');
    else io.out(formatIngestReport(a.db!, report));
    if (report.files === 0 && failed.length === 0) {
      io.err('cloudtrail-lens ingest: no event files found in the inputs\n');
      return 2;
    }
    return report.refused.length > 0 ? 1 : 0;
  } finally {
    process.removeListener('SIGINT', onSigint);
    await store.close();
    for (const t of temp) await rm(t, { recursive: true, force: true });
  }
}

/** A cell for the terminal table: JSON for non-strings, controls escaped, kept to one line. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  return escapeControl(typeof value === 'string' ? value : JSON.stringify(value));
}

export function formatTable(columns: string[], rows: unknown[][], maxWidth = 60): string {
  const cells = rows.map((r) => r.map((v) => {
    const c = cell(v);
    return c.length > maxWidth ? `${c.slice(0, maxWidth - 1)}…` : c;
  }));
  const heads = columns.map((c) => escapeControl(c));
  const widths = heads.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i]?.length ?? 0)));
  const line = (values: string[]): string => values.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  return [line(heads), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n') + '\n';
}

export async function queryCommand(args: string[], io: CliIo): Promise<number> {
  let db: string | undefined;
  let sql: string | undefined;
  let format: 'table' | 'json' | 'csv' = 'table';
  let maxRows = 10_000;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--db') db = args[++i];
    else if (arg === '--json') format = 'json';
    else if (arg === '--csv') format = 'csv';
    else if (arg === '--max-rows') {
      maxRows = Number(args[++i]);
      if (!Number.isInteger(maxRows) || maxRows < 0) {
        io.err('cloudtrail-lens query: --max-rows takes a whole number\n');
        return 2;
      }
    } else if (arg === '--help' || arg === '-h') {
      io.out(`${QUERY_USAGE}\n`);
      return 0;
    } else if (arg.startsWith('--')) {
      io.err(`cloudtrail-lens query: unknown option ${escapeControl(arg)}\n${QUERY_USAGE}\n`);
      return 2;
    } else if (sql === undefined) sql = arg;
    else {
      io.err('cloudtrail-lens query: give the SQL as one argument (quote it)\n');
      return 2;
    }
  }
  if (!db || sql === undefined) {
    io.err(`cloudtrail-lens query: ${!db ? '--db FILE' : 'the SQL'} is required\n${QUERY_USAGE}\n`);
    return 2;
  }
  const { InvestigationStore } = await import('../store/investigationStore');
  const store = await InvestigationStore.open(db, { readOnly: true });
  try {
    let result;
    try {
      result = await store.query(sql, undefined, maxRows);
    } catch (error) {
      // DuckDB's messages span lines (the caret under the error): each line escaped, the breaks kept.
      io.err(`cloudtrail-lens query: ${(error as Error).message.split('\n').map(escapeControl).join('\n')}\n`);
      return 2;
    }
    if (format === 'json') {
      const objects = result.rows.map((r) => Object.fromEntries(result.columns.map((c, i) => [c, r[i]])));
      io.out(safeJsonStringify(objects, 2) + '\n');
    } else if (format === 'csv') {
      // Exact to a file or a pipe; to a terminal, controls are escaped like everything else printed.
      const field = process.stdout.isTTY ? (v: unknown) => escapeControl(csvField(v)) : csvField;
      io.out([result.columns.map(field).join(','), ...result.rows.map((r) => r.map(field).join(','))].join('\r\n') + '\r\n');
    } else {
      io.out(formatTable(result.columns, result.rows));
      io.out(`(${plural(result.rows.length, 'row')})\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}
