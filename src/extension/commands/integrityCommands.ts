import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeAwsError } from '../../core/aws/awsErrors';
import { LocalObjectStore, PUBLIC_KEYS_FILE } from '../../core/aws/localObjectStore';
import { listTrails } from '../../core/aws/trailCatalog';
import { readRegularTextFile } from '../../core/files/regularFile';
import { publicKeysFromJson, type TrailSummary } from '../../core/aws/trailApi';
import { fixedKeySource, trailApiKeySource, type Finding, type PublicKeySource, type TrailLocation } from '../../core/integrity';
import type { ObjectStore } from '../../core/aws/objectStore';
import { DownloadConflictError, downloadForOfflineValidation } from '../../core/integrity/download';
import { discoverTrails, locateLocalLogFile, openLocalTrail, type LocalTrail } from '../../core/integrity/localTrail';
import { validateLogFile } from '../../core/integrity/validateLogFile';
import { escapeControl, escapeMarkdownText, markdownCode } from '../../core/text/safeText';
import type { AwsSession } from '../aws/awsSession';
import { decodeEventDocumentUri, isEventDocument } from '../documents/eventDocumentUri';
import type { IntegrityDiagnostics } from '../integrity/integrityDiagnostics';
import type { IntegrityRunner } from '../integrity/integrityRunner';
import { pickRange, pickRegions } from '../integrity/rangePicker';
import type { ReportDocuments } from '../integrity/reportDocuments';
import { digestAccounts, digestSpan, folderLabel, pickAccount } from '../integrity/trailTargets';
import { log, showError } from '../log';
import { AwsTrailNode } from '../tree/awsTrailNodes';
import { digestValidateRequest, FolderNode, ObjectNode } from '../tree/bucketNodes';
import { DigestStatusNode } from '../tree/digestStatusNode';
import { LocalTrailNode } from '../tree/localTrailNode';

export interface IntegrityCommandDeps {
  session: AwsSession;
  runner: IntegrityRunner;
  diagnostics: IntegrityDiagnostics;
  reports: ReportDocuments;
  localTrails: () => Promise<LocalTrailNode[]>;
}

/** What a caller (a test, a keybinding) may pass instead of answering the quick inputs. */
export interface ValidateRequest {
  trailArn?: string;
  folder?: string;
  accountId?: string;
  regions?: string[];
  start?: string;
  end?: string;
  /** Every digest a local folder holds. */
  all?: boolean;
}

export function isRequest(value: unknown): value is ValidateRequest {
  return typeof value === 'object' && value !== null && !(value instanceof vscode.Uri) && ('trailArn' in value || 'folder' in value);
}

export async function pickTrail(deps: IntegrityCommandDeps): Promise<AwsTrailNode | LocalTrailNode | TrailSummary | undefined> {
  const items: (vscode.QuickPickItem & { target: LocalTrailNode | TrailSummary })[] = [];
  for (const local of await deps.localTrails()) {
    items.push({ label: `$(folder-library) ${escapeControl(folderLabel(local.layout.root))}`, description: 'local folder', detail: escapeControl(local.layout.root), target: local });
  }
  if (deps.session.enabled && (await deps.session.hasCredentialsSource())) {
    const regions = await deps.session.regions();
    const catalog = await listTrails(regions.map((r) => deps.session.trailApi(r))).catch(() => undefined);
    for (const t of catalog?.trails ?? []) {
      items.push({ label: `$(eye) ${escapeControl(t.name)}`, description: escapeControl(`${t.homeRegion}${t.isMultiRegion ? ' · multi-region' : ''}${t.logFileValidationEnabled ? '' : ' · validation OFF'}`), detail: escapeControl(`s3://${t.s3BucketName ?? '?'}${t.s3KeyPrefix ? `/${t.s3KeyPrefix}` : ''}`), target: t });
    }
  }
  if (items.length === 0) {
    void vscode.window.showInformationMessage('No trail to validate: select an AWS profile, or open a folder that holds an AWSLogs/ layout.');
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { ignoreFocusOut: true, title: 'Validate Trail Integrity: which trail?', matchOnDetail: true }))?.target;
}

