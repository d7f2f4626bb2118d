import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LocalAccountLayout, LocalTrailLayout } from '../../core/awsLogsLayout';
import { MessageNode, type TreeNode } from './treeNode';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** A workspace folder that holds an `AWSLogs/` layout, shown as a trail read from disk. */
export class LocalTrailNode implements TreeNode {
  constructor(
    readonly layout: LocalTrailLayout,
    private readonly workspaceFolder: vscode.WorkspaceFolder,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const relative = path.relative(this.workspaceFolder.uri.fsPath, this.layout.root);
    const label = relative === '' ? this.workspaceFolder.name : `${this.workspaceFolder.name}/${relative.split(path.sep).join('/')}`;
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Expanded);
    item.description = `local · ${plural(this.layout.accounts.length, 'account')}`;
    item.tooltip = new vscode.MarkdownString(`Local trail folder\n\n\`${this.layout.root}\``);
    item.iconPath = new vscode.ThemeIcon('folder-library');
    item.contextValue = 'localTrail';
    item.resourceUri = vscode.Uri.file(this.layout.root);
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    return this.layout.accounts.map((account) => new LocalAccountNode(account));
  }
}

class LocalAccountNode implements TreeNode {
  constructor(private readonly account: LocalAccountLayout) {}

  getTreeItem(): vscode.TreeItem {
    const a = this.account;
    const item = new vscode.TreeItem(a.accountId, vscode.TreeItemCollapsibleState.Collapsed);
    const parts = [plural(a.logRegions.length, 'region')];
    if (a.organizationId) {
      parts.unshift(a.organizationId);
    }
    parts.push(a.digestRegions.length > 0 ? 'digests' : 'no digests');
    item.description = parts.join(' · ');
    item.iconPath = new vscode.ThemeIcon('account');
    item.contextValue = 'localAccount';
    item.resourceUri = vscode.Uri.file(a.folder);
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    const regions = [...new Set([...this.account.logRegions, ...this.account.digestRegions])].sort();
    if (regions.length === 0) {
      return [new MessageNode('No CloudTrail or CloudTrail-Digest folders here', { icon: new vscode.ThemeIcon('info') })];
    }
    return regions.map((region) => {
      const logs = this.account.logRegions.includes(region);
      const digests = this.account.digestRegions.includes(region);
      return new MessageNode(region, {
        icon: new vscode.ThemeIcon('globe'),
        tooltip: `${logs ? 'log files' : 'no log files'} · ${digests ? 'digest files' : 'no digest files'}`,
        contextValue: 'localRegion',
      });
    });
  }
}
