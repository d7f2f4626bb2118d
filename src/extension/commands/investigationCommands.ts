// New Investigation, Open in Investigation (from files, folders or an event document), Investigate
// Trail (an S3 trail for a time range, regions and an account) and Add to Investigation.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeAwsError } from '../../core/aws/awsErrors';
import type { EventFilter } from '../../core/events/filters';
import type { IngestInput } from '../../core/store/investigationStore';
import { selectionOfFilter, type Selection } from '../../core/store/selection';
import { downloadTrailLogs } from '../../core/store/s3Source';
import { escapeControl } from '../../core/text/safeText';
import { decodeEventDocumentUri, isEventDocument, type EventSourceRef } from '../documents/eventDocumentUri';
import type { MemoryEvents, S3StoreFactory } from '../documents/eventSources';
import { INVESTIGATION_VIEW_TYPE, type InvestigationDocument, type InvestigationEditorProvider } from '../investigation/investigationEditor';
import { log, showError } from '../log';
import { withCancellableProgress } from '../progress';
import { AwsTrailNode } from '../tree/awsTrailNodes';
import { chooseAwsScope, isRequest, pickTrail, trailByArn, type IntegrityCommandDeps, type ValidateRequest } from './integrityCommands';

export interface InvestigationCommandDeps {
  editors: InvestigationEditorProvider;
  memory: MemoryEvents;
  s3: S3StoreFactory;
  integrity: IntegrityCommandDeps;
}

/** Asks for the files and folders to read. */
export async function pickSources(title = 'Choose CloudTrail log files or folders'): Promise<IngestInput[] | undefined> {
  const picked = await vscode.window.showOpenDialog({ canSelectFiles: true, canSelectFolders: true, canSelectMany: true, openLabel: 'Read into Investigation', title });
  return picked?.filter((u) => u.scheme === 'file').map((u) => ({ path: u.fsPath }));
}

/** Where to keep a new investigation: asks, suggesting a name beside the first input. */
async function pickInvestigationFile(near?: string, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
  if (target) return target;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? (near ? path.dirname(near) : tmpdir());
  const stamp = new Date().toISOString().slice(0, 10);
  return vscode.window.showSaveDialog({
    title: 'Save the investigation as',
    saveLabel: 'Create Investigation',
    defaultUri: vscode.Uri.file(path.join(folder, `investigation-${stamp}.ctinv`)),
    filters: { 'CloudTrail Lens investigation': ['ctinv'] },
  });
}

