import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LocalTrailLayout } from '../../core/awsLogsLayout';
import { LocalObjectStore, OFFLINE_MANIFEST, PUBLIC_KEYS_FILE } from '../../core/aws/localObjectStore';
import type { ObjectInfo, ObjectStore } from '../../core/aws/objectStore';
import { parseDigestKey } from '../../core/integrity';
import { escapeControl, escapeMarkdownText, markdownCode } from '../../core/text/safeText';
import type { ValidationHistory } from '../integrity/validationHistory';
import { FolderNode, type BucketSource } from './bucketNodes';
import { DigestStatusNode, type DigestFacts } from './digestStatusNode';
import type { TreeHost, TreeNode } from './treeNode';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The newest digest under a CloudTrail-Digest/{region}/ prefix, following the newest year, month and day. */
async function newestDigestIn(store: ObjectStore, prefix: string): Promise<Date | undefined> {
  let current = prefix;
  for (let depth = 0; depth < 3; depth++) {
    const folders = (await store.listFolder(current)).folders;
    if (folders.length === 0) return undefined;
    current = folders[folders.length - 1];
  }
  const files = (await store.listFolder(current)).objects;
  let newest: Date | undefined;
  for (const f of files) {
    const endMs = parseDigestKey(f.key)?.endMs;
    if (endMs !== undefined && (!newest || endMs > newest.getTime())) newest = new Date(endMs);
  }
  return newest;
}

/** A workspace folder that holds an `AWSLogs/` layout, shown as a trail read from disk. */
export class LocalTrailNode implements TreeNode {
  private store: Promise<LocalObjectStore> | undefined;

  constructor(
    private readonly host: TreeHost,
    readonly layout: LocalTrailLayout,
    private readonly workspaceFolder: vscode.WorkspaceFolder,
    private readonly history: ValidationHistory,
    private readonly pageSize: () => number,
  ) {}

  /** The folder as a bucket: the same paths S3 keys have. */
  openStore(): Promise<LocalObjectStore> {
    this.store ??= LocalObjectStore.open(this.layout.root);
    return this.store;
  }

  get trailId(): string {
    return `local:${this.layout.root}`;
  }

  getTreeItem(): vscode.TreeItem {
    const relative = path.relative(this.workspaceFolder.uri.fsPath, this.layout.root);
    const label = relative === '' ? this.workspaceFolder.name : `${this.workspaceFolder.name}/${relative.split(path.sep).join('/')}`;
    // Folder names are input: shown escaped (the id and resourceUri stay exact).
    const item = new vscode.TreeItem(escapeControl(label), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.trailId;
    const accounts = this.layout.accounts;
    const regions = new Set(accounts.flatMap((a) => [...a.logRegions, ...a.digestRegions]));
    item.description = escapeControl(`local · ${accounts.length === 1 ? accounts[0].accountId : plural(accounts.length, 'account')} · ${plural(regions.size, 'region')}`);
    item.tooltip = new vscode.MarkdownString(`Local trail folder\n\n${markdownCode(this.layout.root, { table: false })}\n\nAccounts: ${escapeMarkdownText(accounts.map((a) => `${a.organizationId ? `${a.organizationId}/` : ''}${a.accountId}`).join(', '))}`);
    item.iconPath = new vscode.ThemeIcon('folder-library');
    item.contextValue = 'localTrail';
    item.resourceUri = vscode.Uri.file(this.layout.root);
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    const root = this.layout.root;
    const source: BucketSource = {
      label: root,
      id: this.trailId,
      pageSize: this.pageSize(),
      store: () => this.openStore(),
      openCommand: (object: ObjectInfo) => ({ command: 'cloudtrailLens.openLocalObject', title: 'Open', arguments: [vscode.Uri.file(path.join(root, ...object.key.split('/')))] }),
      refOf: (object: ObjectInfo) => ({ kind: 'file', path: path.join(root, ...object.key.split('/')) }),
      folderRef: (prefix: string) => ({ kind: 'file', path: path.join(root, ...prefix.split('/').filter(Boolean)) }),
      validateBase: { folder: root },
      describeError: (error) => `Could not read ${root}: ${error instanceof Error ? error.message : String(error)}`,
    };
    const facts = async (): Promise<DigestFacts> => {
      const store = await this.openStore();
      let newest: Date | undefined;
      for (const account of this.layout.accounts) {
        const base = path.relative(root, account.folder).split(path.sep).join('/');
        for (const region of account.digestRegions) {
          const t = await newestDigestIn(store, `${base}/CloudTrail-Digest/${region}/`);
          if (t && (!newest || t > newest)) newest = t;
        }
      }
      return { newestDigest: newest, offlineMetadata: existsSync(path.join(root, OFFLINE_MANIFEST)), publicKeys: existsSync(path.join(root, PUBLIC_KEYS_FILE)) };
    };
    return [new FolderNode(this.host, source, '', 'Bucket', 'local folder'), new DigestStatusNode(this.trailId, facts, this.history, this, true)];
  }
}
