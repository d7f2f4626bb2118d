// CloudTrail query notebooks: the controller that runs SQL cells where each cell says (the open
// investigation, Athena over the trail's bucket, or CloudWatch Logs Insights on the trail's log
// group), the cell status bar that shows and changes that target, and the actions on a result
// (open its rows as events, load them into an investigation), from the cell toolbar or the results
// renderer. Cancelling a cell stops the query where it runs: DuckDB's interrupt, Athena's
// StopQueryExecution, Logs Insights' StopQuery.
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import * as vscode from 'vscode';
import { describeAwsError } from '../../core/aws/awsErrors';
import { documentWithinLimits } from '../../core/events/editorLimits';
import { readEvents } from '../../core/events/reader';
import type { CloudTrailRecord } from '../../core/events/records';
import type { LogsCellSettings, LogsRange } from '../../core/notebook/notebookFile';
import { pickRecords, rebuildRecords, resultEventFiles, resultEventIds } from '../../core/notebook/resultEvents';
import { partitionDay, starterCells } from '../../core/notebook/starter';
import { readCsv, type CsvTable } from '../../core/remote/athenaCsv';
import { unboundedScanProblem } from '../../core/remote/athenaDdl';
import { athenaValue, createAthenaClient, runAthenaQuery, workgroupOutputLocation } from '../../core/remote/athenaRunner';
import { createLogsClient, defaultLogsQuery, eventsFromLogsResult, listLogGroupNames, runLogsInsightsPaged, trailLogGroupName } from '../../core/remote/logsInsights';
import { listTrails } from '../../core/aws/trailCatalog';
import { RemoteQueryError, type QueryEngine, type ResultColumn, type TabularResult } from '../../core/remote/queryResult';
import { resultTableName } from '../../core/store/resultTable';
import { escapeControl } from '../../core/text/safeText';
import type { AwsSession } from '../aws/awsSession';
import type { Config } from '../config';
import type { EventDocuments } from '../documents/eventDocuments';
import type { MemoryEvents } from '../documents/eventSources';
import type { InvestigationDocument, InvestigationEditorProvider } from '../investigation/investigationEditor';
import { log } from '../log';
import { cellMetadata, errorOutput, newOutputId, NOTEBOOK_TYPE, payloadOf, RENDERER_ID, resultOutput, type CellMetadata, type ResultPayload } from './notebookSerializer';

export const CONTROLLER_ID = 'cloudtrail-lens-query';
const ACK_KEY = 'cloudtrailLens.athena.writeAcknowledged';
/** The largest Athena result file downloaded to keep in an investigation (the disk it goes to is the user's). */
const MAX_KEPT_RESULT_BYTES = 4 * 1024 ** 3;

const TARGET_LABELS: Record<QueryEngine, string> = { local: 'Local investigation', athena: 'Athena', logs: 'CloudWatch Logs Insights' };
const RANGE_LABELS: Record<string, string> = { '1h': 'last hour', '24h': 'last 24 hours', '7d': 'last 7 days', '30d': 'last 30 days' };

export interface QueryNotebookDeps {
  config: () => Config;
  session: AwsSession;
  investigations: InvestigationEditorProvider;
  documents: EventDocuments;
  memory: MemoryEvents;
  state: vscode.Memento;
  /** Opens an investigation file in its view and returns it (commands/investigationCommands). */
  openInvestigation: (file: vscode.Uri) => Promise<InvestigationDocument | undefined>;
  /** Reads in-memory events into a new or chosen investigation (commands/investigationCommands). */
  investigateMemory: (id: string, label: string, target?: vscode.Uri) => Promise<unknown>;
}

export function rangeText(range: LogsRange): string {
  return 'last' in range ? RANGE_LABELS[range.last] : `${range.start} – ${range.end}`;
}

/** The [start, end] of a Logs Insights range, `now` being the end of a relative one. */
export function rangeTimes(range: LogsRange, now = Date.now()): { startTime: Date; endTime: Date } {
  if ('start' in range) return { startTime: new Date(range.start), endTime: new Date(range.end) };
  const hours = { '1h': 1, '24h': 24, '7d': 24 * 7, '30d': 24 * 30 }[range.last];
  return { startTime: new Date(now - hours * 3600_000), endTime: new Date(now) };
}

