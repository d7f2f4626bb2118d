// Sample ARNs of the objects a trail writes, to test policy Resource patterns against: a pattern
// protects (or lets CloudTrail write) the logs only if it matches the keys CloudTrail really uses.
import type { TrailSummary } from '../aws/trailApi';
import { trailAccount } from '../aws/trailCatalog';

export interface LogObjectSet {
  /** `account 111122223333` or `organization o-abc/account 111122223333`, for evidence. */
  label: string;
  /** One log file and, with validation on, one digest file of the trail. */
  arns: string[];
}

/** The trail's key prefix as CloudTrail uses it: `''` or `prefix/`. */
export function keyPrefix(trail: Pick<TrailSummary, 's3KeyPrefix'>): string {
  const p = trail.s3KeyPrefix ?? '';
  return p === '' ? '' : p.endsWith('/') ? p : `${p}/`;
}

function objects(bucket: string, base: string, account: string, region: string, trailName: string, withDigest: boolean): string[] {
  const arns = [`arn:aws:s3:::${bucket}/${base}/CloudTrail/${region}/2026/01/01/${account}_CloudTrail_${region}_20260101T0005Z_sample.json.gz`];
  if (withDigest) arns.push(`arn:aws:s3:::${bucket}/${base}/CloudTrail-Digest/${region}/2026/01/01/${account}_CloudTrail-Digest_${region}_${trailName}_${region}_20260101T000000Z.json.gz`);
  return arns;
}

/**
 * The object sets a trail may write. An organization trail writes under `AWSLogs/{o-id}/{account}/`;
 * the organization id is not in DescribeTrails, so it is taken from the policy's own Resource
 * patterns (`organizationIds`), and the account layout is offered too (older organization trails
 * wrote the management account's logs there).
 */
export function logObjectSets(trail: TrailSummary, organizationIds: readonly string[] = []): LogObjectSet[] {
  const bucket = trail.s3BucketName ?? '';
  const account = trailAccount(trail.arn) ?? '000000000000';
  const prefix = keyPrefix(trail);
  const digest = trail.logFileValidationEnabled;
  const sets: LogObjectSet[] = [{ label: `account ${account}`, arns: objects(bucket, `${prefix}AWSLogs/${account}`, account, trail.homeRegion, trail.name, digest) }];
  if (trail.isOrganizationTrail) {
    for (const org of organizationIds) {
      sets.push({ label: `organization ${org}/account ${account}`, arns: objects(bucket, `${prefix}AWSLogs/${org}/${account}`, account, trail.homeRegion, trail.name, digest) });
    }
  }
  return sets;
}

/** Organization ids (`o-…`) named after `AWSLogs/` in policy resources. */
export function organizationIdsIn(resources: readonly string[]): string[] {
  const ids = new Set<string>();
  for (const r of resources) {
    const m = /AWSLogs\/(o-[a-z0-9]{10,32})(\/|$)/.exec(r);
    if (m) ids.add(m[1]);
  }
  return [...ids];
}

/** The bucket ARN itself (for s3:GetBucketAcl). */
export function bucketArn(trail: Pick<TrailSummary, 's3BucketName'>): string {
  return `arn:aws:s3:::${trail.s3BucketName ?? ''}`;
}
