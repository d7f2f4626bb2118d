// checkTrailProtection with a hand-written reader: every check reported once, failures of reads
// as "could not check", cancellation; the catalogue; the Markdown and text reports.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../fixtures/paths';
import { describeAwsError } from '../../../src/core/aws/awsErrors';
import type { TrailStatusInfo, TrailSummary } from '../../../src/core/aws/trailApi';
import {
  catalogueTable,
  CHECKS,
  checkPermissions,
  checkTrailProtection,
  PROTECTION_CALLS,
  ProtectionCallError,
  renderProtectionReport,
  renderProtectionText,
  type AuthorizationDetails,
  type BucketLogging,
  type BucketVersioning,
  type EventSelectors,
  type KmsKeyInfo,
  type LifecycleRule,
  type ProtectionCall,
  type ProtectionReader,
  type ProtectionReport,
} from '../../../src/core/protection';

const NOW = new Date('2026-11-01T12:00:00Z');
const TRAIL: TrailSummary = {
  name: 'main',
  arn: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main',
  homeRegion: 'us-east-1',
  isMultiRegion: true,
  isOrganizationTrail: false,
  s3BucketName: 'logs',
  logFileValidationEnabled: true,
  kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/k',
};

const POLICY = JSON.stringify({
  Statement: [
    { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:GetBucketAcl', Resource: 'arn:aws:s3:::logs' },
    { Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 's3:PutObject', Resource: 'arn:aws:s3:::logs/AWSLogs/111122223333/*' },
    { Sid: 'Keep|Logs', Effect: 'Deny', Principal: '*', Action: 's3:Delete*', Resource: 'arn:aws:s3:::logs/*' },
    { Sid: 'TlsOnly', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::logs', 'arn:aws:s3:::logs/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
  ],
});

const KEY_POLICY = JSON.stringify({
  Statement: [
    { Sid: 'CloudTrailEncrypt', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*', Condition: { StringEquals: { 'aws:SourceArn': 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main' } } },
  ],
});