export async function trailByArn(deps: IntegrityCommandDeps, arn: string): Promise<TrailSummary | undefined> {
  const home = /^arn:[^:]+:cloudtrail:([^:]+):/.exec(arn)?.[1];
  const regions = [...new Set([...(home ? [home] : []), ...(await deps.session.regions())])];
  const catalog = await listTrails(regions.map((r) => deps.session.trailApi(r)));
  return catalog.trails.find((t) => t.arn === arn);
}

/** "Validate Trail Integrity…": an AWS trail (from the tree, or picked), or a local trail folder. */
export async function validateTrailIntegrity(deps: IntegrityCommandDeps, target?: unknown): Promise<unknown> {
  // A log folder of the tree: its account, region and span, of its trail or local copy.
  let subject: unknown = target instanceof DigestStatusNode ? target.target : target instanceof FolderNode ? target.validateRequest() : target;
  const request = isRequest(subject) ? subject : undefined;
  if (request?.folder) return validateLocalFolder(deps, vscode.Uri.file(request.folder), request);
  if (request?.trailArn) {
    if (!deps.session.enabled) return void vscode.window.showWarningMessage('CloudTrail Lens does not call AWS in an untrusted workspace.');
    subject = await trailByArn(deps, request.trailArn);
    if (!subject) return void vscode.window.showErrorMessage(`No trail ${escapeControl(request.trailArn)} in the selected regions.`);
  }
  subject ??= await pickTrail(deps);
  if (!subject) return undefined;
  if (subject instanceof LocalTrailNode) return validateLocalFolder(deps, vscode.Uri.file(subject.layout.root), request);
  const trail = subject instanceof AwsTrailNode ? subject.trail : (subject as TrailSummary);
  return validateAwsTrail(deps, trail, request);
}

async function validateAwsTrail(deps: IntegrityCommandDeps, trail: TrailSummary, request?: ValidateRequest): Promise<unknown> {
  if (!trail.s3BucketName) return void vscode.window.showErrorMessage(`Trail ${escapeControl(trail.name)} has no S3 bucket to validate.`);
  if (!trail.logFileValidationEnabled) {
    const go = await vscode.window.showWarningMessage(`Log file validation is off for ${escapeControl(trail.name)}: CloudTrail writes no digests, so nothing can prove the logs are untouched. Validate the digests that exist anyway?`, 'Validate Anyway');
    if (go !== 'Validate Anyway') return undefined;
  }
  const scope = await chooseAwsScope(deps, trail, request, 'Validate');
  if (!scope) return undefined;
  // GetTrailStatus in each region tells when its newest digest was delivered, so deleted newest digests show.
  const trailStatus = Object.fromEntries(
    await Promise.all(
      scope.regions.map(async (r) => {
        const status = await deps.session
          .trailApi(r)
          .getTrailStatus(trail.arn)
          .then(
            (s) => ({ latestDigestDeliveryTime: s.latestDigestDeliveryTime }),
            (error: unknown) => ({ unknownBecause: `GetTrailStatus failed (${describeAwsError(error, 'GetTrailStatus', `${trail.arn} in ${r}`, deps.session.profile).message.split('\n')[0]})` }),
          );
        return [r, status] as const;
      }),
    ),
  );
  return deps.runner.validate({ id: `trail:${trail.arn}:${scope.accountId}`, label: trail.name, historyId: trail.arn }, { ...scope, trailStatus });
}

/** What validating or downloading an S3 trail covers: its bucket, the account, regions and time range. */
interface AwsScope extends TrailLocation {
  store: ObjectStore;
  bucket: string;
  trailArn: string;
  regions: string[];
  start: Date;
  end: Date;
  publicKeys: PublicKeySource;
}

/**
 * Opens the trail's bucket and asks (unless the request says) which account's digests, which regions
 * (every region with digests, preselected) and which time range. Undefined when cancelled or empty.
 */
