import * as vscode from 'vscode';
import { escapeControl } from '../../core/text/safeText';
import { decodeEventDocumentUri, isEventDocument } from '../documents/eventDocumentUri';
import type { IntegrityMark, IntegrityMarks } from './integrityMarks';

/** The marked files a document was made from: an event document's sources, or the file itself. */
export function marksOfDocument(marks: IntegrityMarks, uri: vscode.Uri): IntegrityMark[] {
  if (isEventDocument(uri)) {
    try {
      return marks.ofSources(decodeEventDocumentUri(uri).sources);
    } catch {
      return [];
    }
  }
  if (uri.scheme !== 'file') return [];
  const mark = marks.of({ kind: 'file', path: uri.fsPath });
  return mark ? [mark] : [];
}

/** `changed after delivery: 02:00 us-east-1 log file` or `2 source files failed their integrity check`. */
export function marksTitle(found: readonly IntegrityMark[]): string {
  const [first, ...rest] = found;
  return rest.length === 0 ? `${first.phrase}: ${first.name}` : `${found.length} source files failed their integrity check (${first.phrase}: ${first.name}, …)`;
}

/**
 * A status bar item while the active editor shows events from a file the last integrity check
 * found wrong; a click opens the check's report.
 */
export class IntegrityStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('cloudtrailLens.integrity', vscode.StatusBarAlignment.Left, 90);
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly marks: IntegrityMarks) {
    this.item.name = 'CloudTrail Lens: integrity of the active document';
    this.subscriptions = [vscode.window.onDidChangeActiveTextEditor(() => this.update()), marks.onDidChange(() => this.update())];
    this.update();
  }

  /** What the item shows now (for tests): undefined when hidden. */
  get shown(): { text: string; tooltip: string } | undefined {
    return this.visible ? { text: this.item.text, tooltip: String(this.item.tooltip ?? '') } : undefined;
  }

  private visible = false;

  private update(): void {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const found = uri ? marksOfDocument(this.marks, uri) : [];
    if (found.length === 0) {
      this.item.hide();
      this.visible = false;
      return;
    }
    const error = found[0].severity === 'error';
    this.item.text = `$(${error ? 'error' : 'warning'}) ${found[0].phrase}${found.length > 1 ? ` (+${found.length - 1})` : ''}`;
    this.item.tooltip = escapeControl(`${marksTitle(found)}\n${found[0].message}\n\nClick to open the integrity report.`);
    this.item.backgroundColor = new vscode.ThemeColor(error ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground');
    this.item.command = { command: 'cloudtrailLens.openLastReport', title: 'Open Report', arguments: [found[0].report.toString()] };
    this.item.show();
    this.visible = true;
  }

  dispose(): void {
    this.item.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
