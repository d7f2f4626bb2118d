import { classifySource, type SourceClass } from './ipAddress';
import { callerOf, mfaOf } from './identity';
import { findEventContainer, scanArrayObjects, scanObjectSequence, type ElementSpan } from './jsonScan';
import { looksLikeRecord, parseCloudTrailTime, recordEventName, recordEventSource, type CloudTrailRecord } from './records';
import type { CorrelationHit, Finding, RecordMatches } from '../detections/types';

/** A finding on a document's events (by ordinal): one event, or a correlation's several. */
export interface EventFinding {
  finding: Finding;
  ordinals: number[];
}

/**
 * Rules matched on each record as the index parses it (no second parse): see
 * detections/detectionRun.ts. Kept as an interface so that indexing never loads the engine itself.
 */
export interface IndexDetector {
  addOne(record: CloudTrailRecord): RecordMatches;
  correlate(hits: readonly CorrelationHit[]): Finding[];
}

/** How often something occurs in a document, and when first and last. */
export interface Occurrences {
  key: string;
  count: number;
  /** eventTime text and milliseconds of the earliest and latest event (NaN when none is readable). */
  firstTime?: string;
  lastTime?: string;
  firstMs: number;
  lastMs: number;
  /** Ordinals of the events, in document order. */
  events: number[];
}

export interface CallerOccurrences extends Occurrences {
  label: string;
  type: string;
}

export interface SourceOccurrences extends Occurrences {
  source: SourceClass;
}

/** One event of a document: where it is and what the lenses, outline and filters need of it. */
export interface IndexedEvent {
  ordinal: number;
  /** Offsets of the event object's `{` and just past its `}`. */
  start: number;
  end: number;
  /** Zero-based lines of the `{` and the `}`. */
  line: number;
  endLine: number;
  eventTime?: string;
  timeMs: number;
  eventName?: string;
  eventSource?: string;
  eventId?: string;
  region?: string;
  caller: CallerOccurrences;
  mfa?: boolean;
  sourceIp?: string;
  accessKeyId?: string;
  errorCode?: string;
}

export interface EventIndex {
  /** Length of the text the index was built from. */
  textLength: number;
  /** How the events are held: `Records` (a log file or event document), `Events` (LookupEvents output), an array, or NDJSON. */
  container: string;
  events: IndexedEvent[];
  callers: Map<string, CallerOccurrences>;
  sources: Map<string, SourceOccurrences>;
  accessKeys: Map<string, Occurrences>;
  eventNames: Map<string, Occurrences>;
  errorCodes: Map<string, Occurrences>;
  /** Objects in the event array that are not readable CloudTrail events, with the reason. */
  skipped: { start: number; line: number; reason: string }[];
  /** Earliest and latest readable eventTime. */
  firstMs: number;
  lastMs: number;
  /** When the index was built with rules: what they found, by first event. */
  findings?: EventFinding[];
}

function addOccurrence<T extends Occurrences>(map: Map<string, T>, key: string, ordinal: number, eventTime: string | undefined, ms: number, create: () => T): T {
  let entry = map.get(key);
  if (!entry) {
    entry = create();
    map.set(key, entry);
  }
  entry.count++;
  entry.events.push(ordinal);
  if (!Number.isNaN(ms)) {
    if (Number.isNaN(entry.firstMs) || ms < entry.firstMs) {
      entry.firstMs = ms;
      entry.firstTime = eventTime;
    }
    if (Number.isNaN(entry.lastMs) || ms > entry.lastMs) {
      entry.lastMs = ms;
      entry.lastTime = eventTime;
    }
  }
  return entry;
}

const blank = (key: string): Occurrences => ({ key, count: 0, firstMs: NaN, lastMs: NaN, events: [] });

/** The events of a text and where they are; see findEventContainer for the shapes understood. */
export interface IndexOptions {
  /** Checked every `yieldEvery` events by the async builder. */
  signal?: AbortSignal;
  yieldEvery?: number;
  /** Rules to match on every event as it is indexed; the index then carries `findings`. */
  detector?: IndexDetector;
}

interface Builder {
  index: EventIndex;
  add(span: ElementSpan, text: string): void;
  /** The correlations over the whole document, once every event is in. */
  finish(): EventIndex;
}

