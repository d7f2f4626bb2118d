import * as vscode from 'vscode';
import type { TrailSummary } from '../../core/aws/trailApi';
import { checkTrailProtection, renderProtectionReport, SdkProtectionReader, type ProtectionCheck, type ProtectionReport } from '../../core/protection';
import type { AwsSession } from '../aws/awsSession';
import type { Config } from '../config';
import type { ReportDocuments } from '../integrity/reportDocuments';

const SEVERITY: Partial<Record<ProtectionCheck['result'], vscode.DiagnosticSeverity>> = {
  fail: vscode.DiagnosticSeverity.Error,
  unknown: vscode.DiagnosticSeverity.Warning,
};

/**
 * Runs the protection checks of trails (read-only calls) and keeps each trail's last report, so the
 * tree's Protection node and the "Check Trail Protection…" command show the same results. Failed
 * checks (and checks that could not be read) go to the Problems panel, on the report's lines.
 */
export class ProtectionService implements vscode.Disposable {
  private readonly reportsByArn = new Map<string, ProtectionReport>();
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('cloudtrail-lens-protection');

  constructor(
    private readonly session: AwsSession,
    private readonly reports: ReportDocuments,
    private readonly config: () => Config,
  ) {}

  last(arn: string): ProtectionReport | undefined {
    return this.reportsByArn.get(arn);
  }

  /** Checks the trails (one reader, so a shared bucket or the account's IAM is read once). */
  async check(trails: readonly TrailSummary[], signal?: AbortSignal, onTrail?: (done: number) => void): Promise<ProtectionReport[]> {
    const reader = new SdkProtectionReader(this.session.context());
    const out: ProtectionReport[] = [];
    try {
      for (const trail of trails) {
        const report = await checkTrailProtection({ trail, reader, retentionDays: this.config().protectionRetentionDays, signal });
        this.reportsByArn.set(trail.arn, report);
        out.push(report);
        onTrail?.(out.length);
      }
    } finally {
      reader.destroy();
    }
    return out;
  }

  /** Writes the Markdown report and puts failed and unreadable checks in the Problems panel. */
  publish(reports: readonly ProtectionReport[]): vscode.Uri {
    const name = reports.length === 1 ? `${reports[0].trail.name} protection report` : 'Trail protection report';
    const uri = this.reports.put(name, renderProtectionReport(reports));
    const diagnostics: vscode.Diagnostic[] = [];
    for (const report of reports) {
      for (const check of report.checks) {
        const severity = SEVERITY[check.result];
        if (severity === undefined) continue;
        const line = this.reports.lineOf(uri, check.title);
        const text = check.result === 'unknown' ? `${report.trail.name}: ${check.title}: could not check (needs ${check.permission ?? 'a permission'}). ${check.message ?? ''}` : `${report.trail.name}: ${check.title}: ${check.evidence}. ${check.remedy ?? ''}`;
        const d = new vscode.Diagnostic(new vscode.Range(line, 0, line, 0), text.trim(), severity);
        d.source = 'CloudTrail Lens';
        d.code = check.id;
        diagnostics.push(d);
      }
    }
    this.diagnostics.set(uri, diagnostics);
    return uri;
  }

  dispose(): void {
    this.diagnostics.dispose();
  }
}
