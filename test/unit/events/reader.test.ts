import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { EventReadError, parseEventsText, readEvents } from '../../../src/core/events/reader';
import { invictusDir } from '../../fixtures/paths';
import { record } from '../../fixtures/records';

async function rejection(promise: Promise<unknown>): Promise<EventReadError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof EventReadError, `expected an EventReadError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the read to fail');
}

describe('reader: CloudTrail inputs of every shape', () => {
  it('reads every real log file of the Invictus dataset, plain and gzip, with the same records', async () => {
    const files = readdirSync(invictusDir).filter((f) => f.endsWith('.json'));
    assert.equal(files.length, 55);
    let total = 0;
    for (const f of files) {
      const bytes = readFileSync(path.join(invictusDir, f));
      const plain = await readEvents(bytes, f);
      const zipped = await readEvents(gzipSync(bytes), `${f}.gz`);
      assert.equal(plain.format, 'log-file');
      assert.deepEqual(zipped.records, plain.records);
      total += plain.records.length;
    }
    assert.equal(total, 2900);
  });

  it('recognises gzip by its magic bytes, not by the name', async () => {
    const bytes = gzipSync(JSON.stringify({ Records: [record()] }));
    const result = await readEvents(bytes, 'misnamed.json');
    assert.equal(result.records.length, 1);
    assert.equal(result.storedBytes, bytes.length);
  });

  it('refuses a truncated gzip file, naming the file and saying what to do', async () => {
    const bytes = gzipSync(JSON.stringify({ Records: [record(), record()] }));
    const error = await rejection(readEvents(bytes.subarray(0, bytes.length - 20), 'logs/a.json.gz'));
    assert.match(error.message, /^logs\/a\.json\.gz: the gzip data ends early: the file is truncated after \d+ bytes\. Download or copy it again$/);
  });

  it('refuses corrupt gzip data', async () => {
    const bytes = Buffer.from(gzipSync('{"Records":[]}'));
    bytes[12] ^= 0xff;
    const error = await rejection(readEvents(bytes, 'bad.json.gz'));
    assert.match(error.message, /bad\.json\.gz: the gzip data is corrupt/);
  });

  it('refuses data that inflates beyond the limit instead of exhausting memory', async () => {
    const bomb = gzipSync(Buffer.alloc(5 * 1024 * 1024, 32));
    const error = await rejection(readEvents(bomb, 'bomb.json.gz', { maxTextBytes: 1024 * 1024 }));
    assert.match(error.message, /inflates to more than 1\.0 MB/);
  });

  it('names the line and column of invalid JSON', async () => {
    const text = '{\n  "Records": [\n    {"eventVersion": "1.08", "eventTime": "x",}\n  ]\n}';
    const error = await rejection(readEvents(Buffer.from(text), 'broken.json'));
    assert.equal(error.position?.line, 3);
    assert.equal(error.position?.column, 47);
    assert.match(error.message, /^broken\.json: invalid JSON: \w+ \(line 3, column 47\)$/);
  });

  it('says a JSON file that is not CloudTrail is not, listing what it found', async () => {
    const error = await rejection(readEvents(Buffer.from('{"name":"x","version":"1.0.0","dependencies":{}}'), 'package.json'));
    assert.match(error.message, /package\.json: it is JSON but not CloudTrail events.*found an object with keys name, version, dependencies/);
  });

  it('refuses a log file with one element that is not an event, naming it (never a partial view)', async () => {
    const error = await rejection(readEvents(Buffer.from(JSON.stringify({ Records: [record(), { hello: 1 }] })), 'mixed.json'));
    assert.match(error.message, /mixed\.json: Records\[1\] is not a CloudTrail event/);
  });

  it('reads NDJSON and names the bad line of a broken one', async () => {
    const lines = [record(), record(), record()].map((r) => JSON.stringify(r));
    const ok = await readEvents(Buffer.from(lines.join('\n') + '\n'), 'events.ndjson');
    assert.equal(ok.format, 'ndjson');
    assert.equal(ok.records.length, 3);
    lines[1] = lines[1].slice(0, 40);
    const error = await rejection(readEvents(Buffer.from(lines.join('\n')), 'events.ndjson'));
    assert.match(error.message, /events\.ndjson: NDJSON line 2: invalid JSON/);
    assert.equal(error.position?.line, 2);
  });

  it('reads LookupEvents output (CloudTrailEvent strings), its bare Events array, and rejects a bad inner event', async () => {
    const events = [record({ eventName: 'StopLogging' }), record()].map((r) => ({ EventId: r.eventID, EventName: r.eventName, CloudTrailEvent: JSON.stringify(r) }));
    const wrapped = await readEvents(Buffer.from(JSON.stringify({ Events: events })), 'lookup.json');
    assert.equal(wrapped.format, 'lookup-events');
    assert.equal(wrapped.records[0].eventName, 'StopLogging');
    const bare = await readEvents(Buffer.from(JSON.stringify(events)), 'lookup-array.json');
    assert.equal(bare.format, 'lookup-events');
    events[1].CloudTrailEvent = '{"not":"an event"}';
    const error = await rejection(readEvents(Buffer.from(JSON.stringify({ Events: events })), 'lookup.json'));
    assert.match(error.message, /Events\[1\]\.CloudTrailEvent is not a CloudTrail event/);
  });

  it('reads CloudTrail Lake query rows into records', () => {
    const rows = {
      QueryStatus: 'FINISHED',
      QueryResultRows: [
        [{ eventID: 'e1' }, { eventTime: '2026-11-01 10:00:00.000' }, { eventName: 'ConsoleLogin' }, { userIdentity: '{"type":"IAMUser","userName":"alice"}' }],
        [{ eventID: 'e2' }, { eventTime: '2026-11-01 09:00:00.000' }, { eventName: 'GetUser' }],
      ],
    };
    const result = parseEventsText(JSON.stringify(rows), 'lake.json');
    assert.equal(result.format, 'lake-rows');
    assert.equal(result.records[0].eventName, 'ConsoleLogin');
    assert.deepEqual(result.records[0].userIdentity, { type: 'IAMUser', userName: 'alice' });
  });

  it('reads arrays of records, a single record, Insights records and eventVersion 1.0 to 1.11', () => {
    const versions = ['1.0', '1.01', '1.05', '1.09', '1.10', '1.11'];
    const array = parseEventsText(JSON.stringify(versions.map((v) => record({ eventVersion: v }))), 'a.json');
    assert.equal(array.format, 'record-array');
    assert.deepEqual(array.records.map((r) => r.eventVersion), versions);
    const insight = {
      eventVersion: '1.08',
      eventTime: '2026-11-01T10:00:00Z',
      awsRegion: 'us-east-1',
      eventID: 'i-1',
      eventType: 'AwsCloudTrailInsight',
      recipientAccountId: '111122223333',
      sharedEventID: 's-1',
      insightDetails: { state: 'Start', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', insightType: 'ApiCallRateInsight' },
      eventCategory: 'Insight',
    };
    const single = parseEventsText(JSON.stringify(insight), 'insight.json');
    assert.equal(single.format, 'single-record');
    assert.equal(single.records[0].insightDetails?.eventName, 'RunInstances');
  });

  it('keeps unknown fields as they are, long integers included', () => {
    const text = '{"Records":[{"eventVersion":"1.11","eventTime":"2026-11-01T10:00:00Z","eventName":"X","futureField":{"a":[1,2]},"requestParameters":{"big":12345678901234567891,"note":"id 12345678901234567891"}}]}';
    const result = parseEventsText(text, 'x.json');
    const r = result.records[0];
    assert.deepEqual(r.futureField, { a: [1, 2] });
    assert.equal((r.requestParameters as { note: string }).note, 'id 12345678901234567891');
  });

  it('says an empty file is empty', () => {
    assert.throws(() => parseEventsText('  \n', 'empty.json'), /empty\.json: the file is empty/);
  });
});
