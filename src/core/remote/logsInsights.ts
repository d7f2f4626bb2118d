// CloudWatch Logs Insights queries over a trail's log group: StartQuery, then GetQueryResults polled
// with backoff until the query ends, the rows as a TabularResult a notebook cell shows, and the
// rows' @message back as CloudTrail events. Logs Insights returns at most 10,000 rows a query and
// has no NextToken, so a result that reaches the limit is only marked truncated; the paged run
// halves the time range of a truncated query and queries the halves, for users who need more.
import { CloudWatchLogsClient, DescribeLogGroupsCommand, GetQueryResultsCommand, StartQueryCommand, StopQueryCommand, type ResultField } from '@aws-sdk/client-cloudwatch-logs';
import { credentialsFor, type AwsContext } from '../aws/clients';
import { sleep } from '../aws/rateLimiter';
import { RemoteQueryError, type QueryStats, type TabularResult } from './queryResult';

/** Logs Insights' own limit of rows per query (StartQuery's `limit` accepts 1 to 10,000). */
export const LOGS_INSIGHTS_MAX_ROWS = 10_000;
/** Log groups one query may name. */
export const LOGS_INSIGHTS_MAX_LOG_GROUPS = 50;
/** Most rows a paged run collects unless told otherwise. */
export const LOGS_PAGED_MAX_ROWS = 100_000;
/** How often a paged run halves a time range at most unless told (2^8 = 256 ranges). */
export const LOGS_PAGED_MAX_DEPTH = 8;
/** Waits between GetQueryResults polls, in ms; the last repeats. GetQueryResults allows 5 calls a second. */
export const DEFAULT_POLL_DELAYS = [200, 400, 800, 1000, 1500, 2000, 3000, 5000];
/** A @message longer than this is refused rather than parsed (a log event holds at most 1 MB). */
const MAX_MESSAGE_CHARS = 2 * 1024 * 1024;

/** The call names describeAwsError knows (GetQueryResults is Athena's too, hence the prefix). */
export type LogsInsightsCall = 'StartQuery' | 'Logs GetQueryResults' | 'StopQuery';

export interface LogsInsightsTarget {
  logGroupNames: string[];
  startTime: Date;
  endTime: Date;
}

export interface LogsInsightsOptions {
  signal?: AbortSignal;
  /** Rows to keep; default and most 10,000 (Logs Insights' own limit per query). */
  maxRows?: number;
  /** Waits between polls in ms, the last repeating; default DEFAULT_POLL_DELAYS. */
  pollDelays?: number[];
  /** Each poll's status (Scheduled, Running, Complete…) and the time since StartQuery. */
  onState?(status: string, elapsedMs: number): void;
  /**
   * Turns a failed SDK call into the user's sentence (describeAwsError with the call name); the
   * error is then rethrown as an Error with that message and the SDK error as its cause. Without
   * it the SDK error is thrown as it is.
   */
  describeError?(error: unknown, call: LogsInsightsCall): string;
}

export interface LogsPagedOptions extends Omit<LogsInsightsOptions, 'maxRows'> {
  /** Most rows over all the queries; default LOGS_PAGED_MAX_ROWS. */
  maxRows?: number;
  /** Rows a single query returns before it counts as truncated; default and most 10,000. */
  queryLimit?: number;
  /** How often a range is halved at most; default LOGS_PAGED_MAX_DEPTH. */
  maxDepth?: number;
  /** Called before each query of the run with its time range and how deep it was halved. */
  onRange?(range: TimeRange, depth: number): void;
}

export interface TimeRange {
  startTime: Date;
  endTime: Date;
}

export interface LogsPagedResult extends TabularResult {
  /** Every query that ran, in order (stats.queryId is the first). */
  queryIds: string[];
}

/** The CloudWatch Logs client of one region; AWS_ENDPOINT_URL_CLOUDWATCH_LOGS for emulators, else the S3 emulator's endpoint. */
export function createLogsClient(context: AwsContext, region: string): CloudWatchLogsClient {
  // As src/core/protection/clients.ts: with S3 pointed at an emulator, never send its credentials to AWS.
  const endpoint = process.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS || context.endpoints?.s3 || process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL || undefined;
  return new CloudWatchLogsClient({ region, endpoint, credentials: credentialsFor(context), maxAttempts: context.maxAttempts ?? 5 });
}

