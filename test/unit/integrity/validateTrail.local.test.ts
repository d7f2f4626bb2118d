// Offline validation of a folder laid out as `aws s3 sync` writes it: with the offline manifest
// (signatures checked) and without it (everything else checked, signatures reported as not checked,
// nothing reported valid that depends on them); plus cancellation, progress, read failures, the
// single-log-file check, and the CLI's --local mode.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { LocalObjectStore } from '../../../src/core/aws/localObjectStore';
import type { ObjectStore } from '../../../src/core/aws/objectStore';
import { validateTrail, type ValidationProgress, type ValidationResult } from '../../../src/core/integrity';
import { locateLocalLogFile, openLocalTrail } from '../../../src/core/integrity/localTrail';
import { validateLogFile } from '../../../src/core/integrity/validateLogFile';
import { repoRoot } from '../../fixtures/paths';
import { folderTrail, START } from './trailFixture';

const END = new Date('2026-11-01T03:00:00Z');
const sim = { hours: 3, filesPerHour: 2, recordsPerFile: 3, start: START };

async function validateFolder(dir: string, extra: Partial<Parameters<typeof validateTrail>[0]> = {}): Promise<ValidationResult> {
  const local = await openLocalTrail(dir);
  return validateTrail({ ...local, start: new Date(START), end: END, ...extra });
}

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(repoRoot, 'out', 'src', 'core', 'cli', 'main.js'), 'validate', ...args], (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout, stderr }));
  });
}

