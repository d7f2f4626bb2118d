import * as vscode from 'vscode';
import { describeAwsError } from '../../core/aws/awsErrors';
import { listTrails } from '../../core/aws/trailCatalog';
import type { TrailSummary } from '../../core/aws/trailApi';
import { summaryText, totalSummary, type ProtectionReport } from '../../core/protection';
import { escapeControl } from '../../core/text/safeText';
import type { AwsSession } from '../aws/awsSession';
import type { ReportDocuments } from '../integrity/reportDocuments';
import { showError } from '../log';
import type { ProtectionService } from '../protection/protectionService';
import { AwsTrailNode } from '../tree/awsTrailNodes';
import { ProtectionNode } from '../tree/protectionNode';
import type { TrailsTreeProvider } from '../tree/trailsTreeProvider';

/** "Check Trail Protection…": one trail (from the tree) or the trails picked, then a Markdown report. */
export async function checkProtection(deps: { session: AwsSession; protection: ProtectionService; reports: ReportDocuments; trails: TrailsTreeProvider }, target?: unknown): Promise<ProtectionReport[] | undefined> {
  if (!deps.session.enabled) {
    void vscode.window.showWarningMessage('CloudTrail Lens does not call AWS in an untrusted workspace. Trust the workspace to check trail protection.');
    return undefined;
  }
  let trails: TrailSummary[];
  const request = typeof target === 'object' && target !== null && 'trailArns' in target ? (target as { trailArns: string[] }).trailArns : undefined;
  if (target instanceof AwsTrailNode || target instanceof ProtectionNode) {
    trails = [target.trail];
  } else {
    let catalog;
    try {
      catalog = await listTrails((await deps.session.regions()).map((r) => deps.session.trailApi(r)));
    } catch (error) {
      await showError(describeAwsError(error, 'DescribeTrails', 'the selected regions', deps.session.profile).message, error);
      return undefined;
    }
    if (catalog.trails.length === 0) {
      void vscode.window.showWarningMessage(`No trails in ${escapeControl((await deps.session.regions()).join(', '))}: nothing records this account's activity there.`);
      return undefined;
    }
    if (request) {
      trails = catalog.trails.filter((t) => request.includes(t.arn));
    } else {
      const picked = await vscode.window.showQuickPick(
        catalog.trails.map((t) => ({ label: t.name, description: `${t.homeRegion}${t.isMultiRegion ? ' · multi-region' : ''}`, detail: t.arn, picked: true, trail: t })),
        { ignoreFocusOut: true, title: 'Check Trail Protection: which trails?', canPickMany: true },
      );
      if (!picked || picked.length === 0) return undefined;
      trails = picked.map((p) => p.trail);
    }
  }
  const reports = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Checking trail protection', cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    try {
      return await deps.protection.check(trails, controller.signal, (done) => progress.report({ message: `${done} of ${trails.length} trails`, increment: 100 / trails.length }));
    } catch (error) {
      if (!controller.signal.aborted) await showError(describeAwsError(error, 'protection checks', trails.map((t) => t.name).join(', '), deps.session.profile).message, error);
      return undefined;
    } finally {
      cancel.dispose();
    }
  });
  if (!reports) return undefined;
  const uri = deps.protection.publish(reports);
  deps.trails.refresh();
  await deps.reports.show(uri);
  const total = totalSummary(reports);
  const text = `Trail protection: ${summaryText(total)}.`;
  void (total.fail > 0 ? vscode.window.showErrorMessage(`${text} Failed checks are in the Problems panel.`) : vscode.window.showInformationMessage(text));
  return reports;
}
