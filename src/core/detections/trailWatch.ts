// Watch Trail: LookupEvents in one region, polled on an interval, with the rules run on each new
// event. CloudTrail delivers an event to LookupEvents some minutes after it happened, so each poll
// asks again for the last OVERLAP before the newest event time seen, and eventIDs already seen are
// dropped. Correlations are run again over the hits of the last day at every poll; a correlation
// finding already reported (same rule, same first event) is not reported twice.
import { sleep, type RateLimiter } from '../aws/rateLimiter';
import { searchEvents } from '../aws/searchEvents';
import type { TrailApi } from '../aws/trailApi';
import type { CloudTrailRecord } from '../events/records';
import { DetectionBatch, groupFacts } from './detectionRun';
import type { RuleSet } from './ruleSet';
import type { CorrelationHit, Finding } from './types';

/** How far back each poll asks again, for late deliveries. */
export const WATCH_OVERLAP_MS = 20 * 60_000;
/** How far back the first poll looks. */
export const WATCH_FIRST_LOOKBACK_MS = 60 * 60_000;
/** Correlation hits are kept this long (no correlation timespan in the pack is longer). */
const HIT_RETENTION_MS = 24 * 3600_000;
/** At most this many events per poll (20 LookupEvents pages). */
const MAX_EVENTS_PER_POLL = 1000;

export interface WatchPoll {
  at: Date;
  /** Events LookupEvents returned, and how many were new. */
  events: number;
  newEvents: number;
  findings: number;
  /** More events than one poll reads arrived: the oldest of them were not read. */
  truncated: boolean;
}

export interface WatchOptions {
  api: TrailApi;
  limiter: RateLimiter;
  ruleSet: RuleSet;
  intervalMs: number;
  /** New findings and the records they were found in (by eventID). */
  onFindings: (findings: Finding[], records: Map<string, CloudTrailRecord>) => void;
  onPoll?: (poll: WatchPoll) => void;
  /** A poll failed; the watch goes on at the next interval. */
  onError?: (error: unknown) => void;
  now?: () => number;
}

export class TrailWatch {
  private readonly controller = new AbortController();
  private readonly seen = new Map<string, number>();
  private readonly reported = new Set<string>();
  private hits: CorrelationHit[] = [];
  private newestMs = NaN;
  private running: Promise<void> | undefined;
  polls = 0;

  constructor(private readonly o: WatchOptions) {}

  get stopped(): boolean {
    return this.controller.signal.aborted;
  }

  /** Polls now, then every interval, until `stop`. */
  start(): void {
    this.running ??= this.loop();
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.running?.catch(() => undefined);
  }

  private async loop(): Promise<void> {
    const signal = this.controller.signal;
    while (!signal.aborted) {
      try {
        await this.poll();
      } catch (error) {
        if (signal.aborted) return;
        this.o.onError?.(error);
      }
      try {
        await sleep(this.o.intervalMs, signal);
      } catch {
        return; // stopped while waiting
      }
    }
  }

  /** One poll: the new events, matched; exposed for tests. */
  async poll(): Promise<WatchPoll> {
    const now = (this.o.now ?? Date.now)();
    const from = Number.isNaN(this.newestMs) ? now - WATCH_FIRST_LOOKBACK_MS : Math.min(this.newestMs, now) - WATCH_OVERLAP_MS;
    const result = await searchEvents(this.o.api, { startTime: new Date(from), endTime: new Date(now), maxEvents: MAX_EVENTS_PER_POLL }, { limiter: this.o.limiter, signal: this.controller.signal });
    this.polls++;
    const batch = new DetectionBatch(this.o.ruleSet);
    const fresh = new Map<string, CloudTrailRecord>();
    const findings: Finding[] = [];
    for (const r of result.records) {
      const id = typeof r.eventID === 'string' ? r.eventID : '';
      if (id === '' || this.seen.has(id)) continue;
      const ms = Date.parse(String(r.eventTime ?? ''));
      this.seen.set(id, Number.isNaN(ms) ? now : ms);
      if (!Number.isNaN(ms) && (Number.isNaN(this.newestMs) || ms > this.newestMs)) this.newestMs = ms;
      fresh.set(id, r);
      const m = batch.match(r);
      findings.push(...m.findings);
      this.hits.push(...m.hits);
    }
    // Old hits and eventIDs are let go: memory stays bounded however long the watch runs.
    this.hits = this.hits.filter((h) => h.timeMs >= now - HIT_RETENTION_MS);
    for (const [id, ms] of this.seen) if (ms < now - WATCH_FIRST_LOOKBACK_MS - WATCH_OVERLAP_MS) this.seen.delete(id);
    if (fresh.size > 0) {
      for (const f of this.o.ruleSet.correlate(this.hits)) {
        f.event ??= groupFacts(f);
        const key = `${f.ruleId}\u0000${f.eventIds[0] ?? ''}`;
        if (this.reported.has(key) || !f.eventIds.some((id) => fresh.has(id))) continue;
        this.reported.add(key);
        findings.push(f);
      }
    }
    if (findings.length > 0) this.o.onFindings(findings, fresh);
    const poll: WatchPoll = { at: new Date(now), events: result.records.length, newEvents: fresh.size, findings: findings.length, truncated: result.truncated };
    this.o.onPoll?.(poll);
    return poll;
  }
}