export async function chooseAwsScope(deps: IntegrityCommandDeps, trail: TrailSummary, request: ValidateRequest | undefined, verb: 'Validate' | 'Download' | 'Investigate'): Promise<AwsScope | undefined> {
  const bucket = trail.s3BucketName;
  if (!bucket) return undefined;
  const prefix = trail.s3KeyPrefix?.replace(/^\/+|\/+$/g, '') || undefined;
  let store: ObjectStore;
  let accounts;
  try {
    store = await deps.session.s3Store(bucket);
    accounts = await digestAccounts(store, prefix);
  } catch (error) {
    await showError(describeAwsError(error, 'ListObjectsV2', `s3://${bucket}`, deps.session.profile).message, error);
    return undefined;
  }
  const account = await pickAccount(accounts, trail, request?.accountId);
  if (!account) {
    void vscode.window.showWarningMessage(`No digest files in ${escapeControl(`s3://${bucket}/${prefix ? `${prefix}/` : ''}AWSLogs/${request?.accountId ? `…/${request.accountId}` : ''}`)}: log file validation may never have been on.`);
    return undefined;
  }
  // A request (from a test, a keybinding, "Validate Now") that names no regions means all of them.
  const regions = request ? (request.regions ?? account.regions) : await pickRegions(`${verb} ${trail.name}: regions`, account.regions);
  if (!regions) return undefined;
  const range = request?.start && request.end ? { start: new Date(request.start), end: new Date(request.end) } : await pickRange(`${verb} ${trail.name}: time range`);
  if (!range) return undefined;
  return {
    store,
    bucket,
    prefix,
    accountId: account.accountId,
    organizationId: account.organizationId,
    trailName: trail.name,
    homeRegion: trail.homeRegion,
    trailArn: trail.arn,
    regions,
    start: range.start,
    end: range.end,
    publicKeys: trailApiKeySource((r) => deps.session.trailApi(r)),
  };
}

async function openFolderTrail(dir: string, request?: ValidateRequest): Promise<LocalTrail | undefined> {
  try {
    return await openLocalTrail(dir, { accountId: request?.accountId });
  } catch (error) {
    const candidates = await discoverTrails(await LocalObjectStore.open(dir)).catch(() => []);
    if (candidates.length <= 1) {
      void vscode.window.showErrorMessage(escapeControl(error instanceof Error ? error.message : String(error)));
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      candidates.map((c) => ({ label: escapeControl(c.trailName), description: escapeControl(`${c.organizationId ? `${c.organizationId}/` : ''}${c.accountId} · home ${c.homeRegion}${c.prefix ? ` · prefix ${c.prefix}` : ''}`), candidate: c })),
      { ignoreFocusOut: true, title: 'This folder holds several trails: which one?' },
    );
    return picked ? openLocalTrail(dir, { trailName: picked.candidate.trailName, accountId: picked.candidate.accountId }) : undefined;
  }
}

/** "Validate Local Folder…": a folder laid out as `aws s3 sync` writes a trail bucket, checked offline. */
export async function validateLocalFolder(deps: IntegrityCommandDeps, folder?: vscode.Uri, request?: ValidateRequest): Promise<unknown> {
  let dir = folder?.fsPath;
  if (!dir) {
    const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title: 'Validate Local Folder: the folder that holds AWSLogs/', openLabel: 'Validate' });
    if (!picked?.[0]) return undefined;
    dir = picked[0].fsPath;
  }
  const trail = await openFolderTrail(dir, request);
  if (!trail) return undefined;
  const regions = request ? (request.regions ?? trail.regions) : await pickRegions(`Validate ${folderLabel(dir)}: regions`, trail.regions);
  if (!regions) return undefined;
  const account = { accountId: trail.accountId, organizationId: trail.organizationId, regions };
  const span = await digestSpan(trail.store, account, trail.prefix, regions);
  const range = request?.all && span ? span : request?.start && request.end ? { start: new Date(request.start), end: new Date(request.end) } : await pickRange(`Validate ${folderLabel(dir)}: time range`, span);
  if (!range) return undefined;
  if (!trail.hasMetadata || !trail.publicKeys) {
    log.warn(`${dir}: ${!trail.hasMetadata ? 'no digest signature metadata (cloudtrail-lens-offline.json)' : ''}${!trail.hasMetadata && !trail.publicKeys ? ' and ' : ''}${!trail.publicKeys ? `no ${PUBLIC_KEYS_FILE}` : ''}: signatures will be reported as not checked`);
  }
  return deps.runner.validate(
    { id: `local:${path.resolve(dir)}`, label: folderLabel(dir), historyId: `local:${path.resolve(dir)}` },
    { ...trail, regions, start: range.start, end: range.end },
  );
}

