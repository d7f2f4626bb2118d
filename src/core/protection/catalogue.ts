// The catalogue of protection checks: what each one reads and why it matters. The README and the
// editor render it; the checks take their titles from it so the wording lives in one place.
import type { CheckId, CheckScope } from './types';

/** The read-only AWS calls the checks make, with the IAM permission each needs. */
export const PROTECTION_CALLS = {
  DescribeTrails: 'cloudtrail:DescribeTrails',
  GetTrailStatus: 'cloudtrail:GetTrailStatus',
  GetEventSelectors: 'cloudtrail:GetEventSelectors',
  GetBucketLocation: 's3:GetBucketLocation',
  GetPublicAccessBlock: 's3:GetBucketPublicAccessBlock',
  GetBucketAcl: 's3:GetBucketAcl',
  GetBucketPolicy: 's3:GetBucketPolicy',
  GetBucketVersioning: 's3:GetBucketVersioning',
  GetObjectLockConfiguration: 's3:GetBucketObjectLockConfiguration',
  GetBucketLifecycleConfiguration: 's3:GetLifecycleConfiguration',
  GetBucketEncryption: 's3:GetEncryptionConfiguration',
  GetBucketLogging: 's3:GetBucketLogging',
  GetCallerIdentity: 'sts:GetCallerIdentity',
  ListBuckets: 's3:ListAllMyBuckets',
  GetAccountPublicAccessBlock: 's3:GetAccountPublicAccessBlock',
  GetAccountAuthorizationDetails: 'iam:GetAccountAuthorizationDetails',
} as const;

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
}

