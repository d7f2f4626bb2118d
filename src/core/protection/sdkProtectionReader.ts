// ProtectionReader on the AWS SDK. One reader serves one check run: it caches each answer (the
// promise), so ten trails sharing a bucket read its policy once and the account's IAM details are
// read once. Create a new reader to see changes.
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { GetEventSelectorsCommand, GetInsightSelectorsCommand } from '@aws-sdk/client-cloudtrail';
import { DescribeKeyCommand, GetKeyPolicyCommand, GetKeyRotationStatusCommand, type KMSClient } from '@aws-sdk/client-kms';
import { ListDelegatedAdministratorsCommand, type OrganizationsClient } from '@aws-sdk/client-organizations';
import { GetAccountAuthorizationDetailsCommand, type IAMClient } from '@aws-sdk/client-iam';
import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyStatusCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  ListBucketsCommand,
  type LifecycleRule as SdkLifecycleRule,
  type PublicAccessBlockConfiguration,
  type S3Client,
} from '@aws-sdk/client-s3';
import { GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand, type S3ControlClient } from '@aws-sdk/client-s3-control';
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts';
import { createCloudTrailClient, createS3Client, type AwsContext } from '../aws/clients';
import { bucketRegion } from '../aws/s3ObjectStore';
import { SdkTrailApi, type TrailStatusInfo, type TrailSummary } from '../aws/trailApi';
import type { ProtectionCall } from './catalogue';
import { createIamClient, createKmsClient, createOrganizationsClient, createS3ControlClient, createStsClient } from './clients';
import {
  ProtectionCallError,
  type AccountPublicAccessBlock,
  type AclGrant,
  type AuthorizationDetails,
  type BucketLogging,
  type BucketVersioning,
  type EncryptionRule,
  type EventSelectors,
  type IamEntity,
  type KmsKeyInfo,
  type LifecycleRule,
  type ManagedPolicy,
  type ObjectLockInfo,
  type ProtectionReader,
  type PublicAccessBlockFlags,
} from './protectionReader';

/** Where the reader gets its clients; tests replace one (an S3 Control endpoint) and keep the rest. */
export interface ProtectionClients {
  s3(region: string): S3Client;
  cloudTrail(region: string): CloudTrailClient;
  s3Control(region: string): S3ControlClient;
  sts(region: string): STSClient;
  iam(): IAMClient;
  kms(region: string): KMSClient;
  organizations(): OrganizationsClient;
}

/** Errors meaning "this bucket has no such configuration", which is an answer, not a failure. */
const NOT_CONFIGURED = new Set([
  'NoSuchPublicAccessBlockConfiguration',
  'NoSuchBucketPolicy',
  'NoSuchLifecycleConfiguration',
  'ServerSideEncryptionConfigurationNotFoundError',
  'ObjectLockConfigurationNotFoundError',
  'OwnershipControlsNotFoundError',
  'InsightNotEnabledException',
]);

function notConfigured(error: unknown): boolean {
  return NOT_CONFIGURED.has((error as { name?: string })?.name ?? '');
}

function flags(c: PublicAccessBlockConfiguration | undefined): PublicAccessBlockFlags {
  return { blockPublicAcls: c?.BlockPublicAcls === true, ignorePublicAcls: c?.IgnorePublicAcls === true, blockPublicPolicy: c?.BlockPublicPolicy === true, restrictPublicBuckets: c?.RestrictPublicBuckets === true };
}

function positive(n: number | undefined): number | undefined {
  return n !== undefined && n > 0 ? n : undefined;
}

function lifecycleRule(r: SdkLifecycleRule): LifecycleRule {
  const and = r.Filter?.And;
  const tags = [...(and?.Tags ?? []), ...(r.Filter?.Tag ? [r.Filter.Tag] : [])].map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' }));
  return {
    id: r.ID,
    status: r.Status ?? 'Disabled',
    prefix: and?.Prefix ?? r.Filter?.Prefix ?? r.Prefix ?? '',
    tags,
    objectSizeGreaterThan: and?.ObjectSizeGreaterThan ?? r.Filter?.ObjectSizeGreaterThan,
    objectSizeLessThan: and?.ObjectSizeLessThan ?? r.Filter?.ObjectSizeLessThan,
    expirationDays: positive(r.Expiration?.Days),
    expirationDate: r.Expiration?.Date,
    noncurrentDays: positive(r.NoncurrentVersionExpiration?.NoncurrentDays),
    transitions: (r.Transitions ?? []).map((t) => ({ days: t.Days, date: t.Date, storageClass: t.StorageClass })),
  };
}

