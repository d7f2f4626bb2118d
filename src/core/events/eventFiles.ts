import { isUtf8 } from 'node:buffer';
import { promises as fs, type Dirent } from 'node:fs';
import * as path from 'node:path';
import { formatBytes } from '../files/regularFile';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import * as fsSync from 'node:fs';
import * as zlib from 'node:zlib';
import { byteFacts, gunzipFailure, MAX_JSON_DEPTH, readEventFileSync, type DecodedFile } from './eventBytes';
import { availableParallelism } from 'node:os';
import { EventFileWorkers, type ReadLimits, type SummaryBatch, type WireSummary } from './eventFileWorkers';
import { eventIdsOf, SummaryAggregate, type SummaryCounter } from './eventSummary';
import type { CloudTrailRecord } from './records';
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
   * Workers started by the caller (while it walked the folders, say), used instead of starting
   * new ones when workers are used at all; the caller closes them.
   */
  workers?: EventFileWorkers;
  /**
   * Counting instead of keeping: the files are parsed and counted (in the workers) into this
   * counter, which is given each file's eventIDs in file order; results then carry no records.
   * Call its `settle` afterwards.
   */
  counter?: SummaryCounter;
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
/** The inflated text one "decode" batch may hold in a worker at once: bounds a worker's memory whatever the files hold. */
const BATCH_BUDGET = 256 * 1024 * 1024;
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
 * Reads one file again for the events at the places asked (SummaryCounter.settle): undefined when
 * the file can no longer be read. Synchronous (it serves the CLI's summary, where a few hundred
 * files read one after another cost a tenth of what promise round trips per file would).
 */
export function recordsIn(file: string, places: readonly number[], options: { maxTextBytes?: number } = {}): Map<number, CloudTrailRecord> | undefined {
  const maxText = options.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES;
  const decoded = readEventFileSync(fsSync, zlib, isUtf8, file, { maxStored: maxText, maxText, maxDepth: MAX_JSON_DEPTH });
  if (!decoded.ok) return undefined;
  let records: CloudTrailRecord[];
  try {
    records = readDecoded(decoded.text, decoded.storedBytes, file, decoded.facts).records;
  } catch {
    return undefined;
  }
  const found = new Map<number, CloudTrailRecord>();
  for (const place of places) if (place < records.length) found.set(place, records[place]);
  return found;
}

/** One file as a worker or this thread hands it over: bytes to parse here, or counted already (its eventIDs). */
type Arrived = DecodedFile | WireSummary;

/**
 * Reads many event files; a file that cannot be read is rejected with its reason, never half-read.
 * Folders of many files are read and inflated (and, when counting, parsed and counted) by worker
 * threads while this thread parses or merges. The inflated text of all files together is bounded:
 * once the bound is reached, the files not yet read are left out and `leftOut` says which and why.
 */
