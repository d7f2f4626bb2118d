import * as vscode from 'vscode';
import { describeAwsError } from '../../core/aws/awsErrors';
import { lookupLimiter } from '../../core/aws/rateLimiter';
import { searchEvents as runSearch, type SearchQuery } from '../../core/aws/searchEvents';
import type { LookupKey } from '../../core/aws/trailApi';
import { parseUserTime } from '../../core/events/filters';
import { escapeControl } from '../../core/text/safeText';
import type { AwsSession } from '../aws/awsSession';
import type { Config } from '../config';
import type { EventDocuments } from '../documents/eventDocuments';
import type { MemoryEvents } from '../documents/eventSources';
import { log, showError } from '../log';

/** A search given by a caller (a test, a keybinding's args) instead of asked for. */
export interface SearchArgs extends Partial<SearchQuery> {
  region?: string;
}

const ATTRIBUTES: { key: LookupKey | undefined; label: string; detail: string }[] = [
  { key: undefined, label: 'All management events', detail: 'No filter: the newest events of the region' },
  { key: 'EventName', label: 'Event name', detail: 'e.g. ConsoleLogin, StopLogging, CreateAccessKey' },
  { key: 'Username', label: 'User name', detail: 'IAM user, role session name, or root' },
  { key: 'AccessKeyId', label: 'Access key id', detail: 'AKIA… or ASIA…' },
  { key: 'EventSource', label: 'Event source', detail: 'e.g. iam.amazonaws.com' },
  { key: 'ResourceName', label: 'Resource name', detail: 'e.g. a bucket, instance id or ARN' },
  { key: 'ResourceType', label: 'Resource type', detail: 'e.g. AWS::S3::Bucket' },
  { key: 'ReadOnly', label: 'Read-only', detail: 'true or false' },
  { key: 'EventId', label: 'Event id', detail: 'One event' },
];

const RANGES: { label: string; hours?: number }[] = [
  { label: 'Last hour', hours: 1 },
  { label: 'Last 24 hours', hours: 24 },
  { label: 'Last 7 days', hours: 24 * 7 },
  { label: 'Last 90 days (all that LookupEvents keeps)', hours: 24 * 90 },
  { label: 'Custom range…' },
];

async function ask(session: AwsSession, config: Config): Promise<(SearchQuery & { region: string }) | undefined> {
  const regions = await session.regions();
  const region = regions.length === 1 ? regions[0] : (await vscode.window.showQuickPick(regions, { ignoreFocusOut: true, title: 'Search Events (1/5): region' }));
  if (!region) return undefined;
  const attribute = await vscode.window.showQuickPick(ATTRIBUTES, { ignoreFocusOut: true, title: 'Search Events (2/5): look up by', matchOnDetail: true });
  if (!attribute) return undefined;
  let value: string | undefined;
  if (attribute.key === 'ReadOnly') {
    value = await vscode.window.showQuickPick(['true', 'false'], { ignoreFocusOut: true, title: 'Search Events (3/5): read-only' });
  } else if (attribute.key) {
    value = await vscode.window.showInputBox({ ignoreFocusOut: true, title: `Search Events (3/5): ${attribute.label}`, prompt: attribute.detail, validateInput: (v) => (v.trim() ? undefined : 'Type a value') });
  }
  if (attribute.key && value === undefined) return undefined;
  const range = await vscode.window.showQuickPick(RANGES, { ignoreFocusOut: true, title: 'Search Events (4/5): time range' });
  if (!range) return undefined;
  let startTime: Date | undefined;
  let endTime: Date | undefined;
  if (range.hours) {
    endTime = new Date();
    startTime = new Date(endTime.getTime() - range.hours * 3600_000);
  } else {
    const validate = (v: string): string | undefined => (v.trim() === '' || !Number.isNaN(parseUserTime(v)) ? undefined : 'Type a time such as 2026-11-01T10:00Z (UTC unless a zone is given)');
    const from = await vscode.window.showInputBox({ ignoreFocusOut: true, title: 'Search Events (4/5): from (empty for 90 days ago)', validateInput: validate });
    if (from === undefined) return undefined;
    const to = await vscode.window.showInputBox({ ignoreFocusOut: true, title: 'Search Events (4/5): to (empty for now)', validateInput: validate });
    if (to === undefined) return undefined;
    startTime = from.trim() ? new Date(parseUserTime(from)) : undefined;
    endTime = to.trim() ? new Date(parseUserTime(to)) : undefined;
  }
  const count = await vscode.window.showInputBox({
    ignoreFocusOut: true,
    title: 'Search Events (5/5): how many events at most',
    value: String(config.searchMaxEvents),
    prompt: '50 per request, 2 requests per second: 500 events take about 5 seconds',
    validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) > 0 && Number(v) <= 10000 ? undefined : 'A whole number from 1 to 10000'),
  });
  if (count === undefined) return undefined;
  return { region, attribute: attribute.key && value !== undefined ? { key: attribute.key, value: value.trim() } : undefined, startTime, endTime, maxEvents: Number(count) };
}

