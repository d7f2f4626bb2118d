// The Investigation view's DOM-free logic: selection edits, the virtual table's window math, the
// timeline's scales and ticks, and formatting.
import * as assert from 'node:assert/strict';
import type { TableRow, TimelineBucket } from '../../../src/core/store/selection';
import {
  MAX_SCROLL_PX,
  RowCache,
  brushWindow,
  bucketIndexAt,
  bucketScale,
  bucketsInWindow,
  chipsOf,
  clearFacet,
  displayValue,
  facetEntries,
  formatCompact,
  formatCount,
  formatIsoTime,
  formatMs,
  formatRange,
  formatUtc,
  includeValue,
  isEmptySelection,
  maxVirtualTop,
  middleEllipsis,
  missingRange,
  nextSort,
  niceMax,
  removeChip,
  restoreViewState,
  rowsPerPage,
  sameSelection,
  scrollFromVirtualTop,
  scrollGeometry,
  seriesClass,
  setSearch,
  setTimeWindow,
  timeTicks,
  timeToX,
  toggleValue,
  valueState,
  virtualTopFromScroll,
  virtualTopToShow,
  visibleRows,
  xToTime,
} from '../../../src/webview/investigation/model';

const HOUR = 3_600_000;
const T0 = Date.UTC(2023, 6, 10, 0, 0, 0);

function buckets(n: number, step = HOUR, start = T0): TimelineBucket[] {
  return Array.from({ length: n }, (_, i) => ({ t: start + i * step, counts: [i + 1], sensitive: 0, errors: 0, detections: 0 }));
}

function row(id: number): TableRow {
  return { id, time: '2023-07-10T11:42:18Z', caller: 'alice', action: 'GetObject', source: 's3.amazonaws.com', ip: '10.0.0.1', outcome: 'success', region: 'us-east-1' };
}

