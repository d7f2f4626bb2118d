import { isDeepStrictEqual } from 'node:util';
import { safeJsonStringify } from '../text/safeText';
import { restoreLongNumbers } from './exactNumbers';
import { parseCloudTrailTime, type CloudTrailRecord } from './records';

export interface MergedEvents {
  /** Sorted by eventTime (events without a readable time last), duplicates folded. */
  records: CloudTrailRecord[];
  /** Events dropped because an identical event with the same eventID came before. */
  duplicatesFolded: number;
  /** eventIDs seen more than once with different content: both are kept, and this says so. */
  conflictingEventIds: string[];
}

/**
 * Folds repeats of the same eventID as records arrive: CloudTrail may deliver an event twice; two
 * different events under one eventID are both kept, because hiding either could hide tampering.
 * Records nest at most MAX_JSON_DEPTH levels (the reader refuses deeper ones), so the comparison's
 * recursion is bounded.
 */
export class EventMerger {
  private readonly seen = new Map<string, CloudTrailRecord | CloudTrailRecord[]>();
  private readonly conflicting = new Set<string>();
  duplicatesFolded = 0;

  /** True when the record is kept (its eventID is new, or it differs from every earlier one). */
  add(record: CloudTrailRecord): boolean {
    const id = typeof record.eventID === 'string' ? record.eventID : undefined;
    if (id === undefined) return true;
    const earlier = this.seen.get(id);
    if (earlier === undefined) {
      this.seen.set(id, record);
      return true;
    }
    const list = Array.isArray(earlier) ? earlier : [earlier];
    if (list.some((e) => isDeepStrictEqual(e, record))) {
      this.duplicatesFolded++;
      return false;
    }
    this.conflicting.add(id);
    this.seen.set(id, [...list, record]);
    return true;
  }

  get conflictingEventIds(): string[] {
    return [...this.conflicting];
  }
}

/**
 * Merges the events of several inputs into one list sorted by eventTime (stable: equal times keep
 * their input order), folding repeats of the same eventID (see EventMerger).
 */
export function mergeEvents(inputs: readonly (readonly CloudTrailRecord[])[]): MergedEvents {
  const merger = new EventMerger();
  const kept: { record: CloudTrailRecord; time: number; order: number }[] = [];
  let order = 0;
  for (const records of inputs) {
    for (const record of records) {
      if (!merger.add(record)) continue;
      const time = parseCloudTrailTime(record.eventTime);
      kept.push({ record, time: Number.isNaN(time) ? Number.POSITIVE_INFINITY : time, order: order++ });
    }
  }
  kept.sort((a, b) => a.time - b.time || a.order - b.order);
  return { records: kept.map((k) => k.record), duplicatesFolded: merger.duplicatesFolded, conflictingEventIds: merger.conflictingEventIds };
}

/**
 * The text of an event document: `{"Records": [...]}` with each event pretty-printed, so the whole
 * document and each event block are valid JSON a user can copy. Long number literals come back
 * exactly as the input had them.
 */
export function formatEvents(records: readonly CloudTrailRecord[]): string {
  if (records.length === 0) {
    return '{\n  "Records": []\n}\n';
  }
  // DEL, C1 and bidi controls are written as \uXXXX escapes: the same JSON values, but an event
  // field cannot reorder what the editor shows around it.
  return restoreLongNumbers(safeJsonStringify({ Records: records }, 2)) + '\n';
}
