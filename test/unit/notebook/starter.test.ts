// The starter notebook's staples, run unchanged on a local investigation of the real Invictus logs and
// checked against the same answers computed here from the records; their SQL is also Trino's (what
// Athena runs) and filters the day partition, so Athena reads only the days asked for.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PLACEHOLDER_IP, PLACEHOLDER_KEY, partitionDay, starterCells, starterQueries } from '../../../src/core/notebook/starter';
import { unboundedScanProblem } from '../../../src/core/remote/athenaDdl';
import { InvestigationStore } from '../../../src/core/store/investigationStore';
import { invictusRecords } from '../../fixtures/invictus';
import { invictusDir } from '../../fixtures/paths';
import { trinoErrors } from '../../fixtures/sqlGrammar';

interface Rec {
  eventID?: string;
  eventName?: string;
  eventSource?: string;
  eventTime?: string;
  eventType?: string;
  errorCode?: string;
  sourceIPAddress?: string;
  userIdentity?: { type?: string; arn?: string; accessKeyId?: string; invokedBy?: string };
  additionalEventData?: { MFAUsed?: string };
  responseElements?: { accessKey?: { accessKeyId?: string; userName?: string } } | null;
}

const records = (): Rec[] => invictusRecords<Rec>();

const byTime = (a: Rec, b: Rec): number => (a.eventTime! < b.eventTime! ? -1 : a.eventTime! > b.eventTime! ? 1 : 0);

