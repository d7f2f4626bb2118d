// Tampering scenarios shared by the S3 suite and the aws-cli comparison: each one is a small
// simulated trail, what an attacker (or CloudTrail itself) did to it, what our validator must say,
// and where aws-cli says something else and why aws-cli is wrong there.
import * as assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import type { Finding, ValidationResult } from '../../../src/core/integrity';
import type { SimulatorOptions } from '../../fixtures/simulator';
import { ACCOUNT, START, type TrailFixture } from './trailFixture';

export const END = '2026-11-01T04:00:00Z';
const HOUR = 3_600_000;

/** What aws-cli says about an object (absent: it does not mention it) where it is wrong. */
export interface AwsCliWrong {
  /** The object key, or a key pattern with ?? for an estimated digest name. */
  key: string;
  awsCli: 'valid' | 'absent';
  why: string;
}

export interface Scenario {
  name: string;
  sim: SimulatorOptions;
  /** Regions validated (default: all of the trail's). */
  regions?: string[];
  /** GetTrailStatus LatestDigestDeliveryTime per region. */
  latest?: Record<string, string>;
  /** Changes the trail; returns the keys the checks talk about. */
  tamper?: (f: TrailFixture) => Promise<Record<string, string>>;
  check: (r: ValidationResult, f: TrailFixture, keys: Record<string, string>) => void;
  /** Where aws-cli is wrong (computed from the keys); undefined: aws-cli must agree everywhere. */
  awsCliWrong?: (f: TrailFixture, keys: Record<string, string>) => AwsCliWrong[];
  /** Not compared with aws-cli (a reason is required). */
  skipAwsCli?: string;
}

const small: SimulatorOptions = { hours: 4, filesPerHour: 2, recordsPerFile: 3, start: START };

export function findingsAbout(r: ValidationResult, key: string): Finding[] {
  return r.findings.filter((f) => f.object?.key === key);
}

export function verdicts(r: ValidationResult, key: string): string[] {
  return findingsAbout(r, key).map((f) => f.verdict);
}

/** Every non-valid finding, as "verdict code key-or-time". */
export function problems(r: ValidationResult): string[] {
  return r.findings.filter((f) => f.verdict !== 'valid').map((f) => `${f.verdict} ${f.code} ${f.object?.key ?? f.timeRange?.start}`);
}

function only(r: ValidationResult, expected: string[]): void {
  assert.deepEqual(problems(r).sort(), [...expected].sort());
}

