import * as vscode from 'vscode';
import { describeAwsError } from '../../core/aws/awsErrors';
import { KNOWN_REGIONS, isRegionName, listProfiles } from '../../core/aws/profiles';
import { escapeControl } from '../../core/text/safeText';
import type { AwsSession } from '../aws/awsSession';
import type { EventDocuments } from '../documents/eventDocuments';
import { isLogKey, objectUri } from '../documents/objectDocuments';
import type { MemoryEvents } from '../documents/eventSources';
import type { RecentEventsNode } from '../tree/awsTrailNodes';

/** "Select Profile": every profile of the shared config and credentials files, with its kind. */
export async function selectProfile(session: AwsSession): Promise<void> {
  let profiles;
  try {
    profiles = await listProfiles();
  } catch (error) {
    void vscode.window.showErrorMessage(escapeControl(`Could not read the AWS config files: ${error instanceof Error ? error.message : String(error)}`));
    return;
  }
  if (profiles.length === 0) {
    // Nothing to pick but the default chain: say so, and how to add a profile.
    const choice = await vscode.window.showInformationMessage(
      'No AWS profile is configured (~/.aws/config and ~/.aws/credentials have none). Add one in a terminal with "aws configure" (access keys) or "aws configure sso" (IAM Identity Center), then Select Profile again. Environment variables and instance roles work without a profile, through the default credential chain.',
      'Use Default Credential Chain',
    );
    if (choice === 'Use Default Credential Chain') await session.setProfile(undefined);
    return;
  }
  const items: (vscode.QuickPickItem & { profile: string | undefined })[] = [
    { label: '$(key) Default credential chain', description: 'AWS_PROFILE, environment variables, the default profile, instance roles', profile: undefined },
    ...profiles.map((p) => ({ label: p.name, description: `${p.kind}${p.region ? ` · ${p.region}` : ''}`, detail: p.sourceProfile ? `source profile ${p.sourceProfile}` : undefined, profile: p.name, picked: p.name === session.profile })),
  ];
  const picked = await vscode.window.showQuickPick(items, { ignoreFocusOut: true, title: 'Select AWS Profile', placeHolder: `Current: ${session.profile ?? 'default credential chain'}`, matchOnDescription: true });
  if (!picked) return;
  await session.setProfile(picked.profile);
}

/** "Select Regions": the regions whose trails the tree lists. */
export async function selectRegions(session: AwsSession): Promise<void> {
  const current = new Set(await session.regions());
  const all = [...new Set([...current, ...KNOWN_REGIONS])];
  const items = all.map((r) => ({ label: r, picked: current.has(r) }));
  const picked = await vscode.window.showQuickPick(items, { ignoreFocusOut: true, title: 'Select Regions', canPickMany: true, placeHolder: 'Trails of these regions are listed (multi-region trails appear once, with their home region)' });
  if (!picked) return;
  if (picked.length === 0) {
    void vscode.window.showWarningMessage('Select at least one region.');
    return;
  }
  await session.setRegions(picked.map((p) => p.label).filter(isRegionName));
}

/** Opens an S3 object from the tree: log files as event documents, digests as read-only JSON. */
export async function openS3Object(documents: EventDocuments, bucket: string, key: string): Promise<void> {
  if (isLogKey(key)) {
    await documents.open({ sources: [{ kind: 's3', bucket, key }], filters: [] }, { preview: true });
    return;
  }
  try {
    const document = await vscode.workspace.openTextDocument(objectUri({ kind: 's3', bucket, key }));
    await vscode.languages.setTextDocumentLanguage(document, 'json');
    await vscode.window.showTextDocument(document, { preview: true });
  } catch (error) {
    void vscode.window.showErrorMessage(escapeControl(describeAwsError(error, 'GetObject', `s3://${bucket}/${key}`, undefined).message));
  }
}

/** Opens a local file from a local trail: logs as event documents, digests inflated. */
export async function openLocalObject(documents: EventDocuments, uri: vscode.Uri): Promise<void> {
  if (isLogKey(uri.path)) {
    await documents.open({ sources: [{ kind: 'file', path: uri.fsPath }], filters: [] }, { preview: true });
    return;
  }
  const document = await vscode.workspace.openTextDocument(uri.path.endsWith('.gz') ? objectUri({ kind: 'file', path: uri.fsPath }) : uri);
  if (document.uri.scheme !== 'file') await vscode.languages.setTextDocumentLanguage(document, 'json');
  await vscode.window.showTextDocument(document, { preview: true });
}

/** Opens the events a "Recent events" node listed. */
/** "Recent events" (the node's page), or a list of events a tree row holds (a tampering event). */
export async function openRecentEvents(documents: EventDocuments, memory: MemoryEvents, node: Pick<RecentEventsNode, 'loadedRecords'> & { trail: { homeRegion: string }; label?: string }): Promise<void> {
  const records = node.loadedRecords;
  if (records.length === 0) {
    void vscode.window.showInformationMessage('Expand "Recent events" first to fetch them.');
    return;
  }
  const label = node.label ?? `Recent events ${node.trail.homeRegion}`;
  const id = memory.add(label, records);
  await documents.open({ sources: [{ kind: 'memory', id, label }], filters: [] });
}