function newBuilder(text: string, container: string, detector?: IndexDetector): Builder {
  const index: EventIndex = {
    textLength: text.length,
    container,
    events: [],
    callers: new Map(),
    sources: new Map(),
    accessKeys: new Map(),
    eventNames: new Map(),
    errorCodes: new Map(),
    skipped: [],
    firstMs: NaN,
    lastMs: NaN,
  };
  const lookupEvents = container === 'Events';
  const hits: CorrelationHit[] = [];
  if (detector) index.findings = [];
  return {
    index,
    finish() {
      if (!detector) return index;
      const findings = index.findings!;
      if (hits.length > 0) {
        const byId = new Map<string, number[]>();
        for (const e of index.events) {
          if (e.eventId === undefined) continue;
          const list = byId.get(e.eventId);
          if (list) list.push(e.ordinal);
          else byId.set(e.eventId, [e.ordinal]);
        }
        let correlated: Finding[];
        try {
          correlated = detector.correlate(hits);
        } catch {
          correlated = []; // the rule set never throws; if it did, the single-event findings stand
        }
        for (const finding of correlated) {
          const ordinals = [...new Set(finding.eventIds.flatMap((id) => byId.get(id) ?? []))].sort((a, b) => a - b);
          if (ordinals.length > 0) findings.push({ finding, ordinals });
        }
        findings.sort((a, b) => a.ordinals[0] - b.ordinals[0]);
      }
      return index;
    },
    add(span, source) {
      let record: unknown;
      try {
        record = JSON.parse(source.slice(span.start, span.end));
        if (lookupEvents && typeof (record as { CloudTrailEvent?: unknown }).CloudTrailEvent === 'string') {
          record = JSON.parse((record as { CloudTrailEvent: string }).CloudTrailEvent);
        }
      } catch (error) {
        index.skipped.push({ start: span.start, line: span.line, reason: `not valid JSON (${error instanceof Error ? error.message : String(error)})` });
        return;
      }
      if (!looksLikeRecord(record)) {
        index.skipped.push({ start: span.start, line: span.line, reason: 'not a CloudTrail event' });
        return;
      }
      addEvent(index, span, record);
      if (detector) {
        const ordinal = index.events.length - 1;
        let m: RecordMatches;
        try {
          m = detector.addOne(record);
        } catch {
          return;
        }
        for (const finding of m.findings) index.findings!.push({ finding, ordinals: [ordinal] });
        for (const h of m.hits) hits.push(h);
      }
    },
  };
}

function addEvent(index: EventIndex, span: ElementSpan, r: CloudTrailRecord): void {
  const ordinal = index.events.length;
  const eventTime = typeof r.eventTime === 'string' ? r.eventTime : undefined;
  const ms = parseCloudTrailTime(eventTime);
  const who = callerOf(r);
  const caller = addOccurrence(index.callers, who.key, ordinal, eventTime, ms, () => ({ ...blank(who.key), label: who.label, type: who.type }));
  const sourceIp = typeof r.sourceIPAddress === 'string' ? r.sourceIPAddress : undefined;
  if (sourceIp !== undefined) {
    addOccurrence(index.sources, sourceIp, ordinal, eventTime, ms, () => ({ ...blank(sourceIp), source: classifySource(sourceIp) }));
  }
  const key = r.userIdentity?.accessKeyId;
  const accessKeyId = typeof key === 'string' && key !== '' ? key : undefined;
  if (accessKeyId) {
    addOccurrence(index.accessKeys, accessKeyId, ordinal, eventTime, ms, () => blank(accessKeyId));
  }
  const eventName = recordEventName(r);
  if (eventName) {
    addOccurrence(index.eventNames, eventName, ordinal, eventTime, ms, () => blank(eventName));
  }
  const errorCode = typeof r.errorCode === 'string' ? r.errorCode : undefined;
  if (errorCode) {
    addOccurrence(index.errorCodes, errorCode, ordinal, eventTime, ms, () => blank(errorCode));
  }
  if (!Number.isNaN(ms)) {
    if (Number.isNaN(index.firstMs) || ms < index.firstMs) index.firstMs = ms;
    if (Number.isNaN(index.lastMs) || ms > index.lastMs) index.lastMs = ms;
  }
  index.events.push({
    ordinal,
    start: span.start,
    end: span.end,
    line: span.line,
    endLine: span.endLine,
    eventTime,
    timeMs: ms,
    eventName,
    eventSource: recordEventSource(r),
    eventId: typeof r.eventID === 'string' ? r.eventID : undefined,
    region: typeof r.awsRegion === 'string' ? r.awsRegion : undefined,
    caller,
    mfa: mfaOf(r),
    sourceIp,
    accessKeyId,
    errorCode,
  });
}

