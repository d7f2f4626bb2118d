// Athena queries for notebook cells: StartQueryExecution, GetQueryExecution polled with backoff until
// the query ends, then GetQueryResults paged 1,000 rows at a time into a TabularResult whose values
// are typed by Athena's column types (Athena sends every value as a string, and the first row of a
// SELECT repeats the column names). A result larger than the row cap can instead be read from the
// CSV file Athena wrote (one GetObject, see athenaCsv.ts) by a function the caller supplies.
// Cancelling stops the query on AWS too, so an abandoned scan is not billed to the end.
import { randomUUID } from 'node:crypto';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetTableMetadataCommand,
  GetWorkGroupCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type ColumnInfo,
  type QueryExecution,
  type Row,
} from '@aws-sdk/client-athena';
import { credentialsFor, type AwsContext } from '../aws/clients';
import { describeAwsError } from '../aws/awsErrors';
import { sleep } from '../aws/rateLimiter';
import { scanCost } from './athenaDdl';
import { RemoteQueryError, type ResultColumn, type TabularResult } from './queryResult';

/** Rows kept unless told otherwise. */
export const ATHENA_DEFAULT_MAX_ROWS = 10_000;
/** GetQueryResults' own limit of rows a page (the header row of a SELECT counts). */
const PAGE_SIZE = 1000;
/** Waits between GetQueryExecution polls, in ms; the last repeats. */
export const ATHENA_POLL_DELAYS = [100, 200, 400, 800, 1600, 2000];
/** How long a best-effort StopQueryExecution may hold up a cancel. */
const STOP_TIMEOUT_MS = 2000;

/** The Athena calls describeAwsError knows (see PERMISSIONS in awsErrors.ts). */
export type AthenaCall = 'StartQueryExecution' | 'GetQueryExecution' | 'GetQueryResults' | 'StopQueryExecution';

/** Where a query runs. */
export interface AthenaTarget {
  workgroup: string;
  database: string;
  /** Data catalog; default AwsDataCatalog. */
  catalog?: string;
  /** s3://… for the result file; undefined uses the workgroup's. */
  outputLocation?: string;
}

export interface AthenaRunOptions {
  signal?: AbortSignal;
  /** Rows to keep; default 10,000. */
  maxRows?: number;
  /** Waits between polls in ms, the last repeating; default ATHENA_POLL_DELAYS. */
  pollDelays?: number[];
  /** Each poll's state (QUEUED, RUNNING, SUCCEEDED…) and the time since StartQueryExecution. */
  onState?(state: string, elapsedMs: number): void;
  /**
   * Reads the result file Athena wrote (a SELECT's CSV at `s3Uri`), used instead of paging when the
   * result has more than one page (1,000 rows): one GetObject instead of a call per page; the caller
   * returns what to show, at most maxRows. `columns` are the result's names and Athena types (the CSV has only names), for typing
   * the values with athenaValue. The runner adds the column types it knows and the query's stats.
   */
  readResultFile?: (s3Uri: string, columns: ResultColumn[], signal: AbortSignal | undefined, queryId: string) => Promise<TabularResult>;
  /**
   * Turns a failed SDK call into the user's sentence; default describeAwsError on the workgroup
   * (without a profile name). The error is rethrown as an Error with that message and the SDK
   * error as its cause.
   */
  describeError?(error: unknown, call: AthenaCall): string;
}

/** The Athena client of one region; AWS_ENDPOINT_URL_ATHENA for emulators, else the S3 emulator's endpoint. */
export function createAthenaClient(context: AwsContext, region: string): AthenaClient {
  // As src/core/protection/clients.ts: with S3 pointed at an emulator, never send its credentials to AWS.
  const endpoint = process.env.AWS_ENDPOINT_URL_ATHENA || context.endpoints?.s3 || process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL || undefined;
  return new AthenaClient({ region, endpoint, credentials: credentialsFor(context), maxAttempts: context.maxAttempts ?? 5 });
}

function abortError(): DOMException {
  return new DOMException('The Athena query was cancelled.', 'AbortError');
}

/** Settles with `promise`, or rejects with an AbortError as soon as `signal` fires. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortError());
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Stops a query, best effort and bounded: the user has already moved on. */
async function stopQuery(client: AthenaClient, queryExecutionId: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const stopped = client.send(new StopQueryExecutionCommand({ QueryExecutionId: queryExecutionId })).then(
    () => undefined,
    () => undefined,
  );
  await Promise.race([stopped, new Promise((r) => (timer = setTimeout(r, STOP_TIMEOUT_MS)))]);
  clearTimeout(timer);
}

