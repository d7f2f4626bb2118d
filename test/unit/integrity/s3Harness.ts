// moto_server's S3 holding scenario trails, the simulator's ListPublicKeys stand-in, and a
// GetTrailStatus stand-in in front of it; plus runners for our validator (through the real SDK
// clients), our CLI and aws-cli against them.
import { S3Client } from '@aws-sdk/client-s3';
import * as assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { createCloudTrailClient, createS3Client, type AwsContext } from '../../../src/core/aws/clients';
import { S3ObjectStore } from '../../../src/core/aws/s3ObjectStore';
import { SdkTrailApi } from '../../../src/core/aws/trailApi';
import { trailApiKeySource, validateTrail, type ValidationResult } from '../../../src/core/integrity';
import { startMoto, type MotoServer } from '../../fixtures/moto';
import { repoRoot } from '../../fixtures/paths';
import { startCloudTrailStandIn, type CloudTrailStandIn, type SimulatedTrail } from '../../fixtures/simulator';
import { startTrailStatusStandIn, type TrailStatusStandIn } from './trailStatusStandIn';
import { isolatedAwsEnv } from '../../fixtures/env';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export class S3Harness {
  moto!: MotoServer;
  s3!: S3Client;
  private readonly closers: (() => Promise<void>)[] = [];

  async start(): Promise<void> {
    assert.ok(['aws', 'moto_server'].every((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status === 0), 'aws-cli and moto_server must be on PATH (scripts/setup.sh installs them)');
    this.moto = await startMoto({ accountId: '111122223333' });
    this.s3 = new S3Client({ endpoint: this.moto.endpoint, forcePathStyle: true, region: 'us-east-1', credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  }

  async stop(): Promise<void> {
    for (const c of this.closers.splice(0)) await c();
    this.s3?.destroy();
    await this.moto?.stop();
  }

  /** A CloudTrail endpoint for a trail's keys: ListPublicKeys and GetTrailStatus answered, the rest to moto. */
  async cloudTrailFor(trail: SimulatedTrail): Promise<{ keys: CloudTrailStandIn; status: TrailStatusStandIn }> {
    const keys = await startCloudTrailStandIn({ upstream: this.moto.endpoint, keys: trail.keys });
    const status = await startTrailStatusStandIn(keys.url);
    this.closers.push(() => status.close(), () => keys.close());
    return { keys, status };
  }

  context(cloudtrail: string): AwsContext {
    return { endpoints: { s3: this.moto.endpoint, cloudtrail }, credentials: async () => ({ accessKeyId: 'testing', secretAccessKey: 'testing' }) };
  }

  /** Our validator through the SDK, as the CLI and the editor call it. */
  async validate(trail: SimulatedTrail, cloudtrail: string, o: { bucket?: string; regions?: string[]; start: Date; end: Date; latest?: Record<string, string> }): Promise<ValidationResult> {
    const context = this.context(cloudtrail);
    const client = createS3Client(context, 'us-east-1', { maxSockets: 8 });
    try {
      return await validateTrail({
        store: new S3ObjectStore(client, o.bucket ?? trail.bucket),
        prefix: trail.options.keyPrefix,
        accountId: trail.options.accountId,
        organizationId: trail.options.organizationId,
        trailName: trail.options.trailName,
        homeRegion: trail.homeRegion,
        trailArn: trail.trailArn,
        regions: o.regions ?? trail.options.regions,
        start: o.start,
        end: o.end,
        publicKeys: trailApiKeySource((region) => new SdkTrailApi(createCloudTrailClient(context, region), region)),
        trailStatus: Object.fromEntries(Object.entries(o.latest ?? {}).map(([r, t]) => [r, { latestDigestDeliveryTime: new Date(t) }])),
        concurrency: 8,
      });
    } finally {
      client.destroy();
    }
  }

  private env(): NodeJS.ProcessEnv {
    return isolatedAwsEnv({ AWS_ENDPOINT_URL_S3: this.moto.endpoint });
  }

  /** Runs a command asynchronously (the stand-ins live in this process's event loop). */
  private exec(file: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
    return new Promise((resolve) => {
      execFile(file, args, { env, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
        resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });
  }

  /** The real `aws cloudtrail validate-logs` for one region. */
  awsCli(trail: SimulatedTrail, cloudtrail: string, region: string, start: string, end: string): Promise<Run> {
    const prefix = trail.options.keyPrefix ? ['--s3-prefix', trail.options.keyPrefix] : [];
    return this.exec(
      'aws',
      ['cloudtrail', 'validate-logs', '--trail-arn', trail.trailArn, '--start-time', start, '--end-time', end, '--s3-bucket', trail.bucket, ...prefix, '--region', region, '--verbose', '--endpoint-url', cloudtrail],
      this.env(),
    );
  }

  /** Our CLI (the compiled entry point), with the CloudTrail endpoint from AWS_ENDPOINT_URL_CLOUDTRAIL. */
  ourCli(args: string[], cloudtrail: string): Promise<Run> {
    return this.exec(process.execPath, [path.join(repoRoot, 'out', 'src', 'core', 'cli', 'main.js'), 'validate', ...args], { ...this.env(), AWS_ENDPOINT_URL_CLOUDTRAIL: cloudtrail });
  }
}

/** aws-cli's verdict per object key: `Digest file|Log file \t s3://bucket/key \t valid|INVALID: ...`. */
export function parseAwsCli(run: Run, bucket: string): Map<string, 'valid' | 'invalid'> {
  const out = new Map<string, 'valid' | 'invalid'>();
  for (const line of (run.stdout + '\n' + run.stderr).split('\n')) {
    const m = /^(?:\(backfill\) )?(?:Digest|Log) file\ts3:\/\/([^/]+)\/(\S+)\t(valid|INVALID: .*)$/.exec(line);
    if (m && m[1] === bucket) out.set(m[2], m[3] === 'valid' ? 'valid' : 'invalid');
  }
  return out;
}
