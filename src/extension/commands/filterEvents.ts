import type * as vscode from 'vscode';
import type { EventFilter } from '../../core/events/filters';
import type { EventDocuments } from '../documents/eventDocuments';
import { pivotTo, withFilter } from '../documents/eventDocumentUri';
import type { EventIndexCache } from '../documents/eventIndexCache';
import { activeEventEditor, pickFilter } from './eventPickers';

/** "Filter Events…": picks a filter from the active document's values and opens the derived document. */
export async function filterEvents(documents: EventDocuments, cache: EventIndexCache, kind?: EventFilter['kind']): Promise<vscode.TextEditor | undefined> {
  const active = await activeEventEditor(cache);
  if (!active) return undefined;
  const filter = await pickFilter(active.index, kind);
  if (!filter) return undefined;
  return documents.open(withFilter(active.editor.document.uri, filter));
}

/** Opens the events of `uri` that pass `filter` as well as its own filters (narrowing). */
export async function openFiltered(documents: EventDocuments, uri: vscode.Uri, filter: EventFilter): Promise<vscode.TextEditor | undefined> {
  return documents.open(withFilter(uri, filter));
}

/** Opens every event of `uri`'s sources that passes `filter`, whatever `uri` shows (the lenses' command). */
export async function openPivot(documents: EventDocuments, uri: vscode.Uri, filter: EventFilter): Promise<vscode.TextEditor | undefined> {
  return documents.open(pivotTo(uri, filter));
}
