// What the Athena table of a trail bucket projects, read from the bucket's own folders: a local
// folder laid out as `aws s3 sync` writes the bucket stands in for S3. Every layout found must make
// a table whose DDL Hive's grammar accepts.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { LocalObjectStore } from '../../../src/core/aws/localObjectStore';
import type { ObjectStore } from '../../../src/core/aws/objectStore';
import { athenaTableDdl } from '../../../src/core/remote/athenaDdl';
import { bucketLayout, type BucketLayout, type BucketLayoutRequest } from '../../../src/core/remote/athenaLayout';
import { hiveErrors } from '../../fixtures/sqlGrammar';

const BUCKET = 'audit-logs-111122223333';
const BASE: BucketLayoutRequest = { bucket: BUCKET, table: 'cloudtrail_logs', fallbackRegions: ['us-east-1'], fallbackDay: '2024/01/01' };

const roots: string[] = [];

/** A bucket folder holding an empty log file at each key (only the folders matter). */
async function bucketWith(keys: string[]): Promise<ObjectStore> {
  const root = mkdtempSync(path.join(tmpdir(), 'ctl-layout-'));
  roots.push(root);
  for (const key of keys) {
    const file = path.join(root, ...key.split('/'));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '');
  }
  return LocalObjectStore.open(root);
}

function logKey(root: string, account: string, region: string, day: string): string {
  return `${root}${account}/CloudTrail/${region}/${day}/${account}_CloudTrail_${region}_${day.replace(/\//g, '')}T0000Z_abc.json.gz`;
}

/** The layout makes a table Hive's grammar accepts. */
function assertMakesTable(layout: BucketLayout): string {
  const ddl = athenaTableDdl(layout.input);
  assert.deepEqual(hiveErrors(ddl), []);
  return ddl;
}

