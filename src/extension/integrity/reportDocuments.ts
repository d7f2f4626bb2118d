import * as vscode from 'vscode';
import { escapeControl } from '../../core/text/safeText';

export const REPORT_SCHEME = 'cloudtrail-lens-report';

/** Read-only Markdown reports (integrity, protection) a user can read, preview and save with "Save As". */
export class ReportDocuments implements vscode.TextDocumentContentProvider {
  private readonly reports = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  /**
   * Stores a report under a stable name (a new run of the same check replaces the old report). The
   * name (a trail or file name) becomes the tab title and the Save As file name: controls escaped.
   */
  put(name: string, markdown: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${escapeControl(name).replace(/[\\/:*?"<>|]/g, '_')}.md` });
    this.reports.set(uri.toString(), markdown);
    this.changed.fire(uri);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.reports.get(uri.toString()) ?? '# Report no longer available\n\nRun the check again: reports live only while VS Code runs. Save a report with File > Save As to keep it.\n';
  }

  /** The zero-based line of the first line containing `text`, for pointing a diagnostic into the report. */
  lineOf(uri: vscode.Uri, text: string): number {
    const lines = (this.reports.get(uri.toString()) ?? '').split('\n');
    const i = lines.findIndex((l) => l.includes(text));
    return i < 0 ? 0 : i;
  }

  /** Whether the report is still held (reports live while VS Code runs). */
  has(uri: vscode.Uri): boolean {
    return this.reports.has(uri.toString());
  }

  /**
   * Opens the report rendered (VS Code's Markdown preview, whose title bar has "Open Source"); the
   * source text when the preview is not available.
   */
  async show(uri: vscode.Uri): Promise<void> {
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(document, 'markdown');
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
      await vscode.window.showTextDocument(document, { preview: false });
    }
  }

  /** "Last check" in the tree: the report of that check, or why it is gone. */
  async showLast(report: unknown): Promise<void> {
    const uri = typeof report === 'string' ? vscode.Uri.parse(report, true) : undefined;
    if (!uri || uri.scheme !== REPORT_SCHEME || !this.has(uri)) {
      void vscode.window.showInformationMessage('The report of this check is no longer open: reports live only while VS Code runs. Validate again for a new one (and Save Report… to keep it).');
      return;
    }
    await this.show(uri);
  }

  /** Writes a report to a file the user picks. */
  async saveAs(uri: vscode.Uri): Promise<vscode.Uri | undefined> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = uri.path.slice(1);
    const target = await vscode.window.showSaveDialog({ defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined, filters: { Markdown: ['md'] }, title: 'Save Report' });
    if (!target) return undefined;
    await vscode.workspace.fs.writeFile(target, Buffer.from(this.provideTextDocumentContent(uri), 'utf8'));
    return target;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
