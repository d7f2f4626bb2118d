import * as path from 'node:path';
import * as vscode from 'vscode';
import { findingMessage } from '../../core/detections/findingText';
import { levelRank, type Level } from '../../core/detections/types';
import type { EventFinding, EventIndex, IndexedEvent } from '../../core/events/eventIndex';
import type { Config } from '../config';
import { isCloudTrailDocument, type EventIndexCache } from '../documents/eventIndexCache';
import { log } from '../log';
import type { FindingRow, FindingsModel } from './findingsModel';
import type { RuleService } from './ruleService';

const SEVERITY: Record<Level, vscode.DiagnosticSeverity> = {
  critical: vscode.DiagnosticSeverity.Error,
  high: vscode.DiagnosticSeverity.Error,
  medium: vscode.DiagnosticSeverity.Warning,
  low: vscode.DiagnosticSeverity.Information,
  informational: vscode.DiagnosticSeverity.Hint,
};

/** At most this many events of one correlation carry its diagnostic (the first ones). */
const MAX_MARKED_EVENTS = 20;

/** The range of an event's `eventName` value (or of its first line when there is none). */
export function eventNameRange(document: vscode.TextDocument, event: IndexedEvent): vscode.Range {
  if (event.start < 0) return new vscode.Range(0, 0, 0, 0);
  const start = document.positionAt(event.start);
  const slice = document.getText(new vscode.Range(start, document.positionAt(event.end)));
  const m = /"(?:eventName|EventName)"\s*:\s*("(?:[^"\\\n]|\\.)*")/.exec(slice);
  if (!m) return new vscode.Range(start, start.translate(0, 1));
  const at = event.start + m.index + m[0].length - m[1].length;
  return new vscode.Range(document.positionAt(at), document.positionAt(at + m[1].length));
}

/**
 * Detections in event documents: a diagnostic on each matching event's `eventName` (severity from
 * the rule's level), and the rows of the Findings view for the document. Runs on the document's
 * index, which matched the rules as it parsed the events.
 */
export class DetectionDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('cloudtrailLens.detections');
  private readonly disposables: vscode.Disposable[] = [];
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Bumped per document so that a slow index never overwrites a newer one's results. */
  private readonly generation = new Map<string, number>();

  constructor(
    private config: Config,
    private readonly cache: EventIndexCache,
    private readonly rules: RuleService,
    private readonly model: FindingsModel,
  ) {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, 500)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      cache.onDidInvalidate(() => this.refreshAll()),
    );
    this.refreshAll();
  }

  updateConfig(config: Config): void {
    this.config = config;
    this.refreshAll();
  }

  refreshAll(): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  private schedule(document: vscode.TextDocument, delay: number): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.update(document);
      }, delay),
    );
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    this.generation.delete(key);
    this.collection.delete(uri);
    this.model.delete(key);
  }

  /** Diagnostics and Findings rows of one document, now. */
  async update(document: vscode.TextDocument): Promise<void> {
    const key = document.uri.toString();
    if (document.isClosed || !this.config.detectionsEnabled || !isCloudTrailDocument(document, this.config.rawJsonHovers)) {
      this.collection.delete(document.uri);
      this.model.delete(key);
      return;
    }
    const generation = (this.generation.get(key) ?? 0) + 1;
    this.generation.set(key, generation);
    let index: EventIndex;
    try {
      index = await this.cache.get(document);
    } catch (error) {
      log.error('Detections: could not index the document', error);
      return;
    }
    if (this.generation.get(key) !== generation || document.isClosed) return;
    const min = levelRank(this.rules.minimumLevel);
    const shown = (index.findings ?? []).filter((f) => levelRank(f.finding.level) >= min);
    const diagnostics: vscode.Diagnostic[] = [];
    const rows: FindingRow[] = [];
    const source = { id: key, label: documentLabel(document), kind: 'document' as const };
    for (const f of shown) {
      const first = index.events[f.ordinals[0]];
      if (!first) continue;
      for (const ordinal of f.ordinals.slice(0, MAX_MARKED_EVENTS)) {
        const event = index.events[ordinal];
        if (!event) continue;
        diagnostics.push(this.diagnostic(document, event, f));
      }
      const range = eventNameRange(document, first);
      rows.push({ finding: f.finding, source, open: () => vscode.window.showTextDocument(document, { selection: range, preserveFocus: false }) });
    }
    this.collection.set(document.uri, diagnostics);
    this.model.set(source, rows);
  }

  private diagnostic(document: vscode.TextDocument, event: IndexedEvent, f: EventFinding): vscode.Diagnostic {
    const d = new vscode.Diagnostic(eventNameRange(document, event), findingMessage(f.finding), SEVERITY[f.finding.level]);
    d.source = 'CloudTrail Lens';
    d.code = f.finding.ruleId;
    return d;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}

function documentLabel(document: vscode.TextDocument): string {
  return document.uri.scheme === 'file' ? path.basename(document.uri.fsPath) : path.basename(document.uri.path) || document.uri.toString(true);
}
