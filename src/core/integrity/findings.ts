/**
 * What integrity validation reports: one typed finding per thing checked or found wrong. The CLI, the
 * Markdown report and the editor (Problems panel, tree) all render these same objects.
 */

/**
 * The outcome of one check, from the user's point of view.
 *
 * - `valid`: the object is what CloudTrail delivered. A digest: its signature verifies with a
 *   CloudTrail public key valid at the time, it names itself, the account and algorithms are right
 *   and its chain links hold. A log file: its content (exactly what a reader sees) has the SHA-256
 *   that a valid digest lists.
 * - `hash-mismatch`: a log file's content differs from the hash its digest lists (it was changed).
 * - `missing`: an object CloudTrail delivered is not there: a log file a digest lists, a digest
 *   another digest names as its previous one, or the digest of an hour inside an unbroken chain.
 * - `invalid-format`: the object cannot be read as what it claims to be: not gzip, truncated, several
 *   gzip members or bytes after the gzip data (readers disagree about its content), not JSON, not a
 *   digest, required fields missing.
 * - `signature-failed`: the digest's signature does not verify, or its S3 object has no signature
 *   metadata (someone rewrote the object).
 * - `moved`: the digest says it was delivered to another bucket or key than where it is.
 * - `chain-broken`: a digest's content or signature differs from what the next digest records
 *   (`previousDigestHashValue`, `previousDigestSignature`), or the chain skips a digest.
 * - `wrong-account`: the digest's `awsAccountId` is not the account being validated.
 * - `wrong-algorithm`: a signature or hash algorithm is not SHA256withRSA / SHA-256.
 * - `no-public-key`: no CloudTrail public key with the digest's fingerprint was valid when it was
 *   signed, or the key cannot be read.
 * - `gap`: a time without digests that CloudTrail explains itself (logging stopped or validation
 *   disabled: the next chain starts with empty previous fields), or a hole no digest covers.
 * - `unverified`: a log file that no valid digest vouches for (no digest lists it, or only one that
 *   failed its checks lists it), or an unexpected object in the trail's folders.
 * - `not-checked`: something this run could not check (no signature metadata in a local folder, no
 *   public keys, a log file in another bucket); never a claim that the object is fine.
 * - `error`: the object could not be read (access denied, network); the run went on without it.
 */
export type Verdict =
  | 'valid'
  | 'hash-mismatch'
  | 'missing'
  | 'invalid-format'
  | 'signature-failed'
  | 'moved'
  | 'chain-broken'
  | 'wrong-account'
  | 'wrong-algorithm'
  | 'no-public-key'
  | 'gap'
  | 'unverified'
  | 'not-checked'
  | 'error';

/** error: evidence of tampering or a failed check; warning: cannot vouch for it; info: fine or expected. */
export type Severity = 'error' | 'warning' | 'info';

/** What a finding is about. */
export type Subject = 'digest' | 'backfill-digest' | 'log' | 'trail';

/**
 * The precise check behind a finding, for tests, filters and quick fixes. Several codes share a
 * verdict (`gzip-trailing-data` and `not-json` are both `invalid-format`).
 */
