import * as vscode from 'vscode';
import { findAwsLogsFolders } from '../../core/awsLogsLayout';
import { CommandId } from '../commands/commandIds';
import type { Config } from '../config';
import { log } from '../log';
import { LocalTrailNode } from './localTrailNode';
import { MessageNode, type TreeNode } from './treeNode';

/**
 * The "Trails" view. Roots are local trails (workspace folders holding an `AWSLogs/` layout); when
 * there are none it returns no roots, so the view's welcome content shows.
 */
export class TrailsTreeProvider implements vscode.TreeDataProvider<TreeNode> {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private config: Config) {}

  refresh(config?: Config): void {
    if (config) {
      this.config = config;
    }
    this.changed.fire(undefined);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem | Promise<vscode.TreeItem> {
    return node.getTreeItem();
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    try {
      if (node) {
        return node.getChildren ? await node.getChildren() : [];
      }
      return await this.roots();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      log.error('Trails view: listing failed', error);
      return [
        new MessageNode(`Could not list: ${reason} (click to retry)`, {
          icon: new vscode.ThemeIcon('error'),
          tooltip: reason,
          command: { command: CommandId.RefreshTrails, title: 'Retry' },
          contextValue: 'error',
        }),
      ];
    }
  }

  private async roots(): Promise<TreeNode[]> {
    if (!this.config.localTrailsEnabled) {
      return [];
    }
    const nodes: TreeNode[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') {
        continue;
      }
      for (const layout of await findAwsLogsFolders(folder.uri.fsPath, this.config.localTrailsSearchDepth)) {
        nodes.push(new LocalTrailNode(layout, folder));
      }
    }
    return nodes;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
