import * as vscode from 'vscode';
import { AwsSession } from './aws/awsSession';
import { AwsStatusBar } from './aws/statusBar';
import { registerCommands } from './commands/index';
import { affectsConfig, readConfig } from './config';
import { EventDocuments } from './documents/eventDocuments';
import { LANGUAGE_ID } from './documents/eventDocumentUri';
import { EventIndexCache } from './documents/eventIndexCache';
import { EventOutlineProvider } from './documents/eventOutlineProvider';
import { MemoryEvents } from './documents/eventSources';
import { OBJECT_SCHEME, ObjectDocuments } from './documents/objectDocuments';
import { EventHoverProvider } from './hovers/eventHoverProvider';
import { IntegrityDiagnostics } from './integrity/integrityDiagnostics';
import { IntegrityMarks } from './integrity/integrityMarks';
import { CONFIG_SCHEME, ConfigDocuments } from './commands/configHistory';
import { IntegrityStatus } from './integrity/integrityStatus';
import { MonitoringService } from './monitoring/monitoringService';
import { IntegrityRunner } from './integrity/integrityRunner';
import { REPORT_SCHEME, ReportDocuments } from './integrity/reportDocuments';
import { ValidationHistory } from './integrity/validationHistory';
import { EventCodeLensProvider } from './lenses/eventCodeLensProvider';
import { INVESTIGATION_VIEW_TYPE, InvestigationEditorProvider } from './investigation/investigationEditor';
import { investigateSources, openInvestigation, pickSources } from './commands/investigationCommands';
import { QueryNotebookSerializer, NOTEBOOK_TYPE } from './notebook/notebookSerializer';
import { QueryNotebooks } from './notebook/queryNotebook';
import { log } from './log';
import { DetectionDiagnostics } from './detections/detectionDiagnostics';
import { FindingsModel } from './detections/findingsModel';
import { FindingsTreeProvider } from './detections/findingsTree';
import { RuleService } from './detections/ruleService';
import { TrailWatcher } from './detections/trailWatcher';
import { levelRank } from '../core/detections/types';
import { ProtectionService } from './protection/protectionService';
import { TrailsTreeProvider } from './tree/trailsTreeProvider';

/** What `activate` returns; integration tests read it through `extension.exports`. */
export interface CloudTrailLensApi {
  /** Milliseconds of extension code spent in `activate` (module load excluded). */
  readonly activationMs: number;
  readonly trails: TrailsTreeProvider;
  readonly indexes: EventIndexCache;
  readonly session: AwsSession;
  readonly statusBar: AwsStatusBar;
  readonly integrity: IntegrityRunner;
  readonly diagnostics: IntegrityDiagnostics;
  readonly integrityStatus: IntegrityStatus;
  readonly protection: ProtectionService;
  readonly monitoring: MonitoringService;
  readonly investigations: InvestigationEditorProvider;
  readonly rules: RuleService;
  readonly findings: FindingsModel;
  readonly findingsTree: FindingsTreeProvider;
  readonly detections: DetectionDiagnostics;
  readonly watcher: TrailWatcher;
  readonly notebooks: QueryNotebooks;
}

