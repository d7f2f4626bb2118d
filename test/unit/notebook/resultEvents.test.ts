// From a query's rows back to CloudTrail events ("Open as Events", "Load into Investigation"): the
// eventids of a result, the log files "$path" names, events rebuilt from Athena's columns, and the
// plain-text table a notebook viewer without the renderer shows.
import * as assert from 'node:assert/strict';
import type { CloudTrailRecord } from '../../../src/core/events/records';
import { MAX_RESULT_EVENTS, MAX_RESULT_FILES, pickRecords, rebuildRecords, resultAsText, resultEventFiles, resultEventIds } from '../../../src/core/notebook/resultEvents';
import type { TabularResult } from '../../../src/core/remote/queryResult';

function table(names: string[], rows: unknown[][], truncated = false): TabularResult {
  return { columns: names.map((name) => ({ name })), rows, truncated };
}

const LOG_A = 's3://trail-bucket/AWSLogs/111122223333/CloudTrail/us-east-1/2023/07/14/111122223333_CloudTrail_us-east-1_20230714T1000Z_a.json.gz';
const LOG_B = 's3://trail-bucket/AWSLogs/111122223333/CloudTrail/eu-west-1/2023/07/14/111122223333_CloudTrail_eu-west-1_20230714T1005Z_b.json.gz';

