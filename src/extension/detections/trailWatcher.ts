import * as vscode from 'vscode';
import { describeAwsError } from '../../core/aws/awsErrors';
import { lookupLimiter } from '../../core/aws/rateLimiter';
import { listTrails } from '../../core/aws/trailCatalog';
import type { TrailSummary } from '../../core/aws/trailApi';
import { findingMessage, levelLabel } from '../../core/detections/findingText';
import type { TrailWatch, WatchPoll } from '../../core/detections/trailWatch';
import { levelRank, type Finding } from '../../core/detections/types';
import type { CloudTrailRecord } from '../../core/events/records';
import { escapeControl } from '../../core/text/safeText';
import type { AwsSession } from '../aws/awsSession';
import type { Config } from '../config';
import type { EventDocuments } from '../documents/eventDocuments';
import type { MemoryEvents } from '../documents/eventSources';
import { log } from '../log';
import type { FindingRow, FindingsModel, FindingSource } from './findingsModel';
import type { RuleService } from './ruleService';

/** Records kept to open a watch's findings from (the newest; older findings open what is left). */
const MAX_KEPT_RECORDS = 20_000;

export interface WatchDeps {
  session: AwsSession;
  rules: RuleService;
  findings: FindingsModel;
  documents: EventDocuments;
  memory: MemoryEvents;
  config: () => Config;
}

/** What "Watch Trail…" is given: a trail node, a trail, or `{ trailArn }` (tests, keybindings). */
type Target = { trail: TrailSummary } | TrailSummary | { trailArn: string } | undefined;

/**
 * Watch Trail: one trail at a time, polled through LookupEvents in its home region (sharing the
 * rate limit of every other LookupEvents call there), its findings in the Findings view and a
 * notification for high and critical ones. Stops when the user says or the window closes.
 */
export class TrailWatcher implements vscode.Disposable {
  private watch: TrailWatch | undefined;
  private source: FindingSource | undefined;
  private readonly records = new Map<string, CloudTrailRecord>();
  private readonly status = vscode.window.createStatusBarItem('cloudtrailLens.watch', vscode.StatusBarAlignment.Left, 10);
  private readonly changed = new vscode.EventEmitter<WatchPoll>();
  /** Fires after each poll (tests wait on it). */
  readonly onDidPoll = this.changed.event;
  lastPoll: WatchPoll | undefined;

  constructor(private readonly deps: WatchDeps) {
    this.status.name = 'CloudTrail Lens: Watch Trail';
    this.status.command = 'cloudtrailLens.stopWatching';
  }

  get watching(): string | undefined {
    return this.source?.label;
  }

  async start(target?: unknown): Promise<boolean> {
    const { session } = this.deps;
    if (!session.enabled) {
      void vscode.window.showWarningMessage('CloudTrail Lens does not call AWS in an untrusted workspace. Trust the workspace to watch a trail.');
      return false;
    }
    const trail = await this.resolve(target as Target);
    if (!trail) return false;
    const loaded = await this.deps.rules.rules();
    if (!loaded) {
      void vscode.window.showWarningMessage('Watch Trail needs detection rules: turn on cloudtrailLens.detections.enabled (or add a rule folder).');
      return false;
    }
    await this.stop();
    const region = trail.homeRegion;
    const { TrailWatch } = await import('../../core/detections/trailWatch');
    const source: FindingSource = { id: `watch:${trail.arn}`, label: `Watch ${trail.name} (${region})`, kind: 'watch' };
    this.source = source;
    this.deps.findings.delete(source.id);
    let failures = 0;
    const watch = new TrailWatch({
      api: session.trailApi(region),
      limiter: lookupLimiter(session.profile ?? '', region),
      ruleSet: loaded.ruleSet,
      intervalMs: this.deps.config().watchIntervalSeconds * 1000,
      onFindings: (findings, records) => this.take(source, findings, records),
      onPoll: (poll) => {
        failures = 0;
        this.lastPoll = poll;
        this.status.text = `$(eye) ${escapeControl(trail.name)}`;
        this.status.tooltip = escapeControl(`Watching ${trail.name} in ${region}: last poll ${poll.at.toISOString()}, ${poll.newEvents} new event(s)${poll.truncated ? ' (more arrived than one poll reads)' : ''}. Click to stop.`);
        this.changed.fire(poll);
      },
      onError: (error) => {
        failures++;
        const message = describeAwsError(error, 'LookupEvents', region, session.profile).message;
        log.warn(`Watch Trail: poll failed: ${message}`);
        this.status.text = `$(eye-closed) ${escapeControl(trail.name)}: poll failed`;
        if (failures === 3) void vscode.window.showWarningMessage(`Watch Trail: ${message} It keeps trying every ${this.deps.config().watchIntervalSeconds} s.`, 'Stop Watching').then((a) => a && this.stop());
      },
    });
    this.watch = watch;
    this.status.text = `$(eye) ${escapeControl(trail.name)}`;
    this.status.show();
    await vscode.commands.executeCommand('setContext', 'cloudtrailLens:watching', true);
    log.info(`Watch Trail: watching ${escapeControl(trail.arn)} in ${region} every ${this.deps.config().watchIntervalSeconds} s`);
    watch.start();
    return true;
  }

