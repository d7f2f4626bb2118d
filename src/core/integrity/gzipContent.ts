// Reads an object's content exactly as a reader of the file would see it, streaming, and says how
// the stored bytes are laid out, so that a file whose readable content depends on the reader is
// never called valid.
//
// Readers disagree on gzip files that are not one clean member: aws-cli (Python zlib) reads only the
// first member and ignores bytes after it, and does not notice a missing trailer; gunzip and Node
// read every member; Node ignores zero padding and fails on other trailing bytes. So this reader walks
// the gzip container itself: each member's header, its deflate data (zlib inflateRaw, in libuv's
// thread pool), and its trailer (CRC-32 and length, checked here because inflateRaw does not). The
// content is the concatenation of every member; the caller decides what several members or trailing
// bytes mean (CloudTrail writes exactly one member and nothing after it).
import { createHash } from 'node:crypto';
import * as zlib from 'node:zlib';
import { crc32 } from './crc32';
import { gzipHeaderLength } from './gzipInspect';

export interface ContentResult {
  /** gzip when the bytes start with the gzip magic number, plain otherwise (content = the bytes). */
  container: 'gzip' | 'plain';
  /** Hex SHA-256 of the content (the inflated bytes of every complete member, or the plain bytes). */
  sha256: string;
  contentBytes: number;
  /** Bytes read from the store. */
  storedBytes: number;
  /** Complete gzip members read. */
  members: number;
  /** Bytes after the last complete gzip member that do not start another member. */
  trailingBytes: number;
  /** Why the content is not what a reader would see in full; undefined when it was read cleanly. */
  problem?: 'truncated' | 'corrupt' | 'too-large';
  /** Words for the problem (zlib's message, which check failed). */
  problemDetail?: string;
  /** The content itself, when `keepContent` was asked for. */
  content?: Buffer;
}

export interface ReadContentOptions {
  /** Stop reading (problem 'too-large') once the content would exceed this many bytes. */
  maxContentBytes?: number;
  /**
   * Stop reading (problem 'too-large') once more than this many bytes were read from the source,
   * whatever they hold (endless bytes after a gzip member, say); default maxContentBytes + 1 MiB.
   */
  maxStoredBytes?: number;
  /** Keep the content in memory (digests, which are parsed after hashing). */
  keepContent?: boolean;
  /** Called with the number of stored bytes of each chunk read (progress). */
  onBytes?: (n: number) => void;
  signal?: AbortSignal;
}

const EMPTY = Buffer.alloc(0);
const MAX_HEADER = 64 * 1024;

class TooLarge extends Error {}

/** Consumes stored bytes and produces content, member by member. */
class GzipWalker {
  members = 0;
  trailingBytes = 0;
  problem: ContentResult['problem'];
  problemDetail: string | undefined;
  private state: 'header' | 'body' | 'trailer' | 'between' | 'trailing' | 'stopped' = 'header';
  private pending: Buffer = EMPTY;
  private inflater: zlib.InflateRaw | undefined;
  private inflaterDone: Promise<void> | undefined;
  private inflaterError: Error | undefined;
  private crc = 0;
  private memberBytes = 0;

  constructor(private readonly sink: (chunk: Buffer) => void) {}

  get stopped(): boolean {
    return this.state === 'stopped';
  }

  /** A method rather than a field read, so that TypeScript does not narrow `state` across awaits. */
  private isStopped(): boolean {
    return this.state === 'stopped';
  }

  private fail(problem: 'truncated' | 'corrupt', detail: string): void {
    this.problem ??= problem;
    this.problemDetail ??= detail;
    this.state = 'stopped';
    this.inflater?.destroy();
  }

  private startMember(): void {
    this.crc = 0;
    this.memberBytes = 0;
    this.inflaterError = undefined;
    // 64 KiB output chunks: a quarter of the thread-pool round trips of the 16 KiB default.
    const inflater = zlib.createInflateRaw({ chunkSize: 64 * 1024 });
    inflater.on('data', (chunk: Buffer) => {
      this.crc = crc32(chunk, this.crc);
      this.memberBytes += chunk.length;
      this.sink(chunk);
    });
    this.inflaterDone = new Promise((resolve) => {
      inflater.once('end', () => resolve());
      inflater.once('error', (e) => {
        this.inflaterError = e;
        resolve();
      });
      inflater.once('close', () => resolve());
    });
    this.inflater = inflater;
  }

  /** Writes deflate data; returns the bytes after the end of the deflate stream, or undefined while it goes on. */
  private async feed(chunk: Buffer): Promise<Buffer | undefined> {
    const inflater = this.inflater!;
    const before = inflater.bytesWritten;
    // A write's callback is not always called once zlib fails: wait for whichever comes first.
    await Promise.race([new Promise<void>((resolve) => inflater.write(chunk, () => resolve())), this.inflaterDone]);
    if (this.inflaterError) throw this.inflaterError;
    const consumed = inflater.bytesWritten - before;
    if (consumed >= chunk.length) return undefined;
    // zlib stopped taking input: the deflate stream ended inside (or right before) this chunk.
    await this.inflaterDone;
    if (this.inflaterError) throw this.inflaterError;
    return chunk.subarray(consumed);
  }

