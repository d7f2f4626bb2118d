// Messages between StoreClient (the extension host's thread, or any caller) and storeWorker.ts (the
// thread DuckDB runs on). Only plain data crosses.
import type { IngestInput, IngestOptions, IngestReport, QueryResult, StoreInfo, StoreOptions } from './investigationStore';
import type { FacetKey, InvestigationSummary, Overview, Selection, TableRow, TableSort } from './selection';
import type { CloudTrailRecord } from '../events/records';
import type { Finding } from '../detections/types';
import type { ResultTableColumn } from './resultTable';

export interface StoreMethods {
  open(file: string, options: StoreOptions): void;
  ingest(inputs: IngestInput[], options: Omit<IngestOptions, 'signal' | 'onProgress'>): IngestReport;
  info(): StoreInfo;
  overview(selection: Selection, stackBy?: FacetKey): Overview;
  rows(selection: Selection, sort: TableSort, offset: number, limit: number): { total: number; rows: TableRow[] };
  summary(selection: Selection): InvestigationSummary;
  findings(selection?: Selection): Finding[];
  slice(selection: Selection, sort: TableSort, cap: number, rowIds?: number[]): { records: CloudTrailRecord[]; total: number; unreadable: number };
  query(sql: string, maxRows?: number): QueryResult;
  importResultCsv(file: string, table: string, columns: ResultTableColumn[]): { table: string; rows: number; columns: string[] };
  close(): void;
}

export type StoreMethod = keyof StoreMethods;

export type ToStore = { id: number; method: StoreMethod; args: unknown[] } | { cancel: number };

export type FromStore =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { name: string; message: string } }
  | { id: number; progress: [done: number, total: number, events: number] };
