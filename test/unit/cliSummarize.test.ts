import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { summarize } from '../../src/core/cli/summarize';
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
});
