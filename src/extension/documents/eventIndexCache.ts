import * as vscode from 'vscode';
import { buildEventIndexAsync, type EventIndex, type IndexDetector } from '../../core/events/eventIndex';
import { log } from '../log';
import { LANGUAGE_ID } from './eventDocumentUri';

/** How much of a JSON file is sniffed to decide whether it holds CloudTrail events. */
const SNIFF_CHARS = 64 * 1024;

/** True for documents whose events the lenses, hovers and outline work on. */
export function isCloudTrailDocument(document: vscode.TextDocument, rawJson: boolean): boolean {
  if (document.languageId === LANGUAGE_ID) {
    return true;
  }
  if (!rawJson || (document.languageId !== 'json' && document.languageId !== 'jsonl')) {
    return false;
  }
  const head = document.getText(new vscode.Range(0, 0, Math.min(document.lineCount, 2000), 0)).slice(0, SNIFF_CHARS);
  return /"eventVersion"\s*:/.test(head) || /"CloudTrailEvent"\s*:/.test(head);
}

/**
 * One event index per open document and version, built off the hot path and shared by the lenses,
 * hovers, outline and commands. The cache holds the promise, so concurrent callers share one build;
 * it is dropped when the document closes or changes.
 */
export class EventIndexCache implements vscode.Disposable {
  private readonly entries = new Map<string, { version: number; index: Promise<EventIndex> }>();
  private readonly disposables: vscode.Disposable[];
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when every index was dropped (the rules changed): lenses and diagnostics ask again. */
  readonly onDidInvalidate = this.changed.event;

  /** `detector` gives the rules to match while indexing (see detections/ruleService.ts), if any. */
  constructor(private readonly detector?: () => Promise<IndexDetector | undefined>) {
    this.disposables = [vscode.workspace.onDidCloseTextDocument((d) => this.entries.delete(d.uri.toString())), this.changed];
  }

  /** Drops every index (the next `get` builds again). */
  invalidate(): void {
    this.entries.clear();
    this.changed.fire();
  }

  get(document: vscode.TextDocument): Promise<EventIndex> {
    const key = document.uri.toString();
    const entry = this.entries.get(key);
    if (entry && entry.version === document.version) {
      return entry.index;
    }
    const started = performance.now();
    const text = document.getText();
    const detector = this.detector
      ? this.detector().catch((error: unknown) => {
          log.error('Detections: no rules for this document', error);
          return undefined;
        })
      : Promise.resolve(undefined);
    const index = detector.then((d) => buildEventIndexAsync(text, { detector: d })).then((built) => {
      log.debug(`indexed ${built.events.length} events${built.findings ? ` (${built.findings.length} findings)` : ''} of ${document.uri.toString(true)} in ${(performance.now() - started).toFixed(0)} ms`);
      return built;
    });
    this.entries.set(key, { version: document.version, index });
    return index;
  }

  /** The index if it is ready or being built for this version; does not start a build. */
  peek(document: vscode.TextDocument): Promise<EventIndex> | undefined {
    const entry = this.entries.get(document.uri.toString());
    return entry && entry.version === document.version ? entry.index : undefined;
  }

  get size(): number {
    return this.entries.size;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.entries.clear();
  }
}
