// The trail simulator, checked with independent code: node:crypto verifies every signature with
// the key its fingerprint names, zlib inflates, and the S3 key layout is matched by regular
// expressions written from the CloudTrail documentation, not from the simulator.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as crypto from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { SimulatedTrail, SimulatorOptions, signDigestBody, simulateTrail, writeTrailToFolder } from '../fixtures/simulator';

const HOUR = 3600_000;

const sha256 = (b: Buffer | string) => crypto.createHash('sha256').update(b).digest('hex');
const md5 = (b: Buffer) => crypto.createHash('md5').update(b).digest('hex');
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The digest fields in the order CloudTrail writes them (CloudTrail User Guide, digest file structure). */
const DIGEST_FIELDS = [
  'awsAccountId', 'digestStartTime', 'digestEndTime', 'digestS3Bucket', 'digestS3Object', 'digestPublicKeyFingerprint',
  'digestSignatureAlgorithm', 'newestEventTime', 'oldestEventTime', 'previousDigestS3Bucket', 'previousDigestS3Object',
  'previousDigestHashValue', 'previousDigestHashAlgorithm', 'previousDigestSignature', 'logFiles',
];

interface Digest {
  key: string;
  region: string;
  backfill: boolean;
  inflated: Buffer;
  json: {
    awsAccountId: string;
    digestStartTime: string;
    digestEndTime: string;
    digestS3Bucket: string;
    digestS3Object: string;
    digestPublicKeyFingerprint: string;
    digestSignatureAlgorithm: string;
    newestEventTime: string | null;
    oldestEventTime: string | null;
    previousDigestS3Bucket: string | null;
    previousDigestS3Object: string | null;
    previousDigestHashValue: string | null;
    previousDigestHashAlgorithm: string | null;
    previousDigestSignature: string | null;
    logFiles: { s3Bucket: string; s3Object: string; hashValue: string; hashAlgorithm: string; newestEventTime: string; oldestEventTime: string }[];
  };
  metadata: Record<string, string>;
}

interface Log {
  key: string;
  region: string;
  delivery: number;
  inflated: Buffer;
  records: Record<string, unknown>[];
  listedBy: string[];
}

interface Checked {
  digests: Digest[];
  logs: Map<string, Log>;
  keys: Map<string, { der: Buffer; start: number; end: number }>;
  order: string[];
}

function parseMinute(s: string): number {
  return Date.UTC(+s.slice(0, 4), +s.slice(4, 6) - 1, +s.slice(6, 8), +s.slice(9, 11), +s.slice(11, 13));
}

function parseSecond(s: string): number {
  return parseMinute(s) + +s.slice(13, 15) * 1000;
}

/**
 * Generates everything and checks every invariant a validator relies on. Throws on the first
 * violation; returns the parsed trail for scenario-specific checks.
 */