describe('investigation view: selection edits', () => {
  it('a click includes a value, a second click removes it, and empty lists disappear', () => {
    const a = toggleValue({}, 'caller', 'alice', 'include');
    assert.deepEqual(a, { include: { caller: ['alice'] } });
    const b = toggleValue(a, 'caller', 'bob', 'include');
    assert.deepEqual(b.include?.caller, ['alice', 'bob']);
    assert.deepEqual(toggleValue(toggleValue(b, 'caller', 'alice', 'include'), 'caller', 'bob', 'include'), {});
  });

  it('excluding an included value moves it to exclude, and back', () => {
    const a = toggleValue({}, 'sourceIp', '1.2.3.4', 'include');
    const b = toggleValue(a, 'sourceIp', '1.2.3.4', 'exclude');
    assert.deepEqual(b, { exclude: { sourceIp: ['1.2.3.4'] } });
    assert.equal(valueState(b, 'sourceIp', '1.2.3.4'), 'exclude');
    const c = toggleValue(b, 'sourceIp', '1.2.3.4', 'include');
    assert.deepEqual(c, { include: { sourceIp: ['1.2.3.4'] } });
  });

  it('never mutates the selection it is given', () => {
    const a = { include: { caller: ['alice'] }, start: 5 };
    const frozen = JSON.stringify(a);
    toggleValue(a, 'caller', 'bob', 'include');
    toggleValue(a, 'caller', 'alice', 'exclude');
    clearFacet(a, 'caller');
    assert.equal(JSON.stringify(a), frozen);
  });

  it('keeps the empty value "" as a value of its own', () => {
    const a = toggleValue({}, 'errorCode', '', 'include');
    assert.deepEqual(a.include?.errorCode, ['']);
    assert.equal(displayValue(''), '(none)');
  });

  it('clears one facet, the time window and the search independently', () => {
    let s = toggleValue(toggleValue({}, 'caller', 'alice', 'include'), 'region', 'eu-west-1', 'exclude');
    s = setTimeWindow(setSearch(s, 'AssumeRole'), 10, 20);
    assert.deepEqual(clearFacet(s, 'caller'), { start: 10, end: 20, exclude: { region: ['eu-west-1'] }, search: 'AssumeRole' });
    assert.deepEqual(setTimeWindow(s, undefined, undefined).start, undefined);
    assert.equal(setSearch(s, '   ').search, undefined);
    assert.ok(isEmptySelection(clearFacet(clearFacet(setSearch(setTimeWindow(s, undefined, undefined), ''), 'caller'), 'region')));
  });

  it('includeValue (summary links) never removes a value already included', () => {
    const a = includeValue({}, 'caller', 'alice');
    assert.deepEqual(includeValue(a, 'caller', 'alice'), a);
    assert.deepEqual(includeValue(toggleValue({}, 'caller', 'alice', 'exclude'), 'caller', 'alice'), a);
  });

  it('compares selections by meaning, not key order', () => {
    assert.ok(sameSelection({ search: 'x', include: { caller: ['a'] } }, { include: { caller: ['a'] }, search: 'x', exclude: {} }));
    assert.ok(!sameSelection({ include: { caller: ['a'] } }, { exclude: { caller: ['a'] } }));
  });

  it('lists a chip for the time window, every value and the search, and removes each', () => {
    let s = setTimeWindow({}, T0, T0 + 2 * HOUR);
    s = toggleValue(s, 'caller', 'alice', 'include');
    s = toggleValue(s, 'eventName', 'DeleteTrail', 'exclude');
    s = setSearch(s, 'evil');
    const chips = chipsOf(s);
    assert.deepEqual(
      chips.map((c) => c.label),
      ['Time: 2023-07-10 00:00 – 02:00 UTC', 'Caller = alice', 'Event name ≠ DeleteTrail', 'Search: evil'],
    );
    let t = s;
    for (const chip of chips) t = removeChip(t, chip);
    assert.deepEqual(t, {});
  });

  it('shows control and bidi characters of hostile values as escapes in chips and labels', () => {
    const chips = chipsOf(toggleValue({}, 'caller', 'invoice\u202egpj.exe\x1b[2J', 'include'));
    assert.equal(chips[0].label, 'Caller = invoice\\u{202e}gpj.exe\\x1b[2J');
  });

  it('facet entries keep selected values the counts no longer hold, with count 0', () => {
    let s = toggleValue({}, 'caller', 'gone', 'exclude');
    s = toggleValue(s, 'caller', 'alice', 'include');
    const entries = facetEntries([{ value: 'alice', count: 5 }, { value: 'bob', count: 3 }], s, 'caller');
    assert.deepEqual(entries, [
      { value: 'alice', count: 5, state: 'include' },
      { value: 'bob', count: 3, state: undefined },
      { value: 'gone', count: 0, state: 'exclude' },
    ]);
  });

  it('restores a saved view state and drops what does not fit', () => {
    const restored = restoreViewState({
      selection: { start: 1, end: 'x', include: { caller: ['a', 3], bogus: ['b'] }, search: 7 },
      stackBy: 'region',
      sort: { column: 'caller', descending: true },
      scrollRow: 41.7,
    });
    assert.deepEqual(restored, { selection: { start: 1, include: { caller: ['a'] } }, stackBy: 'region', sort: { column: 'caller', descending: true }, scrollRow: 41 });
    assert.deepEqual(restoreViewState(undefined), { selection: {}, sort: { column: 'time', descending: false }, scrollRow: 0 });
    assert.deepEqual(restoreViewState({ stackBy: 'nope', sort: { column: 'evil' }, scrollRow: -3 }).sort, { column: 'time', descending: false });
  });

  it('a header click flips the direction of the sorted column and starts another ascending', () => {
    assert.deepEqual(nextSort({ column: 'time', descending: false }, 'time'), { column: 'time', descending: true });
    assert.deepEqual(nextSort({ column: 'time', descending: true }, 'caller'), { column: 'caller', descending: false });
  });
});

