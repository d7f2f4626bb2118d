import * as path from 'node:path';
import * as vscode from 'vscode';
import { eventsToCsv } from '../../core/events/exportEvents';
import { formatEvents } from '../../core/events/formatter';
import { EventReadError, parseEventsText } from '../../core/events/reader';
import { escapeControl } from '../../core/text/safeText';
import { isEventDocument } from '../documents/eventDocumentUri';
import { isCloudTrailDocument } from '../documents/eventIndexCache';
import { showError } from '../log';

/**
 * "Export Events as CSV…" / "as JSON…": the active document's events, to a file the user picks (or
 * to `target` when a keybinding or another extension passes one).
 */
export async function exportEvents(format: 'csv' | 'json', target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !isCloudTrailDocument(editor.document, true)) {
    void vscode.window.showInformationMessage('Open a CloudTrail event document to export its events.');
    return undefined;
  }
  const document = editor.document;
  let records;
  try {
    records = parseEventsText(document.getText(), document.uri.toString(true)).records;
  } catch (error) {
    await showError(error instanceof EventReadError ? `Cannot export: ${error.message}` : 'Cannot export: the document is not readable as CloudTrail events.', error);
    return undefined;
  }
  // A file name without spaces or look-alike colons, which shells and spreadsheets handle badly.
  const base =
    path
      .basename(document.uri.path)
      .replace(/\.(cloudtrail|json|ndjson|jsonl)$/i, '')
      .replace(/\uA789/g, '')
      .replace(/[^\p{L}\p{N}._-]+/gu, '_')
      .replace(/^_+|_+$/g, '') || 'events';
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const suggested = `${base}${isEventDocument(document.uri) ? '' : '-events'}.${format}`;
  target ??= await vscode.window.showSaveDialog({
    title: `Export ${records.length} events as ${format.toUpperCase()}`,
    defaultUri: folder ? vscode.Uri.joinPath(folder, suggested) : undefined,
    filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
    saveLabel: 'Export',
  });
  if (!target) return undefined;
  const content = format === 'csv' ? eventsToCsv(records) : formatEvents(records);
  try {
    await vscode.workspace.fs.writeFile(target, Buffer.from(content, 'utf8'));
  } catch (error) {
    await showError(`Could not write ${target.fsPath}: ${error instanceof Error ? error.message : String(error)}`, error);
    return undefined;
  }
  const written = target;
  void vscode.window.showInformationMessage(`Exported ${records.length} events to ${escapeControl(path.basename(target.fsPath))}.`, 'Open').then((action) => {
    if (action === 'Open') void vscode.commands.executeCommand('vscode.open', written);
  });
  return target;
}
