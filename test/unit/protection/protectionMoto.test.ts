// The protection checks against moto_server: a trail set up well and one set up badly, each
// check's result, evidence and remedy asserted; denied calls show as "could not check".
import * as assert from 'node:assert/strict';
import { CreateBucketCommand, DeleteBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DeletePublicAccessBlockCommand, PutPublicAccessBlockCommand, S3ControlClient } from '@aws-sdk/client-s3-control';
import { CloudTrailClient, CreateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { DisableKeyCommand, KMSClient, ScheduleKeyDeletionCommand } from '@aws-sdk/client-kms';
import { CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { createCloudTrailClient } from '../../../src/core/aws/clients';
import { SdkTrailApi, type TrailSummary } from '../../../src/core/aws/trailApi';
import { checkTrailProtection, renderProtectionReport, SdkProtectionReader, type CheckId, type ProtectionCheck, type ProtectionReport } from '../../../src/core/protection';
import { startAwsFront, type AwsFront } from '../../fixtures/awsFront';
import { startCloudTrailFront, type CloudTrailFront } from '../../fixtures/cloudTrailFront';
import { startMoto, type MotoServer } from '../../fixtures/moto';
import { ACCOUNT, BAD, createKey, credentials, GOOD, keyPolicy, LOG_ADMIN_ROLE, REGION, setUpAccounts } from '../../fixtures/protectionAccounts';

const SEVEN_YEARS = 2557;

function byId(report: ProtectionReport): (id: CheckId) => ProtectionCheck {
  return (id) => {
    const check = report.checks.find((c) => c.id === id);
    assert.ok(check, `no check ${id}`);
    return check;
  };
}

describe('trail protection checks (moto)', function () {
  this.timeout(60_000);
  let moto: MotoServer;
  let s3Front: AwsFront;
  let goodStatus: CloudTrailFront;
  let badStatus: CloudTrailFront;
  let now: Date;
  let KMS_KEY: string;
  const trails = new Map<string, TrailSummary>();
  const closers: (() => unknown)[] = [];

  before(async () => {
    moto = await startMoto({ accountId: ACCOUNT });
    KMS_KEY = (await setUpAccounts(moto.endpoint)).kmsKey;
    now = new Date();
    // moto's GetTrailStatus has no digest fields and never a delivery error: the fronts add what
    // CloudTrail would say (a digest 20 minutes ago; the bad bucket has no policy, so AccessDenied).
    goodStatus = await startCloudTrailFront({ upstream: moto.endpoint, statusExtra: { LatestDigestDeliveryTime: Math.floor(now.getTime() / 1000) - 20 * 60 } });
    badStatus = await startCloudTrailFront({ upstream: moto.endpoint, statusExtra: { LatestDeliveryError: 'AccessDenied' } });
    s3Front = await startAwsFront({ upstream: moto.endpoint, mfaDeleteBuckets: [GOOD.bucket] });
    const client = createCloudTrailClient({ endpoints: { cloudtrail: moto.endpoint }, credentials }, REGION);
    for (const t of await new SdkTrailApi(client, REGION).describeTrails()) trails.set(t.name, t);
    client.destroy();
  });

  after(async () => {
    for (const close of closers) await close();
    await goodStatus?.close();
    await badStatus?.close();
    await s3Front?.close();
    await moto?.stop();
  });

  function reader(cloudtrail: string, s3: string = s3Front.url): SdkProtectionReader {
    const r = new SdkProtectionReader({ endpoints: { s3, cloudtrail }, credentials, maxAttempts: 1 });
    closers.push(() => r.destroy());
    return r;
  }

  async function check(trailName: string, cloudtrail: string, s3?: string): Promise<{ report: ProtectionReport; c: (id: CheckId) => ProtectionCheck }> {
    const trail = trails.get(trailName);
    assert.ok(trail, `moto does not list ${trailName}`);
    const report = await checkTrailProtection({ trail, reader: reader(cloudtrail, s3), retentionDays: SEVEN_YEARS, now });
    return { report, c: byId(report) };
  }

  it('passes every check of a trail set up as AWS recommends, and lists who may touch it', async () => {
    const { report, c } = await check(GOOD.trail, goodStatus.url);
    assert.equal(report.bucketRegion, 'us-east-1');
    assert.equal(report.retentionDays, SEVEN_YEARS);
    assert.match(c('trail.logging').evidence, /^IsLogging true since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\.$/);
    assert.equal(c('trail.multiRegion').evidence, 'IsMultiRegionTrail true (home region us-east-1).');
    assert.equal(c('trail.logFileValidation').evidence, 'LogFileValidationEnabled true.');
    assert.match(c('trail.digestDelivery').evidence, /^Latest digest delivered \S+ \(20 min ago\)\.$/);
    assert.match(c('trail.logDelivery').evidence, /^Latest log file delivered \S+ \(\d+ min ago\)\.$/);
    assert.equal(c('trail.managementEvents').evidence, 'EventSelectors[0]: IncludeManagementEvents true, ReadWriteType All.');
    assert.equal(c('trail.s3DataEvents').evidence, 'EventSelectors[0]: DataResources AWS::S3::Object arn:aws:s3, ReadWriteType All.');
    assert.equal(c('trail.kmsEncryption').evidence, `KmsKeyId ${KMS_KEY}.`);
    assert.equal(c('trail.kmsKeyState').evidence, 'KeyState Enabled, automatic rotation on.');
    assert.match(c('trail.kmsKeyPolicy').evidence, new RegExp(`^AllowCloudTrailEncrypt: Allow Service:cloudtrail.amazonaws.com kms:GenerateDataKey\\* on \\* if StringEquals aws:SourceArn ${GOOD.arn.replace(/[/]/g, '\\/')} and StringLike`));
    assert.equal(c('trail.insights').evidence, 'Insights on for ApiCallRateInsight, ApiErrorRateInsight.');
    assert.equal(c('bucket.aclsDisabled').evidence, 'Object Ownership BucketOwnerEnforced: ACLs are disabled.');
    assert.deepEqual(report.ownership, { kind: 'own', owner: ACCOUNT, viewer: ACCOUNT });
    assert.equal(c('trail.snsNotification').evidence, `SnsTopicARN arn:aws:sns:${REGION}:${ACCOUNT}:cloudtrail-deliveries.`);
    assert.equal(c('trail.cloudWatchLogs').evidence, `CloudWatchLogsLogGroupArn arn:aws:logs:${REGION}:${ACCOUNT}:log-group:cloudtrail:*.`);
    assert.equal(c('bucket.publicAccessBlock').evidence, `bucket: all four on; account ${ACCOUNT}: none configured.`);
    assert.equal(
      c('bucket.policyCloudTrailWrite').evidence,
      `AWSCloudTrailWrite: Allow Service:cloudtrail.amazonaws.com s3:PutObject on arn:aws:s3:::${GOOD.bucket}/${GOOD.prefix}/AWSLogs/${ACCOUNT}/* if StringEquals s3:x-amz-acl bucket-owner-full-control and StringEquals aws:SourceArn ${GOOD.arn} (account ${ACCOUNT}).`,
    );
    assert.equal(
      c('bucket.policyDeleteProtection').evidence,
      `DenyLogDeletion: Deny * [s3:DeleteObject, s3:DeleteObjectVersion] on arn:aws:s3:::${GOOD.bucket}/* if ArnNotLike aws:PrincipalArn ${LOG_ADMIN_ROLE} — deletes denied to everyone except ${LOG_ADMIN_ROLE}.`,
    );
    assert.equal(c('bucket.versioning').evidence, 'Versioning Status Enabled.');
    assert.equal(c('bucket.mfaDelete').evidence, 'MFADelete Enabled.');
    assert.equal(c('bucket.objectLock').evidence, 'Object Lock enabled, default retention COMPLIANCE 7 years.');
    assert.equal(
      c('bucket.lifecycleRetention').evidence,
      'rule "archive-then-expire" (prefix "audit/AWSLogs/"): Expiration 2600 days, NoncurrentVersionExpiration 2600 days, Transition to GLACIER after 90 days — keeps logs at least the retention of 2557 days.',
    );
    assert.ok(c('bucket.lifecycleRetention').details?.includes('rule "scratch-cleanup" (prefix "tmp/") Enabled: Expiration 1 day — does not apply: prefix does not cover audit/AWSLogs/'));
    assert.equal(c('bucket.defaultEncryption').evidence, `Default encryption aws:kms with key ${KMS_KEY}, bucket key on.`);
    for (const check of report.checks.filter((x) => x.scope !== 'access')) {
      assert.equal(check.result, 'pass', `${check.id}: ${check.result} ${check.evidence}`);
      assert.equal(check.remedy, undefined, `${check.id} has a remedy although it passed`);
    }
    assert.equal(c('access.trailTampering').result, 'info');
    assert.equal(c('access.trailTampering').evidence, '1 principal may stop, delete or change the trail (StopLogging, DeleteTrail, UpdateTrail): user/mallory.');
    assert.equal(c('access.trailTampering').details?.[0], 'user/mallory: cloudtrail:StopLogging (via TrailOperator)');
    assert.equal(c('access.logDeletion').evidence, '1 principal may delete log files (s3:DeleteObject, s3:DeleteObjectVersion): role/LogAdmin.');
    assert.equal(c('access.logDeletion').details?.[0], 'role/LogAdmin: s3:DeleteObject, s3:DeleteObjectVersion (via inline manage-log-bucket)');
    assert.deepEqual(report.summary, { fail: 0, unknown: 0, 'not-verifiable': 0, warn: 0, info: 2, pass: 24 });
  });

  it('fails or warns on each weakness of a badly set up trail, with the remedy', async () => {
    const { report, c } = await check(BAD.trail, badStatus.url);
    assert.equal(report.bucketRegion, BAD.bucketRegion);
    const expected: [CheckId, string, RegExp][] = [
      ['trail.logging', 'fail', /^IsLogging false; logging stopped at \S+Z\.$/],
      ['trail.multiRegion', 'warn', /^IsMultiRegionTrail false: the trail records us-east-1 only\.$/],
      ['trail.logFileValidation', 'fail', /^LogFileValidationEnabled false: no digest files/],
      ['trail.digestDelivery', 'info', /^Does not apply: log file validation is off/],
      ['trail.logDelivery', 'fail', /^LatestDeliveryError: AccessDenied\.$/],
      ['trail.managementEvents', 'warn', /^advanced selector "Management writes": eventCategory = Management; readOnly = false — read management events are not recorded\.$/],
      ['trail.s3DataEvents', 'warn', /^No event selector records S3 object-level data events — S3 object reads and writes of all buckets are not recorded \(CIS 3\.8, 3\.9\)\.$/],
      ['trail.kmsEncryption', 'warn', /^No KmsKeyId/],
      ['trail.kmsKeyState', 'info', /^Does not apply: the trail has no KMS key/],
      ['trail.kmsKeyPolicy', 'info', /^Does not apply: the trail has no KMS key/],
      ['trail.snsNotification', 'warn', /^No SNS topic/],
      ['trail.cloudWatchLogs', 'warn', /^No CloudWatch Logs log group/],
      ['trail.insights', 'warn', /^No Insights selectors: unusual rates of API calls or errors are not flagged\.$/],
      ['bucket.publicAccessBlock', 'fail', new RegExp(`^The bucket is public: ACL grants READ to AllUsers \\(bucket: none configured; account ${ACCOUNT}: none configured\\)\\.$`)],
      ['bucket.aclsDisabled', 'warn', /^No Object Ownership setting: ACLs are in force/],
      ['bucket.policyCloudTrailWrite', 'fail', /^The bucket has no bucket policy, so CloudTrail may not write to it\.$/],
      ['bucket.policyDeleteProtection', 'warn', /^The bucket has no bucket policy, so nothing there denies deletes/],
      ['bucket.versioning', 'fail', /^Versioning was never enabled/],
      ['bucket.mfaDelete', 'warn', /^MFADelete not configured/],
      ['bucket.objectLock', 'warn', /^Object Lock is not enabled/],
      ['bucket.lifecycleRetention', 'fail', /^rule "expire-after-30-days" \(prefix ""\) expires logs after 30 days, sooner than the retention of 2557 days\.$/],
      ['bucket.defaultEncryption', 'warn', /^No default encryption rule/],
      ['bucket.accessLogging', 'warn', /^Server access logging is off: reads of the log files leave no record outside CloudTrail data events\.$/],
      ['bucket.policyTlsOnly', 'warn', /^The bucket has no bucket policy, so nothing denies requests made without TLS\.$/],
      ['access.trailTampering', 'info', /^1 principal may stop, delete or change the trail \(StopLogging, DeleteTrail, UpdateTrail\): user\/mallory\.$/],
      ['access.logDeletion', 'info', /^1 principal may delete log files \(s3:DeleteObject, s3:DeleteObjectVersion\): user\/mallory\.$/],
    ];
    assert.deepEqual(report.checks.map((x) => x.id), expected.map(([id]) => id));
    for (const [id, result, evidence] of expected) {
      assert.equal(c(id).result, result, `${id}: ${c(id).evidence}`);
      assert.match(c(id).evidence, evidence, id);
      if (result === 'fail' || result === 'warn') assert.ok(c(id).remedy && c(id).remedy!.length > 20, `${id} has no remedy`);
    }
    assert.match(c('trail.logFileValidation').remedy ?? '', /--enable-log-file-validation/);
    assert.match(c('bucket.lifecycleRetention').remedy ?? '', /at least 2557 days/);
    assert.match(c('bucket.policyTlsOnly').remedy ?? '', /"aws:SecureTransport":"false"/);
    assert.deepEqual(report.summary, { fail: 7, unknown: 0, 'not-verifiable': 0, warn: 14, info: 5, pass: 0 });
  });

  it('shows a denied CloudTrail call as "could not check" with the permission, never as passing', async () => {
    const front = await startCloudTrailFront({ upstream: moto.endpoint, deny: ['GetEventSelectors', 'GetTrailStatus'] });
    closers.push(() => front.close());
    const { c } = await check(GOOD.trail, front.url);
    const selectors = c('trail.managementEvents');
    assert.equal(selectors.result, 'unknown');
    assert.equal(selectors.permission, 'cloudtrail:GetEventSelectors');
    assert.equal(selectors.evidence, 'Could not read the event selectors: GetEventSelectors was denied (needs cloudtrail:GetEventSelectors).');
    assert.match(selectors.message ?? '', /GetEventSelectors on arn:aws:cloudtrail:us-east-1:111122223333:trail\/good-trail was denied/);
    assert.match(selectors.remedy ?? '', /^Grant cloudtrail:GetEventSelectors/);
    for (const id of ['trail.logging', 'trail.digestDelivery', 'trail.logDelivery'] as const) {
      assert.equal(c(id).result, 'unknown', id);
      assert.equal(c(id).permission, 'cloudtrail:GetTrailStatus', id);
    }
    // What could be read still counts.
    assert.equal(c('trail.logFileValidation').result, 'pass');
    assert.equal(c('bucket.versioning').result, 'pass');
  });

  it('shows denied S3 and IAM calls as "could not check" with the permission', async () => {
    const front = await startAwsFront({ upstream: moto.endpoint, deny: [`GetBucketPolicy@${GOOD.bucket}`, 'GetBucketVersioning', 'GetAccountAuthorizationDetails'], mfaDeleteBuckets: [GOOD.bucket] });
    closers.push(() => front.close());
    const { report, c } = await check(GOOD.trail, goodStatus.url, front.url);
    for (const id of ['bucket.policyCloudTrailWrite', 'bucket.policyDeleteProtection', 'bucket.policyTlsOnly'] as const) {
      assert.equal(c(id).result, 'unknown', id);
      assert.equal(c(id).permission, 's3:GetBucketPolicy');
      assert.equal(c(id).evidence, 'Could not read the bucket policy: GetBucketPolicy was denied (needs s3:GetBucketPolicy).');
    }
    for (const id of ['bucket.versioning', 'bucket.mfaDelete'] as const) {
      assert.equal(c(id).result, 'unknown', id);
      assert.equal(c(id).permission, 's3:GetBucketVersioning');
    }
    // The flags alone block public access, so the unreadable policy does not matter there.
    assert.equal(c('bucket.publicAccessBlock').result, 'pass');
    for (const id of ['access.trailTampering', 'access.logDeletion'] as const) {
      assert.equal(c(id).result, 'info', id);
      assert.equal(c(id).permission, 'iam:GetAccountAuthorizationDetails');
    }
    assert.equal(c('access.trailTampering').evidence, 'Could not read IAM to list who can stop, delete or change the trail: GetAccountAuthorizationDetails was denied (needs iam:GetAccountAuthorizationDetails).');
    assert.equal(report.summary.unknown, 5);
  });

  it('cannot call a bucket closed when its public access block is unreadable', async () => {
    const front = await startAwsFront({ upstream: moto.endpoint, deny: [`GetPublicAccessBlock@${BAD.bucket}`, `GetBucketAcl@${BAD.bucket}`] });
    closers.push(() => front.close());
    const { c } = await check(BAD.trail, badStatus.url, front.url);
    const pab = c('bucket.publicAccessBlock');
    assert.equal(pab.result, 'unknown');
    assert.equal(pab.permission, 's3:GetBucketPublicAccessBlock');
    assert.equal(pab.evidence, `Could not read the bucket's public access block: GetPublicAccessBlock was denied (needs s3:GetBucketPublicAccessBlock). (account ${ACCOUNT}: none configured)`);
  });

  it("counts the account's public access block for a bucket of the caller's account", async () => {
    const control = new S3ControlClient({ region: REGION, credentials, endpointProvider: () => ({ url: new URL(moto.endpoint) }) });
    try {
      await control.send(new PutPublicAccessBlockCommand({ AccountId: ACCOUNT, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true } }));
      const { c } = await check(BAD.trail, badStatus.url);
      assert.equal(c('bucket.publicAccessBlock').result, 'pass');
      assert.equal(c('bucket.publicAccessBlock').evidence, `bucket: none configured; account ${ACCOUNT}: all four on.`);
      // Without ListAllMyBuckets nobody can tell the bucket is the account's: the public ACL fails it.
      const front = await startAwsFront({ upstream: moto.endpoint, deny: ['ListBuckets'] });
      closers.push(() => front.close());
      const denied = await check(BAD.trail, badStatus.url, front.url);
      assert.equal(denied.c('bucket.publicAccessBlock').result, 'fail');
      assert.match(denied.c('bucket.publicAccessBlock').evidence, /account flags not readable \(s3:ListAllMyBuckets\)/);
    } finally {
      await control.send(new DeletePublicAccessBlockCommand({ AccountId: ACCOUNT }));
      control.destroy();
    }
  });

  it('reads a shared bucket and the account\'s IAM once when one reader checks several trails', async () => {
    const front = await startAwsFront({ upstream: moto.endpoint, mfaDeleteBuckets: [GOOD.bucket] });
    closers.push(() => front.close());
    const shared = reader(goodStatus.url, front.url);
    const good = trails.get(GOOD.trail);
    assert.ok(good);
    // The same trail seen twice stands for two trails delivering to one bucket.
    const reports = await Promise.all([good, { ...good, arn: `${good.arn}-copy` }].map((trail) => checkTrailProtection({ trail, reader: shared, now })));
    assert.equal(reports[0].checks.find((x) => x.id === 'bucket.versioning')?.result, 'pass');
    assert.equal(front.calls.filter((c) => c === `GetBucketPolicy@${GOOD.bucket}`).length, 1);
    assert.equal(front.calls.filter((c) => c === 'GetAccountAuthorizationDetails').length, 1);
  });

  it('fails every bucket check of a trail whose bucket was deleted', async () => {
    const s3 = new S3Client({ region: REGION, endpoint: moto.endpoint, forcePathStyle: true, credentials });
    const ct = new CloudTrailClient({ region: REGION, endpoint: moto.endpoint, credentials });
    try {
      await s3.send(new CreateBucketCommand({ Bucket: 'orphaned-logs' }));
      const created = await ct.send(new CreateTrailCommand({ Name: 'orphaned-trail', S3BucketName: 'orphaned-logs', IsMultiRegionTrail: true, EnableLogFileValidation: true }));
      await s3.send(new DeleteBucketCommand({ Bucket: 'orphaned-logs' }));
      const trail = (await new SdkTrailApi(ct, REGION).describeTrails()).find((t) => t.arn === created.TrailARN);
      assert.ok(trail);
      const report = await checkTrailProtection({ trail, reader: reader(goodStatus.url), now });
      const bucketChecks = report.checks.filter((x) => x.scope === 'bucket');
      assert.equal(bucketChecks.length, 11);
      for (const x of bucketChecks) {
        assert.equal(x.result, 'fail', x.id);
        assert.equal(x.evidence, 's3://orphaned-logs does not exist: CloudTrail cannot deliver, and whoever creates a bucket with that name receives the logs.');
      }
      assert.equal(report.bucketRegion, undefined);
    } finally {
      s3.destroy();
      ct.destroy();
    }
  });
  it('judges the trail\'s KMS key: scheduled for deletion or disabled fails, rotation off and a policy open to every trail warn', async () => {
    const good = trails.get(GOOD.trail);
    assert.ok(good);
    const kms = new KMSClient({ region: REGION, endpoint: moto.endpoint, credentials });
    try {
      const pending = await createKey(moto.endpoint, keyPolicy(GOOD.arn), true);
      // moto looks keys up by id here, not by ARN.
      await kms.send(new ScheduleKeyDeletionCommand({ KeyId: pending.split('/').pop(), PendingWindowInDays: 7 }));
      const disabled = await createKey(moto.endpoint, keyPolicy(GOOD.arn), true);
      await kms.send(new DisableKeyCommand({ KeyId: disabled.split('/').pop() }));
      const unrotated = await createKey(moto.endpoint, keyPolicy(GOOD.arn, false), false);
      const otherTrail = await createKey(moto.endpoint, keyPolicy(`arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/someone-else`), true);
      const noCloudTrail = await createKey(moto.endpoint, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] }, true);
      const run = async (key: string) => byId(await checkTrailProtection({ trail: { ...good, kmsKeyId: key }, reader: reader(goodStatus.url), now }));

      const p = await run(pending);
      assert.equal(p('trail.kmsKeyState').result, 'fail');
      assert.match(p('trail.kmsKeyState').evidence, new RegExp(`^KeyState PendingDeletion: ${pending.replace(/[/]/g, '\\/')} is scheduled for deletion on \\d{4}-\\d\\d-\\d\\dT\\S+Z; CloudTrail cannot encrypt with it`));
      assert.match(p('trail.kmsKeyState').remedy ?? '', /aws kms cancel-key-deletion --key-id arn:aws:kms:/);

      const d = await run(disabled);
      assert.equal(d('trail.kmsKeyState').result, 'fail');
      assert.equal(d('trail.kmsKeyState').evidence, `KeyState Disabled: CloudTrail cannot encrypt with ${disabled}, so log files are not delivered.`);

      const u = await run(unrotated);
      assert.equal(u('trail.kmsKeyState').result, 'warn');
      assert.equal(u('trail.kmsKeyState').evidence, 'KeyState Enabled, automatic rotation off.');
      assert.equal(u('trail.kmsKeyPolicy').result, 'warn');
      assert.match(u('trail.kmsKeyPolicy').evidence, /— has no aws:SourceArn, aws:SourceAccount or encryption context condition, so a trail of any account may encrypt with this key\.$/);
      assert.match(u('trail.kmsKeyPolicy').remedy ?? '', /"aws:SourceArn":"arn:aws:cloudtrail:us-east-1:111122223333:trail\/good-trail"/);

      const o = await run(otherTrail);
      assert.equal(o('trail.kmsKeyPolicy').result, 'fail');
      assert.match(o('trail.kmsKeyPolicy').evidence, /^The key policy's CloudTrail statements do not admit this trail: AllowCloudTrailEncrypt: /);

      const n = await run(noCloudTrail);
      assert.equal(n('trail.kmsKeyPolicy').result, 'fail');
      assert.equal(n('trail.kmsKeyPolicy').evidence, 'No key policy statement lets cloudtrail.amazonaws.com call kms:GenerateDataKey*: CloudTrail cannot encrypt log files, so none are delivered.');

      // A denied key policy read is "could not check", never a pass.
      const front = await startAwsFront({ upstream: moto.endpoint, deny: ['GetKeyPolicy'], mfaDeleteBuckets: [GOOD.bucket] });
      closers.push(() => front.close());
      const denied = byId(await checkTrailProtection({ trail: good, reader: reader(goodStatus.url, front.url), now }));
      assert.equal(denied('trail.kmsKeyPolicy').result, 'unknown');
      assert.equal(denied('trail.kmsKeyPolicy').permission, 'kms:GetKeyPolicy');
      assert.equal(denied('trail.kmsKeyState').result, 'pass');
    } finally {
      kms.destroy();
    }
  });

  it('seen from a member account, an organization trail\'s bucket, key and IAM are "not verifiable", never failed', async () => {
    const MEMBER = '444455556666';
    const org = new OrganizationsClient({ region: REGION, endpoint: moto.endpoint, credentials });
    const ct = new CloudTrailClient({ region: REGION, endpoint: moto.endpoint, credentials });
    // The member account is a moto of its own (MOTO_ACCOUNT_ID makes one moto answer as one account):
    // it owns nothing of the management account's, and the fronts answer AccessDenied as AWS does
    // when the bucket's and the key's owner do not admit the member.
    const memberMoto = await startMoto({ accountId: MEMBER });
    closers.push(() => memberMoto.stop());
    try {
      await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
      const created = await ct.send(new CreateTrailCommand({ Name: 'org-trail', S3BucketName: GOOD.bucket, S3KeyPrefix: GOOD.prefix, IsMultiRegionTrail: true, IsOrganizationTrail: true, EnableLogFileValidation: true, KmsKeyId: KMS_KEY }));
      const orgTrail = (await new SdkTrailApi(ct, REGION).describeTrails()).find((t) => t.arn === created.TrailARN);
      assert.ok(orgTrail?.isOrganizationTrail);
      const s3 = await startAwsFront({ upstream: memberMoto.endpoint, deny: [`*@${GOOD.bucket}`, 'DescribeKey', 'GetKeyRotationStatus', 'GetKeyPolicy'] });
      const cloudtrail = await startCloudTrailFront({ upstream: memberMoto.endpoint, deny: ['GetEventSelectors', 'GetTrailStatus', 'GetInsightSelectors'] });
      closers.push(() => s3.close(), () => cloudtrail.close());
      const member = new SdkProtectionReader({ endpoints: { s3: s3.url, cloudtrail: cloudtrail.url }, credentials, maxAttempts: 1 });
      closers.push(() => member.destroy());
      const report = await checkTrailProtection({ trail: { ...orgTrail, shadowRegions: ['eu-west-1'] }, reader: member, now });
      const c = byId(report);

      assert.deepEqual(report.ownership, { kind: 'organization-member', owner: ACCOUNT, viewer: MEMBER, shadowRegions: ['eu-west-1'] });
      assert.equal(c('trail.logFileValidation').result, 'pass', 'what DescribeTrails shows is still judged');
      for (const x of report.checks.filter((x) => x.scope === 'bucket')) {
        assert.equal(x.result, 'not-verifiable', `${x.id}: ${x.evidence}`);
        assert.equal(x.evidence, `s3://${GOOD.bucket} is not in account ${MEMBER}, the account these checks run as, and its settings may not be read from here: not verifiable from this account.`);
      }
      for (const id of ['trail.kmsKeyState', 'trail.kmsKeyPolicy'] as const) {
        assert.equal(c(id).result, 'not-verifiable', id);
        assert.equal(c(id).account, ACCOUNT);
        assert.equal(c(id).evidence, `The KMS key ${KMS_KEY} is in account ${ACCOUNT}; these checks run as account ${MEMBER}, which may not read it: not verifiable from this account.`);
      }
      for (const id of ['trail.logging', 'trail.managementEvents', 'trail.insights'] as const) {
        assert.equal(c(id).result, 'not-verifiable', id);
        assert.equal(c(id).account, ACCOUNT);
      }
      assert.equal(c('access.trailTampering').result, 'not-verifiable');
      assert.match(c('access.trailTampering').evidence, new RegExp(`^An organization trail of management account ${ACCOUNT}, seen from member account ${MEMBER}: members may read it but not change it.* It also appears as a shadow trail in 1 other region \\(eu-west-1\\); it is checked once, in its home region\\. Who may stop, delete or change it is decided by IAM in account ${ACCOUNT} and in any CloudTrail delegated administrator account`));
      assert.equal(report.summary.fail, 0, report.checks.filter((x) => x.result === 'fail').map((x) => `${x.id}: ${x.evidence}`).join('\n'));
      const md = renderProtectionReport([report]);
      assert.match(md, /\n### Not verifiable from this account\n/);
      assert.match(md, new RegExp(`\\n- Ownership: An organization trail of management account ${ACCOUNT}, seen from member account ${MEMBER}`));
    } finally {
      org.destroy();
      ct.destroy();
    }
  });
});
