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

const REGION = '[a-z]{2}(?:-[a-z]+)+-\\d';

/**
 * What a source is, in a few words: `us-east-1 · 2026-11-01` for a day folder of an AWSLogs/
 * layout (`us-east-1 · 2026-11` a month, `us-east-1` a region), `us-east-1 · 2026-11-01 00꞉12` for a
 * log file CloudTrail named, otherwise the file or folder name without its extensions.
 */
export function sourceLabel(sources: readonly EventSourceRef[]): string {
  if (sources.length === 1) {
    const s = sources[0];
    if (s.kind === 'memory') return s.label;
    const full = s.kind === 'file' ? s.path.split(path.sep).join('/') : s.key;
    const folder = new RegExp(`(?:^|/)CloudTrail/(${REGION})(?:/(\\d{4})(?:/(\\d{2})(?:/(\\d{2}))?)?)?/?$`).exec(full);
    if (folder) return [folder[1], [folder[2], folder[3], folder[4]].filter(Boolean).join('-')].filter(Boolean).join(' · ');
    const name = path.posix.basename(full);
    const log = new RegExp(`^\\d{12}_CloudTrail_(${REGION})_(\\d{4})(\\d{2})(\\d{2})T(\\d{2})(\\d{2})Z_`).exec(name);
    if (log) return `${log[1]} · ${log[2]}-${log[3]}-${log[4]} ${log[5]}:${log[6]}`;
    return name.replace(/\.(json|ndjson|jsonl)(\.gz)?$|\.gz$/i, '') || full;
  }
  return `${sources.length} sources`;
}

/** A filter as a tab shows it: its value, short (`StopLogging`, `alice`, `failed calls`). */
function filterTitle(filter: EventFilter): string {
  switch (filter.kind) {
    case 'caller':
      return [filter.label, ...(filter.more ?? []).map((m) => m.label)].slice(0, 3).join(', ') + ((filter.more?.length ?? 0) > 2 ? ' …' : '');
    case 'source':
    case 'accessKey':
    case 'eventName':
      return [filter.value, ...(filter.more ?? [])].slice(0, 3).join(', ') + ((filter.more?.length ?? 0) > 2 ? ' …' : '');
    case 'timeWindow':
      return `${(filter.from ?? '…').replace('T', ' ')} to ${(filter.to ?? '…').replace('T', ' ')}`;
    default:
      return describeFilter(filter);
  }
}

/**
 * A short title for the editor tab: the source, then the filters, `·` between them. It must be one
 * path segment that is also a file name on every system (Save As offers it): a colon becomes the
 * look-alike `꞉` (U+A789), so times still read as times; other characters no file name may hold
 * become `_`.
 */
export function documentTitle(state: EventDocumentState): string {
  const parts = [sourceLabel(state.sources), ...state.filters.map(filterTitle)];
  return parts
    .join(' · ')
    .replace(/:/g, '\uA789')
    .replace(/[\\/*?"<>|]/g, '_')
    .replace(/\p{Cc}/gu, '_')
    .slice(0, 120);
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
