// Worker threads that gunzip and hash whole log file bodies on the other cores, so that the main
// thread only moves bytes: with the streaming reader the main thread itself was the bottleneck
// (zlib callbacks and SHA-256 of every inflated byte). Bodies are handed over, not copied.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ContentResult } from './gzipContent';
import { crc32Fallback } from './crc32';
import { gzipHeaderLength, inspectBody, inspectBodyHere } from './gzipInspect';

/** Source text of each worker: `inspectBody`, the header parser it calls, and a message loop (no file to load, see gzipInspect.ts). */
function workerSource(): string {
  return `
const { parentPort } = require('node:worker_threads');
const crc32Fallback = ${crc32Fallback.toString()};
const nodeZlib = require('node:zlib');
const zlib = nodeZlib.crc32 ? nodeZlib : { ...nodeZlib, crc32: crc32Fallback };
const crypto = require('node:crypto');
${gzipHeaderLength.toString()}
const inspectBody = ${inspectBody.toString()};
parentPort.on('message', (m) => {
  let reply;
  try {
    reply = { id: m.id, result: inspectBody(zlib, crypto, new Uint8Array(m.body), m.max) };
  } catch (error) {
    reply = { id: m.id, error: String(error && error.message || error) };
  }
  parentPort.postMessage(reply);
});`;
}

interface Task {
  id: number;
  body: ArrayBuffer;
  max: number;
  resolve: (r: ContentResult) => void;
  reject: (e: Error) => void;
}

export class ContentWorkers {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: Task[] = [];
  private readonly running = new Map<Worker, Task>();
  private seq = 0;
  private closed = false;
  private broken = false;

  /** `count` defaults to one core fewer than this process may use: the main thread keeps one for the downloads. */
  constructor(private readonly count = Math.max(1, availableParallelism() - 1)) {}

  /** Gunzips and hashes a whole body; falls back to this thread if workers cannot run. */
  inspect(body: Buffer, maxContentBytes: number): Promise<ContentResult> {
    if (this.broken || this.closed) return Promise.resolve(inspectBodyHere(body, maxContentBytes));
    // The worker gets the bytes themselves: a Buffer from a pool would drag its neighbours along.
    const own = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength && body.buffer instanceof ArrayBuffer ? body.buffer : new Uint8Array(body).buffer;
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.seq++, body: own as ArrayBuffer, max: maxContentBytes, resolve, reject });
      this.pump();
    });
  }

  private spawn(): Worker | undefined {
    try {
      const worker = new Worker(workerSource(), { eval: true });
      worker.unref();
      worker.on('message', (m: { id: number; result?: ContentResult; error?: string }) => {
        const task = this.running.get(worker);
        this.running.delete(worker);
        if (task) {
          if (m.result) task.resolve(m.result);
          else task.reject(new Error(`content worker failed: ${m.error}`));
        }
        worker.unref(); // an idle worker must not keep the process alive
        this.idle.push(worker);
        this.pump();
      });
      worker.on('error', (error) => this.lose(worker, error));
      worker.on('exit', () => this.lose(worker, new Error('content worker exited')));
      this.all.push(worker);
      return worker;
    } catch {
      this.broken = true;
      return undefined;
    }
  }

  /** A worker died: its task runs here instead, and no new workers are started. */
  private lose(worker: Worker, error: Error): void {
    const task = this.running.get(worker);
    this.running.delete(worker);
    const i = this.idle.indexOf(worker);
    if (i >= 0) this.idle.splice(i, 1);
    if (this.closed) {
      task?.reject(error);
      return;
    }
    this.broken = true;
    if (task) {
      try {
        task.resolve(inspectBodyHere(new Uint8Array(task.body), task.max));
      } catch (e) {
        task.reject(e as Error);
      }
    }
    for (const t of this.queue.splice(0)) this.runHere(t);
  }

  private runHere(task: Task): void {
    try {
      task.resolve(inspectBodyHere(new Uint8Array(task.body), task.max));
    } catch (e) {
      task.reject(e as Error);
    }
  }

  private pump(): void {
    while (this.queue.length > 0) {
      if (this.broken) {
        this.runHere(this.queue.shift()!);
        continue;
      }
      let worker = this.idle.pop();
      if (!worker && this.all.length < this.count) worker = this.spawn();
      if (!worker) return;
      const task = this.queue.shift()!;
      this.running.set(worker, task);
      worker.ref(); // a busy worker keeps the process alive until it answers
      worker.postMessage({ id: task.id, body: task.body, max: task.max }, [task.body]);
    }
  }

  /** Ends the workers; queued work is refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new Error('content workers closed'));
    await Promise.all(this.all.map((w) => w.terminate()));
  }
}