function collectSpans(text: string): { container: string; spans: ElementSpan[] } | undefined {
  const where = findEventContainer(text);
  const spans: ElementSpan[] = [];
  if (where.kind === 'array') {
    scanArrayObjects(text, where.arrayStart, where.line, (span) => spans.push(span));
    return { container: where.key ?? 'array', spans };
  }
  if (where.kind === 'sequence') {
    scanObjectSequence(text, (span) => spans.push(span));
    return { container: 'sequence', spans };
  }
  return undefined;
}

function emptyIndex(text: string, reason?: string, detector?: IndexDetector): EventIndex {
  const index = newBuilder(text, 'none', detector).index;
  if (reason) {
    index.skipped.push({ start: 0, line: 0, reason });
  }
  return index;
}

/** The event objects of a text and a builder for its index, or the (empty) index when there are none. */
function prepare(text: string, detector?: IndexDetector): { builder: Builder; spans: ElementSpan[] } | EventIndex {
  let found: ReturnType<typeof collectSpans>;
  try {
    found = collectSpans(text);
  } catch (error) {
    return emptyIndex(text, error instanceof Error ? error.message : String(error), detector);
  }
  return found ? { builder: newBuilder(text, found.container, detector), spans: found.spans } : emptyIndex(text, undefined, detector);
}

/**
 * Builds the index of a document's events from its text. Never throws: a text that is not (or not
 * yet) CloudTrail JSON gives an index without events and says why in `skipped`.
 */
export function buildEventIndex(text: string): EventIndex {
  const prepared = prepare(text);
  if (!('builder' in prepared)) return prepared;
  for (const span of prepared.spans) prepared.builder.add(span, text);
  return prepared.builder.finish();
}

/** The same as buildEventIndex, yielding to the event loop every few thousand events. */
export async function buildEventIndexAsync(text: string, options: IndexOptions = {}): Promise<EventIndex> {
  const prepared = prepare(text, options.detector);
  if (!('builder' in prepared)) return prepared;
  const every = options.yieldEvery ?? 5000;
  for (let i = 0; i < prepared.spans.length; i++) {
    if (i > 0 && i % every === 0) {
      await new Promise((resolve) => setImmediate(resolve));
      options.signal?.throwIfAborted();
    }
    prepared.builder.add(prepared.spans[i], text);
  }
  return prepared.builder.finish();
}

/** The event whose object contains `offset`, by binary search over the events' start offsets. */
export function eventAt(index: EventIndex, offset: number): IndexedEvent | undefined {
  const events = index.events;
  let lo = 0;
  let hi = events.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const e = events[mid];
    if (offset < e.start) {
      hi = mid - 1;
    } else if (offset >= e.end) {
      lo = mid + 1;
    } else {
      return e;
    }
  }
  return undefined;
}

/** The same caller's event just before this one in time (ties keep document order). */
export function previousEventOfCaller(index: EventIndex, event: IndexedEvent): IndexedEvent | undefined {
  let best: IndexedEvent | undefined;
  for (const ordinal of event.caller.events) {
    if (ordinal === event.ordinal) continue;
    const other = index.events[ordinal];
    const earlier = other.timeMs < event.timeMs || (other.timeMs === event.timeMs && other.ordinal < event.ordinal);
    if (earlier && (!best || other.timeMs > best.timeMs || (other.timeMs === best.timeMs && other.ordinal > best.ordinal))) {
      best = other;
    }
  }
  return best;
}

/**
 * The same counts for records that have no text (filters): every event's offsets and lines are -1.
 */
export function indexRecords(records: readonly CloudTrailRecord[]): EventIndex {
  const index = newBuilder('', 'records').index;
  const span: ElementSpan = { start: -1, end: -1, line: -1, endLine: -1 };
  for (const record of records) {
    addEvent(index, span, record);
  }
  return index;
}
