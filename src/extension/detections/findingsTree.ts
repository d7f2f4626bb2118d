import * as vscode from 'vscode';
import { findingMarkdown, findingSubject, levelLabel } from '../../core/detections/findingText';
import { LEVELS, levelRank, type Level } from '../../core/detections/types';
import { escapeControl } from '../../core/text/safeText';
import { CommandId } from '../commands/commandIds';
import type { FindingRow, FindingsModel } from './findingsModel';

export type FindingsGrouping = 'level' | 'rule' | 'caller';

export const GROUPINGS: readonly { id: FindingsGrouping; label: string }[] = [
  { id: 'level', label: 'Level, then rule' },
  { id: 'rule', label: 'Rule' },
  { id: 'caller', label: 'Caller' },
];

type Node = { kind: 'group'; key: string; label: string; rows: FindingRow[]; level?: Level; depth: number } | { kind: 'finding'; row: FindingRow };

const LEVEL_ICONS: Record<Level, vscode.ThemeIcon> = {
  critical: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
  high: new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground')),
  medium: new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground')),
  low: new vscode.ThemeIcon('info', new vscode.ThemeColor('problemsInfoIcon.foreground')),
  informational: new vscode.ThemeIcon('circle-outline'),
};

function byTime(a: FindingRow, b: FindingRow): number {
  return (a.finding.firstTime ?? '').localeCompare(b.finding.firstTime ?? '');
}

/** The Findings view: every finding of open documents, investigations and watches, grouped. */
export class FindingsTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;
  grouping: FindingsGrouping = 'level';

  constructor(private readonly model: FindingsModel) {
    this.subscription = model.onDidChange(() => this.refresh());
    void this.setContext();
  }

  setGrouping(grouping: FindingsGrouping): void {
    this.grouping = grouping;
    this.changed.fire();
  }

  refresh(): void {
    void this.setContext();
    this.changed.fire();
  }

  private setContext(): Thenable<unknown> {
    return vscode.commands.executeCommand('setContext', 'cloudtrailLens:findingsState', this.model.size === 0 ? 'empty' : 'some');
  }

  getChildren(node?: Node): Node[] {
    if (node?.kind === 'finding') return [];
    const rows = node ? node.rows : this.model.rows();
    const depth = node ? node.depth + 1 : 0;
    if (node && (this.grouping !== 'level' || depth > 1)) return [...rows].sort(byTime).map((row) => ({ kind: 'finding', row }));
    if (this.grouping === 'level' && depth === 0) {
      return [...LEVELS]
        .reverse()
        .map((level) => ({ kind: 'group' as const, key: `level:${level}`, label: levelLabel(level), level, rows: rows.filter((r) => r.finding.level === level), depth }))
        .filter((g) => g.rows.length > 0);
    }
    const keyOf = (r: FindingRow): [string, string] =>
      this.grouping === 'caller' ? [r.finding.event?.caller ?? '', r.finding.event?.callerLabel ?? r.finding.event?.caller ?? 'Unknown caller'] : [r.finding.ruleId, r.finding.title];
    const groups = new Map<string, Node & { kind: 'group' }>();
    for (const r of rows) {
      const [key, label] = keyOf(r);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { kind: 'group', key: `${node?.key ?? this.grouping}/${key}`, label, rows: [], depth, level: r.finding.level }));
      g.rows.push(r);
      if (levelRank(r.finding.level) > levelRank(g.level!)) g.level = r.finding.level;
    }
    return [...groups.values()].sort((a, b) => levelRank(b.level!) - levelRank(a.level!) || b.rows.length - a.rows.length || a.label.localeCompare(b.label));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(escapeControl(node.label), node.depth === 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
      item.id = node.key;
      item.description = `${node.rows.length}`;
      item.iconPath = node.level ? LEVEL_ICONS[node.level] : undefined;
      item.contextValue = 'findingGroup';
      return item;
    }
    const f = node.row.finding;
    const item = new vscode.TreeItem(findingSubject(f), vscode.TreeItemCollapsibleState.None);
    item.description = escapeControl(`${this.grouping === 'rule' ? '' : `${f.title} · `}${f.firstTime ?? ''} · ${node.row.source.label}`);
    const tooltip = new vscode.MarkdownString(findingMarkdown(f));
    tooltip.isTrusted = false;
    item.tooltip = tooltip;
    item.iconPath = LEVEL_ICONS[f.level];
    item.contextValue = 'finding';
    item.command = { title: 'Open Event', command: CommandId.OpenFinding, arguments: [node.row] };
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
