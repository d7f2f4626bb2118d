import * as vscode from 'vscode';
import { describeAwsError } from '../../core/aws/awsErrors';
import type { TrailSummary } from '../../core/aws/trailApi';
import { describeOwnership, summaryText, type ProtectionCheck } from '../../core/protection';
import { escapeControl, escapeMarkdownText } from '../../core/text/safeText';
import type { ProtectionService } from '../protection/protectionService';
import { RESULT_ICONS } from './checkIcons';
import { ChildrenCache, MessageNode, type TreeHost, type TreeNode } from './treeNode';

const ICONS = RESULT_ICONS;

/** Evidence, details and messages quote bucket policies, principals and AWS answers: escaped (appendText escapes Markdown). */
function checkNode(check: ProtectionCheck): TreeNode {
  const tooltip = new vscode.MarkdownString();
  tooltip.appendMarkdown(`**${escapeMarkdownText(check.title)}**: ${check.result.toUpperCase()}\n\n`);
  tooltip.appendText(`Evidence: ${escapeControl(check.evidence)}`);
  if (check.details?.length) tooltip.appendMarkdown('\n\n').appendText(check.details.slice(0, 20).map(escapeControl).join('\n'));
  if (check.result === 'unknown') tooltip.appendMarkdown('\n\n').appendText(escapeControl(`Could not check: needs ${check.permission ?? 'a permission'}. ${check.message ?? ''}`));
  if (check.remedy) tooltip.appendMarkdown('\n\n').appendText(`Remedy: ${escapeControl(check.remedy)}`);
  const description =
    check.result === 'unknown' ? `could not check: needs ${check.permission ?? 'a permission'}` : check.result === 'not-verifiable' ? `not verifiable from this account${check.account ? ` (in ${check.account})` : ''}` : check.remedy ?? check.evidence;
  return new MessageNode(check.title, { description, tooltip, icon: ICONS[check.result], contextValue: `protectionCheck.${check.result}` });
}

/** "Protection": one child per check, icon by result, remedy in the description, evidence in the tooltip. */
export class ProtectionNode implements TreeNode {
  private readonly cache: ChildrenCache;

  constructor(
    private readonly host: TreeHost,
    private readonly service: ProtectionService,
    readonly trail: TrailSummary,
    private readonly profile: () => string | undefined,
  ) {
    this.cache = new ChildrenCache(host, this);
  }

  getTreeItem(): vscode.TreeItem {
    const report = this.service.last(this.trail.arn);
    const item = new vscode.TreeItem('Protection', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `trail:${this.trail.arn}#protection`;
    item.description = report ? summaryText(report.summary) : 'expand to check';
    item.iconPath = report ? ICONS[report.summary.fail > 0 ? 'fail' : report.summary.unknown > 0 ? 'unknown' : report.summary.warn > 0 ? 'warn' : report.summary['not-verifiable'] > 0 ? 'not-verifiable' : 'pass'] : new vscode.ThemeIcon('shield');
    item.tooltip = `Is this trail set up so that its logs can be trusted and kept? Read-only checks of the trail, its bucket, its KMS key and who may change them.${report ? `\n\n${escapeControl(describeOwnership(report.ownership))}` : ''}`;
    item.contextValue = 'protection';
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
          report = (await this.service.check([this.trail]))[0];
          setTimeout(() => this.host.redraw(this)); // the description now has the counts
        }
        return report ? report.checks.map(checkNode) : [new MessageNode('No checks ran', { icon: new vscode.ThemeIcon('info') })];
      },
      (error) => describeAwsError(error, 'protection checks', this.trail.name, this.profile()).message,
    );
  }
}