function accountOf(arn: string | undefined): string | undefined {
  return arn ? /^arn:[^:]+:iam::(\d{12}):/.exec(arn)?.[1] : undefined;
}

export class SdkProtectionReader implements ProtectionReader {
  readonly profile?: string;
  private readonly cache = new Map<string, Promise<unknown>>();
  private readonly made = new Map<string, { destroy(): void }>();
  private readonly clients: ProtectionClients;

  constructor(context: AwsContext, clients: Partial<ProtectionClients> = {}) {
    this.profile = context.profile;
    const defaults: ProtectionClients = {
      s3: (region) => createS3Client(context, region, { maxSockets: 8 }),
      cloudTrail: (region) => createCloudTrailClient(context, region),
      s3Control: (region) => createS3ControlClient(context, region),
      sts: (region) => createStsClient(context, region),
      iam: () => createIamClient(context),
      kms: (region) => createKmsClient(context, region),
      organizations: () => createOrganizationsClient(context),
    };
    // Each client is made once per region and destroyed with the reader.
    const once = <T extends { destroy(): void }>(kind: string, make: (region: string) => T) => (region: string): T => {
      const key = `${kind}@${region}`;
      let client = this.made.get(key) as T | undefined;
      if (!client) {
        client = make(region);
        this.made.set(key, client);
      }
      return client;
    };
    this.clients = {
      s3: once('s3', clients.s3 ?? defaults.s3),
      cloudTrail: once('cloudtrail', clients.cloudTrail ?? defaults.cloudTrail),
      s3Control: once('s3control', clients.s3Control ?? defaults.s3Control),
      sts: once('sts', clients.sts ?? defaults.sts),
      iam: () => once('iam', () => (clients.iam ?? defaults.iam)())('global'),
      kms: once('kms', clients.kms ?? defaults.kms),
      organizations: () => once('organizations', () => (clients.organizations ?? defaults.organizations)())('global'),
    };
  }

  /** Closes every client the reader made (their keep-alive sockets). */
  destroy(): void {
    for (const client of this.made.values()) client.destroy();
    this.made.clear();
  }

  /** The answer of one call, cached; failures become ProtectionCallErrors naming the call. */
  private call<T>(call: ProtectionCall, target: string, run: () => Promise<T>, notConfiguredValue?: () => T): Promise<T> {
    const key = `${call} ${target}`;
    let promise = this.cache.get(key) as Promise<T> | undefined;
    if (!promise) {
      promise = run().catch((error: unknown) => {
        if (notConfiguredValue && notConfigured(error)) return notConfiguredValue();
        // Cancelling is not a failure, and a later run may ask again; an inner call's error already names its call.
        if ((error as { name?: string })?.name === 'AbortError') {
          this.cache.delete(key);
          throw error;
        }
        if (error instanceof ProtectionCallError) throw error;
        throw new ProtectionCallError(call, target, error);
      });
      this.cache.set(key, promise);
    }
    return promise;
  }

  getTrailStatus(trail: TrailSummary, signal?: AbortSignal): Promise<TrailStatusInfo> {
    const api = new SdkTrailApi(this.clients.cloudTrail(trail.homeRegion), trail.homeRegion);
    return this.call('GetTrailStatus', trail.arn, () => api.getTrailStatus(trail.arn, signal));
  }

  getEventSelectors(trail: TrailSummary, signal?: AbortSignal): Promise<EventSelectors> {
    return this.call('GetEventSelectors', trail.arn, async () => {
      const r = await this.clients.cloudTrail(trail.homeRegion).send(new GetEventSelectorsCommand({ TrailName: trail.arn }), { abortSignal: signal });
      return {
        basic: (r.EventSelectors ?? []).map((s) => ({
          readWriteType: s.ReadWriteType,
          includeManagementEvents: s.IncludeManagementEvents,
          excludeManagementEventSources: s.ExcludeManagementEventSources,
          dataResources: (s.DataResources ?? []).map((d) => ({ type: d.Type, values: d.Values })),
        })),
        advanced: (r.AdvancedEventSelectors ?? []).map((s) => ({
          name: s.Name,
          fieldSelectors: (s.FieldSelectors ?? []).map((f) => ({ field: f.Field ?? '', equals: f.Equals, notEquals: f.NotEquals, startsWith: f.StartsWith, notStartsWith: f.NotStartsWith, endsWith: f.EndsWith, notEndsWith: f.NotEndsWith })),
        })),
      };
    });
  }

