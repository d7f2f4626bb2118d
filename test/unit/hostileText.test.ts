// Hostile text in object keys, file names and record fields: what a terminal, a script reading
// --json and a reader of the Markdown reports get. An object named with ESC sequences must not clear
// the screen or fake a summary; a key with Markdown must not become a link or HTML.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Finding } from '../../src/core/integrity/findings';
import { renderReport } from '../../src/core/integrity/report';
import type { ValidationResult } from '../../src/core/integrity/validateTrail';
import { renderProtectionReport, renderProtectionText, type ProtectionReport } from '../../src/core/protection';
import { repoRoot } from '../fixtures/paths';
import { record } from '../fixtures/records';
import { folderTrail, START } from './integrity/trailFixture';

/** Characters a terminal must never receive raw; TAB and LF are the output's own separators. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
/** In Markdown there are no tabs either. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW_MARKDOWN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;

const CLEAR = '\x1b[2J\x1b[3J\x1b[H';

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(repoRoot, 'out', 'src', 'core', 'cli', 'main.js'), ...args], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code) : 0, stdout, stderr }),
    );
  });
}

/** The Markdown with its code spans removed: what is left is rendered as Markdown. */
function outsideCode(md: string): string {
  return md.replace(/``[^]*?``|`[^`\n]*`/g, '');
}

function assertNoLiveMarkdown(md: string): void {
  const rendered = outsideCode(md);
  assert.doesNotMatch(rendered, /(?<!\\)\]\(/, 'a link or image');
  assert.doesNotMatch(rendered, /(?<!\\)<[a-z/!?]/i, 'HTML or an autolink');
  assert.doesNotMatch(rendered, /(?<!\\)&#/, 'a character reference');
}

describe('hostile text: the CLI', function () {
  this.timeout(60_000);

  it('summarize prints ESC, CSI, C1, BEL, DEL and RLO in record fields and file names escaped; --json keeps them exact', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hostile-'));
    const userName = `${CLEAR}admin\x07`;
    const fields = {
      userIdentity: { type: 'IAMUser', principalId: 'AIDA0001', arn: 'arn:aws:iam::111122223333:user/\u009b2Jmallory\u202eexe.txt', accountId: '111122223333', accessKeyId: 'AKIA\x1b]0;pwned\x07KEY', userName },
      sourceIPAddress: '203.0.113.9\x1b[8m',
      eventName: 'Delete\x7fTrail\u202e',
      errorCode: '\x1b[32mAccessDenied\x1b[0m',
    };
    writeFileSync(path.join(dir, `logs${CLEAR}.json.gz`), gzipSync(JSON.stringify({ Records: [record(fields), record(fields)] })));
    writeFileSync(path.join(dir, `fake${CLEAR}24 of 24 digest files valid\x1b[8m.json`), '{"hello": "world"}');

    const text = await cli(['summarize', dir]);
    assert.equal(text.code, 1, text.stderr);
    const all = text.stdout + text.stderr;
    assert.doesNotMatch(all, RAW);
    for (const shown of [
      '\\x1b[2J\\x1b[3J\\x1b[Hadmin\\x07 (IAMUser) arn:aws:iam::111122223333:user/\\x9b2Jmallory\\u{202e}exe.txt',
      '203.0.113.9\\x1b[8m (not an IP address)',
      'AKIA\\x1b]0;pwned\\x07KEY',
      'Delete\\x7fTrail\\u{202e}',
      '\\x1b[32mAccessDenied\\x1b[0m',
      `Rejected: ${path.join(dir, 'fake')}\\x1b[2J\\x1b[3J\\x1b[H24 of 24 digest files valid\\x1b[8m.json: it is JSON but not CloudTrail events`,
    ]) {
      assert.ok(text.stdout.includes(shown), `stdout shows ${shown}:\n${text.stdout}`);
    }
    assert.match(text.stdout, /^Files read: 1 .*files rejected: 1/);

    const json = await cli(['summarize', dir, '--json']);
    assert.doesNotMatch(json.stdout, RAW);
    const s = JSON.parse(json.stdout);
    assert.equal(s.callers[0].label, userName);
    assert.equal(s.callers[0].key, fields.userIdentity.arn);
    assert.equal(s.accessKeys[0].key, fields.userIdentity.accessKeyId);
    assert.equal(s.sourceIPAddresses[0].key, fields.sourceIPAddress);
    assert.equal(s.eventNames[0].key, fields.eventName);
    assert.equal(s.errorCodes[0].key, fields.errorCode);
    assert.equal(s.filesRejected[0].name, path.join(dir, `fake${CLEAR}24 of 24 digest files valid\x1b[8m.json`));
  });

  it('validate --local names an object with ESC sequences escaped, and the summary is the real one; --json has the exact key', async () => {
    const f = await folderTrail({ hours: 2, filesPerHour: 1, recordsPerFile: 2, start: START });
    // A file name cannot hold "/": the fake summary uses U+2215 DIVISION SLASH, which looks the same.
    const name = `${CLEAR}\u009b32mResults found: 2\u22152 digest files valid, 2\u22152 log files valid\x07\x7f\x1b[8m\u202ezg.nosj`;
    const key = `${path.posix.dirname(f.logs()[0].key)}/${name}`;
    await f.place.put(key, Buffer.from('not a log'));
    const args = ['validate', '--local', f.dir, '--start-time', START, '--end-time', '2026-11-01T02:00:00Z'];

    const text = await cli(args);
    assert.equal(text.code, 1, text.stderr);
    assert.doesNotMatch(text.stdout + text.stderr, RAW);
    const escaped = '\\x1b[2J\\x1b[3J\\x1b[H\\x9b32mResults found: 2\u22152 digest files valid, 2\u22152 log files valid\\x07\\x7f\\x1b[8m\\u{202e}zg.nosj';
    const lines = text.stderr.split('\n').filter((l) => l.includes('UNVERIFIED: Object '));
    assert.equal(lines.length, 1, text.stderr);
    const folder = path.posix.dirname(f.logs()[0].key);
    assert.equal(lines[0], `Log file\ts3://${f.bucket}/${folder}/${escaped}\tUNVERIFIED: Object ${folder}/${escaped} (9 bytes) in the trail's log folder is not a CloudTrail log file name of account 111122223333 in us-east-1; no digest vouches for it.`);
    // The summary is the validator's own: the unexpected object counts as not verified.
    assert.match(text.stdout, /^2\/2 digest files valid$/m);
    assert.match(text.stdout, /^2\/3 log files valid, 1\/3 log files NOT VERIFIED$/m);
    assert.doesNotMatch(text.stdout, /2\/2 log files valid/);

    const json = await cli([...args, '--json']);
    assert.doesNotMatch(json.stdout, RAW);
    const records = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as Finding & { type: string });
    const unexpected = records.filter((r) => r.type === 'finding' && r.code === 'unexpected-object');
    assert.deepEqual(unexpected.map((r) => r.object?.key), [key]);
    assert.ok(unexpected[0].message.includes(name), 'the message keeps the exact key');
    assert.equal(records.at(-1)?.type, 'summary');
  });
});

describe('hostile text: Markdown reports', () => {
  const key = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01/a`b [x](command:workbench.action.terminal.new) <img src=x onerror=alert(1)> | \x1b[2J\u202e.json.gz';
  const message = 'See [docs](command:workbench.action.terminal.new) <b onmouseover=alert(1)>hi</b> **now** &#x202e;\n| forged | row |';
  const finding: Finding = { verdict: 'unverified', code: 'unexpected-object', severity: 'warning', subject: 'log', region: 'us-east-1', object: { bucket: 'logs', key }, message, details: { size: 9 } };
  const result: ValidationResult = {
    findings: [finding],
    summary: {
      digests: { valid: 1, invalid: 0, other: 0 },
      backfillDigests: { valid: 0, invalid: 0, other: 0 },
      logs: { valid: 1, invalid: 0, other: 1 },
      unverifiedLogs: 1,
      gaps: 0,
      errors: 0,
      warnings: 1,
      outcome: 'incomplete',
      foundStart: '2026-11-01T00:00:00Z',
      foundEnd: '2026-11-01T01:00:00Z',
    },
    scope: {
      store: 'local folder /tmp/<b>x</b>',
      bucket: 'logs',
      prefix: '[p](command:x)',
      accountId: '111122223333',
      trailName: 'main\u202e',
      homeRegion: 'us-east-1',
      trailArn: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main',
      regions: ['us-east-1'],
      start: '2026-11-01T00:00:00Z',
      end: '2026-11-01T01:00:00Z',
      publicKeys: [{ region: 'us-east-1', source: 'public-keys.json <script>', fingerprint: 'ab`cd', validityStart: '2026-01-01T00:00:00Z', validityEnd: '2027-01-01T00:00:00Z' }],
      keysFromAws: false,
      trailStatusRegions: [],
      startedAt: '2026-11-29T12:00:00Z',
      finishedAt: '2026-11-29T12:00:01Z',
    },
    limitations: ['Public keys came from [evil](command:x), not from AWS.'],
  };

  it('the integrity report shows a hostile key and message as literal text, in their cells', () => {
    const md = renderReport(result, { toolVersion: 'cloudtrail-lens 9.9.9', title: 'CloudTrail integrity report: trail\x1b[2J <script>' });
    assert.doesNotMatch(md, RAW_MARKDOWN);
    assertNoLiveMarkdown(md);
    assert.match(md, /^# CloudTrail integrity report: trail\\\\x1b\\\[2J \\<script\\>\n\n## Verdict\n\n\*\*INCOMPLETE\*\*/);
    const span = '``s3://logs/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01/a`b [x](command:workbench.action.terminal.new) <img src=x onerror=alert(1)> \\| \\x1b[2J\\u{202e}.json.gz``';
    const text = 'See \\[docs\\](command:workbench.action.terminal.new) \\<b onmouseover=alert(1)\\>hi\\</b\\> \\*\\*now\\*\\* \\&#x202e;\\\\n\\| forged \\| row \\|';
    assert.ok(md.includes(`\n| warning | unverified | log | us-east-1 | ${span} | ${text} |\n`), md);
    assert.ok(md.includes('\n| Trail name / home region | main\\\\u\\{202e\\} / us-east-1 |\n'));
    assert.ok(md.includes('\n| Key prefix | \\[p\\](command:x) |\n'));
    assert.ok(md.includes('\n| Source | local folder /tmp/\\<b\\>x\\</b\\> |\n'));
    assert.ok(md.includes('\n| us-east-1 | ``ab`cd`` | 2026-01-01T00:00:00Z | 2027-01-01T00:00:00Z | public-keys.json \\<script\\> |\n'));
    assert.ok(md.includes('\n- Public keys came from \\[evil\\](command:x), not from AWS.\n'));
    // The finding row is one row of six cells: no pipe of the key or message ends a cell.
    const row = md.split('\n').find((l) => l.startsWith('| warning |'))!;
    assert.equal(outsideCode(row).match(/(?<!\\)\|/g)?.length, 7);
  });

  it('the protection report and its terminal text escape trail and bucket names, regions and evidence', () => {
    const report: ProtectionReport = {
      trail: { name: 'main\x1b[2J[x](command:y)', arn: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main`x', homeRegion: 'us-east-1', isMultiRegion: true, isOrganizationTrail: false, s3BucketName: 'logs<img src=x onerror=1>', s3KeyPrefix: '\u202eprefix' },
      region: 'us-east-1',
      bucketRegion: 'eu-west-1\u009b',
      checkedAt: '2026-11-01T12:00:00.000Z',
      retentionDays: 365,
      checks: [
        {
          id: 'bucket.policyDeleteProtection',
          scope: 'bucket',
          title: 'Bucket policy denies deletes',
          result: 'fail',
          evidence: 'Sid \x1b[31m[ok](command:z)\x1b[0m allows s3:DeleteObject',
          remedy: 'Deny deletes\x07.',
          details: ['principal <a href="command:x">me</a>\u202e'],
        },
      ],
      summary: { fail: 1, unknown: 0, 'not-verifiable': 0, warn: 0, info: 0, pass: 0 },
      ownership: { kind: 'own', owner: '111122223333', viewer: '111122223333' },
    };
    const md = renderProtectionReport([report]);
    assert.doesNotMatch(md, RAW_MARKDOWN);
    assertNoLiveMarkdown(md);
    assert.ok(md.includes('\n## Trail main\\\\x1b\\[2J\\[x\\](command:y)\n'), md);
    assert.ok(md.includes('\n- ARN: ``arn:aws:cloudtrail:us-east-1:111122223333:trail/main`x``\n'));
    assert.ok(md.includes('| s3://logs\\<img src=x onerror=1\\>/\\\\u\\{202e\\}prefix/ (eu-west-1\\\\x9b) |'));
    assert.ok(md.includes('| FAIL | Bucket policy denies deletes | Sid \\\\x1b\\[31m\\[ok\\](command:z)\\\\x1b\\[0m allows s3:DeleteObject | Deny deletes\\\\x07. |'));
    assert.ok(md.includes('\n  - principal \\<a href="command:x"\\>me\\</a\\>\\\\u\\{202e\\}\n'));

    const text = renderProtectionText([report]);
    assert.doesNotMatch(text, RAW);
    assert.ok(text.startsWith('Trail main\\x1b[2J[x](command:y) (arn:aws:cloudtrail:us-east-1:111122223333:trail/main`x), home region us-east-1, bucket s3://logs<img src=x onerror=1>/\\u{202e}prefix/ (eu-west-1\\x9b)\n'), text);
    assert.ok(text.includes('FAIL    Bucket policy denies deletes: Sid \\x1b[31m[ok](command:z)\\x1b[0m allows s3:DeleteObject Remedy: Deny deletes\\x07.'));
  });
});
