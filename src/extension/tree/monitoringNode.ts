import * as vscode from 'vscode';
import { describeAwsError } from '../../core/aws/awsErrors';
import type { TrailSummary } from '../../core/aws/trailApi';
import type { MonitoringCheck, MonitoringReport } from '../../core/monitoring/checkMonitoring';
import { TAMPERING_EVENTS } from '../../core/monitoring/recentTampering';
import { monitoringSummaryText } from '../../core/monitoring/report';
import { callerOf } from '../../core/events/identity';
import { escapeControl, escapeMarkdownText } from '../../core/text/safeText';
import type { MonitoringService } from '../monitoring/monitoringService';
import { RESULT_ICONS } from './checkIcons';
import { ChildrenCache, MessageNode, type TreeHost, type TreeNode } from './treeNode';

const ICONS = RESULT_ICONS;

/** Evidence and names come from AWS: the tooltip appends them as text (escaped). */
function checkRow(check: MonitoringCheck & { fix?: { cli: string[] } }, label: string, description: string): TreeNode {
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown(`**${escapeMarkdownText(label)}**: ${check.result.toUpperCase()}\n\n`);
  tooltip.appendText(escapeControl(check.evidence));
  if (check.remedy) tooltip.appendMarkdown('\n\n').appendText(`Remedy: ${escapeControl(check.remedy)}`);
  if (check.fix) tooltip.appendMarkdown('\n\n').appendText(`${escapeControl(check.fix.cli[0])}\n…the alarm and subscription commands and a CloudFormation template are in the monitoring report.`);
  return new MessageNode(label, { description, tooltip, icon: ICONS[check.result], contextValue: `monitoringCheck.${check.result}` });
}

