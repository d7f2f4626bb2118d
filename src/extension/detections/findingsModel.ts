import * as vscode from 'vscode';
import type { Finding } from '../../core/detections/types';

/** Where findings come from: an open event document, an investigation, or a watched trail. */
export interface FindingSource {
  /** Unique per source: the document's or investigation's URI, or `watch:<trail ARN>`. */
  id: string;
  label: string;
  kind: 'document' | 'investigation' | 'watch';
}

export interface FindingRow {
  finding: Finding;
  source: FindingSource;
  /** Opens the finding's event (or the correlation's events). */
  open: () => Thenable<unknown>;
}

/** Every finding the Findings view lists, by source; each source replaces its own rows. */
export class FindingsModel implements vscode.Disposable {
  private readonly bySource = new Map<string, FindingRow[]>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  set(source: FindingSource, rows: FindingRow[]): void {
    if (rows.length === 0 && !this.bySource.has(source.id)) return;
    if (rows.length === 0) this.bySource.delete(source.id);
    else this.bySource.set(source.id, rows);
    this.changed.fire();
  }

  /** Adds rows to a source (a watch finds more as it polls). */
  append(source: FindingSource, rows: FindingRow[]): void {
    if (rows.length === 0) return;
    this.bySource.set(source.id, [...(this.bySource.get(source.id) ?? []), ...rows]);
    this.changed.fire();
  }

  delete(sourceId: string): void {
    if (this.bySource.delete(sourceId)) this.changed.fire();
  }

  rows(): FindingRow[] {
    return [...this.bySource.values()].flat();
  }

  get size(): number {
    let n = 0;
    for (const rows of this.bySource.values()) n += rows.length;
    return n;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
