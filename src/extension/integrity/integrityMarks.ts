import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Finding, Severity, Verdict } from '../../core/integrity';
import { messageBesideFile, VERDICT_PHRASE } from '../../core/integrity/verdictText';
import type { EventSourceRef } from '../documents/eventDocumentUri';
import type { ObjectRef } from '../documents/objectDocuments';

/** What the last checks found wrong with one file, for its tree row and the documents made from it. */
export interface IntegrityMark {
  verdict: Verdict;
  severity: Severity;
  /** `changed after delivery` */
  phrase: string;
  /** The verdict, then the finding's message. */
  message: string;
  /** The file, as the tree and documents name it. */
  name: string;
  report: vscode.Uri;
}

const RANK: Record<Severity, number> = { error: 2, warning: 1, info: 0 };

/** The key a file is marked under: its local path, or `s3://bucket/key`. */
function refKey(ref: ObjectRef | { kind: 's3'; bucket: string; key: string }): string {
  return ref.kind === 'file' ? path.resolve(ref.path) : `s3://${ref.bucket}/${ref.key}`;
}

/**
 * The files the integrity checks found wrong (changed, unreadable, a signature that fails, a log
 * no valid digest vouches for). Each check replaces its own marks; a file shows its worst.
 * "Not checked" is left to the report: it says what the run could not do, not what is wrong.
 */
export class IntegrityMarks implements vscode.Disposable {
  private readonly byCheck = new Map<string, Map<string, IntegrityMark>>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  set(checkId: string, findings: readonly Finding[], report: vscode.Uri): void {
    const marks = new Map<string, IntegrityMark>();
    for (const f of findings) {
      if (f.verdict === 'valid' || f.verdict === 'not-checked' || f.verdict === 'missing' || f.severity === 'info' || !f.object || f.object.key.includes('*')) continue;
      const o = f.object;
      const key = o.path ? path.resolve(o.path) : o.bucket ? `s3://${o.bucket}/${o.key}` : undefined;
      if (!key) continue;
      const before = marks.get(key);
      if (before && RANK[before.severity] >= RANK[f.severity]) continue;
      marks.set(key, { verdict: f.verdict, severity: f.severity, phrase: VERDICT_PHRASE[f.verdict], message: messageBesideFile(f), name: path.posix.basename(o.key), report });
    }
    if (marks.size === 0 && !this.byCheck.has(checkId)) return;
    this.byCheck.set(checkId, marks);
    this.changed.fire();
  }

  private worst(key: string): IntegrityMark | undefined {
    let worst: IntegrityMark | undefined;
    for (const marks of this.byCheck.values()) {
      const m = marks.get(key);
      if (m && (!worst || RANK[m.severity] > RANK[worst.severity])) worst = m;
    }
    return worst;
  }

  /** The mark of one log or digest file. */
  of(ref: ObjectRef): IntegrityMark | undefined {
    return this.worst(refKey(ref));
  }

  /** Every marked file among a document's sources (a folder source holds the files under it). */
  ofSources(sources: readonly EventSourceRef[]): IntegrityMark[] {
    const found = new Map<string, IntegrityMark>();
    for (const s of sources) {
      if (s.kind === 'memory') continue;
      const key = refKey(s);
      if (s.kind === 'file') {
        for (const marks of this.byCheck.values()) {
          for (const [k, m] of marks) if ((k === key || k.startsWith(key + path.sep)) && (!found.has(k) || RANK[m.severity] > RANK[found.get(k)!.severity])) found.set(k, m);
        }
      } else {
        const m = this.worst(key);
        if (m) found.set(key, m);
      }
    }
    return [...found.values()].sort((a, b) => RANK[b.severity] - RANK[a.severity]);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
