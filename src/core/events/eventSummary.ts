// The counting behind `summarize`, split so that worker threads do almost all of it: a worker
// parses a batch of files and folds its events into a SummaryAggregate (counts per caller, source
// IP, access key, event name and error code, with first and last times), which crosses to this
// thread as a few small arrays together with each file's eventIDs. This thread merges aggregates
// and watches the eventIDs.
//
// Repeats of an eventID are folded when the events are the same (the same event delivered twice);
// two different events under one eventID are both counted and reported, because hiding either
// could hide tampering. Comparing needs the events, which are not kept: every event is counted
// first, repeats are noted, and `settle` reads again only the files that hold repeated eventIDs,
// compares those events and takes identical repeats back out of the counts (an identical repeat
// has the same caller, address, name, error and time as the event it repeats, so taking it out
// leaves every first and last time as it was). Most folders have few repeats, so this costs far
// less than fingerprinting every event.
import { createHash } from 'node:crypto';
import { classifySource, type SourceClass } from './ipAddress';
import { callerOf } from './identity';
import { parseCloudTrailTime, recordEventName, type CloudTrailRecord } from './records';
import type { RulesPayload } from '../detections/detectionRun';
import type { RecordMatches } from '../detections/types';

/** How often a value occurs, and its first and last event time. */
export interface Count {
  key: string;
  count: number;
  firstTime?: string;
  lastTime?: string;
  firstMs: number;
  lastMs: number;
}

export interface CallerCount extends Count {
  label: string;
  type: string;
}

export interface SourceCount extends Count {
  source: SourceClass;
}

const DIMENSIONS = ['callers', 'sources', 'accessKeys', 'eventNames', 'errorCodes'] as const;
type Dimension = (typeof DIMENSIONS)[number];

/** One dimension of an aggregate as it crosses between threads: parallel arrays, one entry per value. */
export interface WireCounts {
  keys: string[];
  counts: number[];
  firstMs: number[];
  firstTimes: (string | null)[];
  lastMs: number[];
  lastTimes: (string | null)[];
  /** Callers only: label and type of each key. */
  labels?: string[];
  types?: string[];
}

export interface WireAggregate {
  events: number;
  firstMs: number;
  lastMs: number;
  counts: Record<Dimension, WireCounts>;
  /** When rules were given: what the aggregate's events made. */
  detections?: RecordMatches;
}

/** Rules matched on the same records as they are counted (see detections/detectionRun.ts). */
export interface DetectionSink {
  add(records: readonly CloudTrailRecord[]): void;
  toWire(): RecordMatches;
}

/** Takes each batch's findings and hits (see detections/detectionRun.ts). */
export interface DetectionMerge {
  merge(m: RecordMatches): void;
}

interface Entry {
  count: number;
  firstMs: number;
  firstTime: string | null;
  lastMs: number;
  lastTime: string | null;
  label?: string;
  type?: string;
}

function bumpEntry(map: Map<string, Entry>, key: string, time: string | null, ms: number, extra?: { label: string; type: string }): void {
  let e = map.get(key);
  if (!e) {
    e = { count: 0, firstMs: NaN, firstTime: null, lastMs: NaN, lastTime: null };
    if (extra) {
      e.label = extra.label;
      e.type = extra.type;
    }
    map.set(key, e);
  }
  e.count++;
  if (!Number.isNaN(ms)) {
    if (Number.isNaN(e.firstMs) || ms < e.firstMs) {
      e.firstMs = ms;
      e.firstTime = time;
    }
    if (Number.isNaN(e.lastMs) || ms > e.lastMs) {
      e.lastMs = ms;
      e.lastTime = time;
    }
  }
}

/** The values one event is counted under, in each dimension (undefined: not counted there). */
function valuesOf(r: CloudTrailRecord): { caller: { key: string; label: string; type: string }; values: Record<Exclude<Dimension, 'callers'>, string | undefined>; time: string | null } {
  const key = r.userIdentity?.accessKeyId;
  return {
    caller: callerOf(r),
    values: {
      sources: typeof r.sourceIPAddress === 'string' ? r.sourceIPAddress : undefined,
      accessKeys: typeof key === 'string' && key !== '' ? key : undefined,
      eventNames: recordEventName(r),
      errorCodes: typeof r.errorCode === 'string' ? r.errorCode : undefined,
    },
    time: typeof r.eventTime === 'string' ? r.eventTime : null,
  };
}

/** Counts of some events (a worker's batch of files), ready to cross to the thread that merges them. */
export class SummaryAggregate {
  private readonly maps: Record<Dimension, Map<string, Entry>> = { callers: new Map(), sources: new Map(), accessKeys: new Map(), eventNames: new Map(), errorCodes: new Map() };
  events = 0;
  firstMs = NaN;
  lastMs = NaN;

  /** `counts` false: only the rules run (and events are counted), for `detect`. */
  constructor(
    private readonly detections?: DetectionSink,
    private readonly counts = true,
  ) {}

