// The judgement of each setting, from hand-made answers: thresholds, selector shapes, lifecycle
// rules, public access combinations, Object Lock modes.
import * as assert from 'node:assert/strict';
import type { DescribedAwsError } from '../../../src/core/aws/awsErrors';
import type { TrailStatusInfo, TrailSummary } from '../../../src/core/aws/trailApi';
import { encryptionOutcome, objectLockOutcome } from '../../../src/core/protection/bucketSettings';
import { lifecycleOutcome } from '../../../src/core/protection/lifecycle';
import { managementEventsOutcome } from '../../../src/core/protection/managementEvents';
import { parsePolicy } from '../../../src/core/protection/policyDocument';
import type { LifecycleRule } from '../../../src/core/protection/protectionReader';
import { publicAccessOutcome } from '../../../src/core/protection/publicAccess';
import { digestDeliveryOutcome, logDeliveryOutcome, loggingOutcome, multiRegionOutcome } from '../../../src/core/protection/trailSettings';

const NOW = new Date('2026-11-01T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

const trail: TrailSummary = { name: 'main', arn: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main', homeRegion: 'us-east-1', isMultiRegion: true, isOrganizationTrail: false, s3BucketName: 'logs', logFileValidationEnabled: true };

describe('trail status: logging, digests and deliveries', () => {
  const status = (s: Partial<TrailStatusInfo>): TrailStatusInfo => ({ isLogging: true, ...s });

  it('passes a digest within two hours and fails a later one, a delivery error or none at all', () => {
    assert.deepEqual(digestDeliveryOutcome(trail, status({ latestDigestDeliveryTime: minutesAgo(65) }), NOW), { result: 'pass', evidence: 'Latest digest delivered 2026-11-01T10:55:00Z (65 min ago).' });
    const late = digestDeliveryOutcome(trail, status({ latestDigestDeliveryTime: minutesAgo(180) }), NOW);
    assert.equal(late.result, 'fail');
    assert.equal(late.evidence, 'Latest digest delivered 2026-11-01T09:00:00Z, 3 h ago; one is due every hour.');
    const stopped = digestDeliveryOutcome(trail, status({ isLogging: false, latestDigestDeliveryTime: minutesAgo(3 * 24 * 60) }), NOW);
    assert.equal(stopped.evidence, 'Latest digest delivered 2026-10-29T12:00:00Z, 3 days ago; one is due every hour (logging is off).');
    assert.match(stopped.remedy ?? '', /^Start logging again/);
    assert.equal(digestDeliveryOutcome(trail, status({ latestDigestDeliveryTime: minutesAgo(10), latestDigestDeliveryError: 'AccessDenied' }), NOW).result, 'fail');
    assert.equal(digestDeliveryOutcome(trail, status({ startLoggingTime: minutesAgo(400) }), NOW).evidence, 'No digest delivered (LatestDigestDeliveryTime empty).');
  });

  it('waits for the first digest after logging starts, and does not apply without validation', () => {
    const fresh = digestDeliveryOutcome(trail, status({ startLoggingTime: minutesAgo(30) }), NOW);
    assert.equal(fresh.result, 'info');
    assert.match(fresh.evidence, /first digest is due within the hour/);
    assert.equal(digestDeliveryOutcome({ ...trail, logFileValidationEnabled: false }, status({}), NOW).result, 'info');
  });

  it('warns, never fails, when logs are simply old (an idle account); fails on a delivery error', () => {
    assert.equal(logDeliveryOutcome(status({ latestDeliveryTime: minutesAgo(14) }), NOW).result, 'pass');
    const quiet = logDeliveryOutcome(status({ latestDeliveryTime: minutesAgo(300) }), NOW);
    assert.equal(quiet.result, 'warn');
    assert.equal(quiet.evidence, 'Latest log file delivered 2026-11-01T07:00:00Z, 5 h ago; CloudTrail delivers within about 15 minutes of activity, so either nothing happened since or delivery stopped.');
    const error = logDeliveryOutcome(status({ latestDeliveryTime: minutesAgo(5), latestDeliveryError: 'NoSuchBucket' }), NOW);
    assert.equal(error.result, 'fail');
    assert.equal(error.evidence, 'LatestDeliveryError: NoSuchBucket.');
    assert.equal(logDeliveryOutcome(status({}), NOW).evidence, 'No log file delivered yet (LatestDeliveryTime empty).');
    const stopped = logDeliveryOutcome(status({ isLogging: false, latestDeliveryTime: minutesAgo(5) }), NOW);
    assert.equal(stopped.result, 'warn', 'a recent delivery is no pass when logging is off');
    assert.equal(stopped.evidence, 'Logging is off, so no logs arrive (latest log file delivered 2026-11-01T11:55:00Z, 5 min ago).');
  });

  it('fails a stopped trail and warns a single-region one, naming what is missed', () => {
    assert.equal(loggingOutcome(trail, { isLogging: false }).evidence, 'IsLogging false.');
    assert.match(loggingOutcome(trail, { isLogging: false }).remedy ?? '', /aws cloudtrail start-logging --name arn:aws:cloudtrail:us-east-1:111122223333:trail\/main --region us-east-1/);
    assert.equal(multiRegionOutcome({ ...trail, isMultiRegion: false, includeGlobalServiceEvents: false }).evidence, 'IsMultiRegionTrail false: the trail records us-east-1 only, without global service events (IAM, STS, CloudFront).');
    const noGlobal = multiRegionOutcome({ ...trail, includeGlobalServiceEvents: false });
    assert.equal(noGlobal.result, 'warn');
    assert.match(noGlobal.remedy ?? '', /--include-global-service-events\)\.$/);
  });
});

describe('management events from event selectors', () => {
  it('reads basic selectors: All passes, WriteOnly warns, ReadOnly or excluded fails, excluded sources warn', () => {
    assert.equal(managementEventsOutcome({ basic: [{ readWriteType: 'All', includeManagementEvents: true }], advanced: [] }).result, 'pass');
    assert.equal(managementEventsOutcome({ basic: [{}], advanced: [] }).result, 'pass', 'the API defaults are All and true');
    const writeOnly = managementEventsOutcome({ basic: [{ readWriteType: 'WriteOnly', includeManagementEvents: true }], advanced: [] });
    assert.equal(writeOnly.result, 'warn');
    assert.equal(writeOnly.evidence, 'EventSelectors[0]: IncludeManagementEvents true, ReadWriteType WriteOnly — read management events are not recorded.');
    assert.equal(managementEventsOutcome({ basic: [{ readWriteType: 'ReadOnly', includeManagementEvents: true }], advanced: [] }).result, 'fail');
    assert.equal(managementEventsOutcome({ basic: [{ readWriteType: 'All', includeManagementEvents: false }], advanced: [] }).result, 'fail');
    const none = managementEventsOutcome({ basic: [], advanced: [] });
    assert.equal(none.evidence, 'No event selector includes management events — write management events are not recorded.');
    const excluded = managementEventsOutcome({ basic: [{ readWriteType: 'All', includeManagementEvents: true, excludeManagementEventSources: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'] }], advanced: [] });
    assert.equal(excluded.result, 'warn');
    assert.match(excluded.evidence, /only part of the management events \(excludes kms\.amazonaws\.com, rdsdata\.amazonaws\.com\)\.$/);
    // Read in one selector and write in another is both.
    assert.equal(managementEventsOutcome({ basic: [{ readWriteType: 'ReadOnly' }, { readWriteType: 'WriteOnly' }], advanced: [] }).result, 'pass');
  });

  it('reads advanced selectors, which replace basic ones', () => {
    const mgmt = { field: 'eventCategory', equals: ['Management'] };
    assert.equal(managementEventsOutcome({ basic: [{ readWriteType: 'ReadOnly' }], advanced: [{ name: 'all', fieldSelectors: [mgmt] }] }).result, 'pass');
    assert.equal(managementEventsOutcome({ basic: [], advanced: [{ fieldSelectors: [mgmt, { field: 'readOnly', equals: ['true'] }] }] }).result, 'fail');
    assert.equal(managementEventsOutcome({ basic: [], advanced: [{ fieldSelectors: [mgmt, { field: 'readOnly', notEquals: ['true'] }] }] }).result, 'warn');
    assert.equal(managementEventsOutcome({ basic: [], advanced: [{ fieldSelectors: [mgmt, { field: 'readOnly', equals: ['true'] }] }, { fieldSelectors: [mgmt, { field: 'readOnly', equals: ['false'] }] }] }).result, 'pass');
    const noKms = managementEventsOutcome({ basic: [], advanced: [{ name: 'no kms', fieldSelectors: [mgmt, { field: 'eventSource', notEquals: ['kms.amazonaws.com'] }] }] });
    assert.equal(noKms.result, 'warn');
    assert.equal(noKms.evidence, 'advanced selector "no kms": eventCategory = Management; eventSource != kms.amazonaws.com — only part of the management events (eventSource != kms.amazonaws.com).');
    const dataOnly = managementEventsOutcome({ basic: [], advanced: [{ fieldSelectors: [{ field: 'eventCategory', equals: ['Data'] }, { field: 'resources.type', equals: ['AWS::S3::Object'] }] }] });
    assert.equal(dataOnly.result, 'fail');
  });
});

describe('lifecycle rules against the retention', () => {
  const rule = (r: Partial<LifecycleRule>): LifecycleRule => ({ id: 'r', status: 'Enabled', prefix: '', tags: [], transitions: [], ...r });
  const prefixed = { ...trail, s3KeyPrefix: 'audit' };

  it('passes without rules, and ignores rules that are disabled, need tags, or cover another prefix', () => {
    assert.equal(lifecycleOutcome(undefined, prefixed, 365, NOW).evidence, 'No lifecycle rule: nothing expires the logs automatically (retention wanted: 365 days).');
    const o = lifecycleOutcome([rule({ id: 'off', status: 'Disabled', expirationDays: 7 }), rule({ id: 'tagged', tags: [{ key: 'tmp', value: 'yes' }], expirationDays: 7 }), rule({ id: 'other', prefix: 'AWSLogs/', expirationDays: 7 })], prefixed, 365, NOW);
    assert.equal(o.result, 'pass');
    assert.equal(o.evidence, 'No enabled lifecycle rule applies to audit/AWSLogs/ (3 rules read).');
    assert.deepEqual(o.details, [
      'rule "off" (prefix "") Disabled: Expiration 7 days — does not apply: disabled',
      'rule "tagged" (prefix "", tags tmp=yes) Enabled: Expiration 7 days — does not apply: requires tags CloudTrail does not set',
      'rule "other" (prefix "AWSLogs/") Enabled: Expiration 7 days — does not apply: prefix does not cover audit/AWSLogs/',
    ]);
  });

  it('fails an expiration sooner than the retention, for a narrower prefix too', () => {
    const o = lifecycleOutcome([rule({ id: 'digests', prefix: 'audit/AWSLogs/111122223333/CloudTrail-Digest/', expirationDays: 400 })], prefixed, 2557, NOW);
    assert.equal(o.result, 'fail');
    assert.equal(o.evidence, 'rule "digests" (prefix "audit/AWSLogs/111122223333/CloudTrail-Digest/") expires logs after 400 days, sooner than the retention of 2557 days.');
    assert.equal(lifecycleOutcome([rule({ expirationDays: 400 })], prefixed, 365, NOW).result, 'pass');
  });

  it('fails an expiration date before today + retention, and warns on short noncurrent expiration', () => {
    const dated = lifecycleOutcome([rule({ id: 'cutoff', expirationDate: new Date('2027-01-01T00:00:00Z') })], prefixed, 365, NOW);
    assert.equal(dated.result, 'fail');
    assert.equal(dated.evidence, 'rule "cutoff" (prefix "") expires logs on 2027-01-01, sooner than the retention of 365 days.');
    assert.equal(lifecycleOutcome([rule({ expirationDate: new Date('2040-01-01T00:00:00Z') })], prefixed, 365, NOW).result, 'pass');
    const noncurrent = lifecycleOutcome([rule({ id: 'versions', expirationDays: 3000, noncurrentDays: 30 })], prefixed, 2557, NOW);
    assert.equal(noncurrent.result, 'warn');
    assert.equal(noncurrent.evidence, 'rule "versions" (prefix "") removes deleted or overwritten log versions after 30 days, sooner than the retention of 2557 days.');
  });
});

describe('public access', () => {
  const allOn = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };
  const none = { blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false };
  const ok = <T>(value: T) => ({ ok: true as const, value });
  const denied = (permission: string) => ({ ok: false as const, call: 'GetPublicAccessBlock' as const, permission, error: { kind: 'access-denied', message: 'denied', permission } as DescribedAwsError });
  const publicPolicy = parsePolicy(JSON.stringify({ Statement: { Sid: 'Web', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::logs/*' } }));

  it("combines the bucket's and the account's flags, the account's only for the account's own bucket", () => {
    const combined = publicAccessOutcome({ bucket: ok({ ...allOn, blockPublicAcls: false }), account: ok({ account: '111122223333', bucketInAccount: true, flags: { ...none, blockPublicAcls: true } }), policy: ok(undefined), acl: ok([]) });
    assert.equal(combined.result, 'pass');
    assert.equal(combined.evidence, 'bucket: BlockPublicAcls off; account 111122223333: IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets off.');
    const foreign = publicAccessOutcome({ bucket: ok(undefined), account: ok({ account: '999988887777', bucketInAccount: false }), policy: ok(undefined), acl: ok([]) });
    assert.equal(foreign.result, 'warn');
    assert.equal(foreign.evidence, 'Public access is not blocked (bucket: none configured; account flags do not apply (the bucket is not in account 999988887777)); no public policy statement or ACL grant found, but nothing stops one being added.');
  });

  it('fails a public policy statement unless RestrictPublicBuckets is on', () => {
    const open = publicAccessOutcome({ bucket: ok(none), account: ok({ account: '111122223333', bucketInAccount: true }), policy: ok(publicPolicy), acl: ok([]) });
    assert.equal(open.result, 'fail');
    assert.equal(open.evidence, 'The bucket is public: policy Web: Allow * s3:GetObject on arn:aws:s3:::logs/* (bucket: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets off; account 111122223333: none configured).');
    assert.equal(publicAccessOutcome({ bucket: ok({ ...none, restrictPublicBuckets: true }), account: ok({ account: '1', bucketInAccount: true }), policy: ok(publicPolicy), acl: ok([]) }).result, 'warn');
  });

  it('passes when the account blocks everything even if the bucket flags are unreadable, and is unknown otherwise', () => {
    assert.equal(publicAccessOutcome({ bucket: denied('s3:GetBucketPublicAccessBlock'), account: ok({ account: '1', bucketInAccount: true, flags: allOn }), policy: ok(undefined), acl: ok([]) }).result, 'pass');
    const unknown = publicAccessOutcome({ bucket: denied('s3:GetBucketPublicAccessBlock'), account: ok({ account: '1', bucketInAccount: true }), policy: ok(undefined), acl: ok([]) });
    assert.equal(unknown.result, 'unknown');
    assert.equal(unknown.permission, 's3:GetBucketPublicAccessBlock');
  });
});

describe('Object Lock and default encryption', () => {
  it('passes COMPLIANCE retention, warns GOVERNANCE, no default retention, or no lock', () => {
    assert.deepEqual(objectLockOutcome({ enabled: true, mode: 'COMPLIANCE', days: 400 }), { result: 'pass', evidence: 'Object Lock enabled, default retention COMPLIANCE 400 days.' });
    const governance = objectLockOutcome({ enabled: true, mode: 'GOVERNANCE', years: 1 });
    assert.equal(governance.result, 'warn');
    assert.match(governance.evidence, /GOVERNANCE 1 year: anyone with s3:BypassGovernanceRetention/);
    assert.match(objectLockOutcome({ enabled: true }).evidence, /^Object Lock enabled, but no default retention/);
    assert.equal(objectLockOutcome(undefined).result, 'warn');
  });

  it('passes SSE-S3 and SSE-KMS defaults, warns without a rule', () => {
    assert.equal(encryptionOutcome([{ algorithm: 'AES256' }]).evidence, 'Default encryption AES256.');
    assert.equal(encryptionOutcome(undefined).result, 'warn');
  });
});
