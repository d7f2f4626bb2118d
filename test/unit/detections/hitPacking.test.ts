// Correlation hits packed into columns in the worker's batch and merged at the end: a finding must
// read exactly as if every hit had been kept whole, whatever the eventIDs and times look like, and
// in whatever batches the events arrived.
import * as assert from 'node:assert/strict';
import { DetectionBatch, DetectionMerger } from '../../../src/core/detections/detectionRun';
import type { Finding } from '../../../src/core/detections/types';
import type { CloudTrailRecord } from '../../../src/core/events/records';
import { record } from '../../fixtures/records';
import { compile } from './engineHelpers';

const RULES = [
  `title: Denied call
id: denied-call
name: denied_call
level: low
logsource: {product: aws, service: cloudtrail}
detection:
  selection:
    errorCode|exists: true
  condition: selection
`,
  `title: Burst of denied calls
id: denied-burst
level: high
correlation:
  type: event_count
  rules: [denied_call]
  group-by: [userIdentity.arn]
  timespan: 1h
  condition: {gte: 2}
`,
  `title: Many kinds of denied calls
id: denied-kinds
level: medium
correlation:
  type: value_count
  rules: [denied_call]
  group-by: [userIdentity.arn, awsRegion]
  timespan: 1h
  condition: {field: eventName, gte: 3}
`,
];

function denied(eventTime: string, eventID: string, extra: Partial<CloudTrailRecord> = {}): CloudTrailRecord {
  return record({ eventTime, eventID, errorCode: 'AccessDenied', userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice' }, ...extra });
}

/** The findings as `detect` and an ingest make them: each batch matched on its own, then merged. */
function inBatches(batches: CloudTrailRecord[][]): Finding[] {
  const set = compile(RULES);
  const merger = new DetectionMerger(set);
  for (const records of batches) {
    const batch = new DetectionBatch(set);
    batch.add(records);
    // As it crosses threads: the typed arrays are copied, nothing else survives.
    merger.merge(structuredClone(batch.toWire()));
  }
  // Without the who-and-where a merger adds from a finding's group (a document's index adds its own).
  return merger.findings().map(({ event: _event, ...f }) => f);
}

/** The findings as a document makes them: every hit kept as it was matched. */
function whole(records: CloudTrailRecord[]): Finding[] {
  const set = compile(RULES);
  return set.correlate(records.flatMap((r) => set.match(r).hits));
}

const burst = (findings: Finding[]): Finding | undefined => findings.find((f) => f.ruleId === 'denied-burst');

describe('correlation hits packed across threads', () => {
  it('gives back every eventID and time as written: UUIDs, other IDs, times with fractions or in other forms', () => {
    const events = [
      denied('2026-11-01T10:00:00Z', '3038ebd2-c98a-4c65-9b6e-e22506292313'),
      denied('2026-11-01T10:00:01Z', '3038EBD2-C98A-4C65-9B6E-E22506292313'),
      denied('2026-11-01T10:00:02.250Z', 'not-a-uuid-but-36-characters-long-xx'),
      denied('2026-11-01 10:00:03.000', 'ev-4'),
      denied('20261101T100004Z', '3038ebd2-c98a-4c65-9b6e-e2250629231g'),
      denied('2026-11-01T10:00:05+00:00', 'ümlaut-\u2028-id'),
      denied('2026-11-01T10:00:06Z', ''),
    ];
    const f = burst(inBatches([events.slice(0, 3), events.slice(3)]));
    assert.ok(f);
    assert.deepEqual(f.eventIds, events.map((e) => e.eventID));
    assert.equal(f.firstTime, '2026-11-01T10:00:00Z');
    assert.equal(f.lastTime, '2026-11-01T10:00:06Z');
    assert.equal(f.correlation?.count, 7);
    assert.deepEqual(f.outcome, { status: 'attempted', errorCode: 'AccessDenied' });
    const last = burst(inBatches([[events[0], events[1], events[2]]]));
    assert.equal(last?.lastTime, '2026-11-01T10:00:02.250Z');
    assert.deepEqual(inBatches([events.slice(0, 3), events.slice(3)]), whole(events));
  });

  it('counts an event delivered in two batches once, and orders events of the same second by eventID', () => {
    const a = denied('2026-11-01T10:00:00Z', 'cccccccc-0000-4000-8000-000000000000');
    const b = denied('2026-11-01T10:00:00Z', 'aaaaaaaa-0000-4000-8000-000000000000');
    const c = denied('2026-11-01T10:00:00Z', 'ev-b');
    const d = denied('2026-11-01T10:05:00Z', 'bbbbbbbb-0000-4000-8000-000000000000');
    const f = burst(inBatches([[a, c, d], [b, a], [d]]));
    assert.ok(f);
    assert.deepEqual(f.eventIds, ['aaaaaaaa-0000-4000-8000-000000000000', 'cccccccc-0000-4000-8000-000000000000', 'ev-b', 'bbbbbbbb-0000-4000-8000-000000000000']);
    assert.equal(f.correlation?.count, 4);
    assert.deepEqual(inBatches([[b, a], [d], [a, c, d]]), inBatches([[a, c, d], [b, a], [d]]));
  });

  it('counts distinct values per group of two fields, and events without an eventID each once', () => {
    const names = ['ListUsers', 'ListRoles', 'ListRoles', 'GetUser'];
    const inRegion = (region: string, id: string, i: number): CloudTrailRecord => denied(`2026-11-01T10:0${i}:00Z`, id, { awsRegion: region, eventName: names[i] });
    const east = names.map((_, i) => inRegion('us-east-1', '', i));
    const west = names.slice(0, 2).map((_, i) => inRegion('eu-west-1', `w-${i}`, i));
    const findings = inBatches([[...east.slice(0, 2), ...west], east.slice(2)]);
    const kinds = findings.filter((f) => f.ruleId === 'denied-kinds');
    assert.equal(kinds.length, 1);
    assert.deepEqual(kinds[0].correlation?.groupBy, { 'userIdentity.arn': 'arn:aws:iam::111122223333:user/alice', awsRegion: 'us-east-1' });
    assert.equal(kinds[0].correlation?.count, 3);
    // The four us-east-1 events have no eventID: each counts, with the two of eu-west-1.
    assert.equal(burst(findings)?.correlation?.count, 6);
    assert.deepEqual(findings, whole([...east, ...west]).sort((x, y) => (x.firstTime ?? '').localeCompare(y.firstTime ?? '') || x.ruleId.localeCompare(y.ruleId)));
  });
});