/** A reader for a well set up trail; each test replaces what it needs. */
class FakeReader implements ProtectionReader {
  readonly profile = 'audit';
  regions: string[] = [];
  getTrailStatus = async (): Promise<TrailStatusInfo> => ({ isLogging: true, latestDeliveryTime: new Date(NOW.getTime() - 600_000), latestDigestDeliveryTime: new Date(NOW.getTime() - 1_800_000) });
  getEventSelectors = async (): Promise<EventSelectors> => ({ basic: [{ readWriteType: 'All', includeManagementEvents: true, dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3'] }] }], advanced: [] });
  bucketRegion = async () => 'eu-west-1';
  getPublicAccessBlock = async (_b: string, region: string) => {
    this.regions.push(region);
    return { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };
  };
  getAccountPublicAccessBlock = async () => ({ account: '111122223333', bucketInAccount: true });
  getBucketPolicy = async (): Promise<string | undefined> => POLICY;
  getBucketAcl = async () => [];
  getBucketVersioning = async (): Promise<BucketVersioning> => ({ status: 'Enabled', mfaDelete: 'Enabled' });
  getObjectLock = async () => ({ enabled: true, mode: 'COMPLIANCE', years: 1 });
  getLifecycleRules = async (): Promise<LifecycleRule[] | undefined> => undefined;
  getDefaultEncryption = async () => [{ algorithm: 'aws:kms' }];
  getBucketLogging = async (): Promise<BucketLogging | undefined> => ({ targetBucket: 'access-logs', targetPrefix: 'logs/' });
  getAuthorizationDetails = async (): Promise<AuthorizationDetails> => ({ account: '111122223333', entities: [], policies: [] });
  callerAccount = async () => '111122223333';
  getInsightSelectors = async () => ['ApiCallRateInsight', 'ApiErrorRateInsight'];
  describeKey = async (keyId: string): Promise<KmsKeyInfo> => ({ arn: keyId, keyState: 'Enabled', keyManager: 'CUSTOMER', keySpec: 'SYMMETRIC_DEFAULT', origin: 'AWS_KMS' });
  getKeyRotation = async () => true;
  getKeyPolicy = async () => KEY_POLICY;
  getOwnershipControls = async (): Promise<string | undefined> => 'BucketOwnerEnforced';
  getDelegatedAdministrators = async (): Promise<string[]> => [];
  getBucketPolicyStatus = async (): Promise<boolean | undefined> => false;
}

function check(report: ProtectionReport, id: string) {
  const c = report.checks.find((x) => x.id === id);
  assert.ok(c, id);
  return c;
}

describe('checkTrailProtection (hand-written reader)', () => {
  it('reports every catalogue check once, in catalogue order, with counts', async () => {
    const report = await checkTrailProtection({ trail: TRAIL, reader: new FakeReader(), now: NOW });
    assert.deepEqual(report.checks.map((c) => c.id), CHECKS.map((c) => c.id));
    assert.equal(new Set(CHECKS.map((c) => c.id)).size, 26);
    assert.deepEqual(report.summary, { fail: 0, unknown: 0, 'not-verifiable': 0, warn: 2, info: 2, pass: 22 });
    assert.deepEqual(report.ownership, { kind: 'own', owner: '111122223333', viewer: '111122223333' });
    assert.deepEqual(report.checks.filter((c) => c.result === 'warn').map((c) => c.id), ['trail.snsNotification', 'trail.cloudWatchLogs']);
    assert.equal(report.retentionDays, 365);
    assert.equal(report.checkedAt, '2026-11-01T12:00:00.000Z');
    assert.equal(report.bucketRegion, 'eu-west-1');
    assert.equal(check(report, 'access.trailTampering').evidence, 'No IAM user or role in account 111122223333 has an identity policy allowing StopLogging, DeleteTrail, UpdateTrail here.');
  });

  it('turns any failed read into "could not check" with the permission of the call, never a pass', async () => {
    const reader = new FakeReader();
    reader.getLifecycleRules = async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'SlowDown' });
    };
    reader.getAccountPublicAccessBlock = async () => {
      throw new ProtectionCallError('ListBuckets', 's3://logs', Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }));
    };
    const report = await checkTrailProtection({ trail: TRAIL, reader, now: NOW });
    const lifecycle = check(report, 'bucket.lifecycleRetention');
    assert.equal(lifecycle.result, 'unknown');
    assert.equal(lifecycle.permission, 's3:GetLifecycleConfiguration');
    assert.equal(lifecycle.evidence, 'Could not read the lifecycle configuration: AWS is throttling GetBucketLifecycleConfiguration on s3://logs even after retries; wait a minute and try again.');
    // The account's flags are extra: the bucket's own flags still decide.
    assert.equal(check(report, 'bucket.publicAccessBlock').result, 'pass');
    assert.equal(check(report, 'bucket.publicAccessBlock').evidence, 'bucket: all four on; account flags not readable (s3:ListAllMyBuckets).');
  });

  it('does not judge a bucket policy it cannot parse, or a trail without a bucket', async () => {
    const reader = new FakeReader();
    reader.getBucketPolicy = async () => '{"Statement": [';
    const report = await checkTrailProtection({ trail: TRAIL, reader, now: NOW });
    for (const id of ['bucket.policyCloudTrailWrite', 'bucket.policyDeleteProtection']) {
      assert.equal(check(report, id).result, 'unknown');
      assert.match(check(report, id).evidence, /^The bucket policy could not be read as a policy: the policy is not valid JSON/);
    }
    const noBucket = await checkTrailProtection({ trail: { ...TRAIL, s3BucketName: undefined }, reader: new FakeReader(), now: NOW });
    assert.deepEqual([...new Set(noBucket.checks.filter((c) => c.scope === 'bucket').map((c) => c.result))], ['unknown']);
  });

  it("asks in the trail's region when the bucket's region cannot be read", async () => {
    const reader = new FakeReader();
    reader.bucketRegion = async () => {
      throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
    };
    const report = await checkTrailProtection({ trail: TRAIL, reader, now: NOW });
    assert.deepEqual(reader.regions, ['us-east-1']);
    assert.equal(report.bucketRegion, undefined);
    assert.equal(check(report, 'bucket.versioning').result, 'pass');
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const reader = new FakeReader();
    reader.getEventSelectors = async () => {
      controller.abort();
      throw Object.assign(new Error('aborted'), { name: 'AbortError' });
    };
    await assert.rejects(checkTrailProtection({ trail: TRAIL, reader, signal: controller.signal, now: NOW }), { name: 'AbortError' });
  });
});

