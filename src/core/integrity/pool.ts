// A bounded pool of asynchronous jobs: at most `concurrency` run at once, higher priority first
// (digests before log files, so that log jobs are discovered early), stopped by an AbortSignal.
// A job may give its slot back before it ends (`release`): a download that has its bytes lets the
// next download start while it waits for a hashing thread.

export class JobPool {
  private readonly queue: { priority: number; seq: number; run: (release: () => void) => Promise<void>; done: (e?: unknown) => void }[] = [];
  private running = 0;
  private seq = 0;
  private failure: unknown;

  constructor(
    private readonly concurrency: number,
    private readonly signal?: AbortSignal,
  ) {
    signal?.addEventListener('abort', () => this.drain(signal.reason), { once: true });
  }

  /** Runs `job` when a slot is free; resolves when it has run. A job's own failure rejects that promise only. */
  add(job: (release: () => void) => Promise<void>, priority = 0): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.signal?.aborted) {
        reject(this.signal.reason);
        return;
      }
      this.queue.push({ priority, seq: this.seq++, run: job, done: (e) => (e === undefined ? resolve() : reject(e)) });
      this.queue.sort((a, b) => b.priority - a.priority || a.seq - b.seq);
      this.next();
    });
  }

  private next(): void {
    while (this.running < this.concurrency && this.queue.length > 0 && this.failure === undefined) {
      const item = this.queue.shift()!;
      this.running++;
      let released = false;
      const release = (): void => {
        if (released) return;
        released = true;
        this.running--;
        this.next();
      };
      item
        .run(release)
        .then(
          () => item.done(),
          (e: unknown) => item.done(e ?? new Error('job failed')),
        )
        .finally(release);
    }
  }

  private drain(reason: unknown): void {
    this.failure = reason;
    for (const item of this.queue.splice(0)) item.done(reason);
  }
}

/**
 * A bound on bytes held between two stages (downloaded, not yet hashed): `acquire` waits until the
 * bytes fit, except when nothing is held (one body larger than the bound still goes through alone).
 */
export class ByteGate {
  private held = 0;
  private readonly waiting: { n: number; go: () => void }[] = [];

  constructor(readonly limit: number) {}

  acquire(n: number, signal?: AbortSignal): Promise<void> {
    if (this.waiting.length === 0 && (this.held === 0 || this.held + n <= this.limit)) {
      this.held += n;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const w = {
        n,
        go: () => {
          signal?.removeEventListener('abort', abort);
          resolve();
        },
      };
      const abort = (): void => {
        const i = this.waiting.indexOf(w);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal!.reason);
      };
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      signal?.addEventListener('abort', abort, { once: true });
      this.waiting.push(w);
    });
  }

  release(n: number): void {
    this.held -= n;
    while (this.waiting.length > 0 && (this.held === 0 || this.held + this.waiting[0].n <= this.limit)) {
      const w = this.waiting.shift()!;
      this.held += w.n;
      w.go();
    }
  }
}
