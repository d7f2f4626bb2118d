import * as vscode from 'vscode';
import { escapeControl } from '../../core/text/safeText';
import type { EventIndexCache } from '../documents/eventIndexCache';
import { activeEventEditor } from './eventPickers';

interface EventItem extends vscode.QuickPickItem {
  line: number;
}

/** "Go to Event…": a quick pick of the document's events, searchable by time, name, caller and IP. */
export async function goToEvent(cache: EventIndexCache): Promise<void> {
  const active = await activeEventEditor(cache);
  if (!active) return;
  const { editor, index } = active;
  // Names, times, callers and IPs are the log's text: shown with controls escaped.
  const items: EventItem[] = index.events.map((e) => ({
    label: `${e.errorCode ? '$(error) ' : '$(symbol-event) '}${escapeControl(e.eventName ?? 'event')}`,
    description: e.eventTime === undefined ? undefined : escapeControl(e.eventTime),
    detail: escapeControl([e.caller.label, e.caller.type, e.sourceIp, e.errorCode].filter(Boolean).join(' · ')),
    line: e.line,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    ignoreFocusOut: true,
    title: `Go to Event (${items.length})`,
    placeHolder: 'Search by time, event name, caller or source IP',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) return;
  const position = new vscode.Position(picked.line, 0);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.AtTop);
}
