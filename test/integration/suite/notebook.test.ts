// Query notebooks in the real VS Code: a .ctnb file opened through the serializer, a cell run on the
// local investigation of the Invictus logs, the same SQL run on Athena (the loopback Athena front,
// which runs it with DuckDB and answers in Athena's shapes), its rows opened as an event document,
// and a saved notebook that keeps its queries and targets.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CloudTrailClient, CreateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { InvestigationDocument } from '../../../src/extension/investigation/investigationEditor';
import type { QueryNotebooks } from '../../../src/extension/notebook/queryNotebook';
import type { ResultPayload } from '../../../src/extension/notebook/notebookSerializer';
import type { InvestigationStore } from '../../../src/core/store/investigationStore';
import { startAthenaFront, storeRunner, type AthenaFront } from '../../fixtures/athenaFront';
import { EnvOverride } from '../../fixtures/env';
import { startMoto, type MotoServer } from '../../fixtures/moto';
import { invictusDir } from '../../fixtures/paths';

const RESULT_MIME = 'application/vnd.cloudtrail-lens.result+json';
const BERT = 'arn:aws:iam::123837392027:user/bert-jan';
const ORG_BUCKET = 'org-trail-logs';
const ORG = 'o-abcdefghij';
const LOG_GROUP = 'aws-cloudtrail-logs-org-trail';
const RESULTS_BUCKET = 'athena-results-123837392027';

/** The Invictus files as an organization trail writes them: AWSLogs/o-…/account/CloudTrail/region/yyyy/MM/dd/name.json.gz. */
function orgKeys(): Map<string, string> {
  const keys = new Map<string, string>();
  for (const name of readdirSync(invictusDir)) {
    const m = /^(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{4})(\d{2})(\d{2})T/.exec(name);
    if (m) keys.set(name, `AWSLogs/${ORG}/${m[1]}/CloudTrail/${m[2]}/${m[3]}/${m[4]}/${m[5]}/${name}.gz`);
  }
  return keys;
}

interface Api {
  notebooks: QueryNotebooks;
  session: { setRegions(regions: string[]): Promise<void>; setProfile(p: string | undefined): Promise<void>; reset(): void };
}

/** Runs one cell with VS Code's own command and returns what the cell showed. */
async function runCell(api: Api, notebook: vscode.NotebookDocument, index: number): Promise<{ payload?: ResultPayload; error?: string; text: string }> {
  const done = new Promise<{ payload?: ResultPayload; error?: string }>((resolve) => {
    const sub = api.notebooks.onDidRunCell((e) => {
      if (e.cell.notebook !== notebook || e.cell.index !== index) return;
      sub.dispose();
      resolve(e);
    });
  });
  await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: index, end: index + 1 }], document: notebook.uri });
  const outcome = await Promise.race([done, new Promise<never>((_r, reject) => setTimeout(() => reject(new Error(`cell ${index + 1} did not finish`)), 90_000))]);
  const items = notebook.cellAt(index).outputs.flatMap((o) => o.items);
  const text = items.filter((i) => i.mime === 'text/plain').map((i) => new TextDecoder().decode(i.data)).join('\n');
  const json = items.find((i) => i.mime === RESULT_MIME);
  const shown = json ? (JSON.parse(new TextDecoder().decode(json.data)) as ResultPayload) : undefined;
  if (outcome.payload) assert.deepEqual(shown?.rows, outcome.payload.rows, 'the output holds the rows the run produced');
  return { ...outcome, payload: shown ?? outcome.payload, text };
}

