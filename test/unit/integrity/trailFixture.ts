// A simulated trail in a place the validator reads (a local folder or moto's S3), with the
// operations an attacker has there: change, delete, add objects and rewrite digest metadata. The
// digest helpers re-sign with the trail's own keys when a test needs a change only a chain or field
// check can catch.
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { deterministicRsaKey, signDigestBody, simulateTrail, writeTrailToFolder, writeTrailToS3, type SimulatedObject, type SimulatedTrail, type SimulatorOptions } from '../../fixtures/simulator';

export const START = '2026-11-01T00:00:00Z';
export const ACCOUNT = '111122223333';

export interface Place {
  readonly kind: 'folder' | 's3';
  put(key: string, body: Buffer, metadata?: Record<string, string>): Promise<void>;
  remove(key: string): Promise<void>;
  read(key: string): Promise<Buffer>;
  /** Replaces a digest's metadata (undefined: the digest has none). */
  setMetadata(key: string, metadata: Record<string, string> | undefined): Promise<void>;
}

export class FolderPlace implements Place {
  readonly kind = 'folder';
  constructor(readonly dir: string) {}
  private file(key: string): string {
    return path.join(this.dir, ...key.split('/'));
  }
  async put(key: string, body: Buffer, metadata?: Record<string, string>): Promise<void> {
    await fs.mkdir(path.dirname(this.file(key)), { recursive: true });
    await fs.writeFile(this.file(key), body);
    if (metadata) await this.setMetadata(key, metadata);
  }
  async remove(key: string): Promise<void> {
    await fs.rm(this.file(key));
  }
  read(key: string): Promise<Buffer> {
    return fs.readFile(this.file(key));
  }
  async setMetadata(key: string, metadata: Record<string, string> | undefined): Promise<void> {
    const file = path.join(this.dir, 'cloudtrail-lens-offline.json');
    const manifest = JSON.parse(await fs.readFile(file, 'utf8')) as { digestMetadata: Record<string, Record<string, string>> };
    if (metadata) manifest.digestMetadata[key] = metadata;
    else delete manifest.digestMetadata[key];
    await fs.writeFile(file, JSON.stringify(manifest));
  }
}

export class S3Place implements Place {
  readonly kind = 's3';
  constructor(
    readonly client: S3Client,
    readonly bucket: string,
  ) {}
  async put(key: string, body: Buffer, metadata?: Record<string, string>): Promise<void> {
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body, Metadata: metadata }));
  }
  async remove(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
  async read(key: string): Promise<Buffer> {
    const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return Buffer.from(await r.Body!.transformToByteArray());
  }
  async setMetadata(key: string, metadata: Record<string, string> | undefined): Promise<void> {
    await this.put(key, await this.read(key), metadata);
  }
}

/** A trail written somewhere, with its objects in generation order. */
export class TrailFixture {
  readonly objects: SimulatedObject[];
  constructor(
    readonly trail: SimulatedTrail,
    readonly place: Place,
  ) {
    this.objects = [...trail.objects()];
  }

  get bucket(): string {
    return this.trail.bucket;
  }

  digests(region = this.trail.homeRegion, backfill = false): SimulatedObject[] {
    return this.objects.filter((o) => o.kind === 'digest' && o.key.includes(`/CloudTrail-Digest/${region}/`) && o.key.endsWith('_backfill.json.gz') === backfill);
  }

  logs(region = this.trail.homeRegion): SimulatedObject[] {
    return this.objects.filter((o) => o.kind === 'log' && o.key.includes(`/CloudTrail/${region}/`));
  }

  /** The inflated JSON text of a digest as generated. */
  digestText(o: SimulatedObject): string {
    return zlib.gunzipSync(o.body).toString('utf8');
  }

  /**
   * Rewrites a digest's JSON text. `sign`: 'trail' re-signs with the trail's key of that time (only
   * chain and field checks can catch the change), 'keep' keeps the old signature, or a private key.
   */
  async rewriteDigest(o: SimulatedObject, edit: (text: string) => string, sign: 'trail' | 'keep' | 'stranger' = 'keep'): Promise<Buffer> {
    const inflated = Buffer.from(edit(this.digestText(o)), 'utf8');
    const metadata = { ...o.metadata! };
    if (sign === 'trail') {
      const fingerprint = (JSON.parse(inflated.toString('utf8')) as { digestPublicKeyFingerprint: string }).digestPublicKeyFingerprint;
      const key = this.trail.keys.find((k) => k.fingerprint === fingerprint) ?? this.trail.keys[0];
      metadata.signature = signDigestBody(inflated, key.privateKey);
    } else if (sign === 'stranger') {
      metadata.signature = signDigestBody(inflated, deterministicRsaKey('stranger', 0).privateKey);
    }
    await this.place.put(o.key, zlib.gzipSync(inflated), metadata);
    return inflated;
  }

  /** Replaces a log file's records (content changed, still valid gzip). */
  async changeLog(o: SimulatedObject): Promise<void> {
    const json = JSON.parse(zlib.gunzipSync(o.body).toString('utf8')) as { Records: { sourceIPAddress?: string }[] };
    json.Records[0].sourceIPAddress = '192.0.2.1';
    await this.place.put(o.key, zlib.gzipSync(JSON.stringify(json)));
  }
}

/** Writes a trail to a new temporary folder. */
export async function folderTrail(options: SimulatorOptions): Promise<TrailFixture & { dir: string }> {
  const trail = simulateTrail(options);
  const dir = mkdtempSync(path.join(tmpdir(), 'ctl-integrity-'));
  await writeTrailToFolder(trail, dir);
  const f = new TrailFixture(trail, new FolderPlace(dir));
  return Object.assign(f, { dir });
}

/** Writes a trail into its own bucket on moto. */
export async function s3Trail(client: S3Client, options: SimulatorOptions): Promise<TrailFixture> {
  const trail = simulateTrail(options);
  await writeTrailToS3(trail, client, { concurrency: 8 });
  return new TrailFixture(trail, new S3Place(client, trail.bucket));
}

/** Finds a finding about an object key (or key pattern) in a result. */
export function verdictOf(findings: readonly { object?: { key: string }; verdict: string }[], key: string): string[] {
  return findings.filter((f) => f.object?.key === key).map((f) => f.verdict);
}
