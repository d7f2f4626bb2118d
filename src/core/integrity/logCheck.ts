// One log file against the hash a digest lists for it. The hash covers exactly what a reader of
// the file sees: a file whose content depends on the reader (several gzip members, bytes after the
// gzip data, a missing trailer) or that is not stored the way its name says is never valid.
import { ObjectNotFoundError } from '../aws/objectStore';
import { FileTooLargeError, NotARegularFileError } from '../files/regularFile';
import type { DigestLogEntry } from './digestFile';
import type { DigestState } from './digestCheck';
import { finding, type Finding, type FindingCode, type Verdict } from './findings';
import { readContent, type ContentResult } from './gzipContent';
import { describeFailure, type RunContext } from './runContext';

export type LogRead =
  | { kind: 'read'; content: ContentResult }
  | { kind: 'missing' }
  /** The object is not something a log file can be: a folder, a FIFO, a device, or too large. */
  | { kind: 'unreadable'; code: 'not-a-file' | 'too-large'; reason: string }
  | { kind: 'failed'; message: string; cause: string };

/** How far the digest that lists a log file can be trusted. */
export type DigestTrust =
  /** Signature verified and every own check passed. */
  | 'valid'
  /** Signature verified, but another own check failed (moved, wrong account, ...): its hashes are CloudTrail's. */
  | 'authentic'
  /** The signature could not be checked (local folder without metadata, no keys). */
  | 'unchecked';

/** Bodies up to this size go whole to a worker thread; larger ones are streamed. */
const WORKER_MAX_STORED = 32 * 1024 * 1024;
/** A worker inflates into one buffer: beyond this much content the body is streamed here instead. */
const WORKER_MAX_CONTENT = 256 * 1024 * 1024;

/**
 * Reads a stream whole when it holds at most `cap` bytes; otherwise hands back what was read and
 * the rest of the stream (a size from the store is a claim, not a bound).
 */
async function collectUpTo(stream: AsyncIterable<Buffer>, cap: number, ctx: RunContext): Promise<{ body: Buffer } | { rest: AsyncIterable<Buffer> }> {
  const it = stream[Symbol.asyncIterator]();
  const chunks: Buffer[] = [];
  let length = 0;
  for (;;) {
    ctx.signal?.throwIfAborted();
    const next = await it.next();
    if (next.done) return { body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, length) };
    chunks.push(next.value);
    length += next.value.length;
    if (length > cap) {
      return {
        rest: (async function* () {
          yield* chunks.splice(0);
          for (let n = await it.next(); !n.done; n = await it.next()) yield n.value;
        })(),
      };
    }
  }
}

async function* bufferSource(body: Buffer): AsyncIterable<Buffer> {
  for (let i = 0; i < body.length; i += 1024 * 1024) yield body.subarray(i, i + 1024 * 1024);
}

/** A read failure that is about the object itself (not a file, too large), not about the store. */
function unreadable(error: unknown, key: string): LogRead | undefined {
  if (error instanceof NotARegularFileError) return { kind: 'unreadable', code: 'not-a-file', reason: `it is ${error.what}, not a file` };
  if (error instanceof FileTooLargeError) return { kind: 'unreadable', code: 'too-large', reason: `it is larger than any CloudTrail log file (${key} holds more than ${error.limit} bytes); it was not read to the end` };
  return undefined;
}

/**
 * Reads one log file's content (each key is read once per run, however many digests list it).
 * `release` is called once the body is downloaded and queued for a hashing thread, so that the
 * next download need not wait for the hash.
 */
