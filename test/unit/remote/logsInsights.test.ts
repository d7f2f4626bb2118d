// Logs Insights queries on a trail's log group, with a real CloudWatchLogsClient. moto 5.2.1's
// StartQuery runs `fields @timestamp, @message`, `sort` and `limit` over events put with
// PutLogEvents, so the real Invictus events go through moto once; everything moto does not do
// (Scheduled/Running, StartQuery's limit, filter, JSON fields, statistics, Failed, StopQuery) is
// asserted against the loopback front in test/fixtures/logsFront.ts, whose header lists why.
import * as assert from 'node:assert/strict';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { describeAwsError } from '../../../src/core/aws/awsErrors';
import {
  createLogsClient,
  defaultLogsQuery,
  eventsFromLogsResult,
  runLogsInsightsPaged,
  runLogsInsightsQuery,
  splitTimeRange,
  trailLogGroupName,
  type LogsInsightsTarget,
} from '../../../src/core/remote/logsInsights';
import { RemoteQueryError, type TabularResult } from '../../../src/core/remote/queryResult';
import { startLogsFront, type FrontLogEvent, type LogsFront } from '../../fixtures/logsFront';
import { startMoto, type MotoServer } from '../../fixtures/moto';
import { invictusRecords } from '../../fixtures/invictus';
import { record } from '../../fixtures/records';

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const GROUP = 'aws-cloudtrail-logs-111122223333-main';

interface InvictusRecord {
  eventTime: string;
  eventName: string;
  eventID: string;
  errorCode?: string;
  userIdentity?: { arn?: string };
}

/** The dataset's records in time order. */
function invictusInOrder(): InvictusRecord[] {
  return invictusRecords<InvictusRecord>().sort((a, b) => Date.parse(a.eventTime) - Date.parse(b.eventTime));
}

function column(result: TabularResult, name: string): unknown[] {
  const at = result.columns.findIndex((c) => c.name === name);
  assert.ok(at >= 0, `no column ${name} in ${result.columns.map((c) => c.name).join(', ')}`);
  return result.rows.map((r) => r[at]);
}

function frontClient(front: LogsFront): CloudWatchLogsClient {
  return new CloudWatchLogsClient({ region: 'us-east-1', endpoint: front.url, credentials, maxAttempts: 1 });
}

/** Events one a second (plus 500 ms) from `start`, with `twice` seconds holding two events. */
function steadyEvents(start: number, count: number, twice: number[] = []): FrontLogEvent[] {
  const events: FrontLogEvent[] = [];
  for (let i = 0; i < count; i++) {
    const at = start + i * 1000 + 500;
    events.push({ logGroupName: GROUP, timestamp: at, message: JSON.stringify(record({ eventTime: new Date(at).toISOString(), eventName: `Call${i}` })) });
    if (twice.includes(i)) events.push({ logGroupName: GROUP, timestamp: at + 1, message: JSON.stringify(record({ eventTime: new Date(at + 1).toISOString(), eventName: `Call${i}b` })) });
  }
  return events;
}

