/** A CloudTrail event record as CloudTrail writes it; unknown fields are kept as they are. */
export interface CloudTrailRecord {
  eventVersion?: string;
  eventTime?: string;
  eventSource?: string;
  eventName?: string;
  awsRegion?: string;
  sourceIPAddress?: string;
  userAgent?: string;
  userIdentity?: UserIdentity;
  errorCode?: string;
  errorMessage?: string;
  eventID?: string;
  readOnly?: boolean | string;
  eventType?: string;
  eventCategory?: string;
  recipientAccountId?: string;
  insightDetails?: { state?: string; eventSource?: string; eventName?: string; insightType?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface SessionIssuer {
  type?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  userName?: string;
}

export interface UserIdentity {
  type?: string;
  principalId?: string;
  arn?: string;
  accountId?: string;
  accessKeyId?: string;
  userName?: string;
  invokedBy?: string;
  credentialId?: string;
  identityProvider?: string;
  onBehalfOf?: { userId?: string; identityStoreArn?: string };
  sessionContext?: {
    sessionIssuer?: SessionIssuer;
    attributes?: { creationDate?: string; mfaAuthenticated?: string };
    sourceIdentity?: string;
    webIdFederationData?: { federatedProvider?: string; attributes?: Record<string, unknown> };
    ec2RoleDelivery?: string;
  };
  [key: string]: unknown;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * True for an object that carries what every CloudTrail record has: an eventVersion, or an
 * eventTime with an eventName or eventSource, or Insights details.
 */
export function looksLikeRecord(value: unknown): value is CloudTrailRecord {
  if (!isObject(value)) {
    return false;
  }
  if (typeof value.eventVersion === 'string' && (typeof value.eventTime === 'string' || typeof value.eventID === 'string')) {
    return true;
  }
  return typeof value.eventTime === 'string' && (typeof value.eventName === 'string' || typeof value.eventSource === 'string' || isObject(value.insightDetails));
}

/** `1.09` < `1.10` < `1.11`: the minor part compares as an integer. Undefined when malformed. */
export function parseEventVersion(version: unknown): { major: number; minor: number } | undefined {
  if (typeof version !== 'string') {
    return undefined;
  }
  const m = /^(\d+)\.(\d+)$/.exec(version);
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

export function compareEventVersions(a: string, b: string): number {
  const x = parseEventVersion(a);
  const y = parseEventVersion(b);
  if (!x || !y) {
    return a < b ? -1 : a > b ? 1 : 0;
  }
  return x.major - y.major || x.minor - y.minor;
}

/** `YYYY-MM-DDTHH:MM:SSZ`, the form of nearly every eventTime, without a regular expression or Date.parse. */
function parseZuluSeconds(v: string): number {
  const d = (i: number): number => {
    const c = v.charCodeAt(i) - 48;
    return c >= 0 && c <= 9 ? c : NaN;
  };
  if (v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45 || v.charCodeAt(10) !== 84 || v.charCodeAt(13) !== 58 || v.charCodeAt(16) !== 58 || v.charCodeAt(19) !== 90) return NaN;
  const year = d(0) * 1000 + d(1) * 100 + d(2) * 10 + d(3);
  const month = d(5) * 10 + d(6);
  const day = d(8) * 10 + d(9);
  const hour = d(11) * 10 + d(12);
  const minute = d(14) * 10 + d(15);
  const second = d(17) * 10 + d(18);
  // Date.UTC reads years 0-99 as 1900-1999: those go to Date.parse, which does not. A day past the
  // month's end (which Date.UTC rolls over) is not a time.
  if (!(year >= 100 && realDate(year, month, day) && hour <= 23 && minute <= 59 && second <= 59)) return NaN;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/**
 * Whether `v` is exactly what `zuluSecondsText` makes of `ms` (`YYYY-MM-DDTHH:MM:SSZ`, a real
 * date of the years 100 to 9999), so that the time alone can stand for the text.
 */
export function isZuluSecondsText(v: string, ms: number): boolean {
  return zuluSeconds(v) === ms;
}

/**
 * The time of `YYYY-MM-DDTHH:MM:SSZ` of the years 100 to 9999 (what parseCloudTrailTime gives
 * for it), NaN for any other text. A text it reads is what `zuluSecondsText` makes of its time.
 */
export function zuluSeconds(v: string): number {
  return v.length === 20 ? parseZuluSeconds(v) : NaN;
}

/** `YYYY-MM-DDTHH:MM:SSZ` of a time in whole seconds of the years 0 to 9999. */
export function zuluSecondsText(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

/** Whether a year, month (1-12) and day name a day of the calendar (Date.parse rolls 30 February over to March). */
function realDate(year: number, month: number, day: number): boolean {
  if (!(month >= 1 && month <= 12 && day >= 1)) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

const ISO_EXTENDED = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Milliseconds since the epoch of a CloudTrail time: ISO 8601 (`2023-07-10T11:42:36Z`), ISO basic
 * (`20230710T114236Z`, as some creationDate values are written) or CloudTrail Lake's
 * `2023-07-10 11:42:36.000` (UTC). NaN when it is none of these: anything else (`"1"`, `"Nov 1"`,
 * which Date.parse would read as some date) is not a time CloudTrail wrote.
 */
export function parseCloudTrailTime(value: unknown): number {
  if (typeof value !== 'string' || value.length < 8) {
    return NaN;
  }
  if (value.length === 20) {
    const fast = parseZuluSeconds(value);
    if (!Number.isNaN(fast)) return fast;
  }
  if (ISO_EXTENDED.test(value)) {
    return realDate(+value.slice(0, 4), +value.slice(5, 7), +value.slice(8, 10)) ? Date.parse(value) : NaN;
  }
  const basic = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?Z$/.exec(value);
  if (basic) {
    if (!realDate(+basic[1], +basic[2], +basic[3]) || +basic[4] > 23 || +basic[5] > 59 || (basic[6] !== undefined && +basic[6] > 59)) return NaN;
    const d = new Date(0);
    d.setUTCFullYear(+basic[1], +basic[2] - 1, +basic[3]);
    d.setUTCHours(+basic[4], +basic[5], basic[6] ? +basic[6] : 0, 0);
    return d.getTime();
  }
  const lake = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)$/.exec(value);
  if (lake) {
    if (!realDate(+value.slice(0, 4), +value.slice(5, 7), +value.slice(8, 10))) return NaN;
    return Date.parse(`${lake[1]}T${lake[2]}Z`);
  }
  return NaN;
}

/** The event's name, also for Insights records (which carry it in insightDetails). */
export function recordEventName(r: CloudTrailRecord): string | undefined {
  return typeof r.eventName === 'string' ? r.eventName : typeof r.insightDetails?.eventName === 'string' ? r.insightDetails.eventName : undefined;
}

export function recordEventSource(r: CloudTrailRecord): string | undefined {
  return typeof r.eventSource === 'string' ? r.eventSource : typeof r.insightDetails?.eventSource === 'string' ? r.insightDetails.eventSource : undefined;
}
