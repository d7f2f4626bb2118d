// The Investigation view's logic that needs no DOM: selection edits, the virtual table's window
// math, the timeline's scales and ticks, and number and time formatting. Unit tests run it in plain
// Node, so nothing here may touch `window` or `document`.
import { FACETS, FACET_LABELS, TABLE_COLUMNS } from '../../core/store/selection';
import type { FacetKey, FacetValue, Selection, TableRow, TableSort, TimelineBucket } from '../../core/store/selection';
import type { ViewState } from '../../extension/investigation/protocol';
import { escapeControl } from '../../core/text/safeText';

export type FilterMode = 'include' | 'exclude';

// ---------------------------------------------------------------------------------------------
// Selection edits. A Selection is never mutated: every edit returns a new one with empty lists and
// empty maps dropped, so two selections that mean the same thing serialize the same.

export const DEFAULT_SORT: TableSort = { column: 'time', descending: false };

export function defaultViewState(): ViewState {
  return { selection: {}, sort: { ...DEFAULT_SORT }, scrollRow: 0 };
}

function copyFilters(map: Partial<Record<FacetKey, string[]>> | undefined): Partial<Record<FacetKey, string[]>> {
  const out: Partial<Record<FacetKey, string[]>> = {};
  for (const key of FACETS) {
    const values = map?.[key];
    if (values && values.length > 0) out[key] = [...values];
  }
  return out;
}

function tidy(selection: Selection): Selection {
  const out: Selection = {};
  if (selection.start !== undefined) out.start = selection.start;
  if (selection.end !== undefined) out.end = selection.end;
  const include = copyFilters(selection.include);
  const exclude = copyFilters(selection.exclude);
  if (Object.keys(include).length > 0) out.include = include;
  if (Object.keys(exclude).length > 0) out.exclude = exclude;
  if (selection.search) out.search = selection.search;
  return out;
}

/** Whether `value` of facet `key` is included, excluded or neither. */
export function valueState(selection: Selection, key: FacetKey, value: string): FilterMode | undefined {
  if (selection.include?.[key]?.includes(value)) return 'include';
  if (selection.exclude?.[key]?.includes(value)) return 'exclude';
  return undefined;
}

/**
 * Toggles a facet value in `mode`: a value already in that mode leaves it; otherwise it enters it
 * (and leaves the other mode, as a value cannot be both included and excluded).
 */
export function toggleValue(selection: Selection, key: FacetKey, value: string, mode: FilterMode): Selection {
  const include = copyFilters(selection.include);
  const exclude = copyFilters(selection.exclude);
  const target = mode === 'include' ? include : exclude;
  const other = mode === 'include' ? exclude : include;
  const current = target[key] ?? [];
  if (current.includes(value)) {
    target[key] = current.filter((v) => v !== value);
  } else {
    target[key] = [...current, value];
    other[key] = (other[key] ?? []).filter((v) => v !== value);
  }
  return tidy({ ...selection, include, exclude });
}

/** Includes `value` (used by the summary's caller links): unlike toggleValue it never removes it. */
export function includeValue(selection: Selection, key: FacetKey, value: string): Selection {
  return valueState(selection, key, value) === 'include' ? tidy(selection) : toggleValue(selection, key, value, 'include');
}

export function removeValue(selection: Selection, key: FacetKey, value: string): Selection {
  const include = copyFilters(selection.include);
  const exclude = copyFilters(selection.exclude);
  if (include[key]) include[key] = include[key].filter((v) => v !== value);
  if (exclude[key]) exclude[key] = exclude[key].filter((v) => v !== value);
  return tidy({ ...selection, include, exclude });
}

export function clearFacet(selection: Selection, key: FacetKey): Selection {
  const include = copyFilters(selection.include);
  const exclude = copyFilters(selection.exclude);
  delete include[key];
  delete exclude[key];
  return tidy({ ...selection, include, exclude });
}

export function facetHasFilter(selection: Selection, key: FacetKey): boolean {
  return (selection.include?.[key]?.length ?? 0) > 0 || (selection.exclude?.[key]?.length ?? 0) > 0;
}

export function setTimeWindow(selection: Selection, start: number | undefined, end: number | undefined): Selection {
  return tidy({ ...selection, start, end });
}

