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

/** The account folders of a trail: `AWSLogs/account/` and `AWSLogs/o-id/account/`. */
async function accountFoldersOf(store: ObjectStore, prefix: string, signal?: AbortSignal): Promise<string[]> {
  const base = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`;
  const root = `${base}AWSLogs/`;
  const accountFolders: string[] = [];
  for (const folder of await store.listPrefixes(root, { signal })) {
    const name = folder.slice(root.length, -1);
    if (/^o-[a-z0-9]{10,32}$/.test(name)) {
      for (const inner of await store.listPrefixes(folder, { signal })) accountFolders.push(inner);
    } else {
      accountFolders.push(folder);
    }
  }
  return accountFolders;
}

export interface TrailLogExtent {
  /** Every region with a log folder, in any account, sorted. */
  regions: string[];
  /** The delivery time of the newest log file (ms), found by following the newest year, month and day. */
  newestMs?: number;
}

/** Which regions a trail's bucket (or a local copy) has logs for, and when its newest log was delivered. */
export async function trailLogExtent(store: ObjectStore, prefix: string, signal?: AbortSignal): Promise<TrailLogExtent> {
  const regions = new Set<string>();
  let newestMs: number | undefined;
  for (const accountFolder of await accountFoldersOf(store, prefix, signal)) {
    for (const regionFolder of await store.listPrefixes(`${accountFolder}CloudTrail/`, { signal })) {
      regions.add(regionFolder.slice(`${accountFolder}CloudTrail/`.length, -1));
      let current = regionFolder;
      for (let depth = 0; depth < 3 && current; depth++) current = (await store.listPrefixes(current, { signal })).sort().pop() ?? '';
      if (!current) continue;
      for await (const object of store.list(current, { signal })) {
        const t = parseLogKey(object.key)?.deliveryMs;
        if (t !== undefined && (newestMs === undefined || t > newestMs)) newestMs = t;
      }
    }
  }
  return { regions: [...regions].sort(), newestMs };
}

/** The log-file keys of the range: AWSLogs/[o-id/]account/CloudTrail/region/yyyy/mm/dd/…. */
export async function listTrailLogs(store: ObjectStore, o: S3SourceOptions): Promise<string[]> {
  const accountFolders = await accountFoldersOf(store, o.prefix, o.signal);
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