  bucketRegion(bucket: string, nearRegion: string, signal?: AbortSignal): Promise<string> {
    return this.call('GetBucketLocation', `s3://${bucket}`, () => bucketRegion(this.clients.s3(nearRegion), bucket, signal));
  }

  getPublicAccessBlock(bucket: string, region: string, signal?: AbortSignal): Promise<PublicAccessBlockFlags | undefined> {
    return this.call<PublicAccessBlockFlags | undefined>(
      'GetPublicAccessBlock',
      `s3://${bucket}`,
      async () => flags((await this.clients.s3(region).send(new GetPublicAccessBlockCommand({ Bucket: bucket }), { abortSignal: signal })).PublicAccessBlockConfiguration),
      () => undefined,
    );
  }

  getAccountPublicAccessBlock(bucket: string, region: string, signal?: AbortSignal): Promise<AccountPublicAccessBlock> {
    return this.call('GetAccountPublicAccessBlock', `s3://${bucket}`, async () => {
      const account = await this.callerAccount(region, signal);
      // ListBuckets lists only the caller's own buckets: the account's flags apply only to those.
      const owned = await this.call('ListBuckets', `s3://${bucket}`, async () => {
        const r = await this.clients.s3(region).send(new ListBucketsCommand({ Prefix: bucket, MaxBuckets: 1000 }), { abortSignal: signal });
        return (r.Buckets ?? []).some((b) => b.Name === bucket);
      });
      if (!owned) return { account, bucketInAccount: false };
      const accountFlags = await this.call<PublicAccessBlockFlags | undefined>(
        'GetAccountPublicAccessBlock',
        `account ${account}`,
        async () => flags((await this.clients.s3Control(region).send(new GetAccountPublicAccessBlockCommand({ AccountId: account }), { abortSignal: signal })).PublicAccessBlockConfiguration),
        () => undefined,
      );
      return { account, bucketInAccount: true, flags: accountFlags };
    });
  }

  getBucketPolicy(bucket: string, region: string, signal?: AbortSignal): Promise<string | undefined> {
    return this.call<string | undefined>('GetBucketPolicy', `s3://${bucket}`, async () => (await this.clients.s3(region).send(new GetBucketPolicyCommand({ Bucket: bucket }), { abortSignal: signal })).Policy, () => undefined);
  }

  getBucketAcl(bucket: string, region: string, signal?: AbortSignal): Promise<AclGrant[]> {
    return this.call('GetBucketAcl', `s3://${bucket}`, async () => {
      const r = await this.clients.s3(region).send(new GetBucketAclCommand({ Bucket: bucket }), { abortSignal: signal });
      return (r.Grants ?? []).map((g) => ({ granteeType: g.Grantee?.Type, granteeUri: g.Grantee?.URI, granteeId: g.Grantee?.ID, permission: g.Permission }));
    });
  }

  getBucketVersioning(bucket: string, region: string, signal?: AbortSignal): Promise<BucketVersioning> {
    return this.call('GetBucketVersioning', `s3://${bucket}`, async () => {
      const r = await this.clients.s3(region).send(new GetBucketVersioningCommand({ Bucket: bucket }), { abortSignal: signal });
      return { status: r.Status, mfaDelete: r.MFADelete };
    });
  }

  getObjectLock(bucket: string, region: string, signal?: AbortSignal): Promise<ObjectLockInfo | undefined> {
    return this.call<ObjectLockInfo | undefined>(
      'GetObjectLockConfiguration',
      `s3://${bucket}`,
      async () => {
        const c = (await this.clients.s3(region).send(new GetObjectLockConfigurationCommand({ Bucket: bucket }), { abortSignal: signal })).ObjectLockConfiguration;
        if (!c) return undefined;
        const retention = c.Rule?.DefaultRetention;
        return { enabled: c.ObjectLockEnabled === 'Enabled', mode: retention?.Mode, days: positive(retention?.Days), years: positive(retention?.Years) };
      },
      () => undefined,
    );
  }

