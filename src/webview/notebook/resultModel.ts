// The logic of the query results renderer that needs no DOM (unit tests run it in plain Node): which
// column is a time, the timeline's buckets, sorting, and how a value reads in a cell.
import { escapeControl } from '../../core/text/safeText';

export interface ResultColumnLike {
  name: string;
  type?: string;
}

const TIME_NAMES = new Set(['eventtime', 'event_ts', '@timestamp', 'time', 'timestamp_utc', 'first_seen', 'created_at', 'hour', 'day', 'minute']);
// ISO 8601 with a time, or a DuckDB/Trino timestamp: 2023-07-10T11:45:00Z, 2023-07-10 11:45:00.000
const TIME_TEXT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}| UTC)?$/;

/** Milliseconds since the epoch of a time value, or undefined. Text without a zone is UTC. */
export function timeOf(value: unknown): number | undefined {
  if (typeof value !== 'string' || !TIME_TEXT.test(value)) return undefined;
  let text = value.replace(' UTC', 'Z').replace(' ', 'T');
  if (!/(Z|[+-]\d{2}:?\d{2})$/.test(text)) text += 'Z';
  const t = Date.parse(text);
  if (Number.isNaN(t)) return undefined;
  // Date.parse rolls 2023-02-30 over to March; such a date is not a time.
  const [y, m, d] = value.slice(0, 10).split('-').map(Number);
  if (m < 1 || m > 12 || d < 1 || d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return undefined;
  return t;
}

/**
 * The column the timeline is drawn on: the first whose type is a timestamp or whose name is a usual
 * time name, and whose first non-null values read as times. Undefined when none does.
 */
export function timeColumn(columns: readonly ResultColumnLike[], rows: readonly unknown[][]): number | undefined {
  const candidates = columns.map((c, i) => ({ c, i })).filter(({ c }) => /timestamp|date/i.test(c.type ?? '') || TIME_NAMES.has(c.name.toLowerCase()));
  for (const { i } of candidates) {
    const sample = rows
      .map((r) => r[i])
      .filter((v) => v !== null && v !== undefined)
      .slice(0, 20);
    if (sample.length > 0 && sample.every((v) => timeOf(v) !== undefined)) return i;
  }
  return undefined;
}

export interface TimeBucket {
  start: number;
  count: number;
}

const STEPS = [1_000, 5_000, 15_000, 60_000, 300_000, 900_000, 3_600_000, 3 * 3_600_000, 6 * 3_600_000, 86_400_000, 7 * 86_400_000, 30 * 86_400_000];

/** Rows per interval of the time column, the interval picked so that there are at most `maxBuckets`. */
export function timeBuckets(rows: readonly unknown[][], column: number, maxBuckets = 60): { step: number; buckets: TimeBucket[] } {
  const times = rows.map((r) => timeOf(r[column])).filter((t): t is number => t !== undefined);
  if (times.length === 0) return { step: 0, buckets: [] };
  let min = Infinity;
  let max = -Infinity;
  for (const t of times) {
    if (t < min) min = t;
    if (t > max) max = t;
  }
  // Buckets start on whole intervals, so the count is of aligned intervals, not of the span.
  const fits = (s: number): boolean => Math.floor(max / s) - Math.floor(min / s) + 1 <= maxBuckets;
  const step = STEPS.find(fits) ?? Math.ceil((max - min + 1) / Math.max(1, maxBuckets - 1));
  const first = Math.floor(min / step) * step;
  const n = Math.floor((max - first) / step) + 1;
  const counts = new Array<number>(n).fill(0);
  for (const t of times) counts[Math.floor((t - first) / step)]++;
  return { step, buckets: counts.map((count, k) => ({ start: first + k * step, count })) };
}

/** A value as a cell shows it: text as is (control characters escaped), NULL, JSON for the rest. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return escapeControl(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return escapeControl(JSON.stringify(value));
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return 1; // NULLs last either way
  if (b === null || b === undefined) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = typeof a === 'string' ? a : JSON.stringify(a);
  const y = typeof b === 'string' ? b : JSON.stringify(b);
  // Digit strings (big integers, Logs Insights numbers) sort as numbers.
  if (/^-?\d+(\.\d+)?$/.test(x) && /^-?\d+(\.\d+)?$/.test(y)) return Number(x) - Number(y);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Row indexes in the order of `column` (undefined: as the query returned them). */
export function sortedOrder(rows: readonly unknown[][], column: number | undefined, descending: boolean): number[] {
  const order = rows.map((_, i) => i);
  if (column === undefined) return order;
  order.sort((i, j) => {
    const a = rows[i][column];
    const b = rows[j][column];
    if (a === null || a === undefined || b === null || b === undefined) return compareValues(a, b) || i - j;
    return (descending ? -compareValues(a, b) : compareValues(a, b)) || i - j;
  });
  return order;
}

/** What the summary line reads of a result's statistics (src/core/remote/queryResult.ts QueryStats). */
export interface SummaryStats {
  engine?: string;
  elapsedMs?: number;
  bytesScanned?: number;
  cost?: string;
  recordsMatched?: number;
  recordsScanned?: number;
  keptIn?: { table: string; rows: number; investigation: string };
  notKept?: string;
}

/** The line above the table: rows, where they ran, what the query cost, and where a large result was kept. */
export function summaryLine(result: { rows: readonly unknown[]; truncated: boolean; stats?: SummaryStats }, engineLabel: string): string {
  const n = result.rows.length;
  const kept = result.stats?.keptIn;
  const count = kept && result.truncated ? `${n.toLocaleString('en-US')} of ${kept.rows.toLocaleString('en-US')} rows shown` : `${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'}${result.truncated ? ' (cut at the row limit)' : ''}`;
  const parts = [count, engineLabel];
  const s = result.stats;
  if (s?.elapsedMs !== undefined) parts.push(`${(s.elapsedMs / 1000).toFixed(s.elapsedMs < 10_000 ? 2 : 0)} s`);
  if (s?.cost) parts.push(s.cost);
  else if (s?.bytesScanned !== undefined) parts.push(`${(s.bytesScanned / 1024 / 1024).toFixed(1)} MB scanned`);
  if (s?.recordsScanned !== undefined) parts.push(`${(s.recordsMatched ?? 0).toLocaleString('en-US')} of ${s.recordsScanned.toLocaleString('en-US')} records matched`);
  if (kept) parts.push(`all ${kept.rows.toLocaleString('en-US')} in table ${kept.table} of ${kept.investigation}: query it from a Local cell`);
  else if (s?.notKept && result.truncated) parts.push(`not kept locally: ${s.notKept}`);
  return parts.join(' · ');
}