  async push(chunk: Buffer): Promise<void> {
    let buf = chunk;
    while (buf.length > 0 && this.state !== 'stopped') {
      switch (this.state) {
        case 'header': {
          this.pending = this.pending.length ? Buffer.concat([this.pending, buf]) : buf;
          buf = EMPTY;
          const length = gzipHeaderLength(this.pending, crc32);
          if (typeof length === 'string') {
            this.fail('corrupt', length);
          } else if (length === 0 && this.pending.length > MAX_HEADER) {
            this.fail('corrupt', 'the gzip header is implausibly long');
          } else if (length > 0) {
            buf = this.pending.subarray(length);
            this.pending = EMPTY;
            this.startMember();
            this.state = 'body';
          }
          break;
        }
        case 'body': {
          let rest: Buffer | undefined;
          try {
            rest = await this.feed(buf);
          } catch (error) {
            if (!this.isStopped()) this.fail('corrupt', `the deflate data is damaged (${(error as Error).message})`);
            return;
          }
          if (this.isStopped()) return; // stop() was called while inflating (content too large)
          buf = rest ?? EMPTY;
          if (rest !== undefined) this.state = 'trailer';
          break;
        }
        case 'trailer': {
          this.pending = this.pending.length ? Buffer.concat([this.pending, buf]) : buf;
          buf = EMPTY;
          if (this.pending.length >= 8) {
            const crc = this.pending.readUInt32LE(0);
            const size = this.pending.readUInt32LE(4);
            if (crc !== this.crc >>> 0) {
              this.fail('corrupt', 'the gzip CRC-32 does not match the content');
            } else if (size !== this.memberBytes % 2 ** 32) {
              this.fail('corrupt', 'the gzip length field does not match the content');
            } else {
              this.members++;
              buf = this.pending.subarray(8);
              this.pending = EMPTY;
              this.state = 'between';
            }
          }
          break;
        }
        case 'between':
          // Another member starts with the magic number; anything else is trailing data.
          if (buf[0] === 0x1f && (buf.length < 2 || buf[1] === 0x8b)) {
            this.state = 'header';
          } else {
            this.state = 'trailing';
          }
          break;
        case 'trailing':
          this.trailingBytes += buf.length;
          buf = EMPTY;
          break;
      }
    }
  }

  async end(): Promise<void> {
    switch (this.state) {
      case 'header':
        if (this.members === 0 || this.pending.length > 0) this.fail('truncated', 'the gzip data ends inside a member header');
        break;
      case 'body': {
        const inflater = this.inflater!;
        inflater.end();
        await this.inflaterDone;
        this.fail('truncated', this.inflaterError ? `the gzip data ends early (${this.inflaterError.message})` : 'the gzip data ends before its trailer');
        break;
      }
      case 'trailer':
        this.fail('truncated', 'the gzip data ends inside a member trailer');
        break;
      default:
        break;
    }
  }

  /** Stops reading (the content grew too large): nothing more is inflated. */
  stop(): void {
    this.state = 'stopped';
    this.inflater?.destroy();
  }

  destroy(): void {
    this.inflater?.destroy();
  }
}

/**
 * Reads a stored object (gzip or plain) and hashes its content while streaming. Never throws for
 * what the bytes hold: damaged data becomes `problem`. Throws only when reading the source fails
 * or the signal aborts.
 */
export async function readContent(source: AsyncIterable<Buffer | Uint8Array | string>, options: ReadContentOptions = {}): Promise<ContentResult> {
  const hash = createHash('sha256');
  const kept: Buffer[] = [];
  const max = options.maxContentBytes ?? Number.POSITIVE_INFINITY;
  const maxStored = options.maxStoredBytes ?? max + 1024 * 1024;
  let storedTooLarge = false;
  let contentBytes = 0;
  let storedBytes = 0;
  let tooLarge = false;
  const sink = (chunk: Buffer): void => {
    if (tooLarge) return;
    if (contentBytes + chunk.length > max) {
      tooLarge = true;
      throw new TooLarge();
    }
    contentBytes += chunk.length;
    hash.update(chunk);
    if (options.keepContent) kept.push(chunk);
  };
  let container: 'gzip' | 'plain' | undefined;
  let head: Buffer = EMPTY;
  let walker: GzipWalker | undefined;
  const sinkSafely = (chunk: Buffer): void => {
    try {
      sink(chunk);
    } catch (error) {
      if (!(error instanceof TooLarge)) throw error;
      walker?.stop();
    }
  };
  try {
    for await (const raw of source) {
      options.signal?.throwIfAborted();
      const chunk = typeof raw === 'string' ? Buffer.from(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
      storedBytes += chunk.length;
      options.onBytes?.(chunk.length);
      if (storedBytes > maxStored) {
        tooLarge = storedTooLarge = true;
        break;
      }
      let data = chunk;
      if (container === undefined) {
        head = head.length ? Buffer.concat([head, chunk]) : chunk;
        if (head.length < 2) continue;
        container = head[0] === 0x1f && head[1] === 0x8b ? 'gzip' : 'plain';
        data = head;
        head = EMPTY;
        if (container === 'gzip') walker = new GzipWalker(sinkSafely);
      }
      if (walker) {
        if (!walker.stopped) await walker.push(data);
      } else {
        sinkSafely(data);
      }
      if (tooLarge) break;
      // A damaged gzip stream is not read further: the verdict is already known, and a hostile
      // object may be enormous.
      if (walker?.stopped) break;
    }
    options.signal?.throwIfAborted();
    if (container === undefined) {
      // Zero or one byte: plain content.
      container = 'plain';
      if (head.length) sinkSafely(head);
    }
    if (walker && !tooLarge && !walker.stopped) await walker.end();
  } finally {
    walker?.destroy();
  }
  const problem = tooLarge ? 'too-large' : walker?.problem;
  return {
    container,
    sha256: hash.digest('hex'),
    contentBytes,
    storedBytes,
    members: walker?.members ?? 0,
    trailingBytes: walker?.trailingBytes ?? 0,
    problem,
    problemDetail: storedTooLarge ? `the object is larger than ${maxStored} bytes` : tooLarge ? `the content is larger than ${max} bytes` : walker?.problemDetail,
    content: options.keepContent ? Buffer.concat(kept) : undefined,
  };
}
