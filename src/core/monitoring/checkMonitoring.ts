// Would anyone be alerted? For one trail: its CloudWatch Logs delivery (log group, recency, errors,
// retention, encryption), and for each CIS monitoring control whether an alert exists end to end:
// a metric filter on the trail's log group whose pattern catches the control's events, an alarm on
// its metric with an SNS action, and a confirmed subscription to that topic; or an enabled
// EventBridge rule whose pattern matches the same events and has a target. Read-only calls.
import { describeAwsError } from '../aws/awsErrors';
import type { TrailStatusInfo, TrailSummary } from '../aws/trailApi';
import type { CloudTrailRecord } from '../events/records';
import { CIS_CONTROLS, type CisControl } from './cisControls';
import { eventBridgeEnvelope, eventPatternMatches } from './eventPattern';
import { filterMatches, parseFilterPattern, type FilterPattern } from './filterPattern';
import type { AlarmInfo, EventRuleInfo, MetricFilterInfo, MonitoringReader } from './monitoringReader';

export type MonitoringResult = 'pass' | 'warn' | 'fail' | 'unknown' | 'not-verifiable';

export interface MonitoringCheck {
  title: string;
  result: MonitoringResult;
  evidence: string;
  remedy?: string;
}

export interface ControlCheck extends MonitoringCheck {
  control: CisControl;
  /** How the control is met: a metric filter's alarm, an EventBridge rule. */
  via?: 'alarm' | 'eventbridge';
  /** The commands and template that would create the alert (shown, never run). */
  fix?: { cli: string[]; cloudFormation: string };
}

export interface FilterView {
  name: string;
  pattern: string;
  /** Why the pattern could not be read; the filter then covers nothing. */
  parseError?: string;
  metrics: { name: string; namespace: string; alarms: AlarmInfo[] }[];
  /** The CIS controls (ids) whose events it catches. */
  controls: string[];
}

export interface RuleView {
  name: string;
  state: string;
  targets: string[];
  controls: string[];
}

export interface MonitoringReport {
  trail: Pick<TrailSummary, 'name' | 'arn' | 'homeRegion' | 'isOrganizationTrail'>;
  checkedAt: string;
  logGroup?: { arn: string; name: string; account: string; region: string };
  /** Delivery, retention and encryption of the log group. */
  logChecks: MonitoringCheck[];
  controls: ControlCheck[];
  filters: FilterView[];
  /** Enabled or not, the EventBridge rules that match events of some control. */
  rules: RuleView[];
  /** Calls of the last days that stopped, deleted or narrowed the trail, its bucket or its key (LookupEvents). */
  recentTampering?: { days: number; events: CloudTrailRecord[] } | { days: number; error: string };
}

export interface MonitoringInput {
  trail: TrailSummary;
  status?: TrailStatusInfo;
  reader: MonitoringReader;
  /** The account the checks run as: a log group of another account is not verifiable from here. */
  viewerAccount?: string;
  /** Days logs must be kept; the log group's retention is measured against it. */
  retentionDays: number;
  profile?: string;
  now?: Date;
  signal?: AbortSignal;
}

/** The calls of the checks; describeAwsError knows the permission each needs. */
type MonitoringCall = 'DescribeLogGroups' | 'DescribeMetricFilters' | 'DescribeAlarmsForMetric' | 'ListSubscriptionsByTopic' | 'ListRules' | 'ListTargetsByRule';

type Got<T> = { ok: true; value: T } | { ok: false; why: string };

async function read<T>(input: MonitoringInput, call: MonitoringCall, target: string, run: () => Promise<T>): Promise<Got<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    if (input.signal?.aborted || (error as { name?: string })?.name === 'AbortError') throw error;
    const d = describeAwsError(error, call, target, input.profile);
    return { ok: false, why: d.kind === 'access-denied' ? `${call} was denied (needs ${d.permission})` : d.message };
  }
}

/** `arn:aws:logs:us-east-1:111122223333:log-group:CloudTrail/main:*` */
export function parseLogGroupArn(arn: string): { name: string; account: string; region: string } | undefined {
  const m = /^arn:[^:]+:logs:([^:]+):(\d{12}):log-group:(.+?)(?::\*)?$/.exec(arn);
  return m ? { region: m[1], account: m[2], name: m[3] } : undefined;
}

