import * as vscode from 'vscode';
import type { EventFilter } from '../../core/events/filters';
import type { AwsSession } from '../aws/awsSession';
import type { Config } from '../config';
import type { EventDocuments } from '../documents/eventDocuments';
import type { EventIndexCache } from '../documents/eventIndexCache';
import type { ReportDocuments } from '../integrity/reportDocuments';
import type { ProtectionService } from '../protection/protectionService';
import type { MemoryEvents } from '../documents/eventSources';
import { log } from '../log';
import type { RecentEventsNode } from '../tree/awsTrailNodes';
import { FolderNode, type LoadMoreNode } from '../tree/bucketNodes';
import type { TrailsTreeProvider } from '../tree/trailsTreeProvider';
import type { ErrorNode } from '../tree/treeNode';
import { openLocalObject, openRecentEvents, openS3Object, selectProfile, selectRegions } from './awsCommands';
import { checkProtection } from './checkProtection';
import { checkMonitoringCommand } from './checkMonitoring';
import type { MonitoringService } from '../monitoring/monitoringService';
import { showConfigHistory, type ConfigDocuments } from './configHistory';
import { CommandId } from './commandIds';
import { exportEvents } from './exportEvents';
import { filterEvents, openFiltered, openPivot } from './filterEvents';
import { goToEvent } from './goToEvent';
import { downloadTrail, validateLocalFolder, validateThisLogFile, validateTrailIntegrity, type IntegrityCommandDeps, type ValidateRequest } from './integrityCommands';
import { openAsEvents } from './openAsEvents';
import { openLogFolder, openTrailEvents, type OpenEventsRequest } from './openTrailEvents';
import type { InvestigationEditorProvider } from '../investigation/investigationEditor';
import { addToInvestigation, investigateFilter, investigateTrail, newInvestigation, openDocumentInInvestigation } from './investigationCommands';
import { searchEvents, type SearchArgs } from './searchEvents';
import type { FindingRow, FindingsModel } from '../detections/findingsModel';
import { GROUPINGS, type FindingsTreeProvider } from '../detections/findingsTree';
import type { RuleService } from '../detections/ruleService';
import type { TrailWatcher } from '../detections/trailWatcher';
import type { QueryNotebooks } from '../notebook/queryNotebook';
import { createAthenaTable } from '../notebook/athenaTable';

export interface CommandContext {
  trails: TrailsTreeProvider;
  documents: EventDocuments;
  indexes: EventIndexCache;
  session: AwsSession;
  memory: MemoryEvents;
  config: () => Config;
  integrity: IntegrityCommandDeps;
  protection: ProtectionService;
  reports: ReportDocuments;
  investigations: InvestigationEditorProvider;
  rules: RuleService;
  findings: FindingsModel;
  findingsTree: FindingsTreeProvider;
  watcher: TrailWatcher;
  configDocuments: ConfigDocuments;
  monitoring: MonitoringService;
  notebooks: QueryNotebooks;
}

