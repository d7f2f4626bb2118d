import { parseEventsText } from '../events/reader';
import type { CloudTrailRecord } from '../events/records';
import { sleep, type RateLimiter } from './rateLimiter';
import type { LookupKey, TrailApi } from './trailApi';

export interface SearchQuery {
  attribute?: { key: LookupKey; value: string };
  startTime?: Date;
  endTime?: Date;
  /** How many events at most (LookupEvents pages hold up to 50). */
  maxEvents: number;
}

export interface SearchProgress {
  pages: number;
  events: number;
  /** Set while waiting after a throttled request. */
  throttledForMs?: number;
}

export interface SearchResult {
  records: CloudTrailRecord[];
  pages: number;
  /** True when more events matched than maxEvents. */
  truncated: boolean;
  throttledRequests: number;
}

function isThrottle(error: unknown): boolean {
  const name = (error as { name?: string })?.name ?? '';
  return /^(ThrottlingException|Throttling|TooManyRequestsException|RequestLimitExceeded)$/.test(name);
}

/**
 * Runs LookupEvents page by page within its limit of 2 requests per second per region (the limiter
 * is shared with every other search of the same region), backing off exponentially when throttled
 * anyway (1 s, 2 s, 4 s, 8 s, 16 s, then it gives up with the error). Never retries in a tight loop.
 */
export async function searchEvents(api: TrailApi, query: SearchQuery, options: { limiter: RateLimiter; signal?: AbortSignal; onProgress?: (p: SearchProgress) => void; backoffMs?: number }): Promise<SearchResult> {
  const records: CloudTrailRecord[] = [];
  let nextToken: string | undefined;
  let pages = 0;
  let throttledRequests = 0;
  const base = options.backoffMs ?? 1000;
  do {
    let page;
    for (let attempt = 0; ; attempt++) {
      await options.limiter.take(options.signal);
      try {
        page = await api.lookupEvents(
          { attribute: query.attribute, startTime: query.startTime, endTime: query.endTime, maxResults: Math.min(50, query.maxEvents - records.length), nextToken },
          options.signal,
        );
        break;
      } catch (error) {
        if (!isThrottle(error) || attempt >= 5 || options.signal?.aborted) throw error;
        throttledRequests++;
        const wait = base * 2 ** attempt;
        options.onProgress?.({ pages, events: records.length, throttledForMs: wait });
        await sleep(wait, options.signal);
      }
    }
    pages++;
    for (const json of page.events) {
      const parsed = parseEventsText(json, `LookupEvents result ${records.length + 1}`);
      records.push(...parsed.records);
    }
    nextToken = page.nextToken;
    options.onProgress?.({ pages, events: records.length });
  } while (nextToken && records.length < query.maxEvents);
  return { records, pages, truncated: nextToken !== undefined, throttledRequests };
}