/** `id` keeps the group's expanded state when the Monitoring node is checked again and redrawn. */
function group(label: string, description: string, children: TreeNode[], icon: string, id?: string): TreeNode {
  return {
    getTreeItem: () => {
      const item = new vscode.TreeItem(label, children.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      item.id = id;
      item.description = escapeControl(description);
      item.iconPath = new vscode.ThemeIcon(icon);
      item.contextValue = 'monitoringGroup';
      return item;
    },
    getChildren: () => Promise.resolve(children),
  };
}

function rows(report: MonitoringReport): TreeNode[] {
  const logGroup = report.logGroup;
  const nodes: TreeNode[] = [];
  nodes.push(
    group(
      'Log group',
      logGroup ? logGroup.name : 'none',
      report.logChecks.map((c) => checkRow(c, c.title, c.evidence)),
      'output',
      `trail:${report.trail.arn}#monitoring/log-group`,
    ),
  );
  const alerting = report.controls.filter((c) => c.result === 'pass').length;
  nodes.push(
    group(
      'CIS monitoring controls',
      `${alerting} of ${report.controls.length} alert someone`,
      report.controls.map((c) => checkRow(c, `${c.control.cis} ${c.control.title}`, c.result === 'pass' ? (c.via === 'eventbridge' ? 'EventBridge rule' : 'metric filter → alarm → SNS') : c.evidence)),
      'bell',
      `trail:${report.trail.arn}#monitoring/controls`,
    ),
  );
  const t = report.recentTampering;
  if (t) {
    const events = 'events' in t ? t.events : [];
    nodes.push(
      group(
        `Recent tampering (${t.days} days)`,
        'error' in t ? `could not look: ${t.error}` : events.length === 0 ? 'none' : `${events.length} event${events.length === 1 ? '' : 's'}`,
        events.map(
          (e) =>
            new MessageNode(String(e.eventName ?? 'event'), {
              description: `${String(e.eventTime ?? '')} · ${callerOf(e).label} · ${TAMPERING_EVENTS[String(e.eventName)] ?? ''}`,
              icon: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
              command: { command: 'cloudtrailLens.openRecentEvents', title: 'Open the Event', arguments: [{ loadedRecords: [e], trail: report.trail, label: `${String(e.eventName)} ${String(e.eventTime ?? '')}` }] },
              contextValue: 'tamperingEvent',
            }),
        ),
        'history',
        `trail:${report.trail.arn}#monitoring/tampering`,
      ),
    );
  }
  nodes.push(
    group(
      'Metric filters',
      `${report.filters.length}`,
      report.filters.map(
        (f) =>
          new MessageNode(f.name, {
            description: f.parseError ? `pattern not readable: ${f.parseError}` : `${f.metrics.flatMap((m) => m.alarms.map((a) => `${a.name} (${a.state})`)).join(', ') || 'no alarm'} · ${f.controls.length > 0 ? `CIS ${f.controls.join(', ')}` : 'no CIS control'}`,
            tooltip: escapeControl(`${f.pattern}\n${f.metrics.map((m) => `${m.namespace}/${m.name}`).join(', ')}`),
            icon: new vscode.ThemeIcon(f.metrics.some((m) => m.alarms.length > 0) ? 'bell' : 'filter'),
          }),
      ),
      'filter',
      `trail:${report.trail.arn}#monitoring/filters`,
    ),
  );
  nodes.push(
    group(
      'EventBridge rules on CloudTrail events',
      `${report.rules.length}`,
      report.rules.map(
        (r) =>
          new MessageNode(r.name, {
            description: `${r.state} · ${r.targets.length} target${r.targets.length === 1 ? '' : 's'}${r.controls.length > 0 ? ` · covers ${r.controls.join(', ')}` : ''}`,
            tooltip: escapeControl(r.targets.join('\n') || 'no targets: nothing receives the events'),
            icon: new vscode.ThemeIcon(r.state === 'ENABLED' && r.targets.length > 0 ? 'zap' : 'circle-slash'),
          }),
      ),
      'zap',
      `trail:${report.trail.arn}#monitoring/rules`,
    ),
  );
  return nodes;
}

/** "Monitoring": would tampering with the trail alert anyone? Checked when first expanded. */
export class MonitoringNode implements TreeNode {
  private readonly cache: ChildrenCache;

  constructor(
    private readonly host: TreeHost,
    private readonly service: MonitoringService,
    readonly trail: TrailSummary,
    private readonly profile: () => string | undefined,
  ) {
    this.cache = new ChildrenCache(host, this);
  }

  getTreeItem(): vscode.TreeItem {
    const report = this.service.last(this.trail.arn);
    const item = new vscode.TreeItem('Monitoring', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `trail:${this.trail.arn}#monitoring`;
    const alerting = report?.controls.filter((c) => c.result === 'pass').length ?? 0;
    item.description = report ? `${alerting} of ${report.controls.length} CIS alerts · ${monitoringSummaryText(report)}` : 'expand to check';
    item.iconPath = report ? ICONS[report.controls.some((c) => c.result === 'fail') || report.logChecks.some((c) => c.result === 'fail') ? 'fail' : report.controls.some((c) => c.result !== 'pass') ? 'warn' : 'pass'] : new vscode.ThemeIcon('bell');
    item.tooltip = 'Would tampering with this trail alert anyone? Its CloudWatch Logs delivery, the CIS monitoring controls (metric filter → alarm → SNS with a confirmed subscription, or an EventBridge rule with a target). Read-only checks.';
    item.contextValue = 'monitoring';
    return item;
  }

  reset(): void {
    this.cache.reset();
  }

  getChildren(): Promise<TreeNode[]> {
    return this.cache.get(
      async () => {
        let report = this.service.last(this.trail.arn);
        if (!report) {
          report = await this.service.check(this.trail);
          setTimeout(() => this.host.redrawAll()); // the description now has the counts (redrawAll: see TreeHost)
        }
        return rows(report);
      },
      (error) => describeAwsError(error, 'monitoring checks', this.trail.name, this.profile()).message,
    );
  }
}
