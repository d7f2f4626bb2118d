// Validates a trail's digests and log files for a time range, in every region asked for, streaming
// findings as they are found. See findings.ts for what each verdict means and chain.ts for the
// checks between digests.
import { setMaxListeners } from 'node:events';
import { availableParallelism } from 'node:os';
import type { ObjectStore } from '../aws/objectStore';
import { analyzeChain, trustedDigest, type ChainResult } from './chain';
import { ContentWorkers } from './contentWorkers';
import { checkDigest, ownChecksPassed, type DigestState } from './digestCheck';
import { finding, type Finding } from './findings';
import { judgeLog, otherBucket, readLog, unverifiedByInvalidDigest, wrongLogAlgorithm, type DigestTrust, type LogRead } from './logCheck';
import { ByteGate, JobPool } from './pool';
import type { PublicKeySource } from './publicKeys';
import { describeFailure, RegionKeys, type RunContext } from './runContext';
import { summarize, type ValidationSummary } from './summary';
import { dayFolder, HOUR, isoSeconds, MINUTE } from './time';
import { digestFolder, logFolder, matchDigestKey, parseLogKey, type TrailLocation } from './trailLayout';

export interface ValidateTrailOptions extends TrailLocation {
  store: ObjectStore;
  /** The bucket digests must name; defaults to the store's. Undefined for a folder without a manifest. */
  bucket?: string;
  /** For reports and messages. */
  trailArn?: string;
  /** Every region to validate (all regions of a multi-region trail, not only one). */
  regions: string[];
  /** Log files delivered from `start` to `end` (inclusive) are validated. */
  start: Date;
  end: Date;
  /** Where public keys come from; undefined: signatures are reported as not checked. */
  publicKeys?: PublicKeySource;
  /**
   * GetTrailStatus of each region, to notice deleted newest digests (LatestDigestDeliveryTime). A
   * promise may be given so that the call runs while digests are read; a rejected one counts as unknown.
   */
  trailStatus?: Readonly<Record<string, TrailStatusLike | PromiseLike<TrailStatusLike | undefined> | undefined>>;
  /** Parallel downloads, default 16. */
  concurrency?: number;
  signal?: AbortSignal;
  onFinding?: (finding: Finding) => void;
  onProgress?: (progress: ValidationProgress) => void;
  /** The AWS profile, for messages about expired logins. */
  profile?: string;
  /** Largest log content read (after gunzip), default 2 GiB; larger files are reported, not read to the end. */
  maxLogBytes?: number;
  /** Worker threads that gunzip and hash log files, default: one per core (the downloads take little of this thread); 0 does it in this thread. */
  threads?: number;
}

export interface TrailStatusLike {
  latestDigestDeliveryTime?: Date;
  /** Why the time is not known (GetTrailStatus failed, the folder saved no answer), for the finding. */
  unknownBecause?: string;
}

export interface ValidationProgress {
  phase: 'listing' | 'checking' | 'done';
  filesDone: number;
  /** Grows while digests reveal the log files they list. */
  filesTotal: number;
  /** Whether every digest has been listed and read, so `filesTotal` no longer grows. */
  totalKnown: boolean;
  /** Stored (compressed) bytes read so far. */
  bytesRead: number;
  elapsedMs: number;
  bytesPerSecond: number;
}

/** What a run checked, for the report. */
export interface ValidationScope {
  store: string;
  bucket?: string;
  prefix?: string;
  accountId: string;
  organizationId?: string;
  trailName: string;
  homeRegion: string;
  trailArn?: string;
  regions: string[];
  start: string;
  end: string;
  /** The public keys seen, per region, and where they came from. */
  publicKeys: { region: string; source: string; fingerprint: string; validityStart: string; validityEnd: string }[];
  keysFromAws: boolean;
  /** Regions whose newest digests were checked against GetTrailStatus. */
  trailStatusRegions: string[];
  startedAt: string;
  finishedAt: string;
}

export interface ValidationResult {
  findings: Finding[];
  summary: ValidationSummary;
  scope: ValidationScope;
  /** What this run could not check, one sentence each. */
  limitations: string[];
}

