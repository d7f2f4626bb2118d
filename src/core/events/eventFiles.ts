import { isUtf8 } from 'node:buffer';
import { promises as fs, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { formatBytes } from '../files/regularFile';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { byteFacts, gunzipFailure, MAX_JSON_DEPTH, type DecodedFile } from './eventBytes';
import { EventFileWorkers, type ReadLimits } from './eventFileWorkers';
import { EventReadError, isGzip, readDecoded, type ReadOptions, type ReadResult } from './reader';
import { openRegularFile, readOpened, FileTooLargeError, NotARegularFileError } from '../files/regularFile';

/** An input that could not be read as events, and why (the reason names the position when known). */
export interface RejectedInput {
  name: string;
  reason: string;
}

export interface CollectedFiles {
  files: string[];
  /**
   * What the folder walk left out, with why: digests and key lists (not events), hidden folders,
   * links to folders, folders that could not be listed. Never silent.
   */
  skipped: RejectedInput[];
}

const EVENT_FILE = /\.(json|json\.gz|gz|ndjson|jsonl|ndjson\.gz|jsonl\.gz)$/i;

/** Reasons that mean "not events by design" (a digest, our metadata), for summaries that count them. */
export const NOT_EVENTS_REASONS = {
  digest: 'a digest file, not events (validate it with "Validate Local Folder…")',
  metadata: 'validation metadata, not events',
} as const;

/** Files a folder walk leaves out: CloudTrail digests and the files this project writes beside logs. */
export function notAnEventFile(file: string): string | undefined {
  const base = path.basename(file);
  if (/_CloudTrail-Digest_/.test(base) || file.split(/[\\/]/).includes('CloudTrail-Digest')) {
    return NOT_EVENTS_REASONS.digest;
  }
  if (base === 'public-keys.json' || base === 'cloudtrail-lens-offline.json') {
    return NOT_EVENTS_REASONS.metadata;
  }
  return undefined;
}

/**
 * Expands folders (recursively, in name order) into the event files they hold. Files named
 * explicitly are always kept, whatever their name. A link to a file is followed, a link to a folder
 * is not (it could lead anywhere, or loop); a folder that cannot be listed is skipped with the
 * reason and the walk goes on.
 */
export async function collectEventFiles(paths: readonly string[], signal?: AbortSignal): Promise<CollectedFiles> {
  const files: string[] = [];
  const skipped: RejectedInput[] = [];
  const walk = async (dir: string): Promise<void> => {
    signal?.throwIfAborted();
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (error) {
      skipped.push({ name: dir, reason: `the folder could not be listed (${(error as Error).message}); its files were not read` });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name.startsWith('.') || entry.name === 'node_modules') {
          skipped.push({ name: full, reason: `a ${entry.name === 'node_modules' ? 'node_modules' : 'hidden'} folder, not read (open it itself to read it)` });
        } else {
          await walk(full);
        }
        continue;
      }
      if (!EVENT_FILE.test(entry.name)) continue;
      if (entry.isSymbolicLink()) {
        const target = await fs.stat(full).catch(() => undefined);
        if (target?.isDirectory()) {
          skipped.push({ name: full, reason: 'a symbolic link to a folder, not followed (open the folder itself to read it)' });
          continue;
        }
      }
      const why = notAnEventFile(full);
      if (why) {
        skipped.push({ name: full, reason: why });
      } else {
        // Regular files, links to them, and anything else named like an event file: reading it
        // says what it is (a FIFO, a device) instead of passing over it.
        files.push(full);
      }
    }
  };
  for (const p of paths) {
    const stat = await fs.stat(p).catch(() => undefined);
    if (!stat) {
      skipped.push({ name: p, reason: 'no such file or folder' });
    } else if (stat.isDirectory()) {
      await walk(p);
    } else {
      files.push(p);
    }
  }
  return { files, skipped };
}

export interface LoadOptions extends ReadOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /**
   * The most inflated text one command or editor action reads in all (default 1 GiB): the events
   * of every file stay in memory, so the total is bounded, not only each file.
   */
  maxTotalTextBytes?: number;
  /** What the user changes to raise the total ("the cloudtrailLens.events.maxTotalMB setting"), for the message. */
  totalLimitName?: string;
  /** Read in worker threads when there are at least this many files (default 16); 0 never. */
  workersFrom?: number;
  /**
   * Called with each file's result in file order as soon as it is parsed; with `keepRecords: false`
   * the result's records are dropped afterwards (a reader that counts while it reads holds less).
   */
  onResult?: (result: ReadResult) => void;
  keepRecords?: boolean;
}

