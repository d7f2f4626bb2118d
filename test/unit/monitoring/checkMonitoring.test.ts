// "Would anyone be alerted?" against moto: a log group with metric filters, alarms and SNS topics,
// EventBridge rules with and without targets, and a log group in another account.
import * as assert from 'node:assert/strict';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, PutMetricFilterCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import type { TrailSummary } from '../../../src/core/aws/trailApi';
import { CIS_CONTROLS } from '../../../src/core/monitoring/cisControls';
import { checkMonitoring, monitoringSummary, type MonitoringReport } from '../../../src/core/monitoring/checkMonitoring';
import { SdkMonitoringReader } from '../../../src/core/monitoring/monitoringReader';
import { renderMonitoringReport } from '../../../src/core/monitoring/report';
import { createCloudTrailClient } from '../../../src/core/aws/clients';
import { RateLimiter } from '../../../src/core/aws/rateLimiter';
import { SdkTrailApi } from '../../../src/core/aws/trailApi';
import { recentTampering, TAMPERING_EVENTS } from '../../../src/core/monitoring/recentTampering';
import { startCloudTrailFront } from '../../fixtures/cloudTrailFront';
import { startSnsFront } from '../../fixtures/snsFront';
import { startMoto, type MotoServer } from '../../fixtures/moto';

