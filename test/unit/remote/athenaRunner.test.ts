// Athena queries from a notebook cell, through a real AthenaClient against the loopback Athena front,
// which executes the SQL with DuckDB over an investigation of the real Invictus logs and answers in
// Athena's shapes (QUEUED → RUNNING → SUCCEEDED/FAILED, 1,000-row pages led by the header row,
// every value a string, throttling). The starter staples come back as the local store answers them.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { partitionDay, starterQueries } from '../../../src/core/notebook/starter';
import { readCsv } from '../../../src/core/remote/athenaCsv';
import { athenaTableDdl } from '../../../src/core/remote/athenaDdl';
import { athenaTableExists, athenaValue, createAthenaClient, runAthenaQuery, workgroupOutputLocation, type AthenaTarget } from '../../../src/core/remote/athenaRunner';
import { RemoteQueryError } from '../../../src/core/remote/queryResult';
import { InvestigationStore } from '../../../src/core/store/investigationStore';
import { plain, startAthenaFront, storeRunner, type AthenaFront } from '../../fixtures/athenaFront';
import { EnvOverride } from '../../fixtures/env';
import { invictusDir } from '../../fixtures/paths';

const credentials = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const TARGET: AthenaTarget = { workgroup: 'primary', database: 'default' };
const FAST = [5, 5, 10];