const DEFAULT_CONCURRENCY = 16;
const MAX_DIGEST_BYTES = 64 * 1024 * 1024;
const MAX_LOG_BYTES = 2 * 1024 * 1024 * 1024;
/** Digests listed before the range, to check the first link and count missing hours at its start. */
const LOOK_BEHIND = 3 * HOUR;
/** Digests listed after the range, to check the last links (aws-cli itself reads up to end + 1 h). */
const LOOK_AHEAD = 4 * HOUR;
/**
 * Downloaded log bodies waiting for a hashing thread, at most (a few dozen typical log files): a
 * download gives its slot back once its body waits here, so the next request is already on its
 * way while the body is hashed; when this much waits, downloads hold their slots (measured with
 * bench:validate: a larger queue only costs memory and cache, the hashing threads are the limit).
 */
const HASH_QUEUE_BYTES = 4 * 1024 * 1024;
/** Day folders of a region's logs listed at once. */
const LIST_DAYS_AT_ONCE = 8;
/** A log file's name carries its delivery minute; digests' windows carry seconds. */
const DELIVERY_SLACK = 2 * MINUTE;

interface RegionRun {
  region: string;
  regular: DigestState[];
  backfill: DigestState[];
  /** Digests the listing did not show but a chain link names (read directly). */
  fetched: DigestState[];
  listedLogs: Set<string>;
  chain?: ChainResult;
}

class Run {
  readonly findings: Finding[] = [];
  readonly pool: JobPool;
  readonly ctx: RunContext;
  readonly reportFrom: number;
  readonly reportTo: number;
  readonly limitations = new Set<string>();
  readonly statusRegions = new Set<string>();
  private filesDone = 0;
  private filesTotal = 0;
  /** Set once every region's digests are listed and read: only log files are left, all queued. */
  totalKnown = false;
  private bytesRead = 0;
  private lastProgress = 0;
  private readonly started = Date.now();
  private readonly logReads = new Map<string, Promise<LogRead>>();
  readonly logJobs: Promise<void>[] = [];

  constructor(readonly o: ValidateTrailOptions) {
    this.pool = new JobPool(Math.max(1, o.concurrency ?? DEFAULT_CONCURRENCY), o.signal);
    this.reportFrom = o.start.getTime();
    this.reportTo = o.end.getTime() + HOUR;
    const location: TrailLocation = { prefix: o.prefix || undefined, accountId: o.accountId, organizationId: o.organizationId, trailName: o.trailName, homeRegion: o.homeRegion };
    const store = o.store as ObjectStore & { root?: string };
    this.ctx = {
      store: o.store,
      bucket: o.bucket ?? o.store.bucket,
      location,
      signal: o.signal,
      profile: o.profile,
      maxDigestBytes: MAX_DIGEST_BYTES,
      maxLogBytes: o.maxLogBytes ?? MAX_LOG_BYTES,
      keys: new RegionKeys(o.publicKeys, o.start.getTime(), o.end.getTime(), o.signal),
      workers: o.threads === 0 ? undefined : new ContentWorkers(o.threads ?? availableParallelism()),
      hashQueue: new ByteGate(HASH_QUEUE_BYTES),
      onBytes: (n) => {
        this.bytesRead += n;
        this.progress('checking');
      },
      pathOf: (key) => (typeof store.root === 'string' ? `${store.root}/${key}` : undefined),
    };
  }

  emit(f: Finding): void {
    this.findings.push(f);
    this.o.onFinding?.(f);
  }

  progress(phase: ValidationProgress['phase'], force = false): void {
    const now = Date.now();
    if (!this.o.onProgress || (!force && now - this.lastProgress < 100)) return;
    this.lastProgress = now;
    const elapsedMs = now - this.started;
    this.o.onProgress({ phase, filesDone: this.filesDone, filesTotal: this.filesTotal, totalKnown: this.totalKnown, bytesRead: this.bytesRead, elapsedMs, bytesPerSecond: elapsedMs > 0 ? (this.bytesRead * 1000) / elapsedMs : 0 });
  }

  /** Runs a file job in the pool, counted in progress; `release` gives its slot back early (its download is done). */
  file<T>(job: (release: () => void) => Promise<T>, priority: number): Promise<T> {
    this.filesTotal++;
    let value: T;
    return this.pool
      .add(async (release) => {
        value = await job(release);
      }, priority)
      .then(() => {
        this.filesDone++;
        this.progress('checking');
        return value;
      });
  }

  inReport(ms: number): boolean {
    return ms >= this.reportFrom && ms <= this.reportTo;
  }

