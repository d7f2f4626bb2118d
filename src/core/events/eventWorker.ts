// The worker thread behind eventFileWorkers.ts (bundled as dist/eventWorker.js beside the
// extension and the CLI). Each message is a batch of files; each file is read and inflated here
// ("decode": its bytes go back, handed over without a copy) or also parsed and counted ("summary":
// the batch's counts and each file's eventIDs go back, nothing else of the files is kept or sent).
import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import * as zlib from 'node:zlib';
import { readEventFileSync, type DecodedFile } from './eventBytes';
import type { IngestRequest, WorkerReply, WorkerRequest, WireDecoded, WireIngested, WireSummary } from './eventFileWorkers';
import { DeriveCache, fileLines } from '../store/storeRows';
import { eventIdsOf, SummaryAggregate } from './eventSummary';
import { EventReadError, readDecoded } from './reader';

function decode(name: string, limits: WorkerRequest['limits'], budget: number, keepStored = false, spans?: number[]): DecodedFile {
  const capped = budget < limits.maxText;
  let r: DecodedFile;
  try {
    r = readEventFileSync(fs, zlib, isUtf8, name, { ...limits, maxText: capped ? budget : limits.maxText, keepStored }, spans);
  } catch (error) {
    r = { ok: false, name, code: 'read-failed', reason: `could not read it (${(error as Error).message})` };
  }
  if (!r.ok && r.code === 'too-large' && capped) r = { ok: false, name, code: 'over-budget', reason: 'more than the batch may hold' };
  return r;
}

/** Reads, parses and counts one file into `into`; a file that cannot be read says why. */
function summarize(name: string, limits: WorkerRequest['limits'], budget: number, into: SummaryAggregate): WireSummary {
  const d = decode(name, limits, budget);
  if (!d.ok) return d;
  let result;
  try {
    result = readDecoded(d.text, d.storedBytes, name, d.facts);
  } catch (error) {
    return { ok: false, name, code: 'unreadable', reason: error instanceof EventReadError ? error.message.slice(name.length + 2) : `could not read it (${(error as Error).message})` };
  }
  into.add(result.records);
  return { ok: true, name, storedBytes: result.storedBytes, textBytes: result.textBytes, recordCount: result.recordCount, format: result.format, warnings: result.warnings, ids: eventIdsOf(result.records) };
}

/** Memory a buffer owns alone, to hand over without a copy (a pooled buffer would take its neighbours). */
function ownBuffer(t: Buffer): ArrayBuffer {
  return t.byteOffset === 0 && t.byteLength === t.buffer.byteLength ? (t.buffer as ArrayBuffer) : new Uint8Array(t).buffer;
}

/**
 * Reads and parses a batch for the investigation store: every record becomes a line of the batch's
 * NDJSON file (written here, so only file outcomes and the stored bytes cross back).
 */
function ingest(files: string[], limits: WorkerRequest['limits'], request: IngestRequest, transfer: ArrayBuffer[]): WireIngested[] {
  const results: WireIngested[] = [];
  const cache = new DeriveCache();
  const fd = fs.openSync(request.out, 'w');
  try {
    files.forEach((file, i) => {
      const name = request.names[i] ?? file;
      const spans: number[] = [];
      const d = decode(file, limits, Number.POSITIVE_INFINITY, true, spans);
      if (!d.ok) {
        results.push({ ...d, name });
        return;
      }
      let result;
      try {
        result = readDecoded(d.text, d.storedBytes, name, d.facts);
      } catch (error) {
        results.push({ ok: false, name, code: 'unreadable', reason: error instanceof EventReadError ? error.message.slice(name.length + 2) : `could not read it (${(error as Error).message})` });
        return;
      }
      const source = request.sourceIds[i];
      const exact = result.format === 'log-file' && d.facts.invalidUtf8At < 0 ? spans : undefined;
      const bytes = fileLines(result.records, d.text, exact, source, cache, d.facts.longNumbers);
      if (bytes.length > 0) fs.writeSync(fd, bytes);
      const stored = d.stored!;
      const gzip = stored.length >= 2 && stored[0] === 0x1f && stored[1] === 0x8b ? stored : zlib.gzipSync(stored, { level: 1 });
      const own = ownBuffer(gzip);
      transfer.push(own);
      results.push({ ok: true, name, storedBytes: result.storedBytes, textBytes: result.textBytes, recordCount: result.recordCount, format: result.format, warnings: result.warnings, gzip: own });
    });
  } finally {
    fs.closeSync(fd);
  }
  return results;
}

parentPort?.on('message', (m: WorkerRequest) => {
  const transfer: ArrayBuffer[] = [];
  let reply: WorkerReply;
  if (m.mode === 'ingest') {
    let results: WireIngested[];
    try {
      results = ingest(m.files, m.limits, m.ingest!, transfer);
    } catch (error) {
      // The batch file could not be written (a full disk): every file of the batch says so.
      results = m.files.map((file, i) => ({ ok: false, name: m.ingest?.names[i] ?? file, code: 'read-failed', reason: `could not be stored (${(error as Error).message})` }));
      transfer.length = 0;
    }
    reply = { id: m.id, results };
  } else if (m.mode === 'summary') {
    // Once a file is too large for what is left (of the batch or of the total), the rest of the
    // batch goes back unread: the thread that takes the results in order decides where reading
    // stops, and the aggregate must hold only files before that point.
    let budget = m.limits.budget ?? Number.POSITIVE_INFINITY;
    let stopped = false;
    const aggregate = new SummaryAggregate();
    const results: WireSummary[] = [];
    for (const name of m.files) {
      const r: WireSummary = stopped ? { ok: false, name, code: 'over-budget', reason: 'more than the batch may hold' } : summarize(name, m.limits, budget, aggregate);
      if (r.ok) budget -= r.textBytes;
      else if (r.code === 'over-budget' || r.code === 'too-large') stopped = true;
      results.push(r);
    }
    reply = { id: m.id, results, aggregate: aggregate.toWire() };
  } else {
    let budget = m.limits.budget ?? Number.POSITIVE_INFINITY;
    const results: WireDecoded[] = [];
    for (const name of m.files) {
      const r = decode(name, m.limits, budget);
      if (!r.ok) {
        results.push(r);
        continue;
      }
      budget -= r.text.length;
      // Only memory the buffer owns can be handed over (a pooled buffer would take its neighbours,
      // and Buffer.from would copy a small one into the pool again).
      const own = ownBuffer(r.text);
      transfer.push(own);
      results.push({ ...r, text: own });
    }
    reply = { id: m.id, results };
  }
  parentPort!.postMessage(reply, transfer);
});
