import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { createCloudTrailClient } from '../../../src/core/aws/clients';
import { listProfiles } from '../../../src/core/aws/profiles';
import { RateLimiter } from '../../../src/core/aws/rateLimiter';
import { searchEvents } from '../../../src/core/aws/searchEvents';
import { listTrails, trailAccount } from '../../../src/core/aws/trailCatalog';
import { SdkTrailApi, type TrailApi, type TrailSummary } from '../../../src/core/aws/trailApi';
import { startCloudTrailFront, type CloudTrailFront, type FrontRecord } from '../../fixtures/cloudTrailFront';
import { record } from '../../fixtures/records';

const credentials = async () => ({ accessKeyId: 'testing', secretAccessKey: 'testing' });

function trail(name: string, homeRegion: string, multi = true): TrailSummary {
  return { name, arn: `arn:aws:cloudtrail:${homeRegion}:111122223333:trail/${name}`, homeRegion, isMultiRegion: multi, isOrganizationTrail: false, logFileValidationEnabled: true, s3BucketName: 'logs' };
}

function fakeApi(region: string, trails: TrailSummary[] | Error): TrailApi {
  return {
    region,
    describeTrails: async () => {
      if (trails instanceof Error) throw trails;
      return trails;
    },
    getTrailStatus: async () => ({ isLogging: true }),
    listPublicKeys: async () => [],
    lookupEvents: async () => ({ events: [] }),
  };
}

describe('trail catalog', () => {
  it('lists a multi-region trail once, with its home region, and keeps going when a region fails', async () => {
    const org = trail('org', 'us-east-1');
    const local = trail('eu-only', 'eu-west-1', false);
    const denied = Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
    const catalog = await listTrails([fakeApi('us-east-1', [org]), fakeApi('eu-west-1', [org, local]), fakeApi('ap-south-1', denied)]);
    assert.deepEqual(catalog.trails.map((t) => `${t.name}@${t.homeRegion}`), ['eu-only@eu-west-1', 'org@us-east-1']);
    assert.deepEqual(catalog.failures.map((f) => f.region), ['ap-south-1']);
    assert.equal(trailAccount(org.arn), '111122223333');
  });
});

describe('profiles of the shared config files', () => {
  it('lists every profile with how it gets credentials', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'aws-config-'));
    writeFileSync(
      path.join(dir, 'config'),
      ['[default]', 'region = eu-west-1', '[profile sso-dev]', 'sso_session = corp', 'sso_account_id = 111122223333', '[sso-session corp]', 'sso_start_url = https://corp.awsapps.com/start', '[profile auditor]', 'role_arn = arn:aws:iam::111122223333:role/Audit', 'source_profile = default', '[profile proc]', 'credential_process = /bin/get-creds'].join('\n'),
    );
    writeFileSync(path.join(dir, 'credentials'), ['[default]', 'aws_access_key_id = AKIAEXAMPLE', 'aws_secret_access_key = x', '[static-only]', 'aws_access_key_id = AKIAEXAMPLE2', 'aws_secret_access_key = y'].join('\n'));
    const saved = { config: process.env.AWS_CONFIG_FILE, credentials: process.env.AWS_SHARED_CREDENTIALS_FILE };
    process.env.AWS_CONFIG_FILE = path.join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, 'credentials');
    try {
      const profiles = await listProfiles();
      assert.deepEqual(
        profiles.map((p) => `${p.name}: ${p.kind}${p.region ? ` (${p.region})` : ''}`),
        ['default: static keys (eu-west-1)', 'auditor: assume role', 'proc: credential process', 'sso-dev: SSO', 'static-only: static keys'],
      );
    } finally {
      for (const [k, v] of [['AWS_CONFIG_FILE', saved.config], ['AWS_SHARED_CREDENTIALS_FILE', saved.credentials]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});

describe('rate limiter', () => {
  it('spaces calls at least the interval apart, in order', async () => {
    const limiter = new RateLimiter(100);
    const times: number[] = [];
    const started = Date.now();
    await Promise.all([0, 1, 2, 3].map(async () => {
      await limiter.take();
      times.push(Date.now() - started);
    }));
    for (let i = 1; i < times.length; i++) assert.ok(times[i] - times[i - 1] >= 95, `calls ${i - 1} and ${i} were ${times[i] - times[i - 1]} ms apart`);
  });
});

describe('Search Events (LookupEvents through the SDK against a throttling front)', function () {
  this.timeout(60_000);
  let front: CloudTrailFront;
  const events: FrontRecord[] = Array.from({ length: 260 }, (_, i) => record({ eventTime: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString().replace('.000Z', 'Z'), eventName: i % 10 === 0 ? 'ConsoleLogin' : 'DescribeInstances' }) as FrontRecord);

  before(async () => {
    front = await startCloudTrailFront({ upstream: 'http://127.0.0.1:9', events, maxLookupsPerSecond: 2 });
  });
  after(() => front.close());

  function api(): SdkTrailApi {
    return new SdkTrailApi(createCloudTrailClient({ endpoints: { cloudtrail: front.url }, credentials, maxAttempts: 1 }, 'us-east-1'), 'us-east-1');
  }

  it('fetches page by page, newest first, within 2 requests per second, never throttled', async () => {
    front.lookupCalls.length = 0;
    const result = await searchEvents(api(), { maxEvents: 200 }, { limiter: new RateLimiter(550) });
    assert.equal(result.records.length, 200);
    assert.equal(result.pages, 4);
    assert.equal(result.truncated, true);
    assert.equal(result.records[0].eventTime, '2026-11-01T04:19:00Z');
    assert.equal(front.lookupCalls.filter((c) => c.throttled).length, 0);
  });

  it('filters by a lookup attribute and stops when there is no next page', async () => {
    const result = await searchEvents(api(), { attribute: { key: 'EventName', value: 'ConsoleLogin' }, maxEvents: 500 }, { limiter: new RateLimiter(550) });
    assert.equal(result.records.length, 26);
    assert.equal(result.truncated, false);
    assert.ok(result.records.every((r) => r.eventName === 'ConsoleLogin'));
  });

  it('backs off when throttled anyway (another tool shares the limit) and still completes', async () => {
    front.lookupCalls.length = 0;
    const progress: number[] = [];
    const result = await searchEvents(api(), { maxEvents: 150 }, { limiter: new RateLimiter(0), backoffMs: 200, onProgress: (p) => p.throttledForMs && progress.push(p.throttledForMs) });
    assert.equal(result.records.length, 150);
    assert.ok(result.throttledRequests > 0, 'the front throttled nothing');
    assert.equal(result.throttledRequests, front.lookupCalls.filter((c) => c.throttled).length);
    assert.deepEqual(progress.slice(0, 1), [200]);
  });

  it('stops at once when cancelled', async () => {
    const controller = new AbortController();
    const search = searchEvents(api(), { maxEvents: 260 }, { limiter: new RateLimiter(550), signal: controller.signal });
    setTimeout(() => controller.abort(), 600);
    await assert.rejects(search);
  });
});
