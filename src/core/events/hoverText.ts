import { findNodeAtOffset, getNodePath, parseTree, type Node } from 'jsonc-parser';
import { escapeMarkdownText, markdownCode } from '../text/safeText';
import { findingMarkdown } from '../detections/findingText';
import { accessOf, sensitiveAction, serviceName } from './actions';
import { configTargetOf } from '../aws/configTarget';
import { looksLikeArn, parseArn } from './arn';
import { explainErrorCode } from './errorCodes';
import { eventAt, previousEventOfCaller, type EventIndex, type IndexedEvent } from './eventIndex';
import { accessKeyKind, formatDuration, sessionAgeMs } from './identity';
import type { EventFilter } from './filters';
import type { CloudTrailRecord } from './records';

export type HoverKind = 'identity' | 'accessKey' | 'source' | 'time' | 'action' | 'error' | 'arn';

/**
 * What a hover offers to do with the value under the cursor; the editor turns each into a command
 * link. `pivot` opens every matching event of the document's sources, `narrow` filters this
 * document, `investigate` opens the sources in an investigation with the same selection, `copy`
 * copies a value, `configHistory` opens AWS Config's history of the resource around the event.
 */
export type HoverAction =
  | { kind: 'pivot' | 'narrow' | 'investigate'; label: string; filter: EventFilter }
  | { kind: 'copy'; label: string; value: string }
  /** AWS Config's configuration of the resource just before and after the event. */
  | { kind: 'configHistory'; label: string; arn: string; eventTime: string; region: string };

export interface HoverResult {
  kind: HoverKind;
  markdown: string;
  /** Links under the card, in the order shown; empty when the hover only explains. */
  actions: HoverAction[];
  /** Offsets of the hovered JSON node. */
  start: number;
  end: number;
}

export interface HoverOptions {
  /** IANA time zone for "local" times; the process's own zone when absent. */
  timeZone?: string;
}

/**
 * A Markdown code span that the value cannot break out of (any run of backticks, controls, `|` of a
 * table row): values come from the log.
 */
export function code(value: unknown): string {
  return markdownCode(String(value));
}

function times(n: number): string {
  return `${n} event${n === 1 ? '' : 's'}`;
}

function row(label: string, value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : `| ${label} | ${value} |`;
}

function table(rows: (string | undefined)[]): string {
  const present = rows.filter((r): r is string => r !== undefined);
  return present.length === 0 ? '' : ['| | |', '|---|---|', ...present].join('\n');
}

function utc(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z').replace('T', ' ').replace('Z', ' UTC');
}

function local(ms: number, timeZone?: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
    hour12: false,
  }).format(new Date(ms));
}

function seenRange(first: string | undefined, last: string | undefined): string | undefined {
  if (!first) return undefined;
  return first === last ? `at ${code(first)}` : `first ${code(first)}, last ${code(last)}`;
}

type Card = { kind: HoverKind; markdown: string; actions?: HoverAction[] };

/** "All events of …" across the sources, "Only … here" when the document holds others, an investigation, a copy. */
function filterActions(index: EventIndex, filter: EventFilter, what: string, count: number, investigate: boolean): HoverAction[] {
  const actions: HoverAction[] = [{ kind: 'pivot', label: `All events of ${what}`, filter }];
  if (count < index.events.length) actions.push({ kind: 'narrow', label: `Only ${what} here`, filter });
  if (investigate) actions.push({ kind: 'investigate', label: 'Investigate', filter });
  return actions;
}

