// A digest file's JSON, checked field by field before anything trusts it: every digest in a bucket
// is hostile input until its signature verifies.
import { parseDigestTime } from './time';

export interface DigestLogEntry {
  s3Bucket: string;
  s3Object: string;
  hashValue: string;
  hashAlgorithm: string | undefined;
}

export interface DigestDocument {
  awsAccountId: string;
  digestStartTime: string;
  digestEndTime: string;
  startMs: number;
  endMs: number;
  digestS3Bucket: string;
  digestS3Object: string;
  digestPublicKeyFingerprint: string;
  digestSignatureAlgorithm: string;
  previousDigestS3Bucket: string | null;
  previousDigestS3Object: string | null;
  previousDigestHashValue: string | null;
  previousDigestHashAlgorithm: string | null;
  previousDigestSignature: string | null;
  logFiles: DigestLogEntry[];
}

export type ParsedDigest = { ok: true; digest: DigestDocument } | { ok: false; code: 'not-json' | 'not-a-digest'; reason: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function nullableString(o: Record<string, unknown>, field: string): string | null | undefined {
  const v = o[field];
  if (v === undefined || v === null) return null;
  return typeof v === 'string' ? v : undefined;
}

/**
 * Parses inflated digest bytes. Invalid UTF-8 is rejected rather than replaced (the signature covers
 * the exact bytes, and a replaced character would make the parsed fields differ from them).
 */
export function parseDigest(content: Buffer): ParsedDigest {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(content));
  } catch (error) {
    return { ok: false, code: 'not-json', reason: `it is not UTF-8 JSON (${(error as Error).message})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, code: 'not-a-digest', reason: 'its JSON is not an object' };
  }
  const o = value as Record<string, unknown>;
  const bad: string[] = [];
  const str = (field: string): string => {
    const v = o[field];
    if (typeof v !== 'string') bad.push(field);
    return typeof v === 'string' ? v : '';
  };
  const awsAccountId = str('awsAccountId');
  const digestStartTime = str('digestStartTime');
  const digestEndTime = str('digestEndTime');
  const digestS3Bucket = str('digestS3Bucket');
  const digestS3Object = str('digestS3Object');
  const digestPublicKeyFingerprint = str('digestPublicKeyFingerprint');
  const digestSignatureAlgorithm = str('digestSignatureAlgorithm');
  const startMs = parseDigestTime(digestStartTime);
  const endMs = parseDigestTime(digestEndTime);
  if (digestStartTime && startMs === undefined) bad.push('digestStartTime');
  if (digestEndTime && endMs === undefined) bad.push('digestEndTime');
  // aws-cli requires the key to be present (null on the first digest of a chain).
  if (!('previousDigestSignature' in o)) bad.push('previousDigestSignature');
  const previous: Record<string, string | null> = {};
  for (const field of ['previousDigestS3Bucket', 'previousDigestS3Object', 'previousDigestHashValue', 'previousDigestHashAlgorithm', 'previousDigestSignature']) {
    const v = nullableString(o, field);
    if (v === undefined) bad.push(field);
    previous[field] = v ?? null;
  }
  // A chain link is all or nothing: an object without its hash and signature cannot be checked.
  const linked = ['previousDigestS3Object', 'previousDigestHashValue', 'previousDigestSignature'].map((f) => previous[f] !== null);
  if (linked.some(Boolean) && !linked.every(Boolean)) bad.push('previousDigest* (some set, some null)');
  const logFiles: DigestLogEntry[] = [];
  if (!Array.isArray(o.logFiles)) {
    bad.push('logFiles');
  } else {
    o.logFiles.forEach((entry: unknown, i) => {
      const e = entry as Record<string, unknown>;
      if (typeof e !== 'object' || e === null || typeof e.s3Bucket !== 'string' || typeof e.s3Object !== 'string' || typeof e.hashValue !== 'string' || !(e.hashAlgorithm === undefined || typeof e.hashAlgorithm === 'string')) {
        bad.push(`logFiles[${i}]`);
        return;
      }
      logFiles.push({ s3Bucket: e.s3Bucket, s3Object: e.s3Object, hashValue: e.hashValue, hashAlgorithm: e.hashAlgorithm as string | undefined });
    });
  }
  if (bad.length > 0) {
    const shown = bad.slice(0, 5).join(', ') + (bad.length > 5 ? ` and ${bad.length - 5} more` : '');
    return { ok: false, code: 'not-a-digest', reason: `required fields are missing or malformed: ${shown}` };
  }
  return {
    ok: true,
    digest: {
      awsAccountId,
      digestStartTime,
      digestEndTime,
      startMs: startMs!,
      endMs: endMs!,
      digestS3Bucket,
      digestS3Object,
      digestPublicKeyFingerprint,
      digestSignatureAlgorithm,
      previousDigestS3Bucket: previous.previousDigestS3Bucket,
      previousDigestS3Object: previous.previousDigestS3Object,
      previousDigestHashValue: previous.previousDigestHashValue,
      previousDigestHashAlgorithm: previous.previousDigestHashAlgorithm,
      previousDigestSignature: previous.previousDigestSignature,
      logFiles,
    },
  };
}