/** The names of the region's log groups, at most `max` of them (DescribeLogGroups, paged). */
export async function listLogGroupNames(client: CloudWatchLogsClient, max = 1000, signal?: AbortSignal): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new DescribeLogGroupsCommand({ nextToken, limit: 50 }), { abortSignal: signal });
    names.push(...(page.logGroups ?? []).map((g) => g.logGroupName ?? '').filter((n) => n.length > 0));
    nextToken = page.nextToken;
  } while (nextToken && names.length < max);
  return names.slice(0, max);
}

/** A starter query: the columns an investigator reads first and the event itself, newest first. */
export function defaultLogsQuery(): string {
  return 'fields @timestamp, eventName, eventSource, userIdentity.arn, sourceIPAddress, errorCode, @message\n| sort @timestamp desc\n| limit 1000';
}

/** The log group name of a trail's CloudWatchLogsLogGroupArn (`arn:aws:logs:region:account:log-group:NAME:*`). */
export function trailLogGroupName(cloudWatchLogsLogGroupArn: string): string | undefined {
  const m = /^arn:aws[a-z-]*:logs:[a-z0-9-]*:\d{12}:log-group:([\w.\-/#]{1,512})(?::\*)?$/.exec(cloudWatchLogsLogGroupArn.trim());
  return m?.[1];
}

function abortError(): DOMException {
  return new DOMException('The Logs Insights query was cancelled.', 'AbortError');
}

async function call<T>(what: LogsInsightsCall, run: () => Promise<T>, options: LogsInsightsOptions): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (options.signal?.aborted) throw abortError();
    if (options.describeError) throw new Error(options.describeError(error, what), { cause: error });
    throw error;
  }
}

/** Epoch seconds covering the range: the start rounded down, the end rounded up. */
function epochSeconds(range: TimeRange): { startTime: number; endTime: number } {
  return { startTime: Math.floor(range.startTime.getTime() / 1000), endTime: Math.ceil(range.endTime.getTime() / 1000) };
}

function checkTarget(queryString: string, target: LogsInsightsTarget): void {
  if (target.logGroupNames.length === 0) throw new RangeError('A Logs Insights query needs at least one log group.');
  if (target.logGroupNames.length > LOGS_INSIGHTS_MAX_LOG_GROUPS) throw new RangeError(`A Logs Insights query can name at most ${LOGS_INSIGHTS_MAX_LOG_GROUPS} log groups (${target.logGroupNames.length} given).`);
  if (!(target.startTime.getTime() <= target.endTime.getTime())) throw new RangeError('The time range of a Logs Insights query must start before it ends.');
  if (queryString.trim() === '') throw new RangeError('The Logs Insights query is empty.');
}

const FAILURES: Record<string, string> = {
  Failed: 'check the query syntax and the log group names, then run it again',
  Timeout: 'Logs Insights stops a query after 60 minutes; narrow the time range or add a filter, then run it again',
  Cancelled: 'someone stopped it (StopQuery or the console); run it again',
  Unknown: 'Logs Insights lost track of it; run it again',
};

/** One query's rows as Logs Insights gave them ({field, value} lists), with its id and statistics. */
interface RawResult {
  queryId: string;
  rows: ResultField[][];
  truncated: boolean;
  stats: QueryStats;
}

async function runRaw(client: CloudWatchLogsClient, queryString: string, target: LogsInsightsTarget, limit: number, options: LogsInsightsOptions): Promise<RawResult> {
  const { signal } = options;
  if (signal?.aborted) throw abortError();
  checkTarget(queryString, target);
  const started = Date.now();
  const { startTime, endTime } = epochSeconds(target);
  const { queryId } = await call('StartQuery', () => client.send(new StartQueryCommand({ logGroupNames: target.logGroupNames, startTime, endTime, queryString, limit }), { abortSignal: signal }), options);
  if (!queryId) throw new RemoteQueryError('Logs Insights did not return a query id for StartQuery.', 'logs');
  const stop = async (): Promise<void> => {
    // Best effort and bounded: the user has already moved on.
    let timer: NodeJS.Timeout | undefined;
    const stopped = client.send(new StopQueryCommand({ queryId })).then(
      () => undefined,
      () => undefined,
    );
    await Promise.race([stopped, new Promise((r) => (timer = setTimeout(r, 2000)))]);
    clearTimeout(timer);
  };
  const delays = options.pollDelays?.length ? options.pollDelays : DEFAULT_POLL_DELAYS;
  for (let poll = 0; ; poll++) {
    try {
      await sleep(delays[Math.min(poll, delays.length - 1)], signal);
    } catch {
      await stop();
      throw abortError();
    }
    let answer;
    try {
      answer = await call('Logs GetQueryResults', () => client.send(new GetQueryResultsCommand({ queryId }), { abortSignal: signal }), options);
    } catch (error) {
      if (signal?.aborted) await stop();
      throw error;
    }
    const status = answer.status ?? 'Unknown';
    const elapsedMs = Date.now() - started;
    options.onState?.(status, elapsedMs);
    if (status === 'Scheduled' || status === 'Running') continue;
    if (status !== 'Complete') {
      const what = FAILURES[status] ?? FAILURES.Unknown;
      throw new RemoteQueryError(`The Logs Insights query ${queryId} ended with status ${status}: ${what}.`, 'logs', queryId);
    }
    const rows = answer.results ?? [];
    const s = answer.statistics;
    return {
      queryId,
      rows,
      truncated: rows.length >= limit,
      stats: { engine: 'logs', queryId, recordsMatched: s?.recordsMatched, recordsScanned: s?.recordsScanned, bytesScanned: s?.bytesScanned, elapsedMs },
    };
  }
}