function identityHover(index: EventIndex, event: IndexedEvent, record: CloudTrailRecord): Card {
  const id = record.userIdentity ?? {};
  const issuer = id.sessionContext?.sessionIssuer;
  const attributes = id.sessionContext?.attributes;
  const lines: string[] = [`**Caller** ${code(event.caller.label)} · ${escapeMarkdownText(event.caller.type)}`, ''];
  const mfa = attributes?.mfaAuthenticated;
  const age = sessionAgeMs(record);
  lines.push(
    table([
      row('Type', id.type ? code(id.type) : undefined),
      row('Account', id.accountId ? code(id.accountId) : undefined),
      row('Principal', id.arn ? code(id.arn) : id.principalId ? code(id.principalId) : undefined),
      row('Principal id', id.arn && id.principalId ? code(id.principalId) : undefined),
      row('User name', id.userName ? code(id.userName) : undefined),
      row('Session issuer', issuer?.arn ? `${code(issuer.arn)}${issuer.type ? ` (${escapeMarkdownText(issuer.type)})` : ''}` : undefined),
      row('Source identity', typeof id.sessionContext?.sourceIdentity === 'string' ? code(id.sessionContext.sourceIdentity) : undefined),
      row('Web identity', id.sessionContext?.webIdFederationData?.federatedProvider ? code(id.sessionContext.webIdFederationData.federatedProvider) : undefined),
      row('Invoked by', id.invokedBy ? code(id.invokedBy) : undefined),
      row('On behalf of', id.onBehalfOf?.userId ? `${code(id.onBehalfOf.userId)}${id.onBehalfOf.identityStoreArn ? ` in ${code(id.onBehalfOf.identityStoreArn)}` : ''}` : undefined),
      row('MFA', mfa === 'true' ? 'yes, the session was MFA-authenticated' : mfa === 'false' ? '**no**, the session was not MFA-authenticated' : undefined),
      row('Session age', age !== undefined && attributes?.creationDate ? `${formatDuration(age)} at this event (session created ${code(attributes.creationDate)})` : undefined),
    ]),
  );
  if (event.accessKeyId) lines.push('', ...accessKeyLines(index, event.accessKeyId));
  lines.push('', `${times(event.caller.count)} by this caller in this document, ${seenRange(event.caller.firstTime, event.caller.lastTime) ?? 'none with a readable time'}.`);
  if (id.userName === 'HIDDEN_DUE_TO_SECURITY_REASONS') {
    lines.push('', 'The user name is hidden: CloudTrail hides it when a sign-in failed with a user name that does not exist (it could be a mistyped password).');
  }
  const actions = filterActions(index, { kind: 'caller', key: event.caller.key, label: event.caller.label }, 'this caller', event.caller.count, true);
  const principal = typeof id.arn === 'string' && id.arn !== '' ? id.arn : typeof id.principalId === 'string' && id.principalId !== '' ? id.principalId : undefined;
  if (principal) actions.push({ kind: 'copy', label: typeof id.arn === 'string' && id.arn !== '' ? 'Copy ARN' : 'Copy principal id', value: principal });
  return { kind: 'identity', markdown: lines.join('\n'), actions };
}

function accessKeyLines(index: EventIndex, key: string): string[] {
  const lines = [`**Access key** ${code(key)}: ${accessKeyKind(key).text}.`];
  const used = index.accessKeys.get(key);
  if (used) lines.push(`Used by ${times(used.count)} in this document, ${seenRange(used.firstTime, used.lastTime) ?? 'none with a readable time'}.`);
  return lines;
}

function accessKeyHover(index: EventIndex, event: IndexedEvent): Card | undefined {
  const key = event.accessKeyId;
  if (!key) return undefined;
  const lines = accessKeyLines(index, key);
  lines.push('', `Caller ${code(event.caller.label)} · ${escapeMarkdownText(event.caller.type)}.`);
  const count = index.accessKeys.get(key)?.count ?? 1;
  const actions = filterActions(index, { kind: 'accessKey', value: key }, 'this key', count, true);
  actions.push({ kind: 'copy', label: 'Copy key id', value: key });
  return { kind: 'accessKey', markdown: lines.join('\n'), actions };
}

function sourceHover(index: EventIndex, event: IndexedEvent): Card | undefined {
  if (event.sourceIp === undefined) return undefined;
  const s = index.sources.get(event.sourceIp);
  if (!s) return undefined;
  const actions = filterActions(index, { kind: 'source', value: event.sourceIp }, 'this source', s.count, true);
  actions.push({ kind: 'copy', label: 'Copy address', value: event.sourceIp });
  return {
    kind: 'source',
    actions,
    markdown: [
      `**Source** ${code(event.sourceIp)} · ${s.source.label}`,
      '',
      `This is ${s.source.detail}.`,
      '',
      `${times(s.count)} from this source in this document, ${seenRange(s.firstTime, s.lastTime) ?? 'none with a readable time'}.`,
    ].join('\n'),
  };
}

