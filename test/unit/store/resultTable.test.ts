// A large Athena result kept in the investigation: the result file Athena writes (as the loopback
// Athena front writes it, from a real query over the Invictus logs) read by the real DuckDB into a
// table, its rows in the file's order and typed by Athena's column types; a file that is not the
// query's, or is malformed, refused with the file named and the store left as it was.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { InvestigationStore } from '../../../src/core/store/investigationStore';
import { duckdbTypeOf, RESULT_ROW_COLUMN, resultTableName, resultTableSql, tableColumnNames } from '../../../src/core/store/resultTable';
import { athenaCsv, plain, storeRunner } from '../../fixtures/athenaFront';
import { invictusDir } from '../../fixtures/paths';

describe('Athena result tables', () => {
  describe('names and types', () => {
    it('names the table after the query id with only [a-z0-9_], whatever the id holds', () => {
      assert.equal(resultTableName('1A2b3c4d-5e6f-7a8b-9c0d-112233445566'), 'athena_1a2b3c4d5e6f');
      assert.equal(resultTableName('"; DROP TABLE ctl_events; --'), 'athena_dabecee');
      assert.equal(resultTableName('!!!'), 'athena_result');
    });

    it('types numbers, booleans, dates and timestamps, and keeps everything else as text', () => {
      const cases: [string | undefined, string][] = [
        ['bigint', 'BIGINT'],
        ['integer', 'INTEGER'],
        ['double', 'DOUBLE'],
        ['real', 'FLOAT'],
        ['boolean', 'BOOLEAN'],
        ['date', 'DATE'],
        ['timestamp', 'TIMESTAMP'],
        ['timestamp with time zone', 'TIMESTAMPTZ'],
        ['decimal(10,2)', 'DECIMAL(10, 2)'],
        ['decimal(99,2)', 'VARCHAR'],
        ['array(varchar)', 'VARCHAR'],
        ['row(a integer)', 'VARCHAR'],
        ['varchar', 'VARCHAR'],
        ['BIGINT); DROP TABLE x; --', 'VARCHAR'],
        [undefined, 'VARCHAR'],
      ];
      for (const [athena, duck] of cases) assert.equal(duckdbTypeOf(athena), duck, String(athena));
    });

    it('makes the column names distinct as DuckDB compares them, and never the row column', () => {
      assert.deepEqual(tableColumnNames([{ name: 'eventName' }, { name: 'EventName' }, { name: RESULT_ROW_COLUMN }, { name: '' }, { name: 'a"b\u0007' }]), [
        'eventName',
        'EventName_2',
        `${RESULT_ROW_COLUMN}_2`,
        '_col3',
        'a"b',
      ]);
    });

    it('refuses a table name that is not its own, and quotes the file and the column names', () => {
      assert.throws(() => resultTableSql('/tmp/x.csv', 'x"; DROP', [{ name: 'a' }]), RangeError);
      const sql = resultTableSql("/tmp/it's.csv", 'athena_ab', [{ name: 'a"b', type: 'bigint' }]);
      assert.match(sql, /read_csv\('\/tmp\/it''s\.csv'/);
      assert.match(sql, /CAST\(c0 AS BIGINT\) AS "a""b"/);
    });
  });

  describe('in the store', function () {
    this.timeout(120_000);
    let dir: string;
    let store: InvestigationStore;
    const tableCount = async (table: string) => Number((await store.query(`SELECT count(*) FROM duckdb_tables() WHERE table_name = '${table}'`)).rows[0][0]);

    before(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'result-table-'));
      store = await InvestigationStore.open(path.join(dir, 'inv.ctinv'));
      await store.ingest([{ path: invictusDir }]);
    });
    after(async () => {
      await store?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it("keeps every row of a real result in the file's order, typed, to query with SQL", async () => {
      const sql =
        'SELECT eventid, eventname, from_iso8601_timestamp(eventtime) AS t, errorcode IS NULL AS succeeded, useridentity.arn AS arn, requestparameters, ' +
        'CAST(length(coalesce(requestparameters, \'\')) AS BIGINT) AS n FROM cloudtrail_logs ORDER BY eventtime DESC, eventid';
      const answer = await storeRunner(store)(sql);
      assert.equal(answer.rows.length, 2900);
      assert.deepEqual(
        answer.columns.map((c) => c.type),
        ['varchar', 'varchar', 'timestamp with time zone', 'boolean', 'varchar', 'varchar', 'bigint'],
      );
      const file = path.join(dir, 'result.csv');
      writeFileSync(file, athenaCsv(answer));
      const kept = await store.importResultCsv(file, 'athena_0123456789ab', answer.columns);
      assert.deepEqual(kept, { table: 'athena_0123456789ab', rows: 2900, columns: [RESULT_ROW_COLUMN, 'eventid', 'eventname', 't', 'succeeded', 'arn', 'requestparameters', 'n'] });
      const back = await store.query(`SELECT * EXCLUDE (${RESULT_ROW_COLUMN}) FROM athena_0123456789ab ORDER BY ${RESULT_ROW_COLUMN}`);
      assert.deepEqual(back.rows.map((r) => r.map(plain)), answer.rows.map((r) => r.map(plain)));
      const types = (await store.query('DESCRIBE athena_0123456789ab')).rows.map((r) => String(r[1]));
      assert.deepEqual(types, ['BIGINT', 'VARCHAR', 'VARCHAR', 'TIMESTAMP WITH TIME ZONE', 'BOOLEAN', 'VARCHAR', 'VARCHAR', 'BIGINT']);
      // Typed columns answer SQL as the query's would.
      const failed = await store.query('SELECT count(*) FROM athena_0123456789ab WHERE NOT succeeded');
      const local = await store.query('SELECT count(*) FROM cloudtrail_logs WHERE errorcode IS NOT NULL');
      assert.deepEqual(failed.rows, local.rows);
    });

    it('keeps quotes, commas, line breaks and empty text apart from NULL, and replaces a table of the same name', async () => {
      const file = path.join(dir, 'hostile.csv');
      writeFileSync(file, ['"n","text","when"', '"1","a ""q"", b\r\nc","2026-11-30 12:00:00.000"', '"2","",', '"3",,"2026-12-01 00:00:00.000"', '"4","ünï ☃",""'].join('\n') + '\n');
      const columns = [{ name: 'n', type: 'integer' }, { name: 'text', type: 'varchar' }, { name: 'when', type: 'varchar' }];
      await store.importResultCsv(file, 'athena_hostile', columns);
      const rows = (await store.query(`SELECT n, text, "when" FROM athena_hostile ORDER BY ${RESULT_ROW_COLUMN}`)).rows;
      assert.deepEqual(rows, [
        [1, 'a "q", b\r\nc', '2026-11-30 12:00:00.000'],
        [2, '', null],
        [3, null, '2026-12-01 00:00:00.000'],
        [4, 'ünï ☃', ''],
      ]);
      writeFileSync(file, '"n","text","when"\n"9","x","y"\n');
      assert.equal((await store.importResultCsv(file, 'athena_hostile', columns)).rows, 1);
    });

    it("numbers the rows in the file's order across the reader's buffers (a 45 MB file read in parallel)", async () => {
      const file = path.join(dir, 'big.csv');
      const pad = 'x'.repeat(100);
      const lines = ['"n","pad"'];
      for (let i = 0; i < 400_000; i++) lines.push(`"${i}","${pad}"`);
      writeFileSync(file, lines.join('\n') + '\n');
      const kept = await store.importResultCsv(file, 'athena_big', [{ name: 'n', type: 'bigint' }, { name: 'pad', type: 'varchar' }]);
      assert.equal(kept.rows, 400_000);
      assert.deepEqual((await store.query(`SELECT count(*) FROM athena_big WHERE ${RESULT_ROW_COLUMN} <> n + 1`)).rows, [['0']]);
      await store.query('DROP TABLE athena_big');
    });

    it('refuses a file that is not the query result, malformed or mistyped, naming it and leaving no table', async () => {
      const columns = [{ name: 'n', type: 'bigint' }, { name: 'name', type: 'varchar' }];
      const cases: [string, RegExp][] = [
        ['"count","name"\n"1","a"\n', /header \(count, name\) is not the query's columns \(n, name\)/],
        ['"n","name"\n"1","a","extra"\n', /could not be read into table athena_bad/],
        ['"n","name"\n"1","a\n', /could not be read into table athena_bad/],
        ['"n","name"\n"one","a"\n', /could not be read into table athena_bad: .*Could not convert string 'one'/],
        ['', /header \(\) is not the query's columns/],
      ];
      for (const [text, message] of cases) {
        const file = path.join(dir, 'bad.csv');
        writeFileSync(file, text);
        await assert.rejects(store.importResultCsv(file, 'athena_bad', columns), (e: Error) => message.test(e.message) && e.message.includes(file), text);
        assert.equal(await tableCount('athena_bad'), 0, text);
      }
      // Insertion order goes back to the store's setting after a refusal too.
      assert.deepEqual((await store.query("SELECT current_setting('preserve_insertion_order')")).rows, [[false]]);
    });

    it('refuses a FIFO in place of the file instead of waiting on it', async () => {
      const fifo = path.join(dir, 'fifo.csv');
      execFileSync('mkfifo', [fifo]);
      await assert.rejects(store.importResultCsv(fifo, 'athena_fifo', [{ name: 'n' }]), /not a regular file|regular/);
    });

    it('refuses to write into an investigation opened read-only', async () => {
      const file = path.join(dir, 'ro.ctinv');
      await (await InvestigationStore.open(file)).close();
      const ro = await InvestigationStore.open(file, { readOnly: true });
      try {
        writeFileSync(path.join(dir, 'one.csv'), '"n"\n"1"\n');
        await assert.rejects(ro.importResultCsv(path.join(dir, 'one.csv'), 'athena_ro', [{ name: 'n' }]), /open read-only/);
      } finally {
        await ro.close();
      }
    });
  });
});
