import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { describeAwsError } from '../../../src/core/aws/awsErrors';
import { createS3Client } from '../../../src/core/aws/clients';
import { LocalObjectStore } from '../../../src/core/aws/localObjectStore';
import { ObjectNotFoundError, type ObjectStore } from '../../../src/core/aws/objectStore';
import { bucketRegion, S3ObjectStore } from '../../../src/core/aws/s3ObjectStore';
import { publicKeysFromJson, publicKeysToJson } from '../../../src/core/aws/trailApi';
import { startMoto, type MotoServer } from '../../fixtures/moto';
import { simulateTrail, writeTrailToFolder, writeTrailToS3, type SimulatedTrail } from '../../fixtures/simulator';

const trail: SimulatedTrail = simulateTrail({ seed: 11, hours: 2, filesPerHour: 2, recordsPerFile: 3, keyPrefix: 'team/prod' });
const digestKeys = [...trail.objects()].filter((o) => o.kind === 'digest').map((o) => o.key);
const logKeys = [...trail.objects()].filter((o) => o.kind === 'log').map((o) => o.key);

async function keys(store: ObjectStore, prefix: string, startAfter?: string): Promise<string[]> {
  const out: string[] = [];
  for await (const o of store.list(prefix, { startAfter })) out.push(o.key);
  return out;
}

/** The same behaviour from both stores. */
function behavesLikeABucket(make: () => Promise<ObjectStore>): void {
  it('lists keys under a prefix in ascending order, after a start key', async () => {
    const store = await make();
    const all = [...digestKeys, ...logKeys].sort();
    assert.deepEqual(await keys(store, 'team/prod/AWSLogs/'), all);
    assert.deepEqual(await keys(store, 'team/prod/AWSLogs/', all[2]), all.slice(3));
    assert.deepEqual(await keys(store, 'team/prod/AWSLogs/111122223333/CloudTrail-Digest/'), [...digestKeys].sort());
    assert.deepEqual(await keys(store, 'nothing/here/'), []);
  });

  it('lists folders one level down', async () => {
    const store = await make();
    assert.deepEqual(await store.listPrefixes('team/prod/AWSLogs/111122223333/'), ['team/prod/AWSLogs/111122223333/CloudTrail-Digest/', 'team/prod/AWSLogs/111122223333/CloudTrail/']);
  });

  it('pages through one folder level: sub-folders and objects in key order', async () => {
    const store = await make();
    const dayPrefix = logKeys[0].slice(0, logKeys[0].lastIndexOf('/') + 1);
    const expected = logKeys.filter((k) => k.startsWith(dayPrefix)).sort();
    const first = await store.listFolder(dayPrefix, { maxKeys: 2 });
    assert.deepEqual(first.folders, []);
    assert.deepEqual(first.objects.map((o) => o.key), expected.slice(0, 2));
    assert.ok(first.nextToken);
    const second = await store.listFolder(dayPrefix, { maxKeys: 100, nextToken: first.nextToken });
    assert.deepEqual(second.objects.map((o) => o.key), expected.slice(2));
    assert.equal(second.nextToken, undefined);
    const top = await store.listFolder('team/prod/AWSLogs/');
    assert.deepEqual(top.folders, ['team/prod/AWSLogs/111122223333/']);
  });

  it('returns bytes and the digest signature metadata, and a stream with the same bytes', async () => {
    const store = await make();
    const expected = [...trail.objects()].find((o) => o.key === digestKeys[0]);
    const got = await store.get(digestKeys[0]);
    assert.deepEqual(got.body, expected?.body);
    assert.equal(got.metadataKnown, true);
    assert.equal(got.metadata.signature, expected?.metadata?.signature);
    assert.equal(got.metadata['signature-algorithm'], 'SHA256withRSA');
    const opened = await store.open(digestKeys[0]);
    const chunks: Buffer[] = [];
    for await (const c of opened.stream as AsyncIterable<Buffer>) chunks.push(c);
    assert.deepEqual(Buffer.concat(chunks), expected?.body);
  });

  it('says which object is missing', async () => {
    const store = await make();
    await assert.rejects(store.get('team/prod/missing.json.gz'), (e: unknown) => e instanceof ObjectNotFoundError && e.key === 'team/prod/missing.json.gz');
  });
}

describe('LocalObjectStore (a folder as aws s3 sync lays it out)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'local-store-'));
  before(async () => {
    await writeTrailToFolder(trail, dir);
  });
  behavesLikeABucket(() => LocalObjectStore.open(dir));

  it('knows the bucket from the offline manifest, and refuses keys that leave the folder', async () => {
    const store = await LocalObjectStore.open(dir);
    assert.equal(store.bucket, 'cloudtrail-lens-demo-logs');
    assert.equal(store.hasMetadata, true);
    await assert.rejects(store.get('../outside'), /points outside/);
  });

  it('reads the saved ListPublicKeys answer and writes it back the same', () => {
    const text = readFileSync(path.join(dir, 'public-keys.json'), 'utf8');
    const keys = publicKeysFromJson(text, 'public-keys.json');
    assert.equal(keys.length, 1);
    assert.equal(keys[0].fingerprint, trail.keys[0].fingerprint);
    assert.deepEqual(keys[0].value, trail.keys[0].publicKeyDer);
    assert.deepEqual(publicKeysFromJson(publicKeysToJson(keys), 'again'), keys);
    assert.throws(() => publicKeysFromJson('{"x":1}', 'k.json'), /k\.json: expected a ListPublicKeys answer/);
  });
});

describe('S3ObjectStore (moto)', function () {
  this.timeout(60_000);
  let moto: MotoServer;
  let client: S3Client;
  before(async () => {
    moto = await startMoto();
    client = createS3Client({ endpoints: { s3: moto.endpoint }, credentials: async () => ({ accessKeyId: 'testing', secretAccessKey: 'testing' }) }, 'us-east-1');
    await writeTrailToS3(trail, client);
  });
  after(async () => {
    client?.destroy();
    await moto?.stop();
  });
  behavesLikeABucket(async () => new S3ObjectStore(client, trail.bucket));

  it('finds the bucket region, and names a missing bucket', async () => {
    assert.equal(await bucketRegion(client, trail.bucket), 'us-east-1');
    const error = await new S3ObjectStore(client, 'no-such-bucket').get('x').catch((e: unknown) => e);
    assert.equal(describeAwsError(error, 'GetObject', 's3://no-such-bucket/x').kind, 'not-found');
  });
});

describe('AWS error messages', () => {
  it('names the missing permission, the login to run, and never a URL with a query', () => {
    const denied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    assert.equal(describeAwsError(denied, 'ListObjectsV2', 's3://logs').message, 'ListObjectsV2 on s3://logs was denied: the identity needs s3:ListBucket on that resource. Ask for it or choose another profile.');
    const expired = Object.assign(new Error('The SSO session associated with this profile has expired or is otherwise invalid.'), { name: 'CredentialsProviderError' });
    assert.match(describeAwsError(expired, 'DescribeTrails', 'us-east-1', 'dev').message, /Run "aws sso login --profile dev"/);
    const other = new Error('failed at https://bucket.s3.amazonaws.com/key?X-Amz-Signature=secret');
    assert.doesNotMatch(describeAwsError(other, 'GetObject', 's3://b/k').message, /secret/);
  });
});
