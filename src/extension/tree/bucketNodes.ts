import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ObjectInfo, ObjectStore } from '../../core/aws/objectStore';
import { objectRowName, parseDigestKey, parseLogFolder, type LogFolderParts } from '../../core/integrity/trailLayout';
import { escapeControl } from '../../core/text/safeText';
import type { EventSourceRef } from '../documents/eventDocumentUri';
import type { ObjectRef } from '../documents/objectDocuments';
import { ChildrenCache, MessageNode, type TreeHost, type TreeNode } from './treeNode';

/** Where a bucket's objects come from and how to open one. */
export interface BucketSource {
  /** `s3://bucket/prefix` or a folder path, for labels and tooltips. */
  label: string;
  store(): Promise<ObjectStore>;
  /** The command that opens an object (an event document for logs, the inflated JSON for digests). */
  openCommand(object: ObjectInfo): vscode.Command;
  /** The object as S3 object or local file, for commands such as "Validate This Log File". */
  refOf(object: ObjectInfo): ObjectRef;
  /** A folder of a local copy as one event source (a folder of S3 is read object by object). */
  folderRef?(prefix: string): EventSourceRef;
  /** What "Validate" on a log folder checks: the trail (`trailArn`) or the local copy (`folder`). */
  validateBase: { trailArn: string } | { folder: string };
  describeError(error: unknown, call: string): string;
  /** Stable id prefix for tree items, so expansion survives a refresh. */
  id: string;
  pageSize: number;
}

function folderLabel(prefix: string): string {
  const trimmed = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1) || '/';
}