describe('integrity: offline validation of a local folder', function () {
  this.timeout(60_000);

  it('with the offline manifest and public-keys.json: every signature checked, all valid', async () => {
    const f = await folderTrail(sim);
    const local = await openLocalTrail(f.dir);
    assert.deepEqual([local.trailName, local.homeRegion, local.bucket, local.hasMetadata, local.regions], ['management-events', 'us-east-1', f.bucket, true, ['us-east-1']]);
    const r = await validateTrail({ ...local, start: new Date(START), end: END });
    assert.equal(r.summary.outcome, 'valid');
    assert.deepEqual(r.summary.digests, { valid: 3, invalid: 0, other: 0 });
    assert.equal(r.scope.keysFromAws, false);
    assert.ok(r.limitations.some((l) => /Public keys came from .*public-keys\.json, not from AWS/.test(l)));
    assert.ok(r.findings.every((x) => x.object?.path?.startsWith(f.dir)), 'findings name the local files');
  });

  it('without the manifest: signatures reported not checked, nothing valid that depends on them, changes still found', async () => {
    const f = await folderTrail(sim);
    await fs.rm(path.join(f.dir, 'cloudtrail-lens-offline.json'));
    await f.changeLog(f.logs()[1]);
    const r = await validateFolder(f.dir);
    assert.equal(r.findings.filter((x) => x.verdict === 'valid').length, 0, 'no digest or log file is called valid without signatures');
    assert.deepEqual(new Set(r.findings.filter((x) => x.subject === 'digest').map((x) => x.code)), new Set(['signature-not-checked']));
    assert.match(r.findings.find((x) => x.code === 'signature-not-checked')!.message, /was not checked: the folder has no record of its S3 metadata/);
    assert.deepEqual(r.findings.filter((x) => x.object?.key === f.logs()[1].key).map((x) => x.verdict), ['hash-mismatch']);
    assert.equal(r.findings.filter((x) => x.code === 'digest-not-authenticated').length, f.logs().length - 1);
    assert.equal(r.summary.outcome, 'invalid');
    assert.ok(r.limitations.some((l) => /bucket names were not checked/.test(l)));

    const run = await cli(['--local', f.dir, '--start-time', START, '--end-time', END.toISOString()]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^Digest file\t\S+\tNOT CHECKED: The signature of digest .* was not checked/m);
    assert.match(run.stderr, /^Log file\t\S+\tINVALID: hash value doesn't match$/m);
    assert.match(run.stdout, /^0\/3 digest files valid, 3\/3 digest files NOT VERIFIED$/m);
  });

  it('without public keys: signatures not checked, and the run says why', async () => {
    const f = await folderTrail(sim);
    await fs.rm(path.join(f.dir, 'public-keys.json'));
    const r = await validateFolder(f.dir);
    assert.equal(r.summary.outcome, 'incomplete');
    assert.deepEqual(r.summary.digests, { valid: 0, invalid: 0, other: 3 });
    assert.match(r.findings.find((x) => x.subject === 'digest')!.message, /no public keys were given/);
    assert.ok(r.limitations.some((l) => /signatures were not checked: no public keys/.test(l)));
  });

  it('a folder with several trails asks which one', async () => {
    const f = await folderTrail({ ...sim, hours: 1 });
    const other = await folderTrail({ ...sim, hours: 1, trailName: 'second_trail' });
    await fs.cp(path.join(other.dir, 'AWSLogs'), path.join(f.dir, 'AWSLogs'), { recursive: true });
    await fs.rm(path.join(f.dir, 'cloudtrail-lens-offline.json'));
    await assert.rejects(openLocalTrail(f.dir), /holds digests of several trails or accounts: .*management-events.*second_trail.*--trail-arn/);
    const chosen = await openLocalTrail(f.dir, { trailArn: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/second_trail' });
    assert.equal(chosen.trailName, 'second_trail');
  });

  it('reports progress (files done of total, bytes) and can be cancelled at any point', async () => {
    const f = await folderTrail({ ...sim, hours: 6, filesPerHour: 4 });
    const seen: ValidationProgress[] = [];
    const r = await validateFolder(f.dir, { end: new Date('2026-11-01T06:00:00Z'), onProgress: (p) => seen.push(p), concurrency: 2 });
    const last = seen.at(-1)!;
    assert.equal(last.phase, 'done');
    assert.equal(last.filesDone, last.filesTotal);
    assert.equal(last.filesTotal, 6 + 24);
    assert.ok(last.bytesRead > 0 && last.bytesPerSecond > 0);
    assert.equal(r.summary.logs.valid, 24);
    // The total is said known only once it stops growing: a bar drawn from it never jumps back.
    assert.equal(seen[0].totalKnown, false);
    const known = seen.filter((p) => p.totalKnown);
    assert.ok(known.length > 0);
    assert.ok(known.every((p) => p.filesTotal === 6 + 24), known.map((p) => p.filesTotal).join(','));

    const controller = new AbortController();
    const started = Date.now();
    const cancelled = validateFolder(f.dir, {
      end: new Date('2026-11-01T06:00:00Z'),
      signal: controller.signal,
      concurrency: 1,
      onFinding: () => controller.abort(new Error('user cancelled')),
    });
    await assert.rejects(cancelled, /user cancelled/);
    assert.ok(Date.now() - started < 5000);
  });

  it('an object that cannot be read is reported, and the run goes on', async () => {
    const f = await folderTrail(sim);
    const local = await openLocalTrail(f.dir);
    const denied = f.logs()[2].key;
    const store = Object.create(local.store) as ObjectStore;
    store.open = async (key, options) => {
      if (key === denied) throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
      return (local.store as ObjectStore).open(key, options);
    };
    const r = await validateTrail({ ...local, store, start: new Date(START), end: END });
    const failed = r.findings.filter((x) => x.object?.key === denied);
    assert.deepEqual(failed.map((x) => x.verdict), ['error']);
    assert.match(failed[0].message, /could not be read: GetObject on .* was denied: the identity needs s3:GetObject/);
    assert.equal(r.summary.logs.valid, f.logs().length - 1);
  });

  it('validates one log file found by its local path', async () => {
    const f = await folderTrail(sim);
    await f.changeLog(f.logs()[4]);
    const good = await locateLocalLogFile(path.join(f.dir, ...f.logs()[0].key.split('/')));
    assert.deepEqual(good, { root: f.dir, key: f.logs()[0].key });
    const local = await openLocalTrail(f.dir);
    const ok = await validateLogFile({ store: local.store, key: good.key, publicKeys: local.publicKeys });
    assert.equal(ok.outcome, 'valid');
    const bad = await validateLogFile({ store: await LocalObjectStore.open(f.dir), key: f.logs()[4].key, publicKeys: local.publicKeys });
    assert.equal(bad.log.verdict, 'hash-mismatch');
    assert.equal(bad.log.object?.path, path.join(f.dir, ...f.logs()[4].key.split('/')), 'the finding names the local file');
    await fs.rm(path.join(f.dir, ...f.digests()[2].key.split('/')));
    const orphan = await validateLogFile({ store: local.store, key: f.logs()[5].key, publicKeys: local.publicKeys });
    assert.equal(orphan.log.code, 'not-listed');
    assert.match(orphan.log.message, /none of the \d+ digests delivered from .* lists it/);
    await assert.rejects(validateLogFile({ store: local.store, key: 'AWSLogs/notes.txt' }), /is not a CloudTrail log file name/);
  });

  it('gives the same verdicts when log files are read in this thread (threads: 0) as in worker threads', async () => {
    const f = await folderTrail(sim);
    const [a, b, c] = f.logs();
    await f.place.put(a.key, Buffer.concat([a.body, Buffer.from('tail')]));
    await f.place.put(b.key, b.body.subarray(0, b.body.length - 3));
    await f.changeLog(c);
    const verdicts = (r: ValidationResult): string[] => r.findings.map((x) => `${x.verdict} ${x.code} ${x.object?.key}`).sort();
    const workers = await validateFolder(f.dir);
    const here = await validateFolder(f.dir, { threads: 0 });
    assert.deepEqual(verdicts(here), verdicts(workers));
    assert.deepEqual(
      [a, b, c].map((o) => workers.findings.find((x) => x.object?.key === o.key)?.code),
      ['gzip-trailing-data', 'gzip-truncated', 'log-hash-mismatch'],
    );
  });

  it('an object named like a digest of the trail but not a digest name is reported; other trails are left alone', async () => {
    const f = await folderTrail(sim);
    const real = f.digests()[1].key;
    const fake = real.replace(/_\d{8}T\d{6}Z\.json\.gz$/, '_20261101T0100Z.json.gz');
    const otherTrail = real.replace('_management-events_', '_management-events_audit_');
    await f.place.put(fake, Buffer.from('x'));
    await f.place.put(otherTrail, Buffer.from('another trail'));
    const r = await validateFolder(f.dir);
    assert.deepEqual(r.findings.filter((x) => x.verdict !== 'valid').map((x) => [x.code, x.object?.key]), [['digest-name', fake]]);
    assert.match(r.findings.find((x) => x.code === 'digest-name')!.message, /is named like a digest of trail management-events but its name is not a digest name/);
  });

  it('plain .json log files (gzip off) are hashed as they are', async () => {
    const f = await folderTrail({ ...sim, gzip: false });
    const r = await validateFolder(f.dir);
    assert.equal(r.summary.outcome, 'valid');
    assert.equal(r.summary.logs.valid, 6);
  });
});
