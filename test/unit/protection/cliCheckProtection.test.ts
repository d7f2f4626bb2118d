// `cloudtrail-lens check-protection` against moto: output grouped by trail, --json, exit codes.
import * as assert from 'node:assert/strict';
import { checkProtectionCommand } from '../../../src/core/cli/checkProtection';
import { main } from '../../../src/core/cli/main';
import type { ProtectionReport } from '../../../src/core/protection';
import { startAwsFront, type AwsFront } from '../../fixtures/awsFront';
import { startCloudTrailFront, type CloudTrailFront } from '../../fixtures/cloudTrailFront';
import { startMoto, type MotoServer } from '../../fixtures/moto';
import { ACCOUNT, BAD, credentials, GOOD, setUpAccounts } from '../../fixtures/protectionAccounts';

interface Run {
  code: number;
  out: string;
  err: string;
}

describe('cloudtrail-lens check-protection (moto)', function () {
  this.timeout(60_000);
  let moto: MotoServer;
  let s3Front: AwsFront;
  let cloudtrail: CloudTrailFront;
  let deniedTrails: CloudTrailFront;
  let beforeAnyTrail: Run;

  async function run(args: string[], cloudtrailUrl = cloudtrail.url): Promise<Run> {
    let out = '';
    let err = '';
    const code = await checkProtectionCommand(args, { out: (t) => (out += t), err: (t) => (err += t) }, { context: { endpoints: { s3: s3Front.url, cloudtrail: cloudtrailUrl }, credentials, maxAttempts: 1 } });
    return { code, out, err };
  }

  before(async () => {
    moto = await startMoto({ accountId: ACCOUNT });
    s3Front = await startAwsFront({ upstream: moto.endpoint, mfaDeleteBuckets: [GOOD.bucket] });
    cloudtrail = await startCloudTrailFront({ upstream: moto.endpoint, statusExtra: { LatestDigestDeliveryTime: Math.floor(Date.now() / 1000) - 600 } });
    deniedTrails = await startCloudTrailFront({ upstream: moto.endpoint, deny: ['DescribeTrails'] });
    beforeAnyTrail = await run(['--region', 'us-east-1']);
    await setUpAccounts(moto.endpoint);
  });

  after(async () => {
    await cloudtrail?.close();
    await deniedTrails?.close();
    await s3Front?.close();
    await moto?.stop();
  });

  it('checks every trail of the region, one line per check grouped by trail, and exits 1 when a check fails', async () => {
    const { code, out, err } = await run(['--region', 'us-east-1', '--retention-days', '2557']);
    assert.equal(err, '');
    assert.equal(code, 1);
    const sections = out.split('\n\n');
    assert.match(sections[0], new RegExp(`^Trail bad-trail \\(${BAD.arn}\\), home region us-east-1, bucket s3://bad-trail-logs/ \\(eu-west-1\\)\\n`));
    assert.match(sections[1], new RegExp(`^Trail good-trail \\(${GOOD.arn}\\), home region us-east-1, bucket s3://good-trail-logs/audit/ \\(us-east-1\\)\\n`));
    assert.equal(sections[0].split('\n').length, 28, 'heading, 26 checks, result');
    assert.match(sections[0], /\n {2}FAIL {4}Log file validation on: LogFileValidationEnabled false: no digest files, so changed or deleted logs cannot be detected\. Remedy: Turn on log file validation \(aws cloudtrail update-trail --name \S+ --region us-east-1 --enable-log-file-validation\)\.\n/);
    assert.match(sections[0], /\n {2}FAIL {4}Lifecycle keeps logs for the retention: rule "expire-after-30-days" \(prefix ""\) expires logs after 30 days, sooner than the retention of 2557 days\. Remedy: /);
    assert.match(sections[0], /\n {2}INFO {4}Who can delete logs: 1 principal may delete log files \(s3:DeleteObject, s3:DeleteObjectVersion\): user\/mallory\. Remedy: /);
    assert.match(sections[1], /\n {2}PASS {4}Bucket policy denies deletes: DenyLogDeletion: Deny \* /);
    assert.match(sections[1], /\n {2}Result: 2 info, 24 pass$/);
    assert.match(sections[0], /\n {2}WARN {4}Logs arriving: Logging is off, so no logs arrive \(latest log file delivered \S+, \d+ min ago\)\. Remedy: Start logging again \(see "Logging on"\)\.\n/);
    assert.match(out, /\nAll trails: 6 fail, 15 warn, 7 info, 24 pass\n$/);
  });

  it('checks one trail with --trail-arn and prints the reports as JSON; exits 0 when nothing fails', async () => {
    const { code, out, err } = await run(['--trail-arn', GOOD.arn, '--json', '--retention-days', '2557']);
    assert.equal(err, '');
    assert.equal(code, 0);
    const parsed = JSON.parse(out) as { reports: ProtectionReport[]; errors: string[] };
    assert.deepEqual(parsed.errors, []);
    assert.equal(parsed.reports.length, 1);
    const [report] = parsed.reports;
    assert.equal(report.trail.arn, GOOD.arn);
    assert.equal(report.retentionDays, 2557);
    assert.deepEqual(report.summary, { fail: 0, unknown: 0, 'not-verifiable': 0, warn: 0, info: 2, pass: 24 });
    assert.equal(report.ownership.kind, 'own');
    assert.equal(report.checks.find((c) => c.id === 'bucket.objectLock')?.evidence, 'Object Lock enabled, default retention COMPLIANCE 7 years.');
  });

  it('with --cis also checks the CIS monitoring controls, one line each, and exits 1 when one fails', async () => {
    const { code, out, err } = await run(['--trail-arn', GOOD.arn, '--cis', '--retention-days', '2557']);
    assert.equal(err, '');
    assert.equal(code, 1, 'the protection checks pass, the monitoring controls do not');
    // The CIS controls the protection checks stand for, each with the worst result of its checks.
    const covered = out.slice(out.indexOf('CIS AWS Foundations Benchmark (v3.0.0 numbering)'), out.indexOf('CIS monitoring controls of'));
    assert.match(covered, /\nTrail good-trail:\n {2}CIS 2\.1\.1 {4}PASS {12}Bucket policy denies requests without TLS \(PASS\)\n/);
    assert.match(covered, /\n {2}CIS 3\.1 {6}PASS {12}Logging on \(PASS\); Multi-region \(PASS\); Management events, read and write \(PASS\)\n/);
    assert.match(covered, /\n {2}CIS 3\.6 {6}PASS {12}KMS key enabled and rotated \(PASS\)\n/);
    assert.match(covered, /\n {2}CIS 3\.8 {6}PASS {12}S3 object-level data events, read and write \(PASS\)\n/);
    assert.equal(covered.split('\n').filter((l) => /^ {2}CIS /.test(l)).length, 12);
    const cis = out.slice(out.indexOf('CIS monitoring controls of'));
    assert.match(cis, /^CIS monitoring controls of good-trail, log group cloudtrail\n {2}WARN {12}CloudWatch Logs delivery: GetTrailStatus reports no delivery to the log group yet\.\n {2}FAIL {12}Log group: Log group cloudtrail does not exist in us-east-1: the trail's events go nowhere\.\n/);
    assert.match(cis, /\n {2}FAIL {12}4\.5 CloudTrail configuration changes: No alert: log group cloudtrail does not exist, and no enabled EventBridge rule with a target matches them\.\n/);
    assert.equal(cis.split('\n').filter((l) => /^ {2}(PASS|FAIL|WARN|NOT VERIFIABLE|COULD NOT CHECK) +4\.\d+ /.test(l)).length, 15);
    assert.match(cis, /\n {2}Result: 16 fail · 1 warn\n$/);
    const json = await run(['--trail-arn', GOOD.arn, '--cis', '--json']);
    const parsed = JSON.parse(json.out) as { monitoring: { controls: { control: Record<string, unknown>; result: string }[] }[] };
    assert.deepEqual(Object.keys(parsed.monitoring[0].controls[0].control).sort(), ['cis', 'id', 'securityHub', 'title']);
    assert.equal(parsed.monitoring[0].controls.length, 15);
  });

  it('exits 2 on usage errors, naming the argument', async () => {
    for (const [args, message] of [
      [['--retention-days', '0'], '--retention-days needs a whole number of days, at least 1'],
      [['--trail-arn', 'arn:aws:s3:::logs'], '--trail-arn arn:aws:s3:::logs is not a trail ARN (arn:aws:cloudtrail:REGION:ACCOUNT:trail/NAME)'],
      [['--region'], '--region needs a region'],
      [['--verbose'], "unknown argument '--verbose'"],
    ] as const) {
      const { code, out, err } = await run([...args]);
      assert.equal(code, 2, args.join(' '));
      assert.equal(out, '');
      assert.ok(err.startsWith(`cloudtrail-lens check-protection: ${message}\nUsage: cloudtrail-lens check-protection`), err);
    }
  });

  it('exits 2 when nothing could be read, or the trail asked for does not exist', async () => {
    const denied = await run(['--region', 'us-east-1'], deniedTrails.url);
    assert.equal(denied.code, 2);
    assert.equal(denied.out, '');
    assert.equal(
      denied.err,
      'cloudtrail-lens check-protection: DescribeTrails on us-east-1 was denied: the identity needs cloudtrail:DescribeTrails on that resource. Ask for it or choose another profile.\ncloudtrail-lens check-protection: no trail could be read.\n',
    );
    const missing = await run(['--trail-arn', `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/nope`]);
    assert.equal(missing.code, 2);
    assert.equal(missing.err, `cloudtrail-lens check-protection: Trail arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/nope was not found in its home region.\n`);
  });

  it('exits 1 when no trail logs the regions (run before the trails were created)', () => {
    assert.deepEqual(beforeAnyTrail, { code: 1, out: 'No trail found in us-east-1: nothing records API activity there.\n', err: '' });
  });

  it('is a command of the cloudtrail-lens entry point', async () => {
    const write = process.stdout.write;
    let printed = '';
    process.stdout.write = ((chunk: string) => {
      printed += chunk;
      return true;
    }) as typeof process.stdout.write;
    try {
      assert.equal(await main(['check-protection', '--help']), 0);
    } finally {
      process.stdout.write = write;
    }
    assert.match(printed, /^Usage: cloudtrail-lens check-protection \[--trail-arn ARN \.\.\.\] \[--region R \.\.\.\] \[options\]\n/);
    assert.match(printed, /Exit codes: 0 no check failed, 1 a check \(or with --cis a monitoring control\) failed \(or no trail logs the\nregions\), 2 usage error or nothing could be read\.\n$/);
  });
});
