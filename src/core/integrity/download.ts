// "Download Trail for Offline Validation": saves a trail's digests and log files for a time range
// as `aws s3 sync` lays them out, plus what offline validation needs and a sync does not keep: each
// digest's signature metadata (cloudtrail-lens-offline.json) and the ListPublicKeys answer
// (public-keys.json). Existing files are never overwritten: an identical one is kept, a differing
// one is reported as a conflict.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { OFFLINE_MANIFEST, PUBLIC_KEYS_FILE, readOfflineManifest, type OfflineManifest } from '../aws/localObjectStore';
import type { ObjectStore } from '../aws/objectStore';
import { publicKeysFromJson, publicKeysToJson, type PublicKey } from '../aws/trailApi';
import { parseDigest } from './digestFile';
import { JobPool } from './pool';
import type { PublicKeySource } from './publicKeys';
import { describeFailure } from './runContext';
import { dayFolder, HOUR } from './time';
import { digestFolder, logFolder, matchDigestKey, type TrailLocation } from './trailLayout';

export interface DownloadOptions extends TrailLocation {
  /** The trail's bucket (an S3ObjectStore). */
  store: ObjectStore;
  bucket: string;
  destination: string;
  trailArn?: string;
  regions: string[];
  start: Date;
  end: Date;
  /** Where the ListPublicKeys answer comes from; undefined saves no public-keys.json. */
  publicKeys?: PublicKeySource;
  /**
   * GetTrailStatus of a region. Asked before anything is listed, so that every digest it says was
   * delivered is in the download; saved in the manifest for offline validation of the newest digests.
   */
  trailStatus?: (region: string, signal?: AbortSignal) => Promise<{ latestDigestDeliveryTime?: Date }>;
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (p: { filesDone: number; filesTotal: number; bytesWritten: number }) => void;
  profile?: string;
}

export interface DownloadConflict {
  key: string;
  path: string;
  reason: string;
}

export interface DownloadResult {
  /** Objects written or found identical. */
  files: number;
  bytes: number;
  /** Objects already present with the same bytes. */
  unchanged: number;
  digests: number;
  logs: number;
  publicKeys: number;
  manifestPath: string;
  publicKeysPath?: string;
}

/** Some files in the destination differ from the bucket's; they were left as they are. */
export class DownloadConflictError extends Error {
  constructor(
    readonly conflicts: DownloadConflict[],
    readonly result: DownloadResult,
  ) {
    super(`${conflicts.length} file(s) in the destination differ from the bucket and were not overwritten, e.g. ${conflicts[0].path} (${conflicts[0].reason}). Download into an empty folder to get the bucket's version.`);
    this.name = 'DownloadConflictError';
  }
}

const METADATA_KEYS = ['signature', 'signature-algorithm', 'backfill-generation-timestamp'];

function fileOf(root: string, key: string): string {
  const file = path.resolve(root, ...key.split('/'));
  if (!file.startsWith(path.resolve(root) + path.sep) || key.split('/').some((p) => p === '..' || p === '.' || p === '')) {
    throw new Error(`refusing to write key ${key}: it would leave ${root}`);
  }
  return file;
}

async function sha256OfFile(file: string): Promise<string | undefined> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  } catch {
    return undefined;
  }
  return hash.digest('hex');
}

class Downloader {
  readonly pool: JobPool;
  readonly conflicts: DownloadConflict[] = [];
  readonly metadata: Record<string, Record<string, string>> = {};
  readonly backfillTimes = new Map<string, number[]>();
  files = 0;
  bytes = 0;
  unchanged = 0;
  total = 0;
  private readonly folders = new Map<string, Promise<unknown>>();

  constructor(readonly o: DownloadOptions) {
    this.pool = new JobPool(Math.max(1, o.concurrency ?? 16), o.signal);
  }

  progress(): void {
    this.o.onProgress?.({ filesDone: this.files + this.conflicts.length, filesTotal: this.total, bytesWritten: this.bytes });
  }

  /** Streams one object to a temporary file, then moves it in place unless a different file is there. */
  async save(key: string, keep?: (body: Buffer) => void): Promise<Record<string, string>> {
    const target = fileOf(this.o.destination, key);
    const folder = path.dirname(target);
    let made = this.folders.get(folder);
    if (!made) this.folders.set(folder, (made = fs.mkdir(folder, { recursive: true })));
    await made;
    const temp = `${target}.part-${randomBytes(6).toString('hex')}`;
    let opened;
    try {
      opened = await this.o.store.open(key, { signal: this.o.signal });
    } catch (error) {
      this.o.signal?.throwIfAborted();
      throw new Error(describeFailure({ store: this.o.store, profile: this.o.profile }, error, 'GetObject', key), { cause: error });
    }
    const hash = createHash('sha256');
    const kept: Buffer[] = [];
    let size = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        if (keep) kept.push(chunk);
        done(null, chunk);
      },
    });
    try {
      await pipeline(opened.stream as NodeJS.ReadableStream, tap, createWriteStream(temp, { flags: 'wx' }), { signal: this.o.signal });
      const digest = hash.digest('hex');
      const existing = await sha256OfFile(target);
      if (existing === undefined) {
        await fs.rename(temp, target);
      } else {
        await fs.rm(temp, { force: true });
        if (existing === digest) this.unchanged++;
        else {
          this.conflicts.push({ key, path: target, reason: 'the file differs from the object in the bucket' });
          this.progress();
          return opened.metadata;
        }
      }
    } finally {
      await fs.rm(temp, { force: true });
    }
    this.files++;
    this.bytes += size;
    this.progress();
    if (keep) keep(Buffer.concat(kept));
    return opened.metadata;
  }

  job(run: () => Promise<void>): Promise<void> {
    this.total++;
    return this.pool.add(run);
  }
}

