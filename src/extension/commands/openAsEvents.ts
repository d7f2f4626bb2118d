import * as path from 'node:path';
import * as vscode from 'vscode';
import { escapeControl } from '../../core/text/safeText';
import type { EventDocuments } from '../documents/eventDocuments';

/**
 * "Open as CloudTrail Events": from the explorer (one or many files and folders), an editor, or the
 * palette (which asks for files or folders).
 */
export async function openAsEvents(documents: EventDocuments, uri?: vscode.Uri, uris?: vscode.Uri[]): Promise<vscode.TextEditor | undefined> {
  let targets = Array.isArray(uris) && uris.length > 0 ? uris : uri instanceof vscode.Uri ? [uri] : [];
  if (targets.length === 0) {
    // From the palette: always ask, the active file (when it is one on disk) offered first.
    const active = vscode.window.activeTextEditor?.document.uri;
    let choose = true;
    if (active?.scheme === 'file') {
      const picked = await vscode.window.showQuickPick(
        [
          { label: `$(file) ${escapeControl(path.basename(active.fsPath))}`, description: 'the active file', detail: escapeControl(active.fsPath), active: true },
          { label: '$(folder-opened) Choose Files or Folders…', description: 'log files, day folders, a whole AWSLogs/ copy', active: false },
        ],
        { ignoreFocusOut: true, title: 'Open as CloudTrail Events' },
      );
      if (!picked) return undefined;
      if (picked.active) {
        targets = [active];
        choose = false;
      }
    }
    if (choose) {
      const picked = await vscode.window.showOpenDialog({
        canSelectFiles: true,
        canSelectFolders: true,
        canSelectMany: true,
        openLabel: 'Open as CloudTrail Events',
        title: 'Open CloudTrail log files or folders',
        filters: { 'CloudTrail events': ['json', 'gz', 'ndjson', 'jsonl'], 'All files': ['*'] },
      });
      if (!picked || picked.length === 0) return undefined;
      targets = picked;
    }
  }
  const notLocal = targets.find((t) => t.scheme !== 'file');
  if (notLocal) {
    void vscode.window.showErrorMessage(`${escapeControl(notLocal.toString(true))} is not a local file; CloudTrail Lens opens files on disk and S3 objects from the Trails view.`);
    return undefined;
  }
  return documents.open({ sources: targets.map((t) => ({ kind: 'file', path: t.fsPath })), filters: [] });
}