describe('the starter query notebook', function () {
  this.timeout(120_000);
  let dir: string;
  let store: InvestigationStore;
  let all: Rec[];
  let startDay: string;
  let queries: ReturnType<typeof starterQueries>;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'starter-'));
    store = await InvestigationStore.open(path.join(dir, 'inv.ctinv'));
    // The Invictus logs have no root activity: three root events join them, of which only the first
    // is the root user's own call (the others a service acting for it, and a service event).
    const base = records().find((e) => e.eventType === 'AwsApiCall')!;
    const rootIdentity = { type: 'Root', principalId: '111122223333', arn: 'arn:aws:iam::111122223333:root', accountId: '111122223333' };
    const rootEvents: Rec[] = [
      { ...base, eventID: 'root-own-call', eventName: 'GetAccountSummary', userIdentity: rootIdentity },
      { ...base, eventID: 'root-invoked-by', userIdentity: { ...rootIdentity, invokedBy: 'cloudformation.amazonaws.com' } },
      { ...base, eventID: 'root-service-event', eventType: 'AwsServiceEvent', userIdentity: rootIdentity },
    ];
    writeFileSync(path.join(dir, 'root.json'), JSON.stringify({ Records: rootEvents }));
    await store.ingest([{ path: invictusDir }, { path: path.join(dir, 'root.json') }]);
    all = [...records(), ...rootEvents];
    const first = all.map((r) => Date.parse(r.eventTime ?? '')).filter((t) => !Number.isNaN(t)).sort((a, b) => a - b)[0];
    startDay = partitionDay(first);
    queries = starterQueries(startDay);
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const query = (title: string): string => {
    const q = queries.find((x) => x.title === title);
    assert.ok(q, title);
    return q.sql;
  };
  async function run(sql: string): Promise<{ columns: string[]; rows: unknown[][] }> {
    return store.query(sql);
  }
  const column = (r: { columns: string[]; rows: unknown[][] }, name: string): unknown[] => {
    const i = r.columns.indexOf(name);
    assert.ok(i >= 0, `column ${name} in ${r.columns.join(', ')}`);
    return r.rows.map((row) => row[i]);
  };

  it("is Trino's SQL, filters the day partition, and refuses a day that is not yyyy/MM/dd", () => {
    assert.equal(queries.length, 6);
    for (const q of queries) {
      assert.deepEqual(trinoErrors(q.sql), [], q.title);
      assert.equal(unboundedScanProblem(q.sql, 'cloudtrail_logs'), undefined, q.title);
      assert.ok(q.sql.includes(`'${startDay}'`), q.title);
    }
    assert.throws(() => starterQueries("2023/07/01' OR 1=1 --"), /not a day/);
    assert.throws(() => starterQueries('2023-07-01'), /not a day/);
    const cells = starterCells(startDay);
    assert.equal(cells.filter((c) => c.kind === 'sql').length, 6);
    assert.ok(cells.every((c) => c.kind === 'markdown' || c.target === 'local'));
    assert.match(cells[0].source, new RegExp(startDay.replace(/\//g, '\\/')));
  });

  it('names the UTC day an event falls on as the partition does', () => {
    assert.equal(partitionDay(Date.parse('2023-07-14T23:59:59Z')), '2023/07/14');
    assert.equal(partitionDay(Date.parse('2023-07-15T00:00:00Z')), '2023/07/15');
  });

  it('finds the console logins without MFA, in time order, with their event ids', async () => {
    const r = await run(query('Console logins without MFA'));
    const expected = all.filter((e) => e.eventName === 'ConsoleLogin' && e.additionalEventData?.MFAUsed === 'No').sort(byTime);
    assert.ok(expected.length > 0);
    assert.deepEqual(new Set(column(r, 'eventid')), new Set(expected.map((e) => e.eventID)));
    assert.deepEqual(column(r, 'eventtime'), expected.map((e) => e.eventTime));
    assert.ok(column(r, '$path').every((p) => typeof p === 'string' && p.length > 0));
  });

  it("lists the root user's own calls", async () => {
    const r = await run(query('Root user activity'));
    const expected = all.filter((e) => e.userIdentity?.type === 'Root' && e.userIdentity.invokedBy === undefined && e.eventType !== undefined && e.eventType !== 'AwsServiceEvent');
    assert.deepEqual(column(r, 'eventid'), ['root-own-call']);
    assert.deepEqual(expected.map((e) => e.eventID), ['root-own-call']);
  });

  it('counts the denied calls of each principal, most first', async () => {
    const r = await run(query('AccessDenied by principal'));
    const codes = ['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Client.UnauthorizedOperation'];
    const counts = new Map<string | null, number>();
    for (const e of all.filter((x) => codes.includes(x.errorCode ?? ''))) counts.set(e.userIdentity?.arn ?? null, (counts.get(e.userIdentity?.arn ?? null) ?? 0) + 1);
    assert.ok(counts.size > 0);
    const got = new Map(r.rows.map((row) => [row[0] as string | null, Number(row[1])]));
    assert.deepEqual(got, new Map([...counts].sort((a, b) => b[1] - a[1]).slice(0, 100)));
    const denied = column(r, 'denied').map(Number);
    assert.deepEqual(denied, [...denied].sort((a, b) => b - a));
  });

  it('finds the calls that stop, delete or narrow a trail', async () => {
    const r = await run(query('Trail tampering'));
    const names = ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'PutInsightSelectors'];
    const expected = all.filter((e) => e.eventSource === 'cloudtrail.amazonaws.com' && names.includes(e.eventName ?? ''));
    assert.ok(expected.length > 0);
    assert.deepEqual(new Set(column(r, 'eventid')), new Set(expected.map((e) => e.eventID)));
  });

  it('lists each access key created with the calls made with it', async () => {
    const r = await run(query('Access keys created, and their use'));
    const created = all.filter((e) => e.eventName === 'CreateAccessKey' && e.errorCode === undefined && e.responseElements?.accessKey?.accessKeyId);
    assert.ok(created.length > 0);
    const expected = new Map(created.map((e) => [e.responseElements!.accessKey!.accessKeyId!, all.filter((u) => u.userIdentity?.accessKeyId === e.responseElements!.accessKey!.accessKeyId).length]));
    assert.deepEqual(new Map(r.rows.map((row) => [row[r.columns.indexOf('key_id')] as string, Number(row[r.columns.indexOf('calls')])])), expected);
  });

  it('follows one key or address once its values are filled in, and finds nothing for the placeholders', async () => {
    const sql = query('Activity of one access key or IP');
    const keys = new Map<string, number>();
    for (const e of all) if (e.userIdentity?.accessKeyId) keys.set(e.userIdentity.accessKeyId, (keys.get(e.userIdentity.accessKeyId) ?? 0) + 1);
    const key = [...keys].sort((a, b) => b[1] - a[1])[0][0];
    const ip = all.find((e) => e.userIdentity?.accessKeyId !== key && e.sourceIPAddress && /^\d/.test(e.sourceIPAddress))!.sourceIPAddress!;
    const r = await run(sql.replace(PLACEHOLDER_KEY, key).replace(PLACEHOLDER_IP, ip));
    const expected = all.filter((e) => e.userIdentity?.accessKeyId === key || e.sourceIPAddress === ip).sort(byTime);
    assert.ok(expected.length > keys.get(key)!, 'both the key and the address matched');
    assert.deepEqual(new Set(column(r, 'eventid')), new Set(expected.map((e) => e.eventID)));
    assert.deepEqual(column(r, 'eventtime'), expected.map((e) => e.eventTime));
    const placeholder = await run(sql);
    assert.equal(placeholder.rows.length, all.filter((e) => e.userIdentity?.accessKeyId === PLACEHOLDER_KEY || e.sourceIPAddress === PLACEHOLDER_IP).length);
  });
});
