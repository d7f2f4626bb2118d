// Reading files that may be hostile: a name in a log folder can be a FIFO (an open() that never
// returns), a symbolic link to /dev/zero (endless bytes whose stat size is 0), a folder, a socket or
// a device. Every read of input goes through here: the file is opened without blocking, checked to
// be a regular file on the opened descriptor (no race between a check and the open), and read with
// a byte limit enforced while reading, whatever stat said.
import { constants, promises as fs, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/** The path names something that is not a regular file; `what` says what it is ("a FIFO (named pipe)"). */
export class NotARegularFileError extends Error {
  constructor(
    readonly path: string,
    readonly what: string,
  ) {
    super(`${path} is ${what}, not a regular file`);
    this.name = 'NotARegularFileError';
  }
}

/** The file holds more bytes than the reader allows; nothing past the limit was read. */
export class FileTooLargeError extends Error {
  constructor(
    readonly path: string,
    readonly limit: number,
  ) {
    super(`${path} is larger than ${formatBytes(limit)}`);
    this.name = 'FileTooLargeError';
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(1)} GB`;
}

/** What a file system entry is, in words for a message. */
export function kindOf(stats: Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  if (stats.isSymbolicLink()) return 'a symbolic link';
  return 'a special file';
}

/** Describes a path that is not a regular file: "a symbolic link to a character device (/dev/zero)". */
async function describe(file: string, target?: Stats): Promise<string> {
  const link = await fs.lstat(file).catch(() => undefined);
  const resolved = target ?? (await fs.stat(file).catch(() => undefined));
  if (link?.isSymbolicLink()) {
    const to = await fs.readlink(file).catch(() => undefined);
    const what = resolved ? kindOf(resolved) : 'nothing that can be opened (a broken link or a loop)';
    return `a symbolic link to ${what}${to !== undefined ? ` (${to})` : ''}`;
  }
  return resolved ? kindOf(resolved) : 'not readable';
}

// O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer; it changes nothing for
// regular files. O_NOCTTY: a terminal device never becomes the controlling terminal. (Windows has neither.)
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0);

export interface OpenedFile {
  handle: FileHandle;
  /** The size when opened (a file may still grow: reads are bounded by their own limit). */
  size: number;
  mtime: Date;
}

/**
 * Opens a file for reading only if it is a regular file (a symbolic link to one is followed).
 * Throws NotARegularFileError for folders, FIFOs, devices, sockets and broken links; rethrows other
 * errors (ENOENT, EACCES) as they are.
 */
export async function openRegularFile(file: string): Promise<OpenedFile> {
  let handle: FileHandle;
  try {
    handle = await fs.open(file, OPEN_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // EISDIR (Windows, some systems), ENXIO (a socket, or a FIFO with O_NONBLOCK for writing), ELOOP.
    if (code === 'EISDIR' || code === 'ENXIO' || code === 'ELOOP' || code === 'EOPNOTSUPP') {
      throw new NotARegularFileError(file, await describe(file));
    }
    throw error;
  }
  let stats: Stats;
  try {
    stats = await handle.stat();
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw error;
  }
  if (!stats.isFile()) {
    await handle.close().catch(() => undefined);
    throw new NotARegularFileError(file, await describe(file, stats));
  }
  return { handle, size: stats.size, mtime: stats.mtime };
}

export interface ReadLimit {
  /** Refuse (FileTooLargeError) a file holding more than this many bytes. */
  maxBytes: number;
  signal?: AbortSignal;
}

const CHUNK = 1024 * 1024;

/** Reads an opened file to its end, never more than `maxBytes` (a file may be larger than stat said). */
export async function readOpened(opened: OpenedFile, file: string, limit: ReadLimit): Promise<Buffer> {
  const { handle } = opened;
  try {
    // One read of the stat size (plus one byte, to notice growth) serves every regular file that keeps still.
    let buffer = Buffer.allocUnsafe(Math.min(limit.maxBytes, opened.size) + 1);
    let length = 0;
    for (;;) {
      limit.signal?.throwIfAborted();
      if (length === buffer.length) {
        if (buffer.length > limit.maxBytes) throw new FileTooLargeError(file, limit.maxBytes);
        const bigger = Buffer.allocUnsafe(Math.min(limit.maxBytes + 1, Math.max(buffer.length * 2, buffer.length + CHUNK)));
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > limit.maxBytes) throw new FileTooLargeError(file, limit.maxBytes);
    return length === buffer.length ? buffer : buffer.subarray(0, length);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** Opens and reads a regular file, bounded by `maxBytes`. */
export async function readRegularFile(file: string, limit: ReadLimit): Promise<Buffer> {
  return readOpened(await openRegularFile(file), file, limit);
}

/** Reads a small text file (a manifest, a key list) as UTF-8, bounded. */
export async function readRegularTextFile(file: string, maxBytes = 64 * 1024 * 1024): Promise<string> {
  return (await readRegularFile(file, { maxBytes })).toString('utf8');
}
