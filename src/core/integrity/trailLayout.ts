// Where a trail's log files and digests live in its bucket, and how their names are read back.
// Names are never split on '_': trail names may contain it. A name is matched against the known
// account, region, trail name and home region instead.
import { compactSeconds, dayFolder, parseCompact } from './time';

/** Where one trail delivers, and which account's files are validated (a member account for an organization trail). */
export interface TrailLocation {
  /** The S3 key prefix of the trail, without leading or trailing '/'; undefined or '' for none. */
  prefix?: string;
  accountId: string;
  /** Organization trails put files under `AWSLogs/{organizationId}/{accountId}/`. */
  organizationId?: string;
  trailName: string;
  homeRegion: string;
}

const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d+';

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** `{prefix/}AWSLogs/{org/}{account}/` */
export function accountFolder(loc: TrailLocation): string {
  return `${loc.prefix ? loc.prefix + '/' : ''}AWSLogs/${loc.organizationId ? loc.organizationId + '/' : ''}${loc.accountId}/`;
}

export function digestFolder(loc: TrailLocation, region: string): string {
  return `${accountFolder(loc)}CloudTrail-Digest/${region}/`;
}

export function logFolder(loc: TrailLocation, region: string): string {
  return `${accountFolder(loc)}CloudTrail/${region}/`;
}

/** The key of the digest of `region` ending at `endMs`. */
export function digestKey(loc: TrailLocation, region: string, endMs: number, backfill = false): string {
  return `${digestFolder(loc, region)}${dayFolder(endMs)}/${loc.accountId}_CloudTrail-Digest_${region}_${loc.trailName}_${loc.homeRegion}_${compactSeconds(endMs)}${backfill ? '_backfill' : ''}.json.gz`;
}

/** A pattern naming a digest whose seconds are unknown, e.g. `..._20261101T0300??Z.json.gz`. */
export function digestKeyPattern(loc: TrailLocation, region: string, endMs: number): string {
  const exact = digestKey(loc, region, endMs);
  return exact.replace(/(\d{8}T\d{4})\d{2}Z\.json\.gz$/, '$1??Z.json.gz');
}

export type DigestKeyMatch =
  | { kind: 'digest'; endMs: number; backfill: boolean }
  /** Another trail's digest (a shared bucket, or this account's other trails): not ours to judge. */
  | { kind: 'foreign' }
  /** Not a digest name of this account and region at all (a stray file in the digest folder). */
  | { kind: 'unexpected' }
  /** Named like a digest of this trail, but the rest of the name is not a digest name. */
  | { kind: 'malformed' };

/** Reads a key listed under `digestFolder(loc, region)`. */
export function matchDigestKey(loc: TrailLocation, region: string, key: string): DigestKeyMatch {
  const folder = digestFolder(loc, region);
  if (!key.startsWith(folder)) return { kind: 'foreign' };
  const rest = key.slice(folder.length);
  const named = `${loc.accountId}_CloudTrail-Digest_${region}_`;
  const slash = rest.lastIndexOf('/');
  const name = rest.slice(slash + 1);
  if (!name.startsWith(named)) return { kind: 'unexpected' };
  const ours = `${named}${loc.trailName}_${loc.homeRegion}_`;
  if (!name.startsWith(ours)) return { kind: 'foreign' };
  const m = /^(\d{8}T\d{6}Z)(_backfill)?\.json\.gz$/.exec(name.slice(ours.length));
  if (m) {
    const endMs = parseCompact(m[1]);
    // CloudTrail puts a digest in the day folder of its end time: a name from another day (a stray
    // "2099" digest among today's) would otherwise be read as the newest digest, out of key order.
    if (endMs !== undefined && rest.slice(0, slash) === dayFolder(endMs)) return { kind: 'digest', endMs, backfill: m[2] !== undefined };
    return { kind: 'malformed' };
  }
  // Another trail whose name starts with ours ("a" and "a_b"): what follows is its home region and a time.
  if (new RegExp(`_${REGION}_\\d{8}T\\d{6}Z(_backfill)?\\.json\\.gz$`).test(name.slice(ours.length - 1))) {
    return { kind: 'foreign' };
  }
  return { kind: 'malformed' };
}

/** The parts of a CloudTrail log file key. */
export interface LogKeyParts {
  /** Everything before `AWSLogs/` (the trail prefix and its '/'), possibly ''. */
  prefix: string;
  organizationId?: string;
  accountId: string;
  /** `CloudTrail`, `CloudTrail-Insight`, `CloudTrail-NetworkActivity`, `CloudTrail-Aggregated`. */
  kind: string;
  region: string;
  /** The delivery minute in the name. */
  deliveryMs: number;
  gzip: boolean;
}

