import * as vscode from 'vscode';
import { describeAwsError } from '../../core/aws/awsErrors';
import type { ObjectInfo } from '../../core/aws/objectStore';
import { lookupLimiter } from '../../core/aws/rateLimiter';
import { searchEvents } from '../../core/aws/searchEvents';
import { listTrails, trailAccount } from '../../core/aws/trailCatalog';
import type { TrailStatusInfo, TrailSummary } from '../../core/aws/trailApi';
import { callerOf } from '../../core/events/identity';
import type { CloudTrailRecord } from '../../core/events/records';
import { describeOwnership, trailOwnership, type TrailOwnership } from '../../core/protection';
import { escapeControl, escapeMarkdownText, markdownCode } from '../../core/text/safeText';
import type { AwsSession } from '../aws/awsSession';
import type { Config } from '../config';
import type { ValidationHistory } from '../integrity/validationHistory';
import type { ProtectionService } from '../protection/protectionService';
import { FolderNode, type BucketSource } from './bucketNodes';
import { DigestStatusNode } from './digestStatusNode';
import type { MonitoringService } from '../monitoring/monitoringService';
import { AccountChecksNode } from './accountChecksNode';
import { MonitoringNode } from './monitoringNode';
import { ProtectionNode } from './protectionNode';
import { ago, ChildrenCache, isoMinute, MessageNode, type TreeHost, type TreeNode } from './treeNode';

/** What AWS nodes share. */
export interface AwsTreeContext {
  host: TreeHost;
  session: AwsSession;
  history: ValidationHistory;
  config: () => Config;
  protection: ProtectionService;
  monitoring?: MonitoringService;
}

function describe(ctx: AwsTreeContext, call: string, target: string) {
  return (error: unknown): string => describeAwsError(error, call, target, ctx.session.profile).message;
}

/** The root of the AWS part of the tree: the profile, with every trail of the selected regions. */
export class AwsProfileNode implements TreeNode {
  private readonly cache: ChildrenCache;

  constructor(private readonly ctx: AwsTreeContext) {
    this.cache = new ChildrenCache(ctx.host, this);
  }

  async getTreeItem(): Promise<vscode.TreeItem> {
    const regions = await this.ctx.session.regions();
    const item = new vscode.TreeItem(escapeControl(`AWS · ${this.ctx.session.profile ?? 'default credentials'}`), vscode.TreeItemCollapsibleState.Expanded);
    item.id = 'aws-profile';
    item.description = regions.length <= 3 ? regions.join(', ') : `${regions.length} regions`;
    item.tooltip = `Profile ${escapeControl(this.ctx.session.profile ?? '(default credential chain)')}\nRegions: ${escapeControl(regions.join(', '))}`;
    item.iconPath = new vscode.ThemeIcon('cloud');
    item.contextValue = 'awsProfile';
    return item;
  }

  reset(): void {
    this.cache.reset();
  }

  getChildren(): Promise<TreeNode[]> {
    return this.cache.get(
      async () => {
        const regions = await this.ctx.session.regions();
        const catalog = await listTrails(regions.map((r) => this.ctx.session.trailApi(r)));
        const nodes: TreeNode[] = [];
        if (catalog.failures.length === regions.length && regions.length > 0) {
          throw catalog.failures[0].error;
        }
        const [statuses, viewer] = await Promise.all([
          Promise.all(catalog.trails.map((t) => this.ctx.session.trailApi(t.homeRegion).getTrailStatus(t.arn).catch((error: unknown) => error))),
          this.ctx.session.accountId().catch(() => undefined),
        ]);
        catalog.trails.forEach((trail, i) => nodes.push(new AwsTrailNode(this.ctx, trail, statuses[i], trailOwnership(trail, viewer))));
        for (const failure of catalog.failures) {
          nodes.push(new MessageNode(`${failure.region}: ${describeAwsError(failure.error, 'DescribeTrails', failure.region, this.ctx.session.profile).message}`, { icon: new vscode.ThemeIcon('warning') }));
        }
        // After the trails and the regions that failed: checks of the account as a whole.
        nodes.push(new AccountChecksNode(this.ctx.host, this.ctx.session, catalog.trails, regions));
        if (catalog.trails.length === 0) {
          nodes.unshift(
            new MessageNode(`No trails in ${regions.join(', ')}`, {
              icon: new vscode.ThemeIcon('info'),
              tooltip: 'Select more regions, or another profile.',
              command: { command: 'cloudtrailLens.selectRegions', title: 'Select Regions' },
              contextValue: 'noTrails',
            }),
          );
        }
        return nodes;
      },
      describe(this.ctx, 'DescribeTrails', 'the selected regions'),
    );
  }
}