  /** The log files a digest lists, judged by how far the digest can be trusted. */
  queueLogs(d: DigestState): void {
    if (!d.doc || !this.inReport(d.keyEndMs)) return;
    const trust: DigestTrust | undefined = ownChecksPassed(d) ? 'valid' : d.authenticated ? 'authentic' : d.signatureUnchecked && d.findings.every((f) => f.severity !== 'error') ? 'unchecked' : undefined;
    for (const entry of d.doc.logFiles) {
      if (trust === undefined) {
        this.emit(unverifiedByInvalidDigest(this.ctx, entry, d));
        continue;
      }
      if (this.ctx.bucket !== undefined && entry.s3Bucket !== this.ctx.bucket) {
        this.emit(otherBucket(this.ctx, entry, d));
        continue;
      }
      if (entry.hashAlgorithm !== undefined && entry.hashAlgorithm !== 'SHA-256') {
        this.emit(wrongLogAlgorithm(this.ctx, entry, d));
        continue;
      }
      let read = this.logReads.get(entry.s3Object);
      if (!read) {
        read = this.file((release) => readLog(this.ctx, entry.s3Object, release), 1);
        this.logReads.set(entry.s3Object, read);
      }
      const job = read.then((r) => this.emit(judgeLog(this.ctx, entry, d, trust, r)));
      job.catch(() => undefined); // awaited in validateTrail; this only keeps an abort from being "unhandled"
      this.logJobs.push(job);
    }
  }
}

/** Lists the region's digests around the range; each is handed to `onListed` as soon as its page arrives. */
async function listDigests(run: Run, r: RegionRun, onListed: (l: { key: string; endMs: number; backfill: boolean }) => void): Promise<void> {
  const { ctx, o } = run;
  const folder = digestFolder(ctx.location, r.region);
  const from = o.start.getTime() - LOOK_BEHIND;
  const to = o.end.getTime() + LOOK_AHEAD;
  for await (const item of ctx.store.list(folder, { startAfter: `${folder}${dayFolder(from - 24 * HOUR)}`, signal: o.signal })) {
    const m = matchDigestKey(ctx.location, r.region, item.key);
    if (m.kind === 'malformed' && inDays(item.key.slice(folder.length), from, to)) {
      run.emit(
        finding({
          verdict: 'invalid-format',
          code: 'digest-name',
          subject: 'digest',
          region: r.region,
          object: { bucket: ctx.bucket, key: item.key, path: ctx.pathOf(item.key) },
          message: `Object ${item.key} is named like a digest of trail ${ctx.location.trailName} but its name is not a digest name, so CloudTrail did not write it.`,
          details: { size: item.size },
        }),
      );
      continue;
    }
    if (m.kind === 'unexpected' && inDays(item.key.slice(folder.length), from, to)) {
      run.emit(
        finding({
          verdict: 'unverified',
          code: 'unexpected-object',
          subject: 'digest',
          region: r.region,
          object: { bucket: ctx.bucket, key: item.key, path: ctx.pathOf(item.key) },
          message: `Object ${item.key} (${item.size} bytes) in the trail's digest folder is not a CloudTrail digest file name of account ${ctx.location.accountId} in ${r.region}; no digest vouches for it.`,
          details: { size: item.size },
        }),
      );
      continue;
    }
    if (m.kind !== 'digest' || m.endMs < from) continue;
    if (m.endMs > to) {
      // The first regular digest after the window tells whether the chain went on (deleted digests)
      // or restarted (logging stopped); nothing later is needed.
      if (!m.backfill) {
        onListed({ key: item.key, endMs: m.endMs, backfill: false });
        break;
      }
      continue;
    }
    onListed({ key: item.key, endMs: m.endMs, backfill: m.backfill });
  }
}

/** True when a key below a region folder sits in a day folder from `from`'s day to `to`'s. */
function inDays(rest: string, from: number, to: number): boolean {
  const m = /^(\d{4})\/(\d{2})\/(\d{2})\//.exec(rest);
  if (!m) return true; // not in a day folder at all: as suspicious on any day
  const day = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return day >= from - 24 * HOUR && day <= to;
}

/** Runs a listing; a failure (other than cancelling) becomes one sentence naming the call. */
async function listing<T>(run: Run, target: string, job: () => Promise<T>): Promise<T> {
  try {
    return await job();
  } catch (error) {
    run.o.signal?.throwIfAborted();
    throw new Error(describeFailure(run.ctx, error, 'ListObjectsV2', target), { cause: error });
  }
}

