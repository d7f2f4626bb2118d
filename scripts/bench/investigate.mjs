// npm run bench:investigate — the investigation store on a simulator trail (48 h, two regions, 12 log
// files an hour of 400 records: 460,800 events in 1,152 log files, written once to
// bench-data/investigate/): ingest, reopen, facets and timeline, table windows, slices opened as
// event documents, and what activation loads. Every figure is printed beside a floor measured in
// the same run (these machines are shared and noisy: read the ratios), best of --runs N (default 3).
//
// Process figures (floor, ingest, reopen, activation) run in fresh child processes (this file again,
// with --child NAME) and are wall times as a user would see them, process start included. Query
// figures use the in-process InvestigationStore (out/src/core/store), after one warm-up call; one
// overview is also timed through StoreClient (the worker thread the extension uses).
//
// Options: --runs N; --events N (as many hours as give about N events), or --hours N,
// --files-per-hour N, --records-per-file N. Needs `npm run build && npm run compile-tests`.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as vm from 'node:vm';
import { gunzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const self = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(self), '..', '..');
const out = (p) => require(path.join(root, 'out', p));
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};

// ---------------------------------------------------------------- helpers

const since = (started) => Number(process.hrtime.bigint() - started) / 1e6;

/** Best of `runs` calls of an async function: { ms, result } of the fastest. */
async function best(runs, fn) {
  let fastest;
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const result = await fn();
    const ms = since(started);
    if (!fastest || ms < fastest.ms) fastest = { ms, result };
  }
  return fastest;
}

/** The log files of a trail folder (digests left out), as the floor reads them. */
function logFiles(dir) {
  const files = [];
  (function walk(d) {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const f = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'CloudTrail-Digest') walk(f);
      } else if (/_CloudTrail_.*\.json\.gz$/.test(e.name)) files.push(f);
    }
  })(dir);
  return files.sort();
}

/** gunzip + JSON.parse of each file, one thread: what any reader of these logs must at least do. */
function parseFiles(files) {
  let events = 0;
  let bytes = 0;
  for (const f of files) {
    const gz = readFileSync(f);
    bytes += gz.length;
    events += JSON.parse(gunzipSync(gz).toString('utf8')).Records.length;
  }
  return { files: files.length, events, bytes };
}

