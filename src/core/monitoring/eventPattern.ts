// EventBridge event patterns evaluated on the events EventBridge makes of CloudTrail records, so a
// rule is judged by what it would match: `{"source":["aws.cloudtrail"],"detail":{"eventName":
// ["StopLogging"]}}`. Matchers: exact values, prefix, suffix, equals-ignore-case, wildcard,
// anything-but (values, prefix, suffix), exists, numeric, cidr (IPv4). `$or` lists alternatives.
import { starMatch as wildcard } from '../text/wildcard';

/** The event EventBridge delivers for a CloudTrail record (default bus). */
export function eventBridgeEnvelope(record: Record<string, unknown>): Record<string, unknown> {
  const eventSource = typeof record.eventSource === 'string' ? record.eventSource : '';
  const service = eventSource.split('.')[0];
  const detailType =
    record.eventName === 'ConsoleLogin' || record.eventType === 'AwsConsoleSignIn'
      ? 'AWS Console Sign In via CloudTrail'
      : record.eventType === 'AwsServiceEvent'
        ? 'AWS Service Event via CloudTrail'
        : 'AWS API Call via CloudTrail';
  return {
    version: '0',
    'detail-type': detailType,
    source: `aws.${service}`,
    account: record.recipientAccountId,
    region: record.awsRegion,
    resources: [],
    detail: record,
  };
}

export class EventPatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventPatternError';
  }
}

function ipv4(text: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3];
}

/** One matcher of a leaf's array against one value of the event (present). */
function matchOne(matcher: unknown, value: unknown): boolean {
  if (matcher === null || typeof matcher !== 'object') return matcher === value;
  const m = matcher as Record<string, unknown>;
  if ('prefix' in m) {
    const p = m.prefix;
    if (typeof p === 'object' && p !== null && 'equals-ignore-case' in p) return typeof value === 'string' && value.toLowerCase().startsWith(String((p as Record<string, unknown>)['equals-ignore-case']).toLowerCase());
    return typeof value === 'string' && value.startsWith(String(p));
  }
  if ('suffix' in m) {
    const s = m.suffix;
    if (typeof s === 'object' && s !== null && 'equals-ignore-case' in s) return typeof value === 'string' && value.toLowerCase().endsWith(String((s as Record<string, unknown>)['equals-ignore-case']).toLowerCase());
    return typeof value === 'string' && value.endsWith(String(s));
  }
  if ('equals-ignore-case' in m) return typeof value === 'string' && value.toLowerCase() === String(m['equals-ignore-case']).toLowerCase();
  if ('wildcard' in m) return typeof value === 'string' && wildcard(String(m.wildcard), value);
  if ('anything-but' in m) {
    const but = m['anything-but'];
    if (Array.isArray(but)) return !but.includes(value);
    if (but !== null && typeof but === 'object') {
      const b = but as Record<string, unknown>;
      if ('prefix' in b) return typeof value === 'string' && !value.startsWith(String(b.prefix));
      if ('suffix' in b) return typeof value === 'string' && !value.endsWith(String(b.suffix));
      if ('equals-ignore-case' in b) {
        const list = Array.isArray(b['equals-ignore-case']) ? b['equals-ignore-case'] : [b['equals-ignore-case']];
        return typeof value === 'string' && !list.some((x) => String(x).toLowerCase() === value.toLowerCase());
      }
      if ('wildcard' in b) return typeof value === 'string' && !wildcard(String(b.wildcard), value);
      throw new EventPatternError(`unknown anything-but matcher ${JSON.stringify(but)}`);
    }
    return value !== but;
  }
  if ('numeric' in m) {
    const spec = m.numeric;
    if (!Array.isArray(spec) || typeof value !== 'number') return false;
    for (let i = 0; i + 1 < spec.length; i += 2) {
      const [op, bound] = [spec[i], Number(spec[i + 1])];
      const ok = op === '=' ? value === bound : op === '<' ? value < bound : op === '<=' ? value <= bound : op === '>' ? value > bound : op === '>=' ? value >= bound : false;
      if (!ok) return false;
    }
    return true;
  }
  if ('cidr' in m) {
    const [net, bits] = String(m.cidr).split('/');
    const base = ipv4(net);
    const ip = typeof value === 'string' ? ipv4(value) : undefined;
    const n = Number(bits);
    if (base === undefined || ip === undefined || !(n >= 0 && n <= 32)) return false;
    const mask = n === 0 ? 0 : (~0 << (32 - n)) >>> 0;
    return (base & mask) === (ip & mask);
  }
  if ('exists' in m) return m.exists === true;
  throw new EventPatternError(`unknown matcher ${JSON.stringify(matcher)}`);
}

function matchLeaf(matchers: unknown[], present: boolean, value: unknown): boolean {
  return matchers.some((matcher) => {
    if (matcher !== null && typeof matcher === 'object' && 'exists' in (matcher as object)) return (matcher as { exists: unknown }).exists === present;
    if (!present) return false;
    // A field holding a list matches when any element does.
    return Array.isArray(value) ? value.some((v) => matchOne(matcher, v)) : matchOne(matcher, value);
  });
}

function matchObject(pattern: Record<string, unknown>, event: unknown): boolean {
  for (const [key, sub] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(sub) || !sub.some((alt) => alt !== null && typeof alt === 'object' && matchObject(alt as Record<string, unknown>, event))) return false;
      continue;
    }
    const holder = event !== null && typeof event === 'object' && !Array.isArray(event) ? (event as Record<string, unknown>) : undefined;
    const present = holder !== undefined && Object.prototype.hasOwnProperty.call(holder, key) && holder[key] !== undefined;
    const value = present ? holder![key] : undefined;
    if (Array.isArray(sub)) {
      if (!matchLeaf(sub, present, value)) return false;
    } else if (sub !== null && typeof sub === 'object') {
      // A list of objects matches when any element does.
      if (!present || !(Array.isArray(value) ? value.some((v) => matchObject(sub as Record<string, unknown>, v)) : matchObject(sub as Record<string, unknown>, value))) return false;
    } else {
      throw new EventPatternError(`the value of "${key}" must be a list of matchers or an object`);
    }
  }
  return true;
}

/** Whether the event pattern (JSON text, as ListRules returns it) matches the event. */
export function eventPatternMatches(patternText: string, event: Record<string, unknown>): boolean {
  let pattern: unknown;
  try {
    pattern = JSON.parse(patternText);
  } catch (error) {
    throw new EventPatternError(`the event pattern is not JSON: ${(error as Error).message}`);
  }
  if (pattern === null || typeof pattern !== 'object' || Array.isArray(pattern)) throw new EventPatternError('the event pattern is not a JSON object');
  return matchObject(pattern as Record<string, unknown>, event);
}
