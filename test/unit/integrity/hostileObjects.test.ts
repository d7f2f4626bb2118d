// Hostile trails: every object of a trail replaced by something that is not what it claims to be (a
// folder, a symbolic link to /dev/null, /dev/zero or a folder, a FIFO, an empty file, random bytes)
// or deleted. The outcome is never "valid", a finding names the object, and every run ends (a FIFO
// used to hang forever, a link to /dev/zero to read 16 GiB). Then the exact cases of the
// hostile-input issue: a folder at a deleted digest's name, deleted newest digests offline, a stray
// digest from 2099, digests moved to another region's folder, broken metadata files.
import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { validateTrail, type ValidationResult } from '../../../src/core/integrity';
import { openLocalTrail } from '../../../src/core/integrity/localTrail';
import type { SimulatedObject } from '../../fixtures/simulator';
import { repoRoot } from '../../fixtures/paths';
import { S3Harness } from './s3Harness';
import { folderTrail, s3Trail, START, type TrailFixture } from './trailFixture';

const END = new Date('2026-11-01T03:00:00Z');
const sim = { hours: 3, filesPerHour: 1, recordsPerFile: 2, start: START, seed: 'hostile' };

type Replacement = 'folder' | 'link to /dev/null' | 'link to /dev/zero' | 'link to a folder' | 'FIFO' | 'empty file' | 'random bytes' | 'deleted';
const LOCAL: Replacement[] = ['folder', 'link to /dev/null', 'link to /dev/zero', 'link to a folder', 'FIFO', 'empty file', 'random bytes', 'deleted'];

/** True when a finding names the key, exactly or as an estimated digest name (`..._20261101T0300??Z.json.gz`). */
function names(r: ValidationResult, key: string): boolean {
  return r.findings.some((f) => {
    if (f.verdict === 'valid' || !f.object) return false;
    if (f.object.key === key) return true;
    if (!f.details?.estimated) return false;
    const pattern = new RegExp(`^${f.object.key.replace(/[.*+^${}()|[\]\\/]/g, '\\$&').replace(/\?/g, '\\d')}$`);
    return pattern.test(key);
  });
}

