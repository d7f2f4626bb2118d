import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeAwsError } from '../../core/aws/awsErrors';
import type { ObjectStore } from '../../core/aws/objectStore';
import { listTrailLogs, trailLogExtent } from '../../core/store/s3Source';
import { escapeControl } from '../../core/text/safeText';
import type { EventDocuments } from '../documents/eventDocuments';
import type { EventSourceRef } from '../documents/eventDocumentUri';
import { pickRange, pickRegions } from '../integrity/rangePicker';
import { showError } from '../log';
import { withCancellableProgress } from '../progress';
import { AwsTrailNode } from '../tree/awsTrailNodes';
import type { FolderNode } from '../tree/bucketNodes';
import { LocalTrailNode } from '../tree/localTrailNode';
import type { TrailSummary } from '../../core/aws/trailApi';
import { pickTrail, type IntegrityCommandDeps } from './integrityCommands';

/** More log files than this make a document too large for lenses anyway: an investigation is offered. */
export const MAX_DOCUMENT_FILES = 2000;

export interface OpenTrailEventsDeps {
  documents: EventDocuments;
  integrity: IntegrityCommandDeps;
  /** Opens the same range as an investigation (for a range with too many files): a local copy's files, or the trail's range. */
  investigate: (target: TrailSummary | LocalTrailNode, request: OpenEventsRequest, files?: string[]) => Promise<unknown>;
}

/** What a caller (a test, a keybinding) may pass instead of answering the quick inputs. */
export interface OpenEventsRequest {
  regions?: string[];
  start?: string;
  end?: string;
}

/** "Open as CloudTrail Events" on a region, year, month or day folder of the Trails view. */
export async function openLogFolder(documents: EventDocuments, node: FolderNode): Promise<vscode.TextEditor | undefined> {
  let sources: EventSourceRef[] | undefined;
  try {
    sources = await withCancellableProgress(`Listing ${node.prefix}`, (signal) => node.eventSources(signal));
  } catch (error) {
    await showError(`Could not list ${escapeControl(`${node.sourceLabel} · ${node.prefix}`)}: ${(error as Error).message}`, error);
    return undefined;
  }
  if (!sources) return undefined;
  if (sources.length === 0) {
    void vscode.window.showInformationMessage(`${escapeControl(node.prefix)} holds no CloudTrail log files.`);
    return undefined;
  }
  return documents.open({ sources, filters: [] });
}

/**
 * "Open Events…" on a trail: asks for regions and a time range (in an offline copy the presets count
 * back from its newest log), finds the log files of those day folders, and opens them as one event
 * document, without walking the folders in the tree.
 */
export async function openTrailEvents(deps: OpenTrailEventsDeps, subject: unknown, request?: OpenEventsRequest): Promise<vscode.TextEditor | undefined> {
  // From the tree: the trail's row; from the palette: a trail picked among the local copies and AWS's.
  const picked = subject instanceof AwsTrailNode || subject instanceof LocalTrailNode ? subject : await pickTrail(deps.integrity);
  if (!picked) return undefined;
  const target = picked instanceof AwsTrailNode ? picked.trail : picked;
  const local = target instanceof LocalTrailNode;
  const name = local ? path.basename(target.layout.root) : target.name;
  const bucket = local ? undefined : target.s3BucketName;
  if (!local && !bucket) {
    void vscode.window.showErrorMessage(`Trail ${escapeControl(name)} has no S3 bucket to read events from.`);
    return undefined;
  }
  const prefix = local ? '' : (target.s3KeyPrefix?.replace(/^\/+|\/+$/g, '') ?? '');
  const where = local ? target.layout.root : `s3://${bucket}${prefix ? `/${prefix}` : ''}`;
  let store: ObjectStore;
  let extent;
  try {
    store = local ? await target.openStore() : await deps.integrity.session.s3Store(bucket!);
    extent = await withCancellableProgress(`Looking for the log folders of ${name}`, (signal) => trailLogExtent(store, prefix, signal));
  } catch (error) {
    await showError(local ? `Could not read ${escapeControl(where)}: ${(error as Error).message}` : describeAwsError(error, 'ListObjectsV2', where, deps.integrity.session.profile).message, error);
    return undefined;
  }
  if (!extent) return undefined;
  if (extent.regions.length === 0) {
    void vscode.window.showInformationMessage(`${escapeControl(where)} holds no CloudTrail log folders (AWSLogs/…/CloudTrail/region/).`);
    return undefined;
  }
  const regions = request ? (request.regions ?? extent.regions) : await pickRegions(`Open events of ${name}: regions`, extent.regions);
  if (!regions) return undefined;
  const newest = local && extent.newestMs !== undefined ? new Date(extent.newestMs) : undefined;
  const range = request?.start && request.end ? { start: new Date(request.start), end: new Date(request.end) } : await pickRange(`Open events of ${name}: time range`, undefined, newest);
  if (!range) return undefined;
  let keys: string[] | undefined;
  try {
    keys = await withCancellableProgress(`Listing the log files of ${name}`, (signal) => listTrailLogs(store, { prefix, start: range.start.getTime(), end: range.end.getTime(), regions, signal }));
  } catch (error) {
    await showError(local ? `Could not read ${escapeControl(where)}: ${(error as Error).message}` : describeAwsError(error, 'ListObjectsV2', where, deps.integrity.session.profile).message, error);
    return undefined;
  }
  if (!keys) return undefined;
  const span = `${range.start.toISOString()} to ${range.end.toISOString()}`;
  if (keys.length === 0) {
    void vscode.window.showInformationMessage(`No log files of ${escapeControl(name)} from ${span} in ${regions.join(', ')}.`);
    return undefined;
  }
  const root = local ? target.layout.root : '';
  const files = local ? keys.map((key) => path.join(root, ...key.split('/'))) : undefined;
  if (keys.length > MAX_DOCUMENT_FILES) {
    const choice = await vscode.window.showWarningMessage(
      `${keys.length.toLocaleString('en-US')} log files of ${escapeControl(name)} from ${span}: too many for one event document (its lenses stop at about 6,500 events). An investigation reads any number.`,
      'Open as Investigation',
    );
    if (choice === 'Open as Investigation') await deps.investigate(target, { regions, start: range.start.toISOString(), end: range.end.toISOString() }, files);
    return undefined;
  }
  const sources: EventSourceRef[] = files ? files.map((f) => ({ kind: 'file', path: f })) : keys.map((key) => ({ kind: 's3', bucket: bucket!, key }));
  // Log files hold events of the minutes before their delivery, and are delivered late: the window keeps exactly the range.
  const iso = (d: Date): string => d.toISOString().replace('.000Z', 'Z');
  return deps.documents.open({ sources, filters: [{ kind: 'timeWindow', from: iso(range.start), to: iso(range.end) }] });
}
