// The signature CloudTrail puts on each digest (S3 metadata `signature`): RSASSA-PKCS1-v1_5 with
// SHA-256 over a text built from the digest's raw fields and the hash of its inflated bytes.
import { constants, verify, type KeyObject } from 'node:crypto';

/**
 * `digestEndTime \n digestS3Bucket/digestS3Object \n hex(sha256(inflated)) \n previousDigestSignature`,
 * a null previous signature written as `null` (as CloudTrail's Java implementation does).
 */
export function digestStringToSign(digestEndTime: string, digestS3Bucket: string, digestS3Object: string, inflatedSha256: string, previousDigestSignature: string | null): string {
  return `${digestEndTime}\n${digestS3Bucket}/${digestS3Object}\n${inflatedSha256}\n${previousDigestSignature ?? 'null'}`;
}

/** True when `signatureHex` is an even-length hexadecimal string (what the metadata must hold). */
export function isHexSignature(signatureHex: string): boolean {
  return signatureHex.length > 0 && signatureHex.length % 2 === 0 && /^[0-9a-fA-F]+$/.test(signatureHex);
}

export function verifyDigestSignature(text: string, signatureHex: string, key: KeyObject): boolean {
  try {
    return verify('sha256', Buffer.from(text, 'utf8'), { key, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(signatureHex, 'hex'));
  } catch {
    return false;
  }
}
