import { DescribeConfigurationRecorderStatusCommand } from '@aws-sdk/client-config-service';
import * as vscode from 'vscode';
import { describeAwsError } from '../../core/aws/awsErrors';
import type { TrailSummary } from '../../core/aws/trailApi';
import { configRecording, multiRegionCoverage } from '../../core/monitoring/accountChecks';
import type { MonitoringCheck } from '../../core/monitoring/checkMonitoring';
import { SdkProtectionReader } from '../../core/protection';
import { escapeControl, escapeMarkdownText } from '../../core/text/safeText';
import type { AwsSession } from '../aws/awsSession';
import { RESULT_ICONS } from './checkIcons';
import { ChildrenCache, MessageNode, type TreeHost, type TreeNode } from './treeNode';

const ICONS = RESULT_ICONS;

function row(check: MonitoringCheck): TreeNode {
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown(`**${escapeMarkdownText(check.title)}**: ${check.result.toUpperCase()}\n\n`);
  tooltip.appendText(escapeControl(check.evidence));
  if (check.remedy) tooltip.appendMarkdown('\n\n').appendText(`Remedy: ${escapeControl(check.remedy)}`);
  return new MessageNode(check.title, { description: check.evidence, tooltip, icon: ICONS[check.result], contextValue: `accountCheck.${check.result}` });
}

/**
 * "Account": checks of the account rather than of one trail: a multi-region trail that logs all
 * management events, and AWS Config recording in each selected region. Read when first expanded.
 */
export class AccountChecksNode implements TreeNode {
  private readonly cache: ChildrenCache;

  constructor(
    host: TreeHost,
    private readonly session: AwsSession,
    private readonly trails: readonly TrailSummary[],
    private readonly regions: readonly string[],
  ) {
    this.cache = new ChildrenCache(host, this);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Account', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = 'aws-profile#account';
    item.description = 'multi-region trail · AWS Config';
    item.iconPath = new vscode.ThemeIcon('organization');
    item.tooltip = 'Checks of the account: at least one multi-region trail logging read and write management events (CIS 3.1, Security Hub CloudTrail.1), and AWS Config recording in each selected region (CIS 3.3, Security Hub Config.1).';
    item.contextValue = 'accountChecks';
    return item;
  }

  reset(): void {
    this.cache.reset();
  }

  getChildren(): Promise<TreeNode[]> {
    return this.cache.get(
      async () => {
        const reader = new SdkProtectionReader(this.session.context());
        const describe = (call: string, target: string) => (error: unknown) => {
          throw new Error(describeAwsError(error, call, target, this.session.profile).message);
        };
        try {
          const [coverage, config] = await Promise.all([
            multiRegionCoverage(this.trails, {
              status: (t) => this.session.trailApi(t.homeRegion).getTrailStatus(t.arn).catch(describe('GetTrailStatus', t.arn)),
              selectors: (t) => reader.getEventSelectors(t).catch(describe('GetEventSelectors', t.arn)),
            }),
            configRecording(this.regions, async (region) => {
              const client = this.session.configService(region);
              try {
                const status = await client.send(new DescribeConfigurationRecorderStatusCommand({})).catch(describe('DescribeConfigurationRecorderStatus', region));
                return (status.ConfigurationRecordersStatus ?? []).some((s) => s.recording === true);
              } finally {
                client.destroy();
              }
            }),
          ]);
          return [row(coverage), row(config)];
        } finally {
          reader.destroy();
        }
      },
      (error) => describeAwsError(error, 'account checks', 'the account', this.session.profile).message,
    );
  }
}