export function activate(context: vscode.ExtensionContext): CloudTrailLensApi {
  const started = performance.now();
  context.subscriptions.push(log);

  let config = readConfig();
  const session = new AwsSession(context.globalState, config);
  const history = new ValidationHistory(context.workspaceState);
  const reports = new ReportDocuments();
  const protection = new ProtectionService(session, reports, () => config);
  // What the integrity checks found wrong, file by file: the tree rows, event documents and the status bar show it.
  const marks = new IntegrityMarks();
  const integrityStatus = new IntegrityStatus(marks);
  const monitoring = new MonitoringService(session, reports, () => config);
  const trails = new TrailsTreeProvider(config, session, history, protection, marks, monitoring);
  const statusBar = new AwsStatusBar(session);
  context.subscriptions.push(
    statusBar,
    session,
    history,
    trails,
    vscode.window.createTreeView('cloudtrailLens.trails', { treeDataProvider: trails, showCollapseAll: true }),
    session.onDidChange(() => trails.refresh()),
    history.onDidChange(() => trails.refresh()),
    marks,
    marks.onDidChange(() => trails.redrawAll()),
    integrityStatus,
  );

  const memory = new MemoryEvents();
  const configDocuments = new ConfigDocuments();
  const documents = new EventDocuments(config, memory, (bucket) => session.s3Store(bucket));
  // Rules load when the first CloudTrail document is indexed, not here.
  const rules = new RuleService(config);
  const indexes = new EventIndexCache(() => rules.detector());
  const findings = new FindingsModel();
  const findingsTree = new FindingsTreeProvider(findings);
  const lenses = new EventCodeLensProvider(config, indexes, () => rules.minimumLevel, marks);
  const hovers = new EventHoverProvider(config, indexes);
  const eventDocuments: vscode.DocumentSelector = [{ language: LANGUAGE_ID }];
  const rawJson: vscode.DocumentSelector = [{ language: LANGUAGE_ID }, { language: 'json' }, { language: 'jsonl' }];
  const detections = new DetectionDiagnostics(config, indexes, rules, findings);
  context.subscriptions.push(
    rules,
    rules.onDidChange(() => indexes.invalidate()),
    findings,
    findingsTree,
    detections,
    vscode.window.createTreeView('cloudtrailLens.findings', { treeDataProvider: findingsTree, showCollapseAll: true }),
    documents,
    indexes,
    lenses,
    vscode.workspace.registerTextDocumentContentProvider(OBJECT_SCHEME, new ObjectDocuments(session)),
    vscode.workspace.registerTextDocumentContentProvider(CONFIG_SCHEME, configDocuments),
    vscode.languages.registerCodeLensProvider(eventDocuments, lenses),
    vscode.languages.registerHoverProvider(rawJson, hovers),
    vscode.languages.registerDocumentSymbolProvider(eventDocuments, new EventOutlineProvider(indexes), { label: 'CloudTrail events' }),
  );

  const diagnostics = new IntegrityDiagnostics(reports, marks);
  const version = String((context.extension.packageJSON as { version?: string }).version ?? '');
  const integrity = new IntegrityRunner({ history, diagnostics, reports, config: () => config, version, profile: () => session.profile });
  context.subscriptions.push(reports, diagnostics, protection, vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reports));

  // The store (and DuckDB) loads only when an investigation opens, in its own thread.
  const investigations = new InvestigationEditorProvider({
    config: () => config,
    documents,
    memory,
    extensionUri: context.extensionUri,
    pickSources: () => pickSources('Add CloudTrail log files or folders to the investigation'),
    // Detections at ingest, and the investigation's findings in the Findings view (an empty list drops them).
    rules: async () => (await rules.rules())?.payload,
    onFindings: (uri, label, list, open) => {
      const source = { id: uri.toString(), label, kind: 'investigation' as const };
      const min = levelRank(rules.minimumLevel);
      findings.set(source, list.filter((f) => levelRank(f.level) >= min).map((finding) => ({ finding, source, open: () => open(finding) })));
    },
  });
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(INVESTIGATION_VIEW_TYPE, investigations, { supportsMultipleEditorsPerDocument: true, webviewOptions: { retainContextWhenHidden: false } }),
  );
  const investigationDeps = { editors: investigations, memory, s3: (bucket: string, region?: string) => session.s3Store(bucket, region), integrity: { session, runner: integrity, diagnostics, reports, localTrails: () => trails.localTrailNodes() } };
  documents.offerInvestigation = (sources) => investigateSources(investigationDeps, sources);

  // Query notebooks (*.ctnb): SQL cells on the investigation, Athena or Logs Insights.
  const notebooks = new QueryNotebooks({
    config: () => config,
    session,
    investigations,
    documents,
    memory,
    state: context.globalState,
    openInvestigation: (file) => openInvestigation(investigations, file),
    investigateMemory: (id, label, target) => investigateSources(investigationDeps, [{ kind: 'memory', id, label }], target),
  });
  context.subscriptions.push(notebooks, vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new QueryNotebookSerializer(() => config.notebookSaveOutputs), { transientOutputs: false }));

  const watcher = new TrailWatcher({ session, rules, findings, documents, memory, config: () => config });
  context.subscriptions.push(watcher);

  registerCommands(context, {
    configDocuments,
    monitoring,
    trails,
    documents,
    indexes,
    session,
    memory,
    config: () => config,
    integrity: { session, runner: integrity, diagnostics, reports, localTrails: () => trails.localTrailNodes() },
    protection,
    reports,
    investigations,
    rules,
    findings,
    findingsTree,
    watcher,
    notebooks,
  });

  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (affectsConfig(event)) {
        config = readConfig();
        session.updateConfig(config);
        trails.updateConfig(config);
        documents.updateConfig(config);
        lenses.updateConfig(config);
        hovers.updateConfig(config);
        rules.updateConfig(config);
        detections.updateConfig(config);
      }
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => trails.refresh()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      trails.refresh();
      rules.updateConfig(readConfig()); // the workspace's rule folders count now
    }),
  );

  // The demo (scripts/demo.mjs) opens on the CloudTrail Lens view with the walkthrough beside it.
  if (process.env.CLOUDTRAIL_LENS_DEMO === '1') {
    void vscode.commands.executeCommand('workbench.view.extension.cloudtrailLens').then(() =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#cloudtrailLens.gettingStarted`, false),
    );
  }

  const activationMs = performance.now() - started;
  log.info(`CloudTrail Lens activated in ${activationMs.toFixed(1)} ms (${vscode.env.appName} ${vscode.version}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'} UI)`);
  return { activationMs, trails, indexes, session, statusBar, integrity, diagnostics, integrityStatus, protection, monitoring, investigations, rules, findings, findingsTree, detections, watcher, notebooks };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