describe('Athena table layout of a trail bucket', () => {
  after(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  it("projects one account's regions, sorted, from the earliest day of any region", async () => {
    const store = await bucketWith([
      logKey('AWSLogs/', '111122223333', 'us-east-1', '2023/07/14'),
      logKey('AWSLogs/', '111122223333', 'us-east-1', '2023/08/01'),
      logKey('AWSLogs/', '111122223333', 'eu-west-1', '2023/06/30'),
      logKey('AWSLogs/', '111122223333', 'eu-west-1', '2024/01/02'),
      logKey('AWSLogs/', '111122223333', 'ap-southeast-2', '2023/07/01'),
      'AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2023/07/14/digest.json.gz',
      'AWSLogs/111122223333/CloudTrail/not-a-region/2020/01/01/x.json.gz',
    ]);
    const layout = await bucketLayout(store, BASE);
    assert.deepEqual(layout, {
      input: { table: 'cloudtrail_logs', bucket: BUCKET, accountId: '111122223333', regions: ['ap-southeast-2', 'eu-west-1', 'us-east-1'], startDay: '2023/06/30' },
      notes: [],
    });
    const ddl = assertMakesTable(layout);
    assert.match(ddl, /LOCATION 's3:\/\/audit-logs-111122223333\/AWSLogs\/111122223333\/CloudTrail\/'/);
    assert.match(ddl, /'projection\.region\.values'='ap-southeast-2,eu-west-1,us-east-1'/);
    assert.match(ddl, /'projection\.timestamp\.range'='2023\/06\/30,NOW'/);
  });

  it('projects the member accounts of an organization trail, under the organization folder', async () => {
    const store = await bucketWith([
      logKey('AWSLogs/o-abcdefghij/', '444455556666', 'us-east-1', '2023/07/14'),
      logKey('AWSLogs/o-abcdefghij/', '111122223333', 'us-east-1', '2023/07/20'),
      logKey('AWSLogs/o-abcdefghij/', '111122223333', 'eu-central-1', '2023/05/09'),
      'AWSLogs/o-abcdefghij/not-an-account/CloudTrail/us-west-2/2020/01/01/x.json.gz',
    ]);
    const layout = await bucketLayout(store, { ...BASE, database: 'security', ownAccount: '444455556666' });
    assert.deepEqual(layout, {
      input: {
        table: 'cloudtrail_logs',
        database: 'security',
        bucket: BUCKET,
        organizationId: 'o-abcdefghij',
        accountIds: ['111122223333', '444455556666'],
        regions: ['eu-central-1', 'us-east-1'],
        startDay: '2023/05/09',
      },
      notes: [],
    });
    const ddl = assertMakesTable(layout);
    assert.match(ddl, /^CREATE EXTERNAL TABLE security\.cloudtrail_logs \(/);
    assert.match(ddl, /LOCATION 's3:\/\/audit-logs-111122223333\/AWSLogs\/o-abcdefghij\/'/);
    assert.match(ddl, /'projection\.account\.values'='111122223333,444455556666'/);
  });

  it('covers the first organization and says so when the bucket holds several', async () => {
    const store = await bucketWith([logKey('AWSLogs/o-zzzzzzzzzz/', '111122223333', 'us-east-1', '2023/07/14'), logKey('AWSLogs/o-abcdefghij/', '444455556666', 'us-east-1', '2023/07/15')]);
    const layout = await bucketLayout(store, BASE);
    assert.equal(layout.input.organizationId, 'o-abcdefghij');
    assert.deepEqual(layout.input.accountIds, ['444455556666']);
    assert.deepEqual(layout.notes, ['The bucket holds logs of 2 organizations (o-abcdefghij, o-zzzzzzzzzz); the table covers o-abcdefghij.']);
    assertMakesTable(layout);
  });

  it("reads the folders under the trail's key prefix, with or without slashes around it", async () => {
    const store = await bucketWith([logKey('trails/main/AWSLogs/', '111122223333', 'us-west-2', '2023/07/14'), logKey('AWSLogs/', '999999999999', 'us-east-1', '2020/01/01')]);
    for (const prefix of ['trails/main', '/trails/main/']) {
      const layout = await bucketLayout(store, { ...BASE, prefix });
      assert.deepEqual(layout.input, { table: 'cloudtrail_logs', bucket: BUCKET, prefix: 'trails/main', accountId: '111122223333', regions: ['us-west-2'], startDay: '2023/07/14' });
      const ddl = assertMakesTable(layout);
      assert.match(ddl, /LOCATION 's3:\/\/audit-logs-111122223333\/trails\/main\/AWSLogs\/111122223333\/CloudTrail\/'/);
    }
  });

  it("covers the trail's own account when the bucket holds several accounts outside an organization, and says so", async () => {
    const store = await bucketWith([
      logKey('AWSLogs/', '111122223333', 'us-east-1', '2023/07/14'),
      logKey('AWSLogs/', '444455556666', 'eu-west-1', '2022/01/01'),
      logKey('AWSLogs/', '777788889999', 'us-east-1', '2021/01/01'),
    ]);
    const layout = await bucketLayout(store, { ...BASE, ownAccount: '444455556666' });
    assert.equal(layout.input.accountId, '444455556666');
    assert.deepEqual(layout.input.regions, ['eu-west-1']);
    assert.equal(layout.input.startDay, '2022/01/01');
    assert.deepEqual(layout.notes, ['The bucket holds the logs of 3 accounts outside an organization folder; the table covers 444455556666. Run the command again with another trail for the others.']);
    assertMakesTable(layout);

    const unknownOwn = await bucketLayout(store, { ...BASE, ownAccount: '000000000000' });
    assert.equal(unknownOwn.input.accountId, '111122223333', 'the first account when the trail’s own has no folder');
    assert.match(unknownOwn.notes.join('\n'), /3 accounts .*covers 111122223333/);
  });

  it('refuses a bucket without an AWSLogs account folder, naming where it looked', async () => {
    const empty = await bucketWith(['README.txt']);
    await assert.rejects(bucketLayout(empty, BASE), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.match(error.message, /^s3:\/\/audit-logs-111122223333\/AWSLogs\/ has no account folder \(AWSLogs\/<account>\/ or AWSLogs\/<o-id>\/<account>\/\): has the trail delivered any logs there yet\?$/);
      return true;
    });
    const wrongPrefix = await bucketWith([logKey('AWSLogs/', '111122223333', 'us-east-1', '2023/07/14')]);
    await assert.rejects(bucketLayout(wrongPrefix, { ...BASE, prefix: 'other' }), /^Error: s3:\/\/audit-logs-111122223333\/other\/AWSLogs\/ has no account folder/);
    const notAccounts = await bucketWith(['AWSLogs/logs/CloudTrail/us-east-1/2023/07/14/x.json.gz', 'AWSLogs/o-abcdefghij/README.txt']);
    await assert.rejects(bucketLayout(notAccounts, BASE), /s3:\/\/audit-logs-111122223333\/AWSLogs\/ has no account folder/);
  });

  it('projects the fallback regions and day when no region folder exists yet, and says so', async () => {
    const store = await bucketWith(['AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2023/07/14/digest.json.gz', 'AWSLogs/111122223333/CloudTrail/README.txt']);
    const layout = await bucketLayout(store, { ...BASE, fallbackRegions: ['us-east-1', 'eu-west-1'], fallbackDay: '2024/02/29' });
    assert.deepEqual(layout.input, { table: 'cloudtrail_logs', bucket: BUCKET, accountId: '111122223333', regions: ['eu-west-1', 'us-east-1'], startDay: '2024/02/29' });
    assert.deepEqual(layout.notes, ['No region folder yet; the table projects us-east-1, eu-west-1.']);
    assertMakesTable(layout);
  });

  it('takes the fallback day when the region folders hold no day folder yet', async () => {
    const store = await bucketWith(['AWSLogs/111122223333/CloudTrail/us-east-1/2023/README.txt', 'AWSLogs/111122223333/CloudTrail/eu-west-1/latest/x.json.gz']);
    const layout = await bucketLayout(store, BASE);
    assert.deepEqual(layout.input.regions, ['eu-west-1', 'us-east-1']);
    assert.equal(layout.input.startDay, BASE.fallbackDay);
    assert.deepEqual(layout.notes, []);
    assertMakesTable(layout);
  });

  it('reads regions from the first 25 accounts of a large organization, and says so', async () => {
    const accounts = Array.from({ length: 27 }, (_, i) => String(100000000000 + i));
    const store = await bucketWith(accounts.map((a, i) => logKey('AWSLogs/o-abcdefghij/', a, i === 26 ? 'sa-east-1' : 'us-east-1', i === 26 ? '2019/01/01' : '2023/07/14')));
    const layout = await bucketLayout(store, BASE);
    assert.equal(layout.input.accountIds?.length, 27);
    assert.deepEqual(layout.input.regions, ['us-east-1'], 'the 27th account is not listed');
    assert.equal(layout.input.startDay, '2023/07/14');
    assert.deepEqual(layout.notes, ['Regions and the first day were read from the first 25 of 27 accounts.']);
    assertMakesTable(layout);
  });

  it('stops when the listing is cancelled', async () => {
    const store = await bucketWith([logKey('AWSLogs/', '111122223333', 'us-east-1', '2023/07/14')]);
    const controller = new AbortController();
    const seen: string[] = [];
    const cancelling: ObjectStore = {
      description: store.description,
      bucket: store.bucket,
      list: (prefix, options) => store.list(prefix, options),
      listFolder: (prefix, options) => store.listFolder(prefix, options),
      get: (key, options) => store.get(key, options),
      open: (key, options) => store.open(key, options),
      listPrefixes: async (prefix, options) => {
        options?.signal?.throwIfAborted();
        seen.push(prefix);
        if (prefix.endsWith('CloudTrail/')) controller.abort(new Error('cancelled by the user'));
        return store.listPrefixes(prefix);
      },
    };
    await assert.rejects(bucketLayout(cancelling, { ...BASE, signal: controller.signal }), /cancelled by the user/);
    assert.deepEqual(seen, ['AWSLogs/', 'AWSLogs/111122223333/CloudTrail/']);
  });
});