export function setSearch(selection: Selection, search: string): Selection {
  return tidy({ ...selection, search: search.trim() === '' ? undefined : search });
}

export function isEmptySelection(selection: Selection): boolean {
  return Object.keys(tidy(selection)).length === 0;
}

/** Same meaning, whatever the order of keys (values keep their order: it is the user's). */
export function sameSelection(a: Selection, b: Selection): boolean {
  return canonicalJson(tidy(a)) === canonicalJson(tidy(b));
}

function canonicalJson(selection: Selection): string {
  const ordered = (map: Partial<Record<FacetKey, string[]>> | undefined) => (map ? FACETS.filter((k) => map[k]).map((k) => [k, map[k]]) : undefined);
  return JSON.stringify([selection.start, selection.end, ordered(selection.include), ordered(selection.exclude), selection.search]);
}

/** One removable chip above the table. */
export type Chip =
  | { kind: 'include' | 'exclude'; key: FacetKey; value: string; label: string; title: string }
  | { kind: 'time'; label: string; title: string }
  | { kind: 'search'; label: string; title: string };

/** Characters of a value a chip shows before cutting its middle out. */
const CHIP_VALUE_CHARS = 48;

export function chipsOf(selection: Selection): Chip[] {
  const chips: Chip[] = [];
  if (selection.start !== undefined || selection.end !== undefined) {
    const label = `Time: ${formatRange(selection.start, selection.end)}`;
    chips.push({ kind: 'time', label, title: label });
  }
  for (const key of FACETS) {
    for (const value of selection.include?.[key] ?? []) {
      const shown = displayValue(value);
      chips.push({ kind: 'include', key, value, label: `${FACET_LABELS[key]} = ${middleEllipsis(shown, CHIP_VALUE_CHARS)}`, title: `${FACET_LABELS[key]} = ${shown}` });
    }
    for (const value of selection.exclude?.[key] ?? []) {
      const shown = displayValue(value);
      chips.push({ kind: 'exclude', key, value, label: `${FACET_LABELS[key]} ≠ ${middleEllipsis(shown, CHIP_VALUE_CHARS)}`, title: `${FACET_LABELS[key]} ≠ ${shown}` });
    }
  }
  if (selection.search) {
    const shown = escapeControl(selection.search);
    chips.push({ kind: 'search', label: `Search: ${middleEllipsis(shown, CHIP_VALUE_CHARS)}`, title: `Search: ${shown}` });
  }
  return chips;
}

export function removeChip(selection: Selection, chip: Chip): Selection {
  switch (chip.kind) {
    case 'time':
      return setTimeWindow(selection, undefined, undefined);
    case 'search':
      return setSearch(selection, '');
    default:
      return removeValue(selection, chip.key, chip.value);
  }
}

/** A facet value as a list shows it, with its state in the selection. */
export interface FacetEntry {
  value: string;
  count: number;
  state?: FilterMode;
  label?: string;
}

/**
 * The values a facet panel lists: the counted ones, then every value of the selection that the
 * counts no longer hold (an excluded value counts 0 by definition, and must stay visible to be
 * removed).
 */
export function facetEntries(values: readonly FacetValue[], selection: Selection, key: FacetKey): FacetEntry[] {
  const seen = new Set<string>();
  const out: FacetEntry[] = [];
  for (const { value, count, label } of values) {
    if (seen.has(value)) continue;
    seen.add(value);
    out.push({ value, count, state: valueState(selection, key, value), ...(label !== undefined && label !== value ? { label } : {}) });
  }
  for (const value of [...(selection.include?.[key] ?? []), ...(selection.exclude?.[key] ?? [])]) {
    if (seen.has(value)) continue;
    seen.add(value);
    out.push({ value, count: 0, state: valueState(selection, key, value) });
  }
  return out;
}

/** How a value from the logs is shown: "(none)" when empty, control and bidi characters escaped. */
export function displayValue(value: string): string {
  if (value === '') return '(none)';
  return escapeControl(value);
}

/**
 * Shortens text to at most `max` characters by cutting out its middle: an ARN's account and its
 * role or user name both stay readable ("arn:aws:sts::1111…role/Admin/alice"), where cutting the
 * end would leave the same prefix on every row. The tail keeps the larger share.
 */
