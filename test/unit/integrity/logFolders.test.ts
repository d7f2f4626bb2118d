// How the Trails view names log files and folders, what "Open Events…" finds in a trail's folders,
// and the time ranges offered for an offline copy.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LocalObjectStore } from '../../../src/core/aws/localObjectStore';
import { rangePresets } from '../../../src/core/integrity/rangePresets';
import { objectRowName, parseLogFolder, parseLogKey } from '../../../src/core/integrity/trailLayout';
import { listTrailLogs, trailLogExtent } from '../../../src/core/store/s3Source';
import { simulateTrail, writeTrailToFolder } from '../../fixtures/simulator';

describe('log folders and rows', () => {
  it('reads the account, region and span of region, year, month and day folders, and nothing else', () => {
    const base = 'team/AWSLogs/o-aa11bb22cc/111122223333/CloudTrail/eu-west-1';
    assert.deepEqual(parseLogFolder(`${base}/`), { prefix: 'team/', organizationId: 'o-aa11bb22cc', accountId: '111122223333', region: 'eu-west-1' });
    assert.deepEqual(parseLogFolder(`${base}/2026/`), { prefix: 'team/', organizationId: 'o-aa11bb22cc', accountId: '111122223333', region: 'eu-west-1', start: Date.UTC(2026, 0, 1), end: Date.UTC(2027, 0, 1) });
    assert.deepEqual(parseLogFolder(`${base}/2026/12/`)?.end, Date.UTC(2027, 0, 1));
    const day = parseLogFolder('AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/30/');
    assert.deepEqual([day?.prefix, day?.organizationId, day?.start, day?.end], ['', undefined, Date.UTC(2026, 10, 30), Date.UTC(2026, 11, 1)]);
    assert.equal(parseLogFolder('AWSLogs/111122223333/CloudTrail/'), undefined);
    assert.equal(parseLogFolder('AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/'), undefined);
    assert.equal(parseLogFolder('AWSLogs/111122223333/CloudTrail/us-east-1/2026/13/'), undefined);
  });

  it('names a log row by its time and region, a digest row as a digest, and leaves other names alone', () => {
    assert.deepEqual(objectRowName('AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01/111122223333_CloudTrail_us-east-1_20261101T0012Z_AbCdEf0123456789.json.gz'), { time: '00:12', region: 'us-east-1', digest: false });
    assert.deepEqual(
      objectRowName('AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2026/11/01/111122223333_CloudTrail-Digest_eu-west-1_main_us-east-1_20261101T235959Z.json.gz'),
      { time: '23:59', region: 'eu-west-1', digest: true },
    );
    assert.equal(objectRowName('AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01/notes.txt'), undefined);
  });

  it('counts the presets back from an offline copy\'s newest time, and from now for a live bucket', () => {
    const now = new Date('2026-12-04T12:00:00Z');
    const newest = new Date('2026-11-01T02:55:00Z');
    const copy = rangePresets(now, newest);
    assert.deepEqual(
      copy.map((p) => [p.label, p.start.toISOString(), p.end.toISOString()]),
      [
        ['Last 24 hours of the copy', '2026-10-31T02:55:00.000Z', '2026-11-01T02:55:00.000Z'],
        ['Last 7 days of the copy', '2026-10-25T02:55:00.000Z', '2026-11-01T02:55:00.000Z'],
        ['Last 30 days of the copy', '2026-10-02T02:55:00.000Z', '2026-11-01T02:55:00.000Z'],
      ],
    );
    assert.equal(copy[0].description, 'to 2026-11-01T02:55:00Z, the newest it holds');
    assert.deepEqual(rangePresets(now)[0], { label: 'Last 24 hours', description: undefined, start: new Date('2026-12-03T12:00:00Z'), end: now });
  });

  describe('in a trail folder', () => {
    let dir: string;
    before(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'log-folders-'));
      await writeTrailToFolder(simulateTrail({ seed: 5, hours: 3, filesPerHour: 2, recordsPerFile: 5, regions: ['us-east-1', 'eu-west-1'] }), dir);
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('finds the regions and the newest log without listing every folder, and the log files of a range', async () => {
      const store = await LocalObjectStore.open(dir);
      const extent = await trailLogExtent(store, '');
      assert.deepEqual(extent.regions, ['eu-west-1', 'us-east-1']);
      const all = await listTrailLogs(store, { prefix: '' });
      assert.equal(all.length, 12);
      const times = all.map((k) => parseLogKey(k)!.deliveryMs);
      assert.equal(extent.newestMs, Math.max(...times));
      const oldest = Math.min(...times);
      const firstHour = await listTrailLogs(store, { prefix: '', regions: ['eu-west-1'], start: oldest, end: oldest + 30 * 60_000 });
      assert.ok(firstHour.length > 0 && firstHour.length < 6, `${firstHour.length} files`);
      assert.ok(firstHour.every((k) => k.includes('/eu-west-1/') && parseLogKey(k)!.deliveryMs <= oldest + 90 * 60_000));
    });
  });
});