function bareType(type: string | undefined): string {
  return (type ?? '').toLowerCase().replace(/\(.*$/, '').trim();
}

/**
 * One of Athena's string values as the JSON value a cell shows, by the column's type: integers and
 * floating point as numbers (a bigint beyond 2^53 and a non-finite double stay text), booleans as
 * booleans, decimals as text (exact), everything else (varchar, timestamp, date, json, array, map,
 * row…) as the text Athena printed. Undefined or null is SQL NULL.
 */
export function athenaValue(value: string | null | undefined, type: string | undefined): unknown {
  if (value === undefined || value === null) return null;
  switch (bareType(type)) {
    case 'tinyint':
    case 'smallint':
    case 'integer':
    case 'int':
    case 'bigint': {
      const n = Number(value);
      return /^-?\d+$/.test(value.trim()) && Number.isSafeInteger(n) ? n : value;
    }
    case 'double':
    case 'float':
    case 'real': {
      const n = Number(value);
      return value.trim() !== '' && Number.isFinite(n) ? n : value;
    }
    case 'boolean':
      return value === 'true' ? true : value === 'false' ? false : value;
    default:
      return value;
  }
}

function columnsOf(info: ColumnInfo[]): ResultColumn[] {
  return info.map((c, i) => ({ name: c.Name ?? c.Label ?? `_col${i}`, type: c.Type }));
}

function rowValues(row: Row): (string | undefined)[] {
  return (row.Data ?? []).map((d) => d.VarCharValue);
}

/** The first row of a SELECT's first page repeats the column names; a DDL or SHOW row never does. */
function isHeaderRow(row: Row, columns: ColumnInfo[], statementType: string | undefined): boolean {
  if (statementType !== 'DML') return false;
  const values = rowValues(row);
  return values.length === columns.length && columns.every((c, i) => values[i] === c.Name || values[i] === c.Label);
}

/** The start of the workgroup name in the user's messages. */
function where(target: AthenaTarget): string {
  return `Athena workgroup ${target.workgroup}`;
}

function failureText(execution: QueryExecution | undefined): string {
  const reason = execution?.Status?.StateChangeReason?.trim();
  const message = execution?.Status?.AthenaError?.ErrorMessage?.trim();
  if (reason && message && !reason.includes(message) && !message.includes(reason)) return `${reason} (${message})`;
  return reason || message || 'Athena gave no reason';
}

/**
 * Runs one query on Athena and returns its rows, at most maxRows of them (then `truncated`), typed
 * by column type (see athenaValue). FAILED rejects with a RemoteQueryError carrying Athena's reason
 * and the query id; CANCELLED by someone else with a RemoteQueryError saying so. Aborting the
 * signal stops the query on Athena (best effort) and rejects with an AbortError. A failed call
 * (denied, throttled after the SDK's retries, unreachable) rejects with an Error whose message is
 * the user's sentence (see `describeError`) and whose cause is the SDK error.
 */
export async function runAthenaQuery(client: AthenaClient, sql: string, target: AthenaTarget, options: AthenaRunOptions = {}): Promise<TabularResult> {
  const { signal } = options;
  if (signal?.aborted) throw abortError();
  if (sql.trim() === '') throw new RangeError('The Athena query is empty.');
  if (target.workgroup.trim() === '') throw new RangeError('An Athena query needs a workgroup.');
  const maxRows = Math.max(1, Math.floor(options.maxRows ?? ATHENA_DEFAULT_MAX_ROWS));
  const delays = options.pollDelays?.length ? options.pollDelays : ATHENA_POLL_DELAYS;
  const describe = options.describeError ?? ((error: unknown, call: AthenaCall) => describeAwsError(error, call, where(target)).message);
  const call = async <T>(what: AthenaCall, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (signal?.aborted) throw abortError();
      throw new Error(describe(error, what), { cause: error });
    }
  };

  const started = Date.now();
  // The token makes a start the SDK retries (a lost answer) one query, not two.
  const start = client.send(
    new StartQueryExecutionCommand({
      QueryString: sql,
      WorkGroup: target.workgroup,
      QueryExecutionContext: { Database: target.database, Catalog: target.catalog ?? 'AwsDataCatalog' },
      ...(target.outputLocation ? { ResultConfiguration: { OutputLocation: target.outputLocation } } : {}),
      ClientRequestToken: randomUUID(),
    }),
  );
  let queryId: string | undefined;
  try {
    queryId = (await untilAborted(start, signal)).QueryExecutionId;
  } catch (error) {
    if (signal?.aborted) {
      // The start may still succeed after the user cancelled: stop what it started.
      void start.then(
        (out) => (out.QueryExecutionId ? stopQuery(client, out.QueryExecutionId) : undefined),
        () => undefined,
      );
      throw abortError();
    }
    throw new Error(describe(error, 'StartQueryExecution'), { cause: error });
  }
  if (!queryId) throw new RemoteQueryError('Athena did not return a query id for StartQueryExecution.', 'athena');
  const id = queryId;

  try {
    // Poll until the query ends.
    let execution: QueryExecution | undefined;
    for (let poll = 0; ; poll++) {
      await sleep(delays[Math.min(poll, delays.length - 1)], signal).catch(() => {
        throw abortError();
      });
      const out = await call('GetQueryExecution', () => client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }), { abortSignal: signal }));
      execution = out.QueryExecution;
      const state = execution?.Status?.State ?? 'UNKNOWN';
      options.onState?.(state, Date.now() - started);
      if (state === 'QUEUED' || state === 'RUNNING') continue;
      if (state === 'SUCCEEDED') break;
      if (state === 'FAILED') throw new RemoteQueryError(`Athena query ${id} failed: ${failureText(execution)}`, 'athena', id);
      if (state === 'CANCELLED') throw new RemoteQueryError(`Athena query ${id} was cancelled outside CloudTrail Lens (StopQueryExecution or the console); run it again.`, 'athena', id);
      throw new RemoteQueryError(`Athena query ${id} ended in state ${state}, which CloudTrail Lens does not know; look it up in the Athena console.`, 'athena', id);
    }

    const statementType = execution?.StatementType;
    const bytes = execution?.Statistics?.DataScannedInBytes;
    const stats = {
      engine: 'athena' as const,
      queryId: id,
      bytesScanned: bytes,
      // Athena charges for the data a SELECT scans; DDL and SHOW are free.
      cost: bytes !== undefined && statementType === 'DML' ? scanCost(bytes) : undefined,
      elapsedMs: execution?.Statistics?.TotalExecutionTimeInMillis ?? execution?.Statistics?.EngineExecutionTimeInMillis ?? Date.now() - started,
    };

    // Page the rows until one more than the cap is had (then the result is truncated) or none remain;
    // a SELECT of more than one page is read from its result file instead, when the caller can.
    const outputLocation = execution?.ResultConfiguration?.OutputLocation;
    let info: ColumnInfo[] = [];
    const rows: unknown[][] = [];
    let token: string | undefined;
    let first = true;
    do {
      const page = await call('GetQueryResults', () => client.send(new GetQueryResultsCommand({ QueryExecutionId: id, MaxResults: PAGE_SIZE, NextToken: token }), { abortSignal: signal }));
      if (first) info = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
      const pageRows = page.ResultSet?.Rows ?? [];
      for (const [i, row] of pageRows.entries()) {
        if (first && i === 0 && isHeaderRow(row, info, statementType)) continue;
        if (rows.length > maxRows) break;
        rows.push(rowValues(row).map((v, c) => athenaValue(v, info[c]?.Type)));
      }
      token = page.NextToken || undefined;
      if (first && token && options.readResultFile && outputLocation && statementType === 'DML') {
        const fromFile = await options.readResultFile(outputLocation, columnsOf(info), signal, id);
        const types = new Map(columnsOf(info).map((c) => [c.name, c.type]));
        return { ...fromFile, columns: fromFile.columns.map((c) => ({ ...c, type: c.type ?? types.get(c.name) })), stats: { ...fromFile.stats, ...stats, fromResultFile: true } };
      }
      first = false;
    } while (token && rows.length <= maxRows);

    const truncated = rows.length > maxRows;
    return { columns: columnsOf(info), rows: rows.slice(0, maxRows), truncated, stats };
  } catch (error) {
    if (signal?.aborted) {
      await stopQuery(client, id);
      throw abortError();
    }
    throw error;
  }
}