export function middleEllipsis(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max || max < 5) return text;
  const head = Math.floor((max - 1) * 0.4);
  const tail = max - 1 - head;
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`;
}

/**
 * Checks a ViewState read back from `getState()`: an older build may have saved another shape, so
 * anything that does not fit falls back to the default rather than reaching the host.
 */
export function restoreViewState(saved: unknown): ViewState {
  const state = defaultViewState();
  if (!saved || typeof saved !== 'object') return state;
  const s = saved as Record<string, unknown>;
  const sel = s.selection;
  if (sel && typeof sel === 'object') {
    const raw = sel as Record<string, unknown>;
    const filters = (m: unknown): Partial<Record<FacetKey, string[]>> | undefined => {
      if (!m || typeof m !== 'object') return undefined;
      const out: Partial<Record<FacetKey, string[]>> = {};
      for (const key of FACETS) {
        const v = (m as Record<string, unknown>)[key];
        if (Array.isArray(v)) out[key] = v.filter((x): x is string => typeof x === 'string');
      }
      return out;
    };
    state.selection = tidy({
      start: isFiniteNumber(raw.start) ? raw.start : undefined,
      end: isFiniteNumber(raw.end) ? raw.end : undefined,
      include: filters(raw.include),
      exclude: filters(raw.exclude),
      search: typeof raw.search === 'string' ? raw.search : undefined,
    });
  }
  if (typeof s.stackBy === 'string' && (FACETS as readonly string[]).includes(s.stackBy)) state.stackBy = s.stackBy as FacetKey;
  const sort = s.sort as Record<string, unknown> | undefined;
  if (sort && typeof sort.column === 'string' && (TABLE_COLUMNS as readonly string[]).includes(sort.column)) {
    state.sort = { column: sort.column as TableSort['column'], descending: sort.descending === true };
  }
  if (isFiniteNumber(s.scrollRow) && s.scrollRow >= 0) state.scrollRow = Math.floor(s.scrollRow);
  return state;
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** The sort after a click on a column header: the same column flips direction, another starts ascending. */
export function nextSort(sort: TableSort, column: TableSort['column']): TableSort {
  return sort.column === column ? { column, descending: !sort.descending } : { column, descending: false };
}

// ---------------------------------------------------------------------------------------------
// The virtual table. Rows have one fixed height; the scroll container's content is total × height
// tall, except that browsers cap an element's height (Chromium at about 16.7 million px, Firefox
// lower), so past MAX_SCROLL_PX the content is squeezed and scroll positions are scaled.

export const MAX_SCROLL_PX = 15_000_000;

export interface ScrollGeometry {
  total: number;
  rowHeight: number;
  viewportHeight: number;
  /** Height the rows would need. */
  contentHeight: number;
  /** Height the scroll container's content is given (≤ MAX_SCROLL_PX). */
  innerHeight: number;
  /** Virtual pixels per scroll pixel (1 when nothing is squeezed). */
  factor: number;
}

export function scrollGeometry(total: number, rowHeight: number, viewportHeight: number, maxPx = MAX_SCROLL_PX): ScrollGeometry {
  const contentHeight = Math.max(0, total) * rowHeight;
  const innerHeight = Math.min(contentHeight, maxPx);
  let factor = 1;
  if (contentHeight > innerHeight && innerHeight > viewportHeight) {
    factor = (contentHeight - viewportHeight) / (innerHeight - viewportHeight);
  }
  return { total, rowHeight, viewportHeight, contentHeight, innerHeight, factor };
}

/** The largest virtual top: the last row's bottom at the viewport's bottom. */
export function maxVirtualTop(g: ScrollGeometry): number {
  return Math.max(0, g.contentHeight - g.viewportHeight);
}

export function virtualTopFromScroll(scrollTop: number, g: ScrollGeometry): number {
  return clamp(scrollTop * g.factor, 0, maxVirtualTop(g));
}

export function scrollFromVirtualTop(virtualTop: number, g: ScrollGeometry): number {
  return clamp(virtualTop, 0, maxVirtualTop(g)) / g.factor;
}

export interface VisibleRows {
  /** First and one-past-last row to render, overscan included. */
  first: number;
  end: number;
  /** Where the `first` row's top sits relative to the viewport's top (≤ 0). */
  offsetPx: number;
}

export function visibleRows(virtualTop: number, g: ScrollGeometry, overscan: number): VisibleRows {
  if (g.total <= 0 || g.rowHeight <= 0) return { first: 0, end: 0, offsetPx: 0 };
  const top = clamp(virtualTop, 0, maxVirtualTop(g));
  const firstVisible = Math.floor(top / g.rowHeight);
  const endVisible = Math.min(g.total, Math.ceil((top + g.viewportHeight) / g.rowHeight));
  const first = Math.max(0, firstVisible - overscan);
  const end = Math.min(g.total, Math.max(endVisible, firstVisible + 1) + overscan);
  return { first, end, offsetPx: first * g.rowHeight - top };
}

/** The virtual top that brings `row` into view, moving as little as possible. */
export function virtualTopToShow(row: number, virtualTop: number, g: ScrollGeometry): number {
  const rowTop = row * g.rowHeight;
  const rowBottom = rowTop + g.rowHeight;
  if (rowTop < virtualTop) return clamp(rowTop, 0, maxVirtualTop(g));
  if (rowBottom > virtualTop + g.viewportHeight) return clamp(rowBottom - g.viewportHeight, 0, maxVirtualTop(g));
  return virtualTop;
}

/** Rows a page moves (PageUp/PageDown): the whole rows that fit, at least one. */
export function rowsPerPage(g: ScrollGeometry): number {
  return Math.max(1, Math.floor(g.viewportHeight / g.rowHeight) - 1);
}

/**
 * The one request that fetches the windows of [first, end) not in the cache: windows are aligned
 * to `limit`, and the request spans from the first missing window to the last missing one (at most
 * a few windows, as a viewport holds far fewer rows than a window).
 */
export function missingRange(first: number, end: number, limit: number, have: (offset: number) => boolean): { offset: number; limit: number } | undefined {
  if (end <= first) return undefined;
  let lo: number | undefined;
  let hi: number | undefined;
  for (let offset = Math.floor(first / limit) * limit; offset < end; offset += limit) {
    if (have(offset)) continue;
    if (lo === undefined) lo = offset;
    hi = offset;
  }
  if (lo === undefined || hi === undefined) return undefined;
  return { offset: lo, limit: hi - lo + limit };
}

/** Received rows, in windows of `windowSize` aligned to it; the oldest windows go past `maxWindows`. */
export class RowCache {
  private readonly windows = new Map<number, TableRow[]>();

  constructor(
    readonly windowSize: number,
    private readonly maxWindows = 100,
  ) {}

  has(offset: number): boolean {
    return this.windows.has(offset);
  }

  get(index: number): TableRow | undefined {
    const offset = Math.floor(index / this.windowSize) * this.windowSize;
    return this.windows.get(offset)?.[index - offset];
  }

  /**
   * Stores rows that start at `offset` (a multiple of the window size), split into windows. A short
   * window is kept only when it ends the result (`total`): otherwise it would read as complete.
   */
  put(offset: number, rows: readonly TableRow[], total: number): void {
    if (offset % this.windowSize !== 0) return;
    if (rows.length === 0 && offset >= total) {
      this.set(offset, []);
    }
    for (let i = 0; i < rows.length; i += this.windowSize) {
      const at = offset + i;
      const chunk = rows.slice(i, i + this.windowSize);
      if (chunk.length < this.windowSize && at + chunk.length < total) continue;
      this.set(at, chunk);
    }
  }

  private set(offset: number, rows: TableRow[]): void {
    this.windows.delete(offset);
    this.windows.set(offset, rows);
    while (this.windows.size > this.maxWindows) {
      const oldest = this.windows.keys().next().value as number;
      this.windows.delete(oldest);
    }
  }

  /** Marks a window as recently used, so eviction keeps what is on screen. */
  touch(offset: number): void {
    const rows = this.windows.get(offset);
    if (!rows) return;
    this.windows.delete(offset);
    this.windows.set(offset, rows);
  }

  clear(): void {
    this.windows.clear();
  }

  get size(): number {
    return this.windows.size;
  }
}

// ---------------------------------------------------------------------------------------------
// The timeline.

export interface TimeScale {
  t0: number;
  t1: number;
  x0: number;
  x1: number;
}

export function timeToX(t: number, s: TimeScale): number {
  if (s.t1 === s.t0) return s.x0;
  return s.x0 + ((t - s.t0) / (s.t1 - s.t0)) * (s.x1 - s.x0);
}

export function xToTime(x: number, s: TimeScale): number {
  if (s.x1 === s.x0) return s.t0;
  return s.t0 + ((x - s.x0) / (s.x1 - s.x0)) * (s.t1 - s.t0);
}

/** The time scale of a bucket list: from the first bucket's start to the last bucket's end. */
export function bucketScale(buckets: readonly TimelineBucket[], bucketMs: number, x0: number, x1: number): TimeScale {
  if (buckets.length === 0) return { t0: 0, t1: 1, x0, x1 };
  return { t0: buckets[0].t, t1: buckets[buckets.length - 1].t + bucketMs, x0, x1 };
}

/** The bucket under x (clamped to the first and last bucket), or -1 when there is none. */
export function bucketIndexAt(x: number, buckets: readonly TimelineBucket[], bucketMs: number, s: TimeScale): number {
  if (buckets.length === 0) return -1;
  const t = xToTime(x, s);
  // Buckets are sorted and usually dense, but may skip empty ones: binary search the last start ≤ t.
  let lo = 0;
  let hi = buckets.length - 1;
  if (t < buckets[0].t) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (buckets[mid].t <= t) lo = mid;
    else hi = mid - 1;
  }
  // Between two sparse buckets, past the end of the earlier one: take the nearer.
  if (lo + 1 < buckets.length && t >= buckets[lo].t + bucketMs && buckets[lo + 1].t - t < t - (buckets[lo].t + bucketMs)) return lo + 1;
  return lo;
}

/** The time window a brush from bucket i to bucket j (either order) selects: whole buckets. */
export function brushWindow(buckets: readonly TimelineBucket[], bucketMs: number, i: number, j: number): { start: number; end: number } | undefined {
  if (buckets.length === 0) return undefined;
  const a = clamp(Math.min(i, j), 0, buckets.length - 1);
  const b = clamp(Math.max(i, j), 0, buckets.length - 1);
  return { start: buckets[a].t, end: buckets[b].t + bucketMs };
}

/** The buckets a time window covers, as an index range [first, last], or undefined when none. */
export function bucketsInWindow(buckets: readonly TimelineBucket[], bucketMs: number, start: number | undefined, end: number | undefined): [number, number] | undefined {
  let first = -1;
  let last = -1;
  for (let i = 0; i < buckets.length; i++) {
    const b = buckets[i];
    if ((start === undefined || b.t + bucketMs > start) && (end === undefined || b.t < end)) {
      if (first < 0) first = i;
      last = i;
    }
  }
  return first < 0 ? undefined : [first, last];
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const TICK_STEPS = [SECOND, 5 * SECOND, 15 * SECOND, 30 * SECOND, MINUTE, 5 * MINUTE, 15 * MINUTE, 30 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface Tick {
  t: number;
  label: string;
}

/**
 * At most `maxTicks` ticks on round UTC times between t0 and t1: seconds, minutes and hours label
 * as "HH:MM" (or "HH:MM:SS"), with the date instead ("Jul 10") where a tick falls on midnight;
 * day steps label with the date; longer ranges step by months ("Jul 2023").
 */
export function timeTicks(t0: number, t1: number, maxTicks: number): Tick[] {
  if (!(t1 > t0) || maxTicks < 1) return [];
  const span = t1 - t0;
  const step = TICK_STEPS.find((s) => span / s <= maxTicks);
  if (step === undefined) return monthTicks(t0, t1, maxTicks);
  const ticks: Tick[] = [];
  // Steps are aligned to the epoch, which puts minutes, hours and days on round UTC boundaries.
  for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
    ticks.push({ t, label: tickLabel(t, step) });
  }
  return ticks;
}

function tickLabel(t: number, step: number): string {
  const d = new Date(t);
  const date = `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
  if (step >= DAY) return date;
  if (t % DAY === 0) return date;
  const hm = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
  return step < MINUTE ? `${hm}:${pad2(d.getUTCSeconds())}` : hm;
}

