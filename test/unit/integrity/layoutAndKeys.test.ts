// Key names (trail names with '_', '.', '-'; other trails in the same folder), public keys in both
// DER forms chosen by fingerprint and validity, digest JSON checks, user time parsing, and the
// Markdown report.
import * as assert from 'node:assert/strict';
import { createPublicKey } from 'node:crypto';
import * as zlib from 'node:zlib';
import type { PublicKey } from '../../../src/core/aws/trailApi';
import { parseDigest } from '../../../src/core/integrity/digestFile';
import { digestStringToSign, verifyDigestSignature } from '../../../src/core/integrity/digestSignature';
import { chooseKey, fingerprintOf } from '../../../src/core/integrity/publicKeys';
import { renderReport } from '../../../src/core/integrity/report';
import { messageBesideFile } from '../../../src/core/integrity/verdictText';
import { parseUserTime } from '../../../src/core/integrity/time';
import { digestKey, matchDigestKey, parseDigestKey, parseLogKey } from '../../../src/core/integrity/trailLayout';
import { validateTrail } from '../../../src/core/integrity';
import { openLocalTrail } from '../../../src/core/integrity/localTrail';
import { deterministicRsaKey, sha256Hex, signText } from '../../fixtures/simulator';
import { folderTrail, START } from './trailFixture';

const loc = { prefix: 'team/prod', accountId: '111122223333', trailName: 'org_trail.v2-main', homeRegion: 'us-east-1' };

describe('integrity: key layout', () => {
  it('builds and reads digest keys of trail names with _ . -, and tells other trails apart', () => {
    const key = digestKey(loc, 'eu-west-1', Date.parse('2026-11-01T03:01:22Z'));
    assert.equal(key, 'team/prod/AWSLogs/111122223333/CloudTrail-Digest/eu-west-1/2026/11/01/111122223333_CloudTrail-Digest_eu-west-1_org_trail.v2-main_us-east-1_20261101T030122Z.json.gz');
    assert.deepEqual(matchDigestKey(loc, 'eu-west-1', key), { kind: 'digest', endMs: Date.parse('2026-11-01T03:01:22Z'), backfill: false });
    assert.deepEqual(matchDigestKey(loc, 'eu-west-1', key.replace('.json.gz', '_backfill.json.gz')).kind, 'digest');
    const shorter = { ...loc, trailName: 'org' };
    assert.equal(matchDigestKey(shorter, 'eu-west-1', key).kind, 'foreign', "trail 'org' does not claim trail 'org_trail.v2-main'");
    assert.equal(matchDigestKey(loc, 'eu-west-1', key.replace('030122Z', '0301Z')).kind, 'malformed');
    assert.equal(matchDigestKey(loc, 'eu-west-1', key.replace('2026/11/01/', '2026/11/01/x/')).kind, 'malformed');
    assert.equal(matchDigestKey(loc, 'eu-west-1', key.replace('20261101T030122Z', '20261341T030122Z')).kind, 'malformed', 'month 13 is no time');
    const parts = parseDigestKey(key)!;
    assert.deepEqual([parts.location.prefix, parts.location.trailName, parts.location.homeRegion, parts.region], ['team/prod', 'org_trail.v2-main', 'us-east-1', 'eu-west-1']);
  });

  it('reads log keys, with or without the unique part, organization layout included', () => {
    const key = 'AWSLogs/o-abcdefghij/444455556666/CloudTrail/eu-west-1/2026/11/01/444455556666_CloudTrail_eu-west-1_20261101T0305Z_abc.json.gz';
    const parts = parseLogKey(key)!;
    assert.deepEqual([parts.organizationId, parts.accountId, parts.region, parts.deliveryMs, parts.gzip], ['o-abcdefghij', '444455556666', 'eu-west-1', Date.parse('2026-11-01T03:05:00Z'), true]);
    assert.ok(parseLogKey('p/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01/111122223333_CloudTrail_us-east-1_20261101T0305Zabc.json.gz'));
    assert.equal(parseLogKey('AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01/notes.txt'), undefined);
    assert.equal(parseLogKey('AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01/999999999999_CloudTrail_us-east-1_20261101T0305Z_a.json.gz'), undefined);
  });

  it('parses times as given by users (zone honoured, none means UTC)', () => {
    assert.equal(parseUserTime('2026-11-01T05:21:42Z')?.toISOString(), '2026-11-01T05:21:42.000Z');
    assert.equal(parseUserTime('2026-11-01T05:21')?.toISOString(), '2026-11-01T05:21:00.000Z');
    assert.equal(parseUserTime('2026-11-01')?.toISOString(), '2026-11-01T00:00:00.000Z');
    assert.equal(parseUserTime('2026-11-01T07:21:42+02:00')?.toISOString(), '2026-11-01T05:21:42.000Z');
    assert.equal(parseUserTime('yesterday'), undefined);
  });
});

