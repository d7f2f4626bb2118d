import { callerOf } from './identity';
import { recordEventName, recordEventSource, type CloudTrailRecord } from './records';

export const CSV_COLUMNS = [
  'eventTime',
  'eventName',
  'eventSource',
  'awsRegion',
  'caller',
  'identityType',
  'principalArn',
  'accountId',
  'accessKeyId',
  'sourceIPAddress',
  'userAgent',
  'errorCode',
  'errorMessage',
  'readOnly',
  'eventType',
  'eventID',
  'recipientAccountId',
  // The parts an investigator needs to see what was done to what, as JSON text.
  'requestParameters',
  'responseElements',
  'resources',
] as const;

/**
 * One CSV field (RFC 4180). A value that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`,
 * tab or carriage return first: an attacker controls userAgent and errorMessage) gets a leading `'`.
 * A value with `;` or a tab is quoted too: spreadsheets that split on `;` (or tabs) would otherwise
 * cut it, and the part after the separator, a cell of its own, could start a formula.
 */
export function csvField(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) {
    text = `'${text}`;
  }
  return /[",;\t\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function columns(r: CloudTrailRecord): unknown[] {
  const id = r.userIdentity;
  const caller = callerOf(r);
  return [
    r.eventTime,
    recordEventName(r),
    recordEventSource(r),
    r.awsRegion,
    caller.label,
    caller.type,
    id?.arn,
    id?.accountId,
    id?.accessKeyId,
    r.sourceIPAddress,
    r.userAgent,
    r.errorCode,
    r.errorMessage,
    r.readOnly,
    r.eventType,
    r.eventID,
    r.recipientAccountId,
    r.requestParameters,
    r.responseElements,
    r.resources,
  ];
}

/** A CSV with a header row and one row per event, lines ending CRLF as RFC 4180 says. */
export function eventsToCsv(records: readonly CloudTrailRecord[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of records) {
    lines.push(columns(r).map(csvField).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}
