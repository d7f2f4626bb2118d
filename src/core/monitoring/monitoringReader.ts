// The read-only calls the monitoring checks make: CloudWatch Logs (the trail's log group and its
// metric filters), CloudWatch (alarms on a metric), SNS (who gets an alarm's notification) and
// EventBridge (rules and their targets). One interface, so the checks run against any region's
// clients; the SDK implementation below.
import { DescribeAlarmsForMetricCommand, type CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DescribeLogGroupsCommand, DescribeMetricFiltersCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ListRulesCommand, ListTargetsByRuleCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { ListSubscriptionsByTopicCommand, type SNSClient } from '@aws-sdk/client-sns';

export interface LogGroupInfo {
  name: string;
  retentionInDays?: number;
  kmsKeyId?: string;
}

export interface MetricFilterInfo {
  name: string;
  pattern: string;
  metrics: { name: string; namespace: string }[];
}

export interface AlarmInfo {
  name: string;
  state: string;
  actionsEnabled: boolean;
  /** ARNs the alarm notifies in ALARM state. */
  actions: string[];
}

export interface SubscriptionInfo {
  protocol: string;
  endpoint: string;
  /** False while the subscription waits for its owner to confirm it. */
  confirmed: boolean;
}

export interface EventRuleInfo {
  name: string;
  busName: string;
  state: string;
  /** The rule's event pattern (JSON text); undefined for a scheduled rule. */
  pattern?: string;
}

export interface MonitoringReader {
  /** Undefined when the log group does not exist (in this account and region). */
  logGroup(name: string, signal?: AbortSignal): Promise<LogGroupInfo | undefined>;
  metricFilters(logGroupName: string, signal?: AbortSignal): Promise<MetricFilterInfo[]>;
  alarmsForMetric(metric: { name: string; namespace: string }, signal?: AbortSignal): Promise<AlarmInfo[]>;
  subscriptions(topicArn: string, signal?: AbortSignal): Promise<SubscriptionInfo[]>;
  eventRules(signal?: AbortSignal): Promise<EventRuleInfo[]>;
  ruleTargets(rule: EventRuleInfo, signal?: AbortSignal): Promise<string[]>;
}

export interface MonitoringClients {
  logs: CloudWatchLogsClient;
  cloudwatch: CloudWatchClient;
  sns: SNSClient;
  events: EventBridgeClient;
}

/** The reader over SDK clients of one region (the trail's home region, where its log group is). */
export class SdkMonitoringReader implements MonitoringReader {
  constructor(private readonly c: MonitoringClients) {}

  async logGroup(name: string, signal?: AbortSignal): Promise<LogGroupInfo | undefined> {
    let token: string | undefined;
    do {
      const out = await this.c.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name, nextToken: token }), { abortSignal: signal });
      const found = out.logGroups?.find((g) => g.logGroupName === name);
      if (found) return { name, retentionInDays: found.retentionInDays, kmsKeyId: found.kmsKeyId };
      token = out.nextToken;
    } while (token);
    return undefined;
  }

  async metricFilters(logGroupName: string, signal?: AbortSignal): Promise<MetricFilterInfo[]> {
    const filters: MetricFilterInfo[] = [];
    let token: string | undefined;
    do {
      const out = await this.c.logs.send(new DescribeMetricFiltersCommand({ logGroupName, nextToken: token }), { abortSignal: signal });
      for (const f of out.metricFilters ?? []) {
        filters.push({
          name: f.filterName ?? '',
          pattern: f.filterPattern ?? '',
          metrics: (f.metricTransformations ?? []).map((m) => ({ name: m.metricName ?? '', namespace: m.metricNamespace ?? '' })),
        });
      }
      token = out.nextToken;
    } while (token);
    return filters;
  }

  async alarmsForMetric(metric: { name: string; namespace: string }, signal?: AbortSignal): Promise<AlarmInfo[]> {
    const out = await this.c.cloudwatch.send(new DescribeAlarmsForMetricCommand({ MetricName: metric.name, Namespace: metric.namespace }), { abortSignal: signal });
    return (out.MetricAlarms ?? []).map((a) => ({ name: a.AlarmName ?? '', state: a.StateValue ?? 'INSUFFICIENT_DATA', actionsEnabled: a.ActionsEnabled !== false, actions: a.AlarmActions ?? [] }));
  }

  async subscriptions(topicArn: string, signal?: AbortSignal): Promise<SubscriptionInfo[]> {
    const subs: SubscriptionInfo[] = [];
    let token: string | undefined;
    do {
      const out = await this.c.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, NextToken: token }), { abortSignal: signal });
      for (const s of out.Subscriptions ?? []) {
        const arn = s.SubscriptionArn ?? '';
        subs.push({ protocol: s.Protocol ?? '', endpoint: s.Endpoint ?? '', confirmed: arn.startsWith('arn:') });
      }
      token = out.NextToken;
    } while (token);
    return subs;
  }

  async eventRules(signal?: AbortSignal): Promise<EventRuleInfo[]> {
    const rules: EventRuleInfo[] = [];
    let token: string | undefined;
    do {
      const out = await this.c.events.send(new ListRulesCommand({ NextToken: token }), { abortSignal: signal });
      for (const r of out.Rules ?? []) rules.push({ name: r.Name ?? '', busName: r.EventBusName ?? 'default', state: r.State ?? 'ENABLED', pattern: r.EventPattern });
      token = out.NextToken;
    } while (token);
    return rules;
  }

  async ruleTargets(rule: EventRuleInfo, signal?: AbortSignal): Promise<string[]> {
    const targets: string[] = [];
    let token: string | undefined;
    do {
      const out = await this.c.events.send(new ListTargetsByRuleCommand({ Rule: rule.name, EventBusName: rule.busName, NextToken: token }), { abortSignal: signal });
      for (const t of out.Targets ?? []) if (t.Arn) targets.push(t.Arn);
      token = out.NextToken;
    } while (token);
    return targets;
  }
}
