// npm run bench:events — reading, formatting and indexing simulator logs of 10k and 100k events,
// all CodeLenses, and one hover, each beside a bare JSON.parse of the same bytes measured in the
// same run (these machines are shared and noisy: read the ratios). Needs `npm run compile-tests`.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const out = (p) => require(path.join(root, 'out', p));
const { simulateTrail } = out('test/fixtures/simulator/index.js');
const { readEvents } = out('src/core/events/reader.js');
const { mergeEvents, formatEvents } = out('src/core/events/formatter.js');
const { buildEventIndex } = out('src/core/events/eventIndex.js');
const { allLenses } = out('src/core/events/lensText.js');
const { hoverAt } = out('src/core/events/hoverText.js');
const { summarize } = out('src/core/cli/summarize.js');
const { writeTrailToFolder } = out('test/fixtures/simulator/index.js');

function time(fn, repeat = 1) {
  let best = Infinity;
  let result;
  for (let i = 0; i < repeat; i++) {
    const started = process.hrtime.bigint();
    result = fn();
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { ms: best, result };
}

async function timeAsync(fn) {
  const started = process.hrtime.bigint();
  const result = await fn();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, result };
}

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const rows = [];

for (const events of [10_000, 100_000]) {
  const files = events / 1000;
  const trail = simulateTrail({ seed: 5, hours: files, filesPerHour: 1, recordsPerFile: 1000 });
  const logs = [...trail.objects()].filter((o) => o.kind === 'log').slice(0, files);

  // Reading: gunzip + parse every file, beside gunzip + bare JSON.parse of the same files.
  const baselineRead = time(() => logs.map((o) => JSON.parse(gunzipSync(o.body).toString('utf8'))), 3);
  const read = await timeAsync(() => Promise.all(logs.map((o) => readEvents(o.body, o.key))));
  const format = time(() => formatEvents(mergeEvents(read.result.map((r) => r.records)).records));
  const text = format.result;

  // Indexing the document text, beside a bare JSON.parse of the same text.
  const baselineIndex = time(() => JSON.parse(text), 3);
  const index = time(() => buildEventIndex(text), 3);
  const lenses = time(() => allLenses(index.result), 5);
  // One hover: the mean over hovers at 1000 spread-out identity, IP, time and action positions.
  const needles = ['"userIdentity"', '"sourceIPAddress"', '"eventTime"', '"eventName"'];
  const positions = [];
  for (let i = 0; positions.length < 1000; i++) {
    const e = index.result.events[(i * 7919) % index.result.events.length];
    const at = text.indexOf(needles[i % needles.length], e.start);
    positions.push(at + 2);
  }
  const hovers = time(() => positions.map((p) => hoverAt(text, index.result, p)).filter(Boolean).length);
  if (hovers.result !== positions.length) throw new Error(`only ${hovers.result} of ${positions.length} hovers answered`);

  rows.push({
    events: index.result.events.length,
    bytes: Buffer.byteLength(text),
    read: read.ms,
    baselineRead: baselineRead.ms,
    format: format.ms,
    index: index.ms,
    baselineIndex: baselineIndex.ms,
    lenses: lenses.ms,
    lensCount: lenses.result.length,
    hover: hovers.ms / positions.length,
    rss: process.resourceUsage().maxRSS * 1024,
  });
}

