import * as vscode from 'vscode';
import { escapeControl } from '../core/text/safeText';

/** The extension's one output channel. Never log credentials, session tokens or signed URLs. */
export const log: vscode.LogOutputChannel = vscode.window.createOutputChannel('CloudTrail Lens', { log: true });

const SHOW_LOG = 'Show Log';

/**
 * Shows a one-sentence error that says what failed and what to do, with a "Show Log" action; the
 * details (and stack, when there is one) go to the log. The message often names a file, key or
 * trail: the notification shows it with controls escaped.
 */
export async function showError(message: string, error?: unknown): Promise<void> {
  if (error !== undefined) {
    log.error(message, error instanceof Error ? (error.stack ?? error.message) : String(error));
  } else {
    log.error(message);
  }
  const choice = await vscode.window.showErrorMessage(escapeControl(message), SHOW_LOG);
  if (choice === SHOW_LOG) {
    log.show(true);
  }
}
