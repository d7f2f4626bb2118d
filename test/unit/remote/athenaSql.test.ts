// The Athena table CloudTrail Lens generates for a trail, checked by Hive's grammar, and Athena
// queries in the shape AWS's documentation gives them, checked by Trino's grammar and then run
// unchanged on a local investigation of the real Invictus logs, with each answer computed again
// here from the records.
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { athenaDdlCommand } from '../../../src/core/cli/athenaDdl';
import { athenaTableDdl, athenaTableProblem, scanCost, unboundedScanProblem, type AthenaTableInput } from '../../../src/core/remote/athenaDdl';
import { InvestigationStore } from '../../../src/core/store/investigationStore';
import { invictusRecords } from '../../fixtures/invictus';
import { invictusDir } from '../../fixtures/paths';
import { hiveErrors, trinoErrors } from '../../fixtures/sqlGrammar';

const SINGLE: AthenaTableInput = { table: 'cloudtrail_logs', bucket: 'audit-logs-111122223333', prefix: 'trails/main', accountId: '111122223333', regions: ['us-east-1', 'eu-west-1'], startDay: '2024/01/01' };
const ORG: AthenaTableInput = { table: 'cloudtrail_logs', database: 'security', bucket: 'org-trail-logs', organizationId: 'o-abcdef1234', accountIds: ['111122223333', '444455556666'], regions: ['us-east-1'], startDay: '2023/06/01' };