describe('integrity: public keys and signatures', () => {
  const material = deterministicRsaKey('keys-test', 0);
  const spki = createPublicKey(material.privateKey).export({ type: 'spki', format: 'der' });
  const at = Date.parse('2026-11-01T01:00:00Z');
  const key = (value: Buffer, fingerprint = fingerprintOf(value)): PublicKey => ({ value, fingerprint, validityStart: new Date('2026-11-01T00:00:00Z'), validityEnd: new Date('2026-11-02T00:00:00Z') });
  const text = digestStringToSign('2026-11-01T01:00:00Z', 'b', 'k', sha256Hex('{}'), null);
  const signature = signText(text, material.privateKey);

  it('verifies with a PKCS#1 key and with a SubjectPublicKeyInfo key', () => {
    for (const der of [material.publicKeyDer, spki]) {
      const choice = chooseKey([key(der)], fingerprintOf(der), at, at + 3600_000);
      assert.ok(choice.ok);
      assert.ok(choice.ok && verifyDigestSignature(text, signature, choice.key.key));
      assert.ok(choice.ok && !verifyDigestSignature(text.replace('null', 'nul1'), signature, choice.key.key));
    }
  });

  it('refuses a key not valid at signing time, an unknown fingerprint and bytes that do not match the fingerprint', () => {
    const k = key(material.publicKeyDer);
    assert.deepEqual(chooseKey([k], k.fingerprint, Date.parse('2026-12-01T00:00:00Z'), Date.parse('2026-12-01T02:00:00Z')), { ok: false, code: 'public-key-not-found', reason: `the public key with fingerprint ${k.fingerprint} was not valid when the digest was signed` });
    assert.equal(chooseKey([k], 'ffff', at, at).ok, false);
    const forged = key(spki, k.fingerprint);
    const c = chooseKey([forged], k.fingerprint, at, at + 1);
    assert.deepEqual(c.ok ? 'ok' : c.code, 'public-key-unusable');
  });
});

