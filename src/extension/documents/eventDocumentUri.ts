import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeFilter, type EventFilter } from '../../core/events/filters';

export const EVENT_SCHEME = 'cloudtrail-lens';
export const LANGUAGE_ID = 'cloudtrail';

/** Where a document's events come from. */
export type EventSourceRef =
  | { kind: 'file'; path: string }
  | { kind: 's3'; bucket: string; key: string; region?: string }
  | { kind: 'memory'; id: string; label: string };

/** Everything an event document is made from; encoded in its URI so it can be rebuilt at any time. */
export interface EventDocumentState {
  sources: EventSourceRef[];
  filters: EventFilter[];
}

function sourceLabel(sources: readonly EventSourceRef[]): string {
  if (sources.length === 1) {
    const s = sources[0];
    if (s.kind === 'file') return path.basename(s.path).replace(/\.(json|ndjson|jsonl)(\.gz)?$|\.gz$/i, '');
    if (s.kind === 's3') return path.posix.basename(s.key).replace(/\.json(\.gz)?$/i, '');
    return s.label;
  }
  return `${sources.length} sources`;
}

/** A short title for the editor tab: the source, then the filters. */
export function documentTitle(state: EventDocumentState): string {
  const parts = [sourceLabel(state.sources), ...state.filters.map(describeFilter)];
  // Keep the title a valid single path segment.
  return parts.join(' — ').replace(/[\\/:*?"<>|]/g, '_').slice(0, 120);
}

export function eventDocumentUri(state: EventDocumentState): vscode.Uri {
  return vscode.Uri.from({ scheme: EVENT_SCHEME, path: `/${documentTitle(state)}.cloudtrail`, query: JSON.stringify(state) });
}

export function isEventDocument(uri: vscode.Uri): boolean {
  return uri.scheme === EVENT_SCHEME;
}

export function decodeEventDocumentUri(uri: vscode.Uri): EventDocumentState {
  const state = JSON.parse(uri.query) as EventDocumentState;
  if (!Array.isArray(state.sources) || !Array.isArray(state.filters)) {
    throw new Error(`${uri.toString()} is not a CloudTrail Lens event document`);
  }
  return state;
}

/**
 * The state of a new document with the events of `uri`'s sources, the whole of them, that pass
 * `filter` alone: a lens pivots ("what else did this caller do?") instead of narrowing what is shown.
 */
export function pivotTo(uri: vscode.Uri, filter: EventFilter): EventDocumentState {
  if (isEventDocument(uri)) return { sources: decodeEventDocumentUri(uri).sources, filters: [filter] };
  return { sources: [{ kind: 'file', path: uri.fsPath }], filters: [filter] };
}

/**
 * The state of a new document that narrows `uri` (an event document or a CloudTrail file) with one
 * more filter.
 */
export function withFilter(uri: vscode.Uri, filter: EventFilter): EventDocumentState {
  if (isEventDocument(uri)) {
    const state = decodeEventDocumentUri(uri);
    return { sources: state.sources, filters: [...state.filters, filter] };
  }
  return { sources: [{ kind: 'file', path: uri.fsPath }], filters: [filter] };
}