describe('Query notebooks', function () {
  this.timeout(240_000);
  let api: Api;
  let dir: string;
  let investigation: InvestigationDocument;
  let notebook: vscode.NotebookDocument;
  let front: AthenaFront;
  let moto: MotoServer;
  let keys = new Map<string, string>();
  let bertEvents: { eventID: string; userIdentity?: { arn?: string } }[] = [];
  const env = new EnvOverride();
  let sql: string;
  let bigSql: string;
  let day: string;
  let s3: S3Client;

  before(async () => {
    api = (await vscode.extensions.getExtension<Api>('cloudtrail-lens.cloudtrail-lens')!.activate()) as Api;
    dir = mkdtempSync(path.join(tmpdir(), 'notebook-it-'));
    const target = vscode.Uri.file(path.join(dir, 'invictus.ctinv'));
    const opened = await vscode.commands.executeCommand<InvestigationDocument | undefined>('cloudtrailLens.newInvestigation', undefined, [vscode.Uri.file(invictusDir)], target);
    assert.ok(opened?.client, 'New Investigation opened no investigation');
    investigation = opened;
    const first = (await investigation.client!.info()).first!;
    day = new Date(first).toISOString().slice(0, 10).replace(/-/g, '/');
    bigSql = `SELECT eventid, eventtime, eventname, errorcode IS NULL AS succeeded FROM cloudtrail_logs WHERE "timestamp" >= '${day}' ORDER BY eventtime, eventid`;
    sql = `SELECT eventname, count(*) AS n, eventid IS NOT NULL AS has_id FROM cloudtrail_logs WHERE "timestamp" >= '${day}' AND useridentity.arn = '${BERT}' GROUP BY eventname, 3 ORDER BY n DESC, eventname LIMIT 5`;
    keys = orgKeys();
    assert.ok(keys.size > 50, 'the Invictus files are named as CloudTrail names them');
    // The trail bucket in moto, holding the Invictus files as an organization trail lays them out.
    moto = await startMoto();
    s3 = new S3Client({ region: 'us-east-1', endpoint: moto.endpoint, forcePathStyle: true, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await s3.send(new CreateBucketCommand({ Bucket: ORG_BUCKET }));
    await s3.send(new CreateBucketCommand({ Bucket: RESULTS_BUCKET }));
    for (const [name, key] of keys) await s3.send(new PutObjectCommand({ Bucket: ORG_BUCKET, Key: key, Body: gzipSync(readFileSync(path.join(invictusDir, name))) }));
    // The trail's log group in moto, with Bert-Jan's events as CloudTrail delivers them (stamped as
    // delivered over the last hour: CloudWatch Logs refuses events older than 14 days).
    bertEvents = [...keys.keys()]
      .flatMap((name) => (JSON.parse(readFileSync(path.join(invictusDir, name), 'utf8')) as { Records: { eventID: string; userIdentity?: { arn?: string } }[] }).Records)
      .filter((e) => e.userIdentity?.arn === BERT);
    const logs = new CloudWatchLogsClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await logs.send(new CreateLogGroupCommand({ logGroupName: LOG_GROUP }));
    // Two more groups, for the picker: one named like a trail's that no trail delivers to, one not.
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'aws-cloudtrail-logs-retired' }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/app/web' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: LOG_GROUP, logStreamName: '218007301253_CloudTrail_us-east-1' }));
    const now = Date.now();
    await logs.send(new PutLogEventsCommand({ logGroupName: LOG_GROUP, logStreamName: '218007301253_CloudTrail_us-east-1', logEvents: bertEvents.map((e, i) => ({ timestamp: now - 3600_000 + i * 1000, message: JSON.stringify(e) })) }));
    logs.destroy();
    // The trail that delivers to LOG_GROUP, in moto's CloudTrail: the log-group picker pre-selects its group.
    const cloudtrail = new CloudTrailClient({ region: 'us-east-1', endpoint: moto.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await cloudtrail.send(
      new CreateTrailCommand({
        Name: 'org-trail',
        S3BucketName: ORG_BUCKET,
        IsMultiRegionTrail: true,
        CloudWatchLogsLogGroupArn: `arn:aws:logs:us-east-1:123456789012:log-group:${LOG_GROUP}:*`,
        CloudWatchLogsRoleArn: 'arn:aws:iam::123456789012:role/CloudTrail_CloudWatchLogs_Role',
      }),
    );
    cloudtrail.destroy();
    // The Athena front runs the SQL on the same investigation, through the store's worker; "$path"
    // then names the object in the bucket, as Athena's does.
    const local = storeRunner(investigation.client as unknown as InvestigationStore);
    front = await startAthenaFront({
      run: async (statement) => {
        // A query that never ends, for the cancel test.
        if (statement.includes('/* hold */')) return new Promise(() => undefined);
        const answer = await local(statement);
        const at = answer.columns.findIndex((c) => c.name === '$path');
        if (at >= 0) for (const row of answer.rows) row[at] = `s3://${ORG_BUCKET}/${keys.get(path.basename(String(row[at]))) ?? 'missing'}`;
        return answer;
      },
      workgroupOutputLocation: `s3://${RESULTS_BUCKET}/`,
      // Each SELECT's result file, written to the results bucket in moto as Athena writes it.
      writeResult: async (uri, csv) => {
        const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(uri)!;
        await s3.send(new PutObjectCommand({ Bucket: m[1], Key: m[2], Body: csv }));
      },
      bytesScanned: () => 42 * 1024 * 1024,
    });
    const empty = path.join(dir, 'empty');
    writeFileSync(empty, '');
    env.set({ AWS_ENDPOINT_URL_ATHENA: front.url, AWS_CONFIG_FILE: empty, AWS_SHARED_CREDENTIALS_FILE: empty, AWS_PROFILE: undefined, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_ENDPOINT_URL_S3: moto.endpoint, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: moto.endpoint, AWS_ENDPOINT_URL_CLOUDTRAIL: moto.endpoint });
    api.session.reset();
    await api.session.setProfile(undefined);
    await api.session.setRegions(['us-east-1']);
    // What "Run, and Don't Ask Again" keeps, so the write notice does not wait for a click.
    await api.notebooks.acknowledgeAthenaWrites('us-east-1', 'primary');

    const file = path.join(dir, 'incident.ctnb');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'cloudtrail-lens-notebook',
        version: 1,
        investigation: 'invictus.ctinv',
        cells: [
          { kind: 'markdown', source: '# Bert-Jan' },
          { kind: 'sql', source: sql, target: 'local' },
          { kind: 'sql', source: sql, target: 'athena' },
          { kind: 'sql', source: `SELECT eventid, eventtime, eventname FROM cloudtrail_logs WHERE "timestamp" >= '${day}' AND useridentity.arn = '${BERT}' ORDER BY eventtime LIMIT 40`, target: 'local' },
          { kind: 'sql', source: 'SELECT no_such_column FROM cloudtrail_logs', target: 'local' },
          { kind: 'sql', source: `SELECT eventid, eventtime, eventname, "$path" FROM cloudtrail_logs WHERE "timestamp" >= '${day}' AND useridentity.arn = '${BERT}' ORDER BY eventtime LIMIT 25`, target: 'athena' },
          { kind: 'sql', source: 'fields @timestamp, @message | sort @timestamp asc', target: 'logs', logs: { logGroupNames: [LOG_GROUP], range: { last: '24h' }, region: 'us-east-1' } },
          { kind: 'sql', source: `SELECT /* hold */ count(*) FROM cloudtrail_logs WHERE "timestamp" >= '${day}'`, target: 'athena' },
          { kind: 'sql', source: bigSql, target: 'athena' },
          { kind: 'sql', source: 'SELECT 1', target: 'local' },
          { kind: 'sql', source: 'fields @timestamp, @message | sort @timestamp asc', target: 'logs' },
        ],
      }),
    );
    notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(file));
    await vscode.window.showNotebookDocument(notebook);
    api.notebooks.prefer(notebook);
  });

  after(async () => {
    env.restore();
    await api?.session.setRegions([]);
    api?.session.reset();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('cloudtrailLens').update('notebooks.maxRows', undefined, vscode.ConfigurationTarget.Global);
    await front?.close();
    s3?.destroy();
    await moto?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens a saved notebook with its Markdown and SQL cells and where each runs', () => {
    assert.equal(notebook.notebookType, 'cloudtrail-lens-notebook');
    assert.deepEqual(
      notebook.getCells().map((c) => [c.kind === vscode.NotebookCellKind.Markup ? 'markdown' : 'sql', c.metadata.target ?? null]),
      [
        ['markdown', null],
        ['sql', 'local'],
        ['sql', 'athena'],
        ['sql', 'local'],
        ['sql', 'local'],
        ['sql', 'athena'],
        ['sql', 'logs'],
        ['sql', 'athena'],
        ['sql', 'athena'],
        ['sql', 'local'],
        ['sql', 'logs'],
      ],
    );
  });

  it('runs a cell on the local investigation and shows the rows the store gives', async () => {
    const expected = await investigation.client!.query(sql);
    assert.ok(expected.rows.length > 1, 'Bert-Jan made several kinds of call');
    const r = await runCell(api, notebook, 1);
    assert.equal(r.error, undefined);
    assert.equal(r.payload?.engine, 'local');
    assert.deepEqual(r.payload?.columns.map((c) => c.name), ['eventname', 'n', 'has_id']);
    assert.deepEqual(r.payload?.rows.map((row) => [row[0], Number(row[1]), row[2]]), expected.rows.map((row) => [row[0], Number(row[1]), row[2]]));
    // The plain-text table beside the renderer's JSON, for viewers without the renderer.
    assert.match(r.text, new RegExp(`${String(expected.rows[0][0])}\\s+${Number(expected.rows[0][1])}`));
  });

  it('runs the same SQL on Athena and shows the same rows, typed, with the bytes scanned and the cost', async () => {
    const local = await investigation.client!.query(sql);
    const r = await runCell(api, notebook, 2);
    assert.equal(r.error, undefined);
    assert.equal(r.payload?.engine, 'athena');
    assert.deepEqual(r.payload?.columns.map((c) => [c.name, c.type]), [
      ['eventname', 'varchar'],
      ['n', 'bigint'],
      ['has_id', 'boolean'],
    ]);
    assert.deepEqual(r.payload?.rows, local.rows.map((row) => [row[0], Number(row[1]), row[2]]));
    assert.match(r.payload?.stats?.cost ?? '', /^42\.0 MB scanned, about \$0\.000/);
    const started = front.calls.filter((c) => c.operation === 'StartQueryExecution');
    assert.equal(started.length, 1);
    assert.equal(started[0].input.QueryString, sql, 'Athena got the SQL unchanged');
    assert.equal(started[0].input.WorkGroup, 'primary');
  });

  it("opens a result's rows as an event document with the whole events", async () => {
    const r = await runCell(api, notebook, 3);
    assert.equal(r.payload?.rows.length, 40);
    const editor = (await api.notebooks.openAsEvents(notebook.cellAt(3))) as vscode.TextEditor | undefined;
    assert.ok(editor, 'an event document opened');
    const parsed = JSON.parse(editor.document.getText()) as { Records: { eventID: string; userIdentity: { arn: string } }[] };
    assert.equal(parsed.Records.length, 40);
    assert.deepEqual(new Set(parsed.Records.map((e) => e.eventID)), new Set(r.payload!.rows.map((row) => row[0])));
    assert.ok(parsed.Records.every((e) => e.userIdentity.arn === BERT), 'whole events, with their identity');
  });

  it("creates the organization trail's Athena table from the bucket's folders after the confirm, then reuses it", async () => {
    const trail = { name: 'org-trail', arn: 'arn:aws:cloudtrail:us-east-1:218007301253:trail/org-trail', homeRegion: 'us-east-1', isMultiRegion: true, isOrganizationTrail: true, s3BucketName: ORG_BUCKET, logFileValidationEnabled: true };
    const outcome = await vscode.commands.executeCommand('cloudtrailLens.createAthenaTable', { trail }, { confirmed: true });
    assert.equal(outcome, 'created');
    const ddl = front.queries.find((q) => /^CREATE EXTERNAL TABLE/.test(q.sql))?.sql ?? '';
    assert.match(ddl, new RegExp(`LOCATION 's3://${ORG_BUCKET}/AWSLogs/${ORG}/'`));
    assert.match(ddl, /'projection\.account\.values'='218007301253'/);
    assert.match(ddl, /'projection\.region\.values'='[a-z0-9,-]*us-east-1/);
    assert.match(ddl, new RegExp(`'projection\\.timestamp\\.range'='${day.replace(/\//g, '\\/')},NOW'`));
    assert.ok(front.tables.has('default.cloudtrail_logs'), [...front.tables].join(', '));
    // The DDL is shown in an editor before anything is created.
    assert.ok(vscode.workspace.textDocuments.some((d) => d.languageId === 'sql' && d.getText().startsWith('CREATE EXTERNAL TABLE')));
    assert.equal(await vscode.commands.executeCommand('cloudtrailLens.createAthenaTable', { trail }, { confirmed: true }), 'exists');
    assert.equal(front.queries.filter((q) => /^CREATE EXTERNAL TABLE/.test(q.sql)).length, 1, 'created once');
  });

  it('opens the rows of an Athena result as the whole events, read from the log files "$path" names in the bucket', async () => {
    const r = await runCell(api, notebook, 5);
    assert.equal(r.error, undefined);
    assert.equal(r.payload?.rows.length, 25);
    assert.ok(r.payload!.rows.every((row) => String(row[3]).startsWith(`s3://${ORG_BUCKET}/AWSLogs/${ORG}/`)));
    const editor = (await api.notebooks.openAsEvents(notebook.cellAt(5))) as vscode.TextEditor | undefined;
    assert.ok(editor, 'an event document opened');
    const parsed = JSON.parse(editor.document.getText()) as { Records: { eventID: string; userIdentity: { arn: string } }[] };
    assert.deepEqual(new Set(parsed.Records.map((e) => e.eventID)), new Set(r.payload!.rows.map((row) => row[0])));
    assert.ok(parsed.Records.every((e) => e.userIdentity.arn === BERT), 'whole events, with their identity');
  });

  it("runs a Logs Insights cell on the trail's log group and opens its @message rows as the events", async () => {
    assert.ok(bertEvents.length > 10);
    const r = await runCell(api, notebook, 6);
    assert.equal(r.error, undefined);
    assert.equal(r.payload?.engine, 'logs');
    assert.deepEqual(r.payload?.columns.map((c) => c.name), ['@timestamp', '@message']);
    assert.equal(r.payload?.rows.length, bertEvents.length);
    const editor = (await api.notebooks.openAsEvents(notebook.cellAt(6))) as vscode.TextEditor | undefined;
    assert.ok(editor, 'an event document opened');
    const parsed = JSON.parse(editor.document.getText()) as { Records: { eventID: string }[] };
    assert.deepEqual(new Set(parsed.Records.map((e) => e.eventID)), new Set(bertEvents.map((e) => e.eventID)));
  });

  it("reads an Athena result's events into a new investigation with Load Rows into Investigation", async () => {
    const cell = notebook.cellAt(5);
    const ids = new Set(cell.outputs.flatMap((o) => o.items).filter((i) => i.mime === RESULT_MIME).flatMap((i) => (JSON.parse(new TextDecoder().decode(i.data)) as ResultPayload).rows.map((r) => r[0])));
    assert.equal(ids.size, 25, 'the Athena cell above has run');
    const target = vscode.Uri.file(path.join(dir, 'loaded.ctinv'));
    const loaded = (await api.notebooks.loadIntoInvestigation(cell, target)) as InvestigationDocument | undefined;
    assert.ok(loaded?.client, 'an investigation opened');
    assert.equal(loaded.uri.fsPath, target.fsPath);
    const stored = await loaded.client.query('SELECT eventid, useridentity.arn FROM cloudtrail_logs ORDER BY eventid');
    assert.deepEqual(new Set(stored.rows.map((r) => r[0])), ids);
    assert.ok(stored.rows.every((r) => r[1] === BERT), 'whole events, with their identity');
    assert.equal((await loaded.client.info()).events, 25);
  });

  it("asks a Logs Insights cell's log groups with the trail's own group picked, then a time range, and keeps both in the cell", async () => {
    const index = 10;
    assert.equal(notebook.cellAt(index).metadata.logs, undefined);
    const running = runCell(api, notebook, index);
    // The log groups (DescribeLogGroups), the trail's group pre-selected (DescribeTrails): accept as picked.
    await new Promise((r) => setTimeout(r, 3000));
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    // The time range: "last 24 hours", the second item.
    await new Promise((r) => setTimeout(r, 1000));
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    const r = await running;
    assert.equal(r.error, undefined);
    assert.equal(r.payload?.rows.length, bertEvents.length);
    assert.deepEqual(notebook.cellAt(index).metadata.logs, { logGroupNames: [LOG_GROUP], range: { last: '24h' }, region: 'us-east-1' });
  });

  it("stops a running Athena query with StopQueryExecution when the cell's run is cancelled", async () => {
    const done = new Promise<{ error?: string }>((resolve) => {
      const sub = api.notebooks.onDidRunCell((e) => {
        if (e.cell.notebook !== notebook || e.cell.index !== 7) return;
        sub.dispose();
        resolve(e);
      });
    });
    const range = { ranges: [{ start: 7, end: 8 }], document: notebook.uri };
    void vscode.commands.executeCommand('notebook.cell.execute', range);
    for (let i = 0; i < 200 && !front.queries.some((q) => q.sql.includes('/* hold */') && q.state === 'RUNNING'); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(front.queries.some((q) => q.sql.includes('/* hold */') && q.state === 'RUNNING'), 'the query runs on Athena');
    await vscode.commands.executeCommand('notebook.cell.cancelExecution', range);
    assert.equal((await done).error, 'cancelled');
    const held = front.queries.find((q) => q.sql.includes('/* hold */'))!;
    assert.equal(held.state, 'CANCELLED');
    assert.ok(front.calls.some((c) => c.operation === 'StopQueryExecution' && c.input.QueryExecutionId === held.id));
    const text = notebook.cellAt(7).outputs.flatMap((o) => o.items).map((i) => new TextDecoder().decode(i.data)).join('');
    assert.match(text, /^Cancelled: Athena was asked to stop it \(StopQueryExecution\)\.$/);
  });

  it("keeps every row of an Athena result larger than a cell shows in the investigation, read from Athena's result file, for a Local cell to query", async () => {
    await vscode.workspace.getConfiguration('cloudtrailLens').update('notebooks.maxRows', 1000, vscode.ConfigurationTarget.Global);
    const local = await investigation.client!.query(bigSql);
    assert.ok(local.rows.length > 2000, 'a result of several Athena pages');
    const r = await runCell(api, notebook, 8);
    assert.equal(r.error, undefined);
    assert.equal(r.payload?.rows.length, 1000);
    assert.equal(r.payload?.truncated, true);
    assert.deepEqual(r.payload?.rows, local.rows.slice(0, 1000));
    assert.equal(r.payload?.stats?.fromResultFile, true);
    const kept = r.payload?.stats?.keptIn;
    assert.ok(kept, 'the result was kept in the investigation');
    assert.match(kept.table, /^athena_[0-9a-f]{12}$/);
    assert.deepEqual({ rows: kept.rows, investigation: kept.investigation }, { rows: local.rows.length, investigation: 'invictus.ctinv' });
    assert.match(r.text, new RegExp(`All ${local.rows.length.toLocaleString('en-US')} rows are in table ${kept.table} of invictus\\.ctinv: query it from a Local cell\\.`));
    const id = r.payload?.stats?.queryId ?? '';
    const pages = front.calls.filter((c) => c.operation === 'GetQueryResults' && c.input.QueryExecutionId === id);
    assert.equal(pages.length, 1, 'one page, then the result file');
    // A Local cell on the kept table answers as the investigation does.
    const cell = notebook.cellAt(9);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(cell.document.uri, new vscode.Range(0, 0, cell.document.lineCount, 0), `SELECT count(*) AS n, count(*) FILTER (WHERE NOT succeeded) AS failed, max(eventtime) AS last FROM ${kept.table}`);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const counted = await runCell(api, notebook, 9);
    assert.equal(counted.error, undefined);
    const expected = await investigation.client!.query(`SELECT count(*) AS n, count(*) FILTER (WHERE errorcode IS NOT NULL) AS failed, max(eventtime) AS last FROM cloudtrail_logs WHERE "timestamp" >= '${day}'`);
    assert.deepEqual(counted.payload?.rows, expected.rows);
  });

  it("shows DuckDB's error for a bad query in the cell, and the notebook goes on", async () => {
    const r = await runCell(api, notebook, 4);
    assert.equal(r.payload, undefined);
    const error = notebook.cellAt(4).outputs.flatMap((o) => o.items).find((i) => i.mime === 'application/vnd.code.notebook.error');
    assert.ok(error, 'an error output');
    assert.match(new TextDecoder().decode(error.data), /no_such_column/);
  });

  it('saves the queries and targets, and no outputs unless the user asks', async () => {
    await notebook.save();
    const saved = JSON.parse(readFileSync(notebook.uri.fsPath, 'utf8')) as { investigation: string; cells: { kind: string; target?: string; output?: unknown }[] };
    assert.equal(saved.investigation, 'invictus.ctinv');
    assert.deepEqual(saved.cells.map((c) => c.target ?? null), [null, 'local', 'athena', 'local', 'local', 'athena', 'logs', 'athena', 'athena', 'local', 'logs']);
    assert.ok(saved.cells.every((c) => c.output === undefined), 'outputs are not saved by default');
  });
});
