// Opens a local folder laid out as `aws s3 sync` writes a trail bucket, and works out which trail
// it holds: from the offline manifest when there is one, else from the digest names.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { LocalObjectStore, OFFLINE_MANIFEST, PUBLIC_KEYS_FILE, readOfflineManifest, type OfflineManifest } from '../aws/localObjectStore';
import { readRegularTextFile } from '../files/regularFile';
import type { ObjectStore } from '../aws/objectStore';
import { publicKeysFromJson } from '../aws/trailApi';
import { fixedKeySource, type PublicKeySource } from './publicKeys';
import { parseDigestKey, type TrailLocation } from './trailLayout';
import type { TrailStatusLike } from './validateTrail';

export interface TrailCandidate extends TrailLocation {
  /** Regions with digests of this trail. */
  regions: string[];
}

export interface LocalTrail extends TrailLocation {
  store: LocalObjectStore;
  /** The bucket the folder was downloaded from (manifest), when known. */
  bucket?: string;
  trailArn?: string;
  regions: string[];
  /** From `public-keys.json` in the folder, when present. */
  publicKeys?: PublicKeySource;
  /** True when the folder has the digests' signature metadata. */
  hasMetadata: boolean;
  /** GetTrailStatus as saved by the download, per region (every region of the trail is named). */
  trailStatus: Record<string, TrailStatusLike>;
}

/** Every trail whose digests are in the store (under any prefix found by listing), with their regions. */
export async function discoverTrails(store: ObjectStore, signal?: AbortSignal): Promise<TrailCandidate[]> {
  const found = new Map<string, TrailCandidate>();
  const roots = await awsLogsRoots(store, '', 3, signal);
  for (const root of roots) {
    for (const accountFolder of await accountFolders(store, root, signal)) {
      for (const regionFolder of await store.listPrefixes(`${accountFolder}CloudTrail-Digest/`, { signal })) {
        for await (const item of store.list(regionFolder, { signal })) {
          const parts = parseDigestKey(item.key);
          if (!parts) continue;
          const loc = parts.location;
          const id = [loc.prefix ?? '', loc.organizationId ?? '', loc.accountId, loc.trailName, loc.homeRegion].join('|');
          let c = found.get(id);
          if (!c) found.set(id, (c = { ...loc, regions: [] }));
          if (!c.regions.includes(parts.region)) c.regions.push(parts.region);
        }
      }
    }
  }
  for (const c of found.values()) c.regions.sort();
  return [...found.values()];
}

/** Folders (key prefixes ending in '/') that hold `AWSLogs/`, at most `depth` levels down. */
async function awsLogsRoots(store: ObjectStore, prefix: string, depth: number, signal?: AbortSignal): Promise<string[]> {
  const children = await store.listPrefixes(prefix, { signal });
  if (children.includes(`${prefix}AWSLogs/`)) return [prefix];
  if (depth <= 0) return [];
  const out: string[] = [];
  for (const child of children) out.push(...(await awsLogsRoots(store, child, depth - 1, signal)));
  return out;
}

/** The account folders under `{root}AWSLogs/`: `{account}/`, or `{o-id}/{account}/` for organization trails. */
export async function accountFolders(store: ObjectStore, root: string, signal?: AbortSignal): Promise<string[]> {
  const out: string[] = [];
  for (const p of await store.listPrefixes(`${root}AWSLogs/`, { signal })) {
    const name = p.slice(`${root}AWSLogs/`.length, -1);
    if (/^\d{12}$/.test(name)) out.push(p);
    else if (/^o-[a-z0-9]{10,32}$/.test(name)) {
      for (const member of await store.listPrefixes(p, { signal })) if (/^\d{12}\/$/.test(member.slice(p.length))) out.push(member);
    }
  }
  return out;
}

function trailNameOfArn(arn: string): { homeRegion: string; accountId: string; trailName: string } | undefined {
  const m = /^arn:[^:]+:cloudtrail:([^:]+):(\d{12}):trail\/(.+)$/.exec(arn);
  return m ? { homeRegion: m[1], accountId: m[2], trailName: m[3] } : undefined;
}