export async function readLog(ctx: RunContext, key: string, release: () => void = () => undefined): Promise<LogRead> {
  let opened;
  try {
    opened = await ctx.store.open(key, { signal: ctx.signal });
  } catch (error) {
    ctx.signal?.throwIfAborted();
    if (error instanceof ObjectNotFoundError) return { kind: 'missing' };
    return unreadable(error, key) ?? { kind: 'failed', message: describeFailure(ctx, error, 'GetObject', key), cause: (error as Error).message };
  }
  const stream = opened.stream as AsyncIterable<Buffer> & { destroy?: () => void };
  try {
    if (ctx.workers && opened.size !== undefined && opened.size <= WORKER_MAX_STORED) {
      const read = await collectUpTo(stream, WORKER_MAX_STORED, ctx);
      if ('body' in read) {
        ctx.onBytes(read.body.length);
        const size = read.body.length;
        await ctx.hashQueue?.acquire(size, ctx.signal);
        try {
          release();
          const content = await ctx.workers.inspect(read.body, Math.min(ctx.maxLogBytes, WORKER_MAX_CONTENT));
          if (content.problem !== 'too-large' || ctx.maxLogBytes <= WORKER_MAX_CONTENT) return { kind: 'read', content };
          // More content than a worker inflates at once: stream it here, within the real limit.
          return { kind: 'read', content: await readContent(bufferSource(read.body), { maxContentBytes: ctx.maxLogBytes, signal: ctx.signal }) };
        } finally {
          ctx.hashQueue?.release(size);
        }
      }
      return { kind: 'read', content: await readContent(read.rest, { maxContentBytes: ctx.maxLogBytes, onBytes: ctx.onBytes, signal: ctx.signal }) };
    }
    // Large or of unknown size: streamed here, never held whole.
    const content = await readContent(stream, { maxContentBytes: ctx.maxLogBytes, onBytes: ctx.onBytes, signal: ctx.signal });
    return { kind: 'read', content };
  } catch (error) {
    ctx.signal?.throwIfAborted();
    return { kind: 'failed', message: describeFailure(ctx, error, 'GetObject', key), cause: (error as Error).message };
  } finally {
    stream.destroy?.();
  }
}

/** Why the stored bytes do not give one unambiguous content, or undefined when they do. */
export function storageProblem(key: string, c: ContentResult): { code: FindingCode; reason: string } | undefined {
  const named = key.endsWith('.gz') ? 'gzip' : 'plain';
  if (c.problem === 'too-large') return { code: 'too-large', reason: `it is larger than any CloudTrail log file (${c.problemDetail}); it was not read to the end` };
  if (named === 'gzip' && c.container === 'plain') return { code: 'not-gzip', reason: 'it is named .gz but is not gzip data' };
  if (named === 'plain' && c.container === 'gzip') return { code: 'gzip-not-expected', reason: 'it is named .json but holds gzip data' };
  if (c.problem === 'truncated') return { code: 'gzip-truncated', reason: `its gzip data is truncated (${c.problemDetail})` };
  if (c.problem === 'corrupt') return { code: 'gzip-corrupt', reason: `its gzip data is damaged (${c.problemDetail})` };
  if (c.members > 1) return { code: 'gzip-multiple-members', reason: `it has ${c.members} gzip members where CloudTrail writes one, so tools disagree on its content (aws-cli reads only the first)` };
  if (c.trailingBytes > 0) return { code: 'gzip-trailing-data', reason: 'bytes follow its gzip data, so tools disagree on its content (aws-cli ignores them)' };
  return undefined;
}