  getLifecycleRules(bucket: string, region: string, signal?: AbortSignal): Promise<LifecycleRule[] | undefined> {
    return this.call<LifecycleRule[] | undefined>(
      'GetBucketLifecycleConfiguration',
      `s3://${bucket}`,
      async () => ((await this.clients.s3(region).send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }), { abortSignal: signal })).Rules ?? []).map(lifecycleRule),
      () => undefined,
    );
  }

  getBucketLogging(bucket: string, region: string, signal?: AbortSignal): Promise<BucketLogging | undefined> {
    return this.call<BucketLogging | undefined>('GetBucketLogging', `s3://${bucket}`, async () => {
      const r = await this.clients.s3(region).send(new GetBucketLoggingCommand({ Bucket: bucket }), { abortSignal: signal });
      return r.LoggingEnabled?.TargetBucket ? { targetBucket: r.LoggingEnabled.TargetBucket, targetPrefix: r.LoggingEnabled.TargetPrefix } : undefined;
    });
  }

  getDefaultEncryption(bucket: string, region: string, signal?: AbortSignal): Promise<EncryptionRule[] | undefined> {
    return this.call<EncryptionRule[] | undefined>(
      'GetBucketEncryption',
      `s3://${bucket}`,
      async () => {
        const r = await this.clients.s3(region).send(new GetBucketEncryptionCommand({ Bucket: bucket }), { abortSignal: signal });
        return (r.ServerSideEncryptionConfiguration?.Rules ?? []).map((rule) => ({
          algorithm: rule.ApplyServerSideEncryptionByDefault?.SSEAlgorithm,
          kmsKeyId: rule.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID,
          bucketKeyEnabled: rule.BucketKeyEnabled,
        }));
      },
      () => undefined,
    );
  }

  callerAccount(region: string, signal?: AbortSignal): Promise<string> {
    return this.call('GetCallerIdentity', 'the caller', async () => (await this.clients.sts(region).send(new GetCallerIdentityCommand({}), { abortSignal: signal })).Account ?? '');
  }

  getInsightSelectors(trail: TrailSummary, signal?: AbortSignal): Promise<string[]> {
    return this.call<string[]>(
      'GetInsightSelectors',
      trail.arn,
      async () => ((await this.clients.cloudTrail(trail.homeRegion).send(new GetInsightSelectorsCommand({ TrailName: trail.arn }), { abortSignal: signal })).InsightSelectors ?? []).map((i) => i.InsightType ?? '').filter(Boolean),
      // AWS answers InsightNotEnabledException for a trail without Insights.
      () => [],
    );
  }

  describeKey(keyId: string, region: string, signal?: AbortSignal): Promise<KmsKeyInfo> {
    return this.call('DescribeKey', keyId, async () => {
      const m = (await this.clients.kms(region).send(new DescribeKeyCommand({ KeyId: keyId }), { abortSignal: signal })).KeyMetadata;
      return { arn: m?.Arn ?? keyId, keyState: m?.KeyState, deletionDate: m?.DeletionDate, keyManager: m?.KeyManager, keySpec: m?.KeySpec, origin: m?.Origin };
    });
  }

  getKeyRotation(keyId: string, region: string, signal?: AbortSignal): Promise<boolean> {
    return this.call('GetKeyRotationStatus', keyId, async () => (await this.clients.kms(region).send(new GetKeyRotationStatusCommand({ KeyId: keyId }), { abortSignal: signal })).KeyRotationEnabled === true);
  }

  getKeyPolicy(keyId: string, region: string, signal?: AbortSignal): Promise<string> {
    return this.call('GetKeyPolicy', keyId, async () => (await this.clients.kms(region).send(new GetKeyPolicyCommand({ KeyId: keyId, PolicyName: 'default' }), { abortSignal: signal })).Policy ?? '');
  }

  getOwnershipControls(bucket: string, region: string, signal?: AbortSignal): Promise<string | undefined> {
    return this.call<string | undefined>(
      'GetBucketOwnershipControls',
      `s3://${bucket}`,
      async () => (await this.clients.s3(region).send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }), { abortSignal: signal })).OwnershipControls?.Rules?.[0]?.ObjectOwnership,
      () => undefined,
    );
  }

  getBucketPolicyStatus(bucket: string, region: string, signal?: AbortSignal): Promise<boolean | undefined> {
    return this.call<boolean | undefined>(
      'GetBucketPolicyStatus',
      `s3://${bucket}`,
      async () => (await this.clients.s3(region).send(new GetBucketPolicyStatusCommand({ Bucket: bucket }), { abortSignal: signal })).PolicyStatus?.IsPublic === true,
      () => undefined,
    );
  }

  getDelegatedAdministrators(signal?: AbortSignal): Promise<string[]> {
    return this.call('ListDelegatedAdministrators', 'the organization', async () => {
      const accounts: string[] = [];
      let token: string | undefined;
      do {
        const page = await this.clients.organizations().send(new ListDelegatedAdministratorsCommand({ ServicePrincipal: 'cloudtrail.amazonaws.com', NextToken: token }), { abortSignal: signal });
        accounts.push(...(page.DelegatedAdministrators ?? []).map((a) => a.Id ?? '').filter(Boolean));
        token = page.NextToken;
      } while (token);
      return accounts;
    });
  }

  getAuthorizationDetails(signal?: AbortSignal): Promise<AuthorizationDetails> {
    return this.call('GetAccountAuthorizationDetails', 'the account', async () => {
      const entities: IamEntity[] = [];
      const policies: ManagedPolicy[] = [];
      let marker: string | undefined;
      do {
        const page = await this.clients.iam().send(
          new GetAccountAuthorizationDetailsCommand({ Filter: ['User', 'Group', 'Role', 'LocalManagedPolicy', 'AWSManagedPolicy'], MaxItems: 1000, Marker: marker }),
          { abortSignal: signal },
        );
        for (const u of page.UserDetailList ?? []) {
          entities.push({
            kind: 'user',
            name: u.UserName ?? '',
            arn: u.Arn ?? '',
            inlinePolicies: (u.UserPolicyList ?? []).map((p) => ({ name: p.PolicyName ?? '', document: p.PolicyDocument ?? '' })),
            attachedPolicyArns: (u.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn ?? ''),
            groups: u.GroupList ?? [],
            permissionsBoundaryArn: u.PermissionsBoundary?.PermissionsBoundaryArn,
          });
        }
        for (const g of page.GroupDetailList ?? []) {
          entities.push({
            kind: 'group',
            name: g.GroupName ?? '',
            arn: g.Arn ?? '',
            inlinePolicies: (g.GroupPolicyList ?? []).map((p) => ({ name: p.PolicyName ?? '', document: p.PolicyDocument ?? '' })),
            attachedPolicyArns: (g.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn ?? ''),
            groups: [],
          });
        }
        for (const r of page.RoleDetailList ?? []) {
          entities.push({
            kind: 'role',
            name: r.RoleName ?? '',
            arn: r.Arn ?? '',
            inlinePolicies: (r.RolePolicyList ?? []).map((p) => ({ name: p.PolicyName ?? '', document: p.PolicyDocument ?? '' })),
            attachedPolicyArns: (r.AttachedManagedPolicies ?? []).map((p) => p.PolicyArn ?? ''),
            groups: [],
            permissionsBoundaryArn: r.PermissionsBoundary?.PermissionsBoundaryArn,
          });
        }
        for (const p of page.Policies ?? []) {
          const version = (p.PolicyVersionList ?? []).find((v) => v.IsDefaultVersion) ?? (p.PolicyVersionList ?? []).find((v) => v.VersionId === p.DefaultVersionId);
          policies.push({ arn: p.Arn ?? '', name: p.PolicyName ?? (p.Arn ?? '').slice((p.Arn ?? '').lastIndexOf('/') + 1), document: version?.Document });
        }
        marker = page.IsTruncated ? page.Marker : undefined;
      } while (marker);
      return { account: entities.map((e) => accountOf(e.arn)).find((a) => a !== undefined), entities, policies };
    });
  }
}
