import { collectEventFiles, DEFAULT_MAX_TOTAL_TEXT_BYTES, loadEventFiles, recordsIn, NOT_EVENTS_REASONS } from '../events/eventFiles';
import { workersForFolders, type EventFileWorkers } from '../events/eventFileWorkers';
import { SummaryCounter, type Count } from '../events/eventSummary';
import { escapeControl, safeJsonStringify } from '../text/safeText';

export const SUMMARIZE_USAGE = `Usage: cloudtrail-lens summarize <file or folder>... [--json] [--top N] [--max-total-mb N]

Reads CloudTrail events (log files .json/.json.gz, arrays of records, NDJSON, LookupEvents output,
CloudTrail Lake results) and prints how many events each caller, source IP, access key, event name
and error code has, with the first and last event time. Folders are read recursively; digest files
are left out. --top N limits each table to its N largest rows (default 20, 0 for all).
--max-total-mb N bounds the inflated text read in all (default 1024): files past it are left out
and listed. Hidden folders, links to folders and folders that cannot be listed are skipped and named.

Exit codes: 0 every file read, 1 some files rejected or left out (reasons printed), 2 usage error or
nothing read.`;

interface Row {
  key: string;
  label?: string;
  type?: string;
  class?: string;
  count: number;
  first?: string;
  last?: string;
}

