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
import { IntegrityRunner } from './integrity/integrityRunner';
import { REPORT_SCHEME, ReportDocuments } from './integrity/reportDocuments';
import { ValidationHistory } from './integrity/validationHistory';
import { EventCodeLensProvider } from './lenses/eventCodeLensProvider';
import { INVESTIGATION_VIEW_TYPE, InvestigationEditorProvider } from './investigation/investigationEditor';
import { investigateSources, pickSources } from './commands/investigationCommands';
import { log } from './log';
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
  readonly protection: ProtectionService;
  readonly investigations: InvestigationEditorProvider;
}

export function activate(context: vscode.ExtensionContext): CloudTrailLensApi {
  const started = performance.now();
  context.subscriptions.push(log);

  let config = readConfig();
  const session = new AwsSession(context.globalState, config);
  const history = new ValidationHistory(context.workspaceState);
  const reports = new ReportDocuments();
  const protection = new ProtectionService(session, reports, () => config);
  const trails = new TrailsTreeProvider(config, session, history, protection);
  const statusBar = new AwsStatusBar(session);
  context.subscriptions.push(
    statusBar,
    session,
    history,
    trails,
    vscode.window.createTreeView('cloudtrailLens.trails', { treeDataProvider: trails, showCollapseAll: true }),
    session.onDidChange(() => trails.refresh()),
    history.onDidChange(() => trails.refresh()),
  );

  const memory = new MemoryEvents();
  const documents = new EventDocuments(config, memory, (bucket) => session.s3Store(bucket));
  const indexes = new EventIndexCache();
  const lenses = new EventCodeLensProvider(config, indexes);
  const hovers = new EventHoverProvider(config, indexes);
  const eventDocuments: vscode.DocumentSelector = [{ language: LANGUAGE_ID }];
  const rawJson: vscode.DocumentSelector = [{ language: LANGUAGE_ID }, { language: 'json' }, { language: 'jsonl' }];
  context.subscriptions.push(
    documents,
    indexes,
    lenses,
    vscode.workspace.registerTextDocumentContentProvider(OBJECT_SCHEME, new ObjectDocuments(session)),
    vscode.languages.registerCodeLensProvider(eventDocuments, lenses),
    vscode.languages.registerHoverProvider(rawJson, hovers),
    vscode.languages.registerDocumentSymbolProvider(eventDocuments, new EventOutlineProvider(indexes), { label: 'CloudTrail events' }),
  );

  const diagnostics = new IntegrityDiagnostics(reports);
  const version = String((context.extension.packageJSON as { version?: string }).version ?? '');
  const integrity = new IntegrityRunner({ history, diagnostics, reports, config: () => config, version, profile: () => session.profile });
  context.subscriptions.push(reports, diagnostics, protection, vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, reports));

  // The store (and DuckDB) loads only when an investigation opens, in its own thread.
  const investigations = new InvestigationEditorProvider({ config: () => config, documents, memory, extensionUri: context.extensionUri, pickSources: () => pickSources('Add CloudTrail log files or folders to the investigation') });
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(INVESTIGATION_VIEW_TYPE, investigations, { supportsMultipleEditorsPerDocument: true, webviewOptions: { retainContextWhenHidden: false } }),
  );
  documents.offerInvestigation = (sources) =>
    investigateSources({ editors: investigations, memory, s3: (bucket, region) => session.s3Store(bucket, region), integrity: { session, runner: integrity, diagnostics, reports, localTrails: () => trails.localTrailNodes() } }, sources);

  registerCommands(context, {
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
      }
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => trails.refresh()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => trails.refresh()),
  );

  const activationMs = performance.now() - started;
  log.info(`CloudTrail Lens activated in ${activationMs.toFixed(1)} ms (${vscode.env.appName} ${vscode.version}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'} UI)`);
  return { activationMs, trails, indexes, session, statusBar, integrity, diagnostics, protection, investigations };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