describe('investigation view: virtual table', () => {
  it('uses real pixels while the rows fit', () => {
    const g = scrollGeometry(1000, 22, 440);
    assert.equal(g.innerHeight, 22_000);
    assert.equal(g.factor, 1);
    assert.equal(virtualTopFromScroll(2200, g), 2200);
    assert.deepEqual(visibleRows(2200, g, 0), { first: 100, end: 120, offsetPx: 0 });
  });

  it('squeezes a million rows under the browser height limit and still reaches the last row', () => {
    const g = scrollGeometry(1_000_000, 22, 440);
    assert.equal(g.contentHeight, 22_000_000);
    assert.equal(g.innerHeight, MAX_SCROLL_PX);
    assert.ok(g.factor > 1);
    const maxScroll = g.innerHeight - g.viewportHeight;
    assert.equal(virtualTopFromScroll(maxScroll, g), maxVirtualTop(g));
    const last = visibleRows(virtualTopFromScroll(maxScroll, g), g, 0);
    assert.equal(last.end, 1_000_000);
    assert.equal(last.first, 1_000_000 - 20);
    // Half-way down the scrollbar is half-way through the rows.
    const mid = visibleRows(virtualTopFromScroll(maxScroll / 2, g), g, 0);
    assert.ok(Math.abs(mid.first - 500_000) <= 10, String(mid.first));
    // And the mapping goes both ways.
    assert.ok(Math.abs(scrollFromVirtualTop(virtualTopFromScroll(1234.5, g), g) - 1234.5) < 1e-6);
  });

  it('places a partly scrolled first row above the viewport, overscan included', () => {
    const g = scrollGeometry(1000, 20, 100);
    assert.deepEqual(visibleRows(105, g, 2), { first: 3, end: 13, offsetPx: 3 * 20 - 105 });
    assert.deepEqual(visibleRows(0, scrollGeometry(0, 20, 100), 2), { first: 0, end: 0, offsetPx: 0 });
  });

  it('scrolls as little as needed to show a row', () => {
    const g = scrollGeometry(1000, 20, 100);
    assert.equal(virtualTopToShow(2, 0, g), 0);
    assert.equal(virtualTopToShow(5, 0, g), 20);
    assert.equal(virtualTopToShow(3, 200, g), 60);
    assert.equal(virtualTopToShow(999, 0, g), 1000 * 20 - 100);
    assert.equal(rowsPerPage(g), 4);
  });

  it('asks for one aligned range spanning the missing windows only', () => {
    const have = new Set([200]);
    assert.deepEqual(missingRange(150, 260, 200, (o) => have.has(o)), { offset: 0, limit: 200 });
    assert.deepEqual(missingRange(390, 420, 200, (o) => have.has(o)), { offset: 400, limit: 200 });
    assert.deepEqual(missingRange(0, 700, 200, (o) => have.has(o)), { offset: 0, limit: 800 });
    assert.equal(missingRange(210, 390, 200, (o) => have.has(o)), undefined);
    assert.equal(missingRange(5, 5, 200, () => false), undefined);
    assert.deepEqual(missingRange(499_990, 500_040, 200, () => false), { offset: 499_800, limit: 400 });
  });

  it('caches windows, keeps a short last window, drops a short middle one, evicts the oldest', () => {
    const cache = new RowCache(10, 3);
    cache.put(0, Array.from({ length: 25 }, (_, i) => row(i)), 25);
    assert.ok(cache.has(0) && cache.has(10) && cache.has(20));
    assert.equal(cache.get(23)?.id, 23);
    cache.clear();
    cache.put(0, Array.from({ length: 15 }, (_, i) => row(i)), 100);
    assert.ok(cache.has(0));
    assert.ok(!cache.has(10), 'a short window that does not end the result is not complete');
    cache.put(10, Array.from({ length: 10 }, (_, i) => row(10 + i)), 100);
    cache.put(20, Array.from({ length: 10 }, (_, i) => row(20 + i)), 100);
    cache.touch(0);
    cache.put(30, Array.from({ length: 10 }, (_, i) => row(30 + i)), 100);
    assert.equal(cache.size, 3);
    assert.ok(cache.has(0) && !cache.has(10), 'the least recently used window goes');
    cache.put(5, [row(5)], 100);
    assert.ok(!cache.has(5), 'unaligned offsets are not stored');
    const empty = new RowCache(10);
    empty.put(0, [], 0);
    assert.ok(empty.has(0));
  });
});

