// Worker threads that read event files on the other cores while this thread parses or counts: for
// a folder of thousands of small log files the per-file cost (open, stat, read, close, gunzip) was
// most of the time. Files go out in batches (one message per batch, not per file). The worker is
// its own file (dist/eventWorker.js, or eventWorker.js beside this one when run from tsc's output).
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DecodedFile } from './eventBytes';
import type { WireAggregate } from './eventSummary';
import type { InputFormat } from './reader';
import type { RulesPayload } from '../detections/detectionRun';
import type { RecordMatches } from '../detections/types';

export interface ReadLimits {
  maxStored: number;
  /** Inflated bytes of one file. */
  maxText: number;
  maxDepth: number;
  /**
   * Inflated bytes of a whole batch: a file that would pass it comes back as 'over-budget', unread
   * (when counting, so does every later file of the batch: the aggregate holds a prefix of it).
   */
  budget?: number;
}

export interface WorkerRequest {
  id: number;
  mode: 'decode' | 'summary' | 'ingest';
  files: string[];
  limits: ReadLimits;
  /** For 'ingest': where to write the batch's NDJSON lines, each file's source id and display name. */
  ingest?: IngestRequest;
  /** For 'summary': rules to match on the batch's records as they are counted. */
  rules?: RulesPayload;
  /** For 'summary' with rules: false when only the findings are wanted (detect), not the counts. */
  counts?: boolean;
}

export interface IngestRequest {
  out: string;
  sourceIds: number[];
  names: string[];
  /** Rules to match on each record as its line is written (its detection goes on the line). */
  rules?: RulesPayload;
  /**
   * The ingest's time and region filter (as the store's SQL applies it), so records the store will
   * not keep make no findings: ms since the epoch, [start, end).
   */
  keep?: { start?: number; end?: number; regions?: string[] };
}

/** An ingested batch: each file's outcome, and what the rules made of its records (when given). */
export interface IngestBatch {
  results: WireIngested[];
  matches?: RecordMatches;
}

/**
 * A file read for the investigation store: its records went to the batch's NDJSON file, and its
 * stored bytes (gzip, as read or compressed here) come back to be kept; or why it could not be read.
 */
export type WireIngested =
  | Exclude<DecodedFile, { ok: true }>
  | { ok: false; name: string; code: 'unreadable'; reason: string }
  | { ok: true; name: string; storedBytes: number; textBytes: number; recordCount: number; format: InputFormat; warnings?: string[]; gzip: ArrayBuffer };

/** A decoded file as it crosses: the bytes as a transferred ArrayBuffer. */
export type WireDecoded = Exclude<DecodedFile, { ok: true }> | (Omit<Extract<DecodedFile, { ok: true }>, 'text'> & { text: ArrayBuffer });

/** A file read, parsed and counted into its batch's aggregate (only its eventIDs cross), or why it could not be. */
export type WireSummary =
  | Exclude<DecodedFile, { ok: true }>
  | { ok: false; name: string; code: 'unreadable'; reason: string }
  | { ok: true; name: string; storedBytes: number; textBytes: number; recordCount: number; format: InputFormat; warnings?: string[]; ids: (string | null)[] };

export interface WorkerReply {
  id: number;
  results: (WireDecoded | WireSummary | WireIngested)[];
  /** When counting: the counts of the batch's files that came back ok. */
  aggregate?: WireAggregate;
  /** When ingesting with rules: the batch's findings and correlation hits. */
  matches?: RecordMatches;
}

/** A counted batch: each file's outcome and the counts of those read. */
export interface SummaryBatch {
  results: WireSummary[];
  aggregate: WireAggregate;
}

const WORKER_FILE = path.join(__dirname, 'eventWorker.js');

interface Pending {
  resolve: (reply: WorkerReply) => void;
  reject: (error: Error) => void;
}

/** A small pool; `read` resolves with one result per file, in order. Throws when no worker can start. */
export class EventFileWorkers {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly load = new Map<Worker, number>();
  private seq = 0;
  private failed: Error | undefined;

  constructor(readonly count = Math.max(1, availableParallelism() - 1)) {
    if (!existsSync(WORKER_FILE)) throw new Error(`${WORKER_FILE} is missing`);
    for (let i = 0; i < count; i++) {
      const worker = new Worker(WORKER_FILE);
      worker.unref();
      worker.on('message', (m: WorkerReply) => {
        this.load.set(worker, (this.load.get(worker) ?? 1) - 1);
        if (this.load.get(worker) === 0) worker.unref();
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.resolve(m);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`an event file worker stopped (exit code ${code})`));
      });
      this.workers.push(worker);
      this.load.set(worker, 0);
    }
  }

  private fail(error: Error): void {
    this.failed ??= error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  private send(mode: WorkerRequest['mode'], files: string[], limits: ReadLimits, ingest?: IngestRequest, rules?: RulesPayload, counts?: boolean): Promise<WorkerReply> {
    if (this.failed) return Promise.reject(this.failed);
    let worker = this.workers[0];
    for (const w of this.workers) if ((this.load.get(w) ?? 0) < (this.load.get(worker) ?? 0)) worker = w;
    this.load.set(worker, (this.load.get(worker) ?? 0) + 1);
    worker.ref(); // a busy worker keeps the process alive until it answers
    const id = this.seq++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, mode, files, limits, ingest, rules, counts } satisfies WorkerRequest);
    });
  }

  /** Reads and inflates a batch; the bytes come back as Buffers. */
  async decode(files: string[], limits: ReadLimits): Promise<DecodedFile[]> {
    const results = (await this.send('decode', files, limits)).results as WireDecoded[];
    return results.map((r) => (r.ok ? { ...r, text: Buffer.from(r.text) } : r));
  }

  /** Reads, parses and counts a batch (and matches the rules on its records, when given). */
  async summarize(files: string[], limits: ReadLimits, rules?: RulesPayload, counts = true): Promise<SummaryBatch> {
    const reply = await this.send('summary', files, limits, undefined, rules, counts);
    return { results: reply.results as WireSummary[], aggregate: reply.aggregate! };
  }

  /** Reads and parses a batch into one NDJSON file for the store (see storeRows.ts), matching the rules when given. */
  async ingest(files: string[], limits: ReadLimits, request: IngestRequest): Promise<IngestBatch> {
    const reply = await this.send('ingest', files, limits, request);
    return { results: reply.results as WireIngested[], matches: reply.matches };
  }

  async close(): Promise<void> {
    this.fail(new Error('event file workers closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * Workers for reading `paths` when one of them is a folder (usually many files: the workers start
 * while it is walked), one per core; undefined for single files or when no thread can start (read
 * in the calling thread then). The caller closes them.
 */
export function workersForFolders(paths: readonly string[]): EventFileWorkers | undefined {
  if (!paths.some((p) => statSync(p, { throwIfNoEntry: false })?.isDirectory())) return undefined;
  try {
    return new EventFileWorkers(availableParallelism());
  } catch {
    return undefined;
  }
}