function monthTicks(t0: number, t1: number, maxTicks: number): Tick[] {
  const start = new Date(t0);
  let year = start.getUTCFullYear();
  let month = start.getUTCMonth();
  const months = (t1 - t0) / (30 * DAY);
  const step = [1, 2, 3, 6, 12, 24, 60, 120].find((s) => months / s <= maxTicks) ?? 120;
  month = Math.ceil(month / step) * step;
  const ticks: Tick[] = [];
  for (;;) {
    const t = Date.UTC(year, month, 1);
    if (t > t1) break;
    if (t >= t0) ticks.push({ t, label: month % 12 === 0 || step >= 12 ? `${new Date(t).getUTCFullYear()}` : `${MONTHS[new Date(t).getUTCMonth()]} ${new Date(t).getUTCFullYear()}` });
    month += step;
    if (month >= 12) {
      year += Math.floor(month / 12);
      month %= 12;
    }
  }
  return ticks;
}

/** A round number ≥ n for the top of a count axis: 1, 2, 2.5 or 5 times a power of ten. */
export function niceMax(n: number): number {
  if (!(n > 0)) return 1;
  const power = Math.pow(10, Math.floor(Math.log10(n)));
  for (const m of [1, 2, 2.5, 5, 10]) {
    if (m * power >= n) return m * power;
  }
  return 10 * power;
}

