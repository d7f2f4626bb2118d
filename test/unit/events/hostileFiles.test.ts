// Hostile event files: special files, endless or deep input, huge strings, many files whose total
// would exhaust memory, folders with entries that cannot be read, invalid UTF-8 and garbage times.
// Each gets a clear reason naming the file, the other files are still read, and nothing hangs.
import * as assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { MAX_JSON_DEPTH } from '../../../src/core/events/eventBytes';
import { collectEventFiles, loadEventFiles } from '../../../src/core/events/eventFiles';
import { protectLongNumbers } from '../../../src/core/events/exactNumbers';
import { formatEvents, mergeEvents } from '../../../src/core/events/formatter';
import { parseEventsText, readEvents } from '../../../src/core/events/reader';
import { repoRoot } from '../../fixtures/paths';

const cliPath = path.join(repoRoot, 'out', 'src', 'core', 'cli', 'main.js');

function summarize(args: string[], user?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const [file, argv] = user ? ['runuser', ['-u', user, '--', process.execPath, cliPath, 'summarize', ...args]] : [process.execPath, [cliPath, 'summarize', ...args]];
  return new Promise((resolve) => {
    execFile(file as string, argv as string[], { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

function record(i: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { eventVersion: '1.08', eventTime: `2026-11-01T00:00:${String(i % 60).padStart(2, '0')}Z`, eventSource: 's3.amazonaws.com', eventName: 'GetObject', eventID: `id-${i}`, awsRegion: 'us-east-1', sourceIPAddress: '198.51.100.7', userIdentity: { type: 'IAMUser', userName: 'alice', arn: 'arn:aws:iam::111122223333:user/alice', accountId: '111122223333' }, ...extra };
}

function logFile(records: unknown[]): string {
  return JSON.stringify({ Records: records });
}

function nested(levels: number): unknown {
  let v: unknown = 'bottom';
  for (let i = 0; i < levels; i++) v = { a: v };
  return v;
}

async function tempDir(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ctl-hostile-'));
  await fs.chmod(dir, 0o755);
  return dir;
}

describe('events: hostile files', function () {
  this.timeout(120_000);

  it('summarize /dev/zero and a FIFO: refused with what they are, no endless read, no hang', async () => {
    const dir = await tempDir();
    const fifo = path.join(dir, 'events.json');
    execFileSync('mkfifo', [fifo]);
    const zero = await summarize(['/dev/zero', fifo]);
    assert.equal(zero.code, 2, 'nothing was read');
    assert.match(zero.stdout, /Rejected: \/dev\/zero: it is a character device, not a file/);
    assert.match(zero.stdout, new RegExp(`Rejected: ${fifo.replace(/[/.]/g, '\\$&')}: it is a FIFO \\(named pipe\\), not a file`));
  });

  it('a folder: links to files are read, links to /dev/zero and to folders are named, hidden folders are named, the rest is read', async () => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, 'a.json'), logFile([record(1)]));
    const elsewhere = await tempDir();
    await fs.writeFile(path.join(elsewhere, 'real.json'), logFile([record(2)]));
    await fs.symlink(path.join(elsewhere, 'real.json'), path.join(dir, 'linked.json'));
    await fs.symlink('/dev/zero', path.join(dir, 'zero.json.gz'));
    await fs.symlink(elsewhere, path.join(dir, 'folder-link.json'));
    await fs.mkdir(path.join(dir, '.hidden'));
    await fs.writeFile(path.join(dir, '.hidden', 'b.json'), logFile([record(3)]));
    execFileSync('mkfifo', [path.join(dir, 'pipe.jsonl')]);
    // Read here (few files) and by the worker threads (many): the same words.
    for (let i = 0; i < 20; i++) await fs.writeFile(path.join(elsewhere, `n${i}.json`), logFile([record(10 + i)]));
    const many = await summarize([path.join(dir, 'zero.json.gz'), path.join(dir, 'pipe.jsonl'), ...Array.from({ length: 20 }, (_, i) => path.join(elsewhere, `n${i}.json`))]);
    assert.match(many.stdout, /^Files read: 20 /);
    assert.match(many.stdout, /Rejected: .*zero\.json\.gz: it is a symbolic link to a character device \(\/dev\/zero\), not a file/);
    assert.match(many.stdout, /Rejected: .*pipe\.jsonl: it is a FIFO \(named pipe\), not a file/);
    const run = await summarize([dir]);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /^Files read: 2 .*events read: 2, .*files rejected: 2, files skipped: 2/);
    assert.match(run.stdout, /Rejected: .*zero\.json\.gz: it is a symbolic link to a character device \(\/dev\/zero\), not a file/);
    assert.match(run.stdout, /Rejected: .*pipe\.jsonl: it is a FIFO \(named pipe\), not a file/);
    assert.match(run.stdout, /Skipped: .*folder-link\.json: a symbolic link to a folder, not followed/);
    assert.match(run.stdout, /Skipped: .*\.hidden: a hidden folder, not read \(open it itself to read it\)/);
  });

  it('a sub-folder that cannot be listed is named and the readable files are still read', async function () {
    if (process.getuid?.() === 0 && spawnSync('runuser', ['-u', 'nobody', '--', 'true']).status !== 0) {
      this.skip(); // root reads every folder; without runuser there is no unprivileged user to try it as
    }
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, 'a.json'), logFile([record(1)]));
    await fs.chmod(path.join(dir, 'a.json'), 0o644);
    await fs.mkdir(path.join(dir, 'locked'));
    await fs.writeFile(path.join(dir, 'locked', 'b.json'), logFile([record(2)]));
    chmodSync(path.join(dir, 'locked'), 0o000);
    const run = await summarize([dir], process.getuid?.() === 0 ? 'nobody' : undefined);
    chmodSync(path.join(dir, 'locked'), 0o755);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /^Files read: 1 .*files skipped: 1/);
    assert.match(run.stdout, /Skipped: .*locked: the folder could not be listed \(EACCES/);
  });

  it(`two records with one eventID, different content and 1,500 levels of nesting: that file is refused (deeper than ${MAX_JSON_DEPTH} levels), the others are read`, async () => {
    const dir = await tempDir();
    await fs.writeFile(path.join(dir, '1.json'), logFile([record(1, { requestParameters: nested(10) })]));
    await fs.writeFile(path.join(dir, '2.json'), logFile([record(1, { requestParameters: nested(1500) })]));
    await fs.writeFile(path.join(dir, '3.json'), logFile([record(2)]));
    const run = await summarize([dir]);
    assert.equal(run.code, 1);
    assert.match(run.stdout, /^Files read: 2 .*events read: 2/);
    assert.match(run.stdout, new RegExp(`Rejected: .*2\\.json: it nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep, far more than any CloudTrail event; it was not read \\(line 1, column \\d+\\)`));
    // The same inside a LookupEvents answer's CloudTrailEvent string.
    const lookup = JSON.stringify({ Events: [{ CloudTrailEvent: JSON.stringify(record(5, { requestParameters: nested(1500) })) }] });
    assert.throws(() => parseEventsText(lookup, 'lookup.json'), /Events\[0\]\.CloudTrailEvent nests objects or arrays more than/);
  });

  it('a string over 8 MB and a 16-digit number: read, and the number kept digit for digit', async () => {
    const big = 'x'.repeat(9 * 1024 * 1024);
    const text = logFile([record(1, { requestParameters: { blob: big, size: 'SIZE' } })]).replace('"SIZE"', '12345678901234567891');
    const r = await readEvents(Buffer.from(text), 'big.json');
    assert.equal(r.records.length, 1);
    assert.match(formatEvents(r.records), /"size": 12345678901234567891\b/);
    assert.equal(protectLongNumbers('{"a":"1234567890123456789","b":-12345678901234567.5e3,"c":12}').includes('"b":"'), true);
    assert.equal(protectLongNumbers('{"a":"12345678901234567890"}'), '{"a":"12345678901234567890"}', 'digits inside strings stay as they are');
  });

  it('many files that inflate to more than the total: the first are read, the rest are left out and named, memory stays bounded', async () => {
    const dir = await tempDir();
    // Each file is 40 MB of JSON (a record plus whitespace) in a gzip of a few dozen KB.
    const body = gzipSync(Buffer.concat([Buffer.from('{"Records":['), Buffer.from(JSON.stringify(record(1))), Buffer.alloc(40 * 1024 * 1024, ' '), Buffer.from(']}')]), { level: 1 });
    for (let i = 0; i < 8; i++) await fs.writeFile(path.join(dir, `f${i}.json.gz`), body);
    const run = await summarize([dir, '--max-total-mb', '100']);
    assert.equal(run.code, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /^Files read: 2 /);
    assert.match(run.stdout, /Left out: 6 file\(s\) were not read: reading them would take the events held past 100 MB \(2 file\(s\), 80 MB read\); raise --max-total-mb or open fewer files; the first is .*f2\.json\.gz/);
    // In this process through the worker threads, which hold each batch within its share.
    const files = (await collectEventFiles([dir])).files;
    const before = process.memoryUsage().rss;
    const loaded = await loadEventFiles([...files, ...files, ...files], { maxTotalTextBytes: 200 * 1024 * 1024, workersFrom: 1 });
    assert.equal(loaded.results.length, 4);
    assert.equal(loaded.leftOut?.files.length, 20);
    assert.ok(process.memoryUsage().rss - before < 1024 * 1024 * 1024, 'bounded by the total, not by the files');
  });

  it('invalid UTF-8 and unreadable eventTime values are reported for the file that holds them; a CSV-style eventTime of "1" is not a time', async () => {
    const dir = await tempDir();
    const good = Buffer.from(logFile([record(1, { userAgent: 'AGENT' })]));
    const at = good.indexOf('AGENT');
    good[at] = 0xff;
    await fs.writeFile(path.join(dir, 'latin.json'), good);
    await fs.writeFile(path.join(dir, 'times.json'), logFile([record(2, { eventTime: '1' }), record(3, { eventTime: 'Nov 1' }), record(4)]));
    const run = await summarize([dir]);
    assert.equal(run.code, 0);
    assert.match(run.stdout, new RegExp(`Warning: .*latin\\.json: it holds bytes that are not valid UTF-8 \\(the first at byte ${at}\\); they are shown as the replacement character U\\+FFFD`));
    assert.match(run.stdout, /Warning: .*times\.json: 2 event\(s\) have no readable eventTime \(for example eventTime "1" of eventID id-2\); they are sorted last/);
    const merged = mergeEvents([(await readEvents(Buffer.from(logFile([record(2, { eventTime: '1' }), record(4)])), 'x')).records]);
    assert.deepEqual(merged.records.map((r) => r.eventID), ['id-4', 'id-2'], 'the unreadable time sorts last instead of passing for 2001');
  });

  it('event documents write DEL, C1 and bidi controls as \\u escapes: the same values, nothing reorders the editor', () => {
    const text = formatEvents([record(1, { userAgent: 'a\u202eb\u009bc\u007f' }) as never]);
    assert.match(text, /"userAgent": "a\\u202eb\\u009bc\\u007f"/);
    assert.equal((JSON.parse(text) as { Records: { userAgent: string }[] }).Records[0].userAgent, 'a\u202eb\u009bc\u007f');
  });
});