const LOG_KEY = new RegExp(
  `^(.*?)AWSLogs/(?:(o-[a-z0-9]{10,32})/)?(\\d{12})/(CloudTrail|CloudTrail-Insight|CloudTrail-NetworkActivity|CloudTrail-Aggregated)/(${REGION})/\\d{4}/\\d{2}/\\d{2}/([^/]+)$`,
);

/** Reads a log file key; undefined when the key is not a CloudTrail log file name. */
export function parseLogKey(key: string): LogKeyParts | undefined {
  const m = LOG_KEY.exec(key);
  if (!m) return undefined;
  const [, prefix, organizationId, accountId, kind, region, name] = m;
  // The unique part after the time means nothing (an AWS example even omits the '_' before it).
  const n = new RegExp(`^${accountId}_${escape(kind)}_${region}_(\\d{8}T\\d{4}Z).*?\\.json(\\.gz)?$`).exec(name);
  if (!n) return undefined;
  const deliveryMs = parseCompact(n[1]);
  if (deliveryMs === undefined) return undefined;
  return { prefix, organizationId, accountId, kind, region, deliveryMs, gzip: n[2] !== undefined };
}

/** The parts of a digest key, read without knowing the trail (trail name may contain '_'). */
export interface DigestKeyParts {
  location: TrailLocation;
  region: string;
  endMs: number;
  backfill: boolean;
}

const DIGEST_KEY = new RegExp(
  `^(?:(.*)/)?AWSLogs/(?:(o-[a-z0-9]{10,32})/)?(\\d{12})/CloudTrail-Digest/(${REGION})/\\d{4}/\\d{2}/\\d{2}/(\\d{12})_CloudTrail-Digest_(${REGION})_(.+)_(${REGION})_(\\d{8}T\\d{6}Z)(_backfill)?\\.json\\.gz$`,
);

/** Reads any digest key; undefined when it is not one. */
export function parseDigestKey(key: string): DigestKeyParts | undefined {
  const m = DIGEST_KEY.exec(key);
  if (!m) return undefined;
  const [, prefix, organizationId, accountId, region, nameAccount, nameRegion, trailName, homeRegion, time, backfill] = m;
  if (nameAccount !== accountId || nameRegion !== region) return undefined;
  const endMs = parseCompact(time);
  if (endMs === undefined) return undefined;
  return { location: { prefix: prefix || undefined, accountId, organizationId, trailName, homeRegion }, region, endMs, backfill: backfill !== undefined };
}

/** A folder of a trail's log files: `AWSLogs/[o-id/]account/CloudTrail/region[/yyyy[/mm[/dd]]]/`. */
export interface LogFolderParts {
  /** What comes before `AWSLogs/` ('' at the bucket root). */
  prefix: string;
  organizationId?: string;
  accountId: string;
  region: string;
  /** The span the folder's date covers (ms, end exclusive); undefined for a region folder. */
  start?: number;
  end?: number;
}

const LOG_FOLDER = new RegExp(`^(.*?)AWSLogs/(?:(o-[a-z0-9]{10,32})/)?(\\d{12})/CloudTrail/(${REGION})(?:/(\\d{4})(?:/(\\d{2})(?:/(\\d{2}))?)?)?/?$`);

/** Reads a log folder's key prefix; undefined for any other folder (digests, accounts, the root). */
export function parseLogFolder(folder: string): LogFolderParts | undefined {
  const m = LOG_FOLDER.exec(folder);
  if (!m) return undefined;
  const [, prefix, organizationId, accountId, region, y, mo, d] = m;
  const parts: LogFolderParts = { prefix, organizationId, accountId, region };
  if (y === undefined) return parts;
  const year = Number(y);
  const month = mo === undefined ? undefined : Number(mo) - 1;
  const day = d === undefined ? undefined : Number(d);
  if (month !== undefined && (month < 0 || month > 11)) return undefined;
  if (day !== undefined && (day < 1 || day > 31)) return undefined;
  const start = Date.UTC(year, month ?? 0, day ?? 1);
  const end = day !== undefined ? Date.UTC(year, month!, day + 1) : month !== undefined ? Date.UTC(year, month + 1, 1) : Date.UTC(year + 1, 0, 1);
  return { ...parts, start, end };
}

function hhmm(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

/**
 * How a tree row names a log or digest file CloudTrail wrote: its UTC time (the folder already says
 * the day) and region, `digest` for digests; undefined for another name.
 */
export function objectRowName(key: string): { time: string; region: string; digest: boolean } | undefined {
  const log = parseLogKey(key);
  if (log) return { time: hhmm(log.deliveryMs), region: log.region, digest: false };
  const digest = parseDigestKey(key);
  if (digest) return { time: hhmm(digest.endMs), region: digest.region, digest: true };
  return undefined;
}