  add(records: readonly CloudTrailRecord[]): void {
    this.detections?.add(records);
    if (!this.counts) {
      this.events += records.length;
      return;
    }
    for (const r of records) {
      const { caller, values, time } = valuesOf(r);
      const ms = parseCloudTrailTime(time);
      this.events++;
      if (!Number.isNaN(ms)) {
        if (Number.isNaN(this.firstMs) || ms < this.firstMs) this.firstMs = ms;
        if (Number.isNaN(this.lastMs) || ms > this.lastMs) this.lastMs = ms;
      }
      bumpEntry(this.maps.callers, caller.key, time, ms, caller);
      if (values.sources !== undefined) bumpEntry(this.maps.sources, values.sources, time, ms);
      if (values.accessKeys !== undefined) bumpEntry(this.maps.accessKeys, values.accessKeys, time, ms);
      if (values.eventNames !== undefined) bumpEntry(this.maps.eventNames, values.eventNames, time, ms);
      if (values.errorCodes !== undefined) bumpEntry(this.maps.errorCodes, values.errorCodes, time, ms);
    }
  }

  toWire(): WireAggregate {
    const counts = {} as Record<Dimension, WireCounts>;
    for (const d of DIMENSIONS) {
      const w: WireCounts = { keys: [], counts: [], firstMs: [], firstTimes: [], lastMs: [], lastTimes: [] };
      if (d === 'callers') {
        w.labels = [];
        w.types = [];
      }
      for (const [key, e] of this.maps[d]) {
        w.keys.push(key);
        w.counts.push(e.count);
        w.firstMs.push(e.firstMs);
        w.firstTimes.push(e.firstTime);
        w.lastMs.push(e.lastMs);
        w.lastTimes.push(e.lastTime);
        w.labels?.push(e.label ?? '');
        w.types?.push(e.type ?? '');
      }
      counts[d] = w;
    }
    return { events: this.events, firstMs: this.firstMs, lastMs: this.lastMs, counts, detections: this.detections?.toWire() };
  }
}

/** The eventIDs of a file's records, in order (null for a record without one). */
export function eventIdsOf(records: readonly CloudTrailRecord[]): (string | null)[] {
  return records.map((r) => (typeof r.eventID === 'string' ? r.eventID : null));
}

/**
 * A fingerprint of an event's content that does not depend on key order (two deliveries of one
 * event compare equal however a writer ordered the keys). Records are at most MAX_JSON_DEPTH deep.
 */
export function contentFingerprint(record: unknown): string {
  const hash = createHash('sha1');
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== 'object') {
      hash.update(JSON.stringify(v) ?? 'undefined');
    } else if (Array.isArray(v)) {
      hash.update('[');
      for (const item of v) {
        walk(item);
        hash.update(',');
      }
      hash.update(']');
    } else {
      hash.update('{');
      for (const key of Object.keys(v).sort()) {
        hash.update(JSON.stringify(key));
        hash.update(':');
        walk((v as Record<string, unknown>)[key]);
        hash.update(',');
      }
      hash.update('}');
    }
  };
  walk(record);
  return hash.digest('base64');
}

/** Where an event was: its file (in the order given to `addFile`) times this, plus its place in the file. */
const FILE_SHIFT = 2 ** 28;

/**
 * The records at some places of a file, read again; undefined when the file can no longer be read
 * (then its repeats are counted as distinct events and `uncompared` says how many).
 */
export type RecordReader = (file: string, places: readonly number[]) => Map<number, CloudTrailRecord> | undefined | Promise<Map<number, CloudTrailRecord> | undefined>;

/** Merges aggregates of many files into counts per caller, source IP, access key, event name and error code. */
export class SummaryCounter {
  readonly callers = new Map<string, CallerCount>();
  readonly sources = new Map<string, SourceCount>();
  readonly accessKeys = new Map<string, Count>();
  readonly eventNames = new Map<string, Count>();
  readonly errorCodes = new Map<string, Count>();
  /** The first place of each eventID. */
  private readonly firstAt = new Map<string, number>();
  /** Places of repeated eventIDs (counted for now; `settle` takes identical ones out). */
  private readonly repeats: { id: string; at: number }[] = [];
  private readonly files: string[] = [];
  private readonly conflicting = new Set<string>();
  /** Repeats whose file could not be read again to compare them: counted as distinct events. */
  uncompared = 0;
  events = 0;
  duplicatesFolded = 0;
  firstMs = NaN;
  lastMs = NaN;

  /**
   * With rules: `rules` crosses to the workers (compiled there), `newBatch` makes the matcher of
   * records counted in this thread, and every batch's findings go to `detections`.
   */
  constructor(readonly detect?: { rules: RulesPayload; newBatch: () => DetectionSink; detections: DetectionMerge; counts?: boolean }) {}

