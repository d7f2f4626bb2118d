// How one CloudTrail record becomes one line of the NDJSON that DuckDB loads: the record itself
// (DuckDB reads it into the Athena columns with an explicit schema) beside the columns every view
// needs, derived here with the same code the lenses and hovers use, so a caller or an IP class reads
// the same in a document and in an investigation.
import { sensitiveAction } from '../events/actions';
import { restoreLongNumbers } from '../events/exactNumbers';
import { accessKeyKind, callerOf } from '../events/identity';
import { classifySource } from '../events/ipAddress';
import { parseCloudTrailTime, recordEventName, recordEventSource, type CloudTrailRecord } from '../events/records';

/** Derived values per row; the keys are the NDJSON keys the schema reads (see schema.ts). */
export interface DerivedColumns {
  /** Event time, ms since the epoch, or null when it cannot be read. */
  t: number | null;
  ck: string;
  cl: string;
  ct: string;
  /** Source class: `public IPv4`, `private IPv4`, `AWS service`, `AWS Internal`, … */
  sc: string;
  /** Access key kind: `long-term`, `temporary`, `other`, or null without a key. */
  ak: string | null;
  /** `service:Action` of a sensitive action, and its tactic. */
  sa: string | null;
  ta: string | null;
}

/**
 * What derived values are cached by, per worker: a log set has few distinct callers, addresses and
 * actions and many events, and deriving them afresh for every event was most of the cost.
 */
export class DeriveCache {
  readonly sources = new Map<string, string>();
  readonly callers = new Map<string, { ck: string; cl: string; ct: string }>();
  readonly actions = new Map<string, { sa: string | null; ta: string | null }>();
}

const LIMIT = 100_000;

function remember<V>(map: Map<string, V>, key: string, value: V): V {
  if (map.size < LIMIT) map.set(key, value);
  return value;
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : typeof v === 'object' ? '[object]' : String(v);
}

/** Every field callerOf reads, so two records with the same key always have the same caller. */
function callerCacheKey(record: CloudTrailRecord): string | undefined {
  const id = record.userIdentity;
  if (typeof id !== 'object' || id === null) return undefined;
  return [id.type, id.arn, id.invokedBy, id.principalId, id.accountId, id.userName, id.onBehalfOf?.userId, id.sessionContext?.sessionIssuer?.userName].map(text).join('\u0000');
}

/** Derives the columns of a record. */
export function deriveColumns(record: CloudTrailRecord, cache: DeriveCache): DerivedColumns {
  const time = parseCloudTrailTime(record.eventTime);
  const callerKey = callerCacheKey(record);
  let caller = callerKey === undefined ? undefined : cache.callers.get(callerKey);
  if (!caller) {
    const c = callerOf(record);
    caller = { ck: c.key, cl: c.label, ct: c.type };
    if (callerKey !== undefined) remember(cache.callers, callerKey, caller);
  }
  const ip = typeof record.sourceIPAddress === 'string' ? record.sourceIPAddress : '';
  const sc = cache.sources.get(ip) ?? remember(cache.sources, ip, ip === '' ? 'none' : classifySource(ip).label);
  const key = record.userIdentity?.accessKeyId;
  const source = recordEventSource(record);
  const name = recordEventName(record);
  const actionKey = `${text(source)}\u0000${text(name)}`;
  let action = cache.actions.get(actionKey);
  if (!action) {
    const sensitive = sensitiveAction(source, name);
    action = remember(cache.actions, actionKey, { sa: sensitive ? `${(source ?? '').replace(/\.amazonaws\.com(\.cn)?$/, '')}:${name}` : null, ta: sensitive?.tactic ?? null });
  }
  return {
    t: Number.isNaN(time) ? null : time,
    ck: caller.ck,
    cl: caller.cl,
    ct: caller.ct,
    sc,
    ak: typeof key === 'string' && key !== '' ? accessKeyKind(key).kind : null,
    sa: action.sa,
    ta: action.ta,
  };
}

/** A record's detection as its line carries it: the title and level of its highest-level finding. */
export interface LineDetection {
  title: string;
  level: string;
}

/** The two keys of a line without a detection (the common case: written as one constant). */
const NO_DETECTION = '"dt":null,"dl":null,';

function detectionKeys(d: LineDetection | null | undefined): string {
  return d ? `"dt":${JSON.stringify(d.title)},"dl":${JSON.stringify(d.level)},` : NO_DETECTION;
}

/**
 * The start of a line: the derived columns, up to `"e":` where the record's JSON follows;
 * `detection` is the record's detection (dt, dl), when rules ran.
 */
export function linePrefix(record: CloudTrailRecord, source: number, position: number, cache: DeriveCache, detection?: LineDetection | null): string {
  const d = deriveColumns(record, cache);
  return (
    `{"s":${source},"p":${position},"t":${d.t === null ? 'null' : d.t},"ck":${JSON.stringify(d.ck)},"cl":${JSON.stringify(d.cl)},"ct":${JSON.stringify(d.ct)},"sc":${JSON.stringify(d.sc)},` +
    `"ak":${d.ak === null ? 'null' : JSON.stringify(d.ak)},"sa":${d.sa === null ? 'null' : JSON.stringify(d.sa)},"ta":${d.ta === null ? 'null' : JSON.stringify(d.ta)},${detectionKeys(detection)}"e":`
  );
}

/** One NDJSON line (without the newline) for the record at `position` of source `source`. */
export function storeLine(record: CloudTrailRecord, source: number, position: number, cache: DeriveCache, longNumbers: boolean, detection?: LineDetection | null): string {
  const json = JSON.stringify(record);
  return `${linePrefix(record, source, position, cache, detection)}${longNumbers ? restoreLongNumbers(json) : json}}`;
}

/**
 * The lines of a whole file as bytes. When `spans` gives each record's place in `text` (a log file
 * as CloudTrail writes it, valid UTF-8, each record on one line), the record's own bytes are copied
 * (exact, and far cheaper than JSON.stringify); otherwise each record is written anew.
 * `detections`, when given, holds each record's detection by position (null for none).
 */
export function fileLines(
  records: readonly CloudTrailRecord[],
  text: Buffer,
  spans: readonly number[] | undefined,
  source: number,
  cache: DeriveCache,
  longNumbers: boolean,
  detections?: readonly (LineDetection | null)[],
): Buffer {
  const copy = spans !== undefined && spans.length === records.length * 2 && spans.every((o, i) => i === 0 || o >= spans[i - 1]);
  if (copy) {
    const parts: Buffer[] = [];
    let onOneLine = true;
    for (let i = 0; i < records.length && onOneLine; i++) {
      const start = spans[2 * i];
      const end = spans[2 * i + 1];
      const nl = text.indexOf(0x0a, start);
      if (nl >= 0 && nl < end) onOneLine = false;
      else parts.push(Buffer.from(linePrefix(records[i], source, i, cache, detections?.[i])), text.subarray(start, end), CLOSE_LINE);
    }
    if (onOneLine) return Buffer.concat(parts);
  }
  const lines: string[] = [];
  records.forEach((record, position) => lines.push(storeLine(record, source, position, cache, longNumbers, detections?.[position])));
  return Buffer.from(lines.length > 0 ? lines.join('\n') + '\n' : '');
}

const CLOSE_LINE = Buffer.from('}\n');
