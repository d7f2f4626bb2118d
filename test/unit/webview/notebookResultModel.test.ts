// The query results renderer's DOM-free logic: which column the timeline is drawn on, its buckets,
// how a cell reads, how a column sorts, and the summary line above the table.
import * as assert from 'node:assert/strict';
import { cellText, sortedOrder, summaryLine, timeBuckets, timeColumn, timeOf } from '../../../src/webview/notebook/resultModel';

const T0 = Date.UTC(2023, 6, 14, 10, 0, 0);

describe('Query results renderer', () => {
  describe('times', () => {
    it('reads ISO 8601 times, with or without a zone, and Athena and DuckDB timestamps, as UTC', () => {
      assert.equal(timeOf('2023-07-14T10:00:00Z'), T0);
      assert.equal(timeOf('2023-07-14T10:00:00.250Z'), T0 + 250);
      assert.equal(timeOf('2023-07-14T12:00:00+02:00'), T0);
      assert.equal(timeOf('2023-07-14T10:00:00'), T0, 'no zone is UTC');
      assert.equal(timeOf('2023-07-14 10:00:00.000'), T0);
      assert.equal(timeOf('2023-07-14 10:00:00.000 UTC'), T0);
      assert.equal(timeOf('2023-07-14T10:00'), T0);
    });

    it('reads no time from dates alone, numbers or text', () => {
      for (const value of ['2023-07-14', '10:00:00', 'yesterday', '2023-07-14T10:00:00Z trailing', '', 'ConsoleLogin', 1689328800000, null, undefined, { eventTime: '2023-07-14T10:00:00Z' }]) {
        assert.equal(timeOf(value), undefined, JSON.stringify(value));
      }
      assert.equal(timeOf('2023-13-01T00:00:00Z'), undefined, 'month 13');
      assert.equal(timeOf('2023-02-30T00:00:00Z'), undefined, 'February 30th is not rolled over to March');
      assert.equal(timeOf('2024-02-29T00:00:00Z'), Date.UTC(2024, 1, 29), 'a leap day is a day');
    });
  });

  describe('the time column', () => {
    const rows = [
      ['ConsoleLogin', '2023-07-14 10:00:00.000', '2023-07-14T10:00:00Z'],
      ['GetObject', null, '2023-07-14T10:05:00Z'],
    ];

    it('is the first column with a time name or a timestamp type whose values are times', () => {
      assert.equal(timeColumn([{ name: 'eventname' }, { name: 'event_ts', type: 'timestamp' }, { name: 'eventtime' }], rows), 1);
      assert.equal(timeColumn([{ name: 'eventname' }, { name: 'first' }, { name: 'EventTime' }], rows), 2, 'by name, in any case');
      assert.equal(timeColumn([{ name: 'eventname' }, { name: 'when', type: 'timestamp(3) with time zone' }, { name: 'x' }], rows), 1, 'by type');
    });

    it('is not a column whose name says time but whose values are not times', () => {
      const columns = [{ name: 'hour' }, { name: 'eventtime' }];
      assert.equal(timeColumn(columns, [[10, '2023-07-14T10:00:00Z']]), 1);
      assert.equal(timeColumn([{ name: 'eventtime' }], [['soon'], ['2023-07-14T10:00:00Z']]), undefined);
    });

    it('is none when no column is named or typed as a time, or every value is NULL', () => {
      assert.equal(timeColumn([{ name: 'eventname' }, { name: 'when' }], [['ConsoleLogin', '2023-07-14T10:00:00Z']]), undefined);
      assert.equal(timeColumn([{ name: 'eventtime' }], [[null], [null]]), undefined);
      assert.equal(timeColumn([{ name: 'eventtime' }], []), undefined);
    });
  });

  describe('the timeline buckets', () => {
    const at = (ms: number) => [new Date(ms).toISOString()];

    it('counts the rows per minute over an hour, and the counts add up to the rows', () => {
      const rows = [at(T0), at(T0 + 30_000), at(T0 + 60_000), at(T0 + 59 * 60_000 + 59_000)];
      const { step, buckets } = timeBuckets(rows, 0);
      assert.equal(step, 60_000);
      assert.equal(buckets.length, 60, 'no more buckets than asked for');
      assert.deepEqual(buckets[0], { start: T0, count: 2 });
      assert.deepEqual(buckets[1], { start: T0 + 60_000, count: 1 });
      assert.deepEqual(buckets[59], { start: T0 + 59 * 60_000, count: 1 });
      assert.equal(buckets.reduce((n, b) => n + b.count, 0), rows.length);
      for (const [k, b] of buckets.entries()) assert.equal(b.start, T0 + k * step);
    });

    it('picks a wider interval for a longer span, and counts every row', () => {
      const rows = Array.from({ length: 500 }, (_, i) => at(T0 + i * 17 * 60_000)); // about 6 days
      const { step, buckets } = timeBuckets(rows, 0);
      assert.equal(step, 3 * 3_600_000);
      assert.ok(buckets.length <= 60 && buckets.length > 30, `${buckets.length} buckets`);
      assert.equal(buckets.reduce((n, b) => n + b.count, 0), rows.length);
      assert.equal(buckets[0].start % step, 0, 'buckets start on whole intervals');
    });

    it('draws a one-second bucket for rows all at the same time', () => {
      assert.deepEqual(timeBuckets([at(T0), at(T0)], 0), { step: 1_000, buckets: [{ start: T0, count: 2 }] });
    });

    it('leaves out values that are not times, and draws nothing when there are none', () => {
      const { buckets } = timeBuckets([at(T0), [null], ['soon'], at(T0 + 2_000)], 0);
      assert.equal(buckets.reduce((n, b) => n + b.count, 0), 2);
      assert.deepEqual(timeBuckets([[null], ['soon']], 0), { step: 0, buckets: [] });
      assert.deepEqual(timeBuckets([], 0), { step: 0, buckets: [] });
    });

    it('widens the interval past a month for years of rows', () => {
      const rows = [at(Date.UTC(2015, 0, 1)), at(Date.UTC(2023, 6, 14)), at(Date.UTC(2019, 3, 3))];
      const { step, buckets } = timeBuckets(rows, 0, 24);
      assert.ok(step > 30 * 86_400_000, `a step of ${step} ms`);
      assert.equal(buckets[0].start <= Date.UTC(2015, 0, 1), true);
      assert.ok(buckets.at(-1)!.start + step > Date.UTC(2023, 6, 14), 'the last bucket holds the last row');
      assert.equal(buckets.reduce((n, b) => n + b.count, 0), 3);
      assert.ok(buckets.length <= 24, `${buckets.length} buckets`);
    });

    it('never draws more buckets than asked, even when the first starts on a whole interval before the rows', () => {
      const { buckets } = timeBuckets([at(500), at(60_499)], 0);
      assert.ok(buckets.length <= 60, `${buckets.length} buckets`);
      assert.equal(buckets.reduce((n, b) => n + b.count, 0), 2);
    });
  });

  describe('cells', () => {
    it('shows text as it is, NULL for no value, numbers and booleans printed, the rest as JSON', () => {
      assert.equal(cellText('ConsoleLogin'), 'ConsoleLogin');
      assert.equal(cellText(null), 'NULL');
      assert.equal(cellText(undefined), 'NULL');
      assert.equal(cellText(12.5), '12.5');
      assert.equal(cellText(false), 'false');
      assert.equal(cellText({ arn: 'arn:aws:iam::111122223333:user/alice', tags: ['a'] }), '{"arn":"arn:aws:iam::111122223333:user/alice","tags":["a"]}');
      assert.equal(cellText(''), '');
    });

    it('shows control characters and bidi overrides as visible escapes, in text and in JSON', () => {
      assert.equal(cellText('\u001b[31mred\r\n'), '\\x1b[31mred\\r\\n');
      assert.equal(cellText('invoice\u202egnp.exe'), 'invoice\\u{202e}gnp.exe');
      assert.equal(cellText({ k: '\u009b2J' }), '{"k":"\\x9b2J"}');
    });
  });

  describe('sorting a column', () => {
    const values = (rows: unknown[][], order: number[]) => order.map((i) => rows[i][0]);

    it('keeps the order the query returned when no column is sorted', () => {
      assert.deepEqual(sortedOrder([[3], [1], [2]], undefined, false), [0, 1, 2]);
    });

    it('sorts numbers as numbers, ascending and descending', () => {
      const rows = [[10], [9], [-2], [100], [0.5]];
      assert.deepEqual(values(rows, sortedOrder(rows, 0, false)), [-2, 0.5, 9, 10, 100]);
      assert.deepEqual(values(rows, sortedOrder(rows, 0, true)), [100, 10, 9, 0.5, -2]);
    });

    it('sorts digit strings (big integers, Logs Insights numbers) as numbers', () => {
      const rows = [['10'], ['9'], ['123456789012'], ['-1'], ['2.5']];
      assert.deepEqual(values(rows, sortedOrder(rows, 0, false)), ['-1', '2.5', '9', '10', '123456789012']);
    });

    it('sorts text by its characters', () => {
      const rows = [['PutObject'], ['ConsoleLogin'], ['GetObject'], ['AssumeRole']];
      assert.deepEqual(values(rows, sortedOrder(rows, 0, false)), ['AssumeRole', 'ConsoleLogin', 'GetObject', 'PutObject']);
      assert.deepEqual(values(rows, sortedOrder(rows, 0, true)), ['PutObject', 'GetObject', 'ConsoleLogin', 'AssumeRole']);
    });

    it('puts NULLs last in both directions', () => {
      const rows = [[null], ['b'], [undefined], ['a'], [null], ['c']];
      assert.deepEqual(values(rows, sortedOrder(rows, 0, false)).slice(0, 3), ['a', 'b', 'c']);
      assert.deepEqual(values(rows, sortedOrder(rows, 0, true)).slice(0, 3), ['c', 'b', 'a']);
      for (const descending of [false, true]) {
        const tail = values(rows, sortedOrder(rows, 0, descending)).slice(3);
        assert.ok(tail.every((v) => v === null || v === undefined), `NULLs last: ${JSON.stringify(tail)}`);
      }
    });

    it('keeps equal values in the order the query returned them, in both directions', () => {
      const rows = [['x', 1], ['y', 2], ['x', 3], ['y', 4]];
      assert.deepEqual(sortedOrder(rows, 0, false), [0, 2, 1, 3]);
      assert.deepEqual(sortedOrder(rows, 0, true), [1, 3, 0, 2]);
    });

    it('sorts the column asked, leaving the rows themselves as they are', () => {
      const rows = [['b', 2], ['a', 3], ['c', 1]];
      assert.deepEqual(sortedOrder(rows, 1, false), [2, 0, 1]);
      assert.deepEqual(rows, [['b', 2], ['a', 3], ['c', 1]]);
    });
  });

  describe('the summary line', () => {
    it('says how many rows and where they ran', () => {
      assert.equal(summaryLine({ rows: [1, 2, 3], truncated: false }, 'Investigation'), '3 rows · Investigation');
      assert.equal(summaryLine({ rows: [1], truncated: false }, 'Investigation'), '1 row · Investigation');
      assert.equal(summaryLine({ rows: [], truncated: false }, 'Athena'), '0 rows · Athena');
    });

    it('says when the rows were cut at the row limit', () => {
      const rows = Array.from({ length: 10_000 }, () => []);
      assert.equal(summaryLine({ rows, truncated: true }, 'Athena'), '10,000 rows (cut at the row limit) · Athena');
    });

    it('gives the time taken and what Athena scanned, or what it cost when known', () => {
      assert.equal(summaryLine({ rows: [1], truncated: false, stats: { engine: 'athena', elapsedMs: 1234, bytesScanned: 5 * 1024 * 1024 } }, 'Athena'), '1 row · Athena · 1.23 s · 5.0 MB scanned');
      assert.equal(
        summaryLine({ rows: [1, 2], truncated: false, stats: { engine: 'athena', elapsedMs: 65_400, bytesScanned: 5 * 1024 * 1024, cost: '5.0 MB scanned, about $0.00003' } }, 'Athena'),
        '2 rows · Athena · 65 s · 5.0 MB scanned, about $0.00003',
      );
    });

    it('says where every row of a large Athena result was kept, or why it was not', () => {
      const rows = Array.from({ length: 10_000 }, () => []);
      assert.equal(
        summaryLine({ rows, truncated: true, stats: { engine: 'athena', elapsedMs: 2000, keptIn: { table: 'athena_0123456789ab', rows: 1_234_567, investigation: 'incident.ctinv' } } }, 'Athena'),
        '10,000 of 1,234,567 rows shown · Athena · 2.00 s · all 1,234,567 in table athena_0123456789ab of incident.ctinv: query it from a Local cell',
      );
      assert.equal(
        summaryLine({ rows, truncated: true, stats: { engine: 'athena', notKept: 'open an investigation to keep every row' } }, 'Athena'),
        '10,000 rows (cut at the row limit) · Athena · not kept locally: open an investigation to keep every row',
      );
      assert.equal(summaryLine({ rows: [1], truncated: false, stats: { engine: 'athena', notKept: 'open an investigation to keep every row' } }, 'Athena'), '1 row · Athena');
    });

    it('gives the records Logs Insights matched of those it scanned', () => {
      assert.equal(
        summaryLine({ rows: [1], truncated: false, stats: { engine: 'logs', elapsedMs: 800, recordsMatched: 1234, recordsScanned: 5_000_000 } }, 'Logs Insights'),
        '1 row · Logs Insights · 0.80 s · 1,234 of 5,000,000 records matched',
      );
    });
  });
});
