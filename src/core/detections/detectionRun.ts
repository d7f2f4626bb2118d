// Detections over many records, split like the summary counts: a worker thread matches its batch
// of records (a DetectionBatch), only the findings and correlation hits cross to this thread, and a
// DetectionMerger folds what the same event makes twice (a file read twice, an event delivered in
// two files) and runs the correlations over every hit once the last batch is in.
import { callerOf } from '../events/identity';
import type { CloudTrailRecord } from '../events/records';
import { compileRules, type HitCorrelator, type RuleSet } from './ruleSet';
import type { CorrelationHit, Finding, FindingEvent, PackedHits, RecordMatches, RuleSource } from './types';

/** The rules as they cross to a worker: their text, compiled there once per key. */
export interface RulesPayload {
  /** Changes whenever the sources or the disabled list do. */
  key: string;
  sources: RuleSource[];
  disabled: string[];
}

const compiled = new Map<string, RuleSet>();

/** The payload's rule set, compiled once per thread and key. */
export function ruleSetOf(payload: RulesPayload): RuleSet {
  let set = compiled.get(payload.key);
  if (!set) {
    compiled.clear();
    set = compileRules(payload.sources, { disabled: payload.disabled });
    compiled.set(payload.key, set);
  }
  return set;
}

/** What some records made: matched in the thread that parsed them. */
export class DetectionBatch {
  private readonly findings: Finding[] = [];
  private readonly hits: CorrelationHit[] = [];

  constructor(private readonly ruleSet: RuleSet) {}

  add(records: readonly CloudTrailRecord[]): void {
    for (const r of records) this.addOne(r);
  }

  /** Matches one record; what it made, with the event's facts filled in. */
  addOne(r: CloudTrailRecord): RecordMatches {
    const m = this.ruleSet.match(r);
    if (m.findings.length > 0) {
      const event = eventFacts(r);
      for (const f of m.findings) {
        f.event = event;
        this.findings.push(f);
      }
    }
    // Hits are many (a read-only burst rule takes most events) and cross threads: kept bare.
    for (const h of m.hits) this.hits.push(h);
    return m;
  }