console.log(`bench:events on Node ${process.version} (best of 3 for JSON.parse and the index, 5 for lenses)\n`);
console.log('| events | document | read (gunzip+parse) | bare gunzip+JSON.parse | format | index build | bare JSON.parse of the document | index ÷ JSON.parse | all CodeLenses | one hover | peak RSS |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(
    `| ${r.events} | ${mb(r.bytes)} | ${r.read.toFixed(0)} ms | ${r.baselineRead.toFixed(0)} ms | ${r.format.toFixed(0)} ms | ${r.index.toFixed(0)} ms | ${r.baselineIndex.toFixed(0)} ms | ${(r.index / r.baselineIndex).toFixed(2)}× | ${r.lenses.toFixed(1)} ms (${r.lensCount}) | ${r.hover.toFixed(3)} ms | ${mb(r.rss)} |`,
  );
}
const big = rows[rows.length - 1];
const verdict = (ok) => (ok ? 'met' : 'MISSED');
console.log(`\nTargets: index build ≤ 3× JSON.parse: ${verdict(big.index <= 3 * big.baselineIndex)} (${(big.index / big.baselineIndex).toFixed(2)}×); all CodeLenses of ${big.events} events < 100 ms: ${verdict(big.lenses < 100)} (${big.lenses.toFixed(1)} ms); a hover < 2 ms: ${verdict(big.hover < 2)} (${big.hover.toFixed(3)} ms)`);

// Many small files: `summarize` of a folder of 3,840 log files (a simulated day of two regions, 80
// files an hour of 10 records each) beside the floor of a bare one-thread loop that reads, gunzips
// and JSON.parses the same files. In this process (best of 3) and as whole commands (process start
// included). Target: summarize within 1.5x of the floor.
const manyDir = path.join(root, 'bench-data', 'events-many');
const MANY = { seed: 9, hours: 24, filesPerHour: 80, recordsPerFile: 10, regions: ['us-east-1', 'eu-west-1'], start: '2026-11-01T00:00:00Z' };
const stamp = path.join(root, 'bench-data', 'events-many.json');
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== JSON.stringify(MANY)) {
  await writeTrailToFolder(simulateTrail(MANY), manyDir);
  writeFileSync(stamp, JSON.stringify(MANY));
}
const logFiles = [];
(function walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const f = path.join(dir, e.name);
    if (e.isDirectory()) walk(f);
    else if (/_CloudTrail_.*\.json\.gz$/.test(e.name)) logFiles.push(f);
  }
})(manyDir);
const floorLoop = () => {
  let n = 0;
  for (const f of logFiles) n += JSON.parse(gunzipSync(readFileSync(f)).toString('utf8')).Records.length;
  return n;
};
const floorMs = time(floorLoop, 3);
let oursBest = Infinity;
let summary;
for (let i = 0; i < 3; i++) {
  let text = '';
  const started = process.hrtime.bigint();
  await summarize([manyDir, '--json'], { out: (t) => (text += t), err: () => undefined });
  oursBest = Math.min(oursBest, Number(process.hrtime.bigint() - started) / 1e6);
  summary = JSON.parse(text);
}
if (summary.filesRead !== logFiles.length || summary.eventsRead !== floorMs.result) throw new Error(`summarize read ${summary.filesRead} files and ${summary.eventsRead} events, the floor ${logFiles.length} and ${floorMs.result}`);
const wall = (args) => {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const started = process.hrtime.bigint();
    execFileSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 28 });
    best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
  }
  return best;
};
const floorScript = `const fs=require('fs'),path=require('path'),z=require('zlib');const files=[];(function w(d){for(const e of fs.readdirSync(d,{withFileTypes:true})){const f=path.join(d,e.name);if(e.isDirectory())w(f);else if(/_CloudTrail_.*\\.json\\.gz$/.test(e.name))files.push(f)}})(${JSON.stringify(manyDir)});let n=0;for(const f of files)n+=JSON.parse(z.gunzipSync(fs.readFileSync(f)).toString()).Records.length;console.log(n)`;
const floorWall = wall(['-e', floorScript]);
const cliWall = existsSync(path.join(root, 'dist', 'cli.js')) ? wall([path.join(root, 'dist', 'cli.js'), 'summarize', manyDir]) : undefined;
console.log(`\nMany small files: summarize of ${logFiles.length} log files (${summary.eventsRead} events, ${(summary.bytesRead / 1024 / 1024).toFixed(1)} MB stored)\n`);
console.log('| | ours | floor: one-thread read + gunzip + JSON.parse | ratio |');
console.log('|---|---:|---:|---:|');
console.log(`| in this process (best of 3) | ${oursBest.toFixed(0)} ms | ${floorMs.ms.toFixed(0)} ms | ${(oursBest / floorMs.ms).toFixed(2)}× |`);
if (cliWall !== undefined) console.log(`| whole command, process start included (best of 3) | ${cliWall.toFixed(0)} ms | ${floorWall.toFixed(0)} ms | ${(cliWall / floorWall).toFixed(2)}× |`);
console.log(`\nTarget: summarize within 1.5× of the floor: ${verdict(oursBest <= 1.5 * floorMs.ms)} (${(oursBest / floorMs.ms).toFixed(2)}× in this process${cliWall !== undefined ? `, ${(cliWall / floorWall).toFixed(2)}× as commands` : ''})`);

