import * as path from 'node:path';
import type { ObjectStore } from '../../core/aws/objectStore';
import { collectEventFiles, DEFAULT_MAX_TOTAL_TEXT_BYTES, loadEventFiles, type RejectedInput } from '../../core/events/eventFiles';
import { FileTooLargeError, formatBytes } from '../../core/files/regularFile';
import { describeAwsError } from '../../core/aws/awsErrors';
import { EventReadError, readEvents, type ReadResult } from '../../core/events/reader';
import type { CloudTrailRecord } from '../../core/events/records';
import type { EventSourceRef } from './eventDocumentUri';

export interface LoadedSources {
  results: ReadResult[];
  rejected: RejectedInput[];
  skipped: RejectedInput[];
  /** Inputs not read because the total limit was reached, and the sentence that says so. */
  leftOut?: { files: string[]; reason: string };
}

export interface LoadProgress {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  maxTextBytes?: number;
  maxTotalTextBytes?: number;
}

const TOTAL_SETTING = 'the cloudtrailLens.events.maxTotalMB setting';

/** Opens the S3 bucket of an `s3` source; the AWS layer provides it. */
export type S3StoreFactory = (bucket: string, region?: string) => Promise<ObjectStore>;

/** Events handed over in memory (LookupEvents results), referenced by id from document URIs. */
export class MemoryEvents {
  private readonly entries = new Map<string, { label: string; records: CloudTrailRecord[] }>();
  private next = 1;

  add(label: string, records: CloudTrailRecord[]): string {
    const id = `${Date.now().toString(36)}-${this.next++}`;
    this.entries.set(id, { label, records });
    return id;
  }

  get(id: string): { label: string; records: CloudTrailRecord[] } | undefined {
    return this.entries.get(id);
  }
}

/** Reads the events of every source: files and folders from disk, S3 objects, in-memory results. */
export async function loadSources(sources: readonly EventSourceRef[], deps: { memory: MemoryEvents; s3?: S3StoreFactory }, options: LoadProgress = {}): Promise<LoadedSources> {
  const results: ReadResult[] = [];
  const rejected: RejectedInput[] = [];
  const skipped: RejectedInput[] = [];
  let leftOut: LoadedSources['leftOut'];
  const paths = sources.filter((s): s is Extract<EventSourceRef, { kind: 'file' }> => s.kind === 'file').map((s) => s.path);
  const objects = sources.filter((s): s is Extract<EventSourceRef, { kind: 's3' }> => s.kind === 's3');
  if (paths.length > 0) {
    const collected = await collectEventFiles(paths, options.signal);
    skipped.push(...collected.skipped.filter((s) => s.reason !== 'no such file or folder'));
    rejected.push(...collected.skipped.filter((s) => s.reason === 'no such file or folder'));
    const total = collected.files.length + objects.length;
    const loaded = await loadEventFiles(collected.files, { ...options, totalLimitName: TOTAL_SETTING, onProgress: (done) => options.onProgress?.(done, total) });
    results.push(...loaded.results);
    rejected.push(...loaded.rejected);
    leftOut = loaded.leftOut;
  }
  const maxTotal = options.maxTotalTextBytes ?? DEFAULT_MAX_TOTAL_TEXT_BYTES;
  let used = results.reduce((n, r) => n + r.textBytes, 0);
  let done = results.length + rejected.length;
  for (const o of objects) {
    options.signal?.throwIfAborted();
    const name = `s3://${o.bucket}/${o.key}`;
    if (!deps.s3) {
      rejected.push({ name, reason: 'AWS access is not available in this window (an untrusted workspace, or no AWS profile)' });
      continue;
    }
    if (leftOut) {
      leftOut.files.push(name);
      continue;
    }
    try {
      const store = await deps.s3(o.bucket, o.region);
      const object = await store.get(o.key, { signal: options.signal, maxBytes: options.maxTextBytes });
      const room = Math.max(0, maxTotal - used);
      const result = await readEvents(object.body, name, { maxTextBytes: Math.min(options.maxTextBytes ?? maxTotal, room + 1) });
      if (result.textBytes > room) throw new TotalReached();
      used += result.textBytes;
      results.push(result);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      if (error instanceof TotalReached || (error instanceof EventReadError && maxTotal - used < (options.maxTextBytes ?? maxTotal) && /inflates to more than|above the/.test(error.reason))) {
        leftOut = { files: [name], reason: `some inputs were not read: reading them would take the events held past ${formatBytes(maxTotal)}; raise ${TOTAL_SETTING} or open fewer files` };
        continue;
      }
      if (error instanceof FileTooLargeError) {
        rejected.push({ name, reason: `it is larger than ${formatBytes(error.limit)}, above the cloudtrailLens.events.maxFileSizeMB setting` });
        continue;
      }
      // A read error of the file itself names the position; an AWS error names the call and the permission.
      const reason = error instanceof EventReadError ? error.message.slice(name.length + 2) : describeAwsError(error, 'GetObject', name).message;
      rejected.push({ name, reason });
    }
    options.onProgress?.(++done, paths.length + objects.length);
  }
  for (const m of sources) {
    if (m.kind !== 'memory') continue;
    const entry = deps.memory.get(m.id);
    if (entry) {
      results.push({ name: entry.label, format: 'lookup-events', records: entry.records, recordCount: entry.records.length, storedBytes: 0, textBytes: 0 });
    } else {
      rejected.push({ name: m.label, reason: 'these search results are gone (they live only while VS Code runs); run the search again' });
    }
  }
  return { results, rejected, skipped, leftOut };
}

class TotalReached extends Error {}

export function shortName(name: string): string {
  return name.startsWith('s3://') ? name : path.basename(name);
}
