// npm run bench:events — reading, formatting and indexing simulator logs of 10k and 100k events,
// all CodeLenses, and one hover, each beside a bare JSON.parse of the same bytes measured in the
// same run (these machines are shared and noisy: read the ratios). Needs `npm run compile-tests`.
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