describe('Logs Insights: names and ranges', () => {
  it("reads the log group name from a trail's CloudWatchLogsLogGroupArn", () => {
    assert.equal(trailLogGroupName('arn:aws:logs:us-east-1:111122223333:log-group:aws-cloudtrail-logs-111122223333-0f1e2d3c:*'), 'aws-cloudtrail-logs-111122223333-0f1e2d3c');
    assert.equal(trailLogGroupName('arn:aws-us-gov:logs:us-gov-west-1:111122223333:log-group:/org/CloudTrail#audit.v2:*'), '/org/CloudTrail#audit.v2');
    assert.equal(trailLogGroupName('arn:aws:logs:eu-west-1:111122223333:log-group:CloudTrail/main'), 'CloudTrail/main');
    assert.equal(trailLogGroupName('arn:aws:s3:::bucket'), undefined);
    assert.equal(trailLogGroupName('arn:aws:logs:us-east-1:111122223333:log-group:a:b:*'), undefined);
    assert.equal(trailLogGroupName(''), undefined);
  });

  it('offers a starter query that shows who did what and the whole event, newest first', () => {
    const q = defaultLogsQuery();
    assert.match(q, /^fields @timestamp, eventName, eventSource, userIdentity\.arn, sourceIPAddress, errorCode, @message/);
    assert.match(q, /\| sort @timestamp desc/);
    assert.match(q, /\| limit 1000$/);
  });

  it('splits a time range into consecutive whole-second ranges that share their bounds', () => {
    const start = new Date('2026-11-01T00:00:00.400Z');
    const end = new Date('2026-11-01T01:00:00.200Z');
    const halves = splitTimeRange(start, end, 2);
    assert.deepEqual(
      halves.map((r) => [r.startTime.toISOString(), r.endTime.toISOString()]),
      [
        ['2026-11-01T00:00:00.000Z', '2026-11-01T00:30:01.000Z'],
        ['2026-11-01T00:30:01.000Z', '2026-11-01T01:00:01.000Z'],
      ],
    );
    const tenths = splitTimeRange(start, end, 10);
    assert.equal(tenths.length, 10);
    for (let i = 1; i < tenths.length; i++) assert.equal(tenths[i].startTime.getTime(), tenths[i - 1].endTime.getTime());
    assert.equal(tenths[0].startTime.getTime(), Date.parse('2026-11-01T00:00:00Z'));
    assert.equal(tenths[9].endTime.getTime(), Date.parse('2026-11-01T01:00:01Z'));
    assert.equal(splitTimeRange(new Date(5000), new Date(8000), 10).length, 3, 'no more ranges than seconds');
    assert.equal(splitTimeRange(new Date(5000), new Date(5000), 2).length, 1);
  });
});

/** Loopback fronts with a client each, all closed by close() (a describe's after hook). */
function frontPool(): { start(options: Parameters<typeof startLogsFront>[0]): Promise<{ front: LogsFront; client: CloudWatchLogsClient }>; close(): Promise<void> } {
  const fronts: LogsFront[] = [];
  const clients: CloudWatchLogsClient[] = [];
  return {
    async start(options) {
      const front = await startLogsFront(options);
      fronts.push(front);
      const client = frontClient(front);
      clients.push(client);
      return { front, client };
    },
    async close() {
      for (const c of clients) c.destroy();
      for (const f of fronts) await f.close();
    },
  };
}

