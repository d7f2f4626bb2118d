// From a query's rows back to CloudTrail events, for "Open as Events" and "Load into Investigation".
// The whole event is best: a local result's eventids are looked up in the store, and an Athena
// result that selected eventid and "$path" names the log files to read them from. Otherwise the
// rows are rebuilt as events from the columns that carry CloudTrail's names (eventtime, eventname,
// useridentity…), and the caller says so, since such a record holds only what the query selected.
import { looksLikeRecord, type CloudTrailRecord } from '../events/records';
import { ATHENA_COLUMNS } from '../store/schema';
import { escapeControl } from '../text/safeText';
import type { TabularResult } from '../remote/queryResult';

/** Most events one action opens or loads (an event document is capped below this again). */
export const MAX_RESULT_EVENTS = 10_000;
/** Most log files read to find the events of a result by "$path". */
export const MAX_RESULT_FILES = 500;

function columnIndex(result: TabularResult, ...names: string[]): number {
  const wanted = names.map((n) => n.toLowerCase());
  return result.columns.findIndex((c) => wanted.includes(c.name.toLowerCase()));
}

/** The eventids of the rows (distinct, in row order), or undefined when the result has no eventid column. */
export function resultEventIds(result: TabularResult): string[] | undefined {
  const at = columnIndex(result, 'eventid');
  if (at < 0) return undefined;
  const ids = new Set<string>();
  for (const row of result.rows) {
    const v = row[at];
    if (typeof v === 'string' && v.length > 0 && v.length <= 200) ids.add(v);
    if (ids.size >= MAX_RESULT_EVENTS) break;
  }
  return [...ids];
}

/** The log files ("$path", s3:// URIs or local paths) of the rows, each with the eventids to take from it. */
export function resultEventFiles(result: TabularResult): Map<string, Set<string>> | undefined {
  const id = columnIndex(result, 'eventid');
  const file = columnIndex(result, '$path');
  if (id < 0 || file < 0) return undefined;
  const files = new Map<string, Set<string>>();
  let events = 0;
  for (const row of result.rows) {
    const e = row[id];
    const f = row[file];
    if (typeof e !== 'string' || typeof f !== 'string' || e.length === 0 || f.length === 0) continue;
    let ids = files.get(f);
    if (!ids) {
      if (files.size >= MAX_RESULT_FILES) continue;
      ids = new Set();
      files.set(f, ids);
    }
    ids.add(e);
    if (++events >= MAX_RESULT_EVENTS) break;
  }
  return files;
}

const KEY_OF = new Map(ATHENA_COLUMNS.map(([name, key, type]) => [name, { key, json: type === 'JSON' }]));
// Other spellings a query commonly gives the same fields.
const ALIASES: Record<string, string> = { event_ts: 'eventtime', principal: 'useridentity.arn', arn: 'useridentity.arn', accesskeyid: 'useridentity.accesskeyid', username: 'useridentity.username' };

function setPath(record: Record<string, unknown>, keys: string[], value: unknown): void {
  let at = record;
  for (const k of keys.slice(0, -1)) {
    const next = at[k];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) at[k] = {};
    at = at[k] as Record<string, unknown>;
  }
  at[keys[keys.length - 1]] = value;
}

const USER_IDENTITY_KEYS: Record<string, string> = { type: 'type', principalid: 'principalId', arn: 'arn', accountid: 'accountId', invokedby: 'invokedBy', accesskeyid: 'accessKeyId', username: 'userName' };

/**
 * Rows rebuilt as events from the columns named like CloudTrail's (Athena's lowercase names, their
 * camelCase keys, `useridentity.arn` as `principal`…). JSON text columns are parsed; a struct the
 * engine printed as text (Athena's `{type=IAMUser, …}`) is left out rather than guessed at. Rows
 * without an event time and name are not events and are counted as skipped.
 */
export function rebuildRecords(result: TabularResult): { records: CloudTrailRecord[]; skipped: number } {
  const plan = result.columns.map((c) => {
    const name = ALIASES[c.name.toLowerCase()] ?? c.name.toLowerCase();
    if (name.startsWith('useridentity.')) {
      const key = USER_IDENTITY_KEYS[name.slice('useridentity.'.length)];
      return key ? { keys: ['userIdentity', key], json: false } : undefined;
    }
    const known = KEY_OF.get(name);
    return known ? { keys: [known.key], json: known.json } : undefined;
  });
  const records: CloudTrailRecord[] = [];
  let skipped = 0;
  for (const row of result.rows) {
    if (records.length >= MAX_RESULT_EVENTS) break;
    const record: Record<string, unknown> = {};
    plan.forEach((p, i) => {
      if (!p) return;
      let v = row[i];
      if (v === null || v === undefined) return;
      if (p.json && typeof v === 'string') {
        try {
          v = JSON.parse(v);
        } catch {
          return;
        }
      }
      // A struct that came back as text (Athena) is not JSON; keep only what is.
      if (p.keys[0] === 'userIdentity' && p.keys.length === 1 && typeof v === 'string') {
        try {
          v = JSON.parse(v);
        } catch {
          return;
        }
      }
      setPath(record, p.keys, v);
    });
    if (looksLikeRecord(record)) records.push(record);
    else skipped++;
  }
  return { records, skipped };
}

/** The records of `records` whose eventID is in `ids`, in that order, without repeats. */
export function pickRecords(records: readonly CloudTrailRecord[], ids: ReadonlySet<string>): CloudTrailRecord[] {
  const seen = new Set<string>();
  return records.filter((r) => {
    const id = typeof r.eventID === 'string' ? r.eventID : undefined;
    if (!id || !ids.has(id) || seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/**
 * A plain-text table of the first rows, for the text/plain form of an output (what a notebook
 * viewer without the renderer shows). Control characters are escaped, since VS Code's text output
 * interprets terminal escape sequences.
 */
export function resultAsText(result: TabularResult, maxRows = 50, maxWidth = 60): string {
  const cut = (s: string) => {
    const t = escapeControl(s).replace(/\s+/g, ' ');
    return t.length > maxWidth ? `${t.slice(0, maxWidth - 1)}…` : t;
  };
  const head = result.columns.map((c) => cut(c.name));
  const body = result.rows.slice(0, maxRows).map((r) => result.columns.map((_, i) => cut(cellText(r[i]))));
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  const lines = [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  const count = `${result.rows.length.toLocaleString('en-US')}${result.truncated ? '+' : ''} row${result.rows.length === 1 ? '' : 's'}`;
  lines.push(result.rows.length > maxRows ? `(${count}, the first ${maxRows} shown)` : `(${count})`);
  const kept = result.stats?.keptIn;
  if (kept) lines.push(`All ${kept.rows.toLocaleString('en-US')} rows are in table ${escapeControl(kept.table)} of ${escapeControl(kept.investigation)}: query it from a Local cell.`);
  return lines.join('\n');
}