  /** What crosses back to the thread that merges: the findings, and the hits packed. */
  toWire(): RecordMatches {
    return { findings: this.findings, hits: [], packed: packHits(this.hits) };
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Who did what where, as a finding shows it. */
export function eventFacts(r: CloudTrailRecord): FindingEvent {
  let caller: { key: string; label: string } | undefined;
  try {
    caller = callerOf(r);
  } catch {
    caller = undefined;
  }
  return {
    eventName: text(r.eventName),
    eventSource: text(r.eventSource),
    caller: caller?.key,
    callerLabel: caller?.label,
    sourceIPAddress: text(r.sourceIPAddress),
    awsRegion: text(r.awsRegion),
    accountId: text(r.recipientAccountId),
  };
}

const HAS_VALUE = 1;
const HAS_ERROR = 2;

export function packHits(hits: readonly CorrelationHit[]): PackedHits {
  const n = hits.length;
  const correlation = new Int32Array(n);
  const timeMs = new Float64Array(n);
  const groupLength = new Int32Array(n);
  const flags = new Uint8Array(n);
  const strings: string[] = [];
  for (let i = 0; i < n; i++) {
    const h = hits[i];
    correlation[i] = h.correlation;
    timeMs[i] = h.timeMs;
    groupLength[i] = h.group.length;
    flags[i] = (h.value !== undefined ? HAS_VALUE : 0) | (h.errorCode !== undefined ? HAS_ERROR : 0);
    strings.push(h.rule, h.eventTime, h.eventId, h.value ?? '', h.errorCode ?? '');
    for (const g of h.group) strings.push(g);
  }
  return { correlation, timeMs, groupLength, flags, text: JSON.stringify(strings) };
}

/**
 * The hits of a packed batch. Values that repeat across hits (rule ids, callers, event names,
 * times to the second) are taken from `intern`, so the hundreds of thousands of hits a long run
 * keeps share one copy of each instead of one per hit.
 */
export function unpackHits(p: PackedHits, intern: Map<string, string> = new Map()): CorrelationHit[] {
  const strings = JSON.parse(p.text) as string[];
  const shared = (v: string): string => {
    const known = intern.get(v);
    if (known !== undefined) return known;
    if (intern.size < 1_000_000) intern.set(v, v);
    return v;
  };
  const hits: CorrelationHit[] = new Array<CorrelationHit>(p.correlation.length);
  let s = 0;
  for (let i = 0; i < p.correlation.length; i++) {
    const rule = shared(strings[s++]);
    const eventTime = shared(strings[s++]);
    const eventId = strings[s++];
    const value = strings[s++];
    const errorCode = strings[s++];
    const group = new Array<string>(p.groupLength[i]);
    for (let g = 0; g < group.length; g++) group[g] = shared(strings[s++]);
    const hit: CorrelationHit = { correlation: p.correlation[i], rule, timeMs: p.timeMs[i], eventTime, eventId, group };
    if (p.flags[i] & HAS_VALUE) hit.value = shared(value);
    if (p.flags[i] & HAS_ERROR) hit.errorCode = shared(errorCode);
    hits[i] = hit;
  }
  return hits;
}

/** The buffers of a packed batch, to transfer instead of copying. */
export function packedBuffers(m: RecordMatches | undefined): ArrayBuffer[] {
  const p = m?.packed;
  return p ? [p.correlation.buffer, p.timeMs.buffer, p.groupLength.buffer, p.flags.buffer] as ArrayBuffer[] : [];
}

function findingKey(f: Finding): string {
  return `${f.ruleId}\u0000${f.eventIds.join('\u0000')}`;
}

/**
 * Who and where for a correlation's finding, from the fields it groups by (its hits carry no
 * event facts: there are too many of them to describe each).
 */
export function groupFacts(f: Finding): FindingEvent | undefined {
  const g = f.correlation?.groupBy;
  if (!g) return undefined;
  const arn = g['userIdentity.arn'] || g['userIdentity.principalId'] || undefined;
  const facts: FindingEvent = {
    caller: arn,
    callerLabel: arn ? arn.slice(arn.lastIndexOf('/') + 1) || arn : undefined,
    sourceIPAddress: g.sourceIPAddress || undefined,
    awsRegion: g.awsRegion || undefined,
    accountId: g.recipientAccountId || g['userIdentity.accountId'] || undefined,
    eventName: g.eventName || undefined,
  };
  return Object.values(facts).some((v) => v !== undefined) ? facts : undefined;
}

/**
 * Every batch's findings and hits, an event's repeats folded; `findings` correlates and sorts. The
 * hits are grouped as each batch arrives (while the workers parse the next ones), so little is
 * left to do after the last.
 */
export class DetectionMerger {
  private readonly single = new Map<string, Finding>();
  /** A repeated event's hits are counted once by the correlation itself (by eventID). */
  private readonly correlator: HitCorrelator;
  private readonly intern = new Map<string, string>();

  constructor(ruleSet: RuleSet) {
    this.correlator = ruleSet.correlator();
  }

  merge(m: RecordMatches): void {
    for (const f of m.findings) {
      // An event without an eventID cannot be told from another: each is kept.
      if (f.eventIds.every((id) => id === '')) this.single.set(`${findingKey(f)}\u0000${this.single.size}`, f);
      else if (!this.single.has(findingKey(f))) this.single.set(findingKey(f), f);
    }
    this.correlator.add(m.hits);
    if (m.packed) this.correlator.add(unpackHits(m.packed, this.intern));
  }

  /** The findings of single events and of correlations, by first event time, then rule. */
  findings(): Finding[] {
    const correlated = this.correlator.finish();
    for (const f of correlated) f.event ??= groupFacts(f);
    return sortFindings([...this.single.values(), ...correlated]);
  }
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => (a.firstTime ?? '').localeCompare(b.firstTime ?? '') || a.ruleId.localeCompare(b.ruleId) || (a.eventIds[0] ?? '').localeCompare(b.eventIds[0] ?? ''));
}