async function validateRegion(run: Run, r: RegionRun): Promise<void> {
  const { ctx, o } = run;
  // The log folders are listed while digests are read; they are judged once every digest is known.
  const logObjects = listing(run, logFolder(ctx.location, r.region), () => listLogFolder(run, r));
  logObjects.catch(() => undefined); // awaited below
  const status = Promise.resolve(o.trailStatus?.[r.region]).catch(() => undefined);
  // The keys are asked for while the digests are listed (every signature check needs them).
  if (ctx.keys.source) ctx.keys.forRun(r.region).catch(() => undefined);
  // Each digest is read as soon as the listing shows it, not once the listing ends.
  const reads: Promise<DigestState>[] = [];
  const readDigest = (l: { key: string; endMs: number; backfill: boolean }): void => {
    const read = run.file(async () => {
      const state = await checkDigest(ctx, r.region, l.key, l.endMs, l.backfill);
      if (run.inReport(l.endMs)) {
        for (const f of state.findings) run.emit(f);
        if (!state.exists) {
          run.emit(
            finding({
              verdict: 'missing',
              code: 'digest-missing',
              subject: l.backfill ? 'backfill-digest' : 'digest',
              region: r.region,
              object: { bucket: ctx.bucket, key: l.key },
              message: `Digest ${l.key} was listed but could not be found when read.`,
            }),
          );
        }
        run.queueLogs(state);
      }
      for (const entry of state.doc?.logFiles ?? []) r.listedLogs.add(entry.s3Object);
      return state;
    }, 2);
    read.catch(() => undefined); // awaited below
    reads.push(read);
  };
  try {
    await listing(run, digestFolder(ctx.location, r.region), () => listDigests(run, r, readDigest));
  } catch (error) {
    await Promise.allSettled(reads); // nothing keeps running after the run has failed
    throw error;
  }
  const states = await Promise.all(reads);
  r.regular = states.filter((s) => !s.backfill).sort((a, b) => a.keyEndMs - b.keyEndMs);
  r.backfill = states.filter((s) => s.backfill).sort((a, b) => a.keyEndMs - b.keyEndMs);
  const answer = await status;
  const latest = answer?.latestDigestDeliveryTime;
  r.chain = await analyzeChain({
    region: r.region,
    location: ctx.location,
    bucket: ctx.bucket,
    regular: r.regular,
    backfill: r.backfill,
    reportFrom: run.reportFrom,
    reportTo: run.reportTo,
    rangeStart: o.start.getTime(),
    rangeEnd: o.end.getTime(),
    latestDigestDelivery: latest?.getTime(),
    latestDigestUnknownBecause: answer === undefined ? undefined : (answer.unknownBecause ?? 'GetTrailStatus gave no LatestDigestDeliveryTime'),
    fetch: async (key) => {
      // A digest a link names that the listing did not show (before the listed window, or something
      // that is not a file): what reading it finds is reported like any listed digest's.
      const m = matchDigestKey(ctx.location, r.region, key);
      const state = await run.file(() => checkDigest(ctx, r.region, key, m.kind === 'digest' ? m.endMs : 0, m.kind === 'digest' && m.backfill), 2);
      for (const entry of state.doc?.logFiles ?? []) r.listedLogs.add(entry.s3Object);
      if (state.exists) {
        r.fetched.push(state);
        if (run.inReport(state.keyEndMs)) {
          for (const f of state.findings) run.emit(f);
          run.queueLogs(state);
        }
      }
      return state;
    },
  });
  for (const f of r.chain.findings) run.emit(f);
  if (latest !== undefined) run.statusRegions.add(r.region);
  emitValidDigests(run, r);
  judgeLogFolder(run, r, await logObjects);
}

/** A digest in the range with no finding against it (own checks or chain) is valid. */
function emitValidDigests(run: Run, r: RegionRun): void {
  const judged = new Set(run.findings.filter((f) => f.object && f.subject !== 'log').map((f) => f.object!.key));
  for (const d of [...r.regular, ...r.backfill, ...r.fetched]) {
    if (!run.inReport(d.keyEndMs) || !d.exists || judged.has(d.key) || !ownChecksPassed(d)) continue;
    run.emit(
      finding({
        verdict: 'valid',
        code: 'ok',
        subject: d.backfill ? 'backfill-digest' : 'digest',
        region: r.region,
        object: { bucket: run.ctx.bucket, key: d.key, path: run.ctx.pathOf(d.key) },
        timeRange: d.doc ? { start: d.doc.digestStartTime, end: d.doc.digestEndTime } : undefined,
        message: `Digest ${d.key} is valid.`,
        details: { fingerprint: d.doc?.digestPublicKeyFingerprint, actualHash: d.sha256 },
      }),
    );
  }
}

