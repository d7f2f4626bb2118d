// The investigation store on the real DuckDB engine: schema, Trino macros, every input shape,
// duplicates, refused files, filters, memory limit, and the questions the view asks.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { InvestigationStore } from '../../../src/core/store/investigationStore';
import { StoreClient } from '../../../src/core/store/storeClient';
import { ATHENA_COLUMNS } from '../../../src/core/store/schema';
import { formatEvents } from '../../../src/core/events/formatter';
import { invictusDir } from '../../fixtures/paths';
import { assumedRole, record } from '../../fixtures/records';

const TIME_SORT = { column: 'time' as const, descending: false };

describe('investigation store (DuckDB)', function () {
  this.timeout(120_000);
  let dir: string;
  const opened: InvestigationStore[] = [];
  async function open(name = 'inv.ctinv', options = {}): Promise<InvestigationStore> {
    const s = await InvestigationStore.open(path.join(dir, name), options);
    opened.push(s);
    return s;
  }
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ctinv-'));
  });
  afterEach(async () => {
    for (const s of opened.splice(0)) await s.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  describe('schema and macros', () => {
    it('has the Athena CloudTrail columns in order, then the derived ones', async () => {
      const s = await open();
      const { rows } = await s.query(`SELECT column_name FROM (DESCRIBE cloudtrail_logs)`);
      const names = rows.map((r) => r[0]);
      assert.deepEqual(names.slice(0, ATHENA_COLUMNS.length), ATHENA_COLUMNS.map(([n]) => n));
      assert.deepEqual(names.slice(ATHENA_COLUMNS.length, ATHENA_COLUMNS.length + 4), ['account', 'region', 'timestamp', '$path']);
      for (const c of ['event_ts', 'caller_key', 'caller_label', 'source_class', 'access_key_kind', 'sensitive_action', 'tactic', 'outcome', 'source_file', 'source_position', 'duplicate_conflict']) {
        assert.ok(names.includes(c), `${c} is a column`);
      }
      const types = Object.fromEntries((await s.query(`SELECT column_name, column_type FROM (DESCRIBE cloudtrail_logs)`)).rows.map((r) => [r[0], r[1]]));
      assert.match(String(types.useridentity), /^STRUCT\(.*sessionContext STRUCT\(attributes STRUCT\(mfaAuthenticated VARCHAR/);
      assert.match(String(types.resources), /^STRUCT\(ARN VARCHAR, accountId VARCHAR, "type" VARCHAR\)\[\]$/);
      assert.equal(types.requestparameters, 'VARCHAR');
    });

    it('provides the Trino functions Athena queries use', async () => {
      const s = await open();
      const { rows } = await s.query(`SELECT
        json_extract_scalar('{"a":{"b":"x"}}', '$.a.b'),
        date_format(from_iso8601_timestamp('2026-11-01T10:20:30Z') AT TIME ZONE 'UTC', '%Y-%m-%d %H:%i:%s'),
        regexp_like('AssumeRole', '^Assume'),
        approx_distinct(x),
        to_unixtime(from_iso8601_timestamp('1970-01-01T00:01:00Z')),
        url_extract_host('https://console.aws.amazon.com/x')
        FROM (VALUES (1), (2), (2)) t(x)`);
      assert.deepEqual(rows[0], ['x', '2026-11-01 10:20:30', true, '2', 60, 'console.aws.amazon.com']);
    });
  });

  describe('ingest', () => {
    it('reads every input shape, records each source and keeps derived columns', async () => {
      const alice = record({ eventName: 'CreateAccessKey', eventSource: 'iam.amazonaws.com', responseElements: { accessKey: { accessKeyId: 'AKIANEWKEY0000000001', userName: 'alice' } } });
      const bob = record({ userIdentity: assumedRole('bob'), sourceIPAddress: '10.0.0.5', eventName: 'StopLogging', eventSource: 'cloudtrail.amazonaws.com', errorCode: 'AccessDenied', eventTime: '2026-11-01T11:00:00Z' });
      writeFileSync(path.join(dir, 'log.json.gz'), gzipSync(JSON.stringify({ Records: [alice] })));
      writeFileSync(path.join(dir, 'array.json'), JSON.stringify([bob]));
      writeFileSync(path.join(dir, 'lines.ndjson'), [record(), record()].map((r) => JSON.stringify(r)).join('\n'));
      writeFileSync(path.join(dir, 'lookup.json'), JSON.stringify({ Events: [{ EventId: 'x', CloudTrailEvent: JSON.stringify(record({ eventName: 'ConsoleLogin', eventSource: 'signin.amazonaws.com' })) }] }));
      writeFileSync(
        path.join(dir, 'lake.json'),
        JSON.stringify({ QueryResultRows: [[{ eventID: 'lake-1' }, { eventTime: '2026-11-01 10:00:00.000' }, { eventName: 'GetObject' }, { eventSource: 's3.amazonaws.com' }, { userIdentity: '{"type":"IAMUser","userName":"carol"}' }]] }),
      );
      writeFileSync(path.join(dir, 'single.json'), JSON.stringify(record({ eventName: 'ListBuckets', eventSource: 's3.amazonaws.com' })));
      const s = await open('shapes.ctinv');
      const report = await s.ingest([{ path: dir }]);
      assert.equal(report.refused.length, 0, JSON.stringify(report.refused));
      assert.equal(report.files, 6);
      assert.equal(report.stored, 7);
      const info = await s.info();
      assert.equal(info.events, 7);
      assert.equal(info.sources.length, 6);
      const formats = (await s.query(`SELECT name, format FROM ctl_sources ORDER BY name`)).rows.map((r) => [path.basename(String(r[0])), r[1]]);
      assert.deepEqual(formats, [
        ['array.json', 'record-array'],
        ['lake.json', 'lake-rows'],
        ['lines.ndjson', 'ndjson'],
        ['log.json.gz', 'log-file'],
        ['lookup.json', 'lookup-events'],
        ['single.json', 'single-record'],
      ]);
      const [row] = (await s.query(`SELECT caller_label, caller_type, source_class, access_key_kind, sensitive_action, tactic, outcome, useridentity.sessioncontext.sessionissuer.username, event_ts FROM cloudtrail_logs WHERE eventname = 'StopLogging'`)).rows;
      assert.deepEqual(row, ['AdminRole/bob', 'AssumedRole', 'private IPv4', 'temporary', 'cloudtrail:StopLogging', 'defense evasion', 'AccessDenied', 'AdminRole', '2026-11-01 11:00:00']);
      const [key] = (await s.query(`SELECT json_extract_scalar(responseelements, '$.accessKey.accessKeyId'), source_position, source_file FROM cloudtrail_logs WHERE eventname = 'CreateAccessKey'`)).rows;
      assert.deepEqual(key, ['AKIANEWKEY0000000001', 0, path.join(dir, 'log.json.gz')]);
      const [partitions] = (await s.query(`SELECT account, region, "timestamp" FROM cloudtrail_logs WHERE eventname = 'StopLogging' AND "timestamp" BETWEEN '2026/11/01' AND '2026/11/02'`)).rows;
      assert.deepEqual(partitions, [bob.recipientAccountId, bob.awsRegion, '2026/11/01']);
      const [lakeRow] = (await s.query(`SELECT caller_label, event_ts, eventtime FROM cloudtrail_logs WHERE eventid = 'lake-1'`)).rows;
      assert.deepEqual(lakeRow, ['carol', '2026-11-01 10:00:00', '2026-11-01 10:00:00.000']);
      // The manifest beside the database says the same.
      const manifest = JSON.parse(readFileSync(path.join(dir, 'shapes.ctinv.json'), 'utf8'));
      assert.equal(manifest.events, 7);
      assert.equal(manifest.sources.length, 6);
    });

    it('folds identical repeats of an eventID and flags copies that differ, keeping both', async () => {
      const same = record({ eventID: 'aaaaaaaa-0000-4000-8000-000000000001' });
      const first = record({ eventID: 'bbbbbbbb-0000-4000-8000-000000000002', eventName: 'GetObject' });
      const tampered = { ...first, sourceIPAddress: '203.0.113.99' };
      writeFileSync(path.join(dir, 'a.json'), JSON.stringify({ Records: [same, first] }));
      writeFileSync(path.join(dir, 'b.json'), JSON.stringify({ Records: [same, tampered] }));
      const s = await open();
      const report = await s.ingest([{ path: path.join(dir, 'a.json') }, { path: path.join(dir, 'b.json') }]);
      assert.equal(report.read, 4);
      assert.equal(report.folded, 1);
      assert.equal(report.conflicts, 1);
      assert.equal(report.stored, 3);
      const rows = (await s.query(`SELECT eventid, sourceipaddress, duplicate_conflict FROM cloudtrail_logs ORDER BY eventid, sourceipaddress`)).rows;
      assert.deepEqual(rows, [
        ['aaaaaaaa-0000-4000-8000-000000000001', '198.51.100.7', false],
        ['bbbbbbbb-0000-4000-8000-000000000002', '198.51.100.7', true],
        ['bbbbbbbb-0000-4000-8000-000000000002', '203.0.113.99', true],
      ]);
      // Adding the same file again adds nothing.
      const again = await s.ingest([{ path: path.join(dir, 'a.json') }]);
      assert.equal(again.stored, 0);
      assert.equal(again.folded, 2);
      assert.equal((await s.info()).events, 3);
      assert.equal((await s.info()).conflicts, 1);
    });

    it('records refused files with their reason and stores the rest', async () => {
      writeFileSync(path.join(dir, 'good.json.gz'), gzipSync(JSON.stringify({ Records: [record()] })));
      writeFileSync(path.join(dir, 'truncated.json.gz'), gzipSync(JSON.stringify({ Records: [record()] })).subarray(0, 30));
      writeFileSync(path.join(dir, 'other.json'), '{"hello": "world"}');
      writeFileSync(path.join(dir, 'broken.json'), '{"Records": [');
      const s = await open();
      const report = await s.ingest([{ path: dir }, { path: path.join(dir, 'missing.json') }]);
      assert.equal(report.stored, 1);
      const reasons = Object.fromEntries(report.refused.map((r) => [path.basename(r.name), r.reason]));
      assert.match(reasons['truncated.json.gz'], /truncated/);
      assert.match(reasons['other.json'], /not CloudTrail|CloudTrail/);
      assert.match(reasons['broken.json'], /line 1/);
      assert.match(reasons['missing.json'], /no such file/);
      const info = await s.info();
      assert.equal(info.refused.length, 4);
      assert.ok(info.refused.some((r) => r.name.endsWith('truncated.json.gz') && /truncated/.test(r.reason)));
    });

    it('keeps only the time range and regions asked for, and says how many were left out', async () => {
      const records = [
        record({ eventTime: '2026-11-01T00:30:00Z' }),
        record({ eventTime: '2026-11-01T01:30:00Z' }),
        record({ eventTime: '2026-11-01T01:40:00Z', awsRegion: 'eu-west-1' }),
        record({ eventTime: '2026-11-01T03:00:00Z' }),
      ];
      writeFileSync(path.join(dir, 'a.json'), JSON.stringify({ Records: records }));
      const s = await open();
      const report = await s.ingest([{ path: path.join(dir, 'a.json') }], { start: Date.parse('2026-11-01T01:00:00Z'), end: Date.parse('2026-11-01T02:00:00Z'), regions: ['us-east-1'] });
      assert.equal(report.read, 4);
      assert.equal(report.stored, 1);
      assert.equal(report.outsideFilter, 3);
      assert.deepEqual((await s.query(`SELECT eventtime FROM cloudtrail_logs`)).rows, [['2026-11-01T01:30:00Z']]);
    });

    it('keeps integers longer than a double can hold digit for digit, in the columns and in slices', async () => {
      const text = JSON.stringify({ Records: [record({ requestParameters: { size: 0 } })] }).replace('"size":0', '"size":123456789012345678901234');
      writeFileSync(path.join(dir, 'long.json.gz'), gzipSync(text));
      writeFileSync(path.join(dir, 'long.json'), text.replace('"eventID":"', '"eventID":"x'));
      const s = await open();
      await s.ingest([{ path: dir }]);
      const rows = (await s.query(`SELECT requestparameters FROM cloudtrail_logs ORDER BY source_file`)).rows;
      assert.equal(rows.length, 2);
      for (const r of rows) assert.match(String(r[0]), /123456789012345678901234/);
      const slice = await s.slice({}, TIME_SORT, 10);
      assert.match(formatEvents(slice.records), /"size": 123456789012345678901234/);
    });

    it('a cancelled ingest leaves the investigation as it was', async () => {
      writeFileSync(path.join(dir, 'first.json'), JSON.stringify({ Records: [record()] }));
      const s = await open();
      await s.ingest([{ path: path.join(dir, 'first.json') }]);
      const many = path.join(dir, 'many');
      rmSync(many, { recursive: true, force: true });
      mkdirSync(many);
      for (let i = 0; i < 200; i++) writeFileSync(path.join(many, `f${i}.json`), JSON.stringify({ Records: [record(), record()] }));
      const controller = new AbortController();
      const pending = s.ingest([{ path: many }], { signal: controller.signal, onProgress: (done) => done > 0 && controller.abort() });
      await assert.rejects(pending, (e: Error) => e.name === 'AbortError');
      const info = await s.info();
      assert.equal(info.events, 1);
      assert.equal(info.sources.length, 1);
    });

    it('runs two ingests into one investigation one after the other, each with its own sources', async () => {
      writeFileSync(path.join(dir, 'a.json'), JSON.stringify({ Records: [record(), record()] }));
      writeFileSync(path.join(dir, 'b.json'), JSON.stringify({ Records: [record(), record(), record()] }));
      const s = await open();
      const [a, b] = await Promise.all([s.ingest([{ path: path.join(dir, 'a.json') }]), s.ingest([{ path: path.join(dir, 'b.json') }])]);
      assert.equal(a.stored, 2);
      assert.equal(b.stored, 3);
      const info = await s.info();
      assert.equal(info.events, 5);
      assert.deepEqual(info.sources.map((x) => [path.basename(x.name), x.events]), [['a.json', 2], ['b.json', 3]]);
    });

    it('applies the memory limit it is given', async () => {
      const s = await open('small.ctinv', { memoryLimitMB: 96, threads: 1 });
      const [[limit, threads]] = (await s.query(`SELECT current_setting('memory_limit'), current_setting('threads')`)).rows;
      assert.match(String(limit), /^9[0-9](\.\d+)? MiB$/);
      assert.equal(String(threads), '1');
      const report = await s.ingest([{ path: invictusDir }]);
      assert.equal(report.stored, 2900);
    });
  });

  describe('reopening', () => {
    it('reopens a saved investigation with its events and sources', async () => {
      writeFileSync(path.join(dir, 'a.json'), JSON.stringify({ Records: [record(), record()] }));
      const file = path.join(dir, 'saved.ctinv');
      const s = await InvestigationStore.open(file);
      await s.ingest([{ path: path.join(dir, 'a.json') }]);
      await s.close();
      const again = await open('saved.ctinv');
      const info = await again.info();
      assert.equal(info.events, 2);
      assert.equal(info.sources[0].events, 2);
      const ro = await InvestigationStore.open(file + '-missing', { readOnly: true }).catch((e: Error) => e);
      assert.match(String(ro), /no such investigation/);
    });

    it('refuses a FIFO named like an investigation without waiting on it', async function () {
      if (process.platform === 'win32') this.skip(); // no mkfifo on Windows
      const fifo = path.join(dir, 'pipe.ctinv');
      execFileSync('mkfifo', [fifo]);
      await assert.rejects(InvestigationStore.open(fifo), /not a CloudTrail Lens investigation: .*FIFO/);
    });

    it('refuses a file that is not an investigation, and changes nothing in it', async () => {
      const file = path.join(dir, 'notes.ctinv');
      writeFileSync(file, 'just some text, not a database at all');
      await assert.rejects(InvestigationStore.open(file), /not a CloudTrail Lens investigation/);
      assert.equal(readFileSync(file, 'utf8'), 'just some text, not a database at all');
    });
  });

  describe('questions over the real dataset', () => {
    let s: InvestigationStore;
    beforeEach(async () => {
      s = await open('invictus.ctinv');
      await s.ingest([{ path: invictusDir }]);
    });

    it('counts facets as summarize does, and the timeline adds up to the selection', async () => {
      const o = await s.overview({});
      assert.equal(o.total, 2900);
      assert.equal(o.selected, 2900);
      assert.deepEqual(o.facets.caller[0], { value: 'arn:aws:iam::123837392027:user/bert-jan', count: 2641, label: 'bert-jan' });
      assert.equal(o.facets.sourceIp[0].value, '192.168.10.20');
      assert.deepEqual(o.facets.errorCode.find((v) => v.value === 'ThrottlingException'), { value: 'ThrottlingException', count: 102 });
      assert.equal(o.first, Date.parse('2023-07-10T11:42:18Z'));
      assert.equal(o.last, Date.parse('2023-07-10T12:37:50Z'));
      const sum = o.timeline.buckets.reduce((n, b) => n + b.counts.reduce((a, c) => a + c, 0), 0);
      assert.equal(sum, 2900);
      // 55 minutes in at most about 120 bars: 30-second buckets.
      assert.equal(o.timeline.bucketMs, 30_000);
      assert.ok(o.timeline.buckets.length <= 121);
      assert.ok(o.timeline.buckets.some((b) => b.errors > 0));
    });

    it('narrows by include, exclude, time and text, and a facet keeps its other values', async () => {
      const errors = await s.overview({ include: { errorCode: ['ThrottlingException'] } });
      assert.equal(errors.selected, 102);
      // The errorCode facet is counted without its own include: the other codes stay visible.
      assert.ok(errors.facets.errorCode.length > 1);
      assert.equal(errors.facets.caller.reduce((n, v) => n + v.count, 0), 102);
      const notBert = await s.overview({ exclude: { caller: ['arn:aws:iam::123837392027:user/bert-jan'] } });
      assert.equal(notBert.selected, 2900 - 2641);
      const window = await s.overview({ start: Date.parse('2023-07-10T12:00:00Z'), end: Date.parse('2023-07-10T12:10:00Z') });
      const [[inWindow]] = (await s.query(`SELECT count(*) FROM cloudtrail_logs WHERE eventtime >= '2023-07-10T12:00:00Z' AND eventtime < '2023-07-10T12:10:00Z'`)).rows;
      assert.equal(window.selected, Number(inWindow));
      assert.equal(window.timeline.buckets[0].t, Date.parse('2023-07-10T12:00:00Z'));
      const search = await s.overview({ search: 'throttlingexception' });
      assert.ok(search.selected >= 102);
      const stacked = await s.overview({}, 'eventSource');
      assert.equal(stacked.timeline.series.at(-1), '(other)');
      assert.equal(stacked.timeline.series[0], stacked.facets.eventSource[0].value);
    });

    it('finds a text in any one field, ignoring case, and narrows facet clicks under it; a new ingest is searched too', async () => {
      // The reference: the same text in the fields joined, as one string (a one-word text matches the same).
      const fields =
        "lower(concat_ws(' ', eventname, eventsource, caller_key, caller_label, sourceipaddress, useragent, errorcode, errormessage, eventid, requestid, awsregion, recipientaccountid, useridentity.accessKeyId, useridentity.principalId, requestparameters, responseelements, additionaleventdata, serviceeventdetails, array_to_string(list_transform(resources, r -> concat_ws(' ', r.ARN, r.accountId, r.\"type\")), ' ')))";
      const count = async (where: string) => Number((await s.query(`SELECT count(*) FROM cloudtrail_logs WHERE ${where}`)).rows[0][0]);
      // A resource's type, which only the resources hold, and a key name, which is not searched.
      const [[resourceType]] = (await s.query(`SELECT r."type" FROM (SELECT unnest(resources) AS r FROM ctl_events) WHERE r."type" IS NOT NULL LIMIT 1`)).rows;
      assert.ok(typeof resourceType === 'string' && resourceType.length > 0, 'the dataset has typed resources');
      assert.equal((await s.overview({ search: 'accountId' })).selected, await count(`contains(${fields}, 'accountid')`));
      for (const text of ['AccessDenied', 'us-west-2', 'aws-cli', 'nothing-like-this', resourceType]) {
        const o = await s.overview({ search: `  ${text} ` });
        assert.equal(o.selected, await count(`contains(${fields}, '${text.toLowerCase()}')`), text);
        assert.equal(o.timeline.buckets.reduce((n, b) => n + b.counts.reduce((a, c) => a + c, 0), 0), o.selected, `${text}: the timeline adds up`);
      }
      const denied = await s.overview({ search: 'accessdenied' });
      assert.ok(denied.selected > 0 && denied.selected < 2900);
      // A facet click under the search: both conditions, and the clicked facet keeps its other values.
      const top = denied.facets.eventName[0];
      const clicked = await s.overview({ search: 'accessdenied', include: { eventName: [top.value] } });
      assert.equal(clicked.selected, top.count);
      assert.deepEqual(clicked.facets.eventName, denied.facets.eventName);
      // The table and the summary of a search: the same events, asked at once as the view does.
      const expectedIds = (await s.query(`SELECT row_id FROM ctl_events WHERE contains(${fields}, 'accessdenied') ORDER BY event_ms, row_id`)).rows.map((r) => Number(r[0]));
      const [page, summary] = await Promise.all([s.rows({ search: 'AccessDenied' }, TIME_SORT, 0, 1000), s.summary({ search: 'AccessDenied' })]);
      assert.equal(page.total, denied.selected);
      assert.deepEqual(page.rows.map((r) => r.id), expectedIds.slice(0, 1000));
      const deep = await s.rows({ search: 'AccessDenied' }, TIME_SORT, 3, 5);
      assert.deepEqual(deep.rows.map((r) => r.id), expectedIds.slice(3, 8));
      assert.equal(summary.callers.reduce((n, c) => n + c.count, 0), denied.selected);
      // More searches than are kept, then the first again: still right.
      for (let i = 0; i < 10; i++) await s.overview({ search: `x${i}` });
      assert.equal((await s.overview({ search: 'AccessDenied' })).selected, denied.selected);
      assert.equal((await s.rows({ search: 'AccessDenied' }, TIME_SORT, 0, 10)).total, denied.selected);
      // An event ingested later is found by the same search.
      const extra = path.join(dir, 'extra.json');
      writeFileSync(extra, JSON.stringify({ Records: [record({ errorCode: 'AccessDenied', errorMessage: 'User is not authorized' })] }));
      await s.ingest([{ path: extra }]);
      assert.equal((await s.overview({ search: 'accessdenied' })).selected, denied.selected + 1);
      assert.equal((await s.rows({ search: 'accessdenied' }, TIME_SORT, 0, 10)).total, denied.selected + 1);
      // Read-only, the hits serve the overview alone; the table matches the text itself: the same answers.
      await s.close();
      const ro = await open('invictus.ctinv', { readOnly: true });
      assert.equal((await ro.overview({ search: 'AccessDenied' })).selected, denied.selected + 1);
      assert.equal((await ro.rows({ search: 'AccessDenied' }, TIME_SORT, 0, 10)).total, denied.selected + 1);
    });

    it('serves table windows in order, deep windows from the materialized order', async () => {
      const first = await s.rows({}, TIME_SORT, 0, 50);
      assert.equal(first.total, 2900);
      assert.equal(first.rows.length, 50);
      assert.equal(first.rows[0].time, '2023-07-10T11:42:18Z');
      const deepDirect = (await s.query(`SELECT eventtime FROM cloudtrail_logs ORDER BY event_ts, row_id LIMIT 20 OFFSET 2000`)).rows.map((r) => r[0]);
      const deep = await s.rows({}, TIME_SORT, 2000, 20);
      assert.deepEqual(deep.rows.map((r) => r.time), deepDirect);
      const byCaller = await s.rows({}, { column: 'caller', descending: true }, 0, 5);
      assert.ok(byCaller.rows[0].caller >= byCaller.rows[4].caller);
      const errors = await s.rows({ include: { errorCode: ['ThrottlingException'] } }, TIME_SORT, 0, 200);
      assert.equal(errors.total, 102);
      assert.ok(errors.rows.every((r) => r.outcome === 'ThrottlingException'));
    });

    it('gives a slice back whole, in table order, capped', async () => {
      const slice = await s.slice({ include: { errorCode: ['ThrottlingException'] } }, TIME_SORT, 40);
      assert.equal(slice.total, 102);
      assert.equal(slice.records.length, 40);
      assert.ok(slice.records.every((r) => r.errorCode === 'ThrottlingException'));
      const times = slice.records.map((r) => r.eventTime!);
      assert.deepEqual([...times].sort(), times);
      const rows = await s.rows({}, TIME_SORT, 0, 3);
      const picked = await s.slice({}, TIME_SORT, 10, rows.rows.map((r) => r.id));
      assert.deepEqual(picked.records.map((r) => r.eventTime), rows.rows.map((r) => r.time));
    });

    it('summarizes who did what from where, and failed calls by caller', async () => {
      const summary = await s.summary({});
      assert.ok(summary.whoWhatWhere.length > 0);
      assert.ok(summary.whoWhatWhere.every((w) => w.action.includes(':')));
      assert.equal(summary.callers[0].caller, 'bert-jan');
      assert.equal(summary.callers[0].count, 2641);
      assert.ok(summary.failedByCaller.length > 0);
      assert.equal(summary.failedByCaller.reduce((n, f) => n + f.errors, 0), Number((await s.query(`SELECT count(*) FROM cloudtrail_logs WHERE errorcode IS NOT NULL`)).rows[0][0]));
    });
  });

  it('answers the same through its own thread (StoreClient), and cancels a query', async () => {
    const file = path.join(dir, 'client.ctinv');
    const client = await StoreClient.open(file, {});
    try {
      const progress: number[] = [];
      const report = await client.ingest([{ path: invictusDir }], { onProgress: (done) => progress.push(done) });
      assert.equal(report.stored, 2900);
      assert.ok(progress.length > 0);
      const o = await client.overview({ include: { errorCode: ['ThrottlingException'] } });
      assert.equal(o.selected, 102);
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(client.overview({}, undefined, controller.signal), (e: Error) => e.name === 'AbortError');
      assert.equal((await client.info()).events, 2900);
    } finally {
      await client.close();
    }
    assert.ok(existsSync(file));
  });
});