  /** Polls now instead of at the next interval (tests; a "poll now" button could use it). */
  pollNow(): Promise<WatchPoll | undefined> {
    return this.watch ? this.watch.poll() : Promise.resolve(undefined);
  }

  async stop(): Promise<void> {
    const watch = this.watch;
    this.watch = undefined;
    this.source = undefined; // its findings stay in the view
    if (!watch) return;
    await watch.stop();
    this.status.hide();
    log.info(`Watch Trail: stopped (${watch.polls} poll(s))`);
    await vscode.commands.executeCommand('setContext', 'cloudtrailLens:watching', false);
  }

  private async resolve(target: Target): Promise<TrailSummary | undefined> {
    if (target && 'trail' in target) return target.trail;
    if (target && 'homeRegion' in target) return target;
    const { session } = this.deps;
    const regions = await session.regions();
    const arn = target && 'trailArn' in target ? target.trailArn : undefined;
    const home = arn ? /^arn:[^:]+:cloudtrail:([^:]+):/.exec(arn)?.[1] : undefined;
    let trails: TrailSummary[];
    try {
      trails = (await listTrails([...new Set([...(home ? [home] : []), ...regions])].map((r) => session.trailApi(r)))).trails;
    } catch (error) {
      void vscode.window.showErrorMessage(describeAwsError(error, 'DescribeTrails', regions[0] ?? '', session.profile).message);
      return undefined;
    }
    if (arn) {
      const found = trails.find((t) => t.arn === arn);
      if (!found) void vscode.window.showErrorMessage(`Watch Trail: no trail ${escapeControl(arn)} in the profile's regions.`);
      return found;
    }
    if (trails.length === 0) {
      void vscode.window.showInformationMessage('No trail to watch in the selected regions: select a profile or regions with a trail.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      trails.map((t) => ({ label: escapeControl(t.name), description: escapeControl(t.homeRegion), detail: escapeControl(t.arn), trail: t })),
      { ignoreFocusOut: true, title: 'Watch Trail: which trail? (LookupEvents in its home region, every minute)' },
    );
    return picked?.trail;
  }

  private take(source: FindingSource, findings: Finding[], records: Map<string, CloudTrailRecord>): void {
    for (const [id, r] of records) this.records.set(id, r);
    for (const id of this.records.keys()) {
      if (this.records.size <= MAX_KEPT_RECORDS) break;
      this.records.delete(id);
    }
    const rows: FindingRow[] = findings.map((finding) => ({ finding, source, open: () => this.open(finding) }));
    this.deps.findings.append(source, rows);
    const urgent = findings.filter((f) => levelRank(f.level) >= levelRank('high'));
    if (urgent.length > 0) {
      const first = urgent[0];
      const more = urgent.length > 1 ? ` (+${urgent.length - 1} more)` : '';
      void vscode.window.showWarningMessage(escapeControl(`${levelLabel(first.level)}: ${first.title}${more}. ${findingMessage(first)}`), 'Open').then((a) => a && this.open(first));
    }
  }

  /** Opens a finding's events (those still kept) as an event document. */
  async open(finding: Finding): Promise<vscode.TextEditor | undefined> {
    const records = finding.eventIds.map((id) => this.records.get(id)).filter((r): r is CloudTrailRecord => r !== undefined);
    if (records.length === 0) {
      void vscode.window.showInformationMessage('The events of this finding are no longer kept; search for them with Search Events.');
      return undefined;
    }
    const label = `Finding ${finding.title}`;
    const id = this.deps.memory.add(label, records);
    return this.deps.documents.open({ sources: [{ kind: 'memory', id, label }], filters: [] });
  }

  dispose(): void {
    void this.stop();
    this.status.dispose();
    this.changed.dispose();
  }
}
