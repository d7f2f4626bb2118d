// The Investigation view: a read-only custom editor on `*.ctinv` files. One store thread per open
// investigation (DuckDB loads only then), shared by every editor of that file; each webview asks its
// questions over the typed protocol and a newer question of a kind cancels the older one.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RulesPayload } from '../../core/detections/detectionRun';
import type { Finding } from '../../core/detections/types';
import { documentWithinLimits } from '../../core/events/editorLimits';
import { StoreUnavailableError } from '../../core/store/duckdb';
import type { IngestInput, IngestReport } from '../../core/store/investigationStore';
import type { Selection, TableSort } from '../../core/store/selection';
import { StoreClient } from '../../core/store/storeClient';
import { escapeControl } from '../../core/text/safeText';
import type { Config } from '../config';
import type { EventDocuments } from '../documents/eventDocuments';
import type { MemoryEvents } from '../documents/eventSources';
import { log, showError } from '../log';
import type { HostMessage, WebviewMessage } from './protocol';
import { investigationHtml, makeNonce } from './webviewHtml';
import { withCancellableProgress } from '../progress';

export const INVESTIGATION_VIEW_TYPE = 'cloudtrailLens.investigation';

/** Most events a slice asks the store for; the document is then cut to VS Code's lens limits. */
const SLICE_MAX_EVENTS = 6_500;

export class InvestigationDocument implements vscode.CustomDocument {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when sources were added: every editor of the document reloads its counts. */
  readonly onDidChange = this.changed.event;
  private readonly disposed = new vscode.EventEmitter<void>();
  /** Fires when the last editor of the investigation closed (its findings go from the Findings view). */
  readonly onDidDispose = this.disposed.event;
  /** The selection the next view of this document starts with, then forgets. */
  pendingSelection: Selection | undefined;

  private constructor(
    readonly uri: vscode.Uri,
    readonly client: StoreClient | undefined,
    /** Why the store could not be opened, for the view to say. */
    readonly problem: string | undefined,
    /** The detection rules every ingest runs (undefined: none). */
    private readonly rules?: () => Promise<RulesPayload | undefined>,
  ) {}

  static async open(uri: vscode.Uri, config: Config, rules?: () => Promise<RulesPayload | undefined>): Promise<InvestigationDocument> {
    if (uri.scheme !== 'file') return new InvestigationDocument(uri, undefined, `${uri.toString(true)} is not a local file; investigations are DuckDB files on disk.`);
    if (!vscode.workspace.isTrusted) {
      return new InvestigationDocument(uri, undefined, 'Investigations are not opened in an untrusted workspace: a database file can be crafted to attack the engine that reads it. Trust the workspace (Manage Workspace Trust) to open it.');
    }
    try {
      const client = await StoreClient.open(uri.fsPath, { memoryLimitMB: config.investigationMemoryMB });
      return new InvestigationDocument(uri, client, undefined, rules);
    } catch (error) {
      const message = error instanceof StoreUnavailableError ? error.message : `${path.basename(uri.fsPath)} could not be opened: ${(error as Error).message}`;
      log.warn(`Investigation ${uri.fsPath}: ${message}`);
      return new InvestigationDocument(uri, undefined, message);
    }
  }