describe('investigation view: timeline', () => {
  const bs = buckets(48);
  const scale = bucketScale(bs, HOUR, 40, 520);

  it('maps bucket boundaries to x and back', () => {
    assert.equal(timeToX(T0, scale), 40);
    assert.equal(timeToX(T0 + 48 * HOUR, scale), 520);
    assert.equal(xToTime(280, scale), T0 + 24 * HOUR);
  });

  it('finds the bucket under x, clamped at both ends', () => {
    assert.equal(bucketIndexAt(40, bs, HOUR, scale), 0);
    assert.equal(bucketIndexAt(49.9, bs, HOUR, scale), 0);
    assert.equal(bucketIndexAt(50, bs, HOUR, scale), 1);
    assert.equal(bucketIndexAt(0, bs, HOUR, scale), 0);
    assert.equal(bucketIndexAt(9999, bs, HOUR, scale), 47);
    assert.equal(bucketIndexAt(100, [], HOUR, scale), -1);
  });

  it('finds the nearer bucket between sparse buckets', () => {
    const sparse = [bs[0], bs[10]];
    const s = bucketScale(sparse, HOUR, 0, 110);
    assert.equal(bucketIndexAt(15, sparse, HOUR, s), 0);
    assert.equal(bucketIndexAt(95, sparse, HOUR, s), 1);
  });

  it('turns a brush in either direction into whole buckets', () => {
    assert.deepEqual(brushWindow(bs, HOUR, 5, 2), { start: T0 + 2 * HOUR, end: T0 + 6 * HOUR });
    assert.deepEqual(brushWindow(bs, HOUR, 3, 3), { start: T0 + 3 * HOUR, end: T0 + 4 * HOUR });
    assert.deepEqual(brushWindow(bs, HOUR, -4, 99), { start: T0, end: T0 + 48 * HOUR });
    assert.equal(brushWindow([], HOUR, 0, 1), undefined);
  });

  it('finds the buckets a time window covers', () => {
    assert.deepEqual(bucketsInWindow(bs, HOUR, T0 + 2 * HOUR, T0 + 4 * HOUR), [2, 3]);
    assert.deepEqual(bucketsInWindow(bs, HOUR, undefined, undefined), [0, 47]);
    assert.equal(bucketsInWindow(bs, HOUR, T0 + 100 * HOUR, undefined), undefined);
  });

  it('puts ticks on round UTC hours, with the date at midnight', () => {
    const ticks = timeTicks(T0 - HOUR / 2, T0 + 48 * HOUR, 10);
    assert.ok(ticks.length <= 10 && ticks.length >= 4);
    assert.equal(ticks[0].t, T0);
    assert.equal(ticks[0].label, 'Jul 10');
    for (const t of ticks) assert.equal(t.t % (6 * HOUR), 0);
    assert.deepEqual(ticks.slice(1, 3).map((t) => t.label), ['06:00', '12:00']);
    assert.deepEqual(timeTicks(T0 + 90_000, T0 + 150_000, 4).map((t) => t.label), ['00:01:30', '00:01:45', '00:02:00', '00:02:15', '00:02:30']);
  });

  it('uses days and then months for longer ranges', () => {
    const days = timeTicks(T0, T0 + 10 * 24 * HOUR, 6);
    assert.ok(days.every((t) => /^[A-Z][a-z]{2} \d+$/.test(t.label)));
    const months = timeTicks(Date.UTC(2023, 0, 15), Date.UTC(2024, 0, 15), 6);
    assert.deepEqual(months.map((t) => t.label), ['Apr 2023', 'Jul 2023', 'Oct 2023', '2024']);
    assert.deepEqual(timeTicks(5, 5, 10), []);
  });

  it('rounds the count axis up to 1, 2, 2.5 or 5 times a power of ten', () => {
    assert.equal(niceMax(0), 1);
    assert.equal(niceMax(7), 10);
    assert.equal(niceMax(20_833), 25_000);
    assert.equal(niceMax(41_000), 50_000);
    assert.equal(niceMax(100), 100);
  });

  it('gives "(other)" the neutral colour and wraps the palette', () => {
    assert.equal(seriesClass(0, 'alice'), 'series-0');
    assert.equal(seriesClass(7, 'x'), 'series-1');
    assert.equal(seriesClass(2, '(other)'), 'series-other');
  });
});

describe('investigation view: formatting', () => {
  it('formats counts with fixed separators, whatever the locale', () => {
    assert.equal(formatCount(0), '0');
    assert.equal(formatCount(999), '999');
    assert.equal(formatCount(1_000_000), '1,000,000');
    assert.equal(formatCount(-12345), '-12,345');
    assert.equal(formatCompact(950), '950');
    assert.equal(formatCompact(12_500), '12.5k');
    assert.equal(formatCompact(1_250_000), '1.3M');
    assert.equal(formatCompact(250_000), '250k');
  });

  it('formats reply times and UTC times', () => {
    assert.equal(formatMs(84.4), '84 ms');
    assert.equal(formatMs(1234), '1.2 s');
    assert.equal(formatUtc(Date.UTC(2023, 6, 10, 11, 42, 18)), '2023-07-10 11:42:18');
    assert.equal(formatUtc(Date.UTC(2023, 6, 10, 11, 0, 0), { minutes: true }), '2023-07-10 11:00');
    assert.equal(formatRange(T0, T0 + 26 * HOUR), '2023-07-10 00:00 – 2023-07-11 02:00 UTC');
    assert.equal(formatRange(undefined, undefined), 'all time');
    assert.equal(formatIsoTime('2023-07-10T11:42:18Z'), '2023-07-10 11:42:18');
    assert.equal(formatIsoTime('not a time\x1b'), 'not a time\\x1b');
  });
});

describe('investigation view: middle ellipsis', () => {
  it('keeps both ends of a long ARN and leaves short text alone', () => {
    const arn = 'arn:aws:sts::111122223333:assumed-role/Admin/alice';
    const short = middleEllipsis(arn, 30);
    assert.equal([...short].length, 30);
    assert.ok(short.startsWith('arn:aws:sts') && short.endsWith('role/Admin/alice'), short);
    assert.equal(middleEllipsis('alice', 30), 'alice');
    assert.equal(middleEllipsis('😀'.repeat(40), 10), `${'😀'.repeat(3)}…${'😀'.repeat(6)}`);
  });

  it('shortens chip values but keeps the whole value in the chip title', () => {
    const value = `arn:aws:iam::111122223333:user/${'x'.repeat(80)}/bert-jan`;
    const [chip] = chipsOf(toggleValue({}, 'caller', value, 'include'));
    assert.ok(chip.label.endsWith('/bert-jan') && chip.label.includes('…'));
    assert.equal(chip.title, `Caller = ${value}`);
  });
});
