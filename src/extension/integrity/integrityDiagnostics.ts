import * as vscode from 'vscode';
import type { Finding } from '../../core/integrity';
import { messageBesideFile, VERDICT_PHRASE } from '../../core/integrity/verdictText';
import { escapeControl, escapeMarkdownText } from '../../core/text/safeText';
import { eventDocumentUri } from '../documents/eventDocumentUri';
import { objectUri } from '../documents/objectDocuments';
import type { IntegrityMarks } from './integrityMarks';
import type { ReportDocuments } from './reportDocuments';

const SEVERITY: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** What a check put in the Problems panel, by severity: the notification and the tree say the same. */
export interface ProblemCounts {
  errors: number;
  warnings: number;
  infos: number;
}

/** `2 errors, 1 warning`, or `no problems`; infos are left out (they explain, they do not warn). */
export function describeProblems(c: Pick<ProblemCounts, 'errors' | 'warnings'>): string {
  const parts: string[] = [];
  if (c.errors > 0) parts.push(`${c.errors} error${c.errors === 1 ? '' : 's'}`);
  if (c.warnings > 0) parts.push(`${c.warnings} warning${c.warnings === 1 ? '' : 's'}`);
  return parts.length > 0 ? parts.join(', ') : 'no problems';
}

/**
 * Where a finding's Problems entry opens: a readable log file as an event document (a changed one
 * shows its banner there), a digest as its JSON, and anything that is not there or cannot be read
 * (a missing digest, a gap, a corrupt gzip) at its line of the report. A local check never points
 * at S3, so no click on a local trail looks up AWS credentials.
 */
export function findingUri(finding: Finding, report: vscode.Uri, local: boolean): vscode.Uri {
  const o = finding.object;
  if (!o || o.key.includes('*') || finding.verdict === 'missing' || finding.verdict === 'invalid-format' || finding.verdict === 'error') return report;
  const log = finding.subject === 'log';
  if (o.path) return log ? eventDocumentUri({ sources: [{ kind: 'file', path: o.path }], filters: [] }) : objectUri({ kind: 'file', path: o.path });
  if (o.bucket && !local) return log ? eventDocumentUri({ sources: [{ kind: 's3', bucket: o.bucket, key: o.key }], filters: [] }) : objectUri({ kind: 's3', bucket: o.bucket, key: o.key });
  return report;
}

/**
 * Integrity findings in the Problems panel, on the documents they are about. Each check (a trail, a
 * folder, a log file) replaces its own previous findings and leaves the others'. The same findings
 * mark the files in the tree and in event documents.
 */
export class IntegrityDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('cloudtrail-lens-integrity');
  /** Per check, per URI, that check's diagnostics; a URI shows the union over checks. */
  private readonly byCheck = new Map<string, Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>>();

  constructor(
    private readonly reports: ReportDocuments,
    private readonly marks?: IntegrityMarks,
  ) {}

  /** Publishes a check's findings; `local` for a check of files on disk. Returns what it published, by severity. */
  publish(checkId: string, findings: readonly Finding[], report: vscode.Uri, local = checkId.startsWith('local:')): ProblemCounts {
    const before = this.byCheck.get(checkId) ?? new Map();
    const now = new Map<string, { uri: vscode.Uri; diagnostics: vscode.Diagnostic[] }>();
    const counts: ProblemCounts = { errors: 0, warnings: 0, infos: 0 };
    for (const f of findings) {
      if (f.verdict === 'valid') continue;
      const uri = findingUri(f, report, local);
      const onReport = uri.toString() === report.toString();
      // The report holds the message escaped for Markdown; the Problems panel shows it with controls escaped.
      const line = onReport ? this.reports.lineOf(report, escapeMarkdownText(f.message).slice(0, 60)) : 0;
      // Beside its own document the message starts with the verdict and does not repeat the name the group shows.
      const text = onReport ? `${VERDICT_PHRASE[f.verdict]}: ${f.message}` : messageBesideFile(f);
      const diagnostic = new vscode.Diagnostic(new vscode.Range(line, 0, line, 0), escapeControl(text), SEVERITY[f.severity]);
      diagnostic.source = 'CloudTrail Lens';
      diagnostic.code = f.code;
      if (f.severity === 'error') counts.errors++;
      else if (f.severity === 'warning') counts.warnings++;
      else counts.infos++;
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
    this.marks?.set(checkId, findings, report);
    return counts;
  }

  /** Every diagnostic a check published, by URI (for tests and the summary). */
  of(checkId: string): [vscode.Uri, readonly vscode.Diagnostic[]][] {
    return [...(this.byCheck.get(checkId)?.values() ?? [])].map((e) => [e.uri, e.diagnostics]);
  }

  dispose(): void {
    this.collection.dispose();
  }
}
