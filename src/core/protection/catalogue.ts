// The catalogue of protection checks: what each one reads and why it matters. The README and the
// editor render it; the checks take their titles from it so the wording lives in one place.
import { permissionOf } from '../aws/awsErrors';
import type { CheckId, CheckScope } from './types';

/** The read-only AWS calls the checks make; their permissions come from the one table in awsErrors. */
const CALL_NAMES = [
  'DescribeTrails', 'GetTrailStatus', 'GetEventSelectors', 'GetBucketLocation', 'GetPublicAccessBlock',
  'GetBucketAcl', 'GetBucketPolicy', 'GetBucketVersioning', 'GetObjectLockConfiguration',
  'GetBucketLifecycleConfiguration', 'GetBucketEncryption', 'GetBucketLogging', 'GetCallerIdentity',
  'ListBuckets', 'GetAccountPublicAccessBlock', 'GetAccountAuthorizationDetails', 'GetInsightSelectors',
  'DescribeKey', 'GetKeyRotationStatus', 'GetKeyPolicy', 'GetBucketOwnershipControls',
  'GetBucketPolicyStatus', 'ListDelegatedAdministrators',
] as const;

/** Each call with the IAM permission it needs. */
export const PROTECTION_CALLS = Object.fromEntries(
  CALL_NAMES.map((call) => {
    const permission = permissionOf(call);
    if (!permission) throw new Error(`No IAM permission is recorded for ${call}.`);
    return [call, permission];
  }),
) as Record<(typeof CALL_NAMES)[number], string>;

export type ProtectionCall = keyof typeof PROTECTION_CALLS;

export interface CheckDefinition {
  id: CheckId;
  scope: CheckScope;
  title: string;
  /** The calls whose answers the check reads (see PROTECTION_CALLS for the permissions). */
  reads: readonly ProtectionCall[];
  /** What the check looks at, in words, for the README. */
  what: string;
  /** Why it matters for logs that can be trusted and kept. */
  why: string;
  /** The same control in the CIS AWS Foundations Benchmark (v3.0.0 numbers; `v1.4 3.3` where v3.0 dropped it), Security Hub CSPM and AWS Config managed rules. */
  equivalents: Equivalents;
}

export interface Equivalents {
  cis?: string[];
  securityHub?: string[];
  config?: string[];
}

