import * as vscode from 'vscode';
import type { EventIndex, Occurrences } from '../../core/events/eventIndex';
import { sensitiveAction } from '../../core/events/actions';
import { parseUserTime, type EventFilter } from '../../core/events/filters';
import { escapeControl } from '../../core/text/safeText';
import { isCloudTrailDocument, type EventIndexCache } from '../documents/eventIndexCache';

/** The active editor when it shows CloudTrail events, with its index; otherwise says what to open. */
export async function activeEventEditor(cache: EventIndexCache): Promise<{ editor: vscode.TextEditor; index: EventIndex } | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !isCloudTrailDocument(editor.document, true)) {
    void vscode.window.showInformationMessage('Open a CloudTrail event document first ("CloudTrail: Open as CloudTrail Events").');
    return undefined;
  }
  const index = await cache.get(editor.document);
  if (index.events.length === 0) {
    void vscode.window.showInformationMessage('This document holds no CloudTrail events.');
    return undefined;
  }
  return { editor, index };
}

interface ValueItem extends vscode.QuickPickItem {
  value: string;
}

function valueItems<T extends Occurrences>(map: Map<string, T>, describe: (entry: T) => Partial<vscode.QuickPickItem> = () => ({})): ValueItem[] {
  return [...map.values()]
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1))
    .map((e) => ({ label: e.key, description: `${e.count} event${e.count === 1 ? '' : 's'}`, ...describe(e), value: e.key }));
}

/** One or more values, most frequent first (Space or a click ticks several; Enter takes them). */
async function pickValues(title: string, items: ValueItem[]): Promise<string[] | undefined> {
  if (items.length === 0) {
    void vscode.window.showInformationMessage(`No ${title.toLowerCase()} in this document.`);
    return undefined;
  }
  // Values are the log's text: shown with controls escaped; the value picked stays exact.
  const shown = items.map((i) => ({ ...i, label: escapeControl(i.label), description: i.description === undefined ? undefined : escapeControl(i.description), detail: i.detail === undefined ? undefined : escapeControl(i.detail) }));
  const pick = vscode.window.createQuickPick<ValueItem>();
  pick.title = `${title} (Enter takes the highlighted one; tick several to see any of them)`;
  pick.placeholder = 'Type to search';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.canSelectMany = true;
  pick.ignoreFocusOut = true;
  pick.items = shown;
  try {
    return await new Promise<string[] | undefined>((resolve) => {
      pick.onDidAccept(() => {
        // Nothing ticked: Enter takes the highlighted value, as a single pick would.
        const chosen = pick.selectedItems.length > 0 ? pick.selectedItems : pick.activeItems;
        resolve(chosen.length > 0 ? chosen.map((p) => p.value) : undefined);
        pick.hide();
      });
      pick.onDidHide(() => resolve(undefined));
      pick.show();
      // A many-pick highlights nothing by itself: the most frequent value is, as in a single pick.
      pick.activeItems = shown.slice(0, 1);
    });
  } finally {
    pick.dispose();
  }
}

/** A filter on one value, or on any of several. */
function ofValues<K extends 'source' | 'accessKey' | 'eventName'>(kind: K, values: string[] | undefined): EventFilter | undefined {
  if (!values) return undefined;
  const [value, ...more] = values;
  return more.length > 0 ? ({ kind, value, more } as EventFilter) : ({ kind, value } as EventFilter);
}

type FilterKind = EventFilter['kind'];

/** Asks which filter to apply (kind, then value) from the document's own values and counts. */
export async function pickFilter(index: EventIndex, kind?: FilterKind): Promise<EventFilter | undefined> {
  if (!kind) {
    const kinds: (vscode.QuickPickItem & { filterKind: FilterKind })[] = [
      { label: '$(person) Caller', description: `${index.callers.size}`, filterKind: 'caller' },
      { label: '$(globe) Source IP address', description: `${index.sources.size}`, filterKind: 'source' },
      { label: '$(key) Access key', description: `${index.accessKeys.size}`, filterKind: 'accessKey' },
      { label: '$(symbol-event) Event name', description: `${index.eventNames.size}`, filterKind: 'eventName' },
      { label: '$(error) Failed calls', description: `${[...index.errorCodes.values()].reduce((n, e) => n + e.count, 0)} events`, filterKind: 'errors' },
      { label: '$(shield) Sensitive actions', description: `${index.events.filter((e) => sensitiveAction(e.eventSource, e.eventName)).length} events`, detail: 'StopLogging, CreateAccessKey, PutBucketPolicy… (the hovers’ list)', filterKind: 'sensitive' },
      { label: '$(star-full) Root user', description: `${[...index.callers.values()].filter((c) => c.type === 'Root').reduce((n, c) => n + c.count, 0)} events`, filterKind: 'root' },
      { label: '$(calendar) Time window', filterKind: 'timeWindow' },
    ];
    const picked = await vscode.window.showQuickPick(kinds, { ignoreFocusOut: true, title: 'Filter events by' });
    if (!picked) return undefined;
    kind = picked.filterKind;
  }
  switch (kind) {
    case 'caller': {
      const keys = await pickValues('Callers', valueItems(index.callers, (c) => ({ label: c.label, detail: `${c.type} · ${c.key}` })));
      const callers = (keys ?? []).map((k) => index.callers.get(k)).filter((c) => c !== undefined);
      if (callers.length === 0) return undefined;
      const [first, ...more] = callers.map((c) => ({ key: c.key, label: c.label }));
      return more.length > 0 ? { kind: 'caller', ...first, more } : { kind: 'caller', ...first };
    }
    case 'source':
      return ofValues('source', await pickValues('Source IP addresses', valueItems(index.sources, (s) => ({ detail: s.source.label }))));
    case 'accessKey':
      return ofValues('accessKey', await pickValues('Access keys', valueItems(index.accessKeys)));
    case 'eventName':
      return ofValues('eventName', await pickValues('Event names', valueItems(index.eventNames)));
    case 'errors':
      return { kind: 'errors' };
    case 'sensitive':
      return { kind: 'sensitive' };
    case 'root':
      return { kind: 'root' };
    case 'timeWindow': {
      const first = Number.isNaN(index.firstMs) ? '' : new Date(index.firstMs).toISOString().replace('.000Z', 'Z');
      const last = Number.isNaN(index.lastMs) ? '' : new Date(index.lastMs).toISOString().replace('.000Z', 'Z');
      const validate = (v: string): string | undefined => (v.trim() === '' || !Number.isNaN(parseUserTime(v)) ? undefined : 'Type a time such as 2026-11-01T10:00Z or 2026-11-01 10:00 (UTC unless you give a zone)');
      const from = await vscode.window.showInputBox({ ignoreFocusOut: true, title: 'Events from (UTC unless a zone is given; empty for the first event)', value: first, validateInput: validate });
      if (from === undefined) return undefined;
      const to = await vscode.window.showInputBox({ ignoreFocusOut: true, title: 'Events to (inclusive; empty for the last event)', value: last, validateInput: validate });
      if (to === undefined) return undefined;
      return { kind: 'timeWindow', from: from.trim() || undefined, to: to.trim() || undefined };
    }
  }
}