/** The colour class of a series: a fixed palette by position, a neutral colour for "(other)". */
export const PALETTE_SIZE = 6;
export function seriesClass(index: number, name: string): string {
  return name === '(other)' ? 'series-other' : `series-${index % PALETTE_SIZE}`;
}

// ---------------------------------------------------------------------------------------------
// Formatting. Fixed formats, not the locale's: the view must read the same in every test and
// screenshot, and CloudTrail times are UTC.

/** 1234567 → "1,234,567". */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const sign = n < 0 ? '-' : '';
  const digits = String(Math.round(Math.abs(n)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 1234567 → "1.2M", 12345 → "12k", 999 → "999": for axis labels where space is short. */
export function formatCompact(n: number): string {
  const a = Math.abs(n);
  const sign = n < 0 ? '-' : '';
  const unit = (value: number, suffix: string) => {
    const text = value >= 100 ? value.toFixed(0) : value.toFixed(1).replace(/\.0$/, '');
    return sign + text + suffix;
  };
  if (a >= 1e9) return unit(a / 1e9, 'G');
  if (a >= 1e6) return unit(a / 1e6, 'M');
  if (a >= 1e4) return unit(a / 1e3, 'k');
  return formatCount(n);
}

/** A reply's time, for the status line: "84 ms", "1.2 s". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
}

/** "2023-07-10 11:42:18" (UTC; seconds dropped when `minutes` is set and they are zero). */
export function formatUtc(ms: number, options: { minutes?: boolean } = {}): string {
  if (!Number.isFinite(ms)) return '';
  const d = new Date(ms);
  const date = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
  const hm = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
  if (options.minutes && d.getUTCSeconds() === 0 && d.getUTCMilliseconds() === 0) return `${date} ${hm}`;
  return `${date} ${hm}:${pad2(d.getUTCSeconds())}`;
}

/** A time window: "2023-07-10 11:00 – 13:00 UTC" (the end's date only when it differs). */
export function formatRange(start: number | undefined, end: number | undefined): string {
  if (start === undefined && end === undefined) return 'all time';
  if (start === undefined) return `before ${formatUtc(end as number, { minutes: true })} UTC`;
  if (end === undefined) return `from ${formatUtc(start, { minutes: true })} UTC`;
  const a = formatUtc(start, { minutes: true });
  const b = formatUtc(end, { minutes: true });
  const sameDay = a.slice(0, 10) === b.slice(0, 10);
  return `${a} – ${sameDay ? b.slice(11) : b} UTC`;
}

/** CloudTrail's ISO time as the table shows it: "2023-07-10 11:42:18" (UTC, the zone in the header). */
export function formatIsoTime(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : escapeControl(iso);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

export function clamp(n: number, lo: number, hi: number): number {
  return n < lo ? lo : n > hi ? hi : n;
}
