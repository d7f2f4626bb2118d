// The validator against trails in moto_server's S3, through the real SDK clients, with the
// simulator's ListPublicKeys stand-in: every tampering scenario, then the real aws-cli on the same
// buckets (agreement wherever aws-cli is right, and the list of where it is not), then our CLI.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createS3Client } from '../../../src/core/aws/clients';
import { S3ObjectStore } from '../../../src/core/aws/s3ObjectStore';
import { SdkTrailApi } from '../../../src/core/aws/trailApi';
import { createCloudTrailClient } from '../../../src/core/aws/clients';
import { trailApiKeySource, validateTrail, type ValidationResult } from '../../../src/core/integrity';
import { downloadForOfflineValidation, DownloadConflictError } from '../../../src/core/integrity/download';
import { openLocalTrail } from '../../../src/core/integrity/localTrail';
import { validateLogFile } from '../../../src/core/integrity/validateLogFile';
import type { CloudTrailStandIn } from '../../fixtures/simulator';
import { parseAwsCli, S3Harness } from './s3Harness';
import { END, problems, rangeOf, scenarios, type Scenario } from './scenarios';
import { s3Trail, START, type TrailFixture } from './trailFixture';
import type { TrailStatusStandIn } from './trailStatusStandIn';

interface Prepared {
  fixture: TrailFixture;
  keys: Record<string, string>;
  result: ValidationResult;
  cloudTrail: { keys: CloudTrailStandIn; status: TrailStatusStandIn };
}