/** A SQL literal for a bound parameter, so a floor query can go through store.query(sql). */
const literal = (v) => (typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`);
const inlined = (where) => where.sql.replace(/\$(\d+)/g, (_, n) => literal(where.params[Number(n) - 1]));

// ---------------------------------------------------------------- child processes

/** Each prints one JSON line: what it did and its peak RSS (process.resourceUsage().maxRSS, in kB). */
const CHILDREN = {
  // The ingest floor: the bare one-thread gunzip + JSON.parse loop over the same log files.
  floor: async (dir) => parseFiles(logFiles(dir)),

  // Ingest: a new investigation from the folder, as `ingest` does it (all workers, default memory).
  // With `rules`, the shipped detection rules run at ingest (read and compiled in the child too).
  ingest: async (db, dir, withRules) => {
    const { InvestigationStore } = out('src/core/store/investigationStore.js');
    const rules = withRules === 'rules' ? (await out('src/core/detections/loadRules.js').loadRules()).payload : undefined;
    const store = await InvestigationStore.open(db);
    const report = await store.ingest([{ path: dir }], { rules });
    await store.close();
    return { files: report.files, read: report.read, stored: report.stored, folded: report.folded, refused: report.refused.length, findings: report.findings };
  },

  // Reopen: open the investigation and read its info (what the CLI and the view do first); with
  // `overview`, also the first overview of everything (what opening the view costs).
  reopen: async (db, withOverview) => {
    const { InvestigationStore } = out('src/core/store/investigationStore.js');
    const store = await InvestigationStore.open(db, { readOnly: true });
    const info = await store.info();
    if (withOverview === 'overview') await store.overview({});
    await store.close();
    return { events: info.events };
  },

  // The reopen floor: bare DuckDB opens the same file read-only and counts its events.
  duckdb: async (db) => {
    const { DuckDBInstance } = require('@duckdb/node-api');
    const instance = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
    const con = await instance.connect();
    const events = Number((await con.runAndReadAll('SELECT count(*) FROM ctl_events')).getRows()[0][0]);
    con.closeSync();
    instance.closeSync();
    return { events };
  },

  // Activation: require dist/extension.js and call activate() with a stub 'vscode' module (every
  // API a no-op proxy), then list what was loaded. Measures our module graph and activate() code,
  // not VS Code's own work (extension host start, contributions, rendering).
  activation: async () => activationChild(),
};

/** A stand-in for any vscode API: property reads, calls and `new` all give another stand-in. */
function stubApi(name) {
  const values = new Map();
  return new Proxy(function () {}, {
    set: (_t, key, value) => (values.set(key, value), true),
    defineProperty: (_t, key, d) => (values.set(key, d.value), true),
    get(_t, key) {
      if (values.has(key)) return values.get(key);
      if (key === 'then') return undefined; // not a promise: `await` must not wait on it
      if (key === Symbol.toPrimitive) return () => '';
      if (key === Symbol.iterator) return function* () {};
      return stubApi(`${name}.${String(key)}`);
    },
    // getConfiguration().get(key, fallback) answers the fallback: the settings' defaults.
    apply: (_t, _this, args) => (name.endsWith('.get') && args.length > 1 ? args[1] : stubApi(`${name}()`)),
    construct: () => stubApi(`new ${name}`),
  });
}

function activationChild() {
  const Module = require('node:module');
  const bundle = path.join(root, 'dist', 'extension.js');
  const text = readFileSync(bundle, 'utf8');
  // The namespaces the bundle uses, as own properties (esbuild's interop copies own keys).
  const vscode = {};
  for (const [, name] of text.matchAll(/\bvscode\d*\.([A-Za-z_]+)/g)) vscode[name] ??= stubApi(`vscode.${name}`);
  const load = Module._load;
  const requested = new Set();
  Module._load = function (request, ...rest) {
    requested.add(request);
    return request === 'vscode' ? vscode : load.call(this, request, ...rest);
  };
  // Floor: compiling the bundle's text without running it (the least loading it can cost).
  let started = process.hrtime.bigint();
  new vm.Script(text, { filename: bundle });
  const compileMs = since(started);
  started = process.hrtime.bigint();
  const extension = require(bundle);
  const requireMs = since(started);
  const subscriptions = [];
  const context = new Proxy({}, { get: (_t, key) => (key === 'subscriptions' ? subscriptions : key === 'extension' ? { packageJSON: { version: '0' } } : stubApi(`context.${String(key)}`)) });
  started = process.hrtime.bigint();
  extension.activate(context);
  const activateMs = since(started);
  // What was loaded: every require() request, the module cache, and (on Linux) the mapped libraries.
  const maps = existsSync('/proc/self/maps') ? readFileSync('/proc/self/maps', 'utf8') : '';
  const loaded = [...requested, ...Object.keys(require.cache), ...maps.split('\n').map((l) => l.split(/\s+/)[5] ?? '')];
  return {
    compileMs,
    requireMs,
    activateMs,
    subscriptions: subscriptions.length,
    duckdb: [...new Set(loaded.filter((f) => /duckdb/i.test(f)))],
    native: [...new Set(loaded.filter((f) => f.endsWith('.node')))],
    packages: [...requested].filter((r) => !r.startsWith('node:') && r !== 'vscode' && !path.isAbsolute(r)),
  };
}

/** Runs this file as `--child NAME args…`: wall time seen from here, and the child's JSON line. */
function child(name, ...args) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    execFile(process.execPath, [self, '--child', name, ...args], { maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      const ms = since(started);
      if (error) return reject(new Error(`child ${name} failed: ${stderr || error.message}`));
      resolve({ ms, ...JSON.parse(stdout.trim().split('\n').pop()) });
    });
  });
}

/** Best of `runs` fresh child processes by wall time. */
async function bestChild(runs, name, ...args) {
  let fastest;
  for (let i = 0; i < runs; i++) {
    const r = await child(name, ...args);
    if (!fastest || r.ms < fastest.ms) fastest = r;
  }
  return fastest;
}

// ---------------------------------------------------------------- the bench trail

function trailOptions() {
  const regions = ['us-east-1', 'eu-west-1'];
  const filesPerHour = option('--files-per-hour', 12);
  const recordsPerFile = option('--records-per-file', 400);
  const events = option('--events', undefined);
  const hours = events ? Math.ceil(events / (regions.length * filesPerHour * recordsPerFile)) : option('--hours', 48);
  return { seed: 7, hours, filesPerHour, recordsPerFile, regions, start: '2026-11-01T00:00:00Z' };
}

/** Writes the simulator trail under bench-data/investigate/ once; later runs reuse it. */
async function benchTrail(options) {
  const dir = path.join(root, 'bench-data', 'investigate', `${options.hours}h-${options.filesPerHour}x${options.recordsPerFile}`);
  const trailDir = path.join(dir, 'trail');
  const stamp = path.join(dir, 'options.json');
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== JSON.stringify(options)) {
    const { simulateTrail, writeTrailToFolder } = out('test/fixtures/simulator/index.js');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    process.stdout.write(`Writing the simulator trail to ${path.relative(root, trailDir)} (once; cached) ... `);
    const started = Date.now();
    const written = await writeTrailToFolder(simulateTrail(options), trailDir);
    writeFileSync(stamp, JSON.stringify(options));
    console.log(`${written.files} objects, ${(written.bytes / 1e6).toFixed(0)} MB in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  return { dir, trailDir, db: path.join(dir, 'bench.ctinv') };
}