  /** False when only the findings are wanted: no counts, no eventIDs kept (repeats are folded by the findings' own eventIDs). */
  get counts(): boolean {
    return this.detect?.counts !== false;
  }

  private map(d: Dimension): Map<string, Count> {
    return this[d] as Map<string, Count>;
  }

  /** Notes a counted file's eventIDs (in file order: the first file that holds an eventID holds its original). */
  addFile(file: string, ids: readonly (string | null)[]): void {
    const base = (this.files.push(file) - 1) * FILE_SHIFT;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id === null) continue;
      if (this.firstAt.has(id)) this.repeats.push({ id, at: base + i });
      else this.firstAt.set(id, base + i);
    }
  }

  /** Adds the counts of some events (those of files given to `addFile`). */
  merge(a: WireAggregate): void {
    if (a.detections) this.detect?.detections.merge(a.detections);
    this.events += a.events;
    if (!Number.isNaN(a.firstMs) && (Number.isNaN(this.firstMs) || a.firstMs < this.firstMs)) this.firstMs = a.firstMs;
    if (!Number.isNaN(a.lastMs) && (Number.isNaN(this.lastMs) || a.lastMs > this.lastMs)) this.lastMs = a.lastMs;
    for (const d of DIMENSIONS) {
      const w = a.counts[d];
      const map = this.map(d);
      for (let i = 0; i < w.keys.length; i++) {
        const key = w.keys[i];
        let c = map.get(key);
        if (!c) {
          const blank: Count = { key, count: 0, firstMs: NaN, lastMs: NaN };
          c = d === 'callers' ? ({ ...blank, label: w.labels![i], type: w.types![i] } as CallerCount) : d === 'sources' ? ({ ...blank, source: classifySource(key) } as SourceCount) : blank;
          map.set(key, c);
        }
        c.count += w.counts[i];
        const first = w.firstMs[i];
        if (!Number.isNaN(first) && (Number.isNaN(c.firstMs) || first < c.firstMs)) {
          c.firstMs = first;
          c.firstTime = w.firstTimes[i] ?? undefined;
        }
        const last = w.lastMs[i];
        if (!Number.isNaN(last) && (Number.isNaN(c.lastMs) || last > c.lastMs)) {
          c.lastMs = last;
          c.lastTime = w.lastTimes[i] ?? undefined;
        }
      }
    }
  }

  /**
   * Compares every repeated eventID with the earlier events under it (reading again only the
   * files involved) and takes identical repeats out of the counts. Call once, after the last file.
   */
  async settle(read: RecordReader, signal?: AbortSignal): Promise<void> {
    if (this.repeats.length === 0) return;
    const wanted = new Map<number, Set<number>>();
    const want = (at: number): void => {
      const file = Math.floor(at / FILE_SHIFT);
      let places = wanted.get(file);
      if (!places) wanted.set(file, (places = new Set()));
      places.add(at % FILE_SHIFT);
    };
    for (const r of this.repeats) {
      want(r.at);
      want(this.firstAt.get(r.id)!);
    }
    // Fingerprints only (the records are not kept), and the records of repeats that may be taken out.
    const prints = new Map<number, string>();
    const repeatAt = new Set(this.repeats.map((r) => r.at));
    const repeatRecords = new Map<number, CloudTrailRecord>();
    for (const [file, places] of [...wanted].sort((a, b) => a[0] - b[0])) {
      signal?.throwIfAborted();
      const found = await read(this.files[file], [...places].sort((a, b) => a - b));
      for (const [place, record] of found ?? []) {
        const at = file * FILE_SHIFT + place;
        prints.set(at, contentFingerprint(record));
        if (repeatAt.has(at)) repeatRecords.set(at, record);
      }
    }
    const distinct = new Map<string, (string | undefined)[]>();
    for (const r of this.repeats) {
      let list = distinct.get(r.id);
      if (!list) distinct.set(r.id, (list = [prints.get(this.firstAt.get(r.id)!)]));
      const print = prints.get(r.at);
      if (print !== undefined && list.includes(print)) {
        this.duplicatesFolded++;
        this.takeOut(repeatRecords.get(r.at)!);
        continue;
      }
      if (print === undefined || list[0] === undefined) this.uncompared++;
      else this.conflicting.add(r.id);
      list.push(print);
    }
    this.repeats.length = 0;
  }

  /** Takes one identical repeat out of the counts: an event just like it stays counted. */
  private takeOut(record: CloudTrailRecord): void {
    const { caller, values } = valuesOf(record);
    this.events--;
    const down = (d: Dimension, key: string | undefined): void => {
      const c = key === undefined ? undefined : this.map(d).get(key);
      if (c) c.count--;
    };
    down('callers', caller.key);
    for (const d of ['sources', 'accessKeys', 'eventNames', 'errorCodes'] as const) down(d, values[d]);
  }

  get conflictingEventIds(): string[] {
    return [...this.conflicting];
  }
}