/** Picks the trail a folder holds; throws with the candidates when it holds several and none was named. */
export async function openLocalTrail(dir: string, choose: { trailArn?: string; accountId?: string; trailName?: string } = {}): Promise<LocalTrail> {
  const stat = await fs.stat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) throw new Error(`${dir} is not a folder`);
  const store = await LocalObjectStore.open(dir);
  const manifest = await readOfflineManifest(dir);
  const fromArn = choose.trailArn ? trailNameOfArn(choose.trailArn) : manifest?.trailArn ? trailNameOfArn(manifest.trailArn) : undefined;
  const accountId = choose.accountId ?? (typeof manifest?.accountId === 'string' ? manifest.accountId : undefined);
  const trailName = choose.trailName ?? fromArn?.trailName;
  const all = await discoverTrails(store);
  let candidates = all;
  if (trailName) candidates = candidates.filter((c) => c.trailName === trailName && (!fromArn || c.homeRegion === fromArn.homeRegion));
  if (accountId) candidates = candidates.filter((c) => c.accountId === accountId);
  if (manifest) candidates = candidates.filter((c) => (c.prefix ?? null) === (manifest.prefix || null));
  if (candidates.length === 0) {
    const found = all.length > 0 ? `digests of ${all.map(candidateLabel).join('; ')}` : await describeDigestFolders(store);
    throw new Error(`${dir} holds no digest files${trailName ? ` of trail ${trailName}` : ''}${accountId ? ` for account ${accountId}` : ''} (expected AWSLogs/{account}/CloudTrail-Digest/{region}/{yyyy}/{mm}/{dd}/{account}_CloudTrail-Digest_{region}_...json.gz)${found ? `; found ${found}` : ''}.`);
  }
  if (candidates.length > 1) {
    const list = candidates.map(candidateLabel).join('; ');
    throw new Error(`${dir} holds digests of several trails or accounts: ${list}. Name one with --trail-arn (and --account-id for an organization trail).`);
  }
  const c = candidates[0];
  let publicKeys: PublicKeySource | undefined;
  const keysFile = path.join(dir, PUBLIC_KEYS_FILE);
  const text = await readRegularTextFile(keysFile).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new Error(`${keysFile} cannot be read (${error.message}); remove it or give --public-keys.`, { cause: error });
  });
  if (text !== undefined) publicKeys = fixedKeySource(publicKeysFromJson(text, keysFile), keysFile);
  return {
    ...c,
    store,
    bucket: manifest?.bucket,
    trailArn: choose.trailArn ?? manifest?.trailArn ?? undefined,
    publicKeys,
    hasMetadata: store.hasMetadata,
    trailStatus: savedTrailStatus(manifest, c.regions),
  };
}

function candidateLabel(c: TrailCandidate): string {
  return `${c.prefix ? c.prefix + '/' : ''}${c.organizationId ? c.organizationId + '/' : ''}${c.accountId} ${c.trailName} (home ${c.homeRegion})`;
}

/** The GetTrailStatus answers a download saved, or why there are none, for every region. */
function savedTrailStatus(manifest: OfflineManifest | undefined, regions: string[]): Record<string, TrailStatusLike> {
  const out: Record<string, TrailStatusLike> = {};
  for (const region of regions) {
    const saved = manifest?.trailStatus?.[region];
    const time = typeof saved?.latestDigestDeliveryTime === 'string' ? Date.parse(saved.latestDigestDeliveryTime) : Number.NaN;
    if (!Number.isNaN(time)) out[region] = { latestDigestDeliveryTime: new Date(time) };
    else if (saved?.error) out[region] = { unknownBecause: `GetTrailStatus failed when the folder was downloaded (${saved.error})` };
    else if (saved) out[region] = { unknownBecause: `the folder's GetTrailStatus answer for ${region} (saved ${saved.askedAt}) has no LatestDigestDeliveryTime` };
    else out[region] = { unknownBecause: manifest ? `the folder's ${OFFLINE_MANIFEST} saved no GetTrailStatus answer for ${region} (it was downloaded by an older version)` : `the folder has no ${OFFLINE_MANIFEST} with a GetTrailStatus answer (a plain "aws s3 sync" keeps none)` };
  }
  return out;
}

/** What the digest folders of a store hold when no trail's digests were recognised, for the message. */
async function describeDigestFolders(store: ObjectStore): Promise<string | undefined> {
  const seen: string[] = [];
  for (const root of await awsLogsRoots(store, '', 3)) {
    for (const accountFolder of await accountFolders(store, root)) {
      for (const regionFolder of await store.listPrefixes(`${accountFolder}CloudTrail-Digest/`)) {
        let count = 0;
        let example: string | undefined;
        for await (const item of store.list(regionFolder)) {
          count++;
          example ??= item.key;
        }
        seen.push(count === 0 ? `${regionFolder} (empty)` : `${count} object(s) in ${regionFolder} that are not digests of that account and region, e.g. ${example}`);
        if (seen.length >= 3) return seen.join('; ');
      }
    }
  }
  return seen.length ? seen.join('; ') : undefined;
}

/** The bucket root and S3 key of a log file in a local trail folder (the manifest's folder, else the folder above AWSLogs/). */
export async function locateLocalLogFile(file: string): Promise<{ root: string; key: string }> {
  const absolute = path.resolve(file);
  const parts = absolute.split(path.sep);
  const awsLogs = parts.lastIndexOf('AWSLogs');
  if (awsLogs < 0) throw new Error(`${file} is not inside an AWSLogs/ folder`);
  for (let i = awsLogs; i > 0; i--) {
    const root = parts.slice(0, i).join(path.sep) || path.sep;
    if (await fs.stat(path.join(root, OFFLINE_MANIFEST)).then(() => true, () => false)) {
      return { root, key: parts.slice(i).join('/') };
    }
  }
  return { root: parts.slice(0, awsLogs).join(path.sep) || path.sep, key: parts.slice(awsLogs).join('/') };
}