function singleLogOf(uri: vscode.Uri | undefined): { kind: 'file'; path: string } | { kind: 's3'; bucket: string; key: string } | undefined {
  if (!uri) return undefined;
  if (uri.scheme === 'file') return { kind: 'file', path: uri.fsPath };
  if (isEventDocument(uri)) {
    const state = decodeEventDocumentUri(uri);
    const [source] = state.sources;
    if (state.sources.length === 1 && (source.kind === 'file' || source.kind === 's3')) return source;
  }
  return undefined;
}

/** A digest file of a local copy (its path holds `AWSLogs/…/CloudTrail-Digest/…`): the request that validates it. */
function localDigestRequest(uri: vscode.Uri | undefined): ValidateRequest | undefined {
  if (uri?.scheme !== 'file') return undefined;
  const posix = uri.fsPath.split(path.sep).join('/');
  const at = posix.lastIndexOf('/AWSLogs/');
  if (at < 0) return undefined;
  return digestValidateRequest({ folder: uri.fsPath.slice(0, at) || path.sep }, posix.slice(at + 1));
}

function logReport(name: string, findings: readonly Finding[], outcome: string): string {
  const lines = [`# Log file integrity: ${escapeMarkdownText(name)}`, '', `Outcome: **${outcome}**`, '', '| verdict | object | finding |', '|---|---|---|'];
  for (const f of findings) lines.push(`| ${f.verdict} | ${markdownCode(f.object?.key ?? f.region)} | ${escapeMarkdownText(f.message)} |`);
  return lines.join('\n') + '\n';
}