/** Registers every command in one place; each pushes its disposable to the extension context. */
export function registerCommands(context: vscode.ExtensionContext, deps: CommandContext): void {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- command arguments come from menus and other commands untyped
  const register = (id: CommandId, fn: (...args: any[]) => unknown): void => {
    context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  };
  register(CommandId.RefreshTrails, () => {
    deps.session.reset();
    deps.trails.refresh();
  });
  register(CommandId.ShowLog, () => log.show(true));
  register(CommandId.OpenAsEvents, (uri?: vscode.Uri | FolderNode, uris?: vscode.Uri[]) => (uri instanceof FolderNode ? openLogFolder(deps.documents, uri) : openAsEvents(deps.documents, uri, uris)));
  // A hover's links pass the document's URI as text.
  const asUri = (uri: vscode.Uri | string): vscode.Uri => (typeof uri === 'string' ? vscode.Uri.parse(uri, true) : uri);
  register(CommandId.OpenFiltered, (uri: vscode.Uri | string, filter: EventFilter) => openFiltered(deps.documents, asUri(uri), filter));
  register(CommandId.OpenPivot, (uri: vscode.Uri | string, filter: EventFilter) => openPivot(deps.documents, asUri(uri), filter));
  register(CommandId.CopyValue, async (value: unknown, label?: unknown) => {
    if (typeof value !== 'string') return;
    await vscode.env.clipboard.writeText(value);
    vscode.window.setStatusBarMessage(`$(check) ${typeof label === 'string' ? label.replace(/^Copy /, '') : 'Value'} copied`, 3000);
  });
  register(CommandId.GoToEvent, (query?: unknown) => goToEvent(deps.indexes, typeof query === 'string' ? query : undefined));
  register(CommandId.FilterEvents, (kind?: EventFilter['kind']) => filterEvents(deps.documents, deps.indexes, typeof kind === 'string' ? kind : undefined));
  register(CommandId.ExportCsv, (target?: vscode.Uri) => exportEvents('csv', target instanceof vscode.Uri ? target : undefined));
  register(CommandId.ExportJson, (target?: vscode.Uri) => exportEvents('json', target instanceof vscode.Uri ? target : undefined));
  register(CommandId.SelectProfile, () => selectProfile(deps.session));
  register(CommandId.SelectRegions, () => selectRegions(deps.session));
  register(CommandId.SearchEvents, (args?: SearchArgs) => searchEvents(deps.session, deps.config(), deps.documents, deps.memory, args));
  register(CommandId.OpenS3Object, (bucket: string, key: string) => openS3Object(deps.documents, bucket, key));
  register(CommandId.OpenLocalObject, (uri: vscode.Uri) => openLocalObject(deps.documents, uri));
  register(CommandId.OpenRecentEvents, (node: RecentEventsNode) => openRecentEvents(deps.documents, deps.memory, node));
  register(CommandId.LoadMore, (node: LoadMoreNode) => node.folder.loadMore());
  register(CommandId.RetryNode, (node: ErrorNode) => node.retry());
  register(CommandId.ValidateTrail, (target?: unknown) => validateTrailIntegrity(deps.integrity, target));
  register(CommandId.ValidateLocalFolder, (folder?: unknown, request?: ValidateRequest) =>
    validateLocalFolder(deps.integrity, folder instanceof vscode.Uri ? folder : undefined, request),
  );
  register(CommandId.ValidateLogFile, (target?: unknown) => validateThisLogFile(deps.integrity, target));
  register(CommandId.ShowConfigHistory, (arn?: unknown, time?: unknown, region?: unknown) => showConfigHistory({ session: deps.session, documents: deps.configDocuments }, arn, time, region));
  register(CommandId.OpenLastReport, (report?: unknown) => deps.reports.showLast(report));
  register(CommandId.CheckMonitoring, (target?: unknown) => checkMonitoringCommand({ monitoring: deps.monitoring, reports: deps.reports, trails: deps.trails, integrity: deps.integrity }, target));
  register(CommandId.CheckProtection, (target?: unknown) => checkProtection({ session: deps.session, protection: deps.protection, reports: deps.reports, trails: deps.trails }, target));
  const investigation = { editors: deps.investigations, memory: deps.memory, s3: (bucket: string, region?: string) => deps.session.s3Store(bucket, region), integrity: deps.integrity };
  register(CommandId.NewInvestigation, (uri?: vscode.Uri, uris?: vscode.Uri[], target?: vscode.Uri) => newInvestigation(investigation, uri, uris, target));
  // From an event document: its sources; from the explorer: the files and folders chosen.
  register(CommandId.OpenInInvestigation, (uri?: vscode.Uri, uris?: vscode.Uri[], target?: vscode.Uri) =>
    Array.isArray(uris) && uris.length > 1 ? newInvestigation(investigation, uri, uris, target) : openDocumentInInvestigation(investigation, uri instanceof vscode.Uri ? uri : undefined, target),
  );
  register(CommandId.InvestigateFilter, (uri: vscode.Uri | string, filter: EventFilter, target?: vscode.Uri) => investigateFilter(investigation, asUri(uri), filter, target instanceof vscode.Uri ? target : undefined));
  register(CommandId.InvestigateTrail, (target?: unknown, file?: vscode.Uri, request?: ValidateRequest) => investigateTrail(investigation, target, file, request));
  register(CommandId.AddToInvestigation, () => addToInvestigation(investigation));
  register(CommandId.OpenFinding, (row?: FindingRow) => row?.open());
  register(CommandId.ShowFindings, () => vscode.commands.executeCommand('cloudtrailLens.findings.focus'));
  register(CommandId.GroupFindings, async () => {
    const picked = await vscode.window.showQuickPick(
      GROUPINGS.map((g) => ({ label: g.label, id: g.id, picked: g.id === deps.findingsTree.grouping, description: g.id === deps.findingsTree.grouping ? 'current' : undefined })),
      { ignoreFocusOut: true, title: 'Group findings by' },
    );
    if (picked) deps.findingsTree.setGrouping(picked.id);
  });
  register(CommandId.ReloadRules, () => deps.rules.reload());
  register(CommandId.WatchTrail, (target?: unknown) => deps.watcher.start(target));
  register(CommandId.StopWatching, () => deps.watcher.stop());
  register(CommandId.NewQueryNotebook, () => deps.notebooks.newNotebook());
  // Cell toolbar commands get the cell; the palette, nothing (the active cell then).
  const cellArg = (arg: unknown): vscode.NotebookCell | undefined => (arg && typeof arg === 'object' && 'notebook' in arg && 'document' in arg ? (arg as vscode.NotebookCell) : undefined);
  register(CommandId.NotebookChooseTarget, (cell?: unknown) => deps.notebooks.chooseTarget(cellArg(cell)));
  register(CommandId.NotebookOpenAsEvents, (cell?: unknown) => deps.notebooks.openAsEvents(cellArg(cell)));
  register(CommandId.NotebookLoadIntoInvestigation, (cell?: unknown) => deps.notebooks.loadIntoInvestigation(cellArg(cell)));
  register(CommandId.NotebookChooseInvestigation, (arg?: unknown) => {
    const notebook = arg && typeof arg === 'object' && 'notebookType' in arg ? (arg as vscode.NotebookDocument) : (arg as { notebookEditor?: { notebook?: vscode.NotebookDocument } })?.notebookEditor?.notebook;
    return deps.notebooks.chooseInvestigation(notebook);
  });
  register(CommandId.CreateAthenaTable, (target?: unknown, options?: { confirmed?: boolean }) => createAthenaTable({ session: deps.session, config: deps.config }, target, options ?? {}));
  register(CommandId.OpenTrailEvents, (target?: unknown, request?: OpenEventsRequest) =>
    openTrailEvents(
      {
        documents: deps.documents,
        integrity: deps.integrity,
        investigate: (trail, range, files) =>
          'arn' in trail ? investigateTrail(investigation, undefined, undefined, { trailArn: trail.arn, ...range }) : newInvestigation(investigation, undefined, (files ?? []).map((f) => vscode.Uri.file(f))),
      },
      target,
      request,
    ),
  );
  register(CommandId.DownloadTrail, (target?: unknown, destination?: vscode.Uri, request?: ValidateRequest) => downloadTrail(deps.integrity, target, destination, request));
}
