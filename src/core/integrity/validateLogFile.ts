// Validates one log file: finds the digest that lists it (a digest whose window follows the delivery
// time in the log's name, searched a few hours ahead), verifies that digest, then the file's hash.
import type { ObjectStore } from '../aws/objectStore';
import { checkDigest, ownChecksPassed, type DigestState } from './digestCheck';
import { finding, type Finding } from './findings';
import { judgeLog, readLog, type DigestTrust } from './logCheck';
import type { PublicKeySource } from './publicKeys';
import { RegionKeys, type RunContext } from './runContext';
import { dayFolder, HOUR, isoSeconds } from './time';
import { parseDigestKey, parseLogKey, type TrailLocation } from './trailLayout';

export interface ValidateLogFileOptions {
  store: ObjectStore;
  /** The log file's S3 key (for a local folder: its path below the folder, '/'-separated). */
  key: string;
  /** The bucket digests must name; defaults to the store's. */
  bucket?: string;
  publicKeys?: PublicKeySource;
  /** Only digests of this trail (a bucket may hold several trails' digests). */
  trailName?: string;
  /** How many hours after the delivery time to look for the digest, default 3. */
  searchHours?: number;
  signal?: AbortSignal;
  profile?: string;
}

export interface LogFileValidation {
  /** The finding about the log file. */
  log: Finding;
  /** The digest that lists it, when one was found. */
  digestKey?: string;
  /** The digest's own findings (or its valid finding), then the log's. */
  findings: Finding[];
  outcome: 'valid' | 'invalid' | 'incomplete';
}

function contextFor(o: ValidateLogFileOptions, location: TrailLocation, keys: RegionKeys): RunContext {
  const store = o.store as ObjectStore & { root?: string };
  return {
    store: o.store,
    bucket: o.bucket ?? o.store.bucket,
    location,
    signal: o.signal,
    profile: o.profile,
    maxDigestBytes: 64 * 1024 * 1024,
    maxLogBytes: 2 * 1024 * 1024 * 1024,
    keys,
    onBytes: () => undefined,
    pathOf: (key) => (typeof store.root === 'string' ? `${store.root}/${key}` : undefined),
  };
}

/** Candidate digests in the log's region, ordered by end time, from the delivery time on. */
async function candidateDigests(o: ValidateLogFileOptions, folder: string, from: number, to: number): Promise<{ key: string; location: TrailLocation; endMs: number; backfill: boolean }[]> {
  const out: { key: string; location: TrailLocation; endMs: number; backfill: boolean }[] = [];
  for await (const item of o.store.list(folder, { startAfter: `${folder}${dayFolder(from - 24 * HOUR)}`, signal: o.signal })) {
    const parts = parseDigestKey(item.key);
    if (!parts || (o.trailName && parts.location.trailName !== o.trailName)) continue;
    if (parts.endMs < from) continue;
    if (parts.endMs > to) break;
    out.push({ key: item.key, location: parts.location, endMs: parts.endMs, backfill: parts.backfill });
  }
  return out.sort((a, b) => a.endMs - b.endMs || (a.backfill ? 1 : 0) - (b.backfill ? 1 : 0));
}

function outcomeOf(findings: Finding[]): LogFileValidation['outcome'] {
  return findings.some((f) => f.severity === 'error') ? 'invalid' : findings.some((f) => f.severity === 'warning') ? 'incomplete' : 'valid';
}

export async function validateLogFile(o: ValidateLogFileOptions): Promise<LogFileValidation> {
  const parts = parseLogKey(o.key);
  if (!parts) throw new Error(`${o.key} is not a CloudTrail log file name (AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/<account>_CloudTrail_<region>_<time>_<id>.json.gz)`);
  const base = `${parts.prefix}AWSLogs/${parts.organizationId ? parts.organizationId + '/' : ''}${parts.accountId}/`;
  const folder = `${base}CloudTrail-Digest/${parts.region}/`;
  const from = parts.deliveryMs - 2 * 60_000;
  const to = parts.deliveryMs + (o.searchHours ?? 3) * HOUR;
  const keys = new RegionKeys(o.publicKeys, from, to, o.signal);
  const candidates = await candidateDigests(o, folder, from, to);
  for (const c of candidates) {
    const ctx = contextFor(o, c.location, keys);
    const digest: DigestState = await checkDigest(ctx, parts.region, c.key, c.endMs, c.backfill);
    const entry = digest.doc?.logFiles.find((e) => e.s3Object === o.key);
    if (!entry) continue;
    const trust: DigestTrust | undefined = ownChecksPassed(digest) ? 'valid' : digest.authenticated ? 'authentic' : digest.signatureUnchecked && digest.findings.every((f) => f.severity !== 'error') ? 'unchecked' : undefined;
    const digestFindings = digest.findings.length
      ? digest.findings
      : [finding({ verdict: 'valid', code: 'ok', subject: c.backfill ? 'backfill-digest' : 'digest', region: parts.region, object: { bucket: ctx.bucket, key: c.key, path: ctx.pathOf(c.key) }, timeRange: { start: digest.doc!.digestStartTime, end: digest.doc!.digestEndTime }, message: `Digest ${c.key} is valid.` })];
    let log: Finding;
    if (trust === undefined) {
      log = finding({ verdict: 'unverified', code: 'listed-by-invalid-digest', subject: 'log', region: parts.region, object: { bucket: entry.s3Bucket, key: o.key, path: ctx.pathOf(o.key) }, message: `Log file ${o.key} is not verified: the digest that lists it (${c.key}) is not valid, so its hash cannot be trusted.`, details: { digestKey: c.key, expectedHash: entry.hashValue } });
    } else {
      log = judgeLog(ctx, entry, digest, trust, await readLog(ctx, o.key));
    }
    const findings = [...digestFindings, log];
    return { log, digestKey: c.key, findings, outcome: outcomeOf(findings) };
  }
  const ctx = contextFor(o, { accountId: parts.accountId, trailName: o.trailName ?? '', homeRegion: parts.region }, keys);
  const log = finding({
    verdict: 'unverified',
    code: 'not-listed',
    subject: 'log',
    region: parts.region,
    object: { bucket: ctx.bucket, key: o.key, path: ctx.pathOf(o.key) },
    message: `Log file ${o.key} is not verified: none of the ${candidates.length} digests delivered from ${isoSeconds(from)} to ${isoSeconds(to)}${o.trailName ? ` by trail ${o.trailName}` : ''} lists it.`,
  });
  return { log, findings: [log], outcome: 'incomplete' };
}