describe('integrity: validateTrail on S3 (moto_server)', function () {
  this.timeout(120_000);
  const h = new S3Harness();
  const prepared = new Map<Scenario, Prepared>();

  before(async function () {
    this.timeout(180_000);
    await h.start();
    await Promise.all(
      scenarios.map(async (s, i) => {
        const fixture = await s3Trail(h.s3, { ...s.sim, bucket: `scenario-${i}-${s.sim.organizationId ? 'org' : 'trail'}` });
        const keys = (await s.tamper?.(fixture)) ?? {};
        const cloudTrail = await h.cloudTrailFor(fixture.trail);
        const { start, end } = rangeOf(s);
        const result = await h.validate(fixture.trail, cloudTrail.keys.url, { start, end, regions: s.regions, latest: s.latest });
        prepared.set(s, { fixture, keys, result, cloudTrail });
      }),
    );
  });

  after(() => h.stop());

  for (const s of scenarios) {
    it(s.name, () => {
      const p = prepared.get(s)!;
      s.check(p.result, p.fixture, p.keys);
      // Whatever happened, every finding names what it is about.
      for (const f of p.result.findings) assert.ok(f.object || f.timeRange, `${f.verdict} ${f.code}: ${f.message}`);
    });
  }

  it('a trail copied into another bucket: every digest moved, its log files named in the original bucket', async () => {
    const fixture = await s3Trail(h.s3, { hours: 2, filesPerHour: 1, recordsPerFile: 2, start: START, bucket: 'moved-original' });
    const copy = 'moved-copy';
    await h.s3.send(new (await import('@aws-sdk/client-s3')).CreateBucketCommand({ Bucket: copy }));
    const { PutObjectCommand } = await import('@aws-sdk/client-s3');
    for (const o of fixture.objects) await h.s3.send(new PutObjectCommand({ Bucket: copy, Key: o.key, Body: o.body, Metadata: o.metadata }));
    const ct = await h.cloudTrailFor(fixture.trail);
    const r = await h.validate(fixture.trail, ct.keys.url, { bucket: copy, start: new Date(START), end: new Date('2026-11-01T02:00:00Z') });
    const digests = fixture.digests();
    assert.deepEqual(
      r.findings
        .filter((f) => f.subject === 'digest')
        .map((f) => [f.verdict, f.object?.key])
        .sort(),
      digests.map((d) => ['moved', d.key]).sort(),
    );
    assert.match(r.findings.find((f) => f.verdict === 'moved')!.message, /has been moved from its original location s3:\/\/moved-original\//);
    assert.deepEqual(new Set(r.findings.filter((f) => f.subject === 'log').map((f) => f.code)), new Set(['other-bucket']), 'the digests list them in moved-original, which this run does not read');
    assert.equal(r.summary.outcome, 'invalid');
  });

  it('aws cloudtrail validate-logs agrees wherever it is right; each case where it is not is listed', async function () {
    this.timeout(180_000);
    const compared = scenarios.filter((s) => !s.skipAwsCli);
    const disagreements: string[] = [];
    await Promise.all(
      compared.map(async (s) => {
        const p = prepared.get(s)!;
        const trail = p.fixture.trail;
        const ours = new Map<string, 'valid' | 'not valid'>();
        for (const f of p.result.findings) {
          if (!f.object || f.subject === 'trail') continue;
          const before = ours.get(f.object.key);
          ours.set(f.object.key, f.verdict === 'valid' && before !== 'not valid' ? 'valid' : 'not valid');
        }
        const wrong = s.awsCliWrong?.(p.fixture, p.keys) ?? [];
        const wrongKeys = new Map(wrong.map((w) => [w.key, w]));
        let awsExit = 0;
        const seen = new Map<string, 'valid' | 'invalid'>();
        for (const region of s.regions ?? trail.options.regions) {
          const run = await h.awsCli(trail, p.cloudTrail.keys.url, region, START, rangeOf(s).end.toISOString().slice(0, 19) + 'Z');
          assert.ok(run.code === 0 || run.code === 1, `${s.name}: aws-cli failed: ${run.stderr}`);
          awsExit = Math.max(awsExit, run.code);
          for (const [k, v] of parseAwsCli(run, trail.bucket)) seen.set(k, v);
        }
        assert.ok(seen.size > 0, `${s.name}: aws-cli reported nothing`);
        for (const [key, awsVerdict] of seen) {
          // A log file listed by a digest aws-cli wrongly accepts: aws-cli vouches for it, we do not.
          const byWrongDigest = p.result.findings.find((f) => f.object?.key === key && (f.code === 'listed-by-invalid-digest' || f.code === 'not-listed') && wrongKeys.has(f.details?.digestKey ?? ''));
          const w = wrongKeys.get(key) ?? (byWrongDigest && { key, awsCli: 'valid' as const, why: `listed by ${byWrongDigest.details!.digestKey!.slice(-40)}, a digest aws-cli wrongly accepts` });
          if (w) {
            assert.equal(awsVerdict, 'valid', `${s.name}: listed as wrong, aws-cli must say valid for ${key}`);
            assert.equal(ours.get(key), 'not valid', `${s.name}: we must not call ${key} valid`);
            disagreements.push(`${s.name}: ${key.slice(key.lastIndexOf('/') + 1)}: aws-cli valid, ours not valid (${w.why})`);
            continue;
          }
          assert.equal(ours.get(key) === 'valid' ? 'valid' : 'invalid', awsVerdict, `${s.name}: ${key}: aws-cli ${awsVerdict}, ours ${ours.get(key) ?? 'no finding'}`);
        }
        // What we report that aws-cli does not mention: a log file of a digest aws-cli rejected
        // (aws-cli skips them; both leave them unverified), or a listed disagreement.
        for (const [key, verdict] of ours) {
          if (seen.has(key) || verdict === 'valid') continue;
          // aws-cli skips the log files of digests it rejects or cannot find; both leave them unverified.
          const listedByInvalid = p.result.findings.some((f) => f.object?.key === key && (f.code === 'listed-by-invalid-digest' || (f.code === 'not-listed' && /the digest covering its delivery .* (is missing|cannot be read as a digest|is not valid)/.test(f.message))));
          const w = wrongKeys.get(key);
          assert.ok(listedByInvalid || w?.awsCli === 'absent', `${s.name}: we report ${key} and aws-cli does not mention it, without a listed reason`);
          if (w) disagreements.push(`${s.name}: ${key.slice(key.lastIndexOf('/') + 1)}: aws-cli silent, ours not valid (${w.why})`);
        }
        for (const w of wrong) assert.ok(seen.has(w.key) || w.awsCli === 'absent', `${s.name}: listed disagreement ${w.key} not seen`);
        const ourExit = p.result.summary.outcome === 'valid' ? 0 : 1;
        if (wrong.length === 0) assert.equal(ourExit, awsExit, `${s.name}: exit codes differ`);
        else assert.equal(ourExit, 1, `${s.name}: we must not exit 0 where aws-cli is wrong`);
      }),
    );
    // The list of where aws-cli is wrong, as the README states it.
    const expected = [
      'log file truncated inside its gzip trailer',
      'log file with bytes appended',
      'two consecutive deleted digests',
      'digest with bytes after its gzip data',
      'chain hash broken',
      'chain signature broken',
      'wrong account and wrong algorithm',
      'deleted newest digests',
      'a log file no digest lists',
    ];
    console.log(`      where aws-cli is wrong (${disagreements.length}):\n${disagreements.sort().map((d) => `        - ${d}`).join('\n')}`);
    for (const e of expected) assert.ok(disagreements.some((d) => d.startsWith(e)), `missing disagreement: ${e}\n${disagreements.join('\n')}`);
  });

  it('our CLI: aws-cli lines and exit codes, --json, --report, and exit 2 for usage errors', async () => {
    const clean = [...prepared.entries()].find(([s]) => s.name === 'clean trail')![1];
    const trail = clean.fixture.trail;
    const common = ['--trail-arn', trail.trailArn, '--start-time', START, '--end-time', END, '--s3-bucket', trail.bucket, '--region', 'us-east-1'];
    const ok = await h.ourCli([...common, '--verbose'], clean.cloudTrail.status.url);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, new RegExp(`^Validating log files for trail ${trail.trailArn.replace(/[/.]/g, '\\$&')} between 2026-11-01T00:00:00Z and 2026-11-01T04:00:00Z\n\n`));
    assert.equal([...ok.stdout.matchAll(/^Digest file\ts3:\/\/scenario-\d+-trail\/\S+\tvalid$/gm)].length, 4);
    assert.equal([...ok.stdout.matchAll(/^Log file\ts3:\/\/\S+\tvalid$/gm)].length, 8);
    assert.match(ok.stdout, /\nResults requested for 2026-11-01T00:00:00Z to 2026-11-01T04:00:00Z\nResults found for 2026-11-01T00:00:00Z to 2026-11-01T04:00:00Z:\n\n4\/4 digest files valid\n8\/8 log files valid\n/);
    assert.deepEqual(clean.cloudTrail.status.calls, ['us-east-1'], 'GetTrailStatus was asked for the validated region');

    const tampered = [...prepared.entries()].find(([s]) => s.name === 'two consecutive deleted digests')![1];
    const t2 = tampered.fixture.trail;
    const reportFile = path.join(mkdtempSync(path.join(tmpdir(), 'ctl-report-')), 'report.md');
    const bad = await h.ourCli(['--trail-arn', t2.trailArn, '--start-time', START, '--end-time', END, '--s3-bucket', t2.bucket, '--report', reportFile], tampered.cloudTrail.status.url);
    assert.equal(bad.code, 1);
    assert.equal([...bad.stderr.matchAll(/^Digest file\ts3:\/\/\S+\tINVALID: not found/gm)].length, 2, bad.stderr);
    assert.match(bad.stdout, /^2\/4 digest files valid, 2\/4 digest files INVALID$/m);
    const report = readFileSync(reportFile, 'utf8');
    assert.match(report, /\*\*INVALID\*\*/);
    assert.match(report, /\| error \| missing \| digest \| us-east-1 \|/);

    const json = await h.ourCli([...common, '--json'], clean.cloudTrail.status.url);
    const lines = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; verdict?: string; outcome?: string });
    assert.equal(lines.filter((l) => l.type === 'finding').length, 12);
    assert.deepEqual(lines.at(-1)?.type, 'summary');
    assert.equal(lines.at(-1)?.outcome, 'valid');

    const usage = await h.ourCli(['--start-time', START], clean.cloudTrail.status.url);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--trail-arn is required/);
    const badArn = await h.ourCli(['--trail-arn', 'arn:aws:s3:::nope', '--start-time', START], clean.cloudTrail.status.url);
    assert.equal(badArn.code, 2);
    assert.match(badArn.stderr, /Invalid trail ARN provided: arn:aws:s3:::nope/);
    const badTime = await h.ourCli([...common.slice(0, 2), '--start-time', 'yesterday'], clean.cloudTrail.status.url);
    assert.equal(badTime.code, 2);
    assert.match(badTime.stderr, /Unable to parse date value: yesterday/);
  });

  it('downloads a trail for offline validation, which then gives the same verdicts; never overwrites a changed file', async () => {
    const p = [...prepared.entries()].find(([s]) => s.name === 'modified log file')![1];
    const trail = p.fixture.trail;
    const dir = mkdtempSync(path.join(tmpdir(), 'ctl-download-'));
    const context = h.context(p.cloudTrail.keys.url);
    const client = createS3Client(context, 'us-east-1');
    const store = new S3ObjectStore(client, trail.bucket);
    const publicKeys = trailApiKeySource((region) => new SdkTrailApi(createCloudTrailClient(context, region), region));
    const options = { store, bucket: trail.bucket, destination: dir, accountId: trail.options.accountId, trailName: trail.options.trailName, homeRegion: trail.homeRegion, trailArn: trail.trailArn, regions: ['us-east-1'], start: new Date(START), end: new Date(END), publicKeys };
    const progress: number[] = [];
    // GetTrailStatus is asked first and saved, so that offline validation can look for deleted newest digests.
    p.cloudTrail.status.latest.set('us-east-1', new Date('2026-11-01T04:05:00Z'));
    const statusContext = h.context(p.cloudTrail.status.url);
    const trailStatus = (region: string): ReturnType<SdkTrailApi['getTrailStatus']> => new SdkTrailApi(createCloudTrailClient(statusContext, region), region).getTrailStatus(trail.trailArn);
    const saved = await downloadForOfflineValidation({ ...options, trailStatus, onProgress: (x) => progress.push(x.filesDone) });
    assert.deepEqual([saved.digests, saved.logs, saved.publicKeys], [4, 8, 1]);
    assert.ok(progress.length >= 12);
    const local = await openLocalTrail(dir);
    assert.equal(local.hasMetadata, true);
    assert.deepEqual(local.trailStatus, { 'us-east-1': { latestDigestDeliveryTime: new Date('2026-11-01T04:05:00Z') } });
    const manifest = JSON.parse(readFileSync(path.join(dir, 'cloudtrail-lens-offline.json'), 'utf8')) as { trailStatus: Record<string, { latestDigestDeliveryTime: string; askedAt: string }> };
    assert.equal(manifest.trailStatus['us-east-1'].latestDigestDeliveryTime, '2026-11-01T04:05:00.000Z');
    assert.ok(Date.parse(manifest.trailStatus['us-east-1'].askedAt) > Date.now() - 600_000, 'the manifest says when it was asked');
    const offline = await validateTrail({ ...local, regions: local.regions, start: new Date(START), end: new Date(END) });
    assert.deepEqual(problems(offline), problems(p.result));
    assert.equal(offline.summary.digests.valid, 4);

    const again = await downloadForOfflineValidation(options);
    assert.equal(again.unchanged, 12, 'a second download keeps identical files');
    const log = p.keys.log;
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path.join(dir, ...log.split('/')), 'changed locally');
    await assert.rejects(downloadForOfflineValidation(options), (e: unknown) => e instanceof DownloadConflictError && e.conflicts.length === 1 && e.conflicts[0].key === log);
    assert.equal(readFileSync(path.join(dir, ...log.split('/')), 'utf8'), 'changed locally', 'the differing file was left alone');
    client.destroy();
  });

  it('validates one log file: finds the digest that lists it and checks both', async () => {
    const p = [...prepared.entries()].find(([s]) => s.name === 'modified log file')![1];
    const context = h.context(p.cloudTrail.keys.url);
    const client = createS3Client(context, 'us-east-1');
    const store = new S3ObjectStore(client, p.fixture.bucket);
    const publicKeys = trailApiKeySource((region) => new SdkTrailApi(createCloudTrailClient(context, region), region));
    const good = await validateLogFile({ store, key: p.fixture.logs()[0].key, publicKeys });
    assert.equal(good.outcome, 'valid');
    assert.equal(good.log.verdict, 'valid');
    assert.equal(good.digestKey, p.fixture.digests()[0].key);
    const bad = await validateLogFile({ store, key: p.keys.log, publicKeys });
    assert.equal(bad.outcome, 'invalid');
    assert.equal(bad.log.verdict, 'hash-mismatch');
    assert.deepEqual(bad.findings.map((f) => f.verdict), ['valid', 'hash-mismatch'], 'its digest is valid, the file is not');
    client.destroy();
  });
});
