import * as vscode from 'vscode';
import { escapeControl } from '../../core/text/safeText';
import type { ObjectRef } from '../documents/objectDocuments';
import type { IntegrityMark } from '../integrity/integrityMarks';

/** A node of the trails explorer: builds its own TreeItem and lists its own children. */
export interface TreeNode {
  getTreeItem(): vscode.TreeItem | Promise<vscode.TreeItem>;
  getChildren?(): Promise<TreeNode[]>;
  /** Forgets cached children (the next getChildren lists again). */
  reset?(): void;
}

/** What nodes need from the view. */
export interface TreeHost {
  /** What the last integrity checks found wrong with a file (its row shows the verdict). */
  integrityMark?(ref: ObjectRef): IntegrityMark | undefined;
  /** Forgets the node's children (reset) and redraws it. */
  refresh(node?: TreeNode): void;
  /** Redraws the node, keeping what it has loaded. */
  redraw(node: TreeNode): void;
  /**
   * Redraws every row, keeping what each has loaded. Use it, not redraw(node), for a node whose
   * children have children of their own: VS Code forgets an element's grandchildren when the element
   * alone is redrawn, and an expanded grandchild then lists nothing.
   */
  redrawAll(): void;
}

/**
 * A leaf that only shows a message (an empty list's placeholder, a fact, a failure). Its label and
 * description often come from input (event names, callers, AWS messages): both are shown with
 * controls escaped. A string tooltip is the caller's to escape, since it may hold line breaks.
 */
export class MessageNode implements TreeNode {
  constructor(
    private readonly label: string,
    private readonly options: { description?: string; tooltip?: string | vscode.MarkdownString; icon?: vscode.ThemeIcon; command?: vscode.Command; contextValue?: string; id?: string } = {},
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(escapeControl(this.label), vscode.TreeItemCollapsibleState.None);
    item.description = this.options.description === undefined ? undefined : escapeControl(this.options.description);
    item.tooltip = this.options.tooltip;
    item.iconPath = this.options.icon;
    item.command = this.options.command;
    item.contextValue = this.options.contextValue ?? 'message';
    item.id = this.options.id;
    return item;
  }
}

/**
 * A failed listing: shows the reason and retries when clicked (never by itself, so a failing call
 * is not repeated in a loop).
 */
export class ErrorNode implements TreeNode {
  constructor(
    readonly message: string,
    readonly retry: () => void,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(escapeControl(this.message), vscode.TreeItemCollapsibleState.None);
    item.description = 'click to retry';
    item.tooltip = new vscode.MarkdownString().appendText(escapeControl(this.message)).appendMarkdown('\n\nClick to try again.');
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    item.contextValue = 'error';
    item.command = { command: 'cloudtrailLens.retryNode', title: 'Retry', arguments: [this] };
    return item;
  }
}

/** Caches a node's children as a promise until reset, and turns a failure into an ErrorNode. */
export class ChildrenCache {
  private children: Promise<TreeNode[]> | undefined;

  constructor(
    private readonly host: TreeHost,
    private readonly owner: TreeNode,
  ) {}

  get(load: () => Promise<TreeNode[]>, describe: (error: unknown) => string): Promise<TreeNode[]> {
    this.children ??= load().catch((error: unknown) => [
      new ErrorNode(describe(error), () => {
        this.reset();
        this.host.refresh(this.owner);
      }),
    ]);
    return this.children;
  }

  reset(): void {
    this.children = undefined;
  }
}

/** `5 min ago`, `3 h ago`, `2 d ago`. */
export function ago(date: Date, now: Date = new Date()): string {
  const s = Math.round((now.getTime() - date.getTime()) / 1000);
  if (s < 0) return 'in the future';
  if (s < 90) return `${s} s ago`;
  if (s < 90 * 60) return `${Math.round(s / 60)} min ago`;
  if (s < 48 * 3600) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

export function isoMinute(date: Date): string {
  return date.toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}