function isAbort(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (error as { name?: string })?.name === 'AbortError';
}

function messageOf(error: unknown, call: string, target: string, profile?: string): string {
  if (error instanceof RemoteQueryError) return error.message;
  const e = error as { $metadata?: unknown; name?: string };
  if (e && typeof e === 'object' && '$metadata' in e) return describeAwsError(error, call, target, profile).message;
  return (error as Error)?.message ?? String(error);
}

export class QueryNotebooks implements vscode.Disposable {
  private readonly controller: vscode.NotebookController;
  private readonly disposables: vscode.Disposable[] = [];
  private order = 0;
  private readonly statusChanged = new vscode.EventEmitter<void>();
  /** Every result a cell produced (tests read what a run showed). */
  private readonly ran = new vscode.EventEmitter<{ cell: vscode.NotebookCell; payload?: ResultPayload; error?: string }>();
  readonly onDidRunCell = this.ran.event;

  constructor(private readonly deps: QueryNotebookDeps) {
    this.controller = vscode.notebooks.createNotebookController(CONTROLLER_ID, NOTEBOOK_TYPE, 'CloudTrail Lens');
    this.controller.supportedLanguages = ['sql'];
    this.controller.supportsExecutionOrder = true;
    this.controller.description = 'Local investigation, Athena or Logs Insights, per cell';
    this.controller.executeHandler = (cells, notebook) => this.execute(cells, notebook);
    const messaging = vscode.notebooks.createRendererMessaging(RENDERER_ID);
    this.disposables.push(
      this.controller,
      this.statusChanged,
      this.ran,
      messaging.onDidReceiveMessage((e) => void this.onRendererMessage(e.editor.notebook, e.message)),
      vscode.notebooks.registerNotebookCellStatusBarItemProvider(NOTEBOOK_TYPE, {
        onDidChangeCellStatusBarItems: this.statusChanged.event,
        provideCellStatusBarItems: (cell) => this.statusItems(cell),
      }),
      vscode.workspace.onDidChangeNotebookDocument((e) => {
        if (e.notebook.notebookType === NOTEBOOK_TYPE && e.cellChanges.some((c) => c.metadata)) this.statusChanged.fire();
      }),
    );
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  // ---- targets ----

  private statusItems(cell: vscode.NotebookCell): vscode.NotebookCellStatusBarItem[] {
    if (cell.kind !== vscode.NotebookCellKind.Code) return [];
    const m = cellMetadata(cell);
    const target = m.target ?? 'local';
    let text = `$(database) ${TARGET_LABELS.local}`;
    if (target === 'athena') {
      const c = this.deps.config();
      text = `$(cloud) Athena: ${c.athenaWorkgroup} · ${c.athenaDatabase}`;
    } else if (target === 'logs') {
      text = `$(output) Logs Insights: ${m.logs?.logGroupNames.length ? m.logs.logGroupNames.join(', ') : 'no log group'} · ${rangeText(m.logs?.range ?? { last: '24h' })}`;
    }
    const item = new vscode.NotebookCellStatusBarItem(escapeControl(text), vscode.NotebookCellStatusBarAlignment.Left);
    item.command = { title: 'Choose where the cell runs', command: 'cloudtrailLens.notebook.chooseTarget', arguments: [cell] };
    item.tooltip = 'Where this query runs; click to change';
    return [item];
  }

  private async setCellMetadata(cell: vscode.NotebookCell, metadata: CellMetadata): Promise<void> {
    const edit = new vscode.WorkspaceEdit();
    edit.set(cell.notebook.uri, [vscode.NotebookEdit.updateCellMetadata(cell.index, { ...cell.metadata, ...metadata })]);
    await vscode.workspace.applyEdit(edit);
    this.statusChanged.fire();
  }

  /** "Choose Where the Cell Runs": local, Athena, or Logs Insights (then its log groups and range). */
  async chooseTarget(cell?: vscode.NotebookCell, choice?: QueryEngine, logs?: LogsCellSettings): Promise<void> {
    cell ??= this.activeCell();
    if (!cell || cell.kind !== vscode.NotebookCellKind.Code) {
      void vscode.window.showInformationMessage('Select a query cell of a CloudTrail query notebook first.');
      return;
    }
    const target =
      choice ??
      (
        await vscode.window.showQuickPick(
          (Object.keys(TARGET_LABELS) as QueryEngine[]).map((k) => ({ label: TARGET_LABELS[k], description: k === 'local' ? 'DuckDB, on this machine' : k === 'athena' ? 'SQL over the trail bucket; writes results to S3 and costs per byte scanned' : "the trail's log group", engine: k })),
          { title: 'Where should this cell run?', placeHolder: TARGET_LABELS[cellMetadata(cell).target ?? 'local'] },
        )
      )?.engine;
    if (!target) return;
    let settings = logs ?? cellMetadata(cell).logs;
    if (target === 'logs' && !logs) {
      settings = await this.pickLogsSettings(settings);
      if (!settings) return;
      if (cell.document.getText().trim() === '') {
        const edit = new vscode.WorkspaceEdit();
        edit.replace(cell.document.uri, new vscode.Range(0, 0, 0, 0), defaultLogsQuery());
        await vscode.workspace.applyEdit(edit);
      }
    }
    await this.setCellMetadata(cell, { target, ...(settings ? { logs: settings } : {}) });
  }

  private async pickLogsSettings(current?: LogsCellSettings): Promise<LogsCellSettings | undefined> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('CloudTrail Lens does not call AWS in an untrusted workspace; trust the workspace first.');
      return undefined;
    }
    const region = current?.region ?? (await this.deps.session.regions())[0];
    let groups: string[] = [];
    // The log groups the region's trails deliver to are picked first (DescribeTrails, best effort).
    const trailGroups = new Set<string>();
    await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Listing the log groups of ${region}` }, async () => {
      try {
        groups = await listLogGroupNames(createLogsClient(this.deps.session.context(), region));
      } catch (error) {
        void vscode.window.showWarningMessage(escapeControl(describeAwsError(error, 'DescribeLogGroups', region, this.deps.session.profile).message));
      }
      try {
        for (const trail of (await listTrails([this.deps.session.trailApi(region)])).trails) {
          const group = trail.cloudWatchLogsLogGroupArn ? trailLogGroupName(trail.cloudWatchLogsLogGroupArn) : undefined;
          if (group) trailGroups.add(group);
        }
      } catch {
        // Only the pre-selection needs the trails.
      }
    });
    let names: string[] | undefined;
    if (groups.length > 0) {
      const picked = await vscode.window.showQuickPick(
        groups.map((g) => ({
          label: escapeControl(g),
          description: trailGroups.has(g) ? 'a trail delivers here' : undefined,
          name: g,
          picked: current?.logGroupNames.includes(g) ?? (trailGroups.size > 0 ? trailGroups.has(g) : /cloudtrail/i.test(g)),
        })),
        { title: `Log groups to query in ${region}`, canPickMany: true, placeHolder: 'The log groups your trails deliver to' },
      );
      names = picked?.map((p) => p.name);
    } else {
      const typed = await vscode.window.showInputBox({ title: `Log group to query in ${region}`, prompt: "The trail's log group (its CloudWatchLogsLogGroupArn names it)", value: current?.logGroupNames.join(',') ?? '' });
      names = typed
        ?.split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0);
    }
    if (!names || names.length === 0) return undefined;
    const range = await vscode.window.showQuickPick(
      [...Object.entries(RANGE_LABELS).map(([k, label]) => ({ label, range: { last: k } as LogsRange })), { label: 'Between two times…', range: undefined }],
      { title: 'Time range' },
    );
    if (!range) return undefined;
    let chosen = range.range;
    if (!chosen) {
      const start = await vscode.window.showInputBox({ title: 'Start (ISO 8601, UTC)', value: new Date(Date.now() - 86_400_000).toISOString(), validateInput: (v) => (Number.isNaN(Date.parse(v)) ? 'Not a time' : undefined) });
      if (!start) return undefined;
      const end = await vscode.window.showInputBox({ title: 'End (ISO 8601, UTC)', value: new Date().toISOString(), validateInput: (v) => (Number.isNaN(Date.parse(v)) ? 'Not a time' : Date.parse(v) <= Date.parse(start) ? 'The end must follow the start' : undefined) });
      if (!end) return undefined;
      chosen = { start: new Date(start).toISOString(), end: new Date(end).toISOString() };
    }
    return { logGroupNames: names, range: chosen, region };
  }

  private activeCell(): vscode.NotebookCell | undefined {
    const editor = vscode.window.activeNotebookEditor;
    if (!editor || editor.notebook.notebookType !== NOTEBOOK_TYPE) return undefined;
    const index = editor.selections[0]?.start ?? 0;
    return editor.notebook.cellCount > index ? editor.notebook.cellAt(index) : undefined;
  }

  // ---- the investigation local cells run on ----

  /** The notebook's investigation: the one its metadata names, else the one in front, else the only open one. */
  private async investigationFor(notebook: vscode.NotebookDocument, ask: boolean): Promise<InvestigationDocument | undefined> {
    const named = typeof notebook.metadata?.investigation === 'string' ? notebook.metadata.investigation : undefined;
    const open = [...this.deps.investigations.views.values()].filter((d) => !d.closed && d.client);
    if (named) {
      const file = path.isAbsolute(named) || notebook.uri.scheme !== 'file' ? named : path.join(path.dirname(notebook.uri.fsPath), named);
      const found = open.find((d) => d.uri.fsPath === file);
      if (found) return found;
      return this.deps.openInvestigation(vscode.Uri.file(file));
    }
    const active = this.deps.investigations.activeDocument;
    if (active?.client && !active.closed) return active;
    const distinct = [...new Map(open.map((d) => [d.uri.fsPath, d])).values()];
    if (distinct.length === 1) return distinct[0];
    if (!ask) return undefined;
    return this.chooseInvestigation(notebook);
  }

  /** "Choose Investigation…": the .ctinv file this notebook's local cells run on, kept in the notebook. */
  async chooseInvestigation(notebook?: vscode.NotebookDocument, file?: vscode.Uri): Promise<InvestigationDocument | undefined> {
    notebook ??= vscode.window.activeNotebookEditor?.notebook;
    if (!notebook || notebook.notebookType !== NOTEBOOK_TYPE) return undefined;
    const chosen =
      file ??
      (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'CloudTrail Lens investigation': ['ctinv'] }, openLabel: 'Run Local Cells Here', title: 'The investigation this notebook queries' }))?.[0];
    if (!chosen) return undefined;
    const relative = notebook.uri.scheme === 'file' ? path.relative(path.dirname(notebook.uri.fsPath), chosen.fsPath) : chosen.fsPath;
    const edit = new vscode.WorkspaceEdit();
    edit.set(notebook.uri, [vscode.NotebookEdit.updateNotebookMetadata({ ...notebook.metadata, investigation: relative })]);
    await vscode.workspace.applyEdit(edit);
    return this.deps.openInvestigation(chosen);
  }

  // ---- running ----

  private async execute(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument): Promise<void> {
    for (const cell of cells) {
      await this.runCell(cell, notebook);
    }
  }

  private async runCell(cell: vscode.NotebookCell, notebook: vscode.NotebookDocument): Promise<void> {
    const execution = this.controller.createNotebookCellExecution(cell);
    execution.executionOrder = ++this.order;
    execution.start(Date.now());
    const abort = new AbortController();
    const cancel = execution.token.onCancellationRequested(() => abort.abort());
    const sql = cell.document.getText();
    const target = cellMetadata(cell).target ?? 'local';
    try {
      await execution.clearOutput();
      if (sql.trim() === '') throw new Error('The cell is empty: write a query.');
      if (!vscode.workspace.isTrusted) throw new Error('Query notebooks run nothing in an untrusted workspace: a workspace must not choose what runs against your investigations or your AWS account. Trust the workspace (Manage Workspace Trust) to run cells.');
      const progress = (text: string) => void execution.replaceOutput(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.text(text)]));
      let result: TabularResult | undefined;
      if (target === 'local') result = await this.runLocal(notebook, sql, abort.signal);
      else if (target === 'athena') result = await this.runAthena(notebook, sql, abort.signal, progress);
      else result = await this.runLogs(cell, sql, abort.signal, progress);
      if (!result) {
        await execution.replaceOutput(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.text('Not run.')]));
        execution.end(false, Date.now());
        return;
      }
      const payload: ResultPayload = { ...result, outputId: newOutputId(), engine: target, ranAt: new Date().toISOString() };
      await execution.replaceOutput(resultOutput(payload));
      execution.end(true, Date.now());
      this.ran.fire({ cell, payload });
    } catch (error) {
      if (isAbort(error, abort.signal)) {
        const where = target === 'athena' ? 'Athena was asked to stop it (StopQueryExecution)' : target === 'logs' ? 'Logs Insights was asked to stop it (StopQuery)' : 'the investigation store stopped it';
        await execution.replaceOutput(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.text(`Cancelled: ${where}.`)]));
        execution.end(false, Date.now());
        this.ran.fire({ cell, error: 'cancelled' });
        return;
      }
      const call = target === 'athena' ? 'StartQueryExecution' : target === 'logs' ? 'StartQuery' : 'query';
      const message = escapeControl(messageOf(error, call, TARGET_LABELS[target], this.deps.session.profile));
      log.warn(`Query cell ${cell.index + 1} (${target}) failed: ${message}`);
      await execution.replaceOutput(errorOutput(message));
      execution.end(false, Date.now());
      this.ran.fire({ cell, error: message });
    } finally {
      cancel.dispose();
    }
  }

  private async runLocal(notebook: vscode.NotebookDocument, sql: string, signal: AbortSignal): Promise<TabularResult> {
    const document = await this.investigationFor(notebook, true);
    if (!document) throw new Error('No investigation to run on: open a .ctinv file, or choose one with "Choose Investigation…" in the notebook toolbar.');
    if (!document.client) throw new Error(document.problem ?? 'The investigation could not be opened.');
    const max = this.deps.config().notebookMaxRows;
    const started = Date.now();
    const r = await document.client.query(sql, signal, max + 1);
    return { columns: r.columns.map((name) => ({ name })), rows: r.rows.slice(0, max), truncated: r.rows.length > max, stats: { engine: 'local', elapsedMs: Date.now() - started } };
  }

  private async athenaRegion(): Promise<string> {
    return this.deps.config().athenaRegion || (await this.deps.session.regions())[0] || 'us-east-1';
  }

  private async runAthena(notebook: vscode.NotebookDocument, sql: string, signal: AbortSignal, progress: (text: string) => void): Promise<TabularResult | undefined> {
    const c = this.deps.config();
    const region = await this.athenaRegion();
    const context = this.deps.session.context();
    const client = createAthenaClient(context, region);
    const problem = unboundedScanProblem(sql, c.athenaTable);
    if (problem) {
      const go = await vscode.window.showWarningMessage(problem, { modal: true, detail: 'Run it only if you mean to scan the whole table.' }, 'Run Anyway');
      if (go !== 'Run Anyway') return undefined;
    }
    const ackKey = `${ACK_KEY}:${region}:${c.athenaWorkgroup}`;
    if (!this.deps.state.get<boolean>(ackKey)) {
      let where = c.athenaOutputLocation;
      if (!where) {
        try {
          where = (await workgroupOutputLocation(client, c.athenaWorkgroup)) ?? '';
        } catch (error) {
          throw new Error(describeAwsError(error, 'GetWorkGroup', `workgroup ${c.athenaWorkgroup} in ${region}`, this.deps.session.profile).message, { cause: error });
        }
      }
      const answer = await vscode.window.showWarningMessage(
        escapeControl(`Run this query in Athena (workgroup ${c.athenaWorkgroup}, ${region})?`),
        { modal: true, detail: escapeControl(`Athena writes the query's results to ${where || "the workgroup's result location"} in your account: this is the one thing CloudTrail Lens writes to AWS. Athena charges $5 per TB scanned (10 MB at least per query).`) },
        'Run',
        "Run, and Don't Ask Again",
      );
      if (!answer) return undefined;
      if (answer !== 'Run') await this.deps.state.update(ackKey, true);
    }
    const max = c.notebookMaxRows;
    return runAthenaQuery(
      client,
      sql,
      { workgroup: c.athenaWorkgroup, database: c.athenaDatabase, catalog: c.athenaCatalog, ...(c.athenaOutputLocation ? { outputLocation: c.athenaOutputLocation } : {}) },
      {
        signal,
        maxRows: max,
        onState: (state, ms) => progress(`Athena: ${state} (${(ms / 1000).toFixed(0)} s)`),
        // A result of more than a page comes from the result file in one read.
        readResultFile: (uri, columns, fileSignal, queryId) => this.readAthenaResultFile(notebook, region, { uri, columns, queryId, max }, fileSignal, progress),
      },
    );
  }

  /**
   * A result of more than one page, read from the file Athena wrote instead of paging. When the
   * result has more rows than a cell shows and the notebook has an open investigation, the file is
   * downloaded once to a temporary file, every row of it read into the table athena_<query id> of
   * that investigation (notebooks.keepLargeAthenaResults), and the first rows shown; otherwise the
   * download stops at the rows shown.
   */
  private async readAthenaResultFile(
    notebook: vscode.NotebookDocument,
    region: string,
    result: { uri: string; columns: ResultColumn[]; queryId: string; max: number },
    signal: AbortSignal | undefined,
    progress: (text: string) => void,
  ): Promise<TabularResult> {
    const { uri, columns, queryId, max } = result;
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri);
    if (!m) throw new Error(`The result location ${uri} is not an s3:// URI.`);
    const object = await (await this.deps.session.s3Store(m[1], region)).open(m[2], { signal });
    const stream = object.stream as AsyncIterable<Uint8Array | string> & NodeJS.ReadableStream;
    const shown = (csv: CsvTable): TabularResult => ({ columns, rows: csv.rows.map((r) => r.map((v, i) => athenaValue(v, columns[i]?.type))), truncated: csv.truncated });
    const keep = this.deps.config().notebookKeepAthenaResults;
    const document = keep ? await this.investigationFor(notebook, false).catch(() => undefined) : undefined;
    const tooBig = object.size !== undefined && object.size > MAX_KEPT_RESULT_BYTES;
    if (!document?.client || tooBig) {
      const csv = await readCsv(stream, max, uri);
      const why = tooBig
        ? `the result file is ${(object.size! / 1024 ** 3).toFixed(1)} GB, more than the ${MAX_KEPT_RESULT_BYTES / 1024 ** 3} GB CloudTrail Lens downloads; narrow the query`
        : keep
          ? 'open an investigation to keep every row'
          : 'notebooks.keepLargeAthenaResults is off';
      return { ...shown(csv), stats: { engine: 'athena', notKept: why } };
    }
    const label = path.basename(document.uri.fsPath);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ctl-athena-'));
    try {
      const file = path.join(dir, 'result.csv');
      progress('Athena: downloading the result file');
      await pipeline(stream, createWriteStream(file, { flags: 'wx', mode: 0o600 }), { signal });
      const csv = await readCsv(createReadStream(file), max, uri);
      if (!csv.truncated) return shown(csv);
      try {
        progress(`Athena: keeping all rows in ${label}`);
        const kept = await document.client.importResultCsv(file, resultTableName(queryId), columns, signal);
        return { ...shown(csv), stats: { engine: 'athena', keptIn: { table: kept.table, rows: kept.rows, investigation: label } } };
      } catch (error) {
        if (signal?.aborted) throw error;
        // The store names the temporary file; the user knows the result by its S3 location.
        const reason = escapeControl(((error as Error).message ?? String(error)).split(file).join(uri));
        log.warn(`The Athena result of query ${queryId} was not kept in ${label}: ${reason}`);
        return { ...shown(csv), stats: { engine: 'athena', notKept: reason } };
      }
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  private async runLogs(cell: vscode.NotebookCell, query: string, signal: AbortSignal, progress: (text: string) => void): Promise<TabularResult | undefined> {
    let settings = cellMetadata(cell).logs;
    if (!settings || settings.logGroupNames.length === 0) {
      settings = await this.pickLogsSettings(settings);
      if (!settings) return undefined;
      await this.setCellMetadata(cell, { target: 'logs', logs: settings });
    }
    const region = settings.region ?? (await this.deps.session.regions())[0];
    const client = createLogsClient(this.deps.session.context(), region);
    const { startTime, endTime } = rangeTimes(settings.range);
    return runLogsInsightsPaged(client, query, { logGroupNames: settings.logGroupNames, startTime, endTime }, { signal, maxRows: this.deps.config().notebookMaxRows, onState: (status, ms) => progress(`Logs Insights: ${status} (${(ms / 1000).toFixed(0)} s)`) });
  }

  // ---- results as events ----

  private resultOf(cell: vscode.NotebookCell): ResultPayload | undefined {
    for (const o of cell.outputs) {
      const p = payloadOf(o);
      if (p) return p;
    }
    return undefined;
  }

  private cellOfOutput(notebook: vscode.NotebookDocument, outputId: string): vscode.NotebookCell | undefined {
    return notebook.getCells().find((c) => c.outputs.some((o) => payloadOf(o)?.outputId === outputId));
  }

  private async onRendererMessage(notebook: vscode.NotebookDocument, message: unknown): Promise<void> {
    const m = message as { type?: string; outputId?: string };
    if (typeof m?.outputId !== 'string') return;
    const cell = this.cellOfOutput(notebook, m.outputId);
    if (!cell) return;
    if (m.type === 'openEvents') await this.openAsEvents(cell);
    else if (m.type === 'loadIntoInvestigation') await this.loadIntoInvestigation(cell);
  }

  /** The events of a result, whole when they can be found, else rebuilt from the columns; with what to call them. */
  private async eventsOf(cell: vscode.NotebookCell, result: ResultPayload, signal: AbortSignal): Promise<{ records: CloudTrailRecord[]; note?: string } | undefined> {
    if (result.engine === 'logs') {
      const { records, refused } = eventsFromLogsResult(result);
      return { records: records as CloudTrailRecord[], note: refused > 0 ? `${refused} row(s) had no CloudTrail event in @message and are left out.` : undefined };
    }
    if (result.engine === 'athena') {
      const files = resultEventFiles(result);
      if (files && files.size > 0) {
        const region = await this.athenaRegion();
        const found: CloudTrailRecord[] = [];
        let unread = 0;
        for (const [file, ids] of files) {
          signal.throwIfAborted();
          const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(file);
          if (!m) {
            unread++;
            continue;
          }
          try {
            const object = await (await this.deps.session.s3Store(m[1], region)).get(m[2], { signal });
            const read = await readEvents(object.body, file);
            found.push(...pickRecords(read.records, ids));
          } catch (error) {
            if (signal.aborted) throw error;
            unread++;
            log.warn(`Could not read ${file} for the query's events: ${describeAwsError(error, 'GetObject', file, this.deps.session.profile).message}`);
          }
        }
        return { records: found, note: unread > 0 ? `${unread} log file(s) named by "$path" could not be read (see the log); their events are not shown.` : undefined };
      }
    }
    // Local results come whole from the store by eventid.
    if (result.engine === 'local') {
      const ids = resultEventIds(result);
      if (ids && ids.length > 0) {
        const document = await this.investigationFor(cell.notebook, true);
        if (document?.client) {
          const slice = await document.client.slice({ eventIds: ids }, { column: 'time', descending: false }, ids.length, undefined, signal);
          return { records: slice.records, note: slice.unreadable > 0 ? `${slice.unreadable} event(s) could not be read back from the investigation.` : undefined };
        }
      }
    }
    const rebuilt = rebuildRecords(result);
    if (rebuilt.records.length === 0) return undefined;
    return { records: rebuilt.records, note: `These events are rebuilt from the query's columns and hold only what it selected${result.engine === 'athena' ? '; select eventid and "$path" to open them whole' : ''}.` };
  }

  private async withEvents(cell: vscode.NotebookCell | undefined, title: string, use: (records: CloudTrailRecord[], label: string, result: ResultPayload) => Promise<unknown>): Promise<unknown> {
    cell ??= this.activeCell();
    const result = cell && this.resultOf(cell);
    if (!cell || !result) {
      void vscode.window.showInformationMessage('Run the cell first: it has no result to open.');
      return undefined;
    }
    const controller = new AbortController();
    const events = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (_p, token) => {
      const sub = token.onCancellationRequested(() => controller.abort());
      try {
        return await this.eventsOf(cell, result, controller.signal);
      } catch (error) {
        if (controller.signal.aborted) return undefined;
        void vscode.window.showErrorMessage(escapeControl(`Could not read the result's events: ${(error as Error).message}`));
        return undefined;
      } finally {
        sub.dispose();
      }
    });
    if (controller.signal.aborted) return undefined;
    if (!events || events.records.length === 0) {
      void vscode.window.showInformationMessage('The rows are not events: select eventid (and "$path" for Athena), or eventtime and eventname, to open them as events.');
      return undefined;
    }
    if (events.note) void vscode.window.showInformationMessage(escapeControl(events.note));
    const label = `${TARGET_LABELS[result.engine]} query, cell ${cell.index + 1}`;
    return use(events.records, label, result);
  }

  /** "Open as Events": the result's events in an event document, cut to keep its lenses. */
  openAsEvents(cell?: vscode.NotebookCell): Promise<unknown> {
    return this.withEvents(cell, 'Opening the rows as events', async (records, label) => {
      const fitted = documentWithinLimits(records);
      const shown = records.slice(0, fitted.shown);
      const id = this.deps.memory.add(`${label} (${shown.length.toLocaleString('en-US')} events)`, shown);
      const editor = await this.deps.documents.open({ sources: [{ kind: 'memory', id, label }], filters: [] });
      if (shown.length < records.length) {
        void vscode.window.showInformationMessage(`Showing ${shown.length.toLocaleString('en-US')} of ${records.length.toLocaleString('en-US')} events: VS Code keeps lenses, colouring and folding only below 300,000 lines or 20 MB. Load them into an investigation to see all.`);
      }
      return editor;
    });
  }

  /** "Load into Investigation": the result's events read into a new or chosen investigation. */
  loadIntoInvestigation(cell?: vscode.NotebookCell, target?: vscode.Uri): Promise<unknown> {
    return this.withEvents(cell, 'Reading the rows as events', async (records, label, result) => {
      if (result.engine === 'local') {
        void vscode.window.showInformationMessage('These events are already in the investigation the cell ran on; "Open as Events" shows them.');
        return undefined;
      }
      const id = this.deps.memory.add(label, records);
      return this.deps.investigateMemory(id, label, target);
    });
  }

  // ---- new notebooks ----

  /** "New CloudTrail Query Notebook": the starter staples, from the open investigation's first day or 30 days ago. */
  async newNotebook(): Promise<vscode.NotebookEditor> {
    let first: number | undefined;
    const document = this.deps.investigations.activeDocument;
    if (document?.client) {
      try {
        first = (await document.client.info()).first;
      } catch {
        // the day of 30 days ago then
      }
    }
    const day = partitionDay(first ?? Date.now() - 30 * 86_400_000);
    const cells = starterCells(day).map((c) => {
      const cell = new vscode.NotebookCellData(c.kind === 'markdown' ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code, c.source, c.kind === 'markdown' ? 'markdown' : 'sql');
      if (c.kind === 'sql') cell.metadata = { target: c.target ?? 'local' };
      return cell;
    });
    const notebook = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, new vscode.NotebookData(cells));
    const editor = await vscode.window.showNotebookDocument(notebook);
    this.controller.updateNotebookAffinity(notebook, vscode.NotebookControllerAffinity.Preferred);
    return editor;
  }

  /** What "Run, and Don't Ask Again" keeps: the write notice is not shown again for this region and workgroup. */
  async acknowledgeAthenaWrites(region: string, workgroup: string): Promise<void> {
    await this.deps.state.update(`${ACK_KEY}:${region}:${workgroup}`, true);
  }

  /** Binds the controller to a notebook (it is the only one for the type, so VS Code picks it anyway). */
  prefer(notebook: vscode.NotebookDocument): void {
    this.controller.updateNotebookAffinity(notebook, vscode.NotebookControllerAffinity.Preferred);
  }
}
