import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { summarize } from '../../src/core/cli/summarize';
import { SummaryAggregate, SummaryCounter, eventIdsOf } from '../../src/core/events/eventSummary';
import { invictusDir } from '../fixtures/paths';
import { record } from '../fixtures/records';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await summarize(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('cloudtrail-lens summarize', () => {
  it('counts the real dataset per caller, IP, key, event name and error code (--json)', async () => {
    const { code, out } = await run([invictusDir, '--json']);
    assert.equal(code, 0);
    const s = JSON.parse(out);
    assert.equal(s.filesRead, 55);
    assert.equal(s.eventsRead, 2900);
    assert.equal(s.firstEventTime, '2023-07-10T11:42:18Z');
    assert.equal(s.lastEventTime, '2023-07-10T12:37:50Z');
    assert.deepEqual(s.callers[0], { key: 'arn:aws:iam::123837392027:user/bert-jan', label: 'bert-jan', type: 'IAMUser', count: 2641, first: '2023-07-10T11:54:33Z', last: '2023-07-10T12:34:46Z' });
    assert.equal(s.sourceIPAddresses[0].key, '192.168.10.20');
    assert.equal(s.errorCodes[0].key, 'ThrottlingException');
    assert.equal(s.errorCodes[0].count, 102);
  });

  it('reads what it can, names each rejected file with its reason, and exits 1', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'summarize-'));
    writeFileSync(path.join(dir, 'good.json.gz'), gzipSync(JSON.stringify({ Records: [record(), record()] })));
    writeFileSync(path.join(dir, 'truncated.json.gz'), gzipSync(JSON.stringify({ Records: [record()] })).subarray(0, 30));
    writeFileSync(path.join(dir, 'other.json'), '{"hello": "world"}');
    writeFileSync(path.join(dir, '111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20261101T000000Z.json.gz'), gzipSync('{}'));
    const { code, out } = await run([dir]);
    assert.equal(code, 1);
    assert.match(out, /^Files read: 1 \(0\.0 MB\), events read: 2, distinct events: 2 \(0 duplicates folded\), files rejected: 2, files skipped: 1/);
    assert.match(out, /Rejected: .*other\.json: it is JSON but not CloudTrail events/);
    assert.match(out, /Rejected: .*truncated\.json\.gz: the gzip data ends early/);
    assert.match(out, /Callers \(1\)\n.*\n\s+2\s+2026-11-01T10:00:00Z\s+2026-11-01T10:00:00Z\s+alice \(IAMUser\)/);
  });

  it('exits 2 on usage errors and when nothing can be read', async () => {
    assert.equal((await run([])).code, 2);
    assert.equal((await run(['--top', 'x', invictusDir])).code, 2);
    const missing = await run(['/nonexistent/folder']);
    assert.equal(missing.code, 2);
    assert.match(missing.out, /Rejected: \/nonexistent\/folder: no such file or folder/);
  });

  describe('repeated eventIDs', () => {
    // 20 files (enough for the worker threads) and the first 3 of them alone (read in this thread).
    const dir = mkdtempSync(path.join(tmpdir(), 'summarize-repeats-'));
    const a = record({ sourceIPAddress: '203.0.113.1', eventTime: '2026-11-01T09:00:00Z' });
    const b = record({ eventName: 'RunInstances', errorCode: 'AccessDenied' });
    const c = record({ sourceIPAddress: '203.0.113.9' });
    // The same event delivered again with its keys in another order: a duplicate.
    const aAgain = Object.fromEntries(Object.entries(a).reverse());
    // The same eventID with other content (a different address): two events, reported.
    const bForged = { ...b, sourceIPAddress: '192.0.2.66', eventTime: '2026-11-01T23:00:00Z' };
    const files: Record<string, unknown[]> = { 'f00.json': [a, b], 'f01.json': [c, c], 'f02.json': [aAgain, record()] };
    for (let i = 3; i < 20; i++) files[`f${String(i).padStart(2, '0')}.json`] = i === 11 ? [bForged, a] : [record()];
    for (const [name, records] of Object.entries(files)) writeFileSync(path.join(dir, name), JSON.stringify({ Records: records }));
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('folds identical repeats (in one file and across files, whatever the key order) and counts a different event under the same eventID', async () => {
      const { code, out } = await run([dir, '--json']);
      assert.equal(code, 0);
      const s = JSON.parse(out);
      assert.equal(s.eventsRead, 24);
      // a twice more and c once more are duplicates; bForged is a second event under b's eventID.
      assert.equal(s.duplicatesFolded, 3);
      assert.equal(s.events, 21);
      assert.deepEqual(s.conflictingEventIds, [b.eventID]);
      const ips = Object.fromEntries(s.sourceIPAddresses.map((r: { key: string; count: number }) => [r.key, r.count]));
      assert.deepEqual(ips, { '198.51.100.7': 18, '203.0.113.1': 1, '203.0.113.9': 1, '192.0.2.66': 1 });
      assert.equal(s.firstEventTime, '2026-11-01T09:00:00Z');
      assert.equal(s.lastEventTime, '2026-11-01T23:00:00Z');
      assert.deepEqual(s.errorCodes.map((r: { key: string; count: number }) => [r.key, r.count]), [['AccessDenied', 2]]);
      const text = await run([dir]);
      assert.match(text.out, /distinct events: 21 \(3 duplicates folded\)/);
      assert.match(text.out, new RegExp(`Warning: 1 eventID\\(s\\) appear with different content: ${b.eventID}`));
    });

    it('counts the same without worker threads (few files)', async () => {
      const s = JSON.parse((await run([path.join(dir, 'f00.json'), path.join(dir, 'f01.json'), path.join(dir, 'f02.json'), '--json'])).out);
      assert.equal(s.eventsRead, 6);
      assert.equal(s.duplicatesFolded, 2);
      assert.equal(s.events, 4);
      assert.deepEqual(s.conflictingEventIds, []);
    });

    it('counts a repeat whose file cannot be read again as distinct, and says how many', async () => {
      const counter = new SummaryCounter();
      for (const [name, records] of [['x', [a]], ['y', [aAgain]]] as const) {
        const here = new SummaryAggregate();
        here.add(records);
        counter.addFile(name, eventIdsOf(records));
        counter.merge(here.toWire());
      }
      await counter.settle((file) => (file === 'x' ? new Map([[0, a]]) : undefined));
      assert.equal(counter.events, 2);
      assert.equal(counter.duplicatesFolded, 0);
      assert.equal(counter.uncompared, 1);
      assert.equal(counter.sources.get('203.0.113.1')?.count, 2);
    });
  });
});