/** A trail of the account: badges, then Status, Bucket, Digest status and Recent events. */
export class AwsTrailNode implements TreeNode {
  constructor(
    private readonly ctx: AwsTreeContext,
    readonly trail: TrailSummary,
    private readonly status: TrailStatusInfo | unknown,
    /** Whose trail, seen from the profile's account (without the delegated administrator list, which the protection checks read). */
    private readonly ownership?: TrailOwnership,
  ) {}

  private get knownStatus(): TrailStatusInfo | undefined {
    return this.status instanceof Error || this.status === undefined ? undefined : (this.status as TrailStatusInfo);
  }

  getTreeItem(): vscode.TreeItem {
    const t = this.trail;
    // Names, ARNs and buckets are AWS answers: shown escaped (the id stays exact).
    const item = new vscode.TreeItem(escapeControl(t.name), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `trail:${t.arn}`;
    const badges = [t.homeRegion, t.isMultiRegion ? 'multi-region' : 'single-region'];
    const o = this.ownership;
    if (t.isOrganizationTrail) badges.push(o?.kind === 'organization-management' ? 'organization · management account' : o?.owner && o.viewer && o.owner !== o.viewer ? `organization of ${o.owner}` : 'organization');
    else if (o?.kind === 'other-account') badges.push(`account ${o.owner}`);
    const status = this.knownStatus;
    badges.push(status ? (status.isLogging ? 'logging' : 'NOT logging') : 'status unknown');
    item.description = escapeControl(badges.join(' · '));
    // Without ListDelegatedAdministrators (the protection checks read it) a member and a delegated administrator look alike.
    const shadows = o?.shadowRegions?.length ? ` It also appears as a shadow trail in ${o.shadowRegions.join(', ')}.` : '';
    const whoseText = !o || o.kind === 'unknown' ? '' : o.kind === 'organization-member' ? `An organization trail of management account ${o.owner}, seen from account ${o.viewer} (a member account, or a CloudTrail delegated administrator: Check Trail Protection tells which).${shadows}` : describeOwnership(o);
    const whose = whoseText ? `\n\n${escapeMarkdownText(whoseText)}` : '';
    item.tooltip = new vscode.MarkdownString(`**${escapeMarkdownText(t.name)}**\n\n${markdownCode(t.arn, { table: false })}\n\nBucket ${markdownCode(`s3://${t.s3BucketName ?? '?'}${t.s3KeyPrefix ? `/${t.s3KeyPrefix}` : ''}`, { table: false })}${whose}`);
    item.iconPath = new vscode.ThemeIcon(status && !status.isLogging ? 'debug-pause' : 'eye', status && !status.isLogging ? new vscode.ThemeColor('errorForeground') : undefined);
    item.contextValue = 'trail';
    return item;
  }

  /** Made once: a redraw must find the same Protection and Monitoring nodes, whose rows it keeps expanded. */
  private children: TreeNode[] | undefined;

  async getChildren(): Promise<TreeNode[]> {
    this.children ??= this.makeChildren();
    return this.children;
  }

  private makeChildren(): TreeNode[] {
    const t = this.trail;
    const nodes: TreeNode[] = [this.statusNode()];
    if (t.s3BucketName) {
      const bucket = t.s3BucketName;
      const prefix = t.s3KeyPrefix ? `${t.s3KeyPrefix.replace(/\/$/, '')}/` : '';
      const source: BucketSource = {
        label: `s3://${bucket}/${prefix}`,
        id: `s3://${bucket}`,
        pageSize: this.ctx.config().explorerPageSize,
        store: () => this.ctx.session.s3Store(bucket),
        openCommand: (object: ObjectInfo) => ({ command: 'cloudtrailLens.openS3Object', title: 'Open', arguments: [bucket, object.key] }),
        refOf: (object: ObjectInfo) => ({ kind: 's3', bucket, key: object.key }),
        validateBase: { trailArn: t.arn },
        describeError: (error, call) => describeAwsError(error, call, `s3://${bucket}`, this.ctx.session.profile).message,
      };
      nodes.push(new FolderNode(this.ctx.host, source, prefix, `Bucket`, `s3://${bucket}${prefix ? `/${prefix.slice(0, -1)}` : ''}`));
    } else {
      nodes.push(new MessageNode('Bucket', { description: 'none configured', icon: new vscode.ThemeIcon('warning') }));
    }
    nodes.push(
      new DigestStatusNode(t.arn, async () => ({ validationEnabled: t.logFileValidationEnabled, status: this.knownStatus }), this.ctx.history, this, false),
      new ProtectionNode(this.ctx.host, this.ctx.protection, t, () => this.ctx.session.profile),
      ...(this.ctx.monitoring ? [new MonitoringNode(this.ctx.host, this.ctx.monitoring, t, () => this.ctx.session.profile)] : []),
      new RecentEventsNode(this.ctx, t),
    );
    return nodes;
  }

  private statusNode(): TreeNode {
    const status = this.knownStatus;
    if (!status) {
      const reason = describeAwsError(this.status, 'GetTrailStatus', this.trail.name, this.ctx.session.profile).message;
      return new MessageNode('Status', { description: 'could not be read', tooltip: escapeControl(reason), icon: new vscode.ThemeIcon('warning') });
    }
    return new TrailStatusNode(this.trail, status);
  }

  /** The account id, from the ARN (for organization trails, the management account). */
  get accountId(): string | undefined {
    return trailAccount(this.trail.arn);
  }
}

class TrailStatusNode implements TreeNode {
  constructor(
    private readonly trail: TrailSummary,
    private readonly status: TrailStatusInfo,
  ) {}

  getTreeItem(): vscode.TreeItem {
    const s = this.status;
    const item = new vscode.TreeItem('Status', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `trail:${this.trail.arn}#status`;
    item.description = `${s.isLogging ? 'logging' : 'NOT logging'}${s.latestDeliveryTime ? ` · delivered ${ago(s.latestDeliveryTime)}` : ''}${s.latestDeliveryError ? ' · delivery error' : ''}`;
    item.iconPath = new vscode.ThemeIcon(s.isLogging && !s.latestDeliveryError ? 'pass' : 'warning');
    item.contextValue = 'trailStatus';
    return item;
  }

  async getChildren(): Promise<TreeNode[]> {
    const s = this.status;
    const time = (d: Date | undefined): string | undefined => (d ? `${isoMinute(d)} · ${ago(d)}` : undefined);
    const rows: TreeNode[] = [new MessageNode('Logging', { description: s.isLogging ? 'on' : 'off', icon: new vscode.ThemeIcon(s.isLogging ? 'pass' : 'error') })];
    rows.push(new MessageNode('Latest delivery', { description: time(s.latestDeliveryTime) ?? 'none yet' }));
    if (s.latestDeliveryError) rows.push(new MessageNode('Latest delivery error', { description: s.latestDeliveryError, icon: new vscode.ThemeIcon('error') }));
    if (s.startLoggingTime) rows.push(new MessageNode('Started logging', { description: time(s.startLoggingTime) }));
    if (s.stopLoggingTime) rows.push(new MessageNode('Stopped logging', { description: time(s.stopLoggingTime), icon: new vscode.ThemeIcon('warning') }));
    return rows;
  }
}

/** The latest LookupEvents page of the trail's home region. */
export class RecentEventsNode implements TreeNode {
  private readonly cache: ChildrenCache;
  private records: CloudTrailRecord[] = [];

  constructor(
    private readonly ctx: AwsTreeContext,
    readonly trail: TrailSummary,
  ) {
    this.cache = new ChildrenCache(ctx.host, this);
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Recent events', vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `trail:${this.trail.arn}#recent`;
    item.description = `LookupEvents · ${this.trail.homeRegion}`;
    item.iconPath = new vscode.ThemeIcon('history');
    item.contextValue = 'recentEvents';
    item.tooltip = 'The latest management events of the home region (one LookupEvents page). Open them as a document with the inline action.';
    return item;
  }

  reset(): void {
    this.cache.reset();
  }

  /** The events of the last listing (for "Open as Document"). */
  get loadedRecords(): CloudTrailRecord[] {
    return this.records;
  }

  getChildren(): Promise<TreeNode[]> {
    return this.cache.get(
      async () => {
        const api = this.ctx.session.trailApi(this.trail.homeRegion);
        const result = await searchEvents(api, { maxEvents: 50 }, { limiter: lookupLimiter(this.ctx.session.profile ?? '', this.trail.homeRegion) });
        this.records = result.records;
        if (result.records.length === 0) {
          return [new MessageNode('No events in the last 90 days', { icon: new vscode.ThemeIcon('info') })];
        }
        return result.records.map(
          (r) =>
            new MessageNode(`${r.eventName ?? 'event'}`, {
              description: `${r.eventTime ?? ''} · ${callerOf(r).label}${r.errorCode ? ` · ${r.errorCode}` : ''}`,
              icon: new vscode.ThemeIcon(r.errorCode ? 'error' : 'symbol-event'),
              command: { command: 'cloudtrailLens.openRecentEvents', title: 'Open as Document', arguments: [this] },
              contextValue: 'recentEvent',
            }),
        );
      },
      describe(this.ctx, 'LookupEvents', this.trail.homeRegion),
    );
  }
}
