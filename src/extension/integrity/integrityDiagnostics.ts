import * as vscode from 'vscode';
import type { Finding } from '../../core/integrity';
import { escapeControl, escapeMarkdownText } from '../../core/text/safeText';
import { objectUri } from '../documents/objectDocuments';
import type { ReportDocuments } from './reportDocuments';

const SEVERITY: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** The file a finding is about: the local file, the S3 object as a read-only document, or the report. */
export function findingUri(finding: Finding, report: vscode.Uri): vscode.Uri {
  const o = finding.object;
  if (o?.path) return vscode.Uri.file(o.path);
  if (o?.bucket && !o.key.includes('*')) return objectUri({ kind: 's3', bucket: o.bucket, key: o.key });
  return report;
}

/**
 * Integrity findings in the Problems panel, on the files they are about. Each check (a trail, a
 * folder, a log file) replaces its own previous findings and leaves the others'.
 */
export class IntegrityDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('cloudtrail-lens-integrity');
  /** Per check, per URI, that check's diagnostics; a URI shows the union over checks. */
  private readonly byCheck = new Map<string, Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>>();

  constructor(private readonly reports: ReportDocuments) {}

  publish(checkId: string, findings: readonly Finding[], report: vscode.Uri): number {
    const before = this.byCheck.get(checkId) ?? new Map();
    const now = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();
    for (const f of findings) {
      if (f.verdict === 'valid') continue;
      const uri = findingUri(f, report);
      // The report holds the message escaped for Markdown; the Problems panel shows it with controls escaped.
      const line = uri.toString() === report.toString() ? this.reports.lineOf(report, escapeMarkdownText(f.message).slice(0, 60)) : 0;
      const diagnostic = new vscode.Diagnostic(new vscode.Range(line, 0, line, 0), escapeControl(f.message), SEVERITY[f.severity]);
      diagnostic.source = 'CloudTrail Lens';
      diagnostic.code = f.code;
      const entry = now.get(uri.toString()) ?? { uri, diagnostics: [] };
      entry.diagnostics.push(diagnostic);
      now.set(uri.toString(), entry);
    }
    this.byCheck.set(checkId, now);
    for (const key of new Set([...before.keys(), ...now.keys()])) {
      const uri = (now.get(key) ?? before.get(key))!.uri;
      const all = [...this.byCheck.values()].flatMap((m) => m.get(key)?.diagnostics ?? []);
      this.collection.set(uri, all.length > 0 ? all : undefined);
    }
    return [...now.values()].reduce((n, e) => n + e.diagnostics.length, 0);
  }

  /** Every diagnostic a check published, by URI (for tests and the summary). */
  of(checkId: string): [vscode.Uri, readonly vscode.Diagnostic[]][] {
    return [...(this.byCheck.get(checkId)?.values() ?? [])].map((e) => [e.uri, e.diagnostics]);
  }

  dispose(): void {
    this.collection.dispose();
  }
}
