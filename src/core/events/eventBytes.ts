// The byte-level part of reading an event file, shared by the main thread and the worker threads
// that read folders of many files (eventFileWorkers.ts). Every function here is self-contained: it
// uses only its parameters and the other functions of this file, because their source text is what
// the workers run (a bundled extension or CLI has no separate worker file to point at).
//
// What is checked on the bytes, before any JSON.parse: the nesting depth (no input may make a
// recursive consumer blow the stack), whether the text holds integers longer than a double (only
// then is the slower exact-number pass needed), and whether it is valid UTF-8 (invalid bytes become
// U+FFFD, which the reader must say).

/** What the bytes of a decoded event file tell before parsing. */
export interface ByteFacts {
  /** Offset of the first `{` or `[` deeper than the limit, or -1. */
  tooDeepAt: number;
  /** A number literal of 16 or more digits outside strings exists. */
  longNumbers: boolean;
  /** Offset of the first byte sequence that is not UTF-8, or -1. */
  invalidUtf8At: number;
}

/** The deepest nesting a CloudTrail file may have: the Records wrapper, the record, and 60-odd levels in it. */
export const MAX_JSON_DEPTH = 64;

/**
 * Walks JSON bytes once, skipping strings with indexOf, counting nesting and digit runs outside
 * strings. Not a validator: JSON.parse judges the syntax afterwards.
 */
export function scanJsonBytes(b: Buffer, maxDepth: number, spans?: number[]): { tooDeepAt: number; longNumbers: boolean } {
  let depth = 0;
  // With `spans`: the start and end offsets of every object directly in an array directly in the
  // top-level object (the records of {"Records":[…]}), for readers that copy each record's bytes.
  let arrayAtTwo = false;
  let run = 0;
  let longNumbers = false;
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i];
    if (c === 0x22) {
      let from = i + 1;
      for (;;) {
        const q = b.indexOf(0x22, from);
        if (q < 0) return { tooDeepAt: -1, longNumbers }; // unterminated: JSON.parse will say where
        let k = q - 1;
        while (b[k] === 0x5c) k--;
        if (((q - 1 - k) & 1) === 0) {
          i = q + 1;
          break;
        }
        from = q + 1;
      }
      run = 0;
      continue;
    }
    if (c >= 0x30 && c <= 0x39) {
      if (++run >= 16) longNumbers = true;
    } else {
      run = 0;
      if (c === 0x7b || c === 0x5b) {
        if (++depth > maxDepth) return { tooDeepAt: i, longNumbers };
        if (spans) {
          if (depth === 2) arrayAtTwo = c === 0x5b && b[skipBack(b, i)] === 0x3a;
          else if (depth === 3 && arrayAtTwo && c === 0x7b) spans.push(i);
        }
      } else if (c === 0x7d || c === 0x5d) {
        if (spans && depth === 3 && arrayAtTwo && c === 0x7d) spans.push(i + 1);
        depth--;
      }
    }
    i++;
  }
  return { tooDeepAt: -1, longNumbers };
}

