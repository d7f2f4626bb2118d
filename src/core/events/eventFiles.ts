import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { EventReadError, readEvents, type ReadOptions, type ReadResult } from './reader';

/** An input that could not be read as events, and why (the reason names the position when known). */
export interface RejectedInput {
  name: string;
  reason: string;
}

export interface CollectedFiles {
  files: string[];
  /** Files in the folders that are not event files (digests, key lists), with why they were left out. */
  skipped: RejectedInput[];
}

const EVENT_FILE = /\.(json|json\.gz|gz|ndjson|jsonl|ndjson\.gz|jsonl\.gz)$/i;

/** Files a folder walk leaves out: CloudTrail digests and the files this project writes beside logs. */
export function notAnEventFile(file: string): string | undefined {
  const base = path.basename(file);
  if (/_CloudTrail-Digest_/.test(base) || file.split(/[\\/]/).includes('CloudTrail-Digest')) {
    return 'a digest file, not events (validate it with "Validate Local Folder…")';
  }
  if (base === 'public-keys.json' || base === 'cloudtrail-lens-offline.json') {
    return 'validation metadata, not events';
  }
  return undefined;
}

/**
 * Expands folders (recursively, in name order) into the event files they hold. Files named
 * explicitly are always kept, whatever their name.
 */
export async function collectEventFiles(paths: readonly string[], signal?: AbortSignal): Promise<CollectedFiles> {
  const files: string[] = [];
  const skipped: RejectedInput[] = [];
  const walk = async (dir: string): Promise<void> => {
    signal?.throwIfAborted();
    const entries = await fs.readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('.') && entry.name !== 'node_modules') {
          await walk(full);
        }
      } else if (entry.isFile() && EVENT_FILE.test(entry.name)) {
        const why = notAnEventFile(full);
        if (why) {
          skipped.push({ name: full, reason: why });
        } else {
          files.push(full);
        }
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
  /** Files read at once; default 8. */
  concurrency?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface LoadedEvents {
  /** In the order of the files given. */
  results: ReadResult[];
  rejected: RejectedInput[];
}

/** Reads many event files in parallel; a file that cannot be read is rejected with its reason, never half-read. */
export async function loadEventFiles(files: readonly string[], options: LoadOptions = {}): Promise<LoadedEvents> {
  const results: (ReadResult | undefined)[] = new Array(files.length);
  const rejected: (RejectedInput | undefined)[] = new Array(files.length);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      options.signal?.throwIfAborted();
      const file = files[i];
      try {
        const stat = await fs.stat(file);
        const limit = options.maxTextBytes ?? 512 * 1024 * 1024;
        if (stat.size > limit) {
          throw new EventReadError(file, `it is ${(stat.size / 1024 / 1024).toFixed(0)} MB, above the ${(limit / 1024 / 1024).toFixed(0)} MB this can open at once; open a smaller file or a filtered export`);
        }
        results[i] = await readEvents(await fs.readFile(file), file, options);
      } catch (error) {
        if (options.signal?.aborted) throw error;
        rejected[i] = { name: file, reason: error instanceof EventReadError ? error.message.slice(file.length + 2) : `could not read it (${error instanceof Error ? error.message : String(error)})` };
      }
      options.onProgress?.(++done, files.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, files.length) }, worker));
  return { results: results.filter((r): r is ReadResult => r !== undefined), rejected: rejected.filter((r): r is RejectedInput => r !== undefined) };
}
