// The investigation store as seen from another thread: every call goes to storeWorker.ts and comes
// back as a promise; an AbortSignal cancels the running DuckDB query there.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { StoreUnavailableError } from './duckdb';
import type { IngestInput, IngestOptions, IngestReport, QueryResult, StoreInfo, StoreOptions } from './investigationStore';
import type { FromStore, StoreMethod, StoreMethods, ToStore } from './storeProtocol';
import type { FacetKey, InvestigationSummary, Overview, Selection, TableRow, TableSort } from './selection';
import type { CloudTrailRecord } from '../events/records';
import type { Finding } from '../detections/types';
import type { ResultTableColumn } from './resultTable';

const WORKER_FILE = path.join(__dirname, 'storeWorker.js');

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  progress?: (done: number, total: number, events: number) => void;
}

export class StoreClient {
  private readonly pending = new Map<number, Pending>();
  private seq = 0;
  private failed: Error | undefined;
  private closed = false;

  private constructor(
    private readonly worker: Worker,
    readonly file: string,
  ) {
    worker.on('message', (m: FromStore) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      if ('progress' in m) {
        p.progress?.(...m.progress);
        return;
      }
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else {
        const error = m.error.name === 'AbortError' ? new DOMException(m.error.message, 'AbortError') : m.error.name === 'StoreUnavailableError' ? new StoreUnavailableError(m.error.message) : new Error(m.error.message);
        p.reject(error as Error);
      }
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => this.fail(new Error(this.closed ? 'the investigation is closed' : `the investigation store stopped (exit code ${code})`)));
  }

  /** Starts a store thread and opens (or creates) the investigation in it. */
  static async open(file: string, options: StoreOptions = {}): Promise<StoreClient> {
    if (!existsSync(WORKER_FILE)) throw new Error(`${WORKER_FILE} is missing (run the build)`);
    const client = new StoreClient(new Worker(WORKER_FILE), file);
    try {
      await client.call('open', [file, options]);
    } catch (error) {
      await client.worker.terminate();
      throw error;
    }
    return client;
  }

  private fail(error: Error): void {
    this.failed ??= error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  private call<M extends StoreMethod>(method: M, args: unknown[], signal?: AbortSignal, progress?: Pending['progress']): Promise<ReturnType<StoreMethods[M]>> {
    if (this.failed) return Promise.reject(this.failed);
    if (signal?.aborted) return Promise.reject(new DOMException('cancelled', 'AbortError'));
    const id = this.seq++;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => this.worker.postMessage({ cancel: id } satisfies ToStore);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        resolve: (v) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(v as ReturnType<StoreMethods[M]>);
        },
        reject: (e) => {
          signal?.removeEventListener('abort', onAbort);
          reject(e);
        },
        progress,
      });
      this.worker.postMessage({ id, method, args } satisfies ToStore);
    });
  }

  ingest(inputs: IngestInput[], options: IngestOptions = {}): Promise<IngestReport> {
    const { signal, onProgress, ...rest } = options;
    return this.call('ingest', [inputs, rest], signal, onProgress);
  }
  info(): Promise<StoreInfo> {
    return this.call('info', []);
  }
  overview(selection: Selection, stackBy?: FacetKey, signal?: AbortSignal): Promise<Overview> {
    return this.call('overview', [selection, stackBy], signal);
  }
  rows(selection: Selection, sort: TableSort, offset: number, limit: number, signal?: AbortSignal): Promise<{ total: number; rows: TableRow[] }> {
    return this.call('rows', [selection, sort, offset, limit], signal);
  }
  summary(selection: Selection, signal?: AbortSignal): Promise<InvestigationSummary> {
    return this.call('summary', [selection], signal);
  }
  /** The findings of the rules run at ingest (see InvestigationStore.findings). */
  findings(selection?: Selection, signal?: AbortSignal): Promise<Finding[]> {
    return this.call('findings', [selection], signal);
  }
  slice(selection: Selection, sort: TableSort, cap: number, rowIds?: number[], signal?: AbortSignal): Promise<{ records: CloudTrailRecord[]; total: number; unreadable: number }> {
    return this.call('slice', [selection, sort, cap, rowIds], signal);
  }
  query(sql: string, signal?: AbortSignal, maxRows?: number): Promise<QueryResult> {
    return this.call('query', [sql, maxRows], signal);
  }
  /** An Athena result file read into a table of the store (see InvestigationStore.importResultCsv). */
  importResultCsv(file: string, table: string, columns: ResultTableColumn[], signal?: AbortSignal): Promise<{ table: string; rows: number; columns: string[] }> {
    return this.call('importResultCsv', [file, table, columns], signal);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      if (!this.failed) await this.call('close', []);
    } finally {
      this.closed = true;
      await this.worker.terminate();
    }
  }
}
