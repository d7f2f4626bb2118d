// One digest's own checks: readable, a digest, where it says it is, the right account and
// algorithms, and a signature that verifies with a CloudTrail key valid when it was signed. Chain
// links between digests are checked afterwards (chain.ts), once all of a region's digests are read.
import { ObjectNotFoundError } from '../aws/objectStore';
import { NotARegularFileError } from '../files/regularFile';
import { parseDigest, type DigestDocument } from './digestFile';
import { digestStringToSign, isHexSignature, verifyDigestSignature } from './digestSignature';
import { finding, type Finding, type FindingCode, type Subject, type Verdict } from './findings';
import { readContent } from './gzipContent';
import { chooseKey } from './publicKeys';
import { describeFailure, type RunContext } from './runContext';
import { HOUR, isoSeconds, parseDigestTime } from './time';

export interface DigestState {
  key: string;
  region: string;
  backfill: boolean;
  /** The end time in the key's name. */
  keyEndMs: number;
  /** False when the object does not exist. */
  exists: boolean;
  /** Hex SHA-256 of the inflated bytes (what previousDigestHashValue records). */
  sha256?: string;
  doc?: DigestDocument;
  /** The `signature` metadata, when the store knows it. */
  signature?: string;
  metadataKnown: boolean;
  /** The signature verified with a CloudTrail key valid when the digest was signed. */
  authenticated: boolean;
  /** The signature could not be checked (no metadata in a local folder, no keys): not a failure. */
  signatureUnchecked: boolean;
  /** Own-check problems (each names this digest). */
  findings: Finding[];
  storedBytes: number;
}

const ALGORITHM = 'SHA256withRSA';

function gzipProblem(content: Awaited<ReturnType<typeof readContent>>): { code: FindingCode; reason: string } | undefined {
  if (content.problem === 'too-large') return { code: 'too-large', reason: `it is larger than any digest (${content.problemDetail})` };
  if (content.container === 'plain') return { code: 'not-gzip', reason: 'it is not gzip data' };
  if (content.problem === 'truncated') return { code: 'gzip-truncated', reason: `its gzip data is truncated (${content.problemDetail})` };
  if (content.problem === 'corrupt') return { code: 'gzip-corrupt', reason: `its gzip data is damaged (${content.problemDetail})` };
  if (content.members > 1) return { code: 'gzip-multiple-members', reason: `it has ${content.members} gzip members where CloudTrail writes one, so tools disagree on its content (aws-cli reads only the first)` };
  if (content.trailingBytes > 0) return { code: 'gzip-trailing-data', reason: 'bytes follow its gzip data, so tools disagree on its content (aws-cli ignores them)' };
  return undefined;
}

