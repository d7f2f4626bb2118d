import * as vscode from 'vscode';
import type { ObjectRef } from '../documents/objectDocuments';
import type { IntegrityMark, IntegrityMarks } from '../integrity/integrityMarks';
import type { MonitoringService } from '../monitoring/monitoringService';
import { findAwsLogsFolders } from '../../core/awsLogsLayout';
import type { AwsSession } from '../aws/awsSession';
import type { Config } from '../config';
import type { ValidationHistory } from '../integrity/validationHistory';
import type { ProtectionService } from '../protection/protectionService';
import { log } from '../log';
import { AwsProfileNode } from './awsTrailNodes';
import { LocalTrailNode } from './localTrailNode';
import { ErrorNode, type TreeHost, type TreeNode } from './treeNode';

/** Drives the view's welcome content: why the tree is empty. */
export type TreeState = 'loading' | 'noProfile' | 'ready';

/**
 * The "Trails" view: the AWS profile with the trails of the selected regions, and local trails
 * (workspace folders holding an `AWSLogs/` layout). With nothing to show it returns no roots, so
 * the view's welcome content explains why and what to do.
 */
export class TrailsTreeProvider implements vscode.TreeDataProvider<TreeNode>, TreeHost {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: Promise<TreeNode[]> | undefined;
  private readonly parents = new WeakMap<TreeNode, TreeNode>();

  constructor(
    private config: Config,
    private readonly session: AwsSession,
    private readonly history: ValidationHistory,
    private readonly protection: ProtectionService,
    private readonly marks?: IntegrityMarks,
    private readonly monitoring?: MonitoringService,
  ) {}

  integrityMark(ref: ObjectRef): IntegrityMark | undefined {
    return this.marks?.of(ref);
  }

  /** Redraws one node (its children are listed again), or the whole tree. */
  refresh(node?: TreeNode): void {
    if (node) {
      node.reset?.();
      this.changed.fire(node);
      return;
    }
    this.roots = undefined;
    this.changed.fire(undefined);
  }

  /** The local trail nodes of the tree (listing the roots if needed). */
  async localTrailNodes(): Promise<LocalTrailNode[]> {
    const roots = await (this.roots ??= this.listRoots());
    return roots.filter((r): r is LocalTrailNode => r instanceof LocalTrailNode);
  }

  redraw(node: TreeNode): void {
    this.changed.fire(node);
  }

  /** Redraws every row without listing again (an integrity check marked or cleared files). */
  redrawAll(): void {
    this.changed.fire(undefined);
  }

  updateConfig(config: Config): void {
    this.config = config;
    this.refresh();
  }

  getTreeItem(node: TreeNode): vscode.TreeItem | Promise<vscode.TreeItem> {
    return node.getTreeItem();
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return this.parents.get(node);
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    try {
      const children = node ? (node.getChildren ? await node.getChildren() : []) : await (this.roots ??= this.listRoots());
      for (const child of children) if (node) this.parents.set(child, node);
      return children;
    } catch (error) {
      log.error('Trails view: listing failed', error);
      return [new ErrorNode(`Could not list: ${error instanceof Error ? error.message : String(error)}`, () => this.refresh(node))];
    }
  }

  private async listRoots(): Promise<TreeNode[]> {
    await setState('loading');
    const nodes: TreeNode[] = [];
    let hasAws = false;
    if (this.session.enabled && (await this.session.hasCredentialsSource())) {
      hasAws = true;
      nodes.push(new AwsProfileNode({ host: this, session: this.session, history: this.history, config: () => this.config, protection: this.protection, monitoring: this.monitoring }));
    }
    if (this.config.localTrailsEnabled) {
      for (const folder of vscode.workspace.workspaceFolders ?? []) {
        if (folder.uri.scheme !== 'file') continue;
        for (const layout of await findAwsLogsFolders(folder.uri.fsPath, this.config.localTrailsSearchDepth)) {
          nodes.push(new LocalTrailNode(this, layout, folder, this.history, () => this.config.explorerPageSize));
        }
      }
    }
    await setState(hasAws || nodes.length > 0 ? 'ready' : 'noProfile');
    return nodes;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

async function setState(state: TreeState): Promise<void> {
  await vscode.commands.executeCommand('setContext', 'cloudtrailLens:treeState', state);
  await vscode.commands.executeCommand('setContext', 'cloudtrailLens:awsEnabled', vscode.workspace.isTrusted);
}
