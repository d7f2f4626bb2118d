import * as vscode from 'vscode';
import { escapeControl } from '../../core/text/safeText';
import type { EventDocuments } from '../documents/eventDocuments';
import { isEventDocument } from '../documents/eventDocumentUri';

/**
 * "Open as CloudTrail Events": from the explorer (one or many files and folders), an editor, or the
 * palette (which asks for files or folders).
 */
export async function openAsEvents(documents: EventDocuments, uri?: vscode.Uri, uris?: vscode.Uri[]): Promise<vscode.TextEditor | undefined> {
  let targets = Array.isArray(uris) && uris.length > 0 ? uris : uri instanceof vscode.Uri ? [uri] : [];
  if (targets.length === 0) {
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active && active.scheme === 'file') {
      targets = [active];
    } else if (active && isEventDocument(active)) {
      void vscode.window.showInformationMessage('This is already a CloudTrail event document.');
      return undefined;
    } else {
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