const ACCOUNT = '111122223333';
const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const trail = (logGroup?: string): TrailSummary => ({
  name: 'main',
  arn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main`,
  homeRegion: 'us-east-1',
  isMultiRegion: true,
  isOrganizationTrail: false,
  s3BucketName: 'logs',
  logFileValidationEnabled: true,
  cloudWatchLogsLogGroupArn: logGroup,
});

function control(report: MonitoringReport, id: string): MonitoringReport['controls'][number] {
  const c = report.controls.find((x) => x.control.id === id);
  assert.ok(c, `no ${id}`);
  return c;
}

describe('monitoring checks (moto)', function () {
  this.timeout(60_000);
  let moto: MotoServer;
  let reader: SdkMonitoringReader;
  const clients: { destroy(): void }[] = [];

  before(async () => {
    moto = await startMoto({ accountId: ACCOUNT });
    const common = { endpoint: moto.endpoint, region: 'us-east-1', credentials };
    const logs = new CloudWatchLogsClient(common);
    const cloudwatch = new CloudWatchClient(common);
    const sns = new SNSClient(common);
    const events = new EventBridgeClient(common);
    clients.push(logs, cloudwatch, sns, events);
    reader = new SdkMonitoringReader({ logs, cloudwatch, sns, events });
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'CloudTrail/main' }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'CloudTrail/main', retentionInDays: 90 }));
    const topic = (await sns.send(new CreateTopicCommand({ Name: 'security-alerts' }))).TopicArn!;
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'email', Endpoint: 'security@example.com' }));
    const silent = (await sns.send(new CreateTopicCommand({ Name: 'nobody-listens' }))).TopicArn!;
    const cis = (id: string) => CIS_CONTROLS.find((c) => c.id === id)!;
    // 4.5: the whole chain. 4.3: a filter and an alarm on a topic nobody subscribed to. 4.4: a filter without an alarm.
    for (const [id, alarmTopic] of [['cloudtrail-changes', topic], ['root-usage', silent], ['iam-policy-changes', undefined]] as const) {
      const c = cis(id);
      await logs.send(new PutMetricFilterCommand({ logGroupName: 'CloudTrail/main', filterName: `f-${id}`, filterPattern: c.pattern, metricTransformations: [{ metricName: c.metricName, metricNamespace: 'Security', metricValue: '1' }] }));
      if (alarmTopic) await cloudwatch.send(new PutMetricAlarmCommand({ AlarmName: `a-${id}`, MetricName: c.metricName, Namespace: 'Security', Statistic: 'Sum', Period: 300, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1, AlarmActions: [alarmTopic] }));
    }
    // A filter written differently from the benchmark but catching the same events still counts.
    await logs.send(new PutMetricFilterCommand({ logGroupName: 'CloudTrail/main', filterName: 'kms-own-words', filterPattern: '{ $.eventSource = "kms.amazonaws.com" && ($.eventName = "ScheduleKeyDeletion" || $.eventName = "DisableKey") }', metricTransformations: [{ metricName: 'KmsKeyGone', metricNamespace: 'Security', metricValue: '1' }] }));
    await cloudwatch.send(new PutMetricAlarmCommand({ AlarmName: 'kms-gone', MetricName: 'KmsKeyGone', Namespace: 'Security', Statistic: 'Sum', Period: 300, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1, AlarmActions: [topic] }));
    // 4.8 by EventBridge with a target; 4.9 by a rule without one.
    await events.send(new PutRuleCommand({ Name: 'bucket-policy', EventPattern: JSON.stringify({ source: ['aws.s3'], 'detail-type': ['AWS API Call via CloudTrail'], detail: { eventSource: ['s3.amazonaws.com'], eventName: [{ prefix: 'PutBucket' }, { prefix: 'DeleteBucket' }] } }) }));
    await events.send(new PutTargetsCommand({ Rule: 'bucket-policy', Targets: [{ Id: '1', Arn: topic }] }));
    await events.send(new PutRuleCommand({ Name: 'config-untargeted', EventPattern: JSON.stringify({ source: ['aws.config'], detail: { eventName: ['StopConfigurationRecorder', 'DeleteDeliveryChannel', 'PutDeliveryChannel', 'PutConfigurationRecorder'] } }) }));
  });

  after(async () => {
    for (const c of clients) c.destroy();
    await moto?.stop();
  });

  it('passes a control only when its alert reaches someone, and says where each other chain breaks', async () => {
    const now = new Date();
    const report = await checkMonitoring({ trail: trail(`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:CloudTrail/main:*`), status: { isLogging: true, latestCloudWatchLogsDeliveryTime: new Date(now.getTime() - 120_000) }, reader, retentionDays: 365, now });
    assert.deepEqual(
      report.logChecks.map((c) => [c.title, c.result]),
      [
        ['CloudWatch Logs delivery', 'pass'],
        ['Log group retention', 'warn'],
        ['Log group encryption', 'warn'],
      ],
    );
    assert.match(control(report, 'cloudtrail-changes').evidence, /^Metric filter f-cloudtrail-changes → alarm a-cloudtrail-changes \(\w+\) → arn:aws:sns:us-east-1:111122223333:security-alerts \(1 confirmed subscription\)\.$/);
    assert.equal(control(report, 'cloudtrail-changes').via, 'alarm');
    assert.equal(control(report, 'kms-key-disable-or-deletion').result, 'pass', 'a filter in its own words counts when it catches the same events');
    assert.equal(control(report, 's3-bucket-policy-changes').via, 'eventbridge');
    assert.match(control(report, 's3-bucket-policy-changes').evidence, /^EventBridge rule bucket-policy matches these events → 1 target/);
    assert.equal(control(report, 'root-usage').result, 'fail');
    assert.match(control(report, 'root-usage').evidence, /nobody-listens, which has no confirmed subscription: nobody is told/);
    assert.match(control(report, 'iam-policy-changes').evidence, /no alarm with actions enabled watches Security\/IAMPolicyChanges/);
    const config = control(report, 'config-changes');
    assert.equal(config.result, 'fail');
    assert.match(config.evidence, /no metric filter of the log group catches these events/);
    assert.ok(config.fix?.cli[0].startsWith("aws logs put-metric-filter --log-group-name CloudTrail/main --filter-name config-changes --filter-pattern '{"), config.fix?.cli[0]);
    assert.match(config.fix?.cloudFormation ?? '', /Type: AWS::Logs::MetricFilter[\s\S]*Type: AWS::CloudWatch::Alarm/);
    assert.deepEqual(report.rules.map((r) => [r.name, r.targets.length, r.controls]), [
      ['bucket-policy', 1, ['s3-bucket-policy-changes']],
      ['config-untargeted', 0, ['config-changes']],
    ]);
    assert.equal(report.filters.find((f) => f.name === 'kms-own-words')?.controls[0], 'kms-key-disable-or-deletion');
    const summary = monitoringSummary(report);
    assert.equal(summary.pass, 1 + 3); // delivery + three controls
    // The report names each check's equivalents, and the commands that would create a missing alert.
    const md = renderMonitoringReport([report]);
    assert.match(md, /\n\| Log group retention \| WARN \| 90 days, less than the 365 required\. \| `aws logs put-retention-policy --log-group-name CloudTrail\/main --retention-in-days 365` \| Config cw-loggroup-retention-period-check \|\n/);
    assert.match(md, /\n\| 4\.5 \| CloudTrail configuration changes \| CloudWatch\.5 \| PASS \| metric filter \+ alarm \| /);
    assert.match(md, /\n#### CIS 4\.9 AWS Config configuration changes\n\n```sh\naws logs put-metric-filter --log-group-name CloudTrail\/main --filter-name config-changes /);
    assert.equal(summary.fail, CIS_CONTROLS.length - 3);
  });

  it('fails a control whose topic has only a subscription awaiting confirmation', async () => {
    const common = { endpoint: moto.endpoint, region: 'us-east-1', credentials };
    const logs = new CloudWatchLogsClient(common);
    const cloudwatch = new CloudWatchClient(common);
    const direct = new SNSClient(common);
    clients.push(logs, cloudwatch, direct);
    const topic = (await direct.send(new CreateTopicCommand({ Name: 'awaiting-confirmation' }))).TopicArn!;
    await direct.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'email', Endpoint: 'oncall@example.com' }));
    const front = await startSnsFront({ upstream: moto.endpoint, pendingTopics: [topic] });
    const sns = new SNSClient({ ...common, endpoint: front.url });
    clients.push(sns, { destroy: () => void front.close() });
    const nacl = CIS_CONTROLS.find((c) => c.id === 'nacl-changes')!;
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'CloudTrail/pending' }));
    await logs.send(new PutMetricFilterCommand({ logGroupName: 'CloudTrail/pending', filterName: 'nacl', filterPattern: nacl.pattern, metricTransformations: [{ metricName: 'PendingNACLChanges', metricNamespace: 'Security', metricValue: '1' }] }));
    await cloudwatch.send(new PutMetricAlarmCommand({ AlarmName: 'nacl', MetricName: 'PendingNACLChanges', Namespace: 'Security', Statistic: 'Sum', Period: 300, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1, AlarmActions: [topic] }));
    const viaFront = new SdkMonitoringReader({ logs, cloudwatch, sns, events: new EventBridgeClient(common) });
    const report = await checkMonitoring({ trail: trail(`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:CloudTrail/pending:*`), reader: viaFront, retentionDays: 365 });
    assert.equal(control(report, 'nacl-changes').result, 'fail');
    assert.match(control(report, 'nacl-changes').evidence, /awaiting-confirmation, which has no confirmed subscription \(1 pending confirmation\): nobody is told\.$/);
  });

  it('says "not verifiable" for a log group of another account, never fail', async () => {
    const report = await checkMonitoring({ trail: { ...trail('arn:aws:logs:us-east-1:999988887777:log-group:org-trail:*'), isOrganizationTrail: true }, reader, retentionDays: 365, viewerAccount: ACCOUNT });
    assert.deepEqual(report.logChecks.map((c) => c.result), ['not-verifiable']);
    assert.match(report.logChecks[0].evidence, /in account 999988887777; these checks run as 111122223333/);
    // An EventBridge rule of this account still counts; the rest cannot be judged from here.
    assert.equal(control(report, 's3-bucket-policy-changes').result, 'pass');
    assert.equal(control(report, 'cloudtrail-changes').result, 'not-verifiable');
  });

  it('fails every control with no rule when the trail sends nothing to CloudWatch Logs, and says how to', async () => {
    const report = await checkMonitoring({ trail: trail(undefined), reader, retentionDays: 365 });
    assert.equal(report.logChecks[0].result, 'fail');
    assert.match(report.logChecks[0].remedy ?? '', /update-trail .*--cloud-watch-logs-log-group-arn/);
    assert.match(control(report, 'vpc-changes').evidence, /the trail sends no events to CloudWatch Logs/);
    assert.equal(control(report, 's3-bucket-policy-changes').result, 'pass');
  });

  it('fails a log group that does not exist', async () => {
    const report = await checkMonitoring({ trail: trail(`arn:aws:logs:us-east-1:${ACCOUNT}:log-group:gone:*`), reader, retentionDays: 30 });
    assert.deepEqual(report.logChecks.map((c) => [c.title, c.result]), [['Log group', 'fail']]);
    assert.match(report.logChecks[0].evidence, /Log group gone does not exist in us-east-1/);
  });
});