// Detections: the shipped rules on the 460,800-event set of bench:investigate (48 h × 2 regions ×
// 12 files × 400 records, written once under bench-data/investigate/), `detect` (the summarize
// pipeline with every rule matched in the same workers, then the correlations) beside `summarize`
// of the same folder, both in this process, alternating, best of 5. Target: detections add at most 20%.
const { detectCommand } = out('src/core/cli/detect.js');
const DETECT = { seed: 7, hours: 48, filesPerHour: 12, recordsPerFile: 400, regions: ['us-east-1', 'eu-west-1'], start: '2026-11-01T00:00:00Z' };
const detectDir = path.join(root, 'bench-data', 'investigate', `${DETECT.hours}h-${DETECT.filesPerHour}x${DETECT.recordsPerFile}`);
const detectStamp = path.join(detectDir, 'options.json');
if (!existsSync(detectStamp) || readFileSync(detectStamp, 'utf8') !== JSON.stringify(DETECT)) {
  process.stdout.write(`\nWriting the simulator trail to ${path.relative(root, detectDir)} (once; cached) ... `);
  rmSync(detectDir, { recursive: true, force: true });
  await writeTrailToFolder(simulateTrail(DETECT), path.join(detectDir, 'trail'));
  writeFileSync(detectStamp, JSON.stringify(DETECT));
  console.log('done');
}
const detectTrail = path.join(detectDir, 'trail');
// The two alternate, best of 5 each: on a shared machine the load drifts within a minute, and
// running all of one before the other measured that drift (1.25× and 1.38× in two runs an hour apart).
const timed = async (fn) => {
  const started = process.hrtime.bigint();
  const result = await fn();
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, result };
};
const summarizeOnce = async () => {
  let text = '';
  await summarize([detectTrail, '--json'], { out: (t) => (text += t), err: () => undefined });
  return JSON.parse(text).eventsRead;
};
const detectOnce = async () => {
  let lines = 0;
  let err = '';
  await detectCommand([detectTrail], { out: (t) => (lines += t.split('\n').length - 1), err: (t) => (err += t) });
  return { lines, err: err.trim().split('\n').pop() };
};
const plain = { ms: Infinity };
const detected = { ms: Infinity };
for (let i = 0; i < 5; i++) {
  const a = await timed(summarizeOnce);
  const b = await timed(detectOnce);
  if (a.ms < plain.ms) Object.assign(plain, a);
  if (b.ms < detected.ms) Object.assign(detected, b);
}
console.log(`\nDetections on ${plain.result} events (${detected.result.err})\n`);
console.log('| | time | ratio |');
console.log('|---|---:|---:|');
console.log(`| summarize (no rules) | ${plain.ms.toFixed(0)} ms | 1.00× |`);
console.log(`| detect (shipped rules) | ${detected.ms.toFixed(0)} ms | ${(detected.ms / plain.ms).toFixed(2)}× |`);
console.log(`\nTarget: detections add at most 20% to summarize: ${verdict(detected.ms <= 1.2 * plain.ms)} (+${((detected.ms / plain.ms - 1) * 100).toFixed(0)}%)`);