describe('Events of a query result', () => {
  describe('eventids', () => {
    it('gives the eventids of the rows once each, in row order', () => {
      const result = table(
        ['eventname', 'EventID'],
        [
          ['ConsoleLogin', 'id-3'],
          ['GetObject', 'id-1'],
          ['ConsoleLogin', 'id-3'],
          ['PutObject', 'id-2'],
        ],
      );
      assert.deepEqual(resultEventIds(result), ['id-3', 'id-1', 'id-2']);
    });

    it('skips empty, missing, non-text and over-long eventids', () => {
      const result = table(['eventid'], [[''], [null], [42], ['x'.repeat(201)], [], ['ok']]);
      assert.deepEqual(resultEventIds(result), ['ok']);
    });

    it('says there are none to look up when the result has no eventid column', () => {
      assert.equal(resultEventIds(table(['eventname', 'n'], [['ConsoleLogin', 1]])), undefined);
    });

    it(`gives at most ${MAX_RESULT_EVENTS.toLocaleString('en-US')} eventids`, () => {
      const result = table(['eventid'], Array.from({ length: MAX_RESULT_EVENTS + 5 }, (_, i) => [`id-${i}`]));
      const ids = resultEventIds(result);
      assert.equal(ids?.length, MAX_RESULT_EVENTS);
      assert.equal(ids?.[MAX_RESULT_EVENTS - 1], `id-${MAX_RESULT_EVENTS - 1}`);
    });
  });

  describe('log files by "$path"', () => {
    it('names each log file with the eventids to take from it', () => {
      const result = table(
        ['eventid', 'eventname', '$path'],
        [
          ['id-1', 'ConsoleLogin', LOG_A],
          ['id-2', 'GetObject', LOG_B],
          ['id-3', 'PutObject', LOG_A],
          ['id-1', 'ConsoleLogin', LOG_A],
        ],
      );
      const files = resultEventFiles(result);
      assert.deepEqual(
        [...(files ?? new Map<string, Set<string>>())].map(([file, ids]) => [file, [...ids]]),
        [
          [LOG_A, ['id-1', 'id-3']],
          [LOG_B, ['id-2']],
        ],
      );
    });

    it('skips rows without an eventid or a path', () => {
      const result = table(
        ['$PATH', 'eventid'],
        [
          [LOG_A, null],
          ['', 'id-1'],
          [null, 'id-2'],
          [LOG_B, 'id-3'],
        ],
      );
      assert.deepEqual([...(resultEventFiles(result)?.keys() ?? [])], [LOG_B]);
    });

    it('says there are no files when the result lacks "$path" or eventid', () => {
      assert.equal(resultEventFiles(table(['eventid'], [['id-1']])), undefined);
      assert.equal(resultEventFiles(table(['$path'], [[LOG_A]])), undefined);
    });

    it(`reads at most ${MAX_RESULT_FILES} log files`, () => {
      const rows = Array.from({ length: MAX_RESULT_FILES + 10 }, (_, i) => [`id-${i}`, `s3://b/AWSLogs/111122223333/CloudTrail/us-east-1/2023/07/14/f${i}.json.gz`]);
      rows.push(['id-late', 's3://b/AWSLogs/111122223333/CloudTrail/us-east-1/2023/07/14/f0.json.gz']);
      const files = resultEventFiles(table(['eventid', '$path'], rows));
      assert.equal(files?.size, MAX_RESULT_FILES);
      assert.equal(files?.has(`s3://b/AWSLogs/111122223333/CloudTrail/us-east-1/2023/07/14/f${MAX_RESULT_FILES}.json.gz`), false);
      assert.deepEqual([...(files?.get('s3://b/AWSLogs/111122223333/CloudTrail/us-east-1/2023/07/14/f0.json.gz') ?? [])], ['id-0', 'id-late'], 'a file already named still gets its events');
    });
  });

  describe('events rebuilt from the columns', () => {
    it("rebuilds CloudTrail records from Athena's lowercase columns, parsing JSON text", () => {
      const result = table(
        ['eventtime', 'eventname', 'eventsource', 'awsregion', 'sourceipaddress', 'useragent', 'useridentity', 'requestparameters', 'errorcode', 'eventid', 'recipientaccountid', 'n'],
        [
          [
            '2023-07-14T10:00:00Z',
            'GetObject',
            's3.amazonaws.com',
            'us-east-1',
            '203.0.113.7',
            'aws-cli/2.13.0',
            '{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","accessKeyId":"AKIAEXAMPLE","userName":"alice"}',
            '{"bucketName":"logs","key":"a.txt"}',
            null,
            'id-1',
            '111122223333',
            7,
          ],
        ],
      );
      assert.deepEqual(rebuildRecords(result), {
        records: [
          {
            eventTime: '2023-07-14T10:00:00Z',
            eventName: 'GetObject',
            eventSource: 's3.amazonaws.com',
            awsRegion: 'us-east-1',
            sourceIPAddress: '203.0.113.7',
            userAgent: 'aws-cli/2.13.0',
            userIdentity: { type: 'IAMUser', arn: 'arn:aws:iam::111122223333:user/alice', accessKeyId: 'AKIAEXAMPLE', userName: 'alice' },
            requestParameters: { bucketName: 'logs', key: 'a.txt' },
            eventID: 'id-1',
            recipientAccountId: '111122223333',
          },
        ],
        skipped: 0,
      });
    });

    it('takes a user identity the local store gave as an object as it is', () => {
      const identity = { type: 'AssumedRole', arn: 'arn:aws:sts::111122223333:assumed-role/Admin/bob', sessionContext: { sessionIssuer: { userName: 'Admin' } } };
      const { records } = rebuildRecords(table(['eventTime', 'eventName', 'userIdentity'], [['2023-07-14T10:00:00Z', 'AssumeRole', identity]]));
      assert.deepEqual(records, [{ eventTime: '2023-07-14T10:00:00Z', eventName: 'AssumeRole', userIdentity: identity }]);
    });

    it("leaves out a user identity Athena printed as a struct, and JSON text that does not parse", () => {
      const { records } = rebuildRecords(
        table(['eventtime', 'eventname', 'useridentity', 'responseelements'], [['2023-07-14T10:00:00Z', 'ConsoleLogin', '{type=IAMUser, arn=arn:aws:iam::111122223333:user/alice}', '{ConsoleLogin=Success}']]),
      );
      assert.deepEqual(records, [{ eventTime: '2023-07-14T10:00:00Z', eventName: 'ConsoleLogin' }]);
    });

    it('puts the usual aliases and useridentity.* columns into the user identity', () => {
      const { records } = rebuildRecords(
        table(
          ['event_ts', 'eventname', 'principal', 'accesskeyid', 'username', 'useridentity.type', 'useridentity.accountid', 'useridentity.sessioncontext'],
          [['2023-07-14T10:00:00Z', 'CreateUser', 'arn:aws:iam::111122223333:user/alice', 'AKIAEXAMPLE', 'alice', 'IAMUser', '111122223333', 'ignored']],
        ),
      );
      assert.deepEqual(records, [
        {
          eventTime: '2023-07-14T10:00:00Z',
          eventName: 'CreateUser',
          userIdentity: { arn: 'arn:aws:iam::111122223333:user/alice', accessKeyId: 'AKIAEXAMPLE', userName: 'alice', type: 'IAMUser', accountId: '111122223333' },
        },
      ]);
    });

    it('counts rows without an event time and a name or source as skipped, not events', () => {
      const result = table(
        ['eventtime', 'eventname', 'eventsource', 'n'],
        [
          ['2023-07-14T10:00:00Z', null, 'iam.amazonaws.com', 1],
          [null, 'ConsoleLogin', null, 2],
          ['2023-07-14T10:00:00Z', null, null, 3],
          [null, null, null, 4],
        ],
      );
      const { records, skipped } = rebuildRecords(result);
      assert.deepEqual(records, [{ eventTime: '2023-07-14T10:00:00Z', eventSource: 'iam.amazonaws.com' }]);
      assert.equal(skipped, 3);
      assert.deepEqual(rebuildRecords(table(['eventname', 'n'], [['ConsoleLogin', 5]])), { records: [], skipped: 1 });
    });
  });

  describe('picking records', () => {
    const records: CloudTrailRecord[] = [
      { eventID: 'a', eventName: 'ConsoleLogin' },
      { eventID: 'b', eventName: 'GetObject' },
      { eventName: 'NoId' },
      { eventID: 'a', eventName: 'ConsoleLogin (again in another file)' },
      { eventID: 'c', eventName: 'PutObject' },
    ];

    it('keeps only the asked eventids, once each, in the order of the records', () => {
      assert.deepEqual(
        pickRecords(records, new Set(['c', 'a', 'zzz'])).map((r) => r.eventName),
        ['ConsoleLogin', 'PutObject'],
      );
    });

    it('keeps nothing when no eventid is asked', () => {
      assert.deepEqual(pickRecords(records, new Set()), []);
    });
  });

  describe('the plain-text table', () => {
    it('lines up the columns under a rule and counts the rows', () => {
      const text = resultAsText(
        table(
          ['eventname', 'n', 'errorcode'],
          [
            ['ConsoleLogin', 3, null],
            ['GetObject', 12345, 'AccessDenied'],
          ],
        ),
      );
      assert.equal(text, ['eventname     n      errorcode', '------------  -----  ------------', 'ConsoleLogin  3      NULL', 'GetObject     12345  AccessDenied', '(2 rows)'].join('\n'));
    });

    it('says where every row of a large Athena result is kept, with the names escaped', () => {
      const result = { ...table(['n'], [[1], [2]]), truncated: true, stats: { engine: 'athena' as const, keptIn: { table: 'athena_0123456789ab', rows: 25_000, investigation: 'in\u001b[2Jcident.ctinv' } } };
      assert.equal(resultAsText(result).split('\n').at(-1), 'All 25,000 rows are in table athena_0123456789ab of in\\x1b[2Jcident.ctinv: query it from a Local cell.');
    });

    it('shows terminal escape sequences and line breaks in values as visible escapes', () => {
      const text = resultAsText(table(['useragent', 'key'], [['\u001b[31mred\u001b[0m\u001b]0;title\u0007', 'a\rfake line\nb\tc\u009b2J\u202egnp.exe']]));
      assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/.test(text), `no raw control character: ${JSON.stringify(text)}`); // eslint-disable-line no-control-regex
      assert.equal(text.split('\n').length, 4, 'one line per row: header, rule, row, count');
      assert.match(text, /\\x1b\[31mred\\x1b\[0m\\x1b\]0;title\\x07/);
      assert.match(text, /a\\rfake line\\nb\\tc\\x9b2J\\u\{202e\}gnp\.exe/);
    });

    it('escapes control characters in column names and in JSON values', () => {
      const text = resultAsText(table(['col\u001b[2J'], [[{ note: 'x\u009by' }]]));
      assert.match(text.split('\n')[0], /^col\\x1b\[2J$/);
      assert.match(text, /\{"note":"x\\x9by"\}/);
    });

    it('cuts long values with an ellipsis at the width asked', () => {
      const text = resultAsText(table(['arn'], [['arn:aws:iam::111122223333:role/a-very-long-role-name']]), 50, 20);
      assert.equal(text.split('\n')[2], 'arn:aws:iam::111122…');
      assert.equal(text.split('\n')[2].length, 20);
    });

    it('shows the first rows of a long result and says how many there are, with + when cut', () => {
      const rows = Array.from({ length: 120 }, (_, i) => [i]);
      const text = resultAsText(table(['n'], rows, true), 5);
      const lines = text.split('\n');
      assert.equal(lines.length, 2 + 5 + 1);
      assert.deepEqual(lines.slice(2, 7), ['0', '1', '2', '3', '4']);
      assert.equal(lines[7], '(120+ rows, the first 5 shown)');
      assert.equal(resultAsText(table(['n'], [[1]])).split('\n').at(-1), '(1 row)');
      assert.equal(resultAsText(table(['n'], Array.from({ length: 1234 }, () => [1]))).split('\n').at(-1), '(1,234 rows, the first 50 shown)');
    });
  });
});