describe('recent tampering (LookupEvents through a loopback CloudTrail)', function () {
  this.timeout(60_000);
  const now = new Date();
  const hoursAgo = (h: number): string => new Date(now.getTime() - h * 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const base = { awsRegion: 'us-east-1', userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/mallory`, userName: 'mallory' }, readOnly: false };
  const events = [
    { ...base, eventID: 'e1', eventTime: hoursAgo(2), eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', requestParameters: { name: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/main` } },
    { ...base, eventID: 'e2', eventTime: hoursAgo(3), eventSource: 's3.amazonaws.com', eventName: 'PutBucketLifecycle', requestParameters: { bucketName: 'logs' } },
    { ...base, eventID: 'e3', eventTime: hoursAgo(4), eventSource: 's3.amazonaws.com', eventName: 'PutBucketPolicy', requestParameters: { bucketName: 'some-other-bucket' } },
    { ...base, eventID: 'e4', eventTime: hoursAgo(5), eventSource: 'cloudtrail.amazonaws.com', eventName: 'DeleteTrail', requestParameters: { name: 'another-trail' } },
    { ...base, eventID: 'e5', eventTime: hoursAgo(24 * 8), eventSource: 'cloudtrail.amazonaws.com', eventName: 'StopLogging', requestParameters: { name: 'main' } },
    { ...base, eventID: 'e6', eventTime: hoursAgo(6), eventSource: 'kms.amazonaws.com', eventName: 'ScheduleKeyDeletion', requestParameters: { keyId: '0f1e2d3c-aaaa-bbbb-cccc-111122223333' } },
  ];

  it('finds the calls of the last 7 days that touch this trail, its bucket or its key, newest first', async () => {
    const front = await startCloudTrailFront({ upstream: 'http://127.0.0.1:9', events });
    const client = createCloudTrailClient({ endpoints: { cloudtrail: front.url }, credentials: async () => credentials, maxAttempts: 1 }, 'us-east-1');
    try {
      const api = new SdkTrailApi(client, 'us-east-1');
      const found = await recentTampering(api, { ...trail(undefined), kmsKeyId: `arn:aws:kms:us-east-1:${ACCOUNT}:key/0f1e2d3c-aaaa-bbbb-cccc-111122223333` }, { limiter: new RateLimiter(0), now });
      assert.deepEqual(found.map((e) => e.eventID), ['e1', 'e2', 'e6']);
      assert.equal(front.lookupCalls.length, Object.keys(TAMPERING_EVENTS).length, 'one LookupEvents query per event name');
      assert.ok(front.lookupCalls.every((c) => c.attribute?.AttributeKey === 'EventName'));
    } finally {
      client.destroy();
      await front.close();
    }
  });
});
