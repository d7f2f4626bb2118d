import * as vscode from 'vscode';
import { matchesAllTerms, searchTerms } from '../../core/text/searchTerms';
import { escapeControl } from '../../core/text/safeText';
import type { EventIndexCache } from '../documents/eventIndexCache';
import { activeEventEditor } from './eventPickers';

interface EventItem extends vscode.QuickPickItem {
  line: number;
  /** Lowercase label, description and detail, for several-term searches. */
  text: string;
}

/**
 * "Go to Event…": a quick pick of the document's events, searchable by time, name, caller and IP.
 * One term is matched as VS Code matches (fuzzy); several terms (`StopLogging bob`) must each occur
 * in the event's line, in any order. `query` fills the search box (a keybinding's argument).
 */
export async function goToEvent(cache: EventIndexCache, query?: string): Promise<void> {
  const active = await activeEventEditor(cache);
  if (!active) return;
  const { editor, index } = active;
  // Names, times, callers and IPs are the log's text: shown with controls escaped.
  const items: EventItem[] = index.events.map((e) => {
    const label = `${e.errorCode ? '$(error) ' : '$(symbol-event) '}${escapeControl(e.eventName ?? 'event')}`;
    const description = e.eventTime === undefined ? undefined : escapeControl(e.eventTime);
    const detail = escapeControl([e.caller.label, e.caller.type, e.sourceIp, e.errorCode].filter(Boolean).join(' · '));
    return { label, description, detail, line: e.line, text: `${e.eventName ?? ''} ${description ?? ''} ${detail}`.toLowerCase() };
  });
  const pick = vscode.window.createQuickPick<EventItem>();
  pick.title = `Go to Event (${items.length})`;
  pick.placeholder = 'Search by time, event name, caller or source IP; several words must all match';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.ignoreFocusOut = true;
  let shownAll: EventItem[] | undefined;
  const filter = (value: string): void => {
    const terms = searchTerms(value);
    if (terms.length <= 1) {
      pick.items = items;
      return;
    }
    // VS Code's own filter matches one term; with several, the items shown are chosen here.
    shownAll ??= items.map((i) => ({ ...i, alwaysShow: true }));
    pick.items = shownAll.filter((i) => matchesAllTerms(i.text, terms));
  };
  const picked = await new Promise<EventItem | undefined>((resolve) => {
    pick.onDidChangeValue(filter);
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0] ?? pick.activeItems[0]);
      pick.hide();
    });
    pick.onDidHide(() => resolve(undefined));
    pick.value = query ?? '';
    filter(pick.value);
    pick.show();
  });
  pick.dispose();
  if (!picked) return;
  const position = new vscode.Position(picked.line, 0);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.AtTop);
}