export const FINDING_CODES = {
  ok: 'every check passed',
  'log-hash-mismatch': "the log file's content does not have the SHA-256 its digest lists",
  'log-missing': 'a digest lists the log file and it does not exist',
  'digest-missing': 'another digest names this digest as its previous one and it does not exist',
  'digest-missing-hour': 'an hour inside an unbroken chain has no digest (its exact name is not known)',
  'digest-missing-newest': 'GetTrailStatus says digests were delivered after the newest one in the bucket',
  'newest-not-checked': 'without GetTrailStatus, digests after the newest one present could not be looked for',
  'not-gzip': 'the object is named .gz but is not gzip data',
  'gzip-not-expected': 'the object is named .json but holds gzip data',
  'gzip-truncated': 'the gzip data ends early',
  'gzip-corrupt': 'the gzip data is damaged (bad header, deflate data, CRC or length)',
  'gzip-multiple-members': 'the object has several gzip members: readers disagree on its content',
  'gzip-trailing-data': 'bytes follow the gzip data: readers disagree on its content',
  'too-large': 'the object is larger than any CloudTrail file; it was not read to the end',
  'not-a-file': 'the object is a folder, a FIFO, a device, a socket or a broken link, not a file',
  'not-json': 'the digest is not JSON',
  'not-a-digest': 'the JSON is not a digest (not an object, or required fields missing or of the wrong type)',
  'backfill-timestamp-missing': 'a backfill digest has no backfill-generation-timestamp metadata',
  'digest-name': 'the object is named like a digest of this trail but its name is not a digest name',
  'signature-mismatch': 'the signature does not verify with the public key',
  'signature-metadata-missing': 'the S3 object has no signature or signature-algorithm metadata',
  'signature-not-hex': 'the signature metadata is not hexadecimal',
  moved: 'digestS3Bucket/digestS3Object name another place than where the digest is',
  'chain-hash-mismatch': "the digest's SHA-256 differs from the next digest's previousDigestHashValue",
  'chain-signature-mismatch': "the digest's signature differs from the next digest's previousDigestSignature",
  'chain-skips-digest': 'the next digest names another digest as its previous one',
  'wrong-account': 'awsAccountId is not the account being validated',
  'wrong-algorithm': 'an algorithm field is not SHA256withRSA / SHA-256',
  'public-key-not-found': 'no public key with the fingerprint was valid when the digest was signed',
  'public-key-unusable': 'the public key is neither PKCS#1 nor SubjectPublicKeyInfo DER, or its fingerprint does not match its bytes',
  'logging-gap': 'no digests between two chains: logging was stopped or validation disabled',
  'chain-start': 'the first digest of the range starts a chain after the range start',
  'uncovered-hole': 'the chain links across a time no digest (regular or backfill) covers',
  'no-digests': 'the region has no digest in the range',
  'not-listed': 'no digest lists the log file',
  'listed-by-invalid-digest': 'only digests that failed their checks list the log file',
  'digest-not-authenticated': "the log file matches its digest, but the digest's signature could not be checked",
  'unexpected-object': "an object in the trail's folders that is neither a log file nor a digest of this trail",
  'not-yet-digested': 'the log file was delivered after the newest digest, whose successor is not due yet',
  'signature-not-checked': 'the signature could not be checked (no S3 metadata in a local folder, or no public keys)',
  'other-bucket': 'the digest lists the log file in another bucket, which this run does not read',
  'read-failed': 'the object could not be read (access denied, network, ...)',
} as const;

export type FindingCode = keyof typeof FINDING_CODES;

export interface ObjectRef {
  /** The bucket, when known (a local folder without a manifest does not know it). */
  bucket: string | undefined;
  /** The S3 key. */
  key: string;
  /** The file, when the store is a local folder. */
  path?: string;
}

/** ISO 8601 times, `YYYY-MM-DDTHH:MM:SSZ`. */
export interface TimeRange {
  start: string;
  end: string;
}

export interface FindingDetails {
  /** SHA-256 the digest lists, or the next digest records for its predecessor. */
  expectedHash?: string;
  /** SHA-256 of what was read. */
  actualHash?: string;
  /** The digest that lists this log file, or that names this digest as its previous one. */
  digestKey?: string;
  /** The public key fingerprint the digest names. */
  fingerprint?: string;
  /** A field's expected and actual values (account, algorithm, bucket/key, signature). */
  field?: string;
  expected?: string;
  actual?: string;
  /** gzip members and bytes after the gzip data. */
  gzipMembers?: number;
  trailingBytes?: number;
  /** A missing digest whose exact name is unknown (its seconds); `key` is then a pattern. */
  estimated?: boolean;
  /** Bytes read (compressed, as stored). */
  size?: number;
  /** The underlying error, for the log (never credentials or URLs). */
  cause?: string;
}

export interface Finding {
  verdict: Verdict;
  code: FindingCode;
  severity: Severity;
  subject: Subject;
  region: string;
  /** The object the finding is about (absent for a time-range finding such as a gap). */
  object?: ObjectRef;
  /** The time the finding is about: a digest's window, a gap, a missing hour. */
  timeRange?: TimeRange;
  /** One sentence: what is wrong and what it means. */
  message: string;
  details?: FindingDetails;
}

const SEVERITY: Record<Verdict, Severity> = {
  valid: 'info',
  'hash-mismatch': 'error',
  missing: 'error',
  'invalid-format': 'error',
  'signature-failed': 'error',
  moved: 'error',
  'chain-broken': 'error',
  'wrong-account': 'error',
  'wrong-algorithm': 'error',
  'no-public-key': 'error',
  gap: 'warning',
  unverified: 'warning',
  'not-checked': 'warning',
  error: 'error',
};

/** Codes whose severity differs from their verdict's: expected situations that need no action. */
const INFO_CODES: ReadonlySet<FindingCode> = new Set<FindingCode>(['logging-gap', 'chain-start', 'not-yet-digested']);

export function severityOf(verdict: Verdict, code: FindingCode): Severity {
  return INFO_CODES.has(code) ? 'info' : SEVERITY[verdict];
}

/** Builds a finding with its severity derived from verdict and code. */
export function finding(f: Omit<Finding, 'severity'>): Finding {
  return { ...f, severity: severityOf(f.verdict, f.code) };
}

/** How a finding names its object in text: `s3://bucket/key`, or the key when the bucket is unknown. */
export function objectUri(o: ObjectRef): string {
  return o.bucket ? `s3://${o.bucket}/${o.key}` : o.key;
}