function timeHover(index: EventIndex, event: IndexedEvent, options: HoverOptions): Card | undefined {
  const ms = event.timeMs;
  if (Number.isNaN(ms)) {
    return { kind: 'time', markdown: `**Event time** ${code(event.eventTime ?? '')} is not a time CloudTrail writes.` };
  }
  const previous = previousEventOfCaller(index, event);
  const lines = [`**Event time** ${utc(ms)}`, '', table([row('UTC', code(utc(ms))), row('Local', code(local(ms, options.timeZone)))]), ''];
  if (previous && !Number.isNaN(previous.timeMs)) {
    lines.push(`${formatDuration(ms - previous.timeMs)} after this caller’s previous event here (${code(previous.eventName ?? 'unknown')} at ${code(previous.eventTime)}).`);
  } else {
    lines.push(`The first event of ${code(event.caller.label)} in this document.`);
  }
  return { kind: 'time', markdown: lines.join('\n') };
}

function actionHover(index: EventIndex, event: IndexedEvent, record: CloudTrailRecord): Card {
  const source = event.eventSource;
  const name = event.eventName ?? 'unknown action';
  const lines = [`**Action** ${code(name)} · ${escapeMarkdownText(serviceName(source))}${source ? ` (${code(source)})` : ''}`, ''];
  const access = accessOf(record);
  if (access) {
    lines.push(access.readOnly ? `Read-only${access.from === 'name' ? ' (judged by its name)' : ''}: it reads and changes nothing.` : `**Mutating**${access.from === 'name' ? ' (judged by its name)' : ''}: it can change resources or settings.`);
  }
  const sensitive = sensitiveAction(source, name);
  if (sensitive) {
    lines.push('', `⚠ **Sensitive action** (${sensitive.tactic}): ${sensitive.why}.`);
  }
  if (record.eventType) {
    lines.push('', `Event type ${code(record.eventType)}${record.eventCategory ? `, category ${code(record.eventCategory)}` : ''}.`);
  }
  const occurrences = index.eventNames.get(name);
  if (occurrences) {
    const failed = occurrences.events.filter((o) => index.events[o].errorCode !== undefined).length;
    lines.push('', `${times(occurrences.count)} with this action in this document${failed > 0 ? `, ${failed} of them failed` : ''}.`);
  }
  const actions = event.eventName === undefined ? [] : filterActions(index, { kind: 'eventName', value: event.eventName }, 'this action', occurrences?.count ?? 1, true);
  if (event.eventName !== undefined) actions.push({ kind: 'copy', label: 'Copy name', value: event.eventName });
  return { kind: 'action', markdown: lines.join('\n'), actions };
}

function errorHover(index: EventIndex, event: IndexedEvent, record: CloudTrailRecord): Card | undefined {
  const errorCode = event.errorCode;
  if (!errorCode) {
    return typeof record.errorMessage === 'string' ? { kind: 'error', markdown: `**Error message**\n\n${code(record.errorMessage)}` } : undefined;
  }
  const lines = [`**Error** ${code(errorCode)}`, '', explainErrorCode(errorCode)];
  if (typeof record.errorMessage === 'string') {
    lines.push('', `Message: ${code(record.errorMessage)}`);
  }
  const occurrences = index.errorCodes.get(errorCode);
  if (occurrences) {
    const byCaller = occurrences.events.filter((o) => index.events[o].caller === event.caller).length;
    lines.push('', `${times(occurrences.count)} failed with this error in this document, ${byCaller} of them by ${code(event.caller.label)}.`);
  }
  const failed = index.events.filter((e) => e.errorCode !== undefined).length;
  const actions: HoverAction[] = [{ kind: 'pivot', label: 'All failed calls', filter: { kind: 'errors' } }];
  if (failed < index.events.length) actions.push({ kind: 'narrow', label: 'Only failed calls here', filter: { kind: 'errors' } });
  actions.push({ kind: 'copy', label: 'Copy error code', value: errorCode });
  return { kind: 'error', markdown: lines.join('\n'), actions };
}