/** The finding for one log file listed by one digest. */
export function judgeLog(ctx: RunContext, entry: DigestLogEntry, digest: DigestState, trust: DigestTrust, read: LogRead): Finding {
  const key = entry.s3Object;
  const object = { bucket: entry.s3Bucket, key, path: ctx.pathOf(key) };
  const make = (verdict: Verdict, code: FindingCode, message: string, details: Finding['details'] = {}): Finding =>
    finding({ verdict, code, subject: 'log', region: digest.region, object, message, details: { digestKey: digest.key, expectedHash: entry.hashValue, ...details } });
  if (read.kind === 'missing') return make('missing', 'log-missing', `Log file ${key} is missing: digest ${digest.key} lists it, so CloudTrail delivered it and it has been deleted.`);
  if (read.kind === 'failed') return make('error', 'read-failed', `Log file ${key} could not be read: ${read.message}`, { cause: read.cause });
  if (read.kind === 'unreadable') return make('invalid-format', read.code, `Log file ${key} has an invalid format: ${read.reason}.`);
  const c = read.content;
  const details = { actualHash: c.sha256, size: c.storedBytes, gzipMembers: c.container === 'gzip' ? c.members : undefined, trailingBytes: c.trailingBytes || undefined };
  const matches = c.sha256 === entry.hashValue.toLowerCase();
  const problem = storageProblem(key, c);
  if (problem) {
    const note = matches ? ' Its content matches the listed hash, but it is not stored as CloudTrail delivered it.' : '';
    return make('invalid-format', problem.code, `Log file ${key} has an invalid format: ${problem.reason}.${note}`, details);
  }
  const unsignedNote = trust === 'unchecked' ? ` (the signature of digest ${digest.key} could not be checked)` : '';
  if (!matches) {
    return make('hash-mismatch', 'log-hash-mismatch', `Log file ${key} has been changed: its SHA-256 does not match the hash in digest ${digest.key}${unsignedNote}.`, details);
  }
  if (trust === 'unchecked') {
    return make('unverified', 'digest-not-authenticated', `Log file ${key} matches the hash in digest ${digest.key}, but that digest's signature could not be checked, so the file is not verified.`, details);
  }
  if (trust === 'authentic') {
    return make('unverified', 'listed-by-invalid-digest', `Log file ${key} matches the hash CloudTrail signed in digest ${digest.key}, but that digest failed other checks, so the file is not reported valid.`, details);
  }
  return make('valid', 'ok', `Log file ${key} is valid.`, details);
}

/** A log file listed only by a digest that failed its checks: its listed hash cannot be trusted. */
export function unverifiedByInvalidDigest(ctx: RunContext, entry: DigestLogEntry, digest: DigestState): Finding {
  return finding({
    verdict: 'unverified',
    code: 'listed-by-invalid-digest',
    subject: 'log',
    region: digest.region,
    object: { bucket: entry.s3Bucket, key: entry.s3Object, path: ctx.pathOf(entry.s3Object) },
    message: `Log file ${entry.s3Object} is not verified: the only digest that lists it (${digest.key}) is not valid, so its hash cannot be trusted.`,
    details: { digestKey: digest.key, expectedHash: entry.hashValue },
  });
}

/** A log file in another bucket: this run reads one bucket. */
export function otherBucket(ctx: RunContext, entry: DigestLogEntry, digest: DigestState): Finding {
  return finding({
    verdict: 'not-checked',
    code: 'other-bucket',
    subject: 'log',
    region: digest.region,
    object: { bucket: entry.s3Bucket, key: entry.s3Object },
    message: `Log file s3://${entry.s3Bucket}/${entry.s3Object} was not checked: digest ${digest.key} lists it in another bucket than ${ctx.bucket}.`,
    details: { digestKey: digest.key, expectedHash: entry.hashValue },
  });
}

/** A log entry whose hash algorithm is not SHA-256. */
export function wrongLogAlgorithm(ctx: RunContext, entry: DigestLogEntry, digest: DigestState): Finding {
  return finding({
    verdict: 'wrong-algorithm',
    code: 'wrong-algorithm',
    subject: 'log',
    region: digest.region,
    object: { bucket: entry.s3Bucket, key: entry.s3Object, path: ctx.pathOf(entry.s3Object) },
    message: `Digest ${digest.key} lists log file ${entry.s3Object} with hash algorithm ${entry.hashAlgorithm}; CloudTrail uses SHA-256.`,
    details: { digestKey: digest.key, field: 'hashAlgorithm', expected: 'SHA-256', actual: entry.hashAlgorithm },
  });
}