/** The offset of the last byte before `i` that is not JSON whitespace (-1 when there is none). */
function skipBack(b: Buffer, i: number): number {
  let k = i - 1;
  while (k >= 0 && (b[k] === 0x20 || b[k] === 0x0a || b[k] === 0x0d || b[k] === 0x09)) k--;
  return k;
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence, or -1. */
export function firstInvalidUtf8(b: Buffer): number {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    if (i + need >= n) return i; // the sequence is cut off by the end
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined || (d & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (d & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** The facts of inflated bytes; `isUtf8` is node:buffer's (fast) check, when the runtime has it. */
export function byteFacts(text: Buffer, maxDepth: number, isUtf8: ((b: Buffer) => boolean) | undefined, spans?: number[]): ByteFacts {
  const scanned = scanJsonBytes(text, maxDepth, spans);
  const valid = isUtf8 ? isUtf8(text) : firstInvalidUtf8(text) < 0;
  return { tooDeepAt: scanned.tooDeepAt, longNumbers: scanned.longNumbers, invalidUtf8At: valid ? -1 : firstInvalidUtf8(text) };
}

/** Why gzip data could not be inflated, in words for a message (zlib's error, the sizes). */
export function gunzipFailure(error: { code?: string; message: string }, storedBytes: number, maxBytes: number): { code: 'too-large' | 'truncated' | 'corrupt'; reason: string } {
  const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
  if (error.code === 'ERR_BUFFER_TOO_LARGE' || /Cannot create a Buffer larger|Array buffer allocation failed/.test(error.message)) {
    return { code: 'too-large', reason: `it inflates to more than ${mb(maxBytes)}, more than any CloudTrail log file; open a smaller file or a filtered export` };
  }
  if (error.code === 'Z_BUF_ERROR' || /unexpected end/i.test(error.message)) {
    return { code: 'truncated', reason: `the gzip data ends early: the file is truncated after ${storedBytes} bytes. Download or copy it again` };
  }
  return { code: 'corrupt', reason: `the gzip data is corrupt (${error.message})` };
}

/** What a worker (or the fallback in this thread) hands back for one file. */
export type DecodedFile =
  | { ok: true; name: string; text: Buffer; storedBytes: number; facts: ByteFacts; stored?: Buffer }
  | { ok: false; name: string; code: 'missing' | 'not-a-file' | 'too-large' | 'truncated' | 'corrupt' | 'read-failed' | 'over-budget' | 'missing-worker'; reason: string };

/**
 * Reads and inflates one file synchronously (in a worker thread, where blocking is fine): opened
 * without blocking, refused unless a regular file, read up to `maxStored` bytes, inflated up to
 * `maxText` bytes, then scanned. Never throws.
 */
export function readEventFileSync(
  fs: typeof import('node:fs'),
  zlib: typeof import('node:zlib'),
  isUtf8: ((b: Buffer) => boolean) | undefined,
  name: string,
  limits: { maxStored: number; maxText: number; maxDepth: number; keepStored?: boolean },
  spans?: number[],
): DecodedFile {
  const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
  const kind = (s: import('node:fs').Stats): string =>
    s.isDirectory() ? 'a folder' : s.isFIFO() ? 'a FIFO (named pipe)' : s.isCharacterDevice() ? 'a character device' : s.isBlockDevice() ? 'a block device' : s.isSocket() ? 'a socket' : 'a special file';
  const c = fs.constants;
  let fd: number;
  try {
    fd = fs.openSync(name, c.O_RDONLY | (c.O_NONBLOCK ?? 0) | (c.O_NOCTTY ?? 0));
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') return { ok: false, name, code: 'missing', reason: 'no such file or folder' };
    if (e.code === 'EISDIR' || e.code === 'ENXIO' || e.code === 'ELOOP' || e.code === 'EOPNOTSUPP') {
      let what: string;
      try {
        what = `${kind(fs.statSync(name))}, not a file`;
      } catch {
        what = 'a broken symbolic link or a link loop, not a file';
      }
      return { ok: false, name, code: 'not-a-file', reason: `it is ${what}` };
    }
    return { ok: false, name, code: 'read-failed', reason: `could not read it (${e.message})` };
  }
  let data: Buffer;
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) {
      // Worded as regularFile.ts describes it: "a symbolic link to a character device (/dev/zero)".
      let what = kind(st);
      try {
        if (fs.lstatSync(name).isSymbolicLink()) what = `a symbolic link to ${what} (${fs.readlinkSync(name)})`;
      } catch {
        // the description stays without the link
      }
      return { ok: false, name, code: 'not-a-file', reason: `it is ${what}, not a file` };
    }
    if (st.size > limits.maxStored) return { ok: false, name, code: 'too-large', reason: `it is ${mb(st.size)}, above the ${mb(limits.maxStored)} this can open at once; open a smaller file or a filtered export` };
    // One read of the stat size plus a byte to notice a file that grew; never past the limit.
    let buffer = Buffer.allocUnsafe(Math.min(limits.maxStored, st.size) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > limits.maxStored) return { ok: false, name, code: 'too-large', reason: `it holds more than ${mb(limits.maxStored)}, above what this can open at once; open a smaller file or a filtered export` };
        const bigger = Buffer.allocUnsafe(Math.min(limits.maxStored + 1, buffer.length * 2 + 65536));
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const read = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
      // Exactly what fstat said, in full: done without asking for the end (what readFileSync does).
      // A shorter read, or a file that grew, reads on until the end or the limit.
      if (length === st.size && st.size > 0) break;
    }
    if (length > limits.maxStored) return { ok: false, name, code: 'too-large', reason: `it holds more than ${mb(limits.maxStored)}, above what this can open at once; open a smaller file or a filtered export` };
    data = buffer.subarray(0, length);
  } catch (error) {
    return { ok: false, name, code: 'read-failed', reason: `could not read it (${(error as Error).message})` };
  } finally {
    fs.closeSync(fd);
  }
  let text = data;
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) {
    try {
      text = zlib.gunzipSync(data, { maxOutputLength: Math.max(1, limits.maxText) });
    } catch (error) {
      const failure = gunzipFailure(error as { code?: string; message: string }, data.length, limits.maxText);
      return { ok: false, name, code: failure.code, reason: failure.reason };
    }
  } else if (data.length > limits.maxText) {
    return { ok: false, name, code: 'too-large', reason: `it is ${mb(data.length)}, above the ${mb(limits.maxText)} this can open at once; open a smaller file or a filtered export` };
  }
  const decoded: Extract<DecodedFile, { ok: true }> = { ok: true, name, text, storedBytes: data.length, facts: byteFacts(text, limits.maxDepth, isUtf8, spans) };
  // The bytes as read (the investigation store keeps them, compressed, to show events in full later).
  if (limits.keepStored) decoded.stored = data;
  return decoded;
}
