/** Resolves after `ms`, or rejects at once when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Spaces calls at least `intervalMs` apart (LookupEvents allows 2 requests per second per account
 * and region). Callers queue in order; one limiter per account and region.
 */
export class RateLimiter {
  private next = 0;

  constructor(
    readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Waits for this caller's turn. */
  async take(signal?: AbortSignal): Promise<void> {
    const at = Math.max(this.now(), this.next);
    this.next = at + this.intervalMs;
    const wait = at - this.now();
    if (wait > 0) {
      await sleep(wait, signal);
    }
  }
}

const limiters = new Map<string, RateLimiter>();

/** The shared limiter of LookupEvents for one profile and region. */
export function lookupLimiter(scope: string, region: string): RateLimiter {
  const key = `${scope}\u0000${region}`;
  let limiter = limiters.get(key);
  if (!limiter) {
    // 2 requests per second is the limit; 550 ms leaves room for network jitter between requests.
    limiter = new RateLimiter(550);
    limiters.set(key, limiter);
  }
  return limiter;
}
