// The read-only calls the protection checks make, as plain data. `SdkProtectionReader` makes them
// with the AWS SDK; tests and the editor may pass any other implementation.
//
// Contract: "not configured" answers (no bucket policy, no lifecycle configuration…) resolve to
// `undefined`; every other failure rejects, preferably with a `ProtectionCallError` naming the call,
// so the check can say which permission it needed.
import type { TrailStatusInfo, TrailSummary } from '../aws/trailApi';
import type { ProtectionCall } from './catalogue';

export class ProtectionCallError extends Error {
  constructor(
    readonly call: ProtectionCall,
    readonly target: string,
    override readonly cause: unknown,
  ) {
    super(`${call} on ${target} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'ProtectionCallError';
  }
}

export interface BasicEventSelector {
  /** `All` (the default), `ReadOnly` or `WriteOnly`. */
  readWriteType?: string;
  /** Defaults to true when absent, as in the CloudTrail API. */
  includeManagementEvents?: boolean;
  excludeManagementEventSources?: string[];
  /** Data events: resource type (`AWS::S3::Object`) and ARN prefixes (`arn:aws:s3` for all buckets). */
  dataResources?: { type?: string; values?: string[] }[];
}

export interface AdvancedFieldSelector {
  field: string;
  equals?: string[];
  notEquals?: string[];
  startsWith?: string[];
  notStartsWith?: string[];
  endsWith?: string[];
  notEndsWith?: string[];
}

export interface AdvancedEventSelector {
  name?: string;
  fieldSelectors: AdvancedFieldSelector[];
}

export interface EventSelectors {
  basic: BasicEventSelector[];
  advanced: AdvancedEventSelector[];
}

export interface PublicAccessBlockFlags {
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}

export interface AccountPublicAccessBlock {
  /** The caller's account. */
  account: string;
  /** Whether the bucket belongs to the caller's account (so the account's flags apply to it). */
  bucketInAccount: boolean;
  /** The account-level flags; undefined when the account has none. */
  flags?: PublicAccessBlockFlags;
}

export interface AclGrant {
  /** `CanonicalUser`, `Group` or `AmazonCustomerByEmail`. */
  granteeType?: string;
  /** For groups: `http://acs.amazonaws.com/groups/global/AllUsers` and the like. */
  granteeUri?: string;
  granteeId?: string;
  permission?: string;
}

export interface BucketVersioning {
  /** `Enabled`, `Suspended`, or undefined when versioning was never turned on. */
  status?: string;
  /** `Enabled` or `Disabled`; undefined when never configured. */
  mfaDelete?: string;
}

export interface ObjectLockInfo {
  enabled: boolean;
  /** `COMPLIANCE` or `GOVERNANCE`. */
  mode?: string;
  days?: number;
  years?: number;
}

export interface LifecycleRule {
  id?: string;
  /** `Enabled` or `Disabled`. */
  status: string;
  /** The rule's prefix (Filter.Prefix, Filter.And.Prefix or the legacy Prefix); `''` for the whole bucket. */
  prefix: string;
  /** Tags the rule requires (CloudTrail does not tag log objects, so such a rule skips them). */
  tags: { key: string; value: string }[];
  objectSizeGreaterThan?: number;
  objectSizeLessThan?: number;
  expirationDays?: number;
  expirationDate?: Date;
  noncurrentDays?: number;
  transitions: { days?: number; date?: Date; storageClass?: string }[];
}

export interface EncryptionRule {
  /** `AES256`, `aws:kms` or `aws:kms:dsse`. */
  algorithm?: string;
  kmsKeyId?: string;
  bucketKeyEnabled?: boolean;
}

export interface IamEntity {
  kind: 'user' | 'group' | 'role';
  name: string;
  arn: string;
  inlinePolicies: { name: string; document: string }[];
  /** ARNs of attached managed policies. */
  attachedPolicyArns: string[];
  /** For users: the names of their groups. */
  groups: string[];
  /** ARN of the permissions boundary (users and roles). */
  permissionsBoundaryArn?: string;
}

export interface ManagedPolicy {
  arn: string;
  name: string;
  /** The default version's document (URL-encoded or plain JSON). */
  document?: string;
}

export interface AuthorizationDetails {
  /** The account, from the first entity ARN (undefined when the account has none). */
  account?: string;
  entities: IamEntity[];
  policies: ManagedPolicy[];
}

export interface BucketLogging {
  targetBucket: string;
  targetPrefix?: string;
}

export interface KmsKeyInfo {
  arn: string;
  /** `Enabled`, `Disabled`, `PendingDeletion`, `PendingImport`, `Unavailable`… */
  keyState?: string;
  deletionDate?: Date;
  /** `CUSTOMER` or `AWS`. */
  keyManager?: string;
  /** `SYMMETRIC_DEFAULT`, `RSA_2048`… (only symmetric keys rotate automatically). */
  keySpec?: string;
  origin?: string;
}

export interface ProtectionReader {
  /** The profile, to name in messages ("aws sso login --profile …"). */
  readonly profile?: string;
  getTrailStatus(trail: TrailSummary, signal?: AbortSignal): Promise<TrailStatusInfo>;
  getEventSelectors(trail: TrailSummary, signal?: AbortSignal): Promise<EventSelectors>;
  /** The bucket's region; `nearRegion` is where to ask. */
  bucketRegion(bucket: string, nearRegion: string, signal?: AbortSignal): Promise<string>;
  getPublicAccessBlock(bucket: string, region: string, signal?: AbortSignal): Promise<PublicAccessBlockFlags | undefined>;
  getAccountPublicAccessBlock(bucket: string, region: string, signal?: AbortSignal): Promise<AccountPublicAccessBlock>;
  /** The bucket policy JSON text. */
  getBucketPolicy(bucket: string, region: string, signal?: AbortSignal): Promise<string | undefined>;
  getBucketAcl(bucket: string, region: string, signal?: AbortSignal): Promise<AclGrant[]>;
  getBucketVersioning(bucket: string, region: string, signal?: AbortSignal): Promise<BucketVersioning>;
  getObjectLock(bucket: string, region: string, signal?: AbortSignal): Promise<ObjectLockInfo | undefined>;
  getLifecycleRules(bucket: string, region: string, signal?: AbortSignal): Promise<LifecycleRule[] | undefined>;
  getDefaultEncryption(bucket: string, region: string, signal?: AbortSignal): Promise<EncryptionRule[] | undefined>;
  /** The bucket's server access logging target; undefined when logging is off. */
  getBucketLogging(bucket: string, region: string, signal?: AbortSignal): Promise<BucketLogging | undefined>;
  getAuthorizationDetails(signal?: AbortSignal): Promise<AuthorizationDetails>;
  /** The caller's account (GetCallerIdentity). */
  callerAccount(region: string, signal?: AbortSignal): Promise<string>;
  /** The trail's Insights types (GetInsightSelectors); empty when Insights is off. */
  getInsightSelectors(trail: TrailSummary, signal?: AbortSignal): Promise<string[]>;
  /** DescribeKey of the trail's key (an ARN, or an alias or id in the trail's account and region). */
  describeKey(keyId: string, region: string, signal?: AbortSignal): Promise<KmsKeyInfo>;
  getKeyRotation(keyId: string, region: string, signal?: AbortSignal): Promise<boolean>;
  /** The key's `default` policy JSON. */
  getKeyPolicy(keyId: string, region: string, signal?: AbortSignal): Promise<string>;
  /** The bucket's Object Ownership (`BucketOwnerEnforced`, `BucketOwnerPreferred`, `ObjectWriter`); undefined when none is set. */
  getOwnershipControls(bucket: string, region: string, signal?: AbortSignal): Promise<string | undefined>;
  /** S3's verdict on the bucket policy (GetBucketPolicyStatus IsPublic); undefined when the bucket has no policy. */
  getBucketPolicyStatus(bucket: string, region: string, signal?: AbortSignal): Promise<boolean | undefined>;
  /** The accounts registered as CloudTrail delegated administrators (callable from the management account or a delegated administrator). */
  getDelegatedAdministrators(signal?: AbortSignal): Promise<string[]>;
}