export const CHECKS: readonly CheckDefinition[] = [
  {
    id: 'trail.logging',
    scope: 'trail',
    title: 'Logging on',
    reads: ['GetTrailStatus'],
    what: 'IsLogging, with StartLoggingTime and StopLoggingTime.',
    why: 'A stopped trail records nothing; StopLogging is a classic first move of an attacker.',
    equivalents: { cis: ['3.1'], securityHub: ['CloudTrail.3'], config: ['cloudtrail-enabled'] },
  },
  {
    id: 'trail.multiRegion',
    scope: 'trail',
    title: 'Multi-region',
    reads: ['DescribeTrails'],
    what: 'IsMultiRegionTrail (and IncludeGlobalServiceEvents for a single-region trail).',
    why: 'A single-region trail misses activity in every other region, including regions an attacker picks because nobody watches them. (Warn, not fail: another trail may cover those regions.)',
    equivalents: { cis: ['3.1'], securityHub: ['CloudTrail.1'], config: ['multi-region-cloudtrail-enabled'] },
  },
  {
    id: 'trail.logFileValidation',
    scope: 'trail',
    title: 'Log file validation on',
    reads: ['DescribeTrails'],
    what: 'LogFileValidationEnabled.',
    why: 'Without signed hourly digests nobody can prove that a log file was not changed or deleted after delivery.',
    equivalents: { cis: ['3.2'], securityHub: ['CloudTrail.4'], config: ['cloud-trail-log-file-validation-enabled'] },
  },
  {
    id: 'trail.digestDelivery',
    scope: 'trail',
    title: 'Digests arriving hourly',
    reads: ['GetTrailStatus'],
    what: 'LatestDigestDeliveryTime (within 2 hours) and LatestDigestDeliveryError.',
    why: 'CloudTrail writes a digest every hour even when nothing happened, so a late digest means validation or delivery is broken.',
    equivalents: {},
  },
  {
    id: 'trail.logDelivery',
    scope: 'trail',
    title: 'Logs arriving',
    reads: ['GetTrailStatus'],
    what: 'LatestDeliveryTime (within 1 hour) and LatestDeliveryError.',
    why: 'A delivery error (bucket deleted, policy changed, KMS key disabled) silently loses events. An old delivery time alone may just mean an idle account, so it warns rather than fails.',
    equivalents: {},
  },
  {
    id: 'trail.managementEvents',
    scope: 'trail',
    title: 'Management events, read and write',
    reads: ['GetEventSelectors'],
    what: 'Basic event selectors (IncludeManagementEvents, ReadWriteType, ExcludeManagementEventSources) and advanced selectors (eventCategory, readOnly, eventSource).',
    why: 'Write management events are the record of who changed what (StopLogging, DeleteTrail, policy edits); read events show reconnaissance.',
    equivalents: { cis: ['3.1'], securityHub: ['CloudTrail.1'], config: ['multi-region-cloudtrail-enabled', 'cloudtrail-security-trail-enabled'] },
  },
  {
    id: 'trail.s3DataEvents',
    scope: 'trail',
    title: 'S3 object-level data events, read and write',
    reads: ['GetEventSelectors'],
    what: 'Basic selectors with DataResources of type AWS::S3::Object for all buckets (arn:aws:s3 or arn:aws:s3:::), or advanced selectors with eventCategory Data and resources.type AWS::S3::Object, not narrowed to some buckets; read and write.',
    why: 'Management events do not record GetObject, PutObject or DeleteObject: without data events nobody can tell who read the data, or deleted the log files themselves. (Warn, not fail: data events cost extra, and another trail may record them.)',
    equivalents: { cis: ['3.8', '3.9'], securityHub: ['S3.22', 'S3.23'], config: ['cloudtrail-all-write-s3-data-event-check', 'cloudtrail-all-read-s3-data-event-check', 'cloudtrail-s3-dataevents-enabled'] },
  },
  {
    id: 'trail.kmsEncryption',
    scope: 'trail',
    title: 'Logs encrypted with KMS',
    reads: ['DescribeTrails'],
    what: 'KmsKeyId.',
    why: 'With SSE-KMS, reading a log also needs kms:Decrypt on the key, a second control besides S3 permissions, and every use of the key is itself logged.',
    equivalents: { cis: ['3.5'], securityHub: ['CloudTrail.2'], config: ['cloud-trail-encryption-enabled'] },
  },
  {
    id: 'trail.kmsKeyState',
    scope: 'trail',
    title: 'KMS key enabled and rotated',
    reads: ['DescribeKey', 'GetKeyRotationStatus'],
    what: "The trail's KMS key: KeyState (Enabled, Disabled, PendingDeletion with its DeletionDate), KeyManager, and automatic rotation. A key in another account that this account may not describe is not verifiable.",
    why: 'A disabled key, or one scheduled for deletion, stops every delivery; once deleted, no log encrypted with it can be read again. Rotation limits what one exposed key version protects.',
    equivalents: { cis: ['3.6'], securityHub: ['KMS.3', 'KMS.4'], config: ['kms-cmk-not-scheduled-for-deletion', 'cmk-backing-key-rotation-enabled'] },
  },
  {
    id: 'trail.kmsKeyPolicy',
    scope: 'trail',
    title: 'Key policy lets CloudTrail encrypt, scoped to the trail',
    reads: ['GetKeyPolicy'],
    what: 'An Allow statement for cloudtrail.amazonaws.com with kms:GenerateDataKey* whose aws:SourceArn condition admits this trail (kms:EncryptionContext:aws:cloudtrail:arn or aws:SourceAccount alone scope it to an account, not a trail); and no kms:Decrypt for everyone without conditions.',
    why: 'Without the statement CloudTrail cannot encrypt, so nothing is delivered; without aws:SourceArn any trail (of any account, with no condition at all) may encrypt with the key, the confused-deputy case AWS warns about.',
    equivalents: {},
  },
  {
    id: 'trail.snsNotification',
    scope: 'trail',
    title: 'SNS notification on delivery',
    reads: ['DescribeTrails', 'GetTrailStatus'],
    what: 'SnsTopicARN, and LatestNotificationError (a failed notification fails).',
    why: 'A notification per delivered log file lets a pipeline or a person notice when deliveries stop.',
    equivalents: {},
  },
  {
    id: 'trail.cloudWatchLogs',
    scope: 'trail',
    title: 'CloudWatch Logs delivery',
    reads: ['DescribeTrails', 'GetTrailStatus'],
    what: 'CloudWatchLogsLogGroupArn, and LatestCloudWatchLogsDeliveryError (a failed delivery fails).',
    why: 'A second copy outside the bucket, and metric filters and alarms on events such as StopLogging or root logins.',
    equivalents: { cis: ['v1.4 3.4'], securityHub: ['CloudTrail.5'], config: ['cloud-trail-cloud-watch-logs-enabled'] },
  },
  {
    id: 'trail.insights',
    scope: 'trail',
    title: 'CloudTrail Insights on',
    reads: ['GetInsightSelectors'],
    what: 'The InsightType selectors (ApiCallRateInsight, ApiErrorRateInsight).',
    why: 'Insights flags unusual rates of write calls and errors, such as a burst of deletions or AccessDenied from a stolen key, without a rule written in advance. (Warn: Insights is billed per event analysed.)',
    equivalents: {},
  },
  {
    id: 'bucket.publicAccessBlock',
    scope: 'bucket',
    title: 'Public access blocked',
    reads: ['GetPublicAccessBlock', 'GetBucketPolicy', 'GetBucketPolicyStatus', 'GetBucketAcl', 'GetCallerIdentity', 'ListBuckets', 'GetAccountPublicAccessBlock'],
    what: "The bucket's four public access block flags; the account's flags when the bucket is in the caller's account; bucket policy statements and ACL grants (AllUsers, AuthenticatedUsers) open to everyone; and S3's own verdict on the policy (GetBucketPolicyStatus IsPublic), which weighs conditions this check does not.",
    why: 'Logs hold account ids, user names, IP addresses and resource names; a public bucket hands them to anyone.',
    equivalents: { cis: ['2.1.4', 'v1.4 3.3'], securityHub: ['CloudTrail.6', 'S3.1', 'S3.2', 'S3.3', 'S3.8'], config: ['cloudtrail-s3-bucket-public-access-prohibited', 's3-account-level-public-access-blocks-periodic', 's3-bucket-level-public-access-prohibited', 's3-bucket-public-read-prohibited', 's3-bucket-public-write-prohibited'] },
  },
  {
    id: 'bucket.aclsDisabled',
    scope: 'bucket',
    title: 'ACLs disabled (bucket owner enforced)',
    reads: ['GetBucketOwnershipControls'],
    what: 'Object Ownership: BucketOwnerEnforced turns ACLs off, so only policies grant access.',
    why: 'With ACLs on, a grant on the bucket or on any one log object can open it to another account or to everyone, out of sight of the bucket policy.',
    equivalents: { securityHub: ['S3.12'], config: ['s3-bucket-acl-prohibited'] },
  },
  {
    id: 'bucket.policyCloudTrailWrite',
    scope: 'bucket',
    title: 'Bucket policy lets CloudTrail write',
    reads: ['GetBucketPolicy'],
    what: 'An Allow statement for cloudtrail.amazonaws.com with s3:PutObject on the trail\'s log prefix (aws:SourceArn and aws:SourceAccount conditions must match the trail).',
    why: 'Without it CloudTrail cannot deliver, and a statement for a different prefix or trail is a common cause of silent delivery errors.',
    equivalents: {},
  },
  {
    id: 'bucket.policyDeleteProtection',
    scope: 'bucket',
    title: 'Bucket policy denies deletes',
    reads: ['GetBucketPolicy'],
    what: 'A Deny statement for everyone on s3:DeleteObject and s3:DeleteObjectVersion over the log prefix, unconditional or excepting named principals (NotPrincipal, aws:PrincipalArn); and no Allow of deletes to everyone.',
    why: 'Identity policies change often; a bucket-policy deny keeps even administrators from deleting logs by accident or on purpose.',
    equivalents: {},
  },
  {
    id: 'bucket.versioning',
    scope: 'bucket',
    title: 'Versioning on',
    reads: ['GetBucketVersioning'],
    what: 'Versioning Status.',
    why: 'With versioning a deleted or overwritten log file keeps its previous version and can be recovered.',
    equivalents: { securityHub: ['S3.14'], config: ['s3-bucket-versioning-enabled'] },
  },
  {
    id: 'bucket.mfaDelete',
    scope: 'bucket',
    title: 'MFA delete on',
    reads: ['GetBucketVersioning'],
    what: 'MFADelete in the versioning configuration.',
    why: 'Permanently deleting a version, or turning versioning off, then needs the root user\'s MFA device.',
    equivalents: { cis: ['2.1.2'], securityHub: ['S3.20'] },
  },
  {
    id: 'bucket.objectLock',
    scope: 'bucket',
    title: 'Object Lock with default retention',
    reads: ['GetObjectLockConfiguration'],
    what: 'ObjectLockEnabled and the default retention rule (mode, days or years).',
    why: 'In COMPLIANCE mode nobody, not even the root user, can delete or overwrite a log version before its retention ends.',
    equivalents: { securityHub: ['S3.15'], config: ['s3-bucket-default-lock-enabled'] },
  },
  {
    id: 'bucket.lifecycleRetention',
    scope: 'bucket',
    title: 'Lifecycle keeps logs for the retention',
    reads: ['GetBucketLifecycleConfiguration'],
    what: 'Enabled lifecycle rules whose filter covers the log prefix: Expiration (Days, Date) and NoncurrentVersionExpiration, against the retention you set.',
    why: 'A lifecycle rule expiring logs sooner than the retention you must keep deletes evidence automatically.',
    equivalents: { securityHub: ['S3.13'], config: ['s3-lifecycle-policy-check'] },
  },
  {
    id: 'bucket.defaultEncryption',
    scope: 'bucket',
    title: 'Default encryption',
    reads: ['GetBucketEncryption'],
    what: 'The bucket\'s default server-side encryption rule.',
    why: 'Every object, including anything written besides CloudTrail, is encrypted at rest.',
    equivalents: { config: ['s3-bucket-server-side-encryption-enabled', 's3-default-encryption-kms'] },
  },
  {
    id: 'bucket.accessLogging',
    scope: 'bucket',
    title: 'Server access logging on',
    reads: ['GetBucketLogging'],
    what: 'LoggingEnabled: the target bucket and prefix of S3 server access logs.',
    why: 'Access logs record every read of the log files, including requests CloudTrail data events do not capture, so who read or tried to delete the evidence stays known.',
    equivalents: { cis: ['3.4'], securityHub: ['CloudTrail.7', 'S3.9'], config: ['cloudtrail-s3-bucket-access-logging', 's3-bucket-logging-enabled'] },
  },
  {
    id: 'bucket.policyTlsOnly',
    scope: 'bucket',
    title: 'Bucket policy denies requests without TLS',
    reads: ['GetBucketPolicy'],
    what: 'A Deny statement for everyone on all S3 actions over the bucket and its objects when aws:SecureTransport is false.',
    why: 'Logs read or written over plain HTTP can be seen or changed on the way; the policy makes TLS a requirement, not a habit.',
    equivalents: { cis: ['2.1.1'], securityHub: ['S3.5'], config: ['s3-bucket-ssl-requests-only'] },
  },
  {
    id: 'access.trailTampering',
    scope: 'access',
    title: 'Who can stop or change the trail',
    reads: ['GetAccountAuthorizationDetails'],
    what: 'IAM users, groups and roles whose identity policies allow cloudtrail:StopLogging, DeleteTrail or UpdateTrail on the trail (wildcards count).',
    why: 'Each of these principals can blind the account; the list should be short and known.',
    equivalents: {},
  },
  {
    id: 'access.logDeletion',
    scope: 'access',
    title: 'Who can delete logs',
    reads: ['GetAccountAuthorizationDetails'],
    what: 'IAM users, groups and roles whose identity policies allow s3:DeleteObject or s3:DeleteObjectVersion on the log bucket (wildcards count).',
    why: 'Each of these principals can erase evidence unless the bucket policy, versioning or Object Lock stops them.',
    equivalents: {},
  },
];

const byId = new Map(CHECKS.map((c) => [c.id, c]));

/** The catalogue entry of a check. */
export function checkDefinition(id: CheckId): CheckDefinition {
  const found = byId.get(id);
  if (!found) throw new Error(`unknown protection check ${id}`);
  return found;
}
