import type { ConfigServiceClient } from '@aws-sdk/client-config-service';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import * as vscode from 'vscode';
import { describeAwsError } from '../../core/aws/awsErrors';
import { createCloudTrailClient, createS3Client, credentialsFor, resetCredentials, type AwsContext } from '../../core/aws/clients';
import type { ObjectStore } from '../../core/aws/objectStore';
import { listProfiles, profileRegion } from '../../core/aws/profiles';
import { bucketRegion, S3ObjectStore } from '../../core/aws/s3ObjectStore';
import { SdkTrailApi, type TrailApi } from '../../core/aws/trailApi';
import { createConfigClient } from '../../core/protection/clients';
import type { Config } from '../config';
import { log } from '../log';

const PROFILE_KEY = 'cloudtrailLens.profile';
const REGIONS_KEY = 'cloudtrailLens.regions';

/**
 * The AWS connection of this window: the chosen profile and regions (remembered across sessions;
 * AWS_PROFILE and AWS_REGION are the defaults), and the SDK clients made from them. Endpoint
 * overrides come from machine-scoped settings only, so a workspace can never redirect them.
 */
export class AwsSession implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly trailApis = new Map<string, TrailApi>();
  private readonly stores = new Map<string, Promise<ObjectStore>>();
  private account: Promise<string | undefined> | undefined;
  private used = false;
  private readonly firstUse = new vscode.EventEmitter<void>();
  /** Fires once, the first time anything calls AWS; nothing calls AWS at activation. */
  readonly onDidFirstUse = this.firstUse.event;

  constructor(
    private readonly state: vscode.Memento,
    private config: Config,
  ) {}

  /** AWS is off in untrusted workspaces: a workspace must not make this window call AWS. */
  get enabled(): boolean {
    return vscode.workspace.isTrusted;
  }

  get profile(): string | undefined {
    return this.state.get<string>(PROFILE_KEY) ?? process.env.AWS_PROFILE ?? undefined;
  }

  /** The selected regions; at first AWS_REGION, the profile's region, or us-east-1. */
  async regions(): Promise<string[]> {
    const saved = this.state.get<string[]>(REGIONS_KEY);
    if (saved && saved.length > 0) return saved;
    const region = process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? (await profileRegion(this.profile).catch(() => undefined)) ?? 'us-east-1';
    return [region];
  }

  context(): AwsContext {
    return { profile: this.profile, endpoints: { s3: this.config.endpointS3 || undefined, cloudtrail: this.config.endpointCloudTrail || undefined } };
  }

  /** True when a profile is chosen, a profile exists in the shared files, or credentials are in the environment. */
  async hasCredentialsSource(): Promise<boolean> {
    if (this.profile || process.env.AWS_ACCESS_KEY_ID || process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI || process.env.AWS_WEB_IDENTITY_TOKEN_FILE) return true;
    const profiles = await listProfiles().catch(() => []);
    return profiles.length > 0;
  }

  async setProfile(profile: string | undefined): Promise<void> {
    await this.state.update(PROFILE_KEY, profile);
    this.reset();
  }

  async setRegions(regions: string[]): Promise<void> {
    await this.state.update(REGIONS_KEY, regions);
    this.changed.fire();
  }

  updateConfig(config: Config): void {
    const endpointsChanged = config.endpointS3 !== this.config.endpointS3 || config.endpointCloudTrail !== this.config.endpointCloudTrail;
    this.config = config;
    if (endpointsChanged) this.reset();
  }

  /** Forgets clients and cached credentials (after a profile change, or an `aws sso login`). */
  reset(): void {
    resetCredentials();
    this.trailApis.clear();
    this.stores.clear();
    this.account = undefined;
    this.changed.fire();
  }

  get isUsed(): boolean {
    return this.used;
  }

  private use(): void {
    if (!this.used) {
      this.used = true;
      this.firstUse.fire();
    }
  }

  /** An AWS Config client of the region (read-only calls: configuration history). */
  configService(region: string): ConfigServiceClient {
    this.use();
    return createConfigClient(this.context(), region);
  }

  trailApi(region: string): TrailApi {
    this.use();
    let api = this.trailApis.get(region);
    if (!api) {
      api = new SdkTrailApi(createCloudTrailClient(this.context(), region), region);
      this.trailApis.set(region, api);
    }
    return api;
  }

  /** The bucket as an object store in its own region (detected once per bucket). */
  s3Store(bucket: string, knownRegion?: string): Promise<ObjectStore> {
    if (!this.enabled) {
      return Promise.reject(new Error('CloudTrail Lens does not call AWS in an untrusted workspace; trust the workspace first'));
    }
    this.use();
    let store = this.stores.get(bucket);
    if (!store) {
      store = (async () => {
        const probe = createS3Client(this.context(), knownRegion ?? (await this.regions())[0]);
        const region = knownRegion ?? (await bucketRegion(probe, bucket));
        const client = region === (await probe.config.region()) ? probe : createS3Client(this.context(), region, { maxSockets: this.config.validationConcurrency });
        return new S3ObjectStore(client, bucket);
      })();
      store.catch(() => this.stores.delete(bucket));
      this.stores.set(bucket, store);
    }
    return store;
  }

  /** The account of the credentials (STS GetCallerIdentity), for the status bar; undefined on failure. */
  accountId(): Promise<string | undefined> {
    this.account ??= (async () => {
      const region = (await this.regions())[0];
      const sts = new STSClient({ region, credentials: credentialsFor(this.context()), maxAttempts: 2 });
      try {
        return (await sts.send(new GetCallerIdentityCommand({}))).Account;
      } catch (error) {
        log.warn(describeAwsError(error, 'GetCallerIdentity', `profile ${this.profile ?? 'default'}`, this.profile).message);
        return undefined;
      } finally {
        sts.destroy();
      }
    })();
    return this.account;
  }

  dispose(): void {
    this.changed.dispose();
    this.firstUse.dispose();
  }
}
