import * as vscode from 'vscode';

/** A node of the trails explorer: builds its own TreeItem and lists its own children. */
export interface TreeNode {
  getTreeItem(): vscode.TreeItem | Promise<vscode.TreeItem>;
  getChildren?(): Promise<TreeNode[]>;
}

/** A leaf that only shows a message (an empty list's placeholder, a failure with "click to retry"). */
export class MessageNode implements TreeNode {
  constructor(
    private readonly label: string,
    private readonly options: { tooltip?: string; icon?: vscode.ThemeIcon; command?: vscode.Command; contextValue?: string } = {},
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.tooltip = this.options.tooltip;
    item.iconPath = this.options.icon;
    item.command = this.options.command;
    item.contextValue = this.options.contextValue ?? 'message';
    return item;
  }
}