export const scenarios: Scenario[] = [
  {
    name: 'clean trail',
    sim: small,
    check: (r, f) => {
      assert.deepEqual(problems(r), []);
      assert.equal(r.summary.outcome, 'valid');
      assert.deepEqual(r.summary.digests, { valid: 4, invalid: 0, other: 0 });
      assert.deepEqual(r.summary.logs, { valid: f.logs().length, invalid: 0, other: 0 });
      assert.equal(r.summary.logs.valid, 8);
    },
  },
  {
    name: 'modified log file',
    sim: small,
    tamper: async (f) => {
      await f.changeLog(f.logs()[3]);
      return { log: f.logs()[3].key };
    },
    check: (r, _f, k) => {
      only(r, [`hash-mismatch log-hash-mismatch ${k.log}`]);
      const m = findingsAbout(r, k.log)[0];
      assert.match(m.message, /has been changed: its SHA-256 does not match the hash in digest/);
      assert.notEqual(m.details?.expectedHash, m.details?.actualHash);
      assert.equal(r.summary.outcome, 'invalid');
    },
  },
  {
    name: 'deleted log file',
    sim: small,
    tamper: async (f) => {
      await f.place.remove(f.logs()[0].key);
      return { log: f.logs()[0].key };
    },
    check: (r, _f, k) => {
      only(r, [`missing log-missing ${k.log}`]);
      assert.match(findingsAbout(r, k.log)[0].message, /is missing: digest .* lists it/);
    },
  },
  {
    name: 'truncated log file (cut inside the deflate data)',
    sim: small,
    tamper: async (f) => {
      const o = f.logs()[2];
      await f.place.put(o.key, o.body.subarray(0, Math.floor(o.body.length / 2)));
      return { log: o.key };
    },
    check: (r, _f, k) => only(r, [`invalid-format gzip-truncated ${k.log}`]),
  },
  {
    name: 'log file truncated inside its gzip trailer (content intact)',
    sim: small,
    tamper: async (f) => {
      const o = f.logs()[1];
      await f.place.put(o.key, o.body.subarray(0, o.body.length - 4));
      return { log: o.key };
    },
    check: (r, _f, k) => only(r, [`invalid-format gzip-truncated ${k.log}`]),
    awsCliWrong: (_f, k) => [{ key: k.log, awsCli: 'valid', why: "Python's decompressobj does not notice a missing gzip trailer (no CRC or length check)" }],
  },
  {
    name: 'log file with bytes appended after its gzip data',
    sim: small,
    tamper: async (f) => {
      const o = f.logs()[4];
      await f.place.put(o.key, Buffer.concat([o.body, Buffer.from('{"Records":[{"eventName":"Hidden"}]}')]));
      return { log: o.key };
    },
    check: (r, _f, k) => {
      only(r, [`invalid-format gzip-trailing-data ${k.log}`]);
      assert.match(findingsAbout(r, k.log)[0].message, /Its content matches the listed hash, but it is not stored as CloudTrail delivered it/);
    },
    awsCliWrong: (_f, k) => [{ key: k.log, awsCli: 'valid', why: 'aws-cli ignores bytes after the first gzip member, which other readers (gunzip, SIEM ingestion) read or reject' }],
  },
  {
    name: 'log file stored uncompressed under its .gz name',
    sim: small,
    tamper: async (f) => {
      const o = f.logs()[5];
      await f.place.put(o.key, zlib.gunzipSync(o.body));
      return { log: o.key };
    },
    check: (r, _f, k) => only(r, [`invalid-format not-gzip ${k.log}`]),
  },
  {
    name: 'modified digest (old signature kept)',
    sim: small,
    tamper: async (f) => {
      const d = f.digests()[1];
      await f.rewriteDigest(d, (t) => t.replace('"logFiles":[{', '"logFiles":[ {'));
      return { digest: d.key };
    },
    check: (r, f, k) => {
      const listed = JSON.parse(f.digestText(f.digests()[1])).logFiles.map((l: { s3Object: string }) => `unverified listed-by-invalid-digest ${l.s3Object}`);
      // The next digest (signed) records the original hash: the chain confirms the change.
      only(r, [`signature-failed signature-mismatch ${k.digest}`, `chain-broken chain-hash-mismatch ${k.digest}`, ...listed]);
      assert.deepEqual(r.summary.digests, { valid: 3, invalid: 1, other: 0 });
    },
  },
  {
    name: 'deleted digest',
    sim: small,
    tamper: async (f) => {
      await f.place.remove(f.digests()[2].key);
      return { digest: f.digests()[2].key };
    },
    check: (r, f, k) => {
      const logs = f.logs().filter((l) => l.key.includes('T02')).map((l) => `unverified not-listed ${l.key}`);
      only(r, [`missing digest-missing ${k.digest}`, ...logs]);
      assert.match(findingsAbout(r, k.digest)[0].message, /names it as its previous digest/);
      assert.deepEqual(r.summary.digests, { valid: 3, invalid: 1, other: 0 });
    },
  },
  {
    name: 'two consecutive deleted digests',
    sim: small,
    tamper: async (f) => {
      await f.place.remove(f.digests()[1].key);
      await f.place.remove(f.digests()[2].key);
      return { first: f.digests()[1].key, second: f.digests()[2].key };
    },
    check: (r, _f, k) => {
      const missing = r.findings.filter((x) => x.verdict === 'missing');
      assert.equal(missing.length, 2, 'each deleted digest is reported on its own');
      assert.equal(missing.find((x) => x.code === 'digest-missing')?.object?.key, k.second);
      const estimated = missing.find((x) => x.code === 'digest-missing-hour')!;
      assert.equal(estimated.object?.key, k.first.replace(/\d{2}Z\.json\.gz$/, '??Z.json.gz'), 'the first one is named up to its unknown seconds');
      assert.equal(estimated.details?.estimated, true);
      assert.deepEqual(r.summary.digests, { valid: 2, invalid: 2, other: 0 });
    },
    awsCliWrong: (_f, k) => [{ key: k.first.replace(/\d{2}Z\.json\.gz$/, '??Z.json.gz'), awsCli: 'absent', why: 'aws-cli reports only the first of several consecutive deleted digests (aws-cli issue #7054)' }],
  },
  {
    name: 'digest re-signed with a stranger key under the real fingerprint',
    sim: small,
    tamper: async (f) => {
      const d = f.digests()[1];
      await f.rewriteDigest(d, (t) => t.replace(/"hashValue":"[0-9a-f]{4}/, '"hashValue":"0000'), 'stranger');
      return { digest: d.key };
    },
    check: (r, _f, k) => assert.deepEqual(findingsAbout(r, k.digest).map((x) => x.code), ['signature-mismatch', 'chain-hash-mismatch', 'chain-signature-mismatch']),
  },
  {
    name: 'digest re-signed with a stranger key and its fingerprint',
    sim: small,
    tamper: async (f) => {
      const d = f.digests()[2];
      await f.rewriteDigest(d, (t) => t.replace(/"digestPublicKeyFingerprint":"[0-9a-f]+"/, '"digestPublicKeyFingerprint":"0123456789abcdef0123456789abcdef"'), 'stranger');
      return { digest: d.key };
    },
    check: (r, _f, k) => {
      assert.deepEqual(findingsAbout(r, k.digest).map((x) => x.code), ['public-key-not-found', 'chain-hash-mismatch', 'chain-signature-mismatch']);
      assert.match(findingsAbout(r, k.digest)[0].message, /no public key has fingerprint 0123456789abcdef0123456789abcdef/);
    },
  },
  {
    name: 'digest without signature metadata',
    sim: small,
    tamper: async (f) => {
      const d = f.digests()[0];
      await f.place.setMetadata(d.key, undefined);
      return { digest: d.key };
    },
    check: (r, _f, k) => {
      assert.deepEqual(findingsAbout(r, k.digest).map((x) => x.code), ['signature-metadata-missing']);
      assert.equal(r.summary.outcome, 'invalid');
    },
  },
  {
    name: 'digest that is not gzip',
    sim: small,
    tamper: async (f) => {
      const d = f.digests()[3];
      await f.place.put(d.key, Buffer.from(f.digestText(d)), d.metadata);
      return { digest: d.key };
    },
    check: (r, _f, k) => assert.deepEqual(findingsAbout(r, k.digest).map((x) => x.code), ['not-gzip']),
  },
  {
    name: 'digest with bytes after its gzip data',
    sim: small,
    tamper: async (f) => {
      const d = f.digests()[1];
      await f.place.put(d.key, Buffer.concat([d.body, zlib.gzipSync('{"logFiles":[]}')]), d.metadata);
      return { digest: d.key };
    },
    check: (r, _f, k) => assert.deepEqual(findingsAbout(r, k.digest).map((x) => x.code), ['gzip-multiple-members']),
    awsCliWrong: (_f, k) => [{ key: k.digest, awsCli: 'valid', why: 'aws-cli reads only the first gzip member of a digest; readers of every member see other JSON' }],
  },
  {
    name: 'digest JSON that is not a digest, and a digest missing fields',
    sim: small,
    tamper: async (f) => {
      await f.place.put(f.digests()[1].key, zlib.gzipSync('[1,2,3]'), f.digests()[1].metadata);
      await f.rewriteDigest(f.digests()[2], (t) => t.replace(/"digestS3Object":"[^"]+",/, ''));
      return { array: f.digests()[1].key, fields: f.digests()[2].key };
    },
    check: (r, _f, k) => {
      assert.deepEqual(findingsAbout(r, k.array).map((x) => x.code), ['not-a-digest']);
      assert.deepEqual(findingsAbout(r, k.fields).map((x) => x.code), ['not-a-digest', 'chain-hash-mismatch']);
      assert.match(findingsAbout(r, k.fields)[0].message, /digestS3Object/);
    },
  },
  {
    name: 'chain hash broken in a digest re-signed with the trail key',
    sim: small,
    tamper: async (f) => {
      const d = f.digests()[2];
      await f.rewriteDigest(d, (t) => t.replace(/"previousDigestHashValue":"[0-9a-f]{8}/, '"previousDigestHashValue":"deadbeef'), 'trail');
      return { digest: d.key, previous: f.digests()[1].key };
    },
    check: (r, _f, k) => {
      // The re-signed digest is itself caught by its successor, which records its original hash and signature.
      only(r, [`chain-broken chain-hash-mismatch ${k.previous}`, `chain-broken chain-hash-mismatch ${k.digest}`, `chain-broken chain-signature-mismatch ${k.digest}`]);
      assert.match(findingsAbout(r, k.previous).find((x) => x.verdict === 'chain-broken')!.message, /differs from what the next digest .* records \(previousDigestHashValue\)/);
    },
    awsCliWrong: (_f, k) => [
      { key: k.previous, awsCli: 'valid', why: 'aws-cli never compares previousDigestHashValue with the previous digest' },
      { key: k.digest, awsCli: 'valid', why: "aws-cli never compares the next digest's previousDigest* fields with this digest" },
    ],
  },
  {
    name: 'chain signature broken in a digest re-signed with the trail key',
    sim: small,
    tamper: async (f) => {
      const d = f.digests()[3];
      await f.rewriteDigest(d, (t) => t.replace(/"previousDigestSignature":"[0-9a-f]{8}/, '"previousDigestSignature":"deadbeef'), 'trail');
      return { digest: d.key, previous: f.digests()[2].key };
    },
    check: (r, _f, k) => only(r, [`chain-broken chain-signature-mismatch ${k.previous}`]),
    awsCliWrong: (_f, k) => [{ key: k.previous, awsCli: 'valid', why: "aws-cli never compares previousDigestSignature with the previous digest's signature metadata" }],
  },
  {
    name: 'wrong account and wrong algorithm in digests re-signed with the trail key',
    sim: small,
    tamper: async (f) => {
      await f.rewriteDigest(f.digests()[0], (t) => t.replace(`"awsAccountId":"${ACCOUNT}"`, '"awsAccountId":"999988887777"'), 'trail');
      await f.rewriteDigest(f.digests()[3], (t) => t.replace('"digestSignatureAlgorithm":"SHA256withRSA"', '"digestSignatureAlgorithm":"SHA1withRSA"'), 'trail');
      return { account: f.digests()[0].key, algorithm: f.digests()[3].key, next: f.digests()[1].key, before: f.digests()[2].key };
    },
    check: (r, _f, k) => {
      assert.ok(verdicts(r, k.account).includes('wrong-account'));
      assert.ok(verdicts(r, k.algorithm).includes('wrong-algorithm'));
      // Re-signing changed their hashes, so the chain around them breaks too (the next digest is signed).
      assert.ok(verdicts(r, k.account).includes('chain-broken'));
    },
    awsCliWrong: (_f, k) => [
      { key: k.account, awsCli: 'valid', why: 'aws-cli does not check awsAccountId (nor the chain hash)' },
      { key: k.algorithm, awsCli: 'valid', why: 'aws-cli does not check digestSignatureAlgorithm' },
    ],
  },
  {
    name: 'deleted newest digests, found against GetTrailStatus',
    sim: small,
    latest: { 'us-east-1': '2026-11-01T04:05:00Z' },
    tamper: async (f) => {
      await f.place.remove(f.digests()[3].key);
      await f.place.remove(f.digests()[2].key);
      return { newest: f.digests()[3].key, before: f.digests()[2].key };
    },
    check: (r, f) => {
      const missing = r.findings.filter((x) => x.verdict === 'missing');
      assert.deepEqual(missing.map((x) => x.code), ['digest-missing-newest', 'digest-missing-newest']);
      assert.match(missing[0].message, /GetTrailStatus says CloudTrail delivered digests until 2026-11-01T04:05:00Z/);
      const unlisted = r.findings.filter((x) => x.code === 'not-listed').length;
      assert.equal(unlisted, f.logs().filter((l) => /T0[23]\d\dZ/.test(l.key)).length, 'their log files are unverified');
    },
    awsCliWrong: (f, k) => [
      { key: k.newest.replace(/\d{2}Z\.json\.gz$/, '??Z.json.gz'), awsCli: 'absent', why: 'aws-cli does not notice deleted newest digests (it starts from the newest one present)' },
      { key: k.before.replace(/\d{2}Z\.json\.gz$/, '??Z.json.gz'), awsCli: 'absent', why: 'aws-cli does not notice deleted newest digests (it starts from the newest one present)' },
      ...f.logs().filter((l) => /T0[23]\d\dZ/.test(l.key)).map((l) => ({ key: l.key, awsCli: 'absent' as const, why: 'aws-cli does not look at log files no digest lists' })),
    ],
  },
  {
    name: 'stopped logging: a gap, not tampering',
    sim: { ...small, stoppedLogging: [{ from: '2026-11-01T01:20:00Z', to: '2026-11-01T02:40:00Z' }] },
    check: (r) => {
      const gap = r.findings.filter((x) => x.verdict === 'gap');
      assert.deepEqual(gap.map((x) => [x.code, x.severity, x.timeRange?.start, x.timeRange?.end]), [['logging-gap', 'info', '2026-11-01T01:20:00Z', '2026-11-01T02:40:00Z']]);
      assert.equal(r.summary.outcome, 'valid');
      assert.equal(r.summary.errors + r.summary.warnings, 0);
    },
  },
  {
    name: 'key rotation inside the range',
    sim: { ...small, keyRotations: ['2026-11-01T01:30:00Z'] },
    check: (r) => {
      assert.deepEqual(problems(r), []);
      assert.equal(new Set(r.findings.filter((x) => x.subject === 'digest').map((x) => x.details?.fingerprint)).size, 2);
      assert.equal(r.scope.publicKeys.length, 2);
    },
  },
  {
    name: 'backfill digests',
    sim: { ...small, backfillHours: [1], keyRotations: ['2026-11-01T04:30:00Z'] },
    check: (r) => {
      assert.deepEqual(problems(r), []);
      assert.deepEqual(r.summary.backfillDigests, { valid: 1, invalid: 0, other: 0 });
      assert.deepEqual(r.summary.digests, { valid: 3, invalid: 0, other: 0 });
      assert.equal(r.summary.logs.valid, 8);
    },
  },
  {
    name: 'multi-region trail with a key prefix and a dotted trail name',
    sim: { ...small, regions: ['us-east-1', 'eu-west-1'], keyPrefix: 'team/prod', trailName: 'org_trail.v2-main' },
    tamper: async (f) => {
      await f.changeLog(f.logs('eu-west-1')[0]);
      return { log: f.logs('eu-west-1')[0].key };
    },
    check: (r, _f, k) => {
      only(r, [`hash-mismatch log-hash-mismatch ${k.log}`]);
      assert.deepEqual(r.summary.digests, { valid: 8, invalid: 0, other: 0 }, 'both regions');
      assert.equal(r.findings.find((x) => x.object?.key === k.log)?.region, 'eu-west-1');
    },
  },
  {
    name: 'a log file no digest lists, and strangers in the trail folders',
    sim: small,
    tamper: async (f) => {
      const source = f.logs()[2];
      const fake = source.key.replace(/_[A-Za-z0-9]{16}\.json\.gz$/, '_FAKEFAKEFAKEFAKE.json.gz');
      await f.place.put(fake, source.body);
      const folder = source.key.slice(0, source.key.lastIndexOf('/') + 1);
      await f.place.put(`${folder}notes.txt`, Buffer.from('not a log'));
      await f.place.put(`${folder}${ACCOUNT}_CloudTrail_us-east-1_20261101T0130Z_HUGE.json.gz`, Buffer.alloc(12 * 1024 * 1024, 7));
      await f.place.put('random/elsewhere.bin', Buffer.alloc(1024, 1));
      return { fake, notes: `${folder}notes.txt`, huge: `${folder}${ACCOUNT}_CloudTrail_us-east-1_20261101T0130Z_HUGE.json.gz` };
    },
    check: (r, _f, k) => {
      only(r, [`unverified not-listed ${k.fake}`, `unverified unexpected-object ${k.notes}`, `unverified not-listed ${k.huge}`]);
      assert.match(findingsAbout(r, k.fake)[0].message, /not listed by any digest although digests cover its delivery/);
      assert.equal(r.summary.outcome, 'incomplete');
    },
    awsCliWrong: (_f, k) => [k.fake, k.notes, k.huge].map((key) => ({ key, awsCli: 'absent' as const, why: 'aws-cli does not look at objects no digest lists' })),
  },
  {
    name: 'organization trail validated for a member account',
    sim: { ...small, hours: 2, organizationId: 'o-abcdefghij', accountId: '444455556666', trailName: 'org-trail' },
    skipAwsCli: 'aws-cli needs DescribeOrganization and create-trail for organization trails; test/unit/simulator.awsCli.test.ts covers that layout',
    check: (r) => {
      assert.deepEqual(problems(r), []);
      assert.deepEqual(r.summary.digests, { valid: 2, invalid: 0, other: 0 });
      assert.ok(r.findings.every((x) => !x.object || x.object.key.includes('AWSLogs/o-abcdefghij/444455556666/')));
    },
  },
];

/** The range every scenario validates. */
export function rangeOf(s: Scenario): { start: Date; end: Date } {
  return { start: new Date(START), end: new Date(Date.parse(START) + (s.sim.hours ?? 24) * HOUR) };
}