/** The objects in the log folders of the range's days. */
async function listLogFolder(run: Run, r: RegionRun): Promise<{ key: string; size: number }[]> {
  const { ctx, o } = run;
  const folder = logFolder(ctx.location, r.region);
  const days: number[] = [];
  for (let day = Date.UTC(o.start.getUTCFullYear(), o.start.getUTCMonth(), o.start.getUTCDate()); day <= o.end.getTime(); day += 24 * HOUR) days.push(day);
  // Day folders are listed several at once (each listing's pages come one after another).
  const lists: { key: string; size: number }[][] = new Array(days.length);
  let next = 0;
  const lister = async (): Promise<void> => {
    while (next < days.length) {
      const i = next++;
      const items: { key: string; size: number }[] = [];
      for await (const item of ctx.store.list(`${folder}${dayFolder(days[i])}/`, { signal: o.signal })) items.push({ key: item.key, size: item.size });
      lists[i] = items;
    }
  };
  const listers = Array.from({ length: Math.min(LIST_DAYS_AT_ONCE, days.length) }, lister);
  const settled = await Promise.allSettled(listers);
  const failed = settled.find((x): x is PromiseRejectedResult => x.status === 'rejected');
  if (failed) throw failed.reason;
  return lists.flat();
}

/** Log files delivered in the range that no digest lists, and objects that are not log files. */
function judgeLogFolder(run: Run, r: RegionRun, items: { key: string; size: number }[]): void {
  const { ctx, o } = run;
  const chain = r.chain!;
  const first = o.start.getTime();
  const last = o.end.getTime();
  for (const item of items) {
    if (r.listedLogs.has(item.key)) continue;
    const object = { bucket: ctx.bucket, key: item.key, path: ctx.pathOf(item.key) };
    const parts = parseLogKey(item.key);
    if (!parts || parts.accountId !== ctx.location.accountId || parts.region !== r.region || parts.kind !== 'CloudTrail') {
      run.emit(
        finding({
          verdict: 'unverified',
          code: 'unexpected-object',
          subject: 'log',
          region: r.region,
          object,
          message: `Object ${item.key} (${item.size} bytes) in the trail's log folder is not a CloudTrail log file name of account ${ctx.location.accountId} in ${r.region}; no digest vouches for it.`,
          details: { size: item.size },
        }),
      );
      continue;
    }
    if (parts.deliveryMs + MINUTE <= first || parts.deliveryMs > last) continue;
    run.emit(unlisted(r, chain, item.key, parts.deliveryMs, item.size, object));
  }
}

function unlisted(r: RegionRun, chain: ChainResult, key: string, deliveryMs: number, size: number, object: Finding['object']): Finding {
  const inside = (w: { start: number; end: number }): boolean => deliveryMs + MINUTE > w.start && deliveryMs < w.end;
  const make = (message: string, notYet = false, digestKey?: string): Finding =>
    finding({ verdict: notYet ? 'not-checked' : 'unverified', code: notYet ? 'not-yet-digested' : 'not-listed', subject: 'log', region: r.region, object, message, details: { size, digestKey } });
  const when = isoSeconds(deliveryMs);
  if (chain.newestEnd === undefined) return make(`Log file ${key} is not verified: no digest of this trail exists for ${r.region}.`);
  // A digest is there for the hour but cannot be believed (unreadable, or failed its checks).
  const untrusted = r.regular.find((d) => d.exists && !trustedDigest(d) && inside({ start: d.keyEndMs - HOUR, end: d.keyEndMs + DELIVERY_SLACK }));
  if (untrusted) {
    const why = untrusted.doc ? 'is not valid' : 'cannot be read as a digest';
    return make(`Log file ${key} is not verified: the digest covering its delivery at ${when} (${untrusted.key}) ${why}.`, false, untrusted.key);
  }
  if (chain.missingWindows.some(inside)) return make(`Log file ${key} is not verified: the digest covering its delivery at ${when} is missing.`);
  if (deliveryMs >= chain.newestEnd - DELIVERY_SLACK) {
    const missingAfter = chain.missingWindows.some((w) => w.end > chain.newestEnd!);
    if (chain.newestChecked && !missingAfter) {
      return make(`Log file ${key} was delivered at ${when}, after the newest digest (which ends ${isoSeconds(chain.newestEnd)}); the digest that will list it has not been delivered yet.`, true);
    }
    return make(`Log file ${key} is not verified: it was delivered at ${when}, after the newest digest in the bucket (which ends ${isoSeconds(chain.newestEnd)}).`);
  }
  if (chain.gaps.some(inside)) return make(`Log file ${key} is not verified: it was delivered at ${when}, while no digests were written (logging stopped or log file validation disabled).`);
  return make(`Log file ${key} is not listed by any digest although digests cover its delivery at ${when}: CloudTrail did not deliver it for this trail (it was put there by someone, or another trail writes to the same folder).`);
}

