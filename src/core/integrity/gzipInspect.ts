// The same reading as gzipContent.ts (every gzip member, trailing bytes, truncation, CRC and length
// checks), for a whole body at once and synchronously, so that worker threads can do it on other
// cores. `inspectBody` is self-contained (it uses only its arguments) because its source text is
// what the workers run: a bundled extension or CLI has no separate worker file to point at.
// A unit test holds both readers to the same answers.
import * as crypto from 'node:crypto';
import type { ContentResult } from './gzipContent';
import { zlibWithCrc32 } from './crc32';

type Zlib = typeof import('node:zlib');
type Crypto = typeof import('node:crypto');

/**
 * Where a gzip member's header ends, 0 when more bytes are needed, or why it is not a valid header.
 * Self-contained like inspectBody (the workers receive its source too); gzipContent.ts uses it as well.
 */
export function gzipHeaderLength(b: Buffer, crc32: (data: Uint8Array) => number): number | string {
  if (b.length < 10) return 0;
  if (b[0] !== 0x1f || b[1] !== 0x8b) return 'a gzip member does not start with the gzip magic number';
  if (b[2] !== 8) return `unknown gzip compression method ${b[2]}`;
  const flags = b[3];
  if (flags & 0xe0) return 'reserved gzip header flags are set';
  let pos = 10;
  if (flags & 4) {
    if (b.length < pos + 2) return 0;
    pos += 2 + b.readUInt16LE(pos);
    if (b.length < pos) return 0;
  }
  for (const bit of [8, 16]) {
    if (flags & bit) {
      const nul = b.indexOf(0, pos);
      if (nul < 0) return 0;
      pos = nul + 1;
    }
  }
  if (flags & 2) {
    if (b.length < pos + 2) return 0;
    if ((crc32(b.subarray(0, pos)) & 0xffff) !== b.readUInt16LE(pos)) return 'the gzip header CRC does not match';
    pos += 2;
  }
  return pos;
}

/** Reads one stored object's bytes. Self-contained but for gzipHeaderLength: see the file comment. */
export function inspectBody(z: Zlib, c: Crypto, body: Uint8Array, maxContentBytes: number): ContentResult {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const hash = c.createHash('sha256');
  const result: ContentResult = { container: 'plain', sha256: '', contentBytes: 0, storedBytes: bytes.length, members: 0, trailingBytes: 0 };
  const finish = (problem?: ContentResult['problem'], detail?: string): ContentResult => {
    result.sha256 = hash.digest('hex');
    if (problem) {
      result.problem = problem;
      result.problemDetail = detail;
    }
    return result;
  };
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) {
    if (bytes.length > maxContentBytes) return finish('too-large', `the content is larger than ${maxContentBytes} bytes`);
    hash.update(bytes);
    result.contentBytes = bytes.length;
    return finish();
  }
  result.container = 'gzip';
  let pos = 0;
  for (;;) {
    const length = gzipHeaderLength(bytes.subarray(pos), z.crc32);
    if (typeof length === 'string') return finish('corrupt', length);
    if (length === 0) return finish('truncated', 'the gzip data ends inside a member header');
    pos += length;
    let inflated: { buffer: Buffer; engine: { bytesWritten: number } };
    try {
      const budget = Math.max(1, maxContentBytes - result.contentBytes);
      // Output chunks about as large as a log file's content (16 times its stored size, within
      // 64 KiB to 32 MiB): one chunk instead of dozens of 16 KiB ones that are then copied together.
      const chunkSize = Math.min(32 * 1024 * 1024, budget, Math.max(64 * 1024, (bytes.length - pos) * 16));
      inflated = z.inflateRawSync(bytes.subarray(pos), { info: true, maxOutputLength: budget, chunkSize: Math.max(64, chunkSize) }) as unknown as typeof inflated;
    } catch (error) {
      const e = error as { code?: string; message: string };
      if (e.code === 'ERR_BUFFER_TOO_LARGE') return finish('too-large', `the content is larger than ${maxContentBytes} bytes`);
      if (/unexpected end of file/.test(e.message)) return finish('truncated', `the gzip data ends early (${e.message})`);
      return finish('corrupt', `the deflate data is damaged (${e.message})`);
    }
    const out = inflated.buffer;
    if (result.contentBytes + out.length > maxContentBytes) return finish('too-large', `the content is larger than ${maxContentBytes} bytes`);
    hash.update(out);
    result.contentBytes += out.length;
    pos += inflated.engine.bytesWritten;
    const left = bytes.length - pos;
    if (left === 0) return finish('truncated', 'the gzip data ends before its trailer');
    if (left < 8) return finish('truncated', 'the gzip data ends inside a member trailer');
    if (bytes.readUInt32LE(pos) !== z.crc32(out) >>> 0) return finish('corrupt', 'the gzip CRC-32 does not match the content');
    if (bytes.readUInt32LE(pos + 4) !== out.length % 2 ** 32) return finish('corrupt', 'the gzip length field does not match the content');
    result.members++;
    pos += 8;
    if (pos === bytes.length) return finish();
    if (!(bytes[pos] === 0x1f && (pos + 1 === bytes.length || bytes[pos + 1] === 0x8b))) {
      result.trailingBytes = bytes.length - pos;
      return finish();
    }
  }
}

/** The same, in this thread. */
export function inspectBodyHere(body: Uint8Array, maxContentBytes: number): ContentResult {
  return inspectBody(zlibWithCrc32(), crypto, body, maxContentBytes);
}