function removeInvestigation(db) {
  for (const f of [db, `${db}.wal`, `${db}.json`, `${db}.tmp`]) rmSync(f, { recursive: true, force: true });
}

// ---------------------------------------------------------------- figures

const rows = [];
const MB = 1024 * 1024;
const fmtMs = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`);
const fmtMB = (bytes) => `${(bytes / MB).toFixed(0)} MB`;

/** One line of the table: a figure, its floor, and its target (`ok` says whether it is met). */
function figure(name, ours, floor, target, ok, note = '', fmt = fmtMs) {
  rows.push({ name, ours: fmt(ours), floor: floor === undefined ? '-' : fmt(floor), ratio: floor ? `${(ours / floor).toFixed(2)}×` : '-', target, verdict: ok === undefined ? '' : ok ? 'met' : '**MISSED**', note });
}

/** Ingest: fresh child processes beside the floor loop, alternated so both see the same noise. */
async function ingestFigures(runs, trail) {
  let floor;
  let ingest;
  let detected;
  const detectDb = trail.db.replace(/\.ctinv$/, '-rules.ctinv');
  for (let i = 0; i < runs; i++) {
    const f = await child('floor', trail.trailDir);
    if (!floor || f.ms < floor.ms) floor = f;
    removeInvestigation(trail.db);
    const g = await child('ingest', trail.db, trail.trailDir);
    if (!ingest || g.ms < ingest.ms) ingest = g;
    removeInvestigation(detectDb);
    const d = await child('ingest', detectDb, trail.trailDir, 'rules');
    if (!detected || d.ms < detected.ms) detected = d;
  }
  removeInvestigation(detectDb);
  if (ingest.read !== floor.events || ingest.refused !== 0) throw new Error(`ingest read ${ingest.read} events (${ingest.refused} files refused); the floor parsed ${floor.events}`);
  const dbBytes = statSync(trail.db).size;
  figure('ingest: wall time', ingest.ms, floor.ms, '≤ 1.0× floor', ingest.ms <= floor.ms, `${ingest.stored.toLocaleString('en')} events stored from ${ingest.files.toLocaleString('en')} files (${ingest.folded} identical repeats folded)`);
  figure('ingest: peak RSS', ingest.maxRSS * 1024, floor.maxRSS * 1024, '≤ 600 MB', ingest.maxRSS * 1024 <= 600 * MB, 'floor: its own peak RSS', fmtMB);
  figure('ingest with detections: wall time', detected.ms, ingest.ms, '≤ 1.2× ingest without rules', detected.ms <= 1.2 * ingest.ms, `floor: the ingest above; the shipped rules, ${detected.findings.toLocaleString('en')} findings`);
  figure('ingest with detections: peak RSS', detected.maxRSS * 1024, ingest.maxRSS * 1024, '-', undefined, 'floor: the ingest above', fmtMB);
  return { floor, ingest, dbBytes };
}

/** Reopen: open + info, and open + first overview, in fresh processes, beside bare DuckDB's open + count. */
async function reopenFigures(runs, trail) {
  const floor = await bestChild(runs, 'duckdb', trail.db);
  const info = await bestChild(runs, 'reopen', trail.db, 'info');
  const view = await bestChild(runs, 'reopen', trail.db, 'overview');
  const note = 'fresh process; floor: bare DuckDB open + count(*)';
  figure('reopen: open + info()', info.ms, floor.ms, '< 1 s', info.ms < 1000, note);
  figure('reopen: open + first overview({})', view.ms, floor.ms, '-', undefined, note);
}

/** The selections the query figures ask about. */
function selections(info, overview) {
  const start = (info.first ?? 0) + 24 * 3600_000;
  return {
    everything: {},
    'eventName AssumeRole, GetObject': { include: { eventName: ['AssumeRole', 'GetObject'] } },
    '6 h window': { start, end: start + 6 * 3600_000 },
    "search 'AccessDenied'": { search: 'AccessDenied' },
    'top caller': { include: { caller: [overview.facets.caller[0].value] } },
  };
}

/**
 * Facets + timeline: overview() per selection, beside a floor of one bare GROUP BY of one facet with
 * the same WHERE (the overview counts ten facets and a timeline); returns the whole set's ms.
 */
async function overviewFigures(runs, store, sels, whereOf, openFresh) {
  const cases = [
    ['everything', undefined],
    ['everything', 'eventSource'],
    ['eventName AssumeRole, GetObject', undefined],
    ['6 h window', undefined],
    ["search 'AccessDenied'", undefined],
  ];
  let wholeMs;
  for (const [label, stackBy] of cases) {
    const sel = sels[label];
    const floorSql = `SELECT eventname, count(*) FROM ctl_events WHERE ${inlined(whereOf(sel))} GROUP BY 1`;
    await store.query(floorSql);
    const floor = await best(runs, () => store.query(floorSql));
    await store.overview(sel, stackBy);
    const ours = await best(runs, () => store.overview(sel, stackBy));
    wholeMs ??= ours.ms;
    const again = label.startsWith('search') ? ', again (its hits kept)' : '';
    figure(`overview: ${label}${stackBy ? `, stacked by ${stackBy}` : ''}${again}`, ours.ms, floor.ms, '< 250 ms', ours.ms < 250, `${ours.result.selected.toLocaleString('en')} selected; floor: one GROUP BY eventname`);
    if (again) {
      // A search not asked before: each run on a store just opened (warmed by an overview of everything).
      let first;
      for (let i = 0; i < runs; i++) {
        const fresh = await openFresh();
        try {
          await fresh.overview({});
          const started = process.hrtime.bigint();
          const result = await fresh.overview(sel, stackBy);
          const ms = since(started);
          if (!first || ms < first.ms) first = { ms, result };
        } finally {
          await fresh.close();
        }
      }
      figure(`overview: ${label}, the first time`, first.ms, floor.ms, '< 250 ms', first.ms < 250, `${first.result.selected.toLocaleString('en')} selected; a store just opened; floor: one GROUP BY eventname`);
    }
  }
  return wholeMs;
}

/** Table windows of 200 rows at the start, middle and end, after the order is materialized. */
async function rowsFigures(runs, store, sels) {
  const cases = [
    ['everything', { column: 'time', descending: false }],
    ['everything', { column: 'caller', descending: false }],
    ['eventName AssumeRole, GetObject', { column: 'time', descending: false }],
  ];
  for (const [label, sort] of cases) {
    const sel = sels[label];
    // The first deep window starts the materialized order and waits for it.
    const { total } = await store.rows(sel, sort, 1, 200);
    for (const [where, offset] of [['start', 0], ['middle', Math.floor(total / 2)], ['end', Math.max(0, total - 200)]]) {
      await store.rows(sel, sort, offset, 200);
      const ours = await best(runs, () => store.rows(sel, sort, offset, 200));
      // Floor: reading the same 200 rows by row id (the least any window costs).
      const floorSql = `SELECT row_id, eventtime, caller_label, eventname, eventsource, sourceipaddress, errorcode, awsregion, sensitive_action FROM ctl_events WHERE row_id IN (${ours.result.rows.map((r) => r.id).join(', ')})`;
      const floor = await best(runs, () => store.query(floorSql));
      figure(`rows: ${label}, by ${sort.column}, ${where} (offset ${offset.toLocaleString('en')})`, ours.ms, floor.ms, '< 50 ms', ours.ms < 50, 'floor: the same 200 rows by row_id');
    }
  }
}

/** A 1,000-event slice opened as an event document: slice() + formatEvents + buildEventIndex. */
async function sliceFigures(runs, store, sels, { whereOf, orderOf, formatEvents, buildEventIndex }) {
  const sort = { column: 'time', descending: false };
  const cases = [
    ['everything', 'time-contiguous'],
    ['top caller', 'scattered: one caller'],
    ['eventName AssumeRole, GetObject', 'scattered: two event names'],
  ];
  for (const [label, kind] of cases) {
    const sel = sels[label];
    const open = async () => {
      const s0 = process.hrtime.bigint();
      const { records } = await store.slice(sel, sort, 1000);
      const sliceMs = since(s0);
      const text = formatEvents(records);
      const index = buildEventIndex(text);
      return { sliceMs, events: index.events.length };
    };
    await open();
    const ours = await best(runs, open);
    // Floor: gunzip + JSON.parse of the log files that hold the slice's events (read from disk).
    const sources = await store.query(
      `SELECT DISTINCT s.name FROM (SELECT source_id FROM ctl_events WHERE ${inlined(whereOf(sel))} ORDER BY ${orderOf(sort)} LIMIT 1000) e JOIN ctl_sources s USING (source_id)`,
    );
    const files = sources.rows.map((r) => r[0]);
    const floor = await best(runs, async () => parseFiles(files));
    figure(`slice of 1,000 as a document: ${kind}`, ours.ms, floor.ms, '< 1 s', ours.ms < 1000, `${ours.result.events} events from ${files.length} files; slice() ${fmtMs(ours.result.sliceMs)}; floor: gunzip+parse those files`);
  }
}

/** The thread hop: overview({}) through StoreClient beside the in-process one. */
async function clientFigure(runs, db, inProcessMs) {
  const { StoreClient } = out('src/core/store/storeClient.js');
  const client = await StoreClient.open(db, { readOnly: true });
  try {
    await client.overview({});
    const ours = await best(runs, () => client.overview({}));
    figure('overview: everything, via StoreClient (worker thread)', ours.ms, inProcessMs, '< 250 ms', ours.ms < 250, 'floor: the same call in-process');
  } finally {
    await client.close();
  }
}

/**
 * A search as the view asks it: the overview, the first table page and the summary at once, on a
 * store just opened and warmed. Read-write (as the extension opens one: the hits, made once, serve
 * all three) beside read-only (the hits serve the overview; the table and summary match the text).
 */
async function searchViewFigure(runs, db) {
  const { InvestigationStore } = out('src/core/store/investigationStore.js');
  const sel = { search: 'AccessDenied' };
  const once = async (readOnly) => {
    let fastest;
    for (let i = 0; i < runs; i++) {
      const store = await InvestigationStore.open(db, { readOnly });
      try {
        await store.overview({});
        await store.rows({}, { column: 'time', descending: false }, 0, 200);
        const started = process.hrtime.bigint();
        await Promise.all([store.overview(sel), store.rows(sel, { column: 'time', descending: false }, 0, 200), store.summary(sel)]);
        const ms = since(started);
        fastest = fastest === undefined ? ms : Math.min(fastest, ms);
      } finally {
        await store.close();
      }
    }
    return fastest;
  };
  const shared = await once(false);
  const apart = await once(true);
  figure("a search in the view: overview + table page + summary at once, 'AccessDenied'", shared, apart, '-', undefined, 'a store just opened, read-write (one match of the text); floor: read-only (each query matches it)');
}

/** Activation in a fresh process: require + activate() with a stub vscode; DuckDB must not load. */
async function activationFigure(runs) {
  const a = await bestChild(runs, 'activation');
  const ms = a.requireMs + a.activateMs;
  figure('activation: require dist/extension.js + activate()', ms, a.compileMs, '< 100 ms', ms < 100, `require ${fmtMs(a.requireMs)}, activate() ${fmtMs(a.activateMs)} (${a.subscriptions} disposables); floor: compiling the bundle without running it`);
  const packages = a.packages.length === 0 ? 'no packages outside the bundle' : `required outside the bundle: ${a.packages.join(', ')}`;
  const native = a.native.length === 0 ? 'no native addons' : `native addons: ${a.native.map((f) => path.basename(f)).join(', ')}`;
  rows.push({ name: 'activation: DuckDB loaded', ours: a.duckdb.length === 0 ? 'no' : 'yes', floor: '-', ratio: '-', target: 'no', verdict: a.duckdb.length === 0 ? 'met' : '**MISSED**', note: `${packages}; ${native} (require requests, require.cache, /proc/self/maps)` });
}

function printTable() {
  const header = ['figure', 'ours', 'floor', 'ours ÷ floor', 'target', '', 'notes'];
  const lines = rows.map((r) => [r.name, r.ours, r.floor, r.ratio, r.target, r.verdict, r.note]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const show = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(show(header));
  console.log(`|${widths.map((w, i) => (i >= 1 && i <= 3 ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`);
  for (const l of lines) console.log(show(l));
}

async function main() {
  for (const file of ['dist/extension.js', 'out/src/core/store/investigationStore.js', 'out/test/fixtures/simulator/index.js']) {
    if (!existsSync(path.join(root, file))) {
      console.error(`bench:investigate: ${file} is missing; run "npm run build && npm run compile-tests" first (npm run bench:investigate does).`);
      process.exit(2);
    }
  }
  const runs = option('--runs', 3);
  const options = trailOptions();
  const trail = await benchTrail(options);
  const logs = logFiles(trail.trailDir);
  const logBytes = logs.reduce((n, f) => n + statSync(f).size, 0);
  console.log(`bench:investigate: ${logs.length.toLocaleString('en')} log files (${fmtMB(logBytes)} gzip); best of ${runs}; ${process.platform} ${process.arch}, ${availableParallelism()} CPUs (${cpus()[0]?.model.trim()}), Node ${process.version}\n`);

  const { dbBytes, ingest, floor } = await ingestFigures(runs, trail);
  await reopenFigures(runs, trail);

  const { InvestigationStore } = out('src/core/store/investigationStore.js');
  const { whereOf, orderOf } = out('src/core/store/queries.js');
  const { formatEvents } = out('src/core/events/formatter.js');
  const { buildEventIndex } = out('src/core/events/eventIndex.js');
  const store = await InvestigationStore.open(trail.db, { readOnly: true });
  let overviewMs;
  try {
    const info = await store.info();
    const sels = selections(info, await store.overview({}));
    overviewMs = await overviewFigures(runs, store, sels, whereOf, () => InvestigationStore.open(trail.db, { readOnly: true }));
    await rowsFigures(runs, store, sels);
    await sliceFigures(runs, store, sels, { whereOf, orderOf, formatEvents, buildEventIndex });
  } finally {
    await store.close();
  }
  await clientFigure(runs, trail.db, overviewMs);
  await searchViewFigure(runs, trail.db);
  await activationFigure(runs);

  printTable();
  console.log(`\nEvents stored: ${ingest.stored.toLocaleString('en')} of ${floor.events.toLocaleString('en')} parsed by the floor; investigation file ${fmtMB(dbBytes)} (logs ${fmtMB(logBytes)} gzip); ${path.relative(root, trail.db)}.`);
  console.log('Process figures are fresh child processes, wall time with process start. Query figures: in-process InvestigationStore (read-only), after one warm-up call.');
}

// ---------------------------------------------------------------- entry

if (argv[0] === '--child') {
  const result = await CHILDREN[argv[1]](...argv.slice(2));
  process.stdout.write(JSON.stringify({ ...result, maxRSS: process.resourceUsage().maxRSS }) + '\n');
  process.exit(0);
} else {
  await main();
}