/**
 * Rows of {field, value} as a table: the union of the fields in first-seen order, @ptr left out,
 * null where a row lacks a field. Logs Insights leaves a field out of a row that lacks it and keeps
 * the others in the query's order, so a field first seen in a later row goes in after the field
 * before it in that row: `fields a, b, c` stays a, b, c even when the first row has no b.
 */
function tabulate(rows: ResultField[][]): Pick<TabularResult, 'columns' | 'rows'> {
  const names: string[] = [];
  const known = new Set<string>();
  for (const row of rows) {
    const fields = row.map((f) => f.field).filter((f): f is string => f !== undefined && f !== '@ptr');
    fields.forEach((field, i) => {
      if (known.has(field)) return;
      known.add(field);
      // After the row's field before it; else before the row's next field the table has; else last.
      const next = i === 0 ? fields.find((f) => f !== field && known.has(f)) : undefined;
      const at = i > 0 ? names.indexOf(fields[i - 1]) + 1 : next !== undefined ? names.indexOf(next) : names.length;
      names.splice(at, 0, field);
    });
  }
  const index = new Map(names.map((name, i) => [name, i]));
  return {
    columns: names.map((name) => ({ name })),
    rows: rows.map((row) => {
      const out: (string | null)[] = new Array<string | null>(index.size).fill(null);
      for (const { field, value } of row) {
        const at = field === undefined ? undefined : index.get(field);
        if (at !== undefined) out[at] = value ?? null;
      }
      return out;
    }),
  };
}

function limitOf(maxRows: number | undefined): number {
  const n = Math.floor(maxRows ?? LOGS_INSIGHTS_MAX_ROWS);
  return Math.max(1, Math.min(LOGS_INSIGHTS_MAX_ROWS, Number.isFinite(n) ? n : LOGS_INSIGHTS_MAX_ROWS));
}

/**
 * Runs one Logs Insights query and waits for its rows. A result with as many rows as the limit is
 * marked truncated (Logs Insights says no more than that). Aborting stops the query on AWS (best
 * effort) and rejects with an AbortError; Failed, Timeout, Cancelled and Unknown reject with a
 * RemoteQueryError naming the status and the query id.
 */
export async function runLogsInsightsQuery(client: CloudWatchLogsClient, queryString: string, target: LogsInsightsTarget, options: LogsInsightsOptions = {}): Promise<TabularResult> {
  const raw = await runRaw(client, queryString, target, limitOf(options.maxRows), options);
  return { ...tabulate(raw.rows), truncated: raw.truncated, stats: raw.stats };
}

/**
 * `parts` consecutive ranges covering start to end, their bounds on whole seconds (what StartQuery
 * takes); each range starts at the second the one before ends, so no event falls between them.
 * Fewer ranges when the span has fewer seconds than `parts`.
 */
export function splitTimeRange(start: Date, end: Date, parts: number): TimeRange[] {
  const { startTime: s, endTime: e } = epochSeconds({ startTime: start, endTime: end });
  const n = Math.max(1, Math.min(Math.floor(parts), e - s));
  if (!(n > 1)) return [{ startTime: new Date(s * 1000), endTime: new Date(e * 1000) }];
  const bounds: number[] = [];
  for (let i = 0; i <= n; i++) bounds.push(s + Math.round(((e - s) * i) / n));
  const ranges: TimeRange[] = [];
  for (let i = 0; i < n; i++) ranges.push({ startTime: new Date(bounds[i] * 1000), endTime: new Date(bounds[i + 1] * 1000) });
  return ranges;
}

