// A bounded pool of asynchronous jobs: at most `concurrency` run at once, higher priority first
// (digests before log files, so that log jobs are discovered early), stopped by an AbortSignal.

export class JobPool {
  private readonly queue: { priority: number; seq: number; run: () => Promise<void>; done: (e?: unknown) => void }[] = [];
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
  add(job: () => Promise<void>, priority = 0): Promise<void> {
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
      item
        .run()
        .then(
          () => item.done(),
          (e: unknown) => item.done(e ?? new Error('job failed')),
        )
        .finally(() => {
          this.running--;
          this.next();
        });
    }
  }

  private drain(reason: unknown): void {
    this.failure = reason;
    for (const item of this.queue.splice(0)) item.done(reason);
  }
}
