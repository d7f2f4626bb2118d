// The plain data of trail protection checks: what each check found, per trail. Everything here is
// JSON-serializable so the CLI can print it with --json and the editor can keep it in tree items.
import type { TrailSummary } from '../aws/trailApi';

/**
 * - `pass`: the setting protects the logs as AWS recommends.
 * - `warn`: a recommended safeguard is missing, or something looks off but may be fine (an idle account).
 * - `fail`: logs can be lost, altered or not captured without anyone noticing.
 * - `unknown`: the setting could not be read ("could not check"); `permission` says what was missing.
 * - `not-verifiable`: the resource lives in another account (an organization trail's bucket in the
 *   log archive account, a KMS key of the security account) and this account may not read it:
 *   `account` names where it is. Never a fail, never a pass.
 * - `info`: information to review (who can stop the trail), or a check that does not apply.
 */
export type CheckResult = 'pass' | 'warn' | 'fail' | 'unknown' | 'not-verifiable' | 'info';

/** Every result, in the order reports list and count them (worst first). */
export const CHECK_RESULTS: readonly CheckResult[] = ['fail', 'unknown', 'not-verifiable', 'warn', 'info', 'pass'];

/** What a check looks at: the trail's own settings, its S3 bucket, or the account's IAM policies. */
export type CheckScope = 'trail' | 'bucket' | 'access';

/** Stable identifiers: the editor, the Problems panel and scripts reading --json key on these. */
export type CheckId =
  | 'trail.logging'
  | 'trail.multiRegion'
  | 'trail.logFileValidation'
  | 'trail.digestDelivery'
  | 'trail.logDelivery'
  | 'trail.managementEvents'
  | 'trail.s3DataEvents'
  | 'trail.kmsEncryption'
  | 'trail.kmsKeyState'
  | 'trail.kmsKeyPolicy'
  | 'trail.snsNotification'
  | 'trail.cloudWatchLogs'
  | 'trail.insights'
  | 'bucket.publicAccessBlock'
  | 'bucket.aclsDisabled'
  | 'bucket.policyCloudTrailWrite'
  | 'bucket.policyDeleteProtection'
  | 'bucket.versioning'
  | 'bucket.mfaDelete'
  | 'bucket.objectLock'
  | 'bucket.lifecycleRetention'
  | 'bucket.defaultEncryption'
  | 'bucket.accessLogging'
  | 'bucket.policyTlsOnly'
  | 'access.trailTampering'
  | 'access.logDeletion';

export interface ProtectionCheck {
  id: CheckId;
  scope: CheckScope;
  /** Short, stable title from the catalogue ("Log file validation on"). */
  title: string;
  result: CheckResult;
  /** What was read, short enough to quote: a setting, a status time, a policy statement. */
  evidence: string;
  /** One sentence saying what to do; absent when there is nothing to do (most passes). */
  remedy?: string;
  /** The IAM permission a check needed and did not have (`unknown`, and `info` for unreadable IAM). */
  permission?: string;
  /** Why the setting could not be read (from the AWS error), for `unknown` results. */
  message?: string;
  /** Longer lists behind the evidence (each principal that can stop the trail, each lifecycle rule). */
  details?: string[];
  /** For `not-verifiable`: the account the resource is in, when it is known ("another account" otherwise). */
  account?: string;
}

/** Counts per result. */
export type ProtectionSummary = Record<CheckResult, number>;

/** The trail a report is about (plain data, from DescribeTrails). */
export type ProtectionTrail = Pick<TrailSummary, 'name' | 'arn' | 'homeRegion' | 'isMultiRegion' | 'isOrganizationTrail' | 's3BucketName' | 's3KeyPrefix'>;

export interface ProtectionReport {
  trail: ProtectionTrail;
  /** Whose trail this is, seen from the account the checks ran as (organization, member, delegated administrator). */
  ownership: TrailOwnership;
  /** The region the trail's settings were read in (its home region). */
  region: string;
  /** The bucket's own region, where its settings were read; absent when it could not be found. */
  bucketRegion?: string;
  /** ISO 8601 time the checks ran. */
  checkedAt: string;
  /** The retention the lifecycle check measured against, in days. */
  retentionDays: number;
  /** One entry per check of the catalogue, in catalogue order. */
  checks: ProtectionCheck[];
  summary: ProtectionSummary;
}

/**
 * Whose trail it is, seen from the caller's account (`viewer`; undefined when GetCallerIdentity failed):
 * - `own`: a trail of the caller's account;
 * - `organization-management`: an organization trail, and the caller is the management account;
 * - `organization-delegated`: an organization trail of management account `owner`, and the caller is a
 *   CloudTrail delegated administrator (it may change the trail; the trail stays the management account's);
 * - `organization-member`: an organization trail of `owner` seen from a member account, which may read
 *   it but not change it, and usually cannot read its bucket or key;
 * - `other-account`: a trail of another account shared some other way;
 * - `unknown`: the caller's account could not be read.
 */
export interface TrailOwnership {
  kind: 'own' | 'organization-management' | 'organization-delegated' | 'organization-member' | 'other-account' | 'unknown';
  /** The account in the trail ARN (for organization trails, the management account). */
  owner?: string;
  viewer?: string;
  /** Regions other than the home region where DescribeTrails also lists it (its shadow trails). */
  shadowRegions?: string[];
}
