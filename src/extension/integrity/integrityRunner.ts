import * as vscode from 'vscode';
import { describeAwsError } from '../../core/aws/awsErrors';
import { validateTrail, type ValidateTrailOptions, type ValidationResult } from '../../core/integrity';
import { renderReport } from '../../core/integrity/report';
import { escapeControl } from '../../core/text/safeText';
import type { Config } from '../config';
import { log, showError } from '../log';
import { describeProblems, type IntegrityDiagnostics, type ProblemCounts } from './integrityDiagnostics';
import type { ReportDocuments } from './reportDocuments';
import type { ValidationHistory } from './validationHistory';

export interface IntegrityDeps {
  history: ValidationHistory;
  diagnostics: IntegrityDiagnostics;
  reports: ReportDocuments;
  config: () => Config;
  version: string;
  profile: () => string | undefined;
}

function counts(result: ValidationResult): string {
  const s = result.summary;
  const digests = s.digests.valid + s.digests.invalid + s.digests.other;
  const logs = s.logs.valid + s.logs.invalid + s.logs.other;
  const backfill = s.backfillDigests.valid + s.backfillDigests.invalid + s.backfillDigests.other;
  return `${s.digests.valid}/${digests} digests valid${backfill > 0 ? ` · ${s.backfillDigests.valid}/${backfill} backfill` : ''} · ${s.logs.valid}/${logs} log files valid`;
}

const MB = 1024 * 1024;

/** Runs an integrity check under a cancellable progress notification and shows what it found. */
export class IntegrityRunner {
  /** The last result of each check, for tests and for re-opening reports. */
  readonly results = new Map<string, ValidationResult>();

  constructor(private readonly deps: IntegrityDeps) {}

  async validate(check: { id: string; label: string; historyId: string }, options: Omit<ValidateTrailOptions, 'signal' | 'onProgress' | 'concurrency'>): Promise<ValidationResult | undefined> {
    const started = Date.now();
    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Validating ${check.label}`, cancellable: true },
      async (progress, token): Promise<{ result: ValidationResult } | { error: unknown } | undefined> => {
        const controller = new AbortController();
        const cancel = token.onCancellationRequested(() => controller.abort());
        let shown = 0;
        try {
          const result = await validateTrail({
            ...options,
            concurrency: this.deps.config().validationConcurrency,
            signal: controller.signal,
            profile: this.deps.profile(),
            onProgress: (p) => {
              // Until every digest is read the total still grows: no "of N", no bar that would jump back.
              if (!p.totalKnown) {
                progress.report({ message: p.filesDone === 0 ? 'listing digests…' : `listing and reading digests… ${p.filesDone} files checked` });
                return;
              }
              const percent = p.filesTotal > 0 ? (100 * p.filesDone) / p.filesTotal : 0;
              progress.report({ message: `${p.filesDone} of ${p.filesTotal} files · ${(p.bytesPerSecond / MB).toFixed(1)} MB/s`, increment: Math.max(0, percent - shown) });
              shown = Math.max(shown, percent);
            },
          });
          return { result };
        } catch (error) {
          return controller.signal.aborted ? undefined : { error };
        } finally {
          cancel.dispose();
        }
      },
    );
    if (!outcome) {
      void vscode.window.showInformationMessage(`Validation of ${escapeControl(check.label)} cancelled; nothing was changed.`);
      return undefined;
    }
    if ('error' in outcome) {
      const message = describeAwsError(outcome.error, 'validation', check.label, this.deps.profile()).message;
      await showError(`Could not validate ${check.label}: ${message}`, outcome.error);
      return undefined;
    }
    const { result } = outcome;
    this.results.set(check.id, result);
    const report = this.deps.reports.put(`${check.label} integrity report`, renderReport(result, { toolVersion: `cloudtrail-lens ${this.deps.version}`, title: `CloudTrail integrity report: ${check.label}` }));
    const published = this.deps.diagnostics.publish(check.id, result.findings, report);
    await this.deps.history.set(check.historyId, {
      finishedAt: new Date().toISOString(),
      verdict: result.summary.outcome,
      counts: counts(result),
      problems: published.errors + published.warnings,
      errors: published.errors,
      warnings: published.warnings,
      report: report.toString(),
      range: { start: result.scope.start, end: result.scope.end },
      regions: result.scope.regions,
    });
    log.info(`Validated ${check.label} in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.summary.outcome}, ${counts(result)}, ${describeProblems(published)} in the Problems panel`);
    for (const l of result.limitations) log.warn(`${check.label}: ${l}`);
    void this.announce(check.label, result, report, published);
    return result;
  }

  private async announce(label: string, result: ValidationResult, report: vscode.Uri, published: ProblemCounts): Promise<void> {
    const s = result.summary;
    // The same counts as the tree's "Last check" and the Problems panel: errors and warnings published.
    const problems = describeProblems(published);
    const text =
      s.outcome === 'valid'
        ? `${label}: valid. ${counts(result)}.${published.errors + published.warnings > 0 ? ` ${problems} in the Problems panel.` : ''}`
        : s.outcome === 'invalid'
          ? `${label}: invalid, ${problems} in the Problems panel. ${counts(result)}.`
          : `${label}: incomplete, ${problems} in the Problems panel (what could not be vouched for). ${counts(result)}.`;
    const actions = published.errors + published.warnings > 0 ? ['Open Report', 'Show Problems', 'Save Report…'] : ['Open Report', 'Save Report…'];
    const shown = escapeControl(text);
    const choice = await (s.outcome === 'invalid' ? vscode.window.showErrorMessage(shown, ...actions) : s.outcome === 'incomplete' ? vscode.window.showWarningMessage(shown, ...actions) : vscode.window.showInformationMessage(shown, ...actions));
    if (choice === 'Open Report') await this.deps.reports.show(report);
    if (choice === 'Show Problems') await vscode.commands.executeCommand('workbench.actions.view.problems');
    if (choice === 'Save Report…') await this.deps.reports.saveAs(report);
  }
}