async function listKeys(o: DownloadOptions, folder: string, from: number, to: number, location: TrailLocation, region: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const item of o.store.list(folder, { startAfter: `${folder}${dayFolder(from - 24 * HOUR)}`, signal: o.signal })) {
    const m = matchDigestKey(location, region, item.key);
    if (m.kind !== 'digest' || m.endMs < from) continue;
    if (m.endMs > to) {
      if (!m.backfill) {
        keys.push(item.key);
        break;
      }
      continue;
    }
    keys.push(item.key);
  }
  return keys;
}

type SavedStatus = NonNullable<OfflineManifest['trailStatus']>;

/** Asks GetTrailStatus in every region; a failure is saved with its reason (offline validation then says it could not check). */
async function askTrailStatus(o: DownloadOptions): Promise<SavedStatus | undefined> {
  if (!o.trailStatus) return undefined;
  const saved: SavedStatus = {};
  await Promise.all(
    o.regions.map(async (region) => {
      const askedAt = new Date().toISOString();
      try {
        const status = await o.trailStatus!(region, o.signal);
        saved[region] = { askedAt, latestDigestDeliveryTime: status.latestDigestDeliveryTime?.toISOString() };
      } catch (error) {
        o.signal?.throwIfAborted();
        saved[region] = { askedAt, error: describeFailure({ store: o.store, profile: o.profile }, error, 'GetTrailStatus', region) };
      }
    }),
  );
  return saved;
}

async function mergeManifest(o: DownloadOptions, d: Downloader, existing: OfflineManifest | undefined, status: SavedStatus | undefined): Promise<string> {
  const file = path.join(o.destination, OFFLINE_MANIFEST);
  const digestMetadata = { ...(existing?.digestMetadata ?? {}) };
  for (const [key, meta] of Object.entries(d.metadata)) {
    const before = digestMetadata[key];
    if (before && JSON.stringify(before) !== JSON.stringify(meta)) {
      d.conflicts.push({ key, path: file, reason: 'the manifest records other signature metadata for this digest' });
      continue;
    }
    digestMetadata[key] = meta;
  }
  const manifest: OfflineManifest = {
    ...(existing ?? {}),
    format: 'cloudtrail-lens-offline/1',
    bucket: o.bucket,
    prefix: o.prefix || null,
    trailArn: o.trailArn ?? existing?.trailArn,
    digestMetadata,
    // The newest answer wins: the folder now holds what was delivered up to it.
    trailStatus: { ...(existing?.trailStatus ?? {}), ...(status ?? {}) },
    accountId: o.accountId,
    organizationId: o.organizationId ?? null,
    homeRegion: o.homeRegion,
    regions: [...new Set([...((existing?.regions as string[] | undefined) ?? []), ...o.regions])].sort(),
    trailName: o.trailName,
  };
  await fs.writeFile(file, JSON.stringify(manifest, null, 2) + '\n');
  return file;
}

async function savePublicKeys(o: DownloadOptions, d: Downloader): Promise<{ path: string; count: number } | undefined> {
  if (!o.publicKeys) return undefined;
  const file = path.join(o.destination, PUBLIC_KEYS_FILE);
  const byFingerprint = new Map<string, PublicKey>();
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  for (const k of text === undefined ? [] : publicKeysFromJson(text, file)) byFingerprint.set(k.fingerprint, k);
  for (const region of o.regions) {
    const windows: [number, number][] = [[o.start.getTime() - 3 * HOUR, o.end.getTime() + 5 * HOUR]];
    for (const t of d.backfillTimes.get(region) ?? []) windows.push([t - HOUR, t + HOUR]);
    for (const [from, to] of windows) {
      let keys: PublicKey[];
      try {
        keys = await o.publicKeys.listPublicKeys(region, new Date(from), new Date(to), o.signal);
      } catch (error) {
        o.signal?.throwIfAborted();
        throw new Error(describeFailure({ store: o.store, profile: o.profile }, error, 'ListPublicKeys', region), { cause: error });
      }
      for (const k of keys) {
        const before = byFingerprint.get(k.fingerprint);
        if (before && !before.value.equals(k.value)) {
          d.conflicts.push({ key: k.fingerprint, path: file, reason: 'public-keys.json holds other bytes for this fingerprint' });
          continue;
        }
        byFingerprint.set(k.fingerprint, k);
      }
    }
  }
  await fs.writeFile(file, publicKeysToJson([...byFingerprint.values()]));
  return { path: file, count: byFingerprint.size };
}

