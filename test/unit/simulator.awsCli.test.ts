// The simulator's output judged by the real `aws cloudtrail validate-logs` (aws-cli 1.x): the trail
// is written to moto_server's S3, the trail is created in moto, and a loopback stand-in answers
// ListPublicKeys (moto has no such call) while passing every other CloudTrail request to moto.
//
// How aws-cli reaches the fakes: `--endpoint-url` only reaches validate-logs' CloudTrail client; its
// S3 clients (GetBucketLocation, ListObjects, GetObject) are made by S3ClientProvider without an
// endpoint, so they follow AWS_ENDPOINT_URL_S3 (botocore >= 1.31 reads service-specific endpoint
// variables), and the Organizations client follows AWS_ENDPOINT_URL_ORGANIZATIONS.
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import * as assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import * as zlib from 'node:zlib';
import { isolatedAwsEnv } from '../fixtures/env';
import { MotoServer, startMoto } from '../fixtures/moto';
import { CloudTrailStandIn, SimulatedTrail, SimulatorOptions, simulateTrail, startCloudTrailStandIn, writeTrailToS3 } from '../fixtures/simulator';

const ACCOUNT = '111122223333';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function toolsPresent(): boolean {
  return ['aws', 'moto_server'].every((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0);
}

describe('trail simulator output under aws cloudtrail validate-logs', function () {
  this.timeout(120_000);
  let moto: MotoServer | undefined;
  let s3: S3Client;
  const standIns: CloudTrailStandIn[] = [];

  before(async function () {
    // Every machine of this project has both; a machine without them must not pass silently.
    assert.ok(toolsPresent(), 'aws-cli and moto_server must be on PATH (scripts/setup.sh says so when they are missing)');
    moto = await startMoto({ accountId: ACCOUNT });
    s3 = new S3Client({ endpoint: moto.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  });

  after(async () => {
    for (const s of standIns) {
      await s.close();
    }
    s3?.destroy();
    await moto?.stop();
  });

  /** Runs aws-cli asynchronously (the stand-in lives in this process's event loop). */
  function aws(args: string[], standIn?: CloudTrailStandIn): Promise<Run> {
    const env = isolatedAwsEnv({ AWS_ENDPOINT_URL_S3: moto!.endpoint, AWS_ENDPOINT_URL_ORGANIZATIONS: moto!.endpoint });
    const endpoint = ['--endpoint-url', standIn ? standIn.url : moto!.endpoint];
    return new Promise((resolve) => {
      execFile('aws', [...args, ...endpoint], { env, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      });
    });
  }

  async function publish(options: SimulatorOptions, createTrail: string[] = []): Promise<{ trail: SimulatedTrail; standIn: CloudTrailStandIn; trailArn: string }> {
    const trail = simulateTrail(options);
    await writeTrailToS3(trail, s3, { concurrency: 8 });
    const standIn = await startCloudTrailStandIn({ upstream: moto!.endpoint, keys: trail.keys });
    standIns.push(standIn);
    const prefix = trail.options.keyPrefix ? ['--s3-key-prefix', trail.options.keyPrefix] : [];
    const multi = trail.options.regions.length > 1 ? ['--is-multi-region-trail'] : [];
    const created = await aws(['cloudtrail', 'create-trail', '--name', trail.options.trailName, '--s3-bucket-name', trail.bucket, ...prefix, ...multi, '--enable-log-file-validation', ...createTrail], standIn);
    assert.equal(created.code, 0, created.stderr);
    const trailArn = (JSON.parse(created.stdout) as { TrailARN: string }).TrailARN;
    return { trail, standIn, trailArn };
  }

  function validate(trailArn: string, standIn: CloudTrailStandIn, region: string, start: string, end: string, extra: string[] = []): Promise<Run> {
    return aws(['cloudtrail', 'validate-logs', '--trail-arn', trailArn, '--start-time', start, '--end-time', end, '--region', region, '--verbose', ...extra], standIn);
  }

  function expected(trail: SimulatedTrail, region: string): { digests: number; backfills: number; logs: number } {
    let digests = 0;
    let backfills = 0;
    let logs = 0;
    for (const o of trail.objects()) {
      if (!o.key.includes(`/${region}/`)) {
        continue;
      }
      if (o.kind === 'log') {
        logs++;
      } else if (o.key.endsWith('_backfill.json.gz')) {
        backfills++;
      } else {
        digests++;
      }
    }
    return { digests, backfills, logs };
  }

  it('accepts a small trail with a key rotation: every digest and log file valid', async () => {
    const { trail, standIn, trailArn } = await publish({ bucket: 'sim-rotation', hours: 3, filesPerHour: 2, recordsPerFile: 5, keyRotations: ['2026-11-01T01:30:00Z'] });
    assert.equal(trailArn, trail.trailArn);
    const r = await validate(trailArn, standIn, 'us-east-1', '2026-11-01T00:00:00Z', '2026-11-01T03:00:00Z');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^3\/3 digest files valid$/m);
    assert.match(r.stdout, /^6\/6 log files valid$/m);
    assert.doesNotMatch(r.stdout + r.stderr, /INVALID/);
    assert.equal([...r.stdout.matchAll(/^Digest file\t\S+\tvalid$/gm)].length, 3);
    const fingerprints = new Set(
      [...trail.objects()].filter((o) => o.kind === 'digest').map((o) => (JSON.parse(zlib.gunzipSync(o.body).toString('utf8')) as { digestPublicKeyFingerprint: string }).digestPublicKeyFingerprint),
    );
    assert.equal(fingerprints.size, 2, 'the digests are signed with both keys');
    assert.ok(standIn.listPublicKeysCalls.length >= 1, 'aws-cli fetched the keys from the stand-in');
  });

  it('accepts a multi-region trail with a prefix, a dotted trail name, backfill digests and a logging stop', async () => {
    const { trail, standIn, trailArn } = await publish({
      bucket: 'sim-multi',
      hours: 5,
      filesPerHour: 2,
      recordsPerFile: 3,
      regions: ['us-east-1', 'eu-west-1'],
      keyPrefix: 'team/prod',
      trailName: 'org_trail.v2-main',
      backfillHours: [1],
      stoppedLogging: [{ from: '2026-11-01T02:30:00Z', to: '2026-11-01T03:20:00Z' }],
      // After the simulated period: the backfill digests are signed with the second key.
      keyRotations: ['2026-11-01T05:30:00Z'],
    });
    for (const region of ['us-east-1', 'eu-west-1']) {
      const want = expected(trail, region);
      assert.deepEqual([want.digests, want.backfills], [4, 1], "hours 0, 2 (until the stop), 3 (from the restart) and 4; hour 1 backfilled");
      const r = await validate(trailArn, standIn, region, '2026-11-01T00:00:00Z', '2026-11-01T05:00:00Z');
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, new RegExp(`^${want.digests}/${want.digests} digest files valid$`, 'm'));
      assert.match(r.stdout, /^1\/1 backfill digest files valid$/m);
      assert.match(r.stdout, new RegExp(`^${want.logs}/${want.logs} log files valid$`, 'm'));
      assert.match(r.stdout, new RegExp(`^\\(backfill\\) Digest file\\ts3://sim-multi/team/prod/AWSLogs/${ACCOUNT}/CloudTrail-Digest/${region}/2026/11/01/${ACCOUNT}_CloudTrail-Digest_${region}_org_trail\\.v2-main_us-east-1_20261101T02\\d{4}Z_backfill\\.json\\.gz\\tvalid$`, 'm'));
      assert.match(r.stderr, /No log files were delivered by CloudTrail between 2026-11-01T02:30:00Z and 2026-11-01T03:20:00Z/, 'aws-cli reports the stop as a gap');
      assert.doesNotMatch(r.stdout + r.stderr, /INVALID/);
    }
  });

  it('accepts an organization trail validated for a member account', async () => {
    const org = await aws(['organizations', 'create-organization', '--feature-set', 'ALL']);
    assert.equal(org.code, 0, org.stderr);
    const organizationId = (JSON.parse(org.stdout) as { Organization: { Id: string } }).Organization.Id;
    const { trail, standIn, trailArn } = await publish(
      { bucket: 'sim-org', hours: 2, filesPerHour: 2, recordsPerFile: 3, organizationId, accountId: '444455556666', trailName: 'org-trail' },
      ['--is-organization-trail'],
    );
    assert.ok(trail.options.organizationId);
    const r = await validate(trailArn, standIn, 'us-east-1', '2026-11-01T00:00:00Z', '2026-11-01T02:00:00Z', ['--account-id', '444455556666']);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /^2\/2 digest files valid$/m);
    assert.match(r.stdout, /^4\/4 log files valid$/m);
    assert.match(r.stdout, new RegExp(`s3://sim-org/AWSLogs/${organizationId}/444455556666/CloudTrail/us-east-1/`));
  });

  it('and rejects what it should: a changed log file and a changed digest', async () => {
    const { trail, standIn, trailArn } = await publish({ bucket: 'sim-tamper', trailName: 'tampered', hours: 3, filesPerHour: 1, recordsPerFile: 2 });
    const objects = [...trail.objects()];
    const log = objects.find((o) => o.kind === 'log')!;
    const records = JSON.parse(zlib.gunzipSync(log.body).toString('utf8')) as { Records: { sourceIPAddress: string }[] };
    records.Records[0].sourceIPAddress = '192.0.2.1';
    await s3.send(new PutObjectCommand({ Bucket: trail.bucket, Key: log.key, Body: zlib.gzipSync(JSON.stringify(records)) }));
    const digests = objects.filter((o) => o.kind === 'digest');
    const changed = digests[2];
    const inflated = zlib.gunzipSync(changed.body).toString('utf8').replace('"logFiles":[{', '"logFiles":[ {');
    await s3.send(new PutObjectCommand({ Bucket: trail.bucket, Key: changed.key, Body: zlib.gzipSync(inflated), Metadata: changed.metadata }));

    const r = await validate(trailArn, standIn, 'us-east-1', '2026-11-01T00:00:00Z', '2026-11-01T03:00:00Z');
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stderr, new RegExp(`Log file\\ts3://sim-tamper/${log.key.replace(/[.]/g, '\\.')}\\tINVALID: hash value doesn't match`));
    assert.match(r.stderr, new RegExp(`Digest file\\ts3://sim-tamper/${changed.key.replace(/[.]/g, '\\.')}\\tINVALID: signature verification failed`));
    assert.match(r.stdout, /^2\/3 digest files valid, 1\/3 digest files INVALID$/m);
  });
});