function size(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** The request that validates one digest: the log files delivered in the hour it covers. */
export function digestValidateRequest<B extends { trailArn: string } | { folder: string }>(base: B, key: string): (B & { accountId: string; regions: string[]; start: string; end: string }) | undefined {
  const digest = parseDigestKey(key);
  if (!digest) return undefined;
  return { ...base, accountId: digest.location.accountId, regions: [digest.region], start: new Date(digest.endMs - 3_600_000 + 1000).toISOString(), end: new Date(digest.endMs).toISOString() };
}

/**
 * A folder of the bucket (a key prefix): lists one level lazily, a page at a time, with a "Load
 * more" item when there is more.
 */
export class FolderNode implements TreeNode {
  private readonly loaded: TreeNode[] = [];
  private nextToken: string | undefined;
  private started = false;
  private readonly cache: ChildrenCache;

  constructor(
    private readonly host: TreeHost,
    private readonly source: BucketSource,
    readonly prefix: string,
    private readonly label?: string,
    private readonly description?: string,
  ) {
    this.cache = new ChildrenCache(host, this);
  }

  getTreeItem(): vscode.TreeItem {
    // Folder names, bucket names and paths are input: shown with controls escaped (the id stays exact).
    const item = new vscode.TreeItem(escapeControl(this.label ?? folderLabel(this.prefix)), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `${this.source.id}/${this.prefix}`;
    item.description = this.description === undefined ? undefined : escapeControl(this.description);
    item.iconPath = this.label ? new vscode.ThemeIcon('database') : vscode.ThemeIcon.Folder;
    item.tooltip = escapeControl(`${this.source.label}${this.label ? '' : ` · ${this.prefix}`}`);
    // A region, year, month or day folder of log files opens as events and validates.
    item.contextValue = this.label ? 'bucket' : this.logFolder ? 'logFolder' : 'bucketFolder';
    return item;
  }

  /** The account, region and span of a log folder; undefined for other folders. */
  get logFolder(): LogFolderParts | undefined {
    return parseLogFolder(this.prefix);
  }

  get sourceLabel(): string {
    return this.source.label;
  }

  /** What "Validate" on this log folder asks the validation for: its account, region and span. */
  validateRequest(): ({ trailArn: string } | { folder: string }) & { accountId: string; regions: string[]; start?: string; end?: string; all?: boolean } | undefined {
    const parts = this.logFolder;
    if (!parts) return undefined;
    const span = parts.start !== undefined && parts.end !== undefined ? { start: new Date(parts.start).toISOString(), end: new Date(parts.end).toISOString() } : 'folder' in this.source.validateBase ? { all: true } : {};
    return { ...this.source.validateBase, accountId: parts.accountId, regions: [parts.region], ...span };
  }

  /**
   * The folder's log files as event sources: the folder itself for a local copy, else every log
   * object under it (listed, with `signal` to stop).
   */
  async eventSources(signal?: AbortSignal): Promise<EventSourceRef[]> {
    if (this.source.folderRef) return [this.source.folderRef(this.prefix)];
    const store = await this.source.store();
    const refs: EventSourceRef[] = [];
    for await (const object of store.list(this.prefix, { signal })) {
      const row = objectRowName(object.key);
      if (row && !row.digest) refs.push(this.source.refOf(object));
    }
    return refs;
  }

  reset(): void {
    this.loaded.length = 0;
    this.nextToken = undefined;
    this.started = false;
    this.cache.reset();
  }

  getChildren(): Promise<TreeNode[]> {
    return this.cache.get(async () => {
      if (!this.started) {
        await this.loadPage();
      }
      const children = [...this.loaded];
      if (children.length === 0) {
        return [new MessageNode('Empty', { icon: new vscode.ThemeIcon('info') })];
      }
      if (this.nextToken !== undefined) {
        children.push(new LoadMoreNode(this));
      }
      return children;
    }, (error) => this.source.describeError(error, 'ListObjectsV2'));
  }

  private async loadPage(): Promise<void> {
    const store = await this.source.store();
    const page = await store.listFolder(this.prefix, { maxKeys: this.source.pageSize, nextToken: this.nextToken });
    this.started = true;
    this.nextToken = page.nextToken;
    for (const folder of page.folders) this.loaded.push(new FolderNode(this.host, this.source, folder));
    for (const object of page.objects) this.loaded.push(new ObjectNode(this.source, object, this.host));
  }

  /** Appends the next page (the "Load more" item's command). */
  async loadMore(): Promise<void> {
    try {
      await this.loadPage();
    } finally {
      this.cache.reset();
      // The whole tree, not this row alone: an expanded subfolder would otherwise list nothing (see TreeHost.redrawAll).
      this.host.redrawAll();
    }
  }
}

export class LoadMoreNode implements TreeNode {
  constructor(readonly folder: FolderNode) {}

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Load more…', vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.contextValue = 'loadMore';
    item.command = { command: 'cloudtrailLens.loadMore', title: 'Load more', arguments: [this] };
    return item;
  }
}

/** A log or digest file; clicking opens it. */
export class ObjectNode implements TreeNode {
  constructor(
    private readonly source: BucketSource,
    readonly object: ObjectInfo,
    private readonly host?: TreeHost,
  ) {}

  get ref(): ObjectRef {
    return this.source.refOf(this.object);
  }

  /**
   * For a digest: what validates it, its trail (or local copy), account and region, over the hour
   * of log files it covers. Undefined for any other file.
   */
  digestRequest(): ({ trailArn: string } | { folder: string }) & { accountId: string; regions: string[]; start: string; end: string } | undefined {
    return digestValidateRequest(this.source.validateBase, this.object.key);
  }

  getTreeItem(): vscode.TreeItem {
    const name = path.posix.basename(this.object.key);
    // A file CloudTrail named reads `00:12 · us-east-1 · 7.3 KB` (the day is the folder's); the full name is in the tooltip.
    const row = objectRowName(this.object.key);
    const item = new vscode.TreeItem(escapeControl(row ? row.time : name), vscode.TreeItemCollapsibleState.None);
    item.id = `${this.source.id}/${this.object.key}`;
    const digest = row ? row.digest : /CloudTrail-Digest/.test(this.object.key);
    item.iconPath = new vscode.ThemeIcon(digest ? 'verified' : 'file');
    item.description = row ? `${digest ? 'digest · ' : ''}${row.region} · ${size(this.object.size)}` : size(this.object.size);
    item.tooltip = `${escapeControl(name)}\n${escapeControl(`${this.source.label} · ${this.object.key}`)}${this.object.lastModified ? `\nLast modified ${this.object.lastModified.toISOString()}` : ''}`;
    // A file the last check found wrong says so: icon, verdict first in the description, the finding in the tooltip.
    const mark = this.host?.integrityMark?.(this.ref);
    if (mark) {
      item.iconPath = new vscode.ThemeIcon(mark.severity === 'error' ? 'error' : 'warning', new vscode.ThemeColor(mark.severity === 'error' ? 'errorForeground' : 'list.warningForeground'));
      item.description = `${mark.phrase} · ${item.description}`;
      item.tooltip = `${escapeControl(mark.message)}\n\n${item.tooltip}`;
    }
    item.contextValue = digest ? 'digestFile' : 'logFile';
    item.command = this.source.openCommand(this.object);
    return item;
  }
}