describe('Logs Insights: queries (loopback front)', function () {
  this.timeout(60_000);
  const records = invictusInOrder();
  const invictusEvents: FrontLogEvent[] = records.map((r) => ({ logGroupName: GROUP, timestamp: Date.parse(r.eventTime), message: JSON.stringify(r) }));
  const whole: LogsInsightsTarget = { logGroupNames: [GROUP], startTime: new Date(Date.parse(records[0].eventTime) - 60_000), endTime: new Date(Date.parse(records[records.length - 1].eventTime) + 60_000) };
  const pool = frontPool();
  const start = (options: Partial<Parameters<typeof startLogsFront>[0]> = {}) => pool.start({ events: invictusEvents, ...options });
  after(() => pool.close());

  it('answers the filtered CloudTrail fields as rows, with null where an event lacks a field and @ptr kept out', async () => {
    const { front, client } = await start({ scheduledPolls: 2, runningPolls: 2 });
    const states: string[] = [];
    const result = await runLogsInsightsQuery(client, 'fields @timestamp, eventName, userIdentity.arn, errorCode, @message | filter eventName = "AssumeRole" | sort @timestamp desc', whole, {
      pollDelays: [5],
      onState: (s) => states.push(s),
    });
    const expected = records.filter((r) => r.eventName === 'AssumeRole').reverse();
    assert.deepEqual(states, ['Scheduled', 'Scheduled', 'Running', 'Running', 'Complete']);
    assert.deepEqual(
      result.columns.map((c) => c.name),
      ['@timestamp', 'eventName', 'userIdentity.arn', 'errorCode', '@message'],
    );
    assert.equal(result.rows.length, 49);
    assert.equal(result.truncated, false);
    assert.deepEqual(column(result, 'eventName'), expected.map(() => 'AssumeRole'));
    assert.deepEqual(column(result, 'errorCode'), expected.map((r) => r.errorCode ?? null));
    assert.equal(column(result, 'errorCode').filter((v) => v !== null).length, 13);
    assert.deepEqual(column(result, 'userIdentity.arn'), expected.map((r) => r.userIdentity?.arn ?? null));
    assert.ok(column(result, 'userIdentity.arn').includes(null), 'AWS service callers have no arn');
    assert.ok(result.rows.every((row) => row.every((v) => v === null || typeof v === 'string')));
    assert.equal(column(result, '@timestamp')[0], new Date(Date.parse(expected[0].eventTime)).toISOString().replace('T', ' ').replace('Z', ''));
    assert.equal(result.stats?.engine, 'logs');
    assert.equal(result.stats?.queryId, 'q-1');
    assert.equal(result.stats?.recordsMatched, 49);
    assert.equal(result.stats?.recordsScanned, records.length);
    assert.ok((result.stats?.bytesScanned ?? 0) > records.length * 100);
    const input = front.calls.find((c) => c.operation === 'StartQuery')!.input;
    assert.deepEqual(input.logGroupNames, [GROUP]);
    assert.equal(input.startTime, Math.floor(whole.startTime.getTime() / 1000));
    assert.equal(input.endTime, Math.ceil(whole.endTime.getTime() / 1000));
    assert.equal(input.limit, 10_000);
  });

  it('opens the rows as the CloudTrail events they hold', async () => {
    const { client } = await start();
    const result = await runLogsInsightsQuery(client, 'fields @timestamp, @message | sort @timestamp asc', whole, { pollDelays: [1] });
    const { records: events, refused } = eventsFromLogsResult(result);
    assert.equal(refused, 0);
    assert.equal(events.length, records.length);
    assert.deepEqual(
      events.map((e) => (e as InvictusRecord).eventID),
      records.map((r) => r.eventID),
    );
  });

  it('marks a result that reaches the row limit as truncated, and caps the limit at 10,000', async () => {
    const { front, client } = await start();
    const five = await runLogsInsightsQuery(client, 'fields @message', whole, { maxRows: 5, pollDelays: [1] });
    assert.equal(five.rows.length, 5);
    assert.equal(five.truncated, true);
    assert.equal(five.stats?.recordsMatched, records.length, 'Logs Insights matched more than it returned');
    const all = await runLogsInsightsQuery(client, 'fields @message', whole, { maxRows: 50_000, pollDelays: [1] });
    assert.equal(all.rows.length, records.length);
    assert.equal(all.truncated, false);
    assert.deepEqual(
      front.calls.filter((c) => c.operation === 'StartQuery').map((c) => c.input.limit),
      [5, 10_000],
    );
    const ownLimit = await runLogsInsightsQuery(client, 'fields @message | limit 20', whole, { pollDelays: [1] });
    assert.equal(ownLimit.rows.length, 20);
    assert.equal(ownLimit.truncated, false, "the query's own limit is not a truncation");
  });

  it('only keeps what the time range holds', async () => {
    const { client } = await start();
    const from = Date.parse(records[100].eventTime);
    const to = Date.parse(records[199].eventTime);
    const result = await runLogsInsightsQuery(client, 'fields @message', { logGroupNames: [GROUP], startTime: new Date(from), endTime: new Date(to) }, { pollDelays: [1] });
    const inside = records.filter((r) => Date.parse(r.eventTime) >= Math.floor(from / 1000) * 1000 && Date.parse(r.eventTime) < (Math.ceil(to / 1000) + 1) * 1000);
    assert.equal(result.rows.length, inside.length);
    assert.ok(result.rows.length >= 100 && result.rows.length < records.length);
  });

  it('rejects a Failed query with its status and query id, and a Timeout with what to do', async () => {
    const failed = await start({ endStatus: 'Failed' });
    await assert.rejects(
      runLogsInsightsQuery(failed.client, 'fields @message', whole, { pollDelays: [1] }),
      (e: unknown) => e instanceof RemoteQueryError && e.engine === 'logs' && e.queryId === 'q-1' && /query q-1 ended with status Failed: check the query syntax/.test(e.message),
    );
    const timeout = await start({ endStatus: 'Timeout' });
    await assert.rejects(runLogsInsightsQuery(timeout.client, 'fields @message', whole, { pollDelays: [1] }), /status Timeout: Logs Insights stops a query after 60 minutes; narrow the time range/);
    const unknown = await start({ endStatus: 'Unknown' });
    await assert.rejects(runLogsInsightsQuery(unknown.client, 'fields @message', whole, { pollDelays: [1] }), /status Unknown/);
  });

  it('passes a query Logs Insights refuses as the SDK error', async () => {
    const { client } = await start();
    await assert.rejects(runLogsInsightsQuery(client, 'fields @message | frobnicate', whole, { pollDelays: [1] }), (e: Error) => e.name === 'MalformedQueryException' && /frobnicate/.test(e.message));
  });

  it('stops the query on AWS when cancelled, waking from the wait between polls', async () => {
    const { front, client } = await start({ scheduledPolls: 100 });
    const controller = new AbortController();
    const started = Date.now();
    const running = runLogsInsightsQuery(client, 'fields @message', whole, { signal: controller.signal, pollDelays: [30_000] });
    while (!front.calls.some((c) => c.operation === 'StartQuery')) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    await assert.rejects(running, (e: Error) => e instanceof DOMException && e.name === 'AbortError');
    assert.ok(Date.now() - started < 5000, 'the wait woke on abort');
    const stop = front.calls.find((c) => c.operation === 'StopQuery');
    assert.deepEqual(stop?.input, { queryId: 'q-1' });
    assert.equal(front.queries[0].stopped, true);
    assert.equal(front.calls.filter((c) => c.operation === 'GetQueryResults').length, 0);
  });

  it('stops while polling too, and never starts a query when already cancelled', async () => {
    const { front, client } = await start({ scheduledPolls: 1000 });
    const controller = new AbortController();
    const running = runLogsInsightsQuery(client, 'fields @message', whole, { signal: controller.signal, pollDelays: [2], onState: (s, ms) => ms > 100 && s === 'Scheduled' && controller.abort() });
    await assert.rejects(running, { name: 'AbortError' });
    assert.ok(front.calls.some((c) => c.operation === 'StopQuery'));
    const before = front.calls.length;
    await assert.rejects(runLogsInsightsQuery(client, 'fields @message', whole, { signal: AbortSignal.abort() }), { name: 'AbortError' });
    assert.equal(front.calls.length, before, 'no call after an abort');
  });

  it('names the Logs permission a denied call needs', async () => {
    const { client } = await start({ deny: ['StartQuery'] });
    const describeError = (error: unknown, call: string) => describeAwsError(error, call, GROUP).message;
    await assert.rejects(runLogsInsightsQuery(client, 'fields @message', whole, { pollDelays: [1], describeError }), {
      message: `StartQuery on ${GROUP} was denied: the identity needs logs:StartQuery on that resource. Ask for it or choose another profile.`,
    });
    const results = await start({ deny: ['GetQueryResults'] });
    await assert.rejects(runLogsInsightsQuery(results.client, 'fields @message', whole, { pollDelays: [1], describeError }), (e: Error) => /^Logs GetQueryResults on .* needs logs:GetQueryResults on that resource/.test(e.message) && (e.cause as Error).name === 'AccessDeniedException');
  });

  it('refuses an empty log group list and a reversed time range before calling AWS', async () => {
    const { front, client } = await start();
    await assert.rejects(runLogsInsightsQuery(client, 'fields @message', { ...whole, logGroupNames: [] }), /at least one log group/);
    await assert.rejects(runLogsInsightsQuery(client, 'fields @message', { ...whole, startTime: whole.endTime, endTime: whole.startTime }), /must start before it ends/);
    assert.equal(front.calls.length, 0);
  });
});