describe('the catalogue', () => {
  it('fails the SNS and CloudWatch Logs checks when GetTrailStatus reports their delivery errors', async () => {
    const reader = new FakeReader();
    const trail = { ...TRAIL, snsTopicArn: 'arn:aws:sns:us-east-1:111122223333:deliveries', cloudWatchLogsLogGroupArn: 'arn:aws:logs:us-east-1:111122223333:log-group:ct:*' };
    const clean = await checkTrailProtection({ trail, reader, now: NOW });
    assert.deepEqual([check(clean, 'trail.snsNotification').result, check(clean, 'trail.cloudWatchLogs').result], ['pass', 'pass']);
    const base = reader.getTrailStatus;
    reader.getTrailStatus = async () => ({ ...(await base()), latestNotificationError: 'AuthorizationError', latestCloudWatchLogsDeliveryError: 'AccessDeniedException' });
    const broken = await checkTrailProtection({ trail, reader, now: NOW });
    assert.equal(check(broken, 'trail.snsNotification').result, 'fail');
    assert.match(check(broken, 'trail.snsNotification').evidence, /LatestNotificationError: AuthorizationError: the notifications are not delivered\.$/);
    assert.equal(check(broken, 'trail.cloudWatchLogs').result, 'fail');
    assert.match(check(broken, 'trail.cloudWatchLogs').evidence, /LatestCloudWatchLogsDeliveryError: AccessDeniedException/);
  });

  it('names each call with the permission that describeAwsError names when AWS denies it', () => {
    const denied = Object.assign(new Error('Access Denied'), { name: 'AccessDenied' });
    for (const [call, permission] of Object.entries(PROTECTION_CALLS)) {
      assert.equal(describeAwsError(denied, call, 'x').permission, permission, call);
    }
    for (const c of CHECKS) {
      assert.ok(c.title && c.what && c.why, c.id);
      for (const call of c.reads) assert.ok(call in PROTECTION_CALLS, `${c.id} reads ${call as ProtectionCall}`);
    }
  });
});

