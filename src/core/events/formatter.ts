import { isDeepStrictEqual } from 'node:util';
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
 * Merges the events of several inputs into one list sorted by eventTime (stable: equal times keep
 * their input order), folding repeats of the same eventID. CloudTrail may deliver an event twice;
 * two different events under one eventID are not folded, because hiding either could hide tampering.
 */
export function mergeEvents(inputs: readonly (readonly CloudTrailRecord[])[]): MergedEvents {
  const seen = new Map<string, CloudTrailRecord[]>();
  const kept: { record: CloudTrailRecord; time: number; order: number }[] = [];
  let duplicatesFolded = 0;
  const conflicting = new Set<string>();
  let order = 0;
  for (const records of inputs) {
    for (const record of records) {
      const id = typeof record.eventID === 'string' ? record.eventID : undefined;
      if (id !== undefined) {
        const earlier = seen.get(id);
        if (earlier) {
          if (earlier.some((e) => isDeepStrictEqual(e, record))) {
            duplicatesFolded++;
            continue;
          }
          conflicting.add(id);
          earlier.push(record);
        } else {
          seen.set(id, [record]);
        }
      }
      const time = parseCloudTrailTime(record.eventTime);
      kept.push({ record, time: Number.isNaN(time) ? Number.POSITIVE_INFINITY : time, order: order++ });
    }
  }
  kept.sort((a, b) => a.time - b.time || a.order - b.order);
  return { records: kept.map((k) => k.record), duplicatesFolded, conflictingEventIds: [...conflicting] };
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
  return restoreLongNumbers(JSON.stringify({ Records: records }, null, 2)) + '\n';
}
