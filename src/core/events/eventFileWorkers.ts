// Worker threads that read and inflate event files on the other cores while this thread parses
// JSON: for a folder of thousands of small log files the per-file cost (open, stat, read, close,
// gunzip) was most of the time. Files go out in batches (one message per batch, not per file) and
// come back as inflated bytes, handed over without a copy.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { byteFacts, firstInvalidUtf8, gunzipFailure, readEventFileSync, scanJsonBytes, type DecodedFile } from './eventBytes';

export interface ReadLimits {
  maxStored: number;
  /** Inflated bytes of one file. */
  maxText: number;
  maxDepth: number;
  /** Inflated bytes of the whole batch: a file that would pass it comes back as 'over-budget', unread. */
  budget?: number;
}

function workerSource(): string {
  return `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
const zlib = require('node:zlib');
const isUtf8 = require('node:buffer').isUtf8;
${scanJsonBytes.toString()}
${firstInvalidUtf8.toString()}
${byteFacts.toString()}
${gunzipFailure.toString()}
const readEventFileSync = ${readEventFileSync.toString()};
parentPort.on('message', (m) => {
  const results = [];
  const transfer = [];
  let budget = m.limits.budget ?? Infinity;
  for (const name of m.files) {
    let r;
    const capped = budget < m.limits.maxText;
    try {
      r = readEventFileSync(fs, zlib, isUtf8, name, { ...m.limits, maxText: capped ? budget : m.limits.maxText });
    } catch (error) {
      r = { ok: false, name, code: 'read-failed', reason: 'could not read it (' + (error && error.message || error) + ')' };
    }
    if (!r.ok && r.code === 'too-large' && capped) r = { ok: false, name, code: 'over-budget', reason: 'more than the batch may hold' };
    if (r.ok) budget -= r.text.length;
    if (r.ok) {
      // Only a buffer that owns its memory can be handed over (a pooled one would take its neighbours).
      // (Buffer.from would copy a small one into the pool again: a plain Uint8Array owns its memory.)
      const t = r.text;
      const own = t.byteOffset === 0 && t.byteLength === t.buffer.byteLength ? t.buffer : new Uint8Array(t).buffer;
      results.push({ ...r, text: own });
      transfer.push(own);
    } else {
      results.push(r);
    }
  }
  parentPort.postMessage({ id: m.id, results }, transfer);
});`;
}

type WireResult = Exclude<DecodedFile, { ok: true }> | (Omit<Extract<DecodedFile, { ok: true }>, 'text'> & { text: ArrayBuffer });

interface Pending {
  resolve: (results: DecodedFile[]) => void;
  reject: (error: Error) => void;
}

/** A small pool; `read` resolves with one result per file, in order. */
export class EventFileWorkers {
  private readonly workers: Worker[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly load = new Map<Worker, number>();
  private seq = 0;
  private failed: Error | undefined;
  readonly count: number;

  constructor(count = Math.max(1, availableParallelism() - 1)) {
    this.count = count;
    for (let i = 0; i < count; i++) {
      const worker = new Worker(workerSource(), { eval: true });
      worker.on('message', (m: { id: number; results: WireResult[] }) => {
        this.load.set(worker, (this.load.get(worker) ?? 1) - 1);
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        p?.resolve(m.results.map((r) => (r.ok ? { ...r, text: Buffer.from(r.text) } : r)));
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

  /** Reads a batch of files on the least busy worker. */
  read(files: string[], limits: ReadLimits): Promise<DecodedFile[]> {
    if (this.failed) return Promise.reject(this.failed);
    let worker = this.workers[0];
    for (const w of this.workers) if ((this.load.get(w) ?? 0) < (this.load.get(worker) ?? 0)) worker = w;
    this.load.set(worker, (this.load.get(worker) ?? 0) + 1);
    const id = this.seq++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ id, files, limits });
    });
  }

  async close(): Promise<void> {
    this.fail(new Error('event file workers closed'));
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
