// What every check of one validation run shares: the store, where the trail is, the keys, the
// signal, and the sinks for findings and progress.
import { describeAwsError } from '../aws/awsErrors';
import type { ContentWorkers } from './contentWorkers';
import type { ByteGate } from './pool';
import type { ObjectStore } from '../aws/objectStore';
import type { PublicKey } from '../aws/trailApi';
import { finding } from './findings';
import type { PublicKeySource } from './publicKeys';
import type { TrailLocation } from './trailLayout';
import { HOUR } from './time';

export interface RunContext {
  store: ObjectStore;
  /** The bucket digests must name; undefined when unknown (a local folder without a manifest). */
  bucket: string | undefined;
  location: TrailLocation;
  signal?: AbortSignal;
  profile?: string;
  maxDigestBytes: number;
  maxLogBytes: number;
  keys: RegionKeys;
  /** Worker threads for log bodies; undefined reads them in this thread, streaming. */
  workers?: ContentWorkers;
  /** Bounds the downloaded bodies that wait for `workers`. */
  hashQueue?: ByteGate;
  /** Counts stored bytes read, for progress. */
  onBytes(n: number): void;
  /** The local file of a key, when the store is a folder. */
  pathOf(key: string): string | undefined;
}

/** One sentence about a failed store call, without credentials or URLs. */
export function describeFailure(ctx: Pick<RunContext, 'store' | 'profile'>, error: unknown, call: string, key: string): string {
  return describeAwsError(error, call, `${ctx.store.description}/${key}`, ctx.profile).message;
}

/** Keys per region, fetched once for the run's window and again for a backfill's signing window. */
export class RegionKeys {
  private readonly cache = new Map<string, Promise<PublicKey[]>>();
  private readonly extra = new Map<string, Promise<PublicKey[]>>();
  /** Every key fetched, per region (for the report). */
  readonly seen = new Map<string, Map<string, PublicKey>>();

  constructor(
    readonly source: PublicKeySource | undefined,
    private readonly start: number,
    private readonly end: number,
    private readonly signal?: AbortSignal,
  ) {}

  private remember(region: string, keys: PublicKey[]): PublicKey[] {
    let m = this.seen.get(region);
    if (!m) this.seen.set(region, (m = new Map()));
    for (const k of keys) m.set(k.fingerprint, k);
    return keys;
  }

  /** The keys of the run's window (like aws-cli: start to end + 2 h, here with an hour more on each side). */
  forRun(region: string): Promise<PublicKey[]> {
    if (!this.source) return Promise.reject(new Error('no public keys were given'));
    let p = this.cache.get(region);
    if (!p) {
      p = this.source.listPublicKeys(region, new Date(this.start - 3 * HOUR), new Date(this.end + 5 * HOUR), this.signal).then((k) => this.remember(region, k));
      this.cache.set(region, p);
    }
    return p;
  }

  /** Keys valid around another time (a backfill digest is signed when it is generated). */
  around(region: string, from: number, to: number): Promise<PublicKey[]> {
    if (!this.source) return Promise.reject(new Error('no public keys were given'));
    const id = `${region}|${from}|${to}`;
    let p = this.extra.get(id);
    if (!p) {
      p = this.source.listPublicKeys(region, new Date(from), new Date(to), this.signal).then((k) => this.remember(region, k));
      this.extra.set(id, p);
    }
    return p;
  }
}


export { finding };