/** Where the workgroup writes results (its ResultConfiguration), to tell the user before the first query. */
export async function workgroupOutputLocation(client: AthenaClient, workgroup: string, signal?: AbortSignal): Promise<string | undefined> {
  const out = await client.send(new GetWorkGroupCommand({ WorkGroup: workgroup }), { abortSignal: signal });
  return out.WorkGroup?.Configuration?.ResultConfiguration?.OutputLocation || undefined;
}

/** Whether the catalog has the table (GetTableMetadata); "Entity Not Found" is false, other errors throw. */
export async function athenaTableExists(client: AthenaClient, target: AthenaTarget, table: string, signal?: AbortSignal): Promise<boolean> {
  try {
    await client.send(new GetTableMetadataCommand({ CatalogName: target.catalog ?? 'AwsDataCatalog', DatabaseName: target.database, TableName: table }), { abortSignal: signal });
    return true;
  } catch (error) {
    const e = error as { name?: string; message?: string };
    const message = e?.message ?? '';
    // MetadataException also says other things (access to Glue denied…); only a missing entity is "no".
    const missing = e?.name === 'EntityNotFoundException' || /EntityNotFound/.test(message) || (e?.name === 'MetadataException' && /not found|does not exist/i.test(message));
    if (missing) return false;
    throw error;
  }
}