/** Reads and checks one digest. Never throws for what the object holds; throws only on abort. */
export async function checkDigest(ctx: RunContext, region: string, key: string, keyEndMs: number, backfill: boolean): Promise<DigestState> {
  const subject: Subject = backfill ? 'backfill-digest' : 'digest';
  const state: DigestState = { key, region, backfill, keyEndMs, exists: true, metadataKnown: false, authenticated: false, signatureUnchecked: false, findings: [], storedBytes: 0 };
  const object = { bucket: ctx.bucket, key, path: ctx.pathOf(key) };
  const add = (verdict: Verdict, code: FindingCode, message: string, details?: Finding['details']): void => {
    state.findings.push(finding({ verdict, code, subject, region, object, message, details, timeRange: state.doc ? { start: state.doc.digestStartTime, end: state.doc.digestEndTime } : undefined }));
  };
  let opened;
  try {
    opened = await ctx.store.open(key, { signal: ctx.signal });
  } catch (error) {
    ctx.signal?.throwIfAborted();
    if (error instanceof ObjectNotFoundError) {
      state.exists = false;
      return state;
    }
    if (error instanceof NotARegularFileError) {
      add('invalid-format', 'not-a-file', `Digest ${key} has an invalid format: it is ${error.what}, not a file.`);
      return state;
    }
    add('error', 'read-failed', `Digest ${key} could not be read: ${describeFailure(ctx, error, 'GetObject', key)}`, { cause: (error as Error).message });
    return state;
  }
  state.metadataKnown = opened.metadataKnown;
  const metadata = opened.metadata;
  let content;
  try {
    if (opened.size !== undefined && opened.size > ctx.maxDigestBytes) {
      (opened.stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      add('invalid-format', 'too-large', `Digest ${key} is ${opened.size} bytes, larger than any digest CloudTrail writes; it was not read.`, { size: opened.size });
      return state;
    }
    content = await readContent(opened.stream as AsyncIterable<Buffer>, { keepContent: true, maxContentBytes: ctx.maxDigestBytes, onBytes: ctx.onBytes, signal: ctx.signal });
  } catch (error) {
    ctx.signal?.throwIfAborted();
    add('error', 'read-failed', `Digest ${key} could not be read to the end: ${describeFailure(ctx, error, 'GetObject', key)}`, { cause: (error as Error).message });
    return state;
  }
  state.storedBytes = content.storedBytes;
  const problem = gzipProblem(content);
  if (problem) {
    add('invalid-format', problem.code, `Digest ${key} has an invalid format: ${problem.reason}.`, { gzipMembers: content.members, trailingBytes: content.trailingBytes || undefined, size: content.storedBytes });
    return state;
  }
  state.sha256 = content.sha256;
  const parsed = parseDigest(content.content!);
  if (!parsed.ok) {
    add('invalid-format', parsed.code, `Digest ${key} has an invalid format: ${parsed.reason}.`);
    return state;
  }
  const doc = parsed.digest;
  state.doc = doc;
  checkFields(ctx, state, doc, add);
  await checkSignature(ctx, state, doc, metadata, add);
  return state;
}

type Add = (verdict: Verdict, code: FindingCode, message: string, details?: Finding['details']) => void;

function checkFields(ctx: RunContext, state: DigestState, doc: DigestDocument, add: Add): void {
  const key = state.key;
  if (doc.digestS3Object !== key || (ctx.bucket !== undefined && doc.digestS3Bucket !== ctx.bucket)) {
    add('moved', 'moved', `Digest ${key} has been moved from its original location s3://${doc.digestS3Bucket}/${doc.digestS3Object}.`, {
      field: 'digestS3Bucket/digestS3Object',
      expected: `${ctx.bucket ?? doc.digestS3Bucket}/${key}`,
      actual: `${doc.digestS3Bucket}/${doc.digestS3Object}`,
    });
  }
  if (doc.awsAccountId !== ctx.location.accountId) {
    add('wrong-account', 'wrong-account', `Digest ${key} belongs to account ${doc.awsAccountId}, not to ${ctx.location.accountId} whose folder holds it.`, { field: 'awsAccountId', expected: ctx.location.accountId, actual: doc.awsAccountId });
  }
  if (doc.digestSignatureAlgorithm !== ALGORITHM) {
    add('wrong-algorithm', 'wrong-algorithm', `Digest ${key} names signature algorithm ${doc.digestSignatureAlgorithm}; CloudTrail signs with ${ALGORITHM}.`, { field: 'digestSignatureAlgorithm', expected: ALGORITHM, actual: doc.digestSignatureAlgorithm });
  }
  if (doc.previousDigestHashAlgorithm !== null && doc.previousDigestHashAlgorithm !== 'SHA-256') {
    add('wrong-algorithm', 'wrong-algorithm', `Digest ${key} names previous-digest hash algorithm ${doc.previousDigestHashAlgorithm}; CloudTrail uses SHA-256.`, { field: 'previousDigestHashAlgorithm', expected: 'SHA-256', actual: doc.previousDigestHashAlgorithm });
  }
  if (doc.startMs > doc.endMs) {
    add('invalid-format', 'not-a-digest', `Digest ${key} starts (${doc.digestStartTime}) after it ends (${doc.digestEndTime}).`);
  }
}

async function checkSignature(ctx: RunContext, state: DigestState, doc: DigestDocument, metadata: Record<string, string>, add: Add): Promise<void> {
  const key = state.key;
  if (!state.metadataKnown) {
    state.signatureUnchecked = true;
    add('not-checked', 'signature-not-checked', `The signature of digest ${key} was not checked: the folder has no record of its S3 metadata (download trails with CloudTrail Lens to keep it).`);
    return;
  }
  const signature = metadata.signature;
  const algorithm = metadata['signature-algorithm'];
  if (signature === undefined || algorithm === undefined) {
    const missing = signature === undefined ? 'signature' : 'signature-algorithm';
    const where = ctx.pathOf(key) !== undefined ? `the folder's offline manifest records no ${missing} metadata for it (it was not downloaded with the trail's other digests)` : `its S3 object has no ${missing} metadata`;
    add('signature-failed', 'signature-metadata-missing', `Digest ${key} failed signature verification: ${where}, so it is not the object CloudTrail delivered.`);
    return;
  }
  state.signature = signature;
  if (algorithm !== ALGORITHM) {
    add('wrong-algorithm', 'wrong-algorithm', `Digest ${key} has signature-algorithm metadata ${algorithm}; CloudTrail signs with ${ALGORITHM}.`, { field: 'signature-algorithm', expected: ALGORITHM, actual: algorithm });
  }
  let signedFrom = doc.endMs;
  let signedTo = doc.endMs + 2 * HOUR;
  if (state.backfill) {
    const raw = metadata['backfill-generation-timestamp'];
    const generated = raw === undefined ? Number.NaN : (parseDigestTime(raw) ?? Date.parse(raw));
    if (Number.isNaN(generated)) {
      add('invalid-format', 'backfill-timestamp-missing', `Backfill digest ${key} has no valid backfill-generation-timestamp metadata, so the key that signed it cannot be chosen.`);
      return;
    }
    // aws-cli looks for backfill keys within an hour of the generation time.
    signedFrom = generated - HOUR;
    signedTo = generated + HOUR;
  }
  if (!isHexSignature(signature)) {
    add('signature-failed', 'signature-not-hex', `Digest ${key} failed signature verification: its signature metadata is not hexadecimal.`);
    return;
  }
  let keys;
  try {
    keys = await ctx.keys.forRun(state.region);
    if (state.backfill && !keys.some((k) => k.fingerprint.toLowerCase() === doc.digestPublicKeyFingerprint.toLowerCase())) {
      keys = [...keys, ...(await ctx.keys.around(state.region, signedFrom, signedTo))];
    }
  } catch (error) {
    ctx.signal?.throwIfAborted();
    state.signatureUnchecked = true;
    const why = ctx.keys.source ? describeFailure(ctx, error, 'ListPublicKeys', state.region) : 'no public keys were given';
    add('not-checked', 'signature-not-checked', `The signature of digest ${key} was not checked: ${why}`, { cause: (error as Error).message });
    return;
  }
  const choice = chooseKey(keys, doc.digestPublicKeyFingerprint, signedFrom, signedTo);
  if (!choice.ok) {
    add('no-public-key', choice.code, `Digest ${key} cannot be verified: ${choice.reason} (${ctx.keys.source?.describe(state.region) ?? 'no keys'}, signed ${isoSeconds(signedFrom)} to ${isoSeconds(signedTo)}).`, { fingerprint: doc.digestPublicKeyFingerprint });
    return;
  }
  const text = digestStringToSign(doc.digestEndTime, doc.digestS3Bucket, doc.digestS3Object, state.sha256!, doc.previousDigestSignature);
  if (!verifyDigestSignature(text, signature, choice.key.key)) {
    add('signature-failed', 'signature-mismatch', `Digest ${key} failed signature verification: it was changed after CloudTrail signed it, or signed with another key.`, { fingerprint: doc.digestPublicKeyFingerprint });
    return;
  }
  state.authenticated = true;
}

/** True when the digest passed every own check (its chain links are judged separately). */
export function ownChecksPassed(state: DigestState): boolean {
  return state.exists && state.authenticated && state.findings.every((f) => f.severity !== 'error');
}
