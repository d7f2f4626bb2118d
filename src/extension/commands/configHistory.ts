import * as vscode from 'vscode';
import { describeAwsError } from '../../core/aws/awsErrors';
import { ConfigHistoryError, configAround, configItemText, configTargetOf, type ConfigAround } from '../../core/aws/configHistory';
import { looksLikeArn, parseArn } from '../../core/events/arn';
import { parseUserTime } from '../../core/events/filters';
import { escapeControl } from '../../core/text/safeText';
import type { AwsSession } from '../aws/awsSession';
import { showError } from '../log';
import { withCancellableProgress } from '../progress';

export const CONFIG_SCHEME = 'cloudtrail-lens-config';

/** The two sides of a configuration diff: read-only JSON documents held while VS Code runs. */
export class ConfigDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();

  put(name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: CONFIG_SCHEME, path: `/${escapeControl(name).replace(/[\\/:*?"<>|]/g, '_')}.json` });
    this.texts.set(uri.toString(), text);
    return uri;
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '{ "note": "This configuration is no longer held: open the history again from the event." }\n';
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/**
 * "Show Configuration History": AWS Config's configuration of the resource just before the event
 * and just after it, side by side in a diff editor. From a hover the ARN, the event's time and region
 * come with the link; from the palette they are asked (the selection is offered as the ARN).
 */
export async function showConfigHistory(deps: { session: AwsSession; documents: ConfigDocuments }, arnArg?: unknown, timeArg?: unknown, regionArg?: unknown): Promise<ConfigAround | undefined> {
  let arn = typeof arnArg === 'string' ? arnArg : undefined;
  if (!arn) {
    const editor = vscode.window.activeTextEditor;
    const selected = editor?.document.getText(editor.selection).trim().replace(/^"|"$/g, '');
    arn = await vscode.window.showInputBox({
      ignoreFocusOut: true,
      title: 'Show Configuration History: the resource ARN',
      value: selected && looksLikeArn(selected) ? selected : '',
      validateInput: (v) => (configTargetOf(v.trim()) ? undefined : 'An ARN of a resource AWS Config records: an S3 bucket, IAM user, role, group or policy, EC2 instance, security group, VPC…, CloudTrail trail, KMS key, Lambda function, RDS instance'),
    });
    if (!arn) return undefined;
    arn = arn.trim();
  }
  const target = configTargetOf(arn);
  if (!target) {
    void vscode.window.showInformationMessage(escapeControl(`AWS Config history is not shown for ${arn}: its resource type is not one CloudTrail Lens maps to a Config resource type.`));
    return undefined;
  }
  let eventMs = typeof timeArg === 'string' ? parseUserTime(timeArg) : NaN;
  if (Number.isNaN(eventMs)) {
    const typed = await vscode.window.showInputBox({
      ignoreFocusOut: true,
      title: 'Show Configuration History: around which time',
      value: iso(Date.now()),
      validateInput: (v) => (Number.isNaN(parseUserTime(v)) ? 'Type a time such as 2026-11-01T10:00Z (UTC unless a zone is given)' : undefined),
    });
    if (!typed) return undefined;
    eventMs = parseUserTime(typed);
  }
  let region = typeof regionArg === 'string' && regionArg ? regionArg : parseArn(arn)?.region;
  if (!region) {
    region = await vscode.window.showInputBox({ ignoreFocusOut: true, title: 'Show Configuration History: the region whose AWS Config recorded it', value: (await deps.session.regions())[0] });
    if (!region) return undefined;
  }
  if (!deps.session.enabled) {
    void vscode.window.showWarningMessage('CloudTrail Lens does not call AWS in an untrusted workspace; trust the workspace to read AWS Config history.');
    return undefined;
  }
  let around: ConfigAround | undefined;
  try {
    around = await withCancellableProgress(`Reading the AWS Config history of ${target.name}`, (signal) => configAround(deps.session.configService(region), arn, eventMs, region, signal));
  } catch (error) {
    if (error instanceof ConfigHistoryError) {
      void vscode.window.showInformationMessage(escapeControl(error.message));
      return undefined;
    }
    await showError(describeAwsError(error, 'GetResourceConfigHistory', arn, deps.session.profile).message, error);
    return undefined;
  }
  if (!around) return undefined;
  const at = iso(eventMs);
  const left = deps.documents.put(`${target.name} before ${at}`, configItemText(around.before, 'before', at));
  const right = deps.documents.put(`${target.name} after ${at}`, configItemText(around.after, 'after', at));
  await vscode.commands.executeCommand('vscode.diff', left, right, escapeControl(`${target.name} (${target.resourceType}): before ↔ after ${at}`), { preview: false });
  return around;
}
