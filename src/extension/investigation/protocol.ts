// The one message protocol between the Investigation view's webview and the extension host. Both
// sides import this file (the webview bundle only its types); nothing untyped crosses. Requests
// carry an `id` that their reply repeats; a newer request of the same kind supersedes an older one
// (the host cancels the older query and the webview ignores its late reply).
import type { FacetKey, InvestigationInfo, InvestigationSummary, Overview, Selection, TableRow, TableSort } from '../../core/store/selection';

export type { InvestigationInfo };

/** What the webview keeps with `vscode.setState` so a reload comes back to the same place. */
export interface ViewState {
  selection: Selection;
  stackBy?: FacetKey;
  sort: TableSort;
  /** First visible table row. */
  scrollRow: number;
}

export type WebviewMessage =
  | { type: 'ready' }
  | { type: 'overview'; id: number; selection: Selection; stackBy?: FacetKey }
  | { type: 'rows'; id: number; selection: Selection; sort: TableSort; offset: number; limit: number }
  | { type: 'summary'; id: number; selection: Selection }
  /** Opens the selection (or the given rows) as an event document. */
  | { type: 'openSlice'; selection: Selection; sort: TableSort; rowIds?: number[] }
  | { type: 'addSources' };

export type HostMessage =
  /** `select` replaces the view's selection (an investigation opened on a caller, an address…). */
  | { type: 'init'; info: InvestigationInfo; select?: Selection }
  /** The store could not be opened here (no DuckDB build for this platform, a damaged file…); says what to do. */
  | { type: 'unavailable'; message: string }
  | { type: 'overview'; id: number; overview: Overview; ms: number }
  | { type: 'rows'; id: number; offset: number; total: number; rows: TableRow[]; ms: number }
  | { type: 'summary'; id: number; summary: InvestigationSummary; ms: number }
  | { type: 'error'; id?: number; message: string }
  /** Work the host is doing for the view (ingest of added sources): a line for a status bar. */
  | { type: 'busy'; message?: string };