function scopeOf(run: Run, startedAt: number): ValidationScope {
  const { o, ctx } = run;
  const publicKeys: ValidationScope['publicKeys'] = [];
  for (const [region, keys] of ctx.keys.seen) {
    for (const k of keys.values()) {
      publicKeys.push({ region, source: o.publicKeys?.describe(region) ?? '', fingerprint: k.fingerprint, validityStart: isoSeconds(k.validityStart.getTime()), validityEnd: isoSeconds(k.validityEnd.getTime()) });
    }
  }
  return {
    store: o.store.description,
    bucket: ctx.bucket,
    prefix: o.prefix || undefined,
    accountId: o.accountId,
    organizationId: o.organizationId,
    trailName: o.trailName,
    homeRegion: o.homeRegion,
    trailArn: o.trailArn,
    regions: [...o.regions],
    start: isoSeconds(o.start.getTime()),
    end: isoSeconds(o.end.getTime()),
    publicKeys,
    keysFromAws: o.publicKeys?.fromAws ?? false,
    trailStatusRegions: o.regions.filter((r) => run.statusRegions.has(r)),
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: new Date().toISOString(),
  };
}

function baseLimitations(run: Run): void {
  const { o, ctx } = run;
  if (!o.publicKeys) run.limitations.add('Digest signatures were not checked: no public keys were available (give a ListPublicKeys answer, e.g. public-keys.json).');
  else if (!o.publicKeys.fromAws) run.limitations.add(`Public keys came from ${o.publicKeys.describe(o.homeRegion)}, not from AWS: they are only as trustworthy as that file; compare their fingerprints with "aws cloudtrail list-public-keys".`);
  if (ctx.bucket === undefined) run.limitations.add("The digests' bucket names were not checked: the folder does not record which bucket it came from.");
  run.limitations.add('Insights, network activity and aggregated event folders were not searched for files no digest lists (log files that digests list are checked wherever they are).');
}

/**
 * Validates a trail. Resolves with every finding and the counts; rejects only when the signal aborts
 * (with its reason) or a listing fails (the message names the call and what to do).
 */
export async function validateTrail(options: ValidateTrailOptions): Promise<ValidationResult> {
  if (options.regions.length === 0) throw new Error('validateTrail: give at least one region');
  if (options.start.getTime() > options.end.getTime()) throw new Error('Invalid time range specified: start-time must occur before end-time');
  const startedAt = Date.now();
  // Every parallel request listens to the one signal: that is not a leak.
  if (options.signal) setMaxListeners(0, options.signal);
  const run = new Run(options);
  options.signal?.throwIfAborted();
  run.progress('listing', true);
  const regions: RegionRun[] = [...new Set(options.regions)].map((region) => ({ region, regular: [], backfill: [], fetched: [], listedLogs: new Set() }));
  try {
    await Promise.all(regions.map((r) => validateRegion(run, r)));
    run.totalKnown = true;
    run.progress('checking', true);
    await Promise.all(run.logJobs);
  } finally {
    await run.ctx.workers?.close();
  }
  options.signal?.throwIfAborted();
  baseLimitations(run);
  run.progress('done', true);
  return {
    findings: run.findings,
    summary: summarize(run.findings, options.start.getTime(), options.end.getTime()),
    scope: scopeOf(run, startedAt),
    limitations: [...run.limitations],
  };
}