/**
 * Downloads digests (from 3 h before `start` to 4 h after `end`, and the first one after, as
 * validation reads them), the log files they list and every object in the log folders of the range's
 * days. Throws DownloadConflictError after everything else is saved when some existing file differs.
 */
export async function downloadForOfflineValidation(o: DownloadOptions): Promise<DownloadResult> {
  const existing = await readOfflineManifest(o.destination).catch((e: Error) => {
    throw new Error(`${o.destination} has an unreadable ${OFFLINE_MANIFEST}: ${e.message}`);
  });
  if (existing && (existing.bucket !== o.bucket || (existing.prefix || null) !== (o.prefix || null))) {
    throw new Error(`${o.destination} already holds a download of s3://${existing.bucket}/${existing.prefix ?? ''}; choose another folder.`);
  }
  await fs.mkdir(o.destination, { recursive: true });
  const status = await askTrailStatus(o);
  const d = new Downloader(o);
  const location: TrailLocation = { prefix: o.prefix || undefined, accountId: o.accountId, organizationId: o.organizationId, trailName: o.trailName, homeRegion: o.homeRegion };
  const logKeys = new Set<string>();
  let digests = 0;
  const list: Promise<void>[] = [];
  const track = (p: Promise<void>): void => {
    p.catch(() => undefined); // awaited below; this only keeps an early failure from counting as unhandled
    list.push(p);
  };
  for (const region of o.regions) {
    const folder = digestFolder(location, region);
    const keys = await listKeys(o, folder, o.start.getTime() - 3 * HOUR, o.end.getTime() + 4 * HOUR, location, region);
    for (const key of keys) {
      digests++;
      track(
        d.job(async () => {
          let body: Buffer | undefined;
          const meta = await d.save(key, (b) => (body = b));
          const kept: Record<string, string> = {};
          for (const name of METADATA_KEYS) if (meta[name] !== undefined) kept[name] = meta[name];
          d.metadata[key] = kept;
          const generated = Date.parse(kept['backfill-generation-timestamp'] ?? '');
          if (!Number.isNaN(generated)) d.backfillTimes.set(region, [...(d.backfillTimes.get(region) ?? []), generated]);
          // The log files a digest lists are saved too, wherever they are.
          for (const logKey of body ? listedLogs(body, o.bucket) : []) {
            if (logKeys.has(logKey)) continue;
            logKeys.add(logKey);
            track(d.job(() => d.save(logKey).then(() => undefined, (e: Error) => ignoreMissing(e))));
          }
        }),
      );
    }
    const logs = logFolder(location, region);
    for (let day = Date.UTC(o.start.getUTCFullYear(), o.start.getUTCMonth(), o.start.getUTCDate()); day <= o.end.getTime(); day += 24 * HOUR) {
      for await (const item of o.store.list(`${logs}${dayFolder(day)}/`, { signal: o.signal })) {
        if (logKeys.has(item.key)) continue;
        logKeys.add(item.key);
        track(d.job(() => d.save(item.key).then(() => undefined)));
      }
    }
  }
  // Jobs add jobs (a digest's log files): wait until no new ones appear.
  for (let seen = 0; seen < list.length; ) {
    const batch = list.slice(seen);
    seen = list.length;
    await Promise.all(batch);
  }
  const keys = await savePublicKeys(o, d);
  const manifestPath = await mergeManifest(o, d, existing, status);
  const result: DownloadResult = { files: d.files, bytes: d.bytes, unchanged: d.unchanged, digests, logs: logKeys.size, publicKeys: keys?.count ?? 0, manifestPath, publicKeysPath: keys?.path };
  if (d.conflicts.length > 0) throw new DownloadConflictError(d.conflicts, result);
  return result;
}

/** The log files of this bucket a digest lists; none when it is not a readable digest (validation will say so). */
function listedLogs(body: Buffer, bucket: string): string[] {
  try {
    const parsed = parseDigest(gunzipSync(body, { maxOutputLength: 64 * 1024 * 1024 }));
    return parsed.ok ? parsed.digest.logFiles.filter((e) => e.s3Bucket === bucket).map((e) => e.s3Object) : [];
  } catch {
    return [];
  }
}

/** A log file a digest lists but the bucket lacks: offline validation will report it missing. */
function ignoreMissing(error: Error): void {
  if (/does not exist|NoSuchKey/.test(error.message)) return;
  throw error;
}