describe('Athena queries through the loopback Athena front', function () {
  this.timeout(120_000);
  let dir: string;
  let store: InvestigationStore;
  let front: AthenaFront;
  let client: AthenaClient;
  const files = new Map<string, string>();
  let startDay: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'athena-runner-'));
    store = await InvestigationStore.open(path.join(dir, 'inv.ctinv'));
    await store.ingest([{ path: invictusDir }]);
    startDay = partitionDay((await store.query('SELECT min(eventtime) FROM cloudtrail_logs')).rows.map((r) => Date.parse(String(r[0])))[0]);
    front = await startAthenaFront({
      run: storeRunner(store),
      workgroupOutputLocation: 's3://athena-results-111122223333/lens/',
      writeResult: async (uri, csv) => void files.set(uri, csv),
      bytesScanned: () => 123 * 1024 * 1024,
    });
    client = new AthenaClient({ region: 'us-east-1', endpoint: front.url, credentials, maxAttempts: 1 });
  });
  after(async () => {
    client?.destroy();
    await front?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('returns every starter staple with the rows the local store gives, header row dropped', async () => {
    for (const q of starterQueries(startDay)) {
      const local = await store.query(q.sql);
      const remote = await runAthenaQuery(client, q.sql, TARGET, { pollDelays: FAST });
      assert.deepEqual(remote.columns.map((c) => c.name), local.columns, q.title);
      assert.equal(remote.truncated, false);
      assert.deepEqual(remote.rows.map((r) => r.map(plain)), local.rows.map((r) => r.map(plain)), q.title);
    }
  });

  it('types the values by the column info, and shows the bytes scanned and their cost', async () => {
    const states: string[] = [];
    const r = await runAthenaQuery(client, `SELECT eventname, count(*) AS n, count(*) > 5 AS many, avg(1.5) AS x FROM cloudtrail_logs WHERE "timestamp" >= '${startDay}' GROUP BY eventname ORDER BY n DESC, eventname LIMIT 3`, TARGET, {
      pollDelays: FAST,
      onState: (s) => states.push(s),
    });
    assert.deepEqual(r.columns.map((c) => c.type), ['varchar', 'bigint', 'boolean', 'double']);
    assert.equal(typeof r.rows[0][1], 'number');
    assert.equal(typeof r.rows[0][2], 'boolean');
    assert.equal(r.rows[0][3], 1.5);
    assert.deepEqual([...new Set(states)], ['QUEUED', 'RUNNING', 'SUCCEEDED']);
    assert.equal(r.stats?.bytesScanned, 123 * 1024 * 1024);
    assert.match(r.stats?.cost ?? '', /^123\.0 MB scanned, about \$0\.00059$/);
    assert.ok(r.stats?.queryId && front.queries.some((q) => q.id === r.stats?.queryId));
  });

  it('pages past 1,000 rows, keeping only the first page header, and stops at the row cap', async () => {
    const sql = `SELECT eventid FROM cloudtrail_logs WHERE "timestamp" >= '${startDay}' ORDER BY eventid`;
    const all = (await store.query(sql)).rows.map((r) => r[0]);
    assert.ok(all.length > 2000, 'more than two pages');
    const r = await runAthenaQuery(client, sql, TARGET, { pollDelays: FAST });
    assert.deepEqual(r.rows.map((x) => x[0]), all);
    const pages = front.calls.filter((c) => c.operation === 'GetQueryResults' && c.input.QueryExecutionId === r.stats?.queryId);
    assert.equal(pages.length, Math.ceil((all.length + 1) / 1000));
    const capped = await runAthenaQuery(client, sql, TARGET, { pollDelays: FAST, maxRows: 1500 });
    assert.equal(capped.rows.length, 1500);
    assert.equal(capped.truncated, true);
    assert.deepEqual(capped.rows.map((x) => x[0]), all.slice(0, 1500));
  });

  it("reads a result of more than one page from Athena's result file instead of paging", async () => {
    const sql = `SELECT eventid, eventname, readonly FROM cloudtrail_logs WHERE "timestamp" >= '${startDay}' ORDER BY eventid`;
    const local = await store.query(sql);
    let asked: string | undefined;
    const r = await runAthenaQuery(client, sql, TARGET, {
      pollDelays: FAST,
      maxRows: 2500,
      readResultFile: async (uri, columns) => {
        asked = uri;
        const csv = await readCsv((async function* () { yield files.get(uri) ?? ''; })(), 2500, uri);
        return { columns, rows: csv.rows.map((row) => row.map((v, i) => athenaValue(v, columns[i].type))), truncated: csv.truncated };
      },
    });
    assert.match(asked ?? '', /^s3:\/\/athena-results-111122223333\/lens\/[-0-9a-f]+\.csv$/);
    assert.equal(r.stats?.fromResultFile, true);
    assert.equal(r.rows.length, 2500);
    assert.equal(r.truncated, local.rows.length > 2500);
    assert.deepEqual(r.rows.map((x) => x.map(plain)), local.rows.slice(0, 2500).map((x) => x.map(plain)));
    const pages = front.calls.filter((c) => c.operation === 'GetQueryResults' && c.input.QueryExecutionId === r.stats?.queryId);
    assert.equal(pages.length, 1, 'one page, then the file');
  });

  it("fails with Athena's reason and the query id when the query fails", async () => {
    await assert.rejects(
      runAthenaQuery(client, `SELECT no_such_column FROM cloudtrail_logs WHERE "timestamp" >= '${startDay}'`, TARGET, { pollDelays: FAST }),
      (e: unknown) => e instanceof RemoteQueryError && /^Athena query [-0-9a-f]+ failed: .*no_such_column/.test(e.message) && e.queryId !== undefined,
    );
  });

  it('stops the query on Athena when the user cancels, and says it was cancelled', async () => {
    const slow = await startAthenaFront({ run: () => new Promise(() => undefined), pollsBeforeRunning: 1 });
    const slowClient = new AthenaClient({ region: 'us-east-1', endpoint: slow.url, credentials, maxAttempts: 1 });
    try {
      const abort = new AbortController();
      const run = runAthenaQuery(slowClient, 'SELECT 1', TARGET, { pollDelays: [5], signal: abort.signal, onState: (s) => s === 'RUNNING' && abort.abort() });
      await assert.rejects(run, (e: unknown) => (e as Error).name === 'AbortError');
      assert.ok(slow.calls.some((c) => c.operation === 'StopQueryExecution'));
      assert.equal(slow.queries[0].state, 'CANCELLED');
    } finally {
      slowClient.destroy();
      await slow.close();
    }
  });

  it('says so when someone else stopped the query', async () => {
    const slow = await startAthenaFront({ run: () => new Promise(() => undefined) });
    const slowClient = new AthenaClient({ region: 'us-east-1', endpoint: slow.url, credentials, maxAttempts: 1 });
    try {
      const run = runAthenaQuery(slowClient, 'SELECT 1', TARGET, {
        pollDelays: [5],
        onState: (s) => {
          if (s === 'RUNNING') slow.queries[0].state = 'CANCELLED';
        },
      });
      await assert.rejects(run, /was cancelled outside CloudTrail Lens/);
    } finally {
      slowClient.destroy();
      await slow.close();
    }
  });

  it('rides out throttling with the SDK retries', async () => {
    const env = new EnvOverride();
    const throttled = await startAthenaFront({ run: storeRunner(store), throttleEvery: 2 });
    env.set({ AWS_ENDPOINT_URL_ATHENA: throttled.url });
    const retrying = createAthenaClient({ credentials: async () => credentials, maxAttempts: 5 }, 'us-east-1');
    try {
      const r = await runAthenaQuery(retrying, `SELECT count(*) FROM cloudtrail_logs WHERE "timestamp" >= '${startDay}'`, TARGET, { pollDelays: FAST });
      assert.equal(r.rows[0][0], Number((await store.query(`SELECT count(*) FROM cloudtrail_logs`)).rows[0][0]));
      assert.ok(throttled.calls.some((c) => c.throttled), 'some calls were throttled');
    } finally {
      env.restore();
      retrying.destroy();
      await throttled.close();
    }
  });

  it('fails with a sentence naming the call when Athena throttles past the retries', async () => {
    const denied = await startAthenaFront({ run: storeRunner(store), throttleEvery: 1 });
    const once = new AthenaClient({ region: 'us-east-1', endpoint: denied.url, credentials, maxAttempts: 1 });
    try {
      await assert.rejects(runAthenaQuery(once, 'SELECT 1', TARGET, { pollDelays: FAST }), /^Error: AWS is throttling GetQueryExecution on Athena workgroup primary even after retries; wait a minute and try again\.$/);
    } finally {
      once.destroy();
      await denied.close();
    }
  });

  it('creates the trail table once and then finds it, and reads the workgroup result location', async () => {
    const ddl = athenaTableDdl({ table: 'trail_events', bucket: 'audit-logs-111122223333', accountId: '111122223333', regions: ['us-east-1'], startDay });
    assert.equal(await athenaTableExists(client, TARGET, 'trail_events'), false);
    const created = await runAthenaQuery(client, ddl, TARGET, { pollDelays: FAST });
    assert.deepEqual(created.rows, []);
    assert.equal(created.stats?.cost, undefined, 'DDL costs nothing');
    assert.equal(await athenaTableExists(client, TARGET, 'trail_events'), true);
    assert.equal(await workgroupOutputLocation(client, 'primary'), 's3://athena-results-111122223333/lens/');
  });

  it('refuses an empty query or workgroup before calling Athena', async () => {
    const before = front.calls.length;
    await assert.rejects(runAthenaQuery(client, '  ', TARGET), /empty/);
    await assert.rejects(runAthenaQuery(client, 'SELECT 1', { ...TARGET, workgroup: '' }), /workgroup/);
    assert.equal(front.calls.length, before);
  });
});
