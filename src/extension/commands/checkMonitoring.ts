import * as vscode from 'vscode';
import { describeAwsError } from '../../core/aws/awsErrors';
import type { TrailSummary } from '../../core/aws/trailApi';
import type { MonitoringReport } from '../../core/monitoring/checkMonitoring';
import { monitoringSummaryText } from '../../core/monitoring/report';
import { escapeControl } from '../../core/text/safeText';
import type { ReportDocuments } from '../integrity/reportDocuments';
import { showError } from '../log';
import type { MonitoringService } from '../monitoring/monitoringService';
import { withCancellableProgress } from '../progress';
import { AwsTrailNode } from '../tree/awsTrailNodes';
import { MonitoringNode } from '../tree/monitoringNode';
import type { TrailsTreeProvider } from '../tree/trailsTreeProvider';
import { pickTrail, trailByArn, type IntegrityCommandDeps } from './integrityCommands';

/**
 * "Check Trail Monitoring…": runs the monitoring checks again (tree node, trail, `{ trailArn }` or a
 * trail picked) and opens the report, whose missing alerts come with the commands and CloudFormation
 * to create them.
 */
export async function checkMonitoringCommand(
  deps: { monitoring: MonitoringService; reports: ReportDocuments; trails: TrailsTreeProvider; integrity: IntegrityCommandDeps },
  target?: unknown,
): Promise<MonitoringReport | undefined> {
  if (!deps.integrity.session.enabled) {
    void vscode.window.showWarningMessage('CloudTrail Lens does not call AWS in an untrusted workspace.');
    return undefined;
  }
  let trail: TrailSummary | undefined = target instanceof MonitoringNode ? target.trail : target instanceof AwsTrailNode ? target.trail : undefined;
  const arn = typeof target === 'object' && target !== null && 'trailArn' in target ? String((target as { trailArn: unknown }).trailArn) : undefined;
  if (!trail && arn) trail = await trailByArn(deps.integrity, arn);
  if (!trail) {
    const picked = await pickTrail(deps.integrity);
    trail = picked instanceof AwsTrailNode ? picked.trail : picked && 'arn' in picked ? picked : undefined;
    if (picked && !trail) {
      void vscode.window.showInformationMessage('Monitoring is checked on trails in AWS: a local copy has no alarms or rules.');
      return undefined;
    }
  }
  if (!trail) return undefined;
  const subject = trail;
  let report: MonitoringReport | undefined;
  try {
    report = await withCancellableProgress(`Checking the monitoring of ${subject.name}`, (signal) => deps.monitoring.check(subject, signal));
  } catch (error) {
    await showError(describeAwsError(error, 'monitoring checks', subject.name, deps.integrity.session.profile).message, error);
    return undefined;
  }
  if (!report) return undefined;
  if (target instanceof MonitoringNode) deps.trails.refresh(target);
  const uri = await deps.monitoring.report(subject);
  await deps.reports.show(uri);
  const alerting = report.controls.filter((c) => c.result === 'pass').length;
  void vscode.window.showInformationMessage(escapeControl(`${subject.name}: ${alerting} of ${report.controls.length} CIS monitoring controls alert someone (${monitoringSummaryText(report)}).`));
  return report;
}