export interface LoadedEvents {
  /** In the order of the files given. */
  results: ReadResult[];
  rejected: RejectedInput[];
  /** Files not read because the total limit was reached (in order), and the sentence that says so. */
  leftOut: { files: string[]; reason: string } | undefined;
}

export const DEFAULT_MAX_TOTAL_TEXT_BYTES = 1024 * 1024 * 1024;
const DEFAULT_MAX_TEXT_BYTES = 512 * 1024 * 1024;
/** Files per worker message, and stored bytes per message: enough to amortise a message, small enough to pipeline. */
const BATCH_FILES = 64;
const BATCH_BYTES = 8 * 1024 * 1024;
const gunzipAsync = promisify(gunzip);

/** Reads and inflates one file in this thread (few files, or no workers). */
async function readHere(file: string, maxStored: number, maxText: number, signal?: AbortSignal): Promise<DecodedFile> {
  let data: Buffer;
  try {
    const opened = await openRegularFile(file);
    data = await readOpened(opened, file, { maxBytes: maxStored, signal });
  } catch (error) {
    signal?.throwIfAborted();
    if (error instanceof NotARegularFileError) return { ok: false, name: file, code: 'not-a-file', reason: `it is ${error.what}, not a file` };
    if (error instanceof FileTooLargeError) return { ok: false, name: file, code: 'too-large', reason: `it holds more than ${formatBytes(maxStored)}, above what this can open at once; open a smaller file or a filtered export` };
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, name: file, code: 'missing', reason: 'no such file or folder' };
    return { ok: false, name: file, code: 'read-failed', reason: `could not read it (${(error as Error).message})` };
  }
  let text = data;
  if (isGzip(data)) {
    try {
      text = await gunzipAsync(data, { maxOutputLength: Math.max(1, maxText) });
    } catch (error) {
      return { ok: false, name: file, ...gunzipFailure(error as NodeJS.ErrnoException, data.length, maxText) };
    }
  } else if (data.length > maxText) {
    return { ok: false, name: file, code: 'too-large', reason: `it is ${formatBytes(data.length)}, above the ${formatBytes(maxText)} this can open at once; open a smaller file or a filtered export` };
  }
  return { ok: true, name: file, text, storedBytes: data.length, facts: byteFacts(text, MAX_JSON_DEPTH, isUtf8) };
}

/**
 * Reads many event files; a file that cannot be read is rejected with its reason, never half-read.
 * Folders of many files are read and inflated by worker threads while this thread parses. The
 * inflated text of all files together is bounded: once the bound is reached, the files not yet
 * read are left out and `leftOut` says which and why.
 */