export const CHECKS: readonly CheckDefinition[] = [
  {
    id: 'trail.logging',
    scope: 'trail',
    title: 'Logging on',
    reads: ['GetTrailStatus'],
    what: 'IsLogging, with StartLoggingTime and StopLoggingTime.',
    why: 'A stopped trail records nothing; StopLogging is a classic first move of an attacker.',
  },
  {
    id: 'trail.multiRegion',
    scope: 'trail',
    title: 'Multi-region',
    reads: ['DescribeTrails'],
    what: 'IsMultiRegionTrail (and IncludeGlobalServiceEvents for a single-region trail).',
    why: 'A single-region trail misses activity in every other region, including regions an attacker picks because nobody watches them. (Warn, not fail: another trail may cover those regions.)',
  },
  {
    id: 'trail.logFileValidation',
    scope: 'trail',
    title: 'Log file validation on',
    reads: ['DescribeTrails'],
    what: 'LogFileValidationEnabled.',
    why: 'Without signed hourly digests nobody can prove that a log file was not changed or deleted after delivery.',
  },
  {
    id: 'trail.digestDelivery',
    scope: 'trail',
    title: 'Digests arriving hourly',
    reads: ['GetTrailStatus'],
    what: 'LatestDigestDeliveryTime (within 2 hours) and LatestDigestDeliveryError.',
    why: 'CloudTrail writes a digest every hour even when nothing happened, so a late digest means validation or delivery is broken.',
  },
  {
    id: 'trail.logDelivery',
    scope: 'trail',
    title: 'Logs arriving',
    reads: ['GetTrailStatus'],
    what: 'LatestDeliveryTime (within 1 hour) and LatestDeliveryError.',
    why: 'A delivery error (bucket deleted, policy changed, KMS key disabled) silently loses events. An old delivery time alone may just mean an idle account, so it warns rather than fails.',
  },
  {
    id: 'trail.managementEvents',
    scope: 'trail',
    title: 'Management events, read and write',
    reads: ['GetEventSelectors'],
    what: 'Basic event selectors (IncludeManagementEvents, ReadWriteType, ExcludeManagementEventSources) and advanced selectors (eventCategory, readOnly, eventSource).',
    why: 'Write management events are the record of who changed what (StopLogging, DeleteTrail, policy edits); read events show reconnaissance.',
  },
  {
    id: 'trail.kmsEncryption',
    scope: 'trail',
    title: 'Logs encrypted with KMS',
    reads: ['DescribeTrails'],
    what: 'KmsKeyId.',
    why: 'With SSE-KMS, reading a log also needs kms:Decrypt on the key, a second control besides S3 permissions, and every use of the key is itself logged.',
  },
  {
    id: 'trail.snsNotification',
    scope: 'trail',
    title: 'SNS notification on delivery',
    reads: ['DescribeTrails', 'GetTrailStatus'],
    what: 'SnsTopicARN, and LatestNotificationError (a failed notification fails).',
    why: 'A notification per delivered log file lets a pipeline or a person notice when deliveries stop.',
  },
  {
    id: 'trail.cloudWatchLogs',
    scope: 'trail',
    title: 'CloudWatch Logs delivery',
    reads: ['DescribeTrails', 'GetTrailStatus'],
    what: 'CloudWatchLogsLogGroupArn, and LatestCloudWatchLogsDeliveryError (a failed delivery fails).',
    why: 'A second copy outside the bucket, and metric filters and alarms on events such as StopLogging or root logins.',
  },
  {
    id: 'bucket.publicAccessBlock',
    scope: 'bucket',
    title: 'Public access blocked',
    reads: ['GetPublicAccessBlock', 'GetBucketPolicy', 'GetBucketAcl', 'GetCallerIdentity', 'ListBuckets', 'GetAccountPublicAccessBlock'],
    what: "The bucket's four public access block flags; the account's flags when the bucket is in the caller's account; bucket policy statements and ACL grants open to everyone.",
    why: 'Logs hold account ids, user names, IP addresses and resource names; a public bucket hands them to anyone.',
  },
  {
    id: 'bucket.policyCloudTrailWrite',
    scope: 'bucket',
    title: 'Bucket policy lets CloudTrail write',
    reads: ['GetBucketPolicy'],
    what: 'An Allow statement for cloudtrail.amazonaws.com with s3:PutObject on the trail\'s log prefix (aws:SourceArn and aws:SourceAccount conditions must match the trail).',
    why: 'Without it CloudTrail cannot deliver, and a statement for a different prefix or trail is a common cause of silent delivery errors.',
  },
  {
    id: 'bucket.policyDeleteProtection',
    scope: 'bucket',
    title: 'Bucket policy denies deletes',
    reads: ['GetBucketPolicy'],
    what: 'A Deny statement for everyone on s3:DeleteObject and s3:DeleteObjectVersion over the log prefix, unconditional or excepting named principals (NotPrincipal, aws:PrincipalArn); and no Allow of deletes to everyone.',
    why: 'Identity policies change often; a bucket-policy deny keeps even administrators from deleting logs by accident or on purpose.',
  },
  {
    id: 'bucket.versioning',
    scope: 'bucket',
    title: 'Versioning on',
    reads: ['GetBucketVersioning'],
    what: 'Versioning Status.',
    why: 'With versioning a deleted or overwritten log file keeps its previous version and can be recovered.',
  },
  {
    id: 'bucket.mfaDelete',
    scope: 'bucket',
    title: 'MFA delete on',
    reads: ['GetBucketVersioning'],
    what: 'MFADelete in the versioning configuration.',
    why: 'Permanently deleting a version, or turning versioning off, then needs the root user\'s MFA device.',
  },
  {
    id: 'bucket.objectLock',
    scope: 'bucket',
    title: 'Object Lock with default retention',
    reads: ['GetObjectLockConfiguration'],
    what: 'ObjectLockEnabled and the default retention rule (mode, days or years).',
    why: 'In COMPLIANCE mode nobody, not even the root user, can delete or overwrite a log version before its retention ends.',
  },
  {
    id: 'bucket.lifecycleRetention',
    scope: 'bucket',
    title: 'Lifecycle keeps logs for the retention',
    reads: ['GetBucketLifecycleConfiguration'],
    what: 'Enabled lifecycle rules whose filter covers the log prefix: Expiration (Days, Date) and NoncurrentVersionExpiration, against the retention you set.',
    why: 'A lifecycle rule expiring logs sooner than the retention you must keep deletes evidence automatically.',
  },
  {
    id: 'bucket.defaultEncryption',
    scope: 'bucket',
    title: 'Default encryption',
    reads: ['GetBucketEncryption'],
    what: 'The bucket\'s default server-side encryption rule.',
    why: 'Every object, including anything written besides CloudTrail, is encrypted at rest.',
  },
  {
    id: 'bucket.accessLogging',
    scope: 'bucket',
    title: 'Server access logging on',
    reads: ['GetBucketLogging'],
    what: 'LoggingEnabled: the target bucket and prefix of S3 server access logs (CIS 3.4 in v3.0; Security Hub CloudTrail.7; AWS Config s3-bucket-logging-enabled).',
    why: 'Access logs record every read of the log files, including requests CloudTrail data events do not capture, so who read or tried to delete the evidence stays known.',
  },
  {
    id: 'bucket.policyTlsOnly',
    scope: 'bucket',
    title: 'Bucket policy denies requests without TLS',
    reads: ['GetBucketPolicy'],
    what: 'A Deny statement for everyone on all S3 actions over the bucket and its objects when aws:SecureTransport is false (Security Hub S3.5; AWS Config s3-bucket-ssl-requests-only).',
    why: 'Logs read or written over plain HTTP can be seen or changed on the way; the policy makes TLS a requirement, not a habit.',
  },
  {
    id: 'access.trailTampering',
    scope: 'access',
    title: 'Who can stop or change the trail',
    reads: ['GetAccountAuthorizationDetails'],
    what: 'IAM users, groups and roles whose identity policies allow cloudtrail:StopLogging, DeleteTrail or UpdateTrail on the trail (wildcards count).',
    why: 'Each of these principals can blind the account; the list should be short and known.',
  },
  {
    id: 'access.logDeletion',
    scope: 'access',
    title: 'Who can delete logs',
    reads: ['GetAccountAuthorizationDetails'],
    what: 'IAM users, groups and roles whose identity policies allow s3:DeleteObject or s3:DeleteObjectVersion on the log bucket (wildcards count).',
    why: 'Each of these principals can erase evidence unless the bucket policy, versioning or Object Lock stops them.',
  },
];

const byId = new Map(CHECKS.map((c) => [c.id, c]));

/** The catalogue entry of a check. */
export function checkDefinition(id: CheckId): CheckDefinition {
  const found = byId.get(id);
  if (!found) throw new Error(`unknown protection check ${id}`);
  return found;
}