describe('Logs Insights: paging past the row limit (loopback front)', function () {
  this.timeout(120_000);
  const day = Date.parse('2026-11-01T00:00:00Z');
  const pool = frontPool();
  const start = (events: FrontLogEvent[]) => pool.start({ events, scheduledPolls: 0, runningPolls: 0 });
  after(() => pool.close());

  it('gets 25,000 events, more than one query returns, by querying halves of the day', async () => {
    const events: FrontLogEvent[] = [];
    for (let i = 0; i < 25_000; i++) {
      const at = day + Math.floor((i * 86_400_000) / 25_000);
      events.push({ logGroupName: GROUP, timestamp: at, message: JSON.stringify({ eventTime: new Date(at).toISOString(), eventName: 'GetObject', eventID: `e${i}` }) });
    }
    const { front, client } = await start(events);
    const target = { logGroupNames: [GROUP], startTime: new Date(day), endTime: new Date(day + 86_400_000 - 1) };
    const single = await runLogsInsightsQuery(client, 'fields @timestamp, @message | sort @timestamp desc', target, { pollDelays: [1] });
    assert.equal(single.rows.length, 10_000);
    assert.equal(single.truncated, true);

    const paged = await runLogsInsightsPaged(client, 'fields @timestamp, @message | sort @timestamp desc', target, { pollDelays: [1] });
    assert.equal(paged.truncated, false);
    assert.equal(paged.rows.length, 25_000);
    const ids = eventsFromLogsResult(paged).records.map((r) => (r as { eventID: string }).eventID);
    assert.equal(new Set(ids).size, 25_000, 'every event once');
    assert.deepEqual(ids.slice(0, 3), ['e24999', 'e24998', 'e24997'], 'newest first, as the query sorts');
    assert.equal(ids[ids.length - 1], 'e0');
    const times = column(paged, '@timestamp') as string[];
    assert.ok(times.every((t, i) => i === 0 || t <= times[i - 1]), 'the halves come in the sort order');
    // The whole day (truncated), two halves (truncated), four quarters of 6,250 events.
    assert.equal(paged.queryIds.length, 7);
    assert.equal(paged.stats?.queryId, paged.queryIds[0]);
    // Three passes over the day; the events on a shared boundary second are scanned by both halves.
    assert.ok((paged.stats?.recordsScanned ?? 0) >= 75_000 && (paged.stats?.recordsScanned ?? 0) < 75_010);
    assert.ok(front.calls.filter((c) => c.operation === 'StartQuery').every((c) => c.input.limit === 10_000));
  });

  it('keeps each event once where halves share a second, and follows an ascending sort', async () => {
    const { client } = await start(steadyEvents(day, 40, [0, 10, 19, 20, 29, 39]));
    const target = { logGroupNames: [GROUP], startTime: new Date(day), endTime: new Date(day + 40_000) };
    const ranges: string[] = [];
    const paged = await runLogsInsightsPaged(client, 'fields @timestamp, eventName, @message | sort @timestamp asc', target, { queryLimit: 7, pollDelays: [1], onRange: (r, depth) => ranges.push(`${depth}:${r.startTime.getTime() - day}`) });
    assert.equal(paged.truncated, false);
    const names = column(paged, 'eventName');
    assert.equal(names.length, 46);
    assert.equal(new Set(names).size, 46);
    assert.deepEqual(names.slice(0, 3), ['Call0', 'Call0b', 'Call1']);
    assert.equal(names[names.length - 1], 'Call39b');
    assert.equal(ranges[0], '0:0');
    assert.ok(ranges.length > 3);
  });

  it('stops at maxRows with the newest rows and says it is truncated', async () => {
    const { client } = await start(steadyEvents(day, 100));
    const target = { logGroupNames: [GROUP], startTime: new Date(day), endTime: new Date(day + 100_000) };
    const paged = await runLogsInsightsPaged(client, 'fields eventName | sort @timestamp desc', target, { queryLimit: 10, maxRows: 25, pollDelays: [1] });
    assert.equal(paged.truncated, true);
    assert.deepEqual(
      column(paged, 'eventName'),
      Array.from({ length: 25 }, (_, i) => `Call${99 - i}`),
    );
  });

  it('says truncated when the depth limit leaves a range too full, and does not split aggregates', async () => {
    const { front, client } = await start(steadyEvents(day, 100));
    const target = { logGroupNames: [GROUP], startTime: new Date(day), endTime: new Date(day + 100_000) };
    const shallow = await runLogsInsightsPaged(client, 'fields eventName', target, { queryLimit: 10, maxDepth: 1, pollDelays: [1] });
    assert.equal(shallow.truncated, true);
    assert.equal(shallow.queryIds.length, 3);
    assert.equal(shallow.rows.length, 20);
    const starts = front.calls.filter((c) => c.operation === 'StartQuery').length;
    // 100 groups, 10 a query: counts of halves could not be added up into the day's, so one query.
    const counts = await runLogsInsightsPaged(client, 'stats count(*) by eventName', target, { queryLimit: 10, pollDelays: [1] });
    assert.equal(front.calls.filter((c) => c.operation === 'StartQuery').length, starts + 1);
    assert.equal(counts.truncated, true);
    assert.deepEqual(
      counts.columns.map((c) => c.name),
      ['eventName', 'count(*)'],
    );
    assert.ok(counts.rows.every((r) => /^Call\d+$/.test(String(r[0])) && r[1] === '1'));
    assert.equal(counts.rows.length, 10);
  });

  it('cancels a paged run like a single query', async () => {
    const { front, client } = await start(steadyEvents(day, 100));
    const controller = new AbortController();
    const target = { logGroupNames: [GROUP], startTime: new Date(day), endTime: new Date(day + 100_000) };
    let queries = 0;
    const run = runLogsInsightsPaged(client, 'fields eventName', target, { queryLimit: 10, pollDelays: [1], signal: controller.signal, onRange: () => ++queries === 3 && controller.abort() });
    await assert.rejects(run, { name: 'AbortError' });
    assert.equal(front.calls.filter((c) => c.operation === 'StartQuery').length, 2);
  });
});

