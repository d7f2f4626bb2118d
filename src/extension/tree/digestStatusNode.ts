import * as vscode from 'vscode';
import type { TrailStatusInfo } from '../../core/aws/trailApi';
import { escapeControl } from '../../core/text/safeText';
import { describeProblems } from '../integrity/integrityDiagnostics';
import type { ValidationHistory, ValidationRecord } from '../integrity/validationHistory';
import { ago, isoMinute, MessageNode, type TreeNode } from './treeNode';

const PASS = new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
const WARN = new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
const FAIL = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));

/** `2 errors, 1 warning` as the Problems panel counts them (older records: their total). */
function problemsText(record: ValidationRecord): string {
  if (record.errors === undefined || record.warnings === undefined) return `${record.problems} problem${record.problems === 1 ? '' : 's'}`;
  return describeProblems({ errors: record.errors, warnings: record.warnings });
}

/** `valid`, `invalid · 2 errors, 1 warning`, `incomplete · 3 warnings`. */
function verdictText(record: ValidationRecord): string {
  if (record.verdict === 'valid') return record.problems > 0 ? `valid · ${problemsText(record)}` : 'valid';
  return `${record.verdict} · ${problemsText(record)}`;
}

export function lastCheckNode(record: ValidationRecord | undefined): TreeNode {
  if (!record) {
    return new MessageNode('Last check', { description: 'not checked yet', icon: new vscode.ThemeIcon('circle-outline') });
  }
  const when = new Date(record.finishedAt);
  const icon = record.verdict === 'valid' ? PASS : record.verdict === 'invalid' ? FAIL : WARN;
  const verdict = verdictText(record);
  return new MessageNode('Last check', {
    description: `${verdict} · ${record.counts} · ${ago(when)}`,
    tooltip: `${record.counts}\n${problemsText(record)} in the Problems panel\nRange ${record.range.start} to ${record.range.end}\nRegions ${escapeControl(record.regions.join(', '))}\nFinished ${isoMinute(when)}\n\nClick to open the report.`,
    icon,
    contextValue: 'lastCheck',
    command: { command: 'cloudtrailLens.openLastReport', title: 'Open Report', arguments: [record.report] },
  });
}

export interface DigestFacts {
  validationEnabled?: boolean;
  /** AWS: from GetTrailStatus. */
  status?: TrailStatusInfo;
  /** Local: the newest digest file's time, from its name. */
  newestDigest?: Date;
  /** Local: whether the signatures' metadata and the public keys were saved beside the logs. */
  offlineMetadata?: boolean;
  publicKeys?: boolean;
}

/** "Digest status": log file validation, the latest digest, and what the last check found. */
export class DigestStatusNode implements TreeNode {
  constructor(
    readonly trailId: string,
    private readonly facts: () => Promise<DigestFacts>,
    private readonly history: ValidationHistory,
    /** The argument the inline "Validate…" action passes to its command. */
    readonly target: unknown,
    private readonly local: boolean,
  ) {}

  async getTreeItem(): Promise<vscode.TreeItem> {
    const item = new vscode.TreeItem('Digest status', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `${this.trailId}#digests`;
    const record = this.history.get(this.trailId);
    item.description = record ? `last check: ${verdictText(record)}` : 'not checked yet';
    item.iconPath = record ? (record.verdict === 'valid' ? PASS : record.verdict === 'invalid' ? FAIL : WARN) : new vscode.ThemeIcon('shield');
    item.contextValue = this.local ? 'digestStatusLocal' : 'digestStatus';
    item.tooltip = 'Log file validation and the last integrity check. Use the Validate… action to check the digests and log files.';
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    const f = await this.facts();
    const nodes: TreeNode[] = [];
    if (f.validationEnabled !== undefined) {
      nodes.push(
        new MessageNode('Log file validation', {
          description: f.validationEnabled ? 'enabled' : 'disabled: no digests are written',
          icon: f.validationEnabled ? PASS : FAIL,
        }),
      );
    }
    if (f.status) {
      const latest = f.status.latestDigestDeliveryTime;
      const late = latest !== undefined && Date.now() - latest.getTime() > 2 * 3600_000;
      nodes.push(
        new MessageNode('Latest digest', {
          description: latest ? `${isoMinute(latest)} · ${ago(latest)}${late ? ' (more than 2 h: digests arrive hourly)' : ''}` : 'none delivered',
          icon: latest && !late ? PASS : WARN,
        }),
      );
      if (f.status.latestDigestDeliveryError) {
        nodes.push(new MessageNode('Digest delivery error', { description: f.status.latestDigestDeliveryError, icon: FAIL, tooltip: escapeControl(f.status.latestDigestDeliveryError) }));
      }
    }
    if (this.local) {
      nodes.push(new MessageNode('Newest digest file', { description: f.newestDigest ? `${isoMinute(f.newestDigest)}` : 'no digest files in this folder', icon: f.newestDigest ? PASS : WARN }));
      nodes.push(
        new MessageNode('Signatures', {
          description: f.offlineMetadata ? 'metadata saved beside the logs' : 'no metadata: signatures cannot be checked offline',
          icon: f.offlineMetadata ? PASS : WARN,
          tooltip: 'aws s3 sync does not copy S3 object metadata, where CloudTrail keeps digest signatures. Use "Download Trail for Offline Validation" to keep them.',
        }),
        new MessageNode('Public keys', { description: f.publicKeys ? 'public-keys.json' : 'missing: signatures cannot be checked offline', icon: f.publicKeys ? PASS : WARN }),
      );
    }
    nodes.push(lastCheckNode(this.history.get(this.trailId)));
    return nodes;
  }
}