function arnHover(value: string, record: CloudTrailRecord): Card | undefined {
  const arn = parseArn(value);
  if (!arn) return undefined;
  const lines = [
    `**ARN** of ${arn.resourceType ? `a ${code(arn.resourceType)} in ` : 'a resource of '}${escapeMarkdownText(serviceName(`${arn.service}.amazonaws.com`))}`,
    '',
    table([
      row('Partition', code(arn.partition)),
      row('Service', code(arn.service)),
      row('Region', arn.region ? code(arn.region) : 'none (global)'),
      row('Account', arn.account ? code(arn.account) : 'none'),
      row('Resource type', arn.resourceType ? code(arn.resourceType) : undefined),
      row('Resource', code(arn.resourceId)),
    ]),
  ];
  const home = typeof record.recipientAccountId === 'string' ? record.recipientAccountId : record.userIdentity?.accountId;
  if (arn.account && /^\d{12}$/.test(arn.account) && home && arn.account !== home) {
    lines.push('', `⚠ Account ${code(arn.account)} is not the account that recorded this event (${code(home)}): a cross-account reference.`);
  }
  const actions: HoverAction[] = [{ kind: 'copy', label: 'Copy ARN', value }];
  // Where AWS Config can have recorded the resource: what it looked like just before and after this call.
  const region = arn.region || (typeof record.awsRegion === 'string' ? record.awsRegion : '');
  if (configTargetOf(value) && typeof record.eventTime === 'string' && region) actions.push({ kind: 'configHistory', label: 'Configuration history', arn: value, eventTime: record.eventTime, region });
  return { kind: 'arn', markdown: lines.join('\n'), actions };
}

function nodeRange(node: Node, base: number): { start: number; end: number } {
  return { start: base + node.offset, end: base + node.offset + node.length };
}

/** The document's text, or a function that returns the text between two offsets (an editor reads less). */
export type TextSource = string | ((start: number, end: number) => string);

/**
 * The hover for `offset` in a document with this index: identity, source, time, action, error or
 * ARN, depending on the field under the cursor. Undefined outside events or over other fields.
 * Only the hovered event's text is read.
 */
export function hoverAt(text: TextSource, index: EventIndex, offset: number, options: HoverOptions = {}): HoverResult | undefined {
  if (index.container === 'Events') return undefined; // LookupEvents output: the event is a JSON string.
  const event = eventAt(index, offset);
  if (!event) return undefined;
  const slice = typeof text === 'string' ? text.slice(event.start, event.end) : text(event.start, event.end);
  const root = parseTree(slice);
  if (!root) return undefined;
  const node = findNodeAtOffset(root, offset - event.start, true);
  if (!node || node.type === 'object' || node.type === 'array') return undefined;
  let record: CloudTrailRecord;
  try {
    record = JSON.parse(slice) as CloudTrailRecord;
  } catch {
    return undefined;
  }
  const path = getNodePath(node);
  const top = path[0];
  const last = path[path.length - 1];
  const isKey = node.parent?.type === 'property' && node.parent.children?.[0] === node;
  const value = isKey ? node.parent?.children?.[1]?.value : node.value;
  let found: Card | undefined;
  if (top === 'userIdentity') {
    // The caller card on the key only; inside it, the access key and ARNs have their own.
    if (path.length === 1) found = identityHover(index, event, record);
    else if (last === 'accessKeyId' && path.length === 2) found = accessKeyHover(index, event);
    else if (!isKey && looksLikeArn(value)) found = arnHover(value, record);
  } else if (path.length === 1 && top === 'sourceIPAddress') {
    found = sourceHover(index, event);
  } else if (path.length === 1 && top === 'eventTime') {
    found = timeHover(index, event, options);
  } else if ((path.length === 1 || (path.length === 2 && top === 'insightDetails')) && (last === 'eventName' || last === 'eventSource')) {
    found = actionHover(index, event, record);
  } else if (path.length === 1 && (top === 'errorCode' || top === 'errorMessage')) {
    found = errorHover(index, event, record);
  } else if (!isKey && looksLikeArn(value)) {
    found = arnHover(value, record);
  }
  if (found && path.length === 1 && last === 'eventName') {
    // The detections on this event, where their diagnostic is.
    const findings = (index.findings ?? []).filter((f) => f.ordinals.includes(event.ordinal));
    if (findings.length > 0) found = { ...found, markdown: [found.markdown, ...findings.slice(0, 5).map((f) => findingMarkdown(f.finding))].join('\n\n---\n\n') };
  }
  return found ? { kind: found.kind, markdown: found.markdown, actions: found.actions ?? [], ...nodeRange(isKey && node.parent ? node.parent : node, event.start) } : undefined;
}