/** Aggregates and dedup give one answer per range, which halves cannot be joined into. */
function splittable(queryString: string): boolean {
  return !/(^|\|)\s*(stats|dedup)\b/i.test(queryString);
}

/** True when the query's last sort is ascending; Logs Insights' default and the usual `sort @timestamp desc` are newest first. */
function ascending(queryString: string): boolean {
  const sorts = [...queryString.matchAll(/(?:^|\|)\s*sort\s+([^|]*)/gi)];
  return sorts.length > 0 && /\basc\s*$/i.test(sorts[sorts.length - 1][1].trim());
}

/**
 * Logs Insights' "manual paging": runs the query, and when a result reaches the per-query limit
 * halves the time range and queries each half, recursively, until no half is truncated, the depth
 * limit is reached or `maxRows` rows are in. Halves are taken in the query's sort order (newest
 * first unless it sorts ascending) and share their boundary second; rows seen twice there are kept
 * once (by @ptr). Queries with stats or dedup are not split. `truncated` says rows are missing:
 * the cap was reached, or a range could not be split further. Every query scans its range again,
 * and stats add up what all of them scanned.
 */
export async function runLogsInsightsPaged(client: CloudWatchLogsClient, queryString: string, target: LogsInsightsTarget, options: LogsPagedOptions = {}): Promise<LogsPagedResult> {
  checkTarget(queryString, target);
  const maxRows = Math.max(1, Math.floor(options.maxRows ?? LOGS_PAGED_MAX_ROWS));
  const limit = limitOf(Math.min(options.queryLimit ?? LOGS_INSIGHTS_MAX_ROWS, maxRows));
  const maxDepth = Math.max(0, Math.floor(options.maxDepth ?? LOGS_PAGED_MAX_DEPTH));
  const canSplit = splittable(queryString);
  const oldestFirst = ascending(queryString);
  const started = Date.now();
  const rows: ResultField[][] = [];
  const seen = new Set<string>();
  const queryIds: string[] = [];
  const totals = { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 };
  let truncated = false;

  const take = (row: ResultField[]): void => {
    const ptr = row.find((f) => f.field === '@ptr')?.value;
    if (ptr !== undefined) {
      if (seen.has(ptr)) return;
      seen.add(ptr);
    }
    if (rows.length >= maxRows) {
      truncated = true;
      return;
    }
    rows.push(row);
  };

  const collect = async (range: TimeRange, depth: number): Promise<void> => {
    if (rows.length >= maxRows) {
      truncated = true;
      return;
    }
    options.onRange?.(range, depth);
    const raw = await runRaw(client, queryString, { logGroupNames: target.logGroupNames, ...range }, limit, options);
    queryIds.push(raw.queryId);
    totals.recordsMatched += raw.stats.recordsMatched ?? 0;
    totals.recordsScanned += raw.stats.recordsScanned ?? 0;
    totals.bytesScanned += raw.stats.bytesScanned ?? 0;
    // Halving helps only when more rows than one query's are still wanted.
    const worth = raw.truncated && canSplit && depth < maxDepth && maxRows - rows.length > limit;
    const halves = worth ? splitTimeRange(range.startTime, range.endTime, 2) : [];
    if (halves.length === 2) {
      if (!oldestFirst) halves.reverse();
      for (const half of halves) await collect(half, depth + 1);
      return;
    }
    if (raw.truncated) truncated = true;
    for (const row of raw.rows) take(row);
  };

  await collect({ startTime: target.startTime, endTime: target.endTime }, 0);
  return {
    ...tabulate(rows),
    truncated,
    queryIds,
    stats: { engine: 'logs', queryId: queryIds[0], ...totals, elapsedMs: Date.now() - started },
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The CloudTrail events of a result, for "open the rows as events": each row's @message parsed as
 * JSON. A row without @message, or whose @message is not a JSON object with an eventTime and an
 * eventName, is counted as refused.
 */
export function eventsFromLogsResult(result: TabularResult): { records: unknown[]; refused: number } {
  const at = result.columns.findIndex((c) => c.name === '@message');
  const records: unknown[] = [];
  let refused = 0;
  for (const row of result.rows) {
    const message = at >= 0 && Array.isArray(row) ? row[at] : undefined;
    let value: unknown;
    if (typeof message === 'string' && message.length <= MAX_MESSAGE_CHARS) {
      try {
        value = JSON.parse(message);
      } catch {
        value = undefined;
      }
    }
    if (isObject(value) && typeof value.eventTime === 'string' && typeof value.eventName === 'string') {
      records.push(value);
    } else {
      refused++;
    }
  }
  return { records, refused };
}