function rows<T extends Count>(map: Map<string, T>, extra: (entry: T) => Partial<Row> = () => ({})): Row[] {
  return [...map.values()]
    .map((e) => ({ key: e.key, ...extra(e), count: e.count, first: e.firstTime, last: e.lastTime }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
}

export interface SummarizeIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

export async function summarize(args: string[], io: SummarizeIo): Promise<number> {
  const json = args.includes('--json');
  let top = 20;
  let maxTotal = DEFAULT_MAX_TOTAL_TEXT_BYTES;
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') continue;
    if (a === '--max-total-mb') {
      const mb = Number(args[++i]);
      if (!Number.isInteger(mb) || mb < 1) {
        io.err('cloudtrail-lens summarize: --max-total-mb takes a whole number of megabytes (1 or more)\n');
        return 2;
      }
      maxTotal = mb * 1024 * 1024;
      continue;
    }
    if (a === '--top') {
      top = Number(args[++i]);
      if (!Number.isInteger(top) || top < 0) {
        io.err('cloudtrail-lens summarize: --top takes a whole number (0 for all)\n');
        return 2;
      }
      continue;
    }
    if (a === '--help' || a === '-h') {
      io.out(SUMMARIZE_USAGE + '\n');
      return 0;
    }
    if (a.startsWith('--')) {
      io.err(`cloudtrail-lens summarize: unknown option ${escapeControl(a)}\n${SUMMARIZE_USAGE}\n`);
      return 2;
    }
    paths.push(a);
  }
  if (paths.length === 0) {
    io.err(`cloudtrail-lens summarize: give at least one file or folder\n${SUMMARIZE_USAGE}\n`);
    return 2;
  }
  // Folders usually hold many files: the workers start while the folders are walked.
  const workers = workersForFolders(paths);
  try {
    return await summarizeFiles(paths, { json, top, maxTotal }, io, workers);
  } finally {
    await workers?.close();
  }
}

async function summarizeFiles(paths: string[], o: { json: boolean; top: number; maxTotal: number }, io: SummarizeIo, workers: EventFileWorkers | undefined): Promise<number> {
  const { json, top, maxTotal } = o;
  const { files, skipped } = await collectEventFiles(paths);
  const missing = skipped.filter((s) => s.reason === 'no such file or folder');
  // Counted while the files are read (the order of events changes no count): the worker threads
  // parse and count batches of files, this thread merges their counts, and no record is kept.
  const index = new SummaryCounter();
  const loaded = await loadEventFiles(files, {
    maxTotalTextBytes: maxTotal,
    totalLimitName: '--max-total-mb',
    counter: index,
    workers,
  });
  // Repeated eventIDs: only the files that hold them are read again, to fold true duplicates.
  await index.settle((file, places) => recordsIn(file, places));
  const summary = {
    filesRead: loaded.results.length,
    bytesRead: loaded.results.reduce((n, r) => n + r.storedBytes, 0),
    eventsRead: loaded.results.reduce((n, r) => n + r.recordCount, 0),
    events: index.events,
    duplicatesFolded: index.duplicatesFolded,
    conflictingEventIds: index.conflictingEventIds,
    repeatsNotCompared: index.uncompared,
    firstEventTime: Number.isNaN(index.firstMs) ? null : new Date(index.firstMs).toISOString().replace('.000Z', 'Z'),
    lastEventTime: Number.isNaN(index.lastMs) ? null : new Date(index.lastMs).toISOString().replace('.000Z', 'Z'),
    filesRejected: [...missing, ...loaded.rejected],
    filesSkipped: skipped.filter((s) => !missing.includes(s)),
    filesLeftOut: loaded.leftOut?.files ?? [],
    warnings: loaded.results.flatMap((r) => (r.warnings ?? []).map((message) => ({ name: r.name, message }))),
    callers: rows(index.callers, (c) => ({ label: c.label, type: c.type })),
    sourceIPAddresses: rows(index.sources, (s) => ({ class: s.source.label })),
    accessKeys: rows(index.accessKeys),
    eventNames: rows(index.eventNames),
    errorCodes: rows(index.errorCodes),
  };
  if (json) {
    io.out(safeJsonStringify(summary, 2) + '\n');
  } else {
    const lines: string[] = [];
    lines.push(`Files read: ${summary.filesRead} (${(summary.bytesRead / 1024 / 1024).toFixed(1)} MB), events read: ${summary.eventsRead}, distinct events: ${summary.events} (${summary.duplicatesFolded} duplicates folded), files rejected: ${summary.filesRejected.length}, files skipped: ${summary.filesSkipped.length}`);
    if (summary.conflictingEventIds.length > 0) {
      lines.push(`Warning: ${summary.conflictingEventIds.length} eventID(s) appear with different content: ${summary.conflictingEventIds.slice(0, 5).join(', ')}`);
    }
    if (summary.repeatsNotCompared > 0) {
      lines.push(`Warning: ${summary.repeatsNotCompared} repeated eventID(s) could not be compared with the first (a file changed or became unreadable while it was read) and are counted as distinct events`);
    }
    lines.push(`First event: ${summary.firstEventTime ?? '-'}   Last event: ${summary.lastEventTime ?? '-'}`);
    for (const r of summary.filesRejected) lines.push(`Rejected: ${r.name}: ${r.reason}`);
    for (const w of summary.warnings) lines.push(`Warning: ${w.name}: ${w.message}`);
    if (loaded.leftOut) lines.push(`Left out: ${loaded.leftOut.reason}; the first is ${loaded.leftOut.files[0]}`);
    // Digests and metadata are left out by design and can be thousands: counted, not listed.
    const byDesign = new Set<string>(Object.values(NOT_EVENTS_REASONS));
    for (const s of summary.filesSkipped) if (!byDesign.has(s.reason)) lines.push(`Skipped: ${s.name}: ${s.reason}`);
    const section = (title: string, list: Row[], describe: (r: Row) => string): void => {
      lines.push('', `${title} (${list.length})`);
      if (list.length === 0) {
        lines.push('  none');
        return;
      }
      lines.push(`  ${'events'.padStart(7)}  ${'first'.padEnd(20)}  ${'last'.padEnd(20)}  value`);
      for (const r of top === 0 ? list : list.slice(0, top)) {
        lines.push(`  ${String(r.count).padStart(7)}  ${(r.first ?? '-').padEnd(20)}  ${(r.last ?? '-').padEnd(20)}  ${describe(r)}`);
      }
      if (top > 0 && list.length > top) lines.push(`  … ${list.length - top} more (--top 0 shows all)`);
    };
    section('Callers', summary.callers, (r) => `${r.label} (${r.type}) ${r.key}`);
    section('Source IP addresses', summary.sourceIPAddresses, (r) => `${r.key} (${r.class})`);
    section('Access keys', summary.accessKeys, (r) => r.key);
    section('Event names', summary.eventNames, (r) => r.key);
    section('Error codes', summary.errorCodes, (r) => r.key);
    // Every line may hold text from the logs (callers, keys, file names, reasons): escaped as printed.
    io.out(lines.map(escapeControl).join('\n') + '\n');
  }
  if (summary.filesRead === 0) {
    if (summary.filesRejected.length === 0) io.err('cloudtrail-lens summarize: no event files found\n');
    return 2;
  }
  return summary.filesRejected.length > 0 || summary.filesLeftOut.length > 0 ? 1 : 0;
}
