import * as vscode from 'vscode';
import { applyFilters, describeFilter } from '../../core/events/filters';
import { formatEvents, mergeEvents } from '../../core/events/formatter';
import { escapeControl } from '../../core/text/safeText';
import { EXTENSION_SYNC_LIMIT, LENS_MAX_BYTES, LENS_MAX_LINES, lineCount, withinLensLimits } from '../../core/events/editorLimits';
import type { Config } from '../config';
import { log, showError } from '../log';
import { decodeEventDocumentUri, EVENT_SCHEME, eventDocumentUri, type EventDocumentState, type EventSourceRef } from './eventDocumentUri';
import { loadSources, shortName, type LoadedSources, type MemoryEvents, type S3StoreFactory } from './eventSources';

export interface BuiltDocument {
  text: string;
  events: number;
  loaded: LoadedSources;
  duplicatesFolded: number;
  conflictingEventIds: string[];
}

/**
 * Builds, caches and opens read-only CloudTrail event documents. Their URIs hold their sources and
 * filters, so VS Code can ask for a document again at any time (after a reload, say) and get it.
 */
export class EventDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Opens the sources as an investigation instead (set by the composition root). */
  offerInvestigation?: (sources: EventSourceRef[]) => Promise<unknown>;

  constructor(
    private config: Config,
    private readonly memory: MemoryEvents,
    private readonly s3?: S3StoreFactory,
  ) {
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(EVENT_SCHEME, this),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.scheme === EVENT_SCHEME) this.texts.delete(d.uri.toString());
      }),
    );
  }

  updateConfig(config: Config): void {
    this.config = config;
  }

  /**
   * Reads, merges, filters and formats, under a cancellable progress notification; `then` runs
   * under the same notification (opening the document), so no phase goes without progress.
   */
  async build(state: EventDocumentState, title: string): Promise<BuiltDocument | undefined>;
  async build<T>(state: EventDocumentState, title: string, then: (built: BuiltDocument, say: (message: string) => void) => Promise<T>): Promise<T | undefined>;
  async build<T>(state: EventDocumentState, title: string, then?: (built: BuiltDocument, say: (message: string) => void) => Promise<T>): Promise<T | BuiltDocument | undefined> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => controller.abort());
      try {
        let reported = 0;
        const loaded = await loadSources(state.sources, { memory: this.memory, s3: this.s3 }, {
          signal: controller.signal,
          maxTextBytes: this.config.maxFileSizeMB * 1024 * 1024,
          maxTotalTextBytes: this.config.maxTotalMB * 1024 * 1024,
          onProgress: (done, total) => {
            const increment = (100 * done) / Math.max(total, 1) - reported;
            reported += increment;
            progress.report({ message: `${done} of ${total} files`, increment });
          },
        });
        const read = loaded.results.reduce((n, r) => n + r.records.length, 0);
        progress.report({ message: `sorting and formatting ${read.toLocaleString('en-US')} events…` });
        const merged = mergeEvents(loaded.results.map((r) => r.records));
        const records = applyFilters(merged.records, state.filters);
        const built = { text: formatEvents(records), events: records.length, loaded, duplicatesFolded: merged.duplicatesFolded, conflictingEventIds: merged.conflictingEventIds };
        if (!then) return built;
        controller.signal.throwIfAborted();
        return await then(built, (message) => progress.report({ message }));
      } catch (error) {
        if (controller.signal.aborted) return undefined;
        throw error;
      } finally {
        cancel.dispose();
      }
    });
  }

  /** Builds the document for `state` and opens it; reports what could not be read. */
  async open(state: EventDocumentState, options: { preview?: boolean; evenIfTooLarge?: boolean } = {}): Promise<vscode.TextEditor | undefined> {
    // evenIfTooLarge: open without offering an investigation (tests, and callers that cut already).
    const uri = eventDocumentUri(state);
    try {
      // The notification stays until the editor shows the document: opening a large one takes a while.
      return await this.build(state, 'Reading CloudTrail events', (built, say) => this.openBuilt(uri, state, built, say, options));
    } catch (error) {
      await showError(`Could not read the CloudTrail events: ${error instanceof Error ? error.message : String(error)}`, error);
      return undefined;
    }
  }

  private async openBuilt(uri: vscode.Uri, state: EventDocumentState, built: BuiltDocument, say: (message: string) => void, options: { preview?: boolean; evenIfTooLarge?: boolean }): Promise<vscode.TextEditor | undefined> {
    const readAny = built.loaded.results.length > 0;
    if (!readAny && built.loaded.rejected.length > 0) {
      // Nothing could be read: one notification, with the reason (the log has every file's).
      this.report(built, false);
      const [first, ...rest] = built.loaded.rejected;
      const more = rest.length > 0 ? ` (and ${rest.length} more file${rest.length === 1 ? '' : 's'}, see the log)` : '';
      void vscode.window.showErrorMessage(escapeControl(`Could not open ${shortName(first.name)}: ${first.reason}${more}.`), 'Show Log').then((choice) => {
        if (choice === 'Show Log') log.show(true);
      });
      return undefined;
    }
    this.report(built);
    if (built.events === 0) {
      const why = !readAny
        ? 'No CloudTrail events could be read from the selection.'
        : state.filters.length > 0
          ? `No events match ${state.filters.map(describeFilter).join(' and ')}.`
          : 'The selection holds no CloudTrail events.';
      void vscode.window.showInformationMessage(escapeControl(why));
      return undefined;
    }
    if (!withinLensLimits(built.text) && !options.evenIfTooLarge) {
      // A document VS Code would show without lenses, colouring and folding (or, above 50 MB, without
      // hovers and outline): offer what handles any number of events, and the document anyway.
      const lines = lineCount(built.text);
      const mb = built.text.length / 1024 / 1024;
      const what = built.text.length > EXTENSION_SYNC_LIMIT ? 'and gives extensions nothing (no hovers, no outline) above 50 MB' : 'so the caller and IP lenses would not show';
      const message = `${built.events.toLocaleString('en-US')} events make a document of ${lines.toLocaleString('en-US')} lines (${mb.toFixed(0)} MB): VS Code turns lenses, colouring and folding off above ${LENS_MAX_LINES.toLocaleString('en-US')} lines or ${LENS_MAX_BYTES / 1024 / 1024} MB, ${what}. An investigation shows any number of events, and opens slices of them with lenses.`;
      log.info(message);
      void vscode.window.showWarningMessage(message, 'Open as Investigation', 'Open Document Anyway').then(async (choice) => {
        if (choice === 'Open as Investigation') await this.offerInvestigation?.(state.sources);
        if (choice === 'Open Document Anyway') await this.show(uri, built.text, options.preview);
      });
      return undefined;
    }
    say(`opening ${built.events.toLocaleString('en-US')} events…`);
    return this.show(uri, built.text, options.preview);
  }

  private async show(uri: vscode.Uri, text: string, preview = false): Promise<vscode.TextEditor> {
    this.texts.set(uri.toString(), text);
    const document = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(document, { preview });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const cached = this.texts.get(uri.toString());
    if (cached !== undefined) {
      return cached;
    }
    const state = decodeEventDocumentUri(uri);
    const built = await this.build(state, 'Reading CloudTrail events');
    if (!built) {
      throw new vscode.CancellationError();
    }
    this.report(built);
    this.texts.set(uri.toString(), built.text);
    return built.text;
  }

  /** Logs what was read and refused; `notify` false leaves the refusals to the caller's one message. */
  private report(built: BuiltDocument, notify = true): void {
    const { loaded } = built;
    log.info(`Event document: ${loaded.results.length} input(s) read, ${built.events} event(s), ${built.duplicatesFolded} duplicate(s) folded, ${loaded.rejected.length} rejected, ${loaded.skipped.length} skipped`);
    for (const s of loaded.skipped) log.info(`skipped ${s.name}: ${s.reason}`);
    for (const r of loaded.rejected) log.warn(`rejected ${r.name}: ${r.reason}`);
    const warnings = loaded.results.flatMap((r) => (r.warnings ?? []).map((w) => ({ name: r.name, w })));
    for (const { name, w } of warnings) log.warn(`${name}: ${w}`);
    if (warnings.length > 0) {
      const more = warnings.length > 1 ? ` (and ${warnings.length - 1} more, see the log)` : '';
      void vscode.window.showWarningMessage(`${shortName(warnings[0].name)}: ${warnings[0].w}${more}.`, 'Show Log').then((choice) => {
        if (choice === 'Show Log') log.show(true);
      });
    }
    if (loaded.leftOut) {
      log.warn(`${loaded.leftOut.reason}: ${loaded.leftOut.files.join(', ')}`);
      void vscode.window.showWarningMessage(`Not all files are shown: ${loaded.leftOut.reason}. The first left out is ${shortName(loaded.leftOut.files[0])}.`, 'Show Log').then((choice) => {
        if (choice === 'Show Log') log.show(true);
      });
    }
    if (built.conflictingEventIds.length > 0) {
      log.warn(`eventIDs with different content (both kept): ${built.conflictingEventIds.join(', ')}`);
      void vscode.window.showWarningMessage(`${built.conflictingEventIds.length} eventID(s) appear with different content in different files; both versions are kept. Compare them: one may have been altered.`);
    }
    if (loaded.rejected.length > 0 && notify) {
      const first = loaded.rejected[0];
      const more = loaded.rejected.length > 1 ? ` and ${loaded.rejected.length - 1} more (see the log)` : '';
      void vscode.window.showWarningMessage(escapeControl(`Not shown: ${shortName(first.name)}: ${first.reason}${more}.`), 'Show Log').then((choice) => {
        if (choice === 'Show Log') log.show(true);
      });
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.texts.clear();
  }
}