/** "Search Events…": LookupEvents page by page with progress and cancel, opened as an event document. */
export async function searchEvents(session: AwsSession, config: Config, documents: EventDocuments, memory: MemoryEvents, args?: SearchArgs): Promise<vscode.TextEditor | undefined> {
  if (!session.enabled) {
    void vscode.window.showWarningMessage('CloudTrail Lens does not call AWS in an untrusted workspace. Trust the workspace to search events.');
    return undefined;
  }
  // Before the first question: five steps asked for nothing are worse than one clear sentence.
  if (!(await session.hasCredentialsSource())) {
    void vscode.window
      .showWarningMessage('Search Events needs AWS credentials: select a profile, or run "aws configure" (or "aws configure sso") in a terminal.', 'Select Profile')
      .then((action) => action && vscode.commands.executeCommand('cloudtrailLens.selectProfile'));
    return undefined;
  }
  const query = args && typeof args === 'object' ? { region: args.region ?? (await session.regions())[0], maxEvents: args.maxEvents ?? config.searchMaxEvents, attribute: args.attribute, startTime: args.startTime, endTime: args.endTime } : await ask(session, config);
  if (!query) return undefined;
  const what = query.attribute ? `${query.attribute.key} = ${query.attribute.value}` : 'all events';
  const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Searching ${what} in ${query.region}`, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    try {
      const result = await runSearch(session.trailApi(query.region), query, {
        limiter: lookupLimiter(session.profile ?? '', query.region),
        signal: controller.signal,
        onProgress: (p) => progress.report({ message: p.throttledForMs ? `throttled by AWS: waiting ${p.throttledForMs / 1000} s (${p.events} events so far)` : `${p.events} events, ${p.pages} page${p.pages === 1 ? '' : 's'}`, increment: p.throttledForMs ? 0 : (100 * 50) / Math.max(query.maxEvents, 50) }),
      });
      return { result };
    } catch (error) {
      if (controller.signal.aborted) return undefined;
      return { error };
    } finally {
      cancel.dispose();
    }
  });
  if (!outcome) return undefined; // cancelled
  if ('error' in outcome) {
    await showError(describeAwsError(outcome.error, 'LookupEvents', query.region, session.profile).message, outcome.error);
    return undefined;
  }
  const { result } = outcome;
  log.info(`LookupEvents ${what} in ${query.region}: ${result.records.length} events in ${result.pages} pages, ${result.throttledRequests} throttled`);
  if (result.records.length === 0) {
    void vscode.window.showInformationMessage(escapeControl(`No events match ${what} in ${query.region}.`));
    return undefined;
  }
  if (result.truncated) {
    void vscode.window.showInformationMessage(`Showing the newest ${result.records.length} events; more match ${escapeControl(what)}. Narrow the time range or raise the count.`);
  }
  const label = `LookupEvents ${query.region} ${what}`;
  const id = memory.add(label, result.records);
  return documents.open({ sources: [{ kind: 'memory', id, label }], filters: [] });
}
