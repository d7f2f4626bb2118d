// Detections over many records, split like the summary counts: a worker thread matches its batch
// of records (a DetectionBatch), only the findings and correlation hits cross to this thread, and a
// DetectionMerger folds what the same event makes twice (a file read twice, an event delivered in
// two files) and runs the correlations over every hit once the last batch is in.
import { callerOf } from '../events/identity';
import type { CloudTrailRecord } from '../events/records';
import { compileRules, sortFindings, type HitCorrelator, type RuleSet } from './ruleSet';
import { HitPacker } from './hitPacking';
import type { Finding, FindingEvent, RecordMatches, RuleSource } from './types';

export { packedBuffers } from './hitPacking';

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
  /** Hits go straight into columns: one object per hit, kept to the end of a batch, cost more than matching. */
  private readonly packer = new HitPacker();

  constructor(private readonly ruleSet: RuleSet) {}

  add(records: readonly CloudTrailRecord[]): void {
    for (const r of records) this.addOne(r);
  }

  /** Matches one record and keeps what it made for `toWire`: its findings (returned too), and its correlation hits packed (not returned). */
  addOne(r: CloudTrailRecord): RecordMatches {
    const m = this.ruleSet.match(r, this.packer);
    if (m.findings.length > 0) {
      const event = eventFacts(r);
      for (const f of m.findings) {
        f.event = event;
        this.findings.push(f);
      }
    }
    return m;
  }

  /** Matches one record, keeping nothing (a document's index and a watch keep their own): its findings with the event's facts filled in. */
  match(r: CloudTrailRecord): RecordMatches {
    const m = this.ruleSet.match(r);
    if (m.findings.length > 0) {
      const event = eventFacts(r);
      for (const f of m.findings) f.event = event;
    }
    // Hits are many (a read-only burst rule takes most events) and cross threads: kept bare.
    return m;
  }

  /** What crosses back to the thread that merges: the findings, and the hits packed. */
  toWire(): RecordMatches {
    return { findings: this.findings, hits: [], groups: this.packer.finish() };
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
 * Every batch's findings and hits, an event's repeats folded; `findings` correlates and sorts. A
 * batch's hits come as columns, grouped and sorted (see hitPacking.ts), and are only given their
 * group's strings as they arrive, so this thread does little while the workers parse; each group's
 * are copied together, merged and windowed at the end.
 */
export class DetectionMerger {
  private readonly single = new Map<string, Finding>();
  /** A repeated event's hits are counted once by the correlation itself (by eventID). */
  private readonly correlator: HitCorrelator;

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
    if (m.groups) this.correlator.addGroups(m.groups);
  }

  /** The findings of single events and of correlations, by first event time, then rule. */
  findings(): Finding[] {
    const correlated = this.correlator.finish();
    for (const f of correlated) f.event ??= groupFacts(f);
    return sortFindings([...this.single.values(), ...correlated]);
  }
}

export { sortFindings } from './ruleSet';