/** Fails with the case's name instead of hanging the suite. */
async function bounded<T>(what: string, job: Promise<T>, ms = 30_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([job, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not end within ${ms / 1000} s`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

async function replace(dir: string, o: SimulatedObject, how: Replacement): Promise<void> {
  const file = path.join(dir, ...o.key.split('/'));
  await fs.rm(file, { recursive: true, force: true });
  switch (how) {
    case 'folder':
      await fs.mkdir(file);
      await fs.writeFile(path.join(file, 'inside.txt'), 'not a log');
      break;
    case 'link to /dev/null':
      await fs.symlink('/dev/null', file);
      break;
    case 'link to /dev/zero':
      await fs.symlink('/dev/zero', file);
      break;
    case 'link to a folder':
      await fs.symlink('/', file);
      break;
    case 'FIFO':
      execFileSync('mkfifo', [file]);
      break;
    case 'empty file':
      await fs.writeFile(file, '');
      break;
    case 'random bytes':
      await fs.writeFile(file, randomBytes(o.body.length));
      break;
    case 'deleted':
      break;
  }
}

async function restore(dir: string, o: SimulatedObject): Promise<void> {
  const file = path.join(dir, ...o.key.split('/'));
  await fs.rm(file, { recursive: true, force: true });
  await fs.writeFile(file, o.body);
}

async function validateFolder(dir: string): Promise<ValidationResult> {
  return validateTrail({ ...(await openLocalTrail(dir)), start: new Date(START), end: END });
}

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(repoRoot, 'out', 'src', 'core', 'cli', 'main.js'), ...args], { timeout: 60_000 }, (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout, stderr }));
  });
}

describe('integrity: hostile objects in a local trail folder', function () {
  this.timeout(300_000);
  let f: TrailFixture & { dir: string };

  before(async () => {
    f = await folderTrail(sim);
    const clean = await validateFolder(f.dir);
    assert.equal(clean.summary.outcome, 'valid', 'the untouched trail is valid, so every failure below is the replacement');
  });

  it('every object replaced by a folder, a link to /dev/null, /dev/zero or a folder, a FIFO, an empty file, random bytes, or deleted: never valid, named, ends', async () => {
    const rssBefore = process.memoryUsage().rss;
    let cases = 0;
    for (const o of f.objects) {
      for (const how of LOCAL) {
        await replace(f.dir, o, how);
        try {
          const r = await bounded(`${how} at ${o.key}`, validateFolder(f.dir));
          assert.notEqual(r.summary.outcome, 'valid', `${how} at ${o.key}: the outcome is valid`);
          assert.ok(names(r, o.key), `${how} at ${o.key}: no finding names it; findings: ${r.findings.filter((x) => x.verdict !== 'valid').map((x) => `${x.code} ${x.object?.key ?? ''}`).join('; ')}`);
          if (how === 'FIFO' || how.startsWith('link to /dev') || (how === 'folder' && o.kind === 'log')) {
            const about = r.findings.filter((x) => x.object?.key === o.key);
            if (about.length > 0 && o.kind === 'log') assert.ok(about.some((x) => x.code === 'not-a-file'), `${how} at ${o.key}: ${about.map((x) => x.code).join(', ')}`);
          }
          cases++;
        } finally {
          await restore(f.dir, o);
        }
      }
    }
    assert.equal(cases, f.objects.length * LOCAL.length);
    // Nothing was read without bound: /dev/zero used to be read until memory ran out.
    assert.ok(process.memoryUsage().rss - rssBefore < 512 * 1024 * 1024, `memory grew by ${((process.memoryUsage().rss - rssBefore) / 1024 / 1024).toFixed(0)} MB`);
  });

  it('says what a special file is: a log that is a FIFO, a digest that is a link to /dev/zero', async () => {
    const log = f.logs()[1];
    const digest = f.digests()[1];
    await replace(f.dir, log, 'FIFO');
    await replace(f.dir, digest, 'link to /dev/zero');
    try {
      const r = await bounded('a FIFO log and a /dev/zero digest', validateFolder(f.dir));
      const logFinding = r.findings.find((x) => x.object?.key === log.key);
      const digestFinding = r.findings.find((x) => x.object?.key === digest.key);
      assert.equal(digestFinding?.code, 'not-a-file');
      assert.match(digestFinding!.message, /is a symbolic link to a character device \(\/dev\/zero\), not a file/);
      // The digest that lists the log is unreadable, so the log is unlisted and not verified.
      assert.equal(logFinding?.verdict, 'unverified');
      assert.equal(r.summary.outcome, 'invalid');
    } finally {
      await restore(f.dir, log);
      await restore(f.dir, digest);
    }
    await replace(f.dir, log, 'FIFO');
    try {
      const r = await bounded('a FIFO log', validateFolder(f.dir));
      const about = r.findings.find((x) => x.object?.key === log.key)!;
      assert.equal(about.code, 'not-a-file');
      assert.match(about.message, /is a FIFO \(named pipe\), not a file/);
    } finally {
      await restore(f.dir, log);
    }
  });

  it("the issue's repro: a folder at a deleted digest's name (its hour's logs deleted too) is an invalid digest, exit 1", async () => {
    const g = await folderTrail({ hours: 6, filesPerHour: 3, recordsPerFile: 20, start: START, seed: 3 });
    const digest = g.digests()[2];
    await fs.rm(path.join(g.dir, ...digest.key.split('/')));
    for (const l of g.logs().filter((x) => /_20261101T02\d\dZ_/.test(x.key))) await fs.rm(path.join(g.dir, ...l.key.split('/')));
    await fs.mkdir(path.join(g.dir, ...digest.key.split('/')));
    const run = await cli(['validate', '--local', g.dir, '--start-time', '2026-11-01T00:00:00Z', '--end-time', '2026-11-02T00:00:00Z']);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /5\/6 digest files valid, 1\/6 digest files INVALID/);
    assert.match(run.stderr, new RegExp(`Digest file\\t\\S+${path.basename(digest.key).replace(/\./g, '\\.')}\\tINVALID: invalid format`));
    const json = (await cli(['validate', '--local', g.dir, '--start-time', '2026-11-01T00:00:00Z', '--end-time', '2026-11-02T00:00:00Z', '--json'])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; code?: string; message?: string; object?: { key: string } });
    const about = json.find((x) => x.object?.key === digest.key)!;
    assert.equal(about.code, 'not-a-file');
    assert.match(about.message!, /is a folder, not a file/);
    // The same with a FIFO there: no hang.
    await fs.rmdir(path.join(g.dir, ...digest.key.split('/')));
    execFileSync('mkfifo', [path.join(g.dir, ...digest.key.split('/'))]);
    const fifo = await cli(['validate', '--local', g.dir, '--start-time', '2026-11-01T00:00:00Z', '--end-time', '2026-11-02T00:00:00Z']);
    assert.equal(fifo.code, 1);
    assert.match(fifo.stdout, /1\/6 digest files INVALID/);
  });

  it('deleted newest digests offline: found with the saved GetTrailStatus; without it the run says so and exits 1', async () => {
    const g = await folderTrail({ hours: 6, filesPerHour: 3, recordsPerFile: 20, start: START, seed: 3 });
    const newest = g.digests()[5];
    await fs.rm(path.join(g.dir, ...newest.key.split('/')));
    const args = ['validate', '--local', g.dir, '--start-time', '2026-11-01T00:00:00Z', '--end-time', '2026-11-02T00:00:00Z'];
    const withStatus = await cli(args);
    assert.equal(withStatus.code, 1);
    assert.match(withStatus.stderr, /covering its delivery at 2026-11-01T05:09:00Z is missing/);
    assert.match(withStatus.stderr, /20261101T060\d\?\?Z\.json\.gz\tINVALID: not found \(name estimated/);
    // A folder without the saved answer (an older download, or aws s3 sync): not valid, and it says why.
    const manifestFile = path.join(g.dir, 'cloudtrail-lens-offline.json');
    const manifest = JSON.parse(await fs.readFile(manifestFile, 'utf8')) as Record<string, unknown>;
    delete manifest.trailStatus;
    await fs.writeFile(manifestFile, JSON.stringify(manifest));
    const without = await cli(args);
    assert.equal(without.code, 1, 'not valid when the newest digests could not be checked');
    assert.match(without.stderr, /NOT CHECKED: Digests after 2026-11-01T05:0\d:\d\dZ in us-east-1 could not be checked: the folder's cloudtrail-lens-offline\.json saved no GetTrailStatus answer/);
    // Nothing deleted, still no answer: incomplete, never valid.
    await fs.writeFile(path.join(g.dir, ...newest.key.split('/')), newest.body);
    const intact = await validateTrail({ ...(await openLocalTrail(g.dir)), start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-11-02T00:00:00Z') });
    assert.equal(intact.summary.outcome, 'incomplete');
    assert.deepEqual(intact.findings.filter((x) => x.verdict !== 'valid').map((x) => x.code), ['newest-not-checked']);
    // A range that ends well before the newest digest needs no answer: later digests vouch for it.
    const early = await validateTrail({ ...(await openLocalTrail(g.dir)), start: new Date('2026-11-01T00:00:00Z'), end: new Date('2026-11-01T02:00:00Z') });
    assert.equal(early.summary.outcome, 'valid');
  });

  it('a stray digest named for 2099 in a 2026 day folder is the finding; the genuine digests stay valid', async () => {
    const g = await folderTrail(sim);
    const copy = g.digests()[1];
    const strayKey = copy.key.replace(/_\d{8}T\d{6}Z\.json\.gz$/, '_20991101T000000Z.json.gz');
    await fs.writeFile(path.join(g.dir, ...strayKey.split('/')), copy.body);
    const r = await validateFolder(g.dir);
    assert.deepEqual(r.findings.filter((x) => x.verdict !== 'valid').map((x) => `${x.code} ${x.object?.key}`), [`digest-name ${strayKey}`]);
    assert.equal(r.summary.digests.valid, 3);
    // In a 2099 day folder of its own it is the first digest after the range: not trusted, it blames no genuine digest.
    await fs.rm(path.join(g.dir, ...strayKey.split('/')));
    const farKey = strayKey.replace('/2026/11/01/', '/2099/11/01/');
    await fs.mkdir(path.dirname(path.join(g.dir, ...farKey.split('/'))), { recursive: true });
    await fs.writeFile(path.join(g.dir, ...farKey.split('/')), copy.body);
    const far = await validateFolder(g.dir);
    assert.deepEqual(far.findings.filter((x) => x.verdict !== 'valid' && g.digests().some((d) => d.key === x.object?.key)), [], 'no finding on a genuine digest');
    assert.equal(far.summary.digests.valid, 3);
  });

  it('an object in the digest folder that is not a digest name is unexpected; a digest with no recorded metadata fails its signature', async () => {
    const g = await folderTrail(sim);
    const folder = path.dirname(path.join(g.dir, ...g.digests()[0].key.split('/')));
    await fs.writeFile(path.join(folder, 'notes.txt'), 'hello');
    const r = await validateFolder(g.dir);
    const note = r.findings.find((x) => x.object?.key.endsWith('/notes.txt'))!;
    assert.equal(note.code, 'unexpected-object');
    assert.equal(r.summary.outcome, 'incomplete');
    await fs.rm(path.join(folder, 'notes.txt'));
    await g.place.setMetadata(g.digests()[1].key, undefined);
    const unsigned = await validateFolder(g.dir);
    const about = unsigned.findings.find((x) => x.object?.key === g.digests()[1].key)!;
    assert.equal(about.code, 'signature-metadata-missing');
    assert.match(about.message, /offline manifest records no signature metadata for it/);
  });

  it('digests moved to another region folder, a broken manifest, a broken key list: errors that name what was found', async () => {
    const g = await folderTrail(sim);
    const from = path.join(g.dir, 'AWSLogs', '111122223333', 'CloudTrail-Digest', 'us-east-1');
    await fs.rename(from, path.join(g.dir, 'AWSLogs', '111122223333', 'CloudTrail-Digest', 'us-west-2'));
    await assert.rejects(openLocalTrail(g.dir), /holds no digest files .*; found 3 object\(s\) in AWSLogs\/111122223333\/CloudTrail-Digest\/us-west-2\/ that are not digests of that account and region, e\.g\. .*us-east-1_management-events/);
    const moved = await cli(['validate', '--local', g.dir, '--start-time', START]);
    assert.equal(moved.code, 2);
    assert.match(moved.stderr, /found 3 object\(s\) in AWSLogs\/111122223333\/CloudTrail-Digest\/us-west-2\//);
    await fs.rename(path.join(g.dir, 'AWSLogs', '111122223333', 'CloudTrail-Digest', 'us-west-2'), from);

    await fs.writeFile(path.join(g.dir, 'cloudtrail-lens-offline.json'), '{"format": "cloudtrail-lens-offline/1", ');
    const broken = await cli(['validate', '--local', g.dir, '--start-time', START]);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /cloudtrail-lens-offline\.json is not valid JSON .*; remove it, or download the trail again/);
    await fs.rm(path.join(g.dir, 'cloudtrail-lens-offline.json'));
    await fs.writeFile(path.join(g.dir, 'cloudtrail-lens-offline.json'), '{"format": "cloudtrail-lens-offline/1", "bucket": "b", "prefix": null, "digestMetadata": {"k": {"signature": 5}}}');
    await assert.rejects(openLocalTrail(g.dir), /records metadata for k that is not a map of strings/);
    await fs.rm(path.join(g.dir, 'cloudtrail-lens-offline.json'));
    await fs.rm(path.join(g.dir, 'public-keys.json'));
    execFileSync('mkfifo', [path.join(g.dir, 'public-keys.json')]);
    await assert.rejects(bounded('a FIFO key list', openLocalTrail(g.dir)), /public-keys\.json cannot be read \(.*is a FIFO \(named pipe\), not a regular file\); remove it/);
  });
});

describe('integrity: hostile objects in an S3 trail (moto_server)', function () {
  this.timeout(300_000);
  const h = new S3Harness();
  before(() => h.start());
  after(() => h.stop());

  it('every object deleted, emptied or replaced by random bytes: never valid, named', async () => {
    const f = await s3Trail(h.s3, { ...sim, bucket: 'hostile-objects' });
    const cloudTrail = await h.cloudTrailFor(f.trail);
    const latest = { 'us-east-1': '2026-11-01T03:06:00Z' };
    const run = (): Promise<ValidationResult> => h.validate(f.trail, cloudTrail.status.url, { start: new Date(START), end: END, latest });
    assert.equal((await run()).summary.outcome, 'valid', 'the untouched trail is valid');
    for (const o of f.objects) {
      for (const how of ['deleted', 'empty file', 'random bytes'] as const) {
        if (how === 'deleted') await f.place.remove(o.key);
        else await f.place.put(o.key, how === 'empty file' ? Buffer.alloc(0) : randomBytes(o.body.length), o.metadata);
        try {
          const r = await bounded(`${how} at ${o.key}`, run());
          assert.notEqual(r.summary.outcome, 'valid', `${how} at ${o.key}`);
          assert.ok(names(r, o.key), `${how} at ${o.key}: no finding names it`);
        } finally {
          await f.place.put(o.key, o.body, o.metadata);
        }
      }
    }
  });
});