describe('Logs Insights: columns (hand-written fake client)', () => {
  it("keeps the query's column order when early rows lack fields, and puts fields no row shares at the end", async () => {
    const answer = {
      status: 'Complete',
      results: [
        [{ field: '@timestamp', value: 't1' }, { field: 'errorCode', value: 'AccessDenied' }, { field: '@ptr', value: 'p1' }],
        [{ field: '@timestamp', value: 't2' }, { field: 'eventName', value: 'GetObject' }, { field: 'errorCode', value: 'NoSuchKey' }],
        [{ field: 'count', value: '7' }],
        [{ field: 'userIdentity.arn', value: 'arn:aws:iam::111122223333:user/alice' }, { field: 'eventName' }],
      ],
    };
    const client = { send: async (command: { constructor: { name: string } }) => (command.constructor.name === 'StartQueryCommand' ? { queryId: 'fake' } : answer) } as unknown as CloudWatchLogsClient;
    const result = await runLogsInsightsQuery(client, 'fields @timestamp, userIdentity.arn, eventName, errorCode', { logGroupNames: [GROUP], startTime: new Date(0), endTime: new Date(1000) }, { pollDelays: [1] });
    assert.deepEqual(
      result.columns.map((c) => c.name),
      ['@timestamp', 'userIdentity.arn', 'eventName', 'errorCode', 'count'],
    );
    assert.deepEqual(result.rows, [
      ['t1', null, null, 'AccessDenied', null],
      ['t2', null, 'GetObject', 'NoSuchKey', null],
      [null, null, null, null, '7'],
      [null, 'arn:aws:iam::111122223333:user/alice', null, null, null],
    ]);
  });
});