/** Opens `file` in the Investigation view and returns its document (created if it did not exist). */
export async function openInvestigation(editors: InvestigationEditorProvider, file: vscode.Uri): Promise<InvestigationDocument | undefined> {
  await vscode.commands.executeCommand('vscode.openWith', file, INVESTIGATION_VIEW_TYPE);
  for (let i = 0; i < 100; i++) {
    const document = [...editors.views.values()].find((d) => d.uri.fsPath === file.fsPath);
    if (document) return document;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}

/** Reads inputs into a new (or the chosen existing) investigation and shows it. */
async function investigate(deps: InvestigationCommandDeps, inputs: IngestInput[], target?: vscode.Uri, cleanup?: () => Promise<void>, select?: Selection): Promise<InvestigationDocument | undefined> {
  try {
    const file = await pickInvestigationFile(inputs[0]?.path, target);
    if (!file) return undefined;
    if (file.scheme !== 'file') {
      void vscode.window.showErrorMessage('An investigation is a file on this machine; choose a local folder.');
      return undefined;
    }
    const document = await openInvestigation(deps.editors, file);
    if (!document) return undefined;
    if (!document.client) {
      void vscode.window.showErrorMessage(escapeControl(document.problem ?? 'The investigation could not be opened.'));
      return document;
    }
    // The view takes it at its first message, or at the latest when the ingest below reloads it.
    if (select) document.pendingSelection = select;
    await document.ingest(inputs);
    return document;
  } catch (error) {
    await showError(`Could not read the events into the investigation: ${(error as Error).message}`, error);
    return undefined;
  } finally {
    await cleanup?.();
  }
}

/** "New Investigation…" and "Open in Investigation" on files and folders in the explorer. */
export async function newInvestigation(deps: InvestigationCommandDeps, uri?: vscode.Uri, uris?: vscode.Uri[], target?: vscode.Uri): Promise<InvestigationDocument | undefined> {
  const chosen = Array.isArray(uris) && uris.length > 0 ? uris : uri instanceof vscode.Uri ? [uri] : [];
  if (chosen.length === 1 && isEventDocument(chosen[0])) return openDocumentInInvestigation(deps, chosen[0], target);
  const inputs = chosen.length > 0 ? chosen.filter((u) => u.scheme === 'file').map((u) => ({ path: u.fsPath })) : await pickSources();
  if (!inputs || inputs.length === 0) return undefined;
  return investigate(deps, inputs, target);
}

/** "Open in Investigation" from an event document: the same sources, without a limit on their size. */
export async function openDocumentInInvestigation(deps: InvestigationCommandDeps, uri?: vscode.Uri, target?: vscode.Uri): Promise<InvestigationDocument | undefined> {
  const source = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
  if (!source || !isEventDocument(source)) {
    return newInvestigation(deps, source?.scheme === 'file' ? source : undefined, undefined, target);
  }
  return investigateSources(deps, decodeEventDocumentUri(source).sources, target);
}

/**
 * A hover's "Investigate": every event of the document's sources in an investigation, its view
 * opening on the events the filter keeps (a caller, an address, a key, an action).
 */
export async function investigateFilter(deps: InvestigationCommandDeps, uri: vscode.Uri, filter: EventFilter, target?: vscode.Uri): Promise<InvestigationDocument | undefined> {
  const sources: EventSourceRef[] = isEventDocument(uri) ? decodeEventDocumentUri(uri).sources : [{ kind: 'file', path: uri.fsPath }];
  return investigateSources(deps, sources, target, selectionOfFilter(filter));
}

/** Files and folders as they are; S3 objects and in-memory events (LookupEvents results) written to a temp folder first. */
export async function investigateSources(deps: InvestigationCommandDeps, sources: readonly EventSourceRef[], target?: vscode.Uri, select?: Selection): Promise<InvestigationDocument | undefined> {
  const temp = await mkdtemp(path.join(tmpdir(), 'cloudtrail-lens-investigate-'));
  const cleanup = (): Promise<void> => rm(temp, { recursive: true, force: true });
  try {
    const inputs: IngestInput[] = [];
    let n = 0;
    for (const s of sources) {
      if (s.kind === 'file') inputs.push({ path: s.path });
      else if (s.kind === 'memory') {
        const events = deps.memory.get(s.id);
        if (!events) continue;
        const file = path.join(temp, `${n++}.json`);
        await writeFile(file, JSON.stringify({ Records: events.records }));
        inputs.push({ path: file, name: events.label });
      } else {
        const store = await deps.s3(s.bucket, s.region);
        const object = await store.get(s.key);
        const file = path.join(temp, `${n++}${s.key.endsWith('.gz') ? '.json.gz' : '.json'}`);
        await writeFile(file, object.body);
        inputs.push({ path: file, name: `s3://${s.bucket}/${s.key}` });
      }
    }
    if (inputs.length === 0) {
      await cleanup();
      void vscode.window.showInformationMessage('This document has no sources left to read (its in-memory events are gone); search or open them again.');
      return undefined;
    }
    return await investigate(deps, inputs, target, cleanup, select);
  } catch (error) {
    await cleanup();
    await showError(`Could not read the document's sources: ${(error as Error).message}`, error);
    return undefined;
  }
}

/** "Investigate Trail…": a trail's log files in S3 for a time range, regions and an account. */
export async function investigateTrail(deps: InvestigationCommandDeps, target?: unknown, file?: vscode.Uri, request?: ValidateRequest): Promise<InvestigationDocument | undefined> {
  const i = deps.integrity;
  let trail = target instanceof AwsTrailNode ? target.trail : undefined;
  request ??= isRequest(target) ? target : undefined;
  if (!trail && request?.trailArn) trail = await trailByArn(i, request.trailArn);
  if (!trail) {
    const picked = await pickTrail(i);
    trail = picked instanceof AwsTrailNode ? picked.trail : picked && 'arn' in picked ? picked : undefined;
  }
  if (!trail?.s3BucketName) return undefined;
  const scope = await chooseAwsScope(i, trail, request, 'Investigate');
  if (!scope) return undefined;
  const temp = await mkdtemp(path.join(tmpdir(), 'cloudtrail-lens-trail-'));
  const cleanup = (): Promise<void> => rm(temp, { recursive: true, force: true });
  try {
    const got = await withCancellableProgress(`Downloading the log files of ${trail.name}`, (signal, progress) =>
      downloadTrailLogs(scope.store, temp, {
        prefix: scope.prefix ?? '',
        start: scope.start.getTime(),
        end: scope.end.getTime(),
        regions: scope.regions,
        accounts: [scope.accountId],
        signal,
        onProgress: (done, total) => progress(done / Math.max(1, total), `${done} of ${total} files`),
      }),
    );
    if (!got) {
      await cleanup();
      return undefined;
    }
    for (const f of got.failed) log.warn(`not downloaded ${f.name}: ${f.reason}`);
    if (got.files.length === 0) {
      await cleanup();
      void vscode.window.showInformationMessage(`No log files of ${escapeControl(trail.name)} in that time range and those regions${got.failed.length > 0 ? ` (${got.failed.length} could not be downloaded; see the log)` : ''}.`);
      return undefined;
    }
    return await investigate(deps, got.files, file, cleanup);
  } catch (error) {
    await cleanup();
    await showError(`Could not download ${trail.name}: ${describeAwsError(error, 'GetObject', `s3://${scope.bucket}`, i.session.profile).message}`, error);
    return undefined;
  }
}

/** "Add to Investigation…": more files or folders into the investigation in front. */
export async function addToInvestigation(deps: InvestigationCommandDeps, inputs?: IngestInput[]): Promise<unknown> {
  const document = deps.editors.activeDocument;
  if (!document?.client) {
    void vscode.window.showInformationMessage('Open an investigation first (a .ctinv file, or New Investigation…).');
    return undefined;
  }
  const chosen = inputs ?? (await pickSources('Add CloudTrail log files or folders to the investigation'));
  if (!chosen || chosen.length === 0) return undefined;
  return document.ingest(chosen);
}
