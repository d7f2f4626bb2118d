// `cloudtrail-lens ingest` and `query`: what a terminal user sees, and the exit codes.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ingestCommand, queryCommand } from '../../../src/core/cli/investigate';
import { invictusDir } from '../../fixtures/paths';
import { record } from '../../fixtures/records';

async function run(command: typeof ingestCommand, args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await command(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('cloudtrail-lens ingest and query', function () {
  this.timeout(120_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'cli-inv-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('ingests the real dataset, then answers Athena-style SQL as a table, JSON and CSV', async () => {
    const db = path.join(dir, 'x.ctinv');
    const ingested = await run(ingestCommand, [invictusDir, '--db', db]);
    assert.equal(ingested.code, 0, ingested.err);
    assert.match(ingested.out, /read 55 files, 2,900 events; stored 2,900 events in/);
    const sql = "SELECT caller_label, count(*) AS n FROM cloudtrail_logs WHERE regexp_like(eventname, '^Describe') GROUP BY 1 ORDER BY n DESC LIMIT 2";
    const table = await run(queryCommand, ['--db', db, sql]);
    assert.equal(table.code, 0, table.err);
    const lines = table.out.trimEnd().split('\n');
    assert.match(lines[0], /^caller_label\s+n$/);
    assert.match(lines[2], /^bert-jan\s+\d+$/);
    assert.equal(lines.at(-1), '(2 rows)');
    const json = JSON.parse((await run(queryCommand, ['--db', db, sql, '--json'])).out) as { caller_label: string; n: string }[];
    assert.equal(json[0].caller_label, 'bert-jan');
    const csv = (await run(queryCommand, ['--db', db, sql, '--csv'])).out.split('\r\n');
    assert.equal(csv[0], 'caller_label,n');
    assert.match(csv[1], /^bert-jan,\d+$/);
  });

  it('names refused files with why and exits 1; escapes what input put in names; a bad query exits 2 with DuckDB\'s caret', async () => {
    writeFileSync(path.join(dir, 'good.json'), JSON.stringify({ Records: [record({ eventName: 'Get\u001b[2JObject' })] }));
    writeFileSync(path.join(dir, 'evil\u001b[2J.json'), '{"Records": [');
    const db = path.join(dir, 'y.ctinv');
    const ingested = await run(ingestCommand, [dir, '--db', db]);
    assert.equal(ingested.code, 1);
    assert.match(ingested.out, /1 file refused/);
    assert.match(ingested.out, /evil\\x1b\[2J\.json: /);
    assert.ok(!ingested.out.includes('\u001b'));
    const names = await run(queryCommand, ['--db', db, 'SELECT eventname FROM cloudtrail_logs']);
    assert.match(names.out, /Get\\x1b\[2JObject/);
    assert.ok(!names.out.includes('\u001b'));
    const bad = await run(queryCommand, ['--db', db, 'SELEC 1']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /syntax error at or near "SELEC"\n\nLINE 1: SELEC 1\n +\^/);
  });

  it('exits 2 on usage errors', async () => {
    assert.equal((await run(ingestCommand, [invictusDir])).code, 2);
    assert.equal((await run(ingestCommand, ['--db', path.join(dir, 'z.ctinv')])).code, 2);
    assert.equal((await run(ingestCommand, [invictusDir, '--db', path.join(dir, 'z.ctinv'), '--start-time', 'yesterday-ish'])).code, 2);
    assert.equal((await run(queryCommand, ['SELECT 1'])).code, 2);
  });
});