/** "Validate This Log File": finds the digest that lists it and checks both. */
export async function validateThisLogFile(deps: IntegrityCommandDeps, target?: unknown): Promise<unknown> {
  // A digest validates as itself: its signature, its chain links and the log files it lists.
  const digest = target instanceof ObjectNode ? target.digestRequest() : localDigestRequest(target instanceof vscode.Uri ? target : vscode.window.activeTextEditor?.document.uri);
  if (digest) return validateTrailIntegrity(deps, digest);
  const ref = target instanceof ObjectNode ? target.ref : singleLogOf(target instanceof vscode.Uri ? target : vscode.window.activeTextEditor?.document.uri);
  if (!ref) {
    void vscode.window.showInformationMessage('Open one CloudTrail log file (or pick one in the Trails view) to validate it.');
    return undefined;
  }
  const name = ref.kind === 'file' ? ref.path : `s3://${ref.bucket}/${ref.key}`;
  try {
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Validating ${path.basename(name)}`, cancellable: true }, async (_progress, token) => {
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => controller.abort());
      try {
        if (ref.kind === 'file') {
          const { root, key } = await locateLocalLogFile(ref.path);
          const store = await LocalObjectStore.open(root);
          const keysFile = path.join(root, PUBLIC_KEYS_FILE);
          const publicKeys = existsSync(keysFile) ? fixedKeySource(publicKeysFromJson(await readRegularTextFile(keysFile), keysFile), keysFile) : undefined;
          return await validateLogFile({ store, key, publicKeys, signal: controller.signal });
        }
        const store = await deps.session.s3Store(ref.bucket);
        return await validateLogFile({ store, key: ref.key, publicKeys: trailApiKeySource((r) => deps.session.trailApi(r)), signal: controller.signal, profile: deps.session.profile });
      } finally {
        cancel.dispose();
      }
    });
    const report = deps.reports.put(`${path.basename(name)} integrity`, logReport(name, result.findings, result.outcome));
    deps.diagnostics.publish(`log:${name}`, result.findings, report, ref.kind === 'file');
    const message = result.outcome === 'valid' ? `${path.basename(name)} is valid: ${result.log.message}` : `${path.basename(name)}: ${result.log.message}`;
    const show = result.outcome === 'valid' ? vscode.window.showInformationMessage : result.outcome === 'invalid' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
    void show(escapeControl(message), 'Open Report').then((c) => c && deps.reports.show(report));
    return result;
  } catch (error) {
    if ((error as { name?: string })?.name === 'AbortError') return undefined;
    return showError(`Could not validate ${name}: ${describeAwsError(error, 'GetObject', name, deps.session.profile).message}`, error);
  }
}

/** "Download Trail for Offline Validation": logs, digests, their signatures and the public keys, to a folder. */
export async function downloadTrail(deps: IntegrityCommandDeps, target?: unknown, destination?: vscode.Uri, request?: ValidateRequest): Promise<unknown> {
  const subject = target instanceof DigestStatusNode ? target.target : target;
  let trail = subject instanceof AwsTrailNode ? subject.trail : undefined;
  if (!trail && isRequest(subject) && subject.trailArn) trail = await trailByArn(deps, subject.trailArn);
  if (!trail) {
    const picked = await pickTrail(deps);
    trail = picked instanceof AwsTrailNode ? picked.trail : picked && !(picked instanceof LocalTrailNode) ? picked : undefined;
  }
  if (!trail?.s3BucketName) return undefined;
  request ??= isRequest(subject) ? subject : undefined;
  const scope = await chooseAwsScope(deps, trail, request, 'Download');
  if (!scope) return undefined;
  destination ??= (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title: 'Download into which folder?', openLabel: 'Download Here' }))?.[0];
  if (!destination) return undefined;
  const dest = destination.fsPath;
  try {
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Downloading ${trail.name} for offline validation`, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => controller.abort());
      let shown = 0;
      try {
        return await downloadForOfflineValidation({
          ...scope,
          trailStatus: (region) => deps.session.trailApi(region).getTrailStatus(trail.arn),
          destination: dest,
          signal: controller.signal,
          profile: deps.session.profile,
          onProgress: (p) => {
            const percent = p.filesTotal > 0 ? (100 * p.filesDone) / p.filesTotal : 0;
            progress.report({ message: `${p.filesDone} of ${p.filesTotal} files`, increment: Math.max(0, percent - shown) });
            shown = Math.max(shown, percent);
          },
        });
      } finally {
        cancel.dispose();
      }
    });
    log.info(`Downloaded ${result.files} files (${result.digests} digests, ${result.logs} logs, ${result.publicKeys} public keys) of ${trail.name} to ${dest}`);
    void vscode.window.showInformationMessage(`Downloaded ${result.digests} digests, ${result.logs} log files and ${result.publicKeys} public key(s) of ${escapeControl(trail.name)} to ${escapeControl(dest)}.`, 'Validate Now', 'Add Folder to Workspace').then(async (choice) => {
      if (choice === 'Validate Now') await validateLocalFolder(deps, destination, { folder: dest, all: true, accountId: scope.accountId });
      if (choice === 'Add Folder to Workspace') vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders?.length ?? 0, 0, { uri: vscode.Uri.file(dest) });
    });
    return result;
  } catch (error) {
    if ((error as { name?: string })?.name === 'AbortError') return undefined;
    if (error instanceof DownloadConflictError) return showError(`${error.message} Nothing was overwritten; choose an empty folder.`, error);
    return showError(`Could not download ${trail.name}: ${describeAwsError(error, 'GetObject', `s3://${scope.bucket}`, deps.session.profile).message}`, error);
  }
}