describe('integrity: digest JSON checks', () => {
  const good = { awsAccountId: '1', digestStartTime: '2026-11-01T00:00:00Z', digestEndTime: '2026-11-01T01:00:00Z', digestS3Bucket: 'b', digestS3Object: 'k', digestPublicKeyFingerprint: 'f', digestSignatureAlgorithm: 'SHA256withRSA', previousDigestSignature: null, logFiles: [] };
  it('accepts a digest and names what is wrong with others', () => {
    assert.ok(parseDigest(Buffer.from(JSON.stringify(good))).ok);
    const bad = (o: unknown): string => {
      const r = parseDigest(Buffer.from(typeof o === 'string' ? o : JSON.stringify(o)));
      return r.ok ? 'ok' : `${r.code}: ${r.reason}`;
    };
    assert.match(bad('{"a":'), /^not-json/);
    assert.match(bad(Buffer.from([0xff, 0xfe]).toString('latin1')), /^not-json/);
    assert.match(bad([good]), /^not-a-digest: its JSON is not an object/);
    assert.match(bad({ ...good, digestEndTime: 'yesterday' }), /digestEndTime/);
    assert.match(bad({ ...good, logFiles: [{ s3Bucket: 'b' }] }), /logFiles\[0\]/);
    assert.match(bad({ ...good, previousDigestS3Object: 'x' }), /some set, some null/);
    const { previousDigestSignature: _omit, ...noPrevious } = good;
    assert.match(bad(noPrevious), /previousDigestSignature/);
  });
  it('rejects invalid UTF-8 instead of replacing it', () => {
    const bytes = Buffer.concat([Buffer.from(JSON.stringify(good).slice(0, -1) + ',"x":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    assert.equal(parseDigest(bytes).ok, false);
    assert.ok(zlib.gzipSync(bytes).length > 0);
  });
});

describe('integrity: Markdown report', () => {
  it('says what was checked, the verdict, counts, each finding, the checks beyond aws-cli and what was not checked', async () => {
    const f = await folderTrail({ hours: 2, filesPerHour: 1, recordsPerFile: 2, start: START });
    await f.place.remove(f.logs()[0].key);
    const local = await openLocalTrail(f.dir);
    const result = await validateTrail({ ...local, start: new Date(START), end: new Date('2026-11-01T02:00:00Z') });
    const md = renderReport(result, { toolVersion: 'cloudtrail-lens 9.9.9', generatedAt: new Date('2026-11-29T12:00:00Z') });
    assert.match(md, /^# CloudTrail log file integrity report\n\n## Verdict\n\n\*\*INVALID\*\*/);
    assert.match(md, /\| Trail \| arn:aws:cloudtrail:us-east-1:111122223333:trail\/management-events \|/);
    assert.match(md, /\| Range \(log delivery time, UTC\) \| 2026-11-01T00:00:00Z to 2026-11-01T02:00:00Z \|/);
    assert.match(md, /\| Tool \| cloudtrail-lens 9\.9\.9 \|/);
    assert.match(md, new RegExp(`\\| us-east-1 \\| \`${f.trail.keys[0].fingerprint}\` \\|`));
    assert.match(md, /\| Log files \| 2 \| 1 \| 1 \| 0 \|/);
    // A file of the local copy is named by its path there, not as an s3:// URI.
    const localPath = `${f.dir}/${f.logs()[0].key}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    assert.match(md, new RegExp(`\\| error \\| missing \\| log \\| us-east-1 \\| \`${localPath}\` \\|`));
    assert.doesNotMatch(md, /s3:\/\//);
    assert.match(md, /## Checks beyond aws cloudtrail validate-logs\n\n- Every chain link/);
    assert.match(md, /\| Newest digests checked against GetTrailStatus \| us-east-1 \|/);
    assert.match(md, /## What could not be checked\n\n- Public keys came from .*public-keys\.json, not from AWS/);
  });
});

describe('integrity: messages beside the file', () => {
  it('start with the verdict and name the file "this log file" where the file is already shown', () => {
    const key = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01/x.json.gz';
    assert.equal(
      messageBesideFile({ verdict: 'hash-mismatch', message: `Log file ${key} has been changed: its SHA-256 does not match.`, object: { bucket: 'copy', key, path: `/copy/${key}` } }),
      'changed after delivery: this log file has been changed: its SHA-256 does not match.',
    );
    assert.equal(messageBesideFile({ verdict: 'signature-failed', message: `Digest s3://b/${key} is not signed.`, object: { bucket: 'b', key } }), 'signature does not verify: this digest is not signed.');
    assert.equal(messageBesideFile({ verdict: 'gap', message: 'No digests from 01:00 to 03:00.' }), 'gap in the digests: No digests from 01:00 to 03:00.');
  });
});