function checkTrail(trail: SimulatedTrail): Checked {
  const o = trail.options;
  const base = `${o.keyPrefix ? escape(o.keyPrefix) + '/' : ''}AWSLogs/${o.organizationId ? o.organizationId + '/' : ''}${o.accountId}/`;
  const regions = o.regions.map(escape).join('|');
  const logRe = new RegExp(`^${base}CloudTrail/(${regions})/(\\d{4})/(\\d{2})/(\\d{2})/${o.accountId}_CloudTrail_\\1_(\\d{8}T\\d{4}Z)_[A-Za-z0-9]{16}\\.json${o.gzip ? '\\.gz' : ''}$`);
  const digestRe = new RegExp(`^${base}CloudTrail-Digest/(${regions})/(\\d{4})/(\\d{2})/(\\d{2})/${o.accountId}_CloudTrail-Digest_\\1_${escape(o.trailName)}_${escape(trail.homeRegion)}_(\\d{8}T\\d{6}Z)(_backfill)?\\.json\\.gz$`);

  // Public keys as ListPublicKeys reports them; the fingerprint is the MD5 of the decoded DER.
  const keys = new Map<string, { der: Buffer; start: number; end: number }>();
  for (const k of trail.publicKeysJson().PublicKeyList) {
    const der = Buffer.from(k.Value, 'base64');
    assert.equal(k.Fingerprint, md5(der));
    assert.match(k.ValidityStartTime, TIME);
    assert.match(k.ValidityEndTime, TIME);
    keys.set(k.Fingerprint, { der, start: Date.parse(k.ValidityStartTime), end: Date.parse(k.ValidityEndTime) });
  }
  assert.equal(keys.size, trail.keys.length);

  const digests: Digest[] = [];
  const logs = new Map<string, Log>();
  const order: string[] = [];
  for (const obj of trail.objects()) {
    assert.ok(!order.includes(obj.key), `duplicate key ${obj.key}`);
    order.push(obj.key);
    if (obj.kind === 'log') {
      const m = logRe.exec(obj.key);
      assert.ok(m, `log key layout: ${obj.key}`);
      const delivery = parseMinute(m[5]);
      assert.equal(`${m[2]}/${m[3]}/${m[4]}`, new Date(delivery).toISOString().slice(0, 10).replace(/-/g, '/'), 'log folder date = delivery date');
      assert.equal(obj.metadata, undefined);
      const inflated = o.gzip ? zlib.gunzipSync(obj.body) : obj.body;
      const text = inflated.toString('utf8');
      assert.ok(text.startsWith('{"Records":[{'), 'compact {"Records":[...]}');
      const records = (JSON.parse(text) as { Records: Record<string, unknown>[] }).Records;
      assert.equal(records.length, o.recordsPerFile);
      for (const r of records) {
        const t = Date.parse(r.eventTime as string);
        assert.match(r.eventTime as string, TIME);
        assert.ok(t < delivery && t >= delivery - 15 * 60_000, `eventTime ${String(r.eventTime)} within 15 min before delivery ${m[5]}`);
        assert.equal(r.awsRegion, m[1]);
        assert.equal(r.recipientAccountId, o.accountId);
        assert.equal(r.managementEvent, true);
        assert.equal(r.eventCategory, 'Management');
        assert.match(r.eventID as string, UUID);
        assert.ok(['AwsApiCall', 'AwsConsoleSignIn', 'AwsServiceEvent'].includes(r.eventType as string));
        if (r.errorCode !== undefined) {
          assert.equal(r.responseElements, null, 'responseElements null on errors');
          assert.equal(typeof r.errorMessage, 'string');
        }
      }
      logs.set(obj.key, { key: obj.key, region: m[1], delivery, inflated, records, listedBy: [] });
      continue;
    }
    const m = digestRe.exec(obj.key);
    assert.ok(m, `digest key layout: ${obj.key}`);
    const inflated = zlib.gunzipSync(obj.body);
    const json = JSON.parse(inflated.toString('utf8')) as Digest['json'];
    assert.deepEqual(Object.keys(json), DIGEST_FIELDS);
    const backfill = m[6] !== undefined;
    const metadata = obj.metadata ?? {};
    assert.deepEqual(Object.keys(metadata).sort(), backfill ? ['backfill-generation-timestamp', 'signature', 'signature-algorithm'] : ['signature', 'signature-algorithm']);
    assert.equal(metadata['signature-algorithm'], 'SHA256withRSA');
    assert.match(metadata.signature, /^[0-9a-f]{512}$/);
    assert.equal(json.awsAccountId, o.accountId);
    assert.equal(json.digestS3Bucket, o.bucket);
    assert.equal(json.digestS3Object, obj.key);
    assert.equal(json.digestSignatureAlgorithm, 'SHA256withRSA');
    assert.match(json.digestStartTime, TIME);
    assert.match(json.digestEndTime, TIME);
    const end = Date.parse(json.digestEndTime);
    assert.ok(Date.parse(json.digestStartTime) < end);
    assert.equal(parseSecond(m[5]), end, 'digest name time = digestEndTime');
    assert.equal(`${m[2]}/${m[3]}/${m[4]}`, json.digestEndTime.slice(0, 10).replace(/-/g, '/'), 'digest folder date = end date');
    // aws-cli reads the key's date at [-24:-8], or [-33:-17] for backfill digests.
    assert.equal(backfill ? obj.key.slice(-33, -17) : obj.key.slice(-24, -8), m[5]);

    // The signature, verified with the key its fingerprint names.
    const key = keys.get(json.digestPublicKeyFingerprint);
    assert.ok(key, `public key ${json.digestPublicKeyFingerprint} is listed`);
    const signedAt = backfill ? Date.parse(metadata['backfill-generation-timestamp']) : end;
    assert.ok(key.start <= signedAt && signedAt <= key.end, 'signing key valid when signing');
    const toSign = `${json.digestEndTime}\n${json.digestS3Bucket}/${json.digestS3Object}\n${sha256(inflated)}\n${json.previousDigestSignature ?? 'null'}`;
    const publicKey = crypto.createPublicKey({ key: key.der, format: 'der', type: 'pkcs1' });
    assert.ok(crypto.verify('sha256', Buffer.from(toSign, 'utf8'), publicKey, Buffer.from(metadata.signature, 'hex')), `signature of ${obj.key}`);

    // Log files: already delivered, hash of the inflated bytes, event time bounds.
    let newest = null as string | null;
    let oldest = null as string | null;
    for (const f of json.logFiles) {
      const log = logs.get(f.s3Object);
      assert.ok(log, `log ${f.s3Object} delivered before the digest that lists it`);
      assert.equal(log.region, m[1]);
      assert.equal(f.s3Bucket, o.bucket);
      assert.equal(f.hashAlgorithm, 'SHA-256');
      assert.equal(f.hashValue, sha256(log.inflated));
      const times = log.records.map((r) => r.eventTime as string).sort();
      assert.equal(f.oldestEventTime, times[0]);
      assert.equal(f.newestEventTime, times[times.length - 1]);
      assert.ok(log.delivery >= Date.parse(json.digestStartTime) - 60_000 && log.delivery < end, 'log delivered in the digest window');
      log.listedBy.push(obj.key);
      newest = newest === null || f.newestEventTime > newest ? f.newestEventTime : newest;
      oldest = oldest === null || f.oldestEventTime < oldest ? f.oldestEventTime : oldest;
    }
    assert.equal(json.newestEventTime, newest);
    assert.equal(json.oldestEventTime, oldest);
    if (json.logFiles.length === 0) {
      assert.ok(inflated.includes('"newestEventTime":null,"oldestEventTime":null'), 'JSON null event times when no logs');
    }
    digests.push({ key: obj.key, region: m[1], backfill, inflated, json, metadata });
  }

  for (const log of logs.values()) {
    assert.equal(log.listedBy.length, 1, `${log.key} is listed by exactly one digest`);
  }

  // Chains, per region: regular digests link to the previous regular digest, backfill digests to
  // the previous backfill digest; a null link only at the start or right after a gap.
  for (const region of o.regions) {
    for (const backfill of [false, true]) {
      const chain = digests.filter((d) => d.region === region && d.backfill === backfill);
      chain.forEach((d, i) => {
        const prev = chain[i - 1];
        const j = d.json;
        if (j.previousDigestS3Object === null) {
          assert.ok(d.inflated.includes('"previousDigestS3Bucket":null,"previousDigestS3Object":null,"previousDigestHashValue":null,"previousDigestHashAlgorithm":null,"previousDigestSignature":null'), 'all previousDigest* are JSON null');
          if (!backfill && prev && prev.json.digestEndTime === j.digestStartTime) {
            assert.fail(`${d.key} has no previous digest although ${prev.key} ends where it starts`);
          }
        } else {
          assert.ok(prev, `${d.key} links to a previous digest`);
          assert.equal(j.previousDigestS3Bucket, o.bucket);
          assert.equal(j.previousDigestS3Object, prev.key);
          assert.equal(j.previousDigestHashAlgorithm, 'SHA-256');
          assert.equal(j.previousDigestHashValue, sha256(prev.inflated));
          assert.equal(j.previousDigestSignature, prev.metadata.signature);
        }
      });
    }
  }
  return { digests, logs, keys, order };
}