describe('Logs Insights: rows as events', () => {
  const result = (messages: unknown[]): TabularResult => ({ columns: [{ name: '@timestamp' }, { name: '@message' }], rows: messages.map((m) => ['2026-11-01 10:00:00.000', m]), truncated: false });

  it('counts every row whose @message is not a CloudTrail event as refused, and never throws', () => {
    const good = JSON.stringify(record({ eventName: 'ConsoleLogin' }));
    const hostile = [
      'not json at all',
      '{"eventTime": "2026-11-01T10:00:00Z", "eventName": ',
      '[{"eventTime": "2026-11-01T10:00:00Z", "eventName": "A"}]',
      '"a string"',
      'null',
      '12345',
      '{"eventName": "NoTime"}',
      '{"eventTime": 5, "eventName": "NumericTime"}',
      '{"__proto__": {"polluted": true}, "eventTime": "x"}',
      `{"eventTime": "2026-11-01T10:00:00Z", "eventName": "Huge", "pad": "${'x'.repeat(3 * 1024 * 1024)}"}`,
      null,
      42,
      '',
    ];
    const { records, refused } = eventsFromLogsResult(result([good, ...hostile, good]));
    assert.equal(records.length, 2);
    assert.equal(refused, hostile.length);
    assert.equal((records[0] as { eventName: string }).eventName, 'ConsoleLogin');
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('keeps an event whose JSON carries a __proto__ key as data, not as its prototype', () => {
    const { records } = eventsFromLogsResult(result(['{"eventTime": "2026-11-01T10:00:00Z", "eventName": "A", "__proto__": {"isAdmin": true}}']));
    assert.equal(records.length, 1);
    assert.equal((records[0] as { isAdmin?: boolean }).isAdmin, undefined);
    assert.equal(({} as { isAdmin?: boolean }).isAdmin, undefined);
  });

  it('refuses every row of a result without @message', () => {
    const { records, refused } = eventsFromLogsResult({ columns: [{ name: 'eventName' }], rows: [['A'], ['B']], truncated: false });
    assert.deepEqual([records.length, refused], [0, 2]);
  });
});

describe('Logs Insights: real Invictus events in moto', function () {
  this.timeout(120_000);
  let moto: MotoServer;
  let client: CloudWatchLogsClient;
  const records = invictusInOrder();
  // moto, like CloudWatch Logs, refuses events older than 14 days: the events keep their 2023
  // eventTime in @message, and are stamped as if delivered over the last few hours.
  const base = Date.now() - 3 * 3600_000 - (Date.parse(records[records.length - 1].eventTime) - Date.parse(records[0].eventTime));
  const stamp = (r: InvictusRecord): number => base + Date.parse(r.eventTime) - Date.parse(records[0].eventTime);
  let saved: string | undefined;

  before(async () => {
    moto = await startMoto();
    saved = process.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS;
    delete process.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS;
    // As the extension does with an emulator: the S3 endpoint setting, which the Logs client follows.
    client = createLogsClient({ endpoints: { s3: moto.endpoint }, credentials: async () => credentials, maxAttempts: 2 }, 'us-east-1');
    await client.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
    await client.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: '111122223333_CloudTrail_us-east-1' }));
    for (let i = 0; i < records.length; i += 500) {
      const batch = records.slice(i, i + 500);
      const put = await client.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: '111122223333_CloudTrail_us-east-1', logEvents: batch.map((r) => ({ timestamp: stamp(r), message: JSON.stringify(r) })) }));
      assert.equal(put.rejectedLogEventsInfo, undefined);
    }
  });

  after(async () => {
    if (saved !== undefined) process.env.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS = saved;
    client?.destroy();
    await moto?.stop();
  });

  it('returns the events put with PutLogEvents as @timestamp and @message rows, which open as the same events', async () => {
    const target = { logGroupNames: [GROUP], startTime: new Date(base - 60_000), endTime: new Date(Date.now() + 60_000) };
    const states: string[] = [];
    const result = await runLogsInsightsQuery(client, 'fields @timestamp, @message | sort @timestamp asc', target, { pollDelays: [1], onState: (s) => states.push(s) });
    assert.deepEqual(states, ['Complete'], 'moto completes at once');
    assert.deepEqual(
      result.columns.map((c) => c.name),
      ['@timestamp', '@message'],
    );
    assert.equal(result.rows.length, records.length);
    assert.equal(result.truncated, false);
    assert.match(result.stats?.queryId ?? '', /^[0-9a-f-]{36}$/);
    const { records: events, refused } = eventsFromLogsResult(result);
    assert.equal(refused, 0);
    assert.deepEqual(
      events.map((e) => (e as InvictusRecord).eventID),
      records.map((r) => r.eventID),
    );
  });

  it("keeps to the time range and the query's own limit", async () => {
    const from = stamp(records[1000]);
    const to = stamp(records[1999]);
    const ranged = await runLogsInsightsQuery(client, 'fields @message', { logGroupNames: [GROUP], startTime: new Date(from), endTime: new Date(to) }, { pollDelays: [1] });
    // moto takes endTime as the instant of that second, StartQuery takes whole seconds.
    const expected = records.filter((r) => stamp(r) >= Math.floor(from / 1000) * 1000 && stamp(r) <= Math.ceil(to / 1000) * 1000);
    assert.equal(ranged.rows.length, expected.length);
    const limited = await runLogsInsightsQuery(client, 'fields @timestamp, @message | sort @timestamp desc | limit 3', { logGroupNames: [GROUP], startTime: new Date(base - 60_000), endTime: new Date() }, { pollDelays: [1] });
    // Newest first; events of the same millisecond may come in either order.
    const newest = new Set(records.filter((r) => stamp(r) >= stamp(records[records.length - 3])).map((r) => r.eventID));
    const ids = eventsFromLogsResult(limited).records.map((e) => (e as InvictusRecord).eventID);
    assert.equal(ids.length, 3);
    assert.ok(ids.every((id) => newest.has(id)), `${ids.join(', ')} are the newest`);
  });
});