describe('organization awareness, data events, Insights and the key policy (hand-written reader)', () => {
  const ORG_TRAIL: TrailSummary = { ...TRAIL, arn: 'arn:aws:cloudtrail:us-east-1:999988887777:trail/org', name: 'org', isOrganizationTrail: true, kmsKeyId: 'arn:aws:kms:us-east-1:999988887777:key/k' };

  it('recognises a CloudTrail delegated administrator, whose own IAM may change the trail', async () => {
    const reader = new FakeReader();
    reader.getDelegatedAdministrators = async () => ['111122223333'];
    reader.getKeyPolicy = async () => JSON.stringify({ Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*', Condition: { StringEquals: { 'aws:SourceArn': ORG_TRAIL.arn } } }] });
    const report = await checkTrailProtection({ trail: ORG_TRAIL, reader, now: NOW });
    assert.deepEqual(report.ownership, { kind: 'organization-delegated', owner: '999988887777', viewer: '111122223333' });
    assert.equal(check(report, 'access.trailTampering').result, 'info', 'a delegated administrator\'s principals are listed, not "not verifiable"');
    assert.equal(check(report, 'trail.kmsKeyPolicy').result, 'pass');
    const text = renderProtectionText([report]);
    assert.match(text, /\n {2}An organization trail of management account 999988887777, seen from account 111122223333, a CloudTrail delegated administrator: it may change the trail, which stays the management account's\.\n/);
    // Without ListDelegatedAdministrators (a plain member may not call it) the view is a member's.
    reader.getDelegatedAdministrators = async () => {
      throw new ProtectionCallError('ListDelegatedAdministrators', 'the organization', Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    };
    const member = await checkTrailProtection({ trail: ORG_TRAIL, reader, now: NOW });
    assert.equal(member.ownership.kind, 'organization-member');
    assert.equal(check(member, 'access.trailTampering').result, 'not-verifiable');
    assert.equal(check(member, 'access.trailTampering').account, '999988887777');
  });

  it('reads S3 data events by field: narrowed to one bucket or read-only warns, all buckets read and write passes', async () => {
    const reader = new FakeReader();
    const run = async () => check(await checkTrailProtection({ trail: TRAIL, reader, now: NOW }), 'trail.s3DataEvents');
    reader.getEventSelectors = async () => ({
      basic: [],
      advanced: [
        { name: 'mgmt', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] },
        { name: 'one bucket', fieldSelectors: [{ field: 'eventCategory', equals: ['Data'] }, { field: 'resources.type', equals: ['AWS::S3::Object'] }, { field: 'resources.ARN', startsWith: ['arn:aws:s3:::payroll/'] }] },
      ],
    });
    let c = await run();
    assert.equal(c.result, 'warn');
    assert.equal(c.evidence, 'advanced selector "one bucket": eventCategory = Data; resources.type = AWS::S3::Object; resources.ARN starts with arn:aws:s3:::payroll/ (narrowed: resources.ARN starts with arn:aws:s3:::payroll/) — S3 object reads and writes of all buckets are not recorded (CIS 3.8, 3.9).');
    reader.getEventSelectors = async () => ({ basic: [], advanced: [{ fieldSelectors: [{ field: 'eventCategory', equals: ['Data'] }, { field: 'resources.type', equals: ['AWS::S3::Object'] }, { field: 'readOnly', equals: ['true'] }] }] });
    c = await run();
    assert.equal(c.result, 'warn');
    assert.match(c.evidence, / — S3 object writes of all buckets are not recorded \(CIS 3\.8\)\.$/);
    reader.getEventSelectors = async () => ({ basic: [{ readWriteType: 'All', dataResources: [{ type: 'AWS::S3::Object', values: ['arn:aws:s3:::payroll/'] }] }], advanced: [] });
    c = await run();
    assert.equal(c.result, 'warn');
    assert.match(c.evidence, /\(narrowed: only arn:aws:s3:::payroll\/\)/);
    reader.getEventSelectors = async () => ({ basic: [], advanced: [{ fieldSelectors: [{ field: 'eventCategory', equals: ['Data'] }, { field: 'resources.type', equals: ['AWS::S3::Object'] }] }] });
    assert.equal((await run()).result, 'pass');
  });

  it("fails a bucket S3 itself judges public (GetBucketPolicyStatus), even when the statement has a condition this check does not weigh", async () => {
    const reader = new FakeReader();
    reader.getPublicAccessBlock = async () => ({ blockPublicAcls: false, ignorePublicAcls: false, blockPublicPolicy: false, restrictPublicBuckets: false });
    reader.getBucketPolicy = async () => JSON.stringify({ Statement: [...JSON.parse(POLICY).Statement, { Sid: 'Office', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::logs/*', Condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } } }] });
    const withoutVerdict = check(await checkTrailProtection({ trail: TRAIL, reader, now: NOW }), 'bucket.publicAccessBlock');
    assert.equal(withoutVerdict.result, 'warn', 'a conditioned statement alone is not called public here');
    reader.getBucketPolicyStatus = async () => true;
    const c = check(await checkTrailProtection({ trail: TRAIL, reader, now: NOW }), 'bucket.publicAccessBlock');
    assert.equal(c.result, 'fail');
    assert.equal(c.evidence, 'The bucket is public: S3 judges the bucket policy public (GetBucketPolicyStatus IsPublic true) (bucket: BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets off; account 111122223333: none configured).');
  });

  it('warns on Insights with one type only, and on a key policy scoped to an account instead of the trail; fails a key anyone may decrypt with', async () => {
    const reader = new FakeReader();
    reader.getInsightSelectors = async () => ['ApiCallRateInsight'];
    reader.getKeyPolicy = async () => JSON.stringify({ Statement: [{ Sid: 'CT', Effect: 'Allow', Principal: { Service: 'cloudtrail.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*', Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': 'arn:aws:cloudtrail:*:111122223333:trail/*' } } }] });
    let report = await checkTrailProtection({ trail: TRAIL, reader, now: NOW });
    assert.equal(check(report, 'trail.insights').evidence, 'Insights on for ApiCallRateInsight; ApiErrorRateInsight off.');
    assert.equal(check(report, 'trail.kmsKeyPolicy').result, 'warn');
    assert.match(check(report, 'trail.kmsKeyPolicy').evidence, /— admits every trail of account 111122223333, not only this one\.$/);
    reader.getKeyPolicy = async () => JSON.stringify({ Statement: [JSON.parse(KEY_POLICY).Statement[0], { Sid: 'Oops', Effect: 'Allow', Principal: '*', Action: 'kms:Decrypt', Resource: '*' }] });
    report = await checkTrailProtection({ trail: TRAIL, reader, now: NOW });
    assert.equal(check(report, 'trail.kmsKeyPolicy').result, 'fail');
    assert.equal(check(report, 'trail.kmsKeyPolicy').evidence, 'The key policy lets anyone decrypt: Oops: Allow * kms:Decrypt on *.');
    reader.getOwnershipControls = async () => 'ObjectWriter';
    reader.describeKey = async (keyId: string) => ({ arn: keyId, keyState: 'Enabled', keyManager: 'AWS' });
    report = await checkTrailProtection({ trail: TRAIL, reader, now: NOW });
    assert.equal(check(report, 'bucket.aclsDisabled').evidence, 'Object Ownership ObjectWriter: ACLs are in force, so a grant on the bucket or an object can open logs outside the bucket policy.');
    assert.match(check(report, 'trail.kmsKeyState').evidence, /is an AWS managed key/);
  });
});

describe('protection reports', () => {
  it('writes Markdown an auditor can read: overview, a table per trail, what could not be checked, details', async () => {
    const reader = new FakeReader();
    reader.getEventSelectors = async () => {
      throw new ProtectionCallError('GetEventSelectors', TRAIL.arn, Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    };
    reader.getLifecycleRules = async () => [{ id: 'short', status: 'Enabled', prefix: '', tags: [], transitions: [], expirationDays: 30 }];
    const report = await checkTrailProtection({ trail: TRAIL, reader, now: NOW, retentionDays: 400 });
    const md = renderProtectionReport([report]);
    assert.match(md, /^# CloudTrail trail protection\n\nChecked 2026-11-01T12:00:00.000Z by CloudTrail Lens with read-only calls\. 1 trail: 1 fail, 2 could not check, 2 warn, 2 info, 19 pass\./);
    assert.match(md, /\n\| main \| us-east-1 \| s3:\/\/logs\/ \(eu-west-1\) \| 1 \| 2 \| 0 \| 2 \| 2 \| 19 \|\n/);
    assert.match(md, /\n\| FAIL \| Lifecycle keeps logs for the retention \| rule "short" \(prefix ""\) expires logs after 30 days, sooner than the retention of 400 days\. \| Lengthen the expiration to at least 400 days, or narrow the rule so it does not match AWSLogs\/\. \| Security Hub S3\.13 · Config s3-lifecycle-policy-check \|\n/);
    // Pipes and asterisks of the policy do not break the table or turn into emphasis.
    assert.match(md, /\| PASS \| Bucket policy denies deletes \| Keep\\\|Logs: Deny \\\* s3:Delete\\\* on arn:aws:s3:::logs\/\\\* — deletes denied to everyone\. \| {2}\| {2}\|\n/);
    assert.match(md, /\n- Ownership: A trail of account 111122223333, the account these checks run as\.\n/);
    assert.match(md, /### Could not check\n\n- \*\*Management events, read and write\*\*: needs `cloudtrail:GetEventSelectors`\. GetEventSelectors on arn:aws:cloudtrail:us-east-1:111122223333:trail\/main was denied/);
    assert.match(md, /### Details\n\n- \*\*Lifecycle keeps logs for the retention\*\*\n {2}- rule "short" \(prefix ""\) Enabled: Expiration 30 days\n/);
    assert.equal(renderProtectionReport([]), '# CloudTrail trail protection\n\nNo trail was checked.\n');
  });

  it('writes one line per check for a terminal, with the remedy where there is something to do', async () => {
    const reader = new FakeReader();
    reader.getBucketVersioning = async () => ({ status: 'Suspended' });
    const text = renderProtectionText([await checkTrailProtection({ trail: TRAIL, reader, now: NOW })]);
    const lines = text.split('\n');
    assert.equal(lines[0], 'Trail main (arn:aws:cloudtrail:us-east-1:111122223333:trail/main), home region us-east-1, bucket s3://logs/ (eu-west-1)');
    assert.equal(lines.length, 1 + 26 + 1 + 1, 'heading, a line per check, the result, and the final newline');
    assert.ok(lines.includes('  PASS    Logging on: IsLogging true.'));
    assert.ok(lines.includes('  FAIL    Versioning on: Versioning Status Suspended: new deletes and overwrites destroy log files for good. Remedy: Turn on versioning (aws s3api put-bucket-versioning --bucket logs --versioning-configuration Status=Enabled).'));
    assert.ok(lines.includes('  Result: 1 fail, 3 warn, 2 info, 20 pass'));
  });
});

describe('the README', () => {
  it('lists every protection check with what it reads, why it matters and its equivalents, as the catalogue says', async () => {
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    assert.ok(readme.includes(catalogueTable()), 'README.md holds an old table of the protection checks: paste the output of catalogueTable()');
    for (const permission of checkPermissions()) assert.ok(readme.includes(`"${permission}"`), `the README's IAM policy lacks ${permission}`);
  });
});