describe('Athena table for a trail', () => {
  it("writes AWS's CloudTrail table with projection over region and day, which Hive's grammar accepts", () => {
    const ddl = athenaTableDdl(SINGLE);
    assert.deepEqual(hiveErrors(ddl), []);
    assert.notDeepEqual(hiveErrors(ddl.replace('PARTITIONED BY (', 'PARTITIONED (')), [], 'the grammar rejects a broken table');
    assert.match(ddl, /^CREATE EXTERNAL TABLE cloudtrail_logs \(/);
    assert.match(ddl, /STORED AS INPUTFORMAT 'com\.amazon\.emr\.cloudtrail\.CloudTrailInputFormat'/);
    assert.match(ddl, /ROW FORMAT SERDE 'org\.apache\.hive\.hcatalog\.data\.JsonSerDe'/);
    assert.match(ddl, /PARTITIONED BY \(region STRING, `timestamp` STRING\)/);
    assert.match(ddl, /LOCATION 's3:\/\/audit-logs-111122223333\/trails\/main\/AWSLogs\/111122223333\/CloudTrail\/'/);
    assert.match(ddl, /'projection\.region\.values'='us-east-1,eu-west-1'/);
    assert.match(ddl, /'projection\.timestamp\.range'='2024\/01\/01,NOW'/);
    assert.match(ddl, /'storage\.location\.template'='s3:\/\/audit-logs-111122223333\/trails\/main\/AWSLogs\/111122223333\/CloudTrail\/\$\{region\}\/\$\{timestamp\}'/);
    assert.match(ddl, /requestparameters STRING,/);
  });

  it('adds the account partition for an organization trail, under the organization folder', () => {
    const ddl = athenaTableDdl(ORG);
    assert.deepEqual(hiveErrors(ddl), []);
    assert.match(ddl, /^CREATE EXTERNAL TABLE security\.cloudtrail_logs \(/);
    assert.match(ddl, /PARTITIONED BY \(account STRING, region STRING, `timestamp` STRING\)/);
    assert.match(ddl, /LOCATION 's3:\/\/org-trail-logs\/AWSLogs\/o-abcdef1234\/'/);
    assert.match(ddl, /'projection\.account\.values'='111122223333,444455556666'/);
    assert.match(ddl, /\/AWSLogs\/o-abcdef1234\/\$\{account\}\/CloudTrail\/\$\{region\}\/\$\{timestamp\}'/);
  });

  it('refuses input that would not make a table, or would break out of a string literal, with the reason', () => {
    assert.match(athenaTableProblem({ ...SINGLE, table: 'logs; DROP TABLE x' }) ?? '', /not an Athena identifier/);
    assert.match(athenaTableProblem({ ...SINGLE, bucket: "b'x" }) ?? '', /not an S3 bucket name/);
    assert.match(athenaTableProblem({ ...SINGLE, prefix: "a'),('x" }) ?? '', /quote, a backslash or a control character/);
    assert.match(athenaTableProblem({ ...SINGLE, accountId: '12' }) ?? '', /12-digit account id/);
    assert.match(athenaTableProblem({ ...ORG, accountIds: [] }) ?? '', /member accounts to project/);
    assert.match(athenaTableProblem({ ...SINGLE, regions: ['us-east-1', 'mars'] }) ?? '', /'mars' is not a region name/);
    assert.match(athenaTableProblem({ ...SINGLE, startDay: '2024-01-01' }) ?? '', /yyyy\/MM\/dd/);
    assert.throws(() => athenaTableDdl({ ...SINGLE, bucket: 'B' }), /not an S3 bucket name/);
    assert.equal(athenaTableProblem(SINGLE), undefined);
  });
});

describe('cloudtrail-lens athena-ddl', () => {
  function run(args: string[]): { code: number; out: string; err: string } {
    let out = '';
    let err = '';
    const code = athenaDdlCommand(args, { out: (t) => void (out += t), err: (t) => void (err += t) });
    return { code, out, err };
  }

  it('prints the organization table for the given accounts, regions and first day', () => {
    const r = run(['--bucket', 'org-trail-logs', '--organization', 'o-abcdef1234', '--accounts', '111122223333,444455556666', '--regions', 'us-east-1', '--from', '2023/06/01']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, `${athenaTableDdl({ ...ORG, database: undefined })};\n`);
  });

  it('exits 2 naming the bad value, escaped', () => {
    const r = run(['--bucket', 'logs', '--account', '1\u001b[31m', '--regions', 'us-east-1', '--from', '2024/01/01']);
    assert.equal(r.code, 2);
    assert.equal(r.out, '');
    assert.match(r.err, /is not a 12-digit account id/);
    assert.ok(!r.err.includes('\u001b'), r.err);
  });
});

describe('scans of the projected table', () => {
  it('asks before a query that reads the table without a day condition', () => {
    assert.match(unboundedScanProblem('SELECT count(*) FROM cloudtrail_logs', 'cloudtrail_logs') ?? '', /without a condition on "timestamp".*every log file/);
    assert.match(unboundedScanProblem(`SELECT * FROM security.cloudtrail_logs WHERE eventname = 'timestamp >= 1'`, 'cloudtrail_logs') ?? '', /without a condition/);
    assert.match(unboundedScanProblem(`SELECT 1 FROM cloudtrail_logs -- WHERE "timestamp" >= '2024/01/01'`, 'cloudtrail_logs') ?? '', /without a condition/);
    assert.equal(unboundedScanProblem(`SELECT count(*) FROM cloudtrail_logs WHERE "timestamp" >= '2024/01/01'`, 'cloudtrail_logs'), undefined);
    assert.equal(unboundedScanProblem(`SELECT count(*) FROM cloudtrail_logs t WHERE region = 'us-east-1' AND timestamp BETWEEN '2024/01/01' AND '2024/01/31'`, 'cloudtrail_logs'), undefined);
    assert.equal(unboundedScanProblem('SELECT 1 FROM other_table', 'cloudtrail_logs'), undefined);
  });

  it("states the bytes scanned and Athena's price with its 10 MB minimum", () => {
    assert.equal(scanCost(1024 * 1024), '1.0 MB scanned, about $0.00005 (10 MB minimum)');
    assert.equal(scanCost(2 * 1024 ** 4), '2048.00 GB scanned, about $10.00');
  });
});

// Queries as AWS's Athena documentation and the investigation staples write them, each with the
// same answer computed from the records.
interface Rec {
  eventName?: string;
  eventSource?: string;
  eventTime?: string;
  errorCode?: string;
  sourceIPAddress?: string;
  awsRegion?: string;
  userIdentity?: { type?: string; arn?: string; accessKeyId?: string; sessionContext?: { attributes?: { mfaAuthenticated?: string } } };
  additionalEventData?: { MFAUsed?: string };
  responseElements?: { ConsoleLogin?: string } | null;
}

const records = (): Rec[] => invictusRecords<Rec>();

function countBy<T>(items: T[], key: (t: T) => string | undefined): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of items) {
    const k = key(t);
    if (k !== undefined) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

describe('the same SQL on Athena and on the local store', function () {
  this.timeout(120_000);
  let dir: string;
  let store: InvestigationStore;
  let all: Rec[];
  let first: string;
  let last: string;
  const day = (t: string): string => t.slice(0, 10).replace(/-/g, '/');

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'athena-sql-'));
    store = await InvestigationStore.open(path.join(dir, 'inv.ctinv'));
    await store.ingest([{ path: invictusDir }]);
    all = records();
    const times = all.map((r) => r.eventTime ?? '').filter(Boolean).sort();
    first = day(times[0]);
    last = day(times[times.length - 1]);
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("Trino's grammar rejects what Athena would", () => {
    assert.notDeepEqual(trinoErrors('SELECT eventname FROM cloudtrail_logs WHERE'), []);
  });

  async function run(sql: string): Promise<unknown[][]> {
    assert.deepEqual(trinoErrors(sql), [], sql);
    assert.equal(unboundedScanProblem(sql, 'cloudtrail_logs'), undefined, 'the query filters the day partition');
    return (await store.query(sql)).rows;
  }

  it('counts events per event name in a day range (partition filter)', async () => {
    const rows = await run(`SELECT eventname, count(*) AS n FROM cloudtrail_logs WHERE "timestamp" BETWEEN '${first}' AND '${last}' GROUP BY eventname ORDER BY n DESC, eventname LIMIT 10`);
    const expected = [...countBy(all, (r) => r.eventName)].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 10);
    assert.ok(expected.length > 3);
    assert.deepEqual(rows.map((r) => [r[0], Number(r[1])]), expected);
  });

  it('finds console logins without MFA', async () => {
    const rows = await run(`SELECT useridentity.arn, sourceipaddress, eventtime FROM cloudtrail_logs
      WHERE "timestamp" >= '${first}' AND eventname = 'ConsoleLogin'
        AND json_extract_scalar(additionaleventdata, '$.MFAUsed') = 'No'
      ORDER BY eventtime`);
    const expected = all.filter((r) => r.eventName === 'ConsoleLogin' && r.additionalEventData?.MFAUsed === 'No').sort((a, b) => (a.eventTime! < b.eventTime! ? -1 : 1));
    assert.ok(expected.length > 0);
    assert.deepEqual(rows.map((r) => [r[0], r[1], r[2]]), expected.map((r) => [r.userIdentity?.arn ?? null, r.sourceIPAddress, r.eventTime]));
  });

  it('counts AccessDenied by principal', async () => {
    const rows = await run(`SELECT useridentity.arn AS principal, count(*) AS denied FROM cloudtrail_logs
      WHERE "timestamp" >= '${first}' AND errorcode IN ('AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Client.UnauthorizedOperation')
      GROUP BY 1 ORDER BY denied DESC, principal`);
    const denied = all.filter((r) => ['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Client.UnauthorizedOperation'].includes(r.errorCode ?? ''));
    const expected = [...countBy(denied, (r) => r.userIdentity?.arn ?? '')].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    assert.ok(expected.length > 0);
    assert.deepEqual(rows.map((r) => [r[0] ?? '', Number(r[1])]), expected);
  });

  it('lists trail tampering and the activity of IAM users, by hour with date_format', async () => {
    const tamper = await run(`SELECT eventname, count(*) FROM cloudtrail_logs
      WHERE "timestamp" >= '${first}' AND eventsource = 'cloudtrail.amazonaws.com'
        AND eventname IN ('StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors')
      GROUP BY 1 ORDER BY 1`);
    const expectedTamper = [...countBy(all.filter((r) => r.eventSource === 'cloudtrail.amazonaws.com' && ['StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors'].includes(r.eventName ?? '')), (r) => r.eventName)].sort();
    assert.ok(expectedTamper.length > 0);
    assert.deepEqual(tamper.map((r) => [r[0], Number(r[1])]), expectedTamper);
    const root = await run(`SELECT date_format(from_iso8601_timestamp(eventtime), '%Y-%m-%d %H:00') AS hour, count(*) AS n FROM cloudtrail_logs
      WHERE "timestamp" >= '${first}' AND useridentity.type = 'IAMUser' GROUP BY 1 ORDER BY 1`);
    const expectedRoot = [...countBy(all.filter((r) => r.userIdentity?.type === 'IAMUser'), (r) => `${r.eventTime!.slice(0, 10)} ${r.eventTime!.slice(11, 13)}:00`)].sort();
    assert.ok(expectedRoot.length > 1);
    assert.deepEqual(root.map((r) => [r[0], Number(r[1])]), expectedRoot);
  });

  it('follows one access key across regions and source IPs', async () => {
    const keys = countBy(all, (r) => r.userIdentity?.accessKeyId);
    const [key] = [...keys].sort((a, b) => b[1] - a[1])[0];
    const rows = await run(`SELECT awsregion, sourceipaddress, count(*) AS n FROM cloudtrail_logs
      WHERE "timestamp" >= '${first}' AND useridentity.accesskeyid = '${key}'
      GROUP BY 1, 2 ORDER BY n DESC, 1, 2`);
    const expected = [...countBy(all.filter((r) => r.userIdentity?.accessKeyId === key), (r) => `${r.awsRegion}\t${r.sourceIPAddress}`)]
      .map(([k, n]) => [...k.split('\t'), n] as [string, string, number])
      .sort((a, b) => b[2] - a[2] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : 1));
    assert.ok(expected.length > 0);
    assert.deepEqual(rows.map((r) => [r[0], r[1], Number(r[2])]), expected);
  });

  it('unnests resources as Athena does', async () => {
    const rows = await run(`SELECT count(*) FROM cloudtrail_logs t CROSS JOIN UNNEST(t.resources) AS u (r) WHERE "timestamp" >= '${first}' AND r.type IS NOT NULL`);
    const expected = all.reduce((n, r) => n + ((r as { resources?: { type?: string }[] }).resources ?? []).filter((x) => x.type != null).length, 0);
    assert.ok(expected > 0);
    assert.equal(Number(rows[0][0]), expected);
  });
});