export async function loadEventFiles(files: readonly string[], options: LoadOptions = {}): Promise<LoadedEvents> {
  const maxText = options.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES;
  const maxTotal = options.maxTotalTextBytes ?? DEFAULT_MAX_TOTAL_TEXT_BYTES;
  const results: (ReadResult | undefined)[] = new Array(files.length);
  const rejected: (RejectedInput | undefined)[] = new Array(files.length);
  let used = 0;
  let readFiles = 0;
  let stopAt = files.length;
  let done = 0;
  const room = (): number => Math.max(0, maxTotal - used);

  /** Parses one decoded file, charging its text to the total; a file that does not fit ends the reading. */
  const take = async (i: number, decoded: DecodedFile): Promise<void> => {
    if (i >= stopAt) return;
    let d = decoded;
    if (!d.ok && d.code === 'over-budget') {
      // Larger than its batch's share: read it here against the whole room left.
      d = await readHere(files[i], maxText, Math.min(maxText, room() + 1), options.signal);
    }
    if (!d.ok && d.code === 'too-large' && room() < maxText) {
      stopAt = i; // too large for what is left of the total (it may fit alone): the total is reached
      return;
    }
    if (!d.ok) {
      rejected[i] = { name: files[i], reason: d.reason };
    } else if (d.text.length > room()) {
      stopAt = i;
      return;
    } else {
      used += d.text.length;
      readFiles++;
      try {
        const result = readDecoded(d.text, d.storedBytes, files[i], d.facts);
        options.onResult?.(result);
        if (options.keepRecords === false) result.records = [];
        results[i] = result;
      } catch (error) {
        rejected[i] = { name: files[i], reason: error instanceof EventReadError ? error.message.slice(files[i].length + 2) : `could not read it (${(error as Error).message})` };
      }
    }
    options.onProgress?.(++done, files.length);
  };

  const useWorkers = options.workersFrom !== 0 && files.length >= (options.workersFrom ?? 16);
  let workers: EventFileWorkers | undefined;
  try {
    workers = useWorkers ? new EventFileWorkers() : undefined;
  } catch {
    workers = undefined; // no worker threads here: read in this thread
  }
  try {
    if (workers) {
      await readWithWorkers(workers, files, { maxStored: maxText, maxText, maxDepth: MAX_JSON_DEPTH }, room, take, () => stopAt, options.signal);
    } else {
      for (let i = 0; i < files.length && i < stopAt; i++) {
        options.signal?.throwIfAborted();
        await take(i, await readHere(files[i], maxText, Math.min(maxText, room() + 1), options.signal));
      }
    }
  } finally {
    await workers?.close();
  }
  options.signal?.throwIfAborted();
  const leftOutFiles = files.slice(stopAt);
  return {
    results: results.filter((r): r is ReadResult => r !== undefined),
    rejected: rejected.filter((r): r is RejectedInput => r !== undefined),
    leftOut: leftOutFiles.length
      ? {
          files: leftOutFiles,
          reason: `${leftOutFiles.length} file(s) were not read: reading them would take the events held past ${formatBytes(maxTotal)} (${readFiles} file(s), ${formatBytes(used)} read); raise ${options.totalLimitName ?? 'the limit'} or open fewer files`,
        }
      : undefined,
  };
}

/** The inflated text one batch may hold in a worker at once: bounds a worker's memory whatever the files hold. */
const BATCH_BUDGET = 256 * 1024 * 1024;

/** Sends batches to the workers (three in flight per worker) and parses each in file order as it comes back. */
async function readWithWorkers(
  workers: EventFileWorkers,
  files: readonly string[],
  limits: ReadLimits,
  room: () => number,
  take: (i: number, d: DecodedFile) => Promise<void>,
  stopAt: () => number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const batches: { from: number; files: string[] }[] = [];
  let bytes = 0;
  for (let i = 0; i < files.length; i++) {
    const last = batches[batches.length - 1];
    // The first batches are small so that this thread starts parsing while the workers warm up.
    const size = batches.length === 0 ? 4 : batches.length === 1 ? 16 : BATCH_FILES;
    if (!last || last.files.length >= size || bytes >= BATCH_BYTES) {
      batches.push({ from: i, files: [files[i]] });
      bytes = 0;
    } else {
      last.files.push(files[i]);
    }
    bytes += 64 * 1024; // sizes are unknown until read: a rough share per file keeps batches even
  }
  const inFlight: { decoded: Promise<DecodedFile[]>; budget: number }[] = [];
  let reserved = 0;
  let next = 0;
  const send = (): void => {
    if (next >= batches.length || batches[next].from >= stopAt()) return;
    const budget = Math.min(BATCH_BUDGET, Math.max(0, room() - reserved));
    reserved += budget;
    const decoded = workers.read(batches[next].files, { ...limits, budget });
    decoded.catch(() => undefined); // awaited in order below
    inFlight.push({ decoded, budget });
    next++;
  };
  for (let k = 0; k < 3 * workers.count; k++) send();
  for (let b = 0; b < batches.length && batches[b].from < stopAt(); b++) {
    signal?.throwIfAborted();
    const decoded = await inFlight[b].decoded.catch(() => undefined);
    send(); // keep the workers busy while this batch is parsed
    for (let k = 0; k < batches[b].files.length; k++) {
      // A worker that died (or could not start) leaves its batch to this thread.
      const d = decoded?.[k] ?? (await readHere(batches[b].files[k], limits.maxStored, Math.min(limits.maxText, room() + 1), signal));
      await take(batches[b].from + k, d);
    }
    reserved -= inFlight[b].budget;
  }
}