function allBytes(trail: SimulatedTrail): string {
  const h = crypto.createHash('sha256');
  for (const o of trail.objects()) {
    h.update(o.key).update(o.body).update(JSON.stringify(o.metadata ?? {}));
  }
  return h.digest('hex');
}

describe('trail simulator', () => {
  describe('a default day', () => {
    let trail: SimulatedTrail;
    let checked: Checked;
    before(() => {
      trail = simulateTrail();
      checked = checkTrail(trail);
    });

    it('signs every digest and links every log and digest correctly', () => {
      assert.equal(checked.digests.length, 24, 'one digest per hour');
      assert.equal(checked.logs.size, 24 * 4);
      assert.equal(checked.digests[0].json.previousDigestS3Object, null, 'the first digest starts a chain');
      assert.ok(checked.digests.slice(1).every((d) => d.json.previousDigestS3Object !== null));
      assert.equal(trail.trailArn, 'arn:aws:cloudtrail:us-east-1:111122223333:trail/management-events');
    });

    it('lays digest windows end to end on hour boundaries, the last one in the next day folder', () => {
      const d = checked.digests;
      assert.equal(d[0].json.digestStartTime, '2026-11-01T00:00:00Z');
      for (let i = 1; i < d.length; i++) {
        assert.equal(d[i].json.digestStartTime, d[i - 1].json.digestEndTime);
        const end = Date.parse(d[i].json.digestEndTime);
        assert.ok(end - Date.parse('2026-11-01T00:00:00Z') - (i + 1) * HOUR < 2 * 60_000);
      }
      assert.match(d[23].key, /CloudTrail-Digest\/us-east-1\/2026\/11\/02\/111122223333_CloudTrail-Digest_us-east-1_management-events_us-east-1_20261102T00\d{4}Z\.json\.gz$/);
    });

    it('yields logs before the digest that lists them, hour by hour', () => {
      const firstDigest = checked.order.findIndex((k) => k.includes('CloudTrail-Digest'));
      assert.equal(firstDigest, 4);
      assert.ok(checked.order.slice(0, 4).every((k) => k.includes('/CloudTrail/')));
    });

    it('writes records with the variety of a real account', () => {
      const records = [...checked.logs.values()].flatMap((l) => l.records);
      const count = (f: (r: Record<string, unknown>) => string | undefined) => {
        const m = new Map<string, number>();
        for (const r of records) {
          const k = f(r);
          if (k !== undefined) {
            m.set(k, (m.get(k) ?? 0) + 1);
          }
        }
        return m;
      };
      const identity = (r: Record<string, unknown>) => r.userIdentity as Record<string, unknown>;
      const types = count((r) => identity(r).type as string | undefined);
      for (const t of ['IAMUser', 'AssumedRole', 'Root', 'AWSService', 'IdentityCenterUser']) {
        assert.ok((types.get(t) ?? 0) > 0, `some ${t} records (${[...types].join(', ')})`);
      }
      assert.ok((types.get('IAMUser') ?? 0) > records.length * 0.2);
      assert.ok((types.get('AssumedRole') ?? 0) > records.length * 0.2);

      // A fixed cast: about ten callers, each with a stable name.
      const callers = count((r) => (identity(r).arn ?? identity(r).invokedBy ?? (identity(r).onBehalfOf as { userId?: string } | undefined)?.userId) as string);
      assert.ok(callers.size >= 8 && callers.size <= 15, `${callers.size} callers`);
      assert.ok([...callers.values()].filter((n) => n > 100).length >= 6, 'several busy callers');

      const ipKind = (ip: string) =>
        ip === 'AWS Internal' ? 'internal' : ip.endsWith('.amazonaws.com') ? 'service' : ip.includes(':') ? 'ipv6' : ip.startsWith('10.') ? 'private' : /^(3|54)\./.test(ip) ? 'aws' : /^\d+\.\d+\.\d+\.\d+$/.test(ip) ? 'public' : 'other';
      const ips = count((r) => ipKind(r.sourceIPAddress as string));
      for (const k of ['internal', 'service', 'ipv6', 'private', 'aws', 'public']) {
        assert.ok((ips.get(k) ?? 0) > 0, `some ${k} source addresses (${[...ips].join(', ')})`);
      }
      assert.equal(ips.get('other'), undefined);
      for (const r of records.filter((r) => (r.sourceIPAddress as string).includes(':'))) {
        assert.match(r.sourceIPAddress as string, /^2001:db8:/i, 'IPv6 from the documentation range');
      }

      const keys = count((r) => (identity(r).accessKeyId as string | undefined)?.slice(0, 4));
      assert.ok((keys.get('AKIA') ?? 0) > 0 && (keys.get('ASIA') ?? 0) > 0);
      assert.ok(records.some((r) => r.sessionCredentialFromConsole === 'true' && (identity(r).accessKeyId as string).startsWith('ASIA')));
      const assumed = records.find((r) => identity(r).type === 'AssumedRole')!;
      const ctx = identity(assumed).sessionContext as { sessionIssuer: { type: string }; attributes: { mfaAuthenticated: string; creationDate: string } };
      assert.equal(ctx.sessionIssuer.type, 'Role');
      assert.ok(['true', 'false'].includes(ctx.attributes.mfaAuthenticated));
      assert.match(ctx.attributes.creationDate, TIME);
      const service = records.find((r) => identity(r).type === 'AWSService')!;
      assert.match(identity(service).invokedBy as string, /\.amazonaws\.com$/);
      const ic = records.find((r) => identity(r).type === 'IdentityCenterUser')!;
      assert.ok(identity(ic).onBehalfOf && identity(ic).credentialId);

      const errors = records.filter((r) => r.errorCode !== undefined || r.errorMessage !== undefined);
      assert.ok(errors.length > records.length * 0.01 && errors.length < records.length * 0.1, `${errors.length} errors`);
      const codes = count((r) => r.errorCode as string | undefined);
      for (const c of ['AccessDenied', 'Client.UnauthorizedOperation', 'ThrottlingException', 'NoSuchEntityException']) {
        assert.ok((codes.get(c) ?? 0) > 0, `some ${c}`);
      }
      const versions = count((r) => r.eventVersion as string);
      assert.ok((versions.get('1.05') ?? 0) > 0 && (versions.get('1.05') ?? 0) < records.length * 0.2);
      for (const v of ['1.08', '1.09', '1.10', '1.11']) {
        assert.ok((versions.get(v) ?? 0) > 0, `eventVersion ${v}`);
      }
      const names = count((r) => r.eventName as string);
      for (const n of ['DescribeInstances', 'RunInstances', 'CreateUser', 'AttachRolePolicy', 'PutBucketPolicy', 'CreateAccessKey', 'ConsoleLogin', 'AssumeRole']) {
        assert.ok((names.get(n) ?? 0) > 0, `some ${n}`);
      }
      const eventTypes = count((r) => r.eventType as string);
      assert.ok(eventTypes.get('AwsApiCall')! > 0 && eventTypes.get('AwsConsoleSignIn')! > 0 && eventTypes.get('AwsServiceEvent')! > 0);
      assert.ok(records.some((r) => r.readOnly === true) && records.some((r) => r.readOnly === false));
      assert.ok(records.some((r) => r.tlsDetails !== undefined));
      const login = records.find((r) => r.eventName === 'ConsoleLogin')!;
      assert.equal(login.eventSource, 'signin.amazonaws.com');
      assert.equal(login.eventType, 'AwsConsoleSignIn');
    });

    it('does not sort records and repeats one now and then with the same eventID', () => {
      const files = [...checked.logs.values()];
      const unsorted = files.filter((l) => {
        const t = l.records.map((r) => r.eventTime as string);
        return t.some((x, i) => i > 0 && x < t[i - 1]);
      });
      assert.ok(unsorted.length > files.length * 0.9);
      const seen = new Map<string, string>();
      let repeats = 0;
      for (const l of files) {
        for (const r of l.records) {
          const text = JSON.stringify(r);
          const before = seen.get(r.eventID as string);
          if (before !== undefined) {
            repeats++;
            assert.equal(text, before, 'a repeated event is the same record');
          }
          seen.set(r.eventID as string, text);
        }
      }
      assert.ok(repeats >= 1 && repeats < 10, `${repeats} repeated records`);
    });
  });

  describe('layouts', () => {
    it('multi-region trail with a key prefix and a trail name with _ . -', () => {
      const trail = simulateTrail({ hours: 3, filesPerHour: 2, recordsPerFile: 5, regions: ['eu-west-1', 'us-east-1', 'ap-southeast-2'], keyPrefix: 'team/prod', trailName: 'org_trail.v2-main' });
      const c = checkTrail(trail);
      assert.equal(trail.homeRegion, 'eu-west-1');
      assert.equal(trail.trailArn, 'arn:aws:cloudtrail:eu-west-1:111122223333:trail/org_trail.v2-main');
      assert.equal(c.digests.length, 3 * 3);
      for (const region of ['eu-west-1', 'us-east-1', 'ap-southeast-2']) {
        const digests = c.digests.filter((d) => d.region === region);
        assert.equal(digests.length, 3);
        for (const d of digests) {
          assert.ok(d.key.startsWith(`team/prod/AWSLogs/111122223333/CloudTrail-Digest/${region}/2026/11/01/111122223333_CloudTrail-Digest_${region}_org_trail.v2-main_eu-west-1_`), d.key);
        }
        assert.equal([...c.logs.values()].filter((l) => l.region === region).length, 6);
      }
      // IAM is a global service: its events land in us-east-1 only.
      const iamRegions = new Set([...c.logs.values()].flatMap((l) => l.records).filter((r) => r.eventSource === 'iam.amazonaws.com').map((r) => r.awsRegion));
      assert.ok([...iamRegions].every((r) => r === 'us-east-1'));
    });

    it('organization trail', () => {
      const trail = simulateTrail({ hours: 2, filesPerHour: 1, recordsPerFile: 3, organizationId: 'o-a1b2c3d4e5', accountId: '444455556666' });
      const c = checkTrail(trail);
      assert.ok([...c.logs.keys()].every((k) => k.startsWith('AWSLogs/o-a1b2c3d4e5/444455556666/CloudTrail/us-east-1/2026/11/01/444455556666_CloudTrail_us-east-1_20261101T')));
      assert.ok(c.digests.every((d) => d.key.startsWith('AWSLogs/o-a1b2c3d4e5/444455556666/CloudTrail-Digest/us-east-1/')));
    });

    it('plain .json log files when gzip is off (digests stay gzip)', () => {
      const trail = simulateTrail({ hours: 2, filesPerHour: 2, recordsPerFile: 3, gzip: false });
      const c = checkTrail(trail);
      assert.ok([...c.logs.keys()].every((k) => k.endsWith('.json')));
      assert.ok(c.digests.every((d) => d.key.endsWith('.json.gz')));
    });

    it('hours without log files still get a digest with empty logFiles', () => {
      const c = checkTrail(simulateTrail({ hours: 3, filesPerHour: 0 }));
      assert.equal(c.logs.size, 0);
      assert.equal(c.digests.length, 3);
      assert.ok(c.digests.every((d) => d.json.logFiles.length === 0 && d.json.newestEventTime === null));
      assert.ok(c.digests[0].inflated.toString().includes('"logFiles":[]'));
    });
  });

  describe('determinism', () => {
    it('the same options give the same bytes, keys and signatures; another seed does not', () => {
      const options: SimulatorOptions = { hours: 2, filesPerHour: 2, recordsPerFile: 20, regions: ['us-east-1', 'eu-central-1'], keyRotations: ['2026-11-01T01:10:00Z'] };
      const a = simulateTrail(options);
      const b = simulateTrail({ ...options });
      assert.equal(allBytes(a), allBytes(b));
      assert.equal(allBytes(a), allBytes(a), 'objects() can be iterated again');
      assert.deepEqual(a.publicKeysJson(), b.publicKeysJson());
      const c = simulateTrail({ ...options, seed: 2 });
      assert.notEqual(allBytes(a), allBytes(c));
      assert.notEqual(a.keys[0].fingerprint, c.keys[0].fingerprint);
      assert.equal(simulateTrail({ seed: 'one' }).keys[0].fingerprint, simulateTrail({ seed: 'one' }).keys[0].fingerprint);
    });

    it('start is truncated to the hour', () => {
      const a = simulateTrail({ start: '2026-03-04T05:06:07Z', hours: 1 });
      assert.equal(a.options.start.toISOString(), '2026-03-04T05:00:00.000Z');
    });
  });

  describe('integrity scenarios', () => {
    it('stopped logging leaves a gap, ends the last digest at the stop and restarts the chain', () => {
      const from = '2026-11-01T02:20:00Z';
      const to = '2026-11-01T04:40:00Z';
      const trail = simulateTrail({ hours: 7, filesPerHour: 4, recordsPerFile: 5, stoppedLogging: [{ from, to }] });
      const c = checkTrail(trail);
      const f = Date.parse(from);
      const t = Date.parse(to);
      for (const log of c.logs.values()) {
        assert.ok(log.delivery < f || log.delivery >= t, `no log delivered while stopped: ${log.key}`);
        for (const r of log.records) {
          const et = Date.parse(r.eventTime as string);
          assert.ok(et < f || et >= t, 'no event recorded while stopped');
        }
      }
      for (const d of c.digests) {
        assert.ok(Date.parse(d.json.digestEndTime) <= f || Date.parse(d.json.digestStartTime) >= t, `no digest covers the stop: ${d.key}`);
      }
      const last = c.digests.find((d) => d.json.digestEndTime === '2026-11-01T02:20:00Z');
      assert.ok(last, 'the final digest before the stop ends at the stop');
      assert.ok(last.key.endsWith('_20261101T022000Z.json.gz'));
      const restart = c.digests.find((d) => d.json.digestStartTime === '2026-11-01T04:40:00Z');
      assert.ok(restart, 'a digest starts at the restart');
      assert.equal(restart.json.previousDigestS3Object, null);
      assert.equal(restart.json.previousDigestSignature, null);
      assert.equal(c.digests.filter((d) => d.json.previousDigestS3Object === null).length, 2);
      assert.equal(c.digests.length, 3 + 3, 'hours 0-1 and the part of 2 before the stop; the part of 4 after it and hours 5-6');
    });

    it('key rotation switches the fingerprint; validity windows overlap by one hour', () => {
      const trail = simulateTrail({ hours: 6, filesPerHour: 1, recordsPerFile: 2, keyRotations: ['2026-11-01T02:30:00Z', '2026-11-01T04:30:00Z'] });
      const c = checkTrail(trail);
      assert.equal(trail.keys.length, 3);
      assert.equal(new Set(trail.keys.map((k) => k.fingerprint)).size, 3);
      for (let i = 1; i < 3; i++) {
        assert.equal(trail.keys[i - 1].validityEnd.getTime() - trail.keys[i].validityStart.getTime(), HOUR);
      }
      const used = c.digests.map((d) => trail.keys.findIndex((k) => k.fingerprint === d.json.digestPublicKeyFingerprint));
      assert.deepEqual(used, [0, 0, 1, 1, 2, 2], 'digests ending 01:00..02:00 key 0, 03:00..04:00 key 1, 05:00..06:00 key 2');
      for (const k of trail.keys) {
        assert.equal(k.fingerprint, md5(k.publicKeyDer));
        assert.equal(k.publicKeyDer.toString('base64'), crypto.createPublicKey(k.privateKey).export({ type: 'pkcs1', format: 'der' }).toString('base64'));
        assert.equal(k.privateKey.asymmetricKeyDetails?.modulusLength, 2048);
        assert.equal(k.privateKey.asymmetricKeyDetails?.publicExponent, 65537n);
      }
    });

    it('backfill digests: named and tagged as aws-cli expects, signed with the key valid when generated', () => {
      // The rotation falls after the simulated period: regular digests use key 0, backfills key 1.
      const trail = simulateTrail({ hours: 5, filesPerHour: 2, recordsPerFile: 3, regions: ['us-east-1', 'eu-west-1'], backfillHours: [1, 2], keyRotations: ['2026-11-01T05:30:00Z'] });
      const c = checkTrail(trail);
      const backfills = c.digests.filter((d) => d.backfill);
      assert.equal(backfills.length, 4);
      assert.ok(c.order.slice(-4).every((k) => k.endsWith('_backfill.json.gz')), 'backfill digests come last');
      for (const b of backfills) {
        const generated = b.metadata['backfill-generation-timestamp'];
        assert.match(generated, TIME);
        assert.ok(Date.parse(generated) > Date.parse('2026-11-01T05:00:00Z'));
        assert.equal(b.json.digestPublicKeyFingerprint, trail.keys[1].fingerprint);
        // aws-cli looks the key up in ListPublicKeys(generated - 1 h, generated + 1 h).
        const g = Date.parse(generated);
        assert.ok(trail.keys[1].validityStart.getTime() <= g + HOUR && trail.keys[1].validityEnd.getTime() >= g - HOUR);
      }
      for (const region of ['us-east-1', 'eu-west-1']) {
        const regular = c.digests.filter((d) => d.region === region && !d.backfill);
        assert.equal(regular.length, 3);
        assert.ok(regular.every((d) => d.json.digestPublicKeyFingerprint === trail.keys[0].fingerprint));
        assert.equal(regular[1].json.previousDigestS3Object, regular[0].key, 'the regular chain skips the backfilled hours');
        assert.equal(regular[1].json.digestStartTime, '2026-11-01T03:' + regular[1].json.digestStartTime.slice(14));
        const bf = backfills.filter((d) => d.region === region);
        assert.equal(bf[0].json.previousDigestS3Object, null);
        assert.equal(bf[1].json.previousDigestS3Object, bf[0].key);
        assert.equal(bf[0].json.logFiles.length, 2);
      }
    });

    it('signDigestBody re-signs a tampered digest so that only the content check can catch it', () => {
      const trail = simulateTrail({ hours: 2, filesPerHour: 1, recordsPerFile: 2 });
      const c = checkTrail(trail);
      const d = c.digests[1];
      const tampered = Buffer.from(d.inflated.toString('utf8').replace(d.json.logFiles[0].hashValue, '0'.repeat(64)), 'utf8');
      assert.notDeepEqual(tampered, d.inflated);
      const signature = signDigestBody(tampered, trail.keys[0].privateKey);
      assert.notEqual(signature, d.metadata.signature);
      const toSign = `${d.json.digestEndTime}\n${d.json.digestS3Bucket}/${d.json.digestS3Object}\n${sha256(tampered)}\n${d.json.previousDigestSignature}`;
      const publicKey = crypto.createPublicKey({ key: trail.keys[0].publicKeyDer, format: 'der', type: 'pkcs1' });
      assert.ok(crypto.verify('sha256', Buffer.from(toSign), publicKey, Buffer.from(signature, 'hex')));
      assert.equal(signDigestBody(d.inflated, trail.keys[0].privateKey), d.metadata.signature, 're-signing the original gives the original signature');
      const other = signDigestBody(d.inflated, trail.keys[0].privateKey, null);
      const nullToSign = `${d.json.digestEndTime}\n${d.json.digestS3Bucket}/${d.json.digestS3Object}\n${sha256(d.inflated)}\nnull`;
      assert.ok(crypto.verify('sha256', Buffer.from(nullToSign), publicKey, Buffer.from(other, 'hex')));
    });
  });

  describe('options', () => {
    it('rejects values that would make an impossible trail', () => {
      assert.throws(() => simulateTrail({ accountId: '12' }), /accountId/);
      assert.throws(() => simulateTrail({ regions: ['nowhere'] }), /regions/);
      assert.throws(() => simulateTrail({ regions: [] }), /regions/);
      assert.throws(() => simulateTrail({ organizationId: 'org-1' }), /organizationId/);
      assert.throws(() => simulateTrail({ hours: 0 }), /hours/);
      assert.throws(() => simulateTrail({ keyRotations: ['2026-10-31T00:00:00Z'] }), /rotations/);
      assert.throws(() => simulateTrail({ backfillHours: [24] }), /backfill/);
      assert.throws(() => simulateTrail({ stoppedLogging: [{ from: '2026-11-01T05:00:00Z', to: '2026-11-01T04:00:00Z' }] }), /stoppedLogging/);
      assert.throws(() => simulateTrail({ start: 'yesterday' }), /start/);
      assert.throws(() => simulateTrail({ keyPrefix: '/lead' }), /keyPrefix/);
    });
  });

  describe('generation cost', () => {
    it('derives a 2048-bit key well under 2 s', () => {
      const started = Date.now();
      const trail = simulateTrail({ seed: `fresh-${process.pid}-${Date.now()}`, hours: 1 });
      const elapsed = Date.now() - started;
      assert.equal(trail.keys[0].privateKey.asymmetricKeyDetails?.modulusLength, 2048);
      assert.ok(elapsed < 2000, `${elapsed} ms`);
    });

    it('generates lazily: the first file of a 480k-record day comes at once', () => {
      const trail = simulateTrail({ hours: 24, filesPerHour: 20, recordsPerFile: 1000 });
      const started = Date.now();
      const it = trail.objects()[Symbol.iterator]();
      const first = it.next();
      assert.equal(first.done, false);
      assert.equal(first.value.kind, 'log');
      assert.ok(Date.now() - started < 1000);
    });
  });

  describe('writing', () => {
    let dir: string;
    before(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ctl-sim-'));
    });
    after(async () => {
      await fs.rm(dir, { recursive: true, force: true });
    });

    it('writeTrailToFolder writes the offline layout', async () => {
      const trail = simulateTrail({ hours: 2, filesPerHour: 2, recordsPerFile: 4, keyPrefix: 'team/prod', backfillHours: [1] });
      const out = path.join(dir, 'folder');
      const result = await writeTrailToFolder(trail, out);
      const objects = [...trail.objects()];
      assert.equal(result.files, objects.length);
      assert.equal(result.bytes, objects.reduce((n, o) => n + o.body.length, 0));
      for (const o of objects) {
        assert.deepEqual(await fs.readFile(path.join(out, ...o.key.split('/'))), o.body);
        assert.ok(o.key.startsWith('team/prod/AWSLogs/'));
      }
      const manifest = JSON.parse(await fs.readFile(path.join(out, 'cloudtrail-lens-offline.json'), 'utf8'));
      assert.equal(manifest.format, 'cloudtrail-lens-offline/1');
      assert.equal(manifest.bucket, 'cloudtrail-lens-demo-logs');
      assert.equal(manifest.prefix, 'team/prod');
      assert.equal(manifest.trailArn, trail.trailArn);
      const digests = objects.filter((o) => o.kind === 'digest');
      assert.deepEqual(Object.keys(manifest.digestMetadata), digests.map((d) => d.key), 'every digest, in delivery order');
      for (const d of digests) {
        assert.deepEqual(manifest.digestMetadata[d.key], d.metadata);
      }
      assert.ok(Object.values(manifest.digestMetadata as Record<string, Record<string, string>>).some((m) => m['backfill-generation-timestamp'] !== undefined));
      assert.deepEqual(JSON.parse(await fs.readFile(path.join(out, 'public-keys.json'), 'utf8')), trail.publicKeysJson());

      const plain = await writeTrailToFolder(simulateTrail({ hours: 1, filesPerHour: 1, recordsPerFile: 1 }), path.join(dir, 'plain'));
      assert.equal(plain.files, 2);
      const m2 = JSON.parse(await fs.readFile(path.join(dir, 'plain', 'cloudtrail-lens-offline.json'), 'utf8'));
      assert.equal(m2.prefix, null);
    });

    it('the CLI writes a trail and rejects bad arguments with exit code 2', async () => {
      const cli = path.join(__dirname, '..', 'fixtures', 'simulator', 'cli.js');
      const run = (args: string[]) =>
        new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
          execFile(process.execPath, [cli, ...args], (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }));
        });
      const out = path.join(dir, 'cli');
      const ok = await run(['--out', out, '--seed', '3', '--hours', '2', '--files-per-hour', '1', '--records-per-file', '2', '--regions', 'us-east-1,eu-west-1', '--trail', 'audit.trail_1', '--prefix', 'p', '--organization', 'o-abcdefghij', '--plain']);
      assert.equal(ok.code, 0, ok.stderr);
      assert.match(ok.stdout, /wrote 8 files/);
      const same = simulateTrail({ seed: 3, hours: 2, filesPerHour: 1, recordsPerFile: 2, regions: ['us-east-1', 'eu-west-1'], trailName: 'audit.trail_1', keyPrefix: 'p', organizationId: 'o-abcdefghij', gzip: false });
      for (const o of same.objects()) {
        assert.deepEqual(await fs.readFile(path.join(out, ...o.key.split('/'))), o.body, 'the CLI writes what the API generates');
      }
      for (const bad of [['--hours', 'x', '--out', out], ['--out', out, '--frobnicate'], [], ['--out', out, '--account', '12'], ['--out', out, '--regions', 'mars-1']]) {
        const r = await run(bad);
        assert.equal(r.code, 2, `exit 2 for ${bad.join(' ')}`);
        assert.match(r.stderr, /^simulator: .+\nUsage: /);
      }
    });
  });
});
