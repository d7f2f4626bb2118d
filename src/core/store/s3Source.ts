// Finds a trail's log files in an object store (S3, or a local copy of a bucket) for a time range,
// regions and accounts, and downloads them in parallel into a folder the store then ingests, each
// named after its s3:// key. Only the day folders of the range are listed.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ObjectStore } from '../aws/objectStore';
import { parseLogKey } from '../integrity/trailLayout';
import { JobPool } from '../integrity/pool';

export interface S3SourceOptions {
  /** Key prefix of the trail (what comes before `AWSLogs/`), '' for the bucket root. */
  prefix: string;
  /** ms since the epoch; log files delivered up to an hour after `end` are read too (CloudTrail delivers late). */
  start?: number;
  end?: number;
  regions?: string[];
  accounts?: string[];
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Most bytes one object may have (stored). */
  maxObjectBytes?: number;
}

export interface DownloadedLogs {
  files: { path: string; name: string }[];
  failed: { name: string; reason: string }[];
  listed: number;
}

const DAY = 86_400_000;
const LATE = 3_600_000;

function dayFolders(start: number, end: number): string[] {
  const out: string[] = [];
  for (let t = Math.floor(start / DAY) * DAY; t <= end; t += DAY) {
    const d = new Date(t);
    out.push(`${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}/`);
  }
  return out;
}

/** The log-file keys of the range: AWSLogs/[o-id/]account/CloudTrail/region/yyyy/mm/dd/…. */
export async function listTrailLogs(store: ObjectStore, o: S3SourceOptions): Promise<string[]> {
  const base = o.prefix === '' || o.prefix.endsWith('/') ? o.prefix : `${o.prefix}/`;
  const root = `${base}AWSLogs/`;
  const accountFolders: string[] = [];
  for (const folder of await store.listPrefixes(root, { signal: o.signal })) {
    const name = folder.slice(root.length, -1);
    if (/^o-[a-z0-9]{10,32}$/.test(name)) {
      for (const inner of await store.listPrefixes(folder, { signal: o.signal })) accountFolders.push(inner);
    } else {
      accountFolders.push(folder);
    }
  }
  const keys: string[] = [];
  const start = o.start ?? 0;
  const end = o.end ?? Date.now();
  const days = o.start === undefined ? undefined : dayFolders(start, end + LATE);
  for (const accountFolder of accountFolders) {
    const account = accountFolder.slice(0, -1).split('/').pop()!;
    if (o.accounts && o.accounts.length > 0 && !o.accounts.includes(account)) continue;
    const regions = (await store.listPrefixes(`${accountFolder}CloudTrail/`, { signal: o.signal })).map((p) => p.slice(`${accountFolder}CloudTrail/`.length, -1));
    for (const region of regions) {
      if (o.regions && o.regions.length > 0 && !o.regions.includes(region)) continue;
      const prefixes = days ? days.map((d) => `${accountFolder}CloudTrail/${region}/${d}`) : [`${accountFolder}CloudTrail/${region}/`];
      for (const prefix of prefixes) {
        for await (const object of store.list(prefix, { signal: o.signal })) {
          const parts = parseLogKey(object.key);
          if (!parts || parts.kind !== 'CloudTrail') continue;
          if (parts.deliveryMs < start || parts.deliveryMs > end + LATE) continue;
          keys.push(object.key);
        }
      }
    }
  }
  return keys;
}

/** Downloads the range's log files into `folder` (which the caller removes); a failed download is named with why. */
export async function downloadTrailLogs(store: ObjectStore, folder: string, o: S3SourceOptions): Promise<DownloadedLogs> {
  const keys = await listTrailLogs(store, o);
  const bucket = store.bucket ?? store.description;
  const result: DownloadedLogs = { files: [], failed: [], listed: keys.length };
  const pool = new JobPool(o.concurrency ?? 16, o.signal);
  let done = 0;
  await Promise.all(
    keys.map((key, i) =>
      pool.add(async () => {
        const name = `s3://${bucket}/${key}`;
        try {
          const object = await store.get(key, { signal: o.signal, maxBytes: o.maxObjectBytes });
          const file = path.join(folder, `${String(i).padStart(7, '0')}${key.endsWith('.gz') ? '.json.gz' : '.json'}`);
          await fs.writeFile(file, object.body);
          result.files.push({ path: file, name });
        } catch (error) {
          if (o.signal?.aborted) throw error;
          result.failed.push({ name, reason: `could not be downloaded (${(error as Error).message.split('\n')[0]})` });
        }
        o.onProgress?.(++done, keys.length);
      }),
    ),
  );
  result.files.sort((a, b) => (a.name < b.name ? -1 : 1));
  return result;
}