/** A shell word that stays one word whatever it holds. */
function sh(value: string): string {
  return /^[A-Za-z0-9_./:=@,+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The CLI commands and CloudFormation that create the control's alert on this log group. */
export function controlFix(control: CisControl, logGroup: string): { cli: string[]; cloudFormation: string } {
  const topic = '<SNS topic ARN>';
  const cli = [
    `aws logs put-metric-filter --log-group-name ${sh(logGroup)} --filter-name ${control.id} --filter-pattern ${sh(control.pattern)} --metric-transformations metricName=${control.metricName},metricNamespace=CISBenchmark,metricValue=1`,
    `aws cloudwatch put-metric-alarm --alarm-name ${control.id} --metric-name ${control.metricName} --namespace CISBenchmark --statistic Sum --period 300 --threshold 1 --comparison-operator GreaterThanOrEqualToThreshold --evaluation-periods 1 --treat-missing-data notBreaching --alarm-actions ${topic}`,
    `aws sns subscribe --topic-arn ${topic} --protocol email --notification-endpoint <security@example.com>`,
  ];
  const logical = control.metricName;
  const cloudFormation = [
    'Resources:',
    `  ${logical}Filter:`,
    '    Type: AWS::Logs::MetricFilter',
    '    Properties:',
    `      LogGroupName: ${JSON.stringify(logGroup)}`,
    `      FilterName: ${control.id}`,
    `      FilterPattern: ${JSON.stringify(control.pattern)}`,
    '      MetricTransformations:',
    `        - MetricName: ${control.metricName}`,
    '          MetricNamespace: CISBenchmark',
    '          MetricValue: "1"',
    `  ${logical}Alarm:`,
    '    Type: AWS::CloudWatch::Alarm',
    '    Properties:',
    `      AlarmName: ${control.id}`,
    `      MetricName: ${control.metricName}`,
    '      Namespace: CISBenchmark',
    '      Statistic: Sum',
    '      Period: 300',
    '      EvaluationPeriods: 1',
    '      Threshold: 1',
    '      ComparisonOperator: GreaterThanOrEqualToThreshold',
    '      TreatMissingData: notBreaching',
    '      AlarmActions:',
    '        - !Ref AlertTopic  # an AWS::SNS::Topic with a confirmed subscription',
  ].join('\n');
  return { cli, cloudFormation };
}

function covers(pattern: FilterPattern, control: CisControl): boolean {
  return control.samples.every((s) => filterMatches(pattern, s));
}

function ruleCovers(rule: EventRuleInfo, control: CisControl): boolean {
  if (!rule.pattern) return false;
  try {
    return control.samples.every((s) => eventPatternMatches(rule.pattern!, eventBridgeEnvelope(s)));
  } catch {
    return false;
  }
}

function ruleMatchesAny(rule: EventRuleInfo, control: CisControl): boolean {
  if (!rule.pattern) return false;
  try {
    return control.samples.some((s) => eventPatternMatches(rule.pattern!, eventBridgeEnvelope(s)));
  } catch {
    return false;
  }
}

const DAY = 86_400_000;

export async function checkMonitoring(input: MonitoringInput): Promise<MonitoringReport> {
  const { trail, reader, signal } = input;
  const now = input.now ?? new Date();
  const report: MonitoringReport = { trail: { name: trail.name, arn: trail.arn, homeRegion: trail.homeRegion, isOrganizationTrail: trail.isOrganizationTrail }, checkedAt: now.toISOString(), logChecks: [], controls: [], filters: [], rules: [] };
  const trailAccount = /^arn:[^:]+:cloudtrail:[^:]+:(\d{12}):/.exec(trail.arn)?.[1];
  const viewer = input.viewerAccount ?? trailAccount;
  const group = trail.cloudWatchLogsLogGroupArn ? parseLogGroupArn(trail.cloudWatchLogsLogGroupArn) : undefined;
  let filters: MetricFilterInfo[] = [];
  let filtersReadable = false;
  let alarmsReason = 'the trail sends no events to CloudWatch Logs';

  if (!trail.cloudWatchLogsLogGroupArn || !group) {
    report.logChecks.push({
      title: 'CloudWatch Logs delivery',
      result: 'fail',
      evidence: trail.cloudWatchLogsLogGroupArn ? `CloudWatchLogsLogGroupArn ${trail.cloudWatchLogsLogGroupArn} is not a log group ARN.` : 'The trail sends no events to a CloudWatch Logs log group: no metric filter or alarm can see them.',
      remedy: 'aws cloudtrail update-trail --name <trail> --cloud-watch-logs-log-group-arn <log group ARN> --cloud-watch-logs-role-arn <role ARN that lets CloudTrail write to it>',
    });
  } else {
    report.logGroup = { arn: trail.cloudWatchLogsLogGroupArn, ...group };
    const status = input.status;
    if (status?.latestCloudWatchLogsDeliveryError) {
      report.logChecks.push({ title: 'CloudWatch Logs delivery', result: 'fail', evidence: `LatestCloudWatchLogsDeliveryError: ${status.latestCloudWatchLogsDeliveryError}.`, remedy: 'Check the role in CloudWatchLogsRoleArn: CloudTrail must be able to call logs:CreateLogStream and logs:PutLogEvents on the log group.' });
    } else if (status?.latestCloudWatchLogsDeliveryTime) {
      const age = now.getTime() - status.latestCloudWatchLogsDeliveryTime.getTime();
      report.logChecks.push(
        age > DAY && status.isLogging
          ? { title: 'CloudWatch Logs delivery', result: 'warn', evidence: `The latest delivery to the log group was ${Math.round(age / DAY)} days ago (${status.latestCloudWatchLogsDeliveryTime.toISOString()}).`, remedy: 'A logging trail delivers every few minutes: check the role and the log group.' }
          : { title: 'CloudWatch Logs delivery', result: 'pass', evidence: `Latest delivery ${status.latestCloudWatchLogsDeliveryTime.toISOString()}.` },
      );
    } else if (status) {
      report.logChecks.push({ title: 'CloudWatch Logs delivery', result: 'warn', evidence: 'GetTrailStatus reports no delivery to the log group yet.', remedy: 'Check the role in CloudWatchLogsRoleArn and that the trail is logging.' });
    }
    if (viewer && group.account !== viewer) {
      const why = `The log group is in account ${group.account}; these checks run as ${viewer}: not verifiable from this account (run them in ${group.account}).`;
      report.logChecks.push({ title: 'Log group', result: 'not-verifiable', evidence: why });
      alarmsReason = `the log group is in account ${group.account}`;
    } else {
      const info = await read(input, 'DescribeLogGroups', group.name, () => reader.logGroup(group.name, signal));
      if (!info.ok) {
        report.logChecks.push({ title: 'Log group', result: 'unknown', evidence: `Could not read log group ${group.name}: ${info.why}.` });
        alarmsReason = `log group ${group.name} could not be read`;
      } else if (!info.value) {
        report.logChecks.push({ title: 'Log group', result: 'fail', evidence: `Log group ${group.name} does not exist in ${group.region}: the trail's events go nowhere.`, remedy: `aws logs create-log-group --log-group-name ${sh(group.name)} --region ${group.region}` });
        alarmsReason = `log group ${group.name} does not exist`;
      } else {
        const g = info.value;
        report.logChecks.push(
          g.retentionInDays === undefined
            ? { title: 'Log group retention', result: 'pass', evidence: 'Events never expire.' }
            : g.retentionInDays >= input.retentionDays
              ? { title: 'Log group retention', result: 'pass', evidence: `${g.retentionInDays} days (at least ${input.retentionDays}).` }
              : { title: 'Log group retention', result: 'warn', evidence: `${g.retentionInDays} days, less than the ${input.retentionDays} required.`, remedy: `aws logs put-retention-policy --log-group-name ${sh(group.name)} --retention-in-days ${input.retentionDays}` },
          g.kmsKeyId
            ? { title: 'Log group encryption', result: 'pass', evidence: `KMS key ${g.kmsKeyId}.` }
            : { title: 'Log group encryption', result: 'warn', evidence: 'Not encrypted with a KMS key you control (CloudWatch Logs encrypts with its own key).', remedy: `aws logs associate-kms-key --log-group-name ${sh(group.name)} --kms-key-id <key ARN>` },
        );
        const got = await read(input, 'DescribeMetricFilters', group.name, () => reader.metricFilters(group.name, signal));
        if (got.ok) {
          filters = got.value;
          filtersReadable = true;
        } else {
          alarmsReason = `the metric filters of ${group.name} could not be read (${got.why})`;
        }
      }
    }
  }

  // Metric filters, their metrics and alarms (each metric asked once).
  const alarmCache = new Map<string, Promise<Got<AlarmInfo[]>>>();
  const alarmsOf = (m: { name: string; namespace: string }): Promise<Got<AlarmInfo[]>> => {
    const key = `${m.namespace}/${m.name}`;
    let p = alarmCache.get(key);
    if (!p) {
      p = read(input, 'DescribeAlarmsForMetric', key, () => reader.alarmsForMetric(m, signal));
      alarmCache.set(key, p);
    }
    return p;
  };
  const subsCache = new Map<string, Promise<Got<{ confirmed: number; pending: number }>>>();
  const subsOf = (topic: string): Promise<Got<{ confirmed: number; pending: number }>> => {
    let p = subsCache.get(topic);
    if (!p) {
      p = read(input, 'ListSubscriptionsByTopic', topic, async () => {
        const subs = await reader.subscriptions(topic, signal);
        return { confirmed: subs.filter((s) => s.confirmed).length, pending: subs.filter((s) => !s.confirmed).length };
      });
      subsCache.set(topic, p);
    }
    return p;
  };
  const parsed = filters.map((f) => {
    try {
      return { f, pattern: parseFilterPattern(f.pattern) };
    } catch (error) {
      return { f, error: (error as Error).message };
    }
  });
  for (const p of parsed) {
    const metrics = await Promise.all(p.f.metrics.map(async (m) => ({ ...m, alarms: await alarmsOf(m).then((g) => (g.ok ? g.value : [])) })));
    report.filters.push({ name: p.f.name, pattern: p.f.pattern, parseError: p.error, metrics, controls: p.pattern ? CIS_CONTROLS.filter((c) => covers(p.pattern!, c)).map((c) => c.id) : [] });
  }

  // EventBridge rules of the home region's buses that see CloudTrail events.
  const rules = await read(input, 'ListRules', trail.homeRegion, () => reader.eventRules(signal));
  const targetCache = new Map<string, Promise<Got<string[]>>>();
  const targetsOf = (rule: EventRuleInfo): Promise<Got<string[]>> => {
    const key = `${rule.busName}/${rule.name}`;
    let p = targetCache.get(key);
    if (!p) {
      p = read(input, 'ListTargetsByRule', key, () => reader.ruleTargets(rule, signal));
      targetCache.set(key, p);
    }
    return p;
  };
  if (rules.ok) {
    for (const rule of rules.value) {
      const related = CIS_CONTROLS.filter((c) => ruleMatchesAny(rule, c));
      if (related.length === 0) continue;
      const targets = await targetsOf(rule);
      report.rules.push({ name: rule.name, state: rule.state, targets: targets.ok ? targets.value : [], controls: CIS_CONTROLS.filter((c) => ruleCovers(rule, c)).map((c) => c.id) });
    }
  }

  /**
   * The most complete alert chain among the filters that catch a control's events: a pass when one
   * reaches a confirmed subscription, else the link where the best one breaks.
   */
  const alarmChain = async (covering: FilterView[]): Promise<{ result: MonitoringResult; evidence: string } | undefined> => {
    let best: { result: MonitoringResult; evidence: string; rank: number } | undefined;
    const keep = (rank: number, result: MonitoringResult, evidence: string): void => {
      if (!best || rank > best.rank) best = { rank, result, evidence };
    };
    for (const f of covering) {
      for (const m of f.metrics) {
        const alarms = m.alarms.filter((a) => a.actionsEnabled);
        if (alarms.length === 0) keep(1, 'fail', `Metric filter ${f.name} catches these events, but no alarm with actions enabled watches ${m.namespace}/${m.name}.`);
        for (const alarm of alarms) {
          const topics = alarm.actions.filter((a) => a.startsWith('arn:') && a.includes(':sns:'));
          if (topics.length === 0) keep(2, 'fail', `Metric filter ${f.name} → alarm ${alarm.name} (${alarm.state}), but the alarm notifies no SNS topic.`);
          for (const topic of topics) {
            const subs = await subsOf(topic);
            const head = `Metric filter ${f.name} → alarm ${alarm.name} (${alarm.state}) → ${topic}`;
            if (!subs.ok) keep(3, 'unknown', `${head}, whose subscriptions could not be read: ${subs.why}.`);
            else if (subs.value.confirmed > 0) return { result: 'pass', evidence: `${head} (${subs.value.confirmed} confirmed subscription${subs.value.confirmed === 1 ? '' : 's'}).` };
            else keep(3, 'fail', `${head}, which has no confirmed subscription${subs.value.pending > 0 ? ` (${subs.value.pending} pending confirmation)` : ''}: nobody is told.`);
          }
        }
      }
    }
    return best ? { result: best.result, evidence: best.evidence } : undefined;
  };

  for (const control of CIS_CONTROLS) {
    const title = `CIS ${control.cis} ${control.title}`;
    // EventBridge first: it needs no log group.
    const viaRule = report.rules.find((r) => r.state === 'ENABLED' && r.controls.includes(control.id) && r.targets.length > 0);
    if (viaRule) {
      report.controls.push({ control, title, result: 'pass', via: 'eventbridge', evidence: `EventBridge rule ${viaRule.name} matches these events → ${viaRule.targets.length} target${viaRule.targets.length === 1 ? '' : 's'} (${viaRule.targets.join(', ')}).` });
      continue;
    }
    const chain = await alarmChain(report.filters.filter((f) => f.controls.includes(control.id)));
    if (chain?.result === 'pass') {
      report.controls.push({ control, title, result: 'pass', via: 'alarm', evidence: chain.evidence });
      continue;
    }
    const best = chain;
    const fix = report.logGroup && filtersReadable ? controlFix(control, report.logGroup.name) : undefined;
    const notVerifiable = report.logChecks.some((c) => c.result === 'not-verifiable');
    const ruleNote = !rules.ok ? ` EventBridge rules could not be read (${rules.why}).` : '';
    if (best) {
      report.controls.push({ control, title, ...best, evidence: best.evidence + ruleNote, remedy: 'Complete the chain: an alarm on the metric, an SNS action, a confirmed subscription.', fix });
    } else if (notVerifiable) {
      report.controls.push({ control, title, result: 'not-verifiable', evidence: `No EventBridge rule here alerts on these events, and ${alarmsReason}: not verifiable from this account.${ruleNote}` });
    } else if (!filtersReadable && report.logGroup && !rules.ok) {
      report.controls.push({ control, title, result: 'unknown', evidence: `Could not tell: ${alarmsReason}.${ruleNote}` });
    } else {
      report.controls.push({
        control,
        title,
        result: 'fail',
        evidence: `No alert: ${filtersReadable ? 'no metric filter of the log group catches these events' : alarmsReason}, and no enabled EventBridge rule with a target matches them.${ruleNote}`,
        remedy: fix ? 'Create a metric filter and an alarm with the commands or the template below, or an EventBridge rule on these events with a target.' : 'Send the trail to a CloudWatch Logs log group, or create an EventBridge rule on these events with a target.',
        fix,
      });
    }
  }
  return report;
}

/** Counts by result, worst first. */
export function monitoringSummary(report: MonitoringReport): Record<MonitoringResult, number> {
  const counts: Record<MonitoringResult, number> = { fail: 0, unknown: 0, 'not-verifiable': 0, warn: 0, pass: 0 };
  for (const c of [...report.logChecks, ...report.controls]) counts[c.result]++;
  return counts;
}
