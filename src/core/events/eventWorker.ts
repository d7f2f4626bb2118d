// The worker thread behind eventFileWorkers.ts (bundled as dist/eventWorker.js beside the
// extension and the CLI). Each message is a batch of files; each file is read and inflated here
// ("decode": its bytes go back, handed over without a copy) or also parsed and counted ("summary":
// the batch's counts and each file's eventIDs go back, nothing else of the files is kept or sent).
import { isUtf8 } from 'node:buffer';
import * as fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import * as zlib from 'node:zlib';
import { readEventFileSync, type DecodedFile } from './eventBytes';
import type { WorkerReply, WorkerRequest, WireDecoded, WireSummary } from './eventFileWorkers';
import { eventIdsOf, SummaryAggregate } from './eventSummary';
import { EventReadError, readDecoded } from './reader';

function decode(name: string, limits: WorkerRequest['limits'], budget: number): DecodedFile {
  const capped = budget < limits.maxText;
  let r: DecodedFile;
  try {
    r = readEventFileSync(fs, zlib, isUtf8, name, { ...limits, maxText: capped ? budget : limits.maxText });
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

parentPort?.on('message', (m: WorkerRequest) => {
  const transfer: ArrayBuffer[] = [];
  let reply: WorkerReply;
  if (m.mode === 'summary') {
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
      const t = r.text;
      const own = t.byteOffset === 0 && t.byteLength === t.buffer.byteLength ? (t.buffer as ArrayBuffer) : new Uint8Array(t).buffer;
      transfer.push(own);
      results.push({ ...r, text: own });
    }
    reply = { id: m.id, results };
  }
  parentPort!.postMessage(reply, transfer);
});