  /** The rules to run, or undefined when there are none or they cannot be read (the ingest goes on without). */
  private async rulesPayload(): Promise<RulesPayload | undefined> {
    if (!this.rules) return undefined;
    try {
      return await this.rules();
    } catch (error) {
      log.warn(`Investigation ${this.uri.fsPath}: the detection rules could not be read, reading without them: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** Adds sources under a cancellable progress notification; says what was read and refused. */
  async ingest(inputs: IngestInput[], title = 'Reading events into the investigation'): Promise<IngestReport | undefined> {
    if (!this.client) throw new Error(this.problem ?? 'the investigation is not open');
    const client = this.client;
    const rules = await this.rulesPayload();
    const report = await withCancellableProgress(title, (signal, progress) =>
      client.ingest(inputs, {
        rules,
        signal,
        onProgress: (done, total, events) => progress(done / Math.max(total, 1), `${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} files, ${events.toLocaleString('en-US')} events stored`),
      }),
    );
    if (!report) {
      void vscode.window.showInformationMessage('Reading was cancelled; the investigation is as it was.');
      return undefined;
    }
    logReport(this.uri.fsPath, report);
    this.changed.fire();
    return report;
  }

  /** True once the document is disposed. */
  closed = false;

  dispose(): void {
    this.closed = true;
    this.disposed.fire();
    this.disposed.dispose();
    this.changed.dispose();
    void this.client?.close().catch((error: unknown) => log.warn(`closing ${this.uri.fsPath}: ${String(error)}`));
  }
}

/** The report in the log, and a notification of what the user must know. */
export function logReport(file: string, r: IngestReport): void {
  log.info(`Investigation ${file}: ${r.files} file(s), ${r.read} event(s) read, ${r.stored} stored, ${r.folded} repeat(s) folded, ${r.conflicts} conflicting eventID(s), ${r.outsideFilter} outside the range, ${r.refused.length} refused, ${r.findings} detection finding(s), in ${r.ms} ms`);
  for (const x of r.refused) log.warn(`refused ${x.name}: ${x.reason}`);
  for (const w of r.warnings) log.warn(`${w.name}: ${w.warning}`);
  for (const s of r.skipped) log.info(`skipped ${s.name}: ${s.reason}`);
  const notes: string[] = [];
  if (r.refused.length > 0) notes.push(`${r.refused.length} file(s) refused, the first ${path.basename(r.refused[0].name)}: ${r.refused[0].reason}`);
  if (r.conflicts > 0) notes.push(`${r.conflicts} eventID(s) appear with different content; every copy is kept and flagged`);
  if (r.warnings.length > 0) notes.push(`${r.warnings.length} warning(s)`);
  if (notes.length > 0) {
    void vscode.window.showWarningMessage(escapeControl(`Stored ${r.stored.toLocaleString('en-US')} events. ${notes.join('; ')}.`), 'Show Log').then((c) => c && log.show(true));
  }
}

export interface InvestigationDeps {
  config: () => Config;
  documents: EventDocuments;
  memory: MemoryEvents;
  extensionUri: vscode.Uri;
  /** Asks for files and folders to add (the "Add sources" button). */
  pickSources: () => Promise<IngestInput[] | undefined>;
  /** The detection rules every ingest runs (the editor's and the commands'); undefined: none. */
  rules?: () => Promise<RulesPayload | undefined>;
  /**
   * An investigation's findings, after it opens and after each ingest (an empty list clears them);
   * `open` shows a finding's events as an event document.
   */
  onFindings?: (uri: vscode.Uri, label: string, findings: Finding[], open: (finding: Finding) => Thenable<unknown>) => void;
}

export class InvestigationEditorProvider implements vscode.CustomReadonlyEditorProvider<InvestigationDocument> {
  /** Every open view, for tests and for commands that act on the active one. */
  readonly views = new Map<vscode.WebviewPanel, InvestigationDocument>();
  private active: InvestigationDocument | undefined;
  private readonly traffic = new vscode.EventEmitter<{ document: InvestigationDocument; direction: 'from-view' | 'to-view'; message: WebviewMessage | HostMessage }>();
  /** Every message between a view and the host (integration tests watch what the real webview asks). */
  readonly onDidExchange = this.traffic.event;

  constructor(private readonly deps: InvestigationDeps) {}

  get activeDocument(): InvestigationDocument | undefined {
    return this.active;
  }

  async openCustomDocument(uri: vscode.Uri): Promise<InvestigationDocument> {
    const document = await InvestigationDocument.open(uri, this.deps.config(), this.deps.rules);
    if (document.client && this.deps.onFindings) {
      const onFindings = this.deps.onFindings;
      void this.reportFindings(document);
      document.onDidChange(() => void this.reportFindings(document));
      document.onDidDispose(() => onFindings(document.uri, path.basename(document.uri.fsPath), [], () => Promise.resolve(undefined)));
    }
    return document;
  }

  /** Hands the investigation's findings to `onFindings`, each opening its events as a slice. */
  private async reportFindings(document: InvestigationDocument): Promise<void> {
    const onFindings = this.deps.onFindings;
    const client = document.client;
    if (!onFindings || !client) return;
    let findings: Finding[];
    try {
      findings = await client.findings();
    } catch (error) {
      if (!document.closed) log.warn(`Investigation ${document.uri.fsPath}: the findings could not be read: ${(error as Error).message}`);
      return;
    }
    if (document.closed) return;
    const label = path.basename(document.uri.fsPath);
    onFindings(document.uri, label, findings, (finding) => this.openSlice(document, { eventIds: finding.eventIds }, { column: 'time', descending: false }));
  }

  async resolveCustomEditor(document: InvestigationDocument, panel: vscode.WebviewPanel): Promise<void> {
    const media = vscode.Uri.joinPath(this.deps.extensionUri, 'dist', 'webview');
    panel.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [media] };
    panel.webview.html = investigationHtml({
      cspSource: panel.webview.cspSource,
      nonce: makeNonce(),
      scriptUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'investigation.js')).toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(media, 'investigation.css')).toString(),
      title: path.basename(document.uri.fsPath),
    });
    this.views.set(panel, document);
    this.active = document;
    const running = new Map<string, AbortController>();
    const post = (message: HostMessage): void => {
      this.traffic.fire({ document, direction: 'to-view', message });
      void panel.webview.postMessage(message);
    };
    const sendInit = async (): Promise<void> => {
      if (!document.client) {
        post({ type: 'unavailable', message: document.problem ?? 'The investigation could not be opened.' });
        return;
      }
      try {
        const select = document.pendingSelection;
        document.pendingSelection = undefined;
        post({ type: 'init', info: await document.client.info(), ...(select ? { select } : {}) });
      } catch (error) {
        post({ type: 'unavailable', message: `The investigation could not be read: ${(error as Error).message}` });
      }
    };
    const subscriptions = [
      panel.onDidChangeViewState(() => {
        if (panel.active) this.active = document;
      }),
      document.onDidChange(() => void sendInit()),
      panel.webview.onDidReceiveMessage((m: WebviewMessage) => {
        this.traffic.fire({ document, direction: 'from-view', message: m });
        void this.answer(document, m, post, running, sendInit);
      }),
    ];
    panel.onDidDispose(() => {
      for (const c of running.values()) c.abort();
      for (const s of subscriptions) s.dispose();
      this.views.delete(panel);
      if (this.active === document && ![...this.views.values()].includes(document)) this.active = undefined;
    });
  }

  /** Answers one message; a newer question of the same kind cancels the one still running. */
  private async answer(document: InvestigationDocument, m: WebviewMessage, post: (m: HostMessage) => void, running: Map<string, AbortController>, sendInit: () => Promise<void>): Promise<void> {
    if (m.type === 'ready') return sendInit();
    const client = document.client;
    if (!client) return;
    if (m.type === 'addSources') {
      const inputs = await this.deps.pickSources();
      if (!inputs || inputs.length === 0) return;
      post({ type: 'busy', message: 'Reading the added sources…' });
      try {
        await document.ingest(inputs);
      } catch (error) {
        await showError(`Could not add the sources: ${(error as Error).message}`, error);
      } finally {
        post({ type: 'busy' });
      }
      return;
    }
    if (m.type === 'openSlice') {
      await this.openSlice(document, m.selection, m.sort, m.rowIds);
      return;
    }
    running.get(m.type)?.abort();
    const controller = new AbortController();
    running.set(m.type, controller);
    const started = Date.now();
    try {
      if (m.type === 'overview') {
        const overview = await client.overview(m.selection, m.stackBy, controller.signal);
        post({ type: 'overview', id: m.id, overview, ms: Date.now() - started });
      } else if (m.type === 'rows') {
        const r = await client.rows(m.selection, m.sort, m.offset, m.limit, controller.signal);
        post({ type: 'rows', id: m.id, offset: m.offset, total: r.total, rows: r.rows, ms: Date.now() - started });
      } else if (m.type === 'summary') {
        const summary = await client.summary(m.selection, controller.signal);
        post({ type: 'summary', id: m.id, summary, ms: Date.now() - started });
      }
    } catch (error) {
      if (controller.signal.aborted) return;
      log.warn(`Investigation ${m.type} failed: ${(error as Error).message}`);
      post({ type: 'error', id: m.id, message: `The ${m.type} could not be counted: ${(error as Error).message}` });
    } finally {
      if (running.get(m.type) === controller) running.delete(m.type);
    }
  }

  /** Opens the selection (or the rows asked) as an event document, cut to keep its lenses. */
  async openSlice(document: InvestigationDocument, selection: Selection, sort: TableSort, rowIds?: number[]): Promise<vscode.TextEditor | undefined> {
    const client = document.client;
    if (!client) return undefined;
    let slice;
    try {
      slice = await withCancellableProgress('Opening the events', (signal) => client.slice(selection, sort, SLICE_MAX_EVENTS, rowIds, signal));
    } catch (error) {
      await showError(`Could not read the events from the investigation: ${(error as Error).message}`, error);
      return undefined;
    }
    if (!slice) return undefined;
    if (slice.records.length === 0) {
      void vscode.window.showInformationMessage('No events match this selection.');
      return undefined;
    }
    const fitted = documentWithinLimits(slice.records);
    const records = slice.records.slice(0, fitted.shown);
    const label = `${path.basename(document.uri.fsPath, '.ctinv')} (${records.length.toLocaleString('en-US')} of ${slice.total.toLocaleString('en-US')} events)`;
    const id = this.deps.memory.add(label, records);
    const editor = await this.deps.documents.open({ sources: [{ kind: 'memory', id, label }], filters: [] });
    if (records.length < slice.total) {
      void vscode.window.showInformationMessage(
        `Showing the first ${records.length.toLocaleString('en-US')} of ${slice.total.toLocaleString('en-US')} events in the table's order: VS Code keeps lenses, colouring and folding only below 300,000 lines or 20 MB. Narrow the selection to read the rest.`,
      );
    }
    if (slice.unreadable > 0) {
      void vscode.window.showWarningMessage(`${slice.unreadable} event(s) could not be read back from the investigation's stored sources and are not shown.`);
    }
    return editor;
  }
}
