// What a query notebook cell shows, whichever engine ran it: the local investigation store, Athena
// or CloudWatch Logs Insights. Values are JSON values (strings, numbers, booleans, null, and for the
// local store objects and arrays of structs and lists); big integers are kept as digit strings.

export type QueryEngine = 'local' | 'athena' | 'logs';

export interface ResultColumn {
  name: string;
  /** The engine's type name (Athena's column info, DuckDB's type), when it says. */
  type?: string;
}

export interface QueryStats {
  engine: QueryEngine;
  /** Athena's QueryExecutionId or Logs Insights' queryId. */
  queryId?: string;
  /** Athena: DataScannedInBytes; Logs Insights: bytesScanned. */
  bytesScanned?: number;
  /** Athena: the cost of the bytes scanned, as a sentence (see scanCost). */
  cost?: string;
  /** Logs Insights: records matched and scanned. */
  recordsMatched?: number;
  recordsScanned?: number;
  /** Wall time of the query where it ran, in milliseconds. */
  elapsedMs?: number;
  /** Athena: the rows came from the query's result file in S3 rather than GetQueryResults pages. */
  fromResultFile?: boolean;
  /** Athena: every row of the result file, read into a table of the notebook's investigation. */
  keptIn?: { table: string; rows: number; investigation: string };
  /** Athena: why the result file could not be kept in the investigation (the rows shown still are). */
  notKept?: string;
}

export interface TabularResult {
  columns: ResultColumn[];
  rows: unknown[][];
  /** More rows existed than were kept (the row cap); the count kept is rows.length. */
  truncated: boolean;
  stats?: QueryStats;
}

/** A query that failed where it ran (Athena FAILED with its reason, Logs Insights Failed…). */
export class RemoteQueryError extends Error {
  constructor(
    message: string,
    readonly engine: QueryEngine,
    readonly queryId?: string,
  ) {
    super(message);
    this.name = 'RemoteQueryError';
  }
}
