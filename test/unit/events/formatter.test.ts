import * as assert from 'node:assert/strict';
import { formatEvents, mergeEvents } from '../../../src/core/events/formatter';
import { parseEventsText } from '../../../src/core/events/reader';
import { record } from '../../fixtures/records';

describe('formatter: one sorted, valid JSON document', () => {
  it('sorts by eventTime across inputs, keeping input order for equal times', () => {
    const a = record({ eventTime: '2026-11-01T10:05:00Z', eventName: 'A' });
    const b = record({ eventTime: '2026-11-01T10:00:00Z', eventName: 'B' });
    const c = record({ eventTime: '2026-11-01T10:05:00Z', eventName: 'C' });
    const noTime = record({ eventTime: undefined, eventName: 'D' });
    const merged = mergeEvents([[a, noTime], [b, c]]);
    assert.deepEqual(merged.records.map((r) => r.eventName), ['B', 'A', 'C', 'D']);
  });

  it('folds repeated events with the same eventID, and keeps (and reports) different events that share one', () => {
    const a = record();
    const twin = JSON.parse(JSON.stringify(a));
    const impostor = { ...JSON.parse(JSON.stringify(a)), eventName: 'DeleteTrail' };
    const merged = mergeEvents([[a], [twin, impostor]]);
    assert.equal(merged.records.length, 2);
    assert.equal(merged.duplicatesFolded, 1);
    assert.deepEqual(merged.conflictingEventIds, [a.eventID]);
  });

  it('writes valid JSON whose Records are the events, one pretty-printed block each', () => {
    const records = [record(), record({ eventName: 'RunInstances', readOnly: false })];
    const text = formatEvents(records);
    assert.deepEqual(JSON.parse(text).Records, records);
    const lines = text.split('\n');
    assert.equal(lines[0], '{');
    assert.equal(lines[1], '  "Records": [');
    assert.equal(lines[2], '    {');
    assert.equal(lines[3], '      "eventVersion": "1.09",');
    assert.equal(formatEvents([]), '{\n  "Records": []\n}\n');
  });

  it('writes long integers back exactly as the input had them', () => {
    const input = '{"Records":[{"eventVersion":"1.11","eventTime":"2026-11-01T10:00:00Z","eventName":"X","requestParameters":{"big":12345678901234567891,"small":1.5}}]}';
    const text = formatEvents(parseEventsText(input, 'x').records);
    assert.match(text, /"big": 12345678901234567891,/);
    assert.match(text, /"small": 1\.5/);
  });
});
