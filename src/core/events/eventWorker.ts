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
import { DeriveCache, fileLines, type LineDetection } from '../store/storeRows';
import { eventIdsOf, SummaryAggregate } from './eventSummary';
import { EventReadError, readDecoded } from './reader';
import { DetectionBatch, packedBuffers, ruleSetOf } from '../detections/detectionRun';
import { levelRank, type RecordMatches } from '../detections/types';
import { parseCloudTrailTime, type CloudTrailRecord } from './records';

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
function summarize(name: string, limits: WorkerRequest['limits'], budget: number, into: SummaryAggregate, counts: boolean): WireSummary {
  const d = decode(name, limits, budget);
  if (!d.ok) return d;
  let result;
  try {
    result = readDecoded(d.text, d.storedBytes, name, d.facts);
  } catch (error) {
    return { ok: false, name, code: 'unreadable', reason: error instanceof EventReadError ? error.message.slice(name.length + 2) : `could not read it (${(error as Error).message})` };
  }
  into.add(result.records);
  return { ok: true, name, storedBytes: result.storedBytes, textBytes: result.textBytes, recordCount: result.recordCount, format: result.format, warnings: result.warnings, ids: counts ? eventIdsOf(result.records) : [] };
}

/** Memory a buffer owns alone, to hand over without a copy (a pooled buffer would take its neighbours). */
function ownBuffer(t: Buffer): ArrayBuffer {
  return t.byteOffset === 0 && t.byteLength === t.buffer.byteLength ? (t.buffer as ArrayBuffer) : new Uint8Array(t).buffer;
}

/** Whether the store keeps a record under the ingest's filter (the same test as its SQL). */
function keeps(keep: NonNullable<IngestRequest['keep']>, r: CloudTrailRecord): boolean {
  if (keep.start !== undefined || keep.end !== undefined) {
    const t = parseCloudTrailTime(r.eventTime);
    if (Number.isNaN(t) || (keep.start !== undefined && t < keep.start) || (keep.end !== undefined && t >= keep.end)) return false;
  }
  if (keep.regions && keep.regions.length > 0 && !(typeof r.awsRegion === 'string' && keep.regions.includes(r.awsRegion))) return false;
  return true;
}

/**
 * Matches a file's records as they are about to be written: each record's highest-level finding by
 * position, or undefined when none made one (the common case: no array at all).
 */
function detectionsOf(records: readonly CloudTrailRecord[], batch: DetectionBatch, keep: IngestRequest['keep']): (LineDetection | null)[] | undefined {
  let out: (LineDetection | null)[] | undefined;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    if (keep && !keeps(keep, r)) continue;
    const { findings } = batch.addOne(r);
    if (findings.length === 0) continue;
    let best = findings[0];
    for (const f of findings) if (levelRank(f.level) > levelRank(best.level)) best = f;
    out ??= new Array<LineDetection | null>(records.length).fill(null);
    out[i] = { title: best.title, level: best.level };
  }
  return out;
}

/**
 * Reads and parses a batch for the investigation store: every record becomes a line of the batch's
 * NDJSON file (written here, so only file outcomes, the stored bytes and, with rules, the batch's
 * findings and correlation hits cross back).
 */
function ingest(files: string[], limits: WorkerRequest['limits'], request: IngestRequest, transfer: ArrayBuffer[]): { results: WireIngested[]; matches?: RecordMatches } {
  const results: WireIngested[] = [];
  const cache = new DeriveCache();
  const batch = request.rules ? new DetectionBatch(ruleSetOf(request.rules)) : undefined;
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
      const detections = batch ? detectionsOf(result.records, batch, request.keep) : undefined;
      const bytes = fileLines(result.records, d.text, exact, source, cache, d.facts.longNumbers, detections);
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
  return { results, matches: batch?.toWire() };
}

parentPort?.on('message', (m: WorkerRequest) => {
  const transfer: ArrayBuffer[] = [];
  let reply: WorkerReply;
  if (m.mode === 'ingest') {
    let results: WireIngested[];
    let matches: RecordMatches | undefined;
    try {
      ({ results, matches } = ingest(m.files, m.limits, m.ingest!, transfer));
    } catch (error) {
      // The batch file could not be written (a full disk): every file of the batch says so.
      results = m.files.map((file, i) => ({ ok: false, name: m.ingest?.names[i] ?? file, code: 'read-failed', reason: `could not be stored (${(error as Error).message})` }));
      transfer.length = 0;
    }
    reply = { id: m.id, results, matches };
    transfer.push(...packedBuffers(matches));
  } else if (m.mode === 'summary') {
    // Once a file is too large for what is left (of the batch or of the total), the rest of the
    // batch goes back unread: the thread that takes the results in order decides where reading
    // stops, and the aggregate must hold only files before that point.
    let budget = m.limits.budget ?? Number.POSITIVE_INFINITY;
    let stopped = false;
    const counts = m.counts !== false;
    const aggregate = new SummaryAggregate(m.rules ? new DetectionBatch(ruleSetOf(m.rules)) : undefined, counts);
    const results: WireSummary[] = [];
    for (const name of m.files) {
      const r: WireSummary = stopped ? { ok: false, name, code: 'over-budget', reason: 'more than the batch may hold' } : summarize(name, m.limits, budget, aggregate, counts);
      if (r.ok) budget -= r.textBytes;
      else if (r.code === 'over-budget' || r.code === 'too-large') stopped = true;
      results.push(r);
    }
    const wire = aggregate.toWire();
    transfer.push(...packedBuffers(wire.detections));
    reply = { id: m.id, results, aggregate: wire };
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