export async function loadEventFiles(files: readonly string[], options: LoadOptions = {}): Promise<LoadedEvents> {
  const maxText = options.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES;
  const maxTotal = options.maxTotalTextBytes ?? DEFAULT_MAX_TOTAL_TEXT_BYTES;
  const counter = options.counter;
  const results: (ReadResult | undefined)[] = new Array(files.length);
  const rejected: (RejectedInput | undefined)[] = new Array(files.length);
  let used = 0;
  let readFiles = 0;
  let stopAt = files.length;
  let done = 0;
  const room = (): number => Math.max(0, maxTotal - used);
  const limits = { maxStored: maxText, maxText, maxDepth: MAX_JSON_DEPTH };

  /** Parses (or notes, when counted already) one file, charging its text to the total; a file that does not fit ends the reading. */
  const take = async (i: number, arrived: Arrived): Promise<void> => {
    if (i >= stopAt) return;
    let a = arrived;
    if (!a.ok && (a.code === 'over-budget' || a.code === 'missing-worker')) {
      // Larger than its batch's share, or left by a worker that died: read it here against the whole room left.
      a = await readHere(files[i], maxText, Math.min(maxText, room() + 1), options.signal);
    }
    if (!a.ok && a.code === 'too-large' && room() < maxText) {
      stopAt = i; // too large for what is left of the total (it may fit alone): the total is reached
      return;
    }
    if (!a.ok) {
      rejected[i] = { name: files[i], reason: a.reason };
    } else if ('ids' in a) {
      // Counted by a worker (its batch's aggregate is merged once the batch is taken): the worker
      // was given no more than the room left, so it fits.
      used += a.textBytes;
      readFiles++;
      counter!.addFile(files[i], a.ids);
      results[i] = { name: files[i], format: a.format, records: [], recordCount: a.recordCount, storedBytes: a.storedBytes, textBytes: a.textBytes, warnings: a.warnings };
    } else {
      if (a.text.length > room()) {
        stopAt = i;
        return;
      }
      used += a.text.length;
      readFiles++;
      try {
        const result = readDecoded(a.text, a.storedBytes, files[i], a.facts);
        if (counter) {
          const here = new SummaryAggregate(counter.detect?.newBatch(), counter.counts);
          here.add(result.records);
          counter.addFile(files[i], counter.counts ? eventIdsOf(result.records) : []);
          counter.merge(here.toWire());
          result.records = [];
        }
        results[i] = result;
      } catch (error) {
        rejected[i] = { name: files[i], reason: error instanceof EventReadError ? error.message.slice(files[i].length + 2) : `could not read it (${(error as Error).message})` };
      }
    }
    options.onProgress?.(++done, files.length);
  };

  let workers: EventFileWorkers | undefined;
  const own = options.workers === undefined;
  if (options.workersFrom !== 0 && files.length >= (options.workersFrom ?? 16)) {
    try {
      // Counting leaves this thread little to do: one worker per core. Parsing here: one core stays here.
      workers = options.workers ?? new EventFileWorkers(counter ? availableParallelism() : undefined);
    } catch {
      workers = undefined; // no worker threads here: read in this thread
    }
  }
  try {
    if (workers) {
      await readWithWorkers(workers, files, limits, counter, room, take, () => stopAt, options.signal);
    } else {
      for (let i = 0; i < files.length && i < stopAt; i++) {
        options.signal?.throwIfAborted();
        await take(i, await readHere(files[i], maxText, Math.min(maxText, room() + 1), options.signal));
      }
    }
  } finally {
    if (own) await workers?.close();
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

/**
 * Sends batches to the workers (three in flight per worker) and takes each in file order as it
 * comes back. Each batch may inflate at most its share of the room left (half of what no batch in
 * flight has reserved, at most BATCH_BUDGET): what passes its share comes back unread and is read
 * here against the real room, so the total is never passed.
 */
async function readWithWorkers(
  workers: EventFileWorkers,
  files: readonly string[],
  limits: ReadLimits,
  counter: SummaryCounter | undefined,
  room: () => number,
  take: (i: number, a: Arrived) => Promise<void>,
  stopAt: () => number,
  signal: AbortSignal | undefined,
): Promise<void> {
  const batches: { from: number; files: string[] }[] = [];
  let bytes = 0;
  for (let i = 0; i < files.length; i++) {
    const last = batches[batches.length - 1];
    // The first batches are small so that the pipeline fills while the workers start.
    const size = batches.length < workers.count ? 4 : batches.length < 2 * workers.count ? 16 : BATCH_FILES;
    if (!last || last.files.length >= size || bytes >= BATCH_BYTES) {
      batches.push({ from: i, files: [files[i]] });
      bytes = 0;
    } else {
      last.files.push(files[i]);
    }
    bytes += 64 * 1024; // sizes are unknown until read: a rough share per file keeps batches even
  }
  type Reply = { results: Arrived[]; aggregate?: SummaryBatch['aggregate'] };
  const inFlight: { arrived: Promise<Reply>; budget: number }[] = [];
  let reserved = 0;
  let next = 0;
  const send = (): void => {
    if (next >= batches.length || batches[next].from >= stopAt()) return;
    const budget = Math.min(BATCH_BUDGET, Math.floor(Math.max(0, room() - reserved) / 2));
    reserved += budget;
    const batch = batches[next].files;
    const arrived: Promise<Reply> = counter ? workers.summarize(batch, { ...limits, budget }, counter.detect?.rules, counter.counts) : workers.decode(batch, { ...limits, budget }).then((results) => ({ results }));
    arrived.catch(() => undefined); // awaited in order below
    inFlight.push({ arrived, budget });
    next++;
  };
  for (let k = 0; k < 3 * workers.count; k++) send();
  for (let b = 0; b < batches.length && batches[b].from < stopAt(); b++) {
    signal?.throwIfAborted();
    const reply = await inFlight[b].arrived.catch(() => undefined);
    send(); // keep the workers busy while this batch is taken (its share stays reserved until it is)
    for (let k = 0; k < batches[b].files.length; k++) {
      // A worker that died (or could not start) leaves its batch to this thread.
      await take(batches[b].from + k, reply?.results[k] ?? { ok: false, name: batches[b].files[k], code: 'missing-worker', reason: '' });
    }
    if (reply?.aggregate) counter!.merge(reply.aggregate);
    reserved -= inFlight[b].budget;
  }
}
