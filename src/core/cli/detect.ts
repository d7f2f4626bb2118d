import { DetectionBatch, DetectionMerger } from '../detections/detectionRun';
import { loadRules } from '../detections/loadRules';
import { meetsLevel } from '../detections/ruleSet';
import { LEVELS, type Finding, type Level } from '../detections/types';
import { collectEventFiles, DEFAULT_MAX_TOTAL_TEXT_BYTES, loadEventFiles } from '../events/eventFiles';
import { workersForFolders } from '../events/eventFileWorkers';
import { SummaryCounter } from '../events/eventSummary';
import { escapeControl, safeJsonStringify } from '../text/safeText';

export const DETECT_USAGE = `Usage: cloudtrail-lens detect <file or folder>... [--json] [--rules DIR]... [--min-level L]
                              [--no-builtin] [--disable ID]... [--max-total-mb N]

Runs Sigma detection rules on CloudTrail events (every shape summarize reads) and prints one line
per finding: time, level, rule title, the event's name, caller and source address, the outcome,
the rule's id and author. --json prints one JSON object per line instead (rule id, title, level,
ATT&CK tags, author, event ids, matched fields, outcome). The shipped rules run unless --no-builtin;
--rules DIR adds a folder of rules (repeat it for more); --disable ID leaves out a rule (by id or
title). --min-level L (informational, low, medium, high, critical; default informational) hides
findings below L and sets what exit code 1 means.

Exit codes: 1 a finding at or above --min-level, 0 none and every file and rule was read, 2 a usage
error, nothing read, or some files or rules could not be read (reasons on stderr).`;

export interface DetectIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

function outcomeText(f: Finding): string {
  return f.outcome.status === 'succeeded' ? 'succeeded' : `attempted (${f.outcome.errorCode})`;
}

/** One finding as a line of text; every value from the logs or the rules is escaped. */
export function findingLine(f: Finding): string {
  const e = f.event ?? {};
  const what = f.correlation
    ? `${f.correlation.count} ${f.correlation.type === 'value_count' ? 'values' : 'events'} in ${f.correlation.timespan}${Object.entries(f.correlation.groupBy).map(([k, v]) => ` ${k}=${v}`).join('')}`
    : `${e.eventName ?? '-'} by ${e.callerLabel ?? e.caller ?? '-'} from ${e.sourceIPAddress ?? '-'}`;
  const parts = [f.firstTime ?? '-', f.level.padEnd(13), f.title, '—', what, '—', outcomeText(f), `[${f.ruleId}${f.author ? `, by ${f.author}` : ''}]`];
  return escapeControl(parts.join(' '));
}

export async function detectCommand(args: string[], io: DetectIo): Promise<number> {
  let json = false;
  let builtin = true;
  let minLevel: Level = 'informational';
  let maxTotal = DEFAULT_MAX_TOTAL_TEXT_BYTES;
  const folders: string[] = [];
  const disabled: string[] = [];
  const paths: string[] = [];
  const usage = (message: string): number => {
    io.err(`cloudtrail-lens detect: ${escapeControl(message)}\n${DETECT_USAGE}\n`);
    return 2;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') json = true;
    else if (a === '--no-builtin') builtin = false;
    else if (a === '--rules' || a === '--disable' || a === '--min-level' || a === '--max-total-mb') {
      const value = args[++i];
      if (value === undefined) return usage(`${a} needs a value`);
      if (a === '--rules') folders.push(value);
      else if (a === '--disable') disabled.push(value);
      else if (a === '--min-level') {
        if (!(LEVELS as readonly string[]).includes(value)) return usage(`--min-level takes one of ${LEVELS.join(', ')}`);
        minLevel = value as Level;
      } else {
        const mb = Number(value);
        if (!Number.isInteger(mb) || mb < 1) return usage('--max-total-mb takes a whole number of megabytes (1 or more)');
        maxTotal = mb * 1024 * 1024;
      }
    } else if (a === '--help' || a === '-h') {
      io.out(DETECT_USAGE + '\n');
      return 0;
    } else if (a.startsWith('--')) return usage(`unknown option ${a}`);
    else paths.push(a);
  }
  if (paths.length === 0) return usage('give at least one file or folder');
  if (!builtin && folders.length === 0) return usage('--no-builtin leaves no rules: add --rules DIR');

  const rules = await loadRules({ builtin, folders, disabled });
  for (const r of rules.refused) io.err(`cloudtrail-lens detect: rule refused: ${escapeControl(`${r.file}:${r.line}: ${r.title ? `${r.title}: ` : ''}${r.message}`)}\n`);
  if (rules.ruleSet.rules.length === 0) {
    io.err('cloudtrail-lens detect: no rule could be loaded\n');
    return 2;
  }

  const workers = workersForFolders(paths);
  const merger = new DetectionMerger(rules.ruleSet);
  try {
    const { files, skipped } = await collectEventFiles(paths);
    const counter = new SummaryCounter({ rules: rules.payload, newBatch: () => new DetectionBatch(rules.ruleSet), detections: merger, counts: false });
    const loaded = await loadEventFiles(files, { maxTotalTextBytes: maxTotal, totalLimitName: '--max-total-mb', counter, workers });
    const missing = skipped.filter((s) => s.reason === 'no such file or folder');
    const rejected = [...missing, ...loaded.rejected];
    for (const r of rejected) io.err(`cloudtrail-lens detect: not read: ${escapeControl(`${r.name}: ${r.reason}`)}\n`);
    if (loaded.leftOut) io.err(`cloudtrail-lens detect: ${escapeControl(loaded.leftOut.reason)}\n`);
    const findings = merger.findings().filter((f) => meetsLevel(f.level, minLevel));
    for (const f of findings) io.out((json ? safeJsonStringify(f) : findingLine(f)) + '\n');
    const events = loaded.results.reduce((n, r) => n + r.recordCount, 0);
    const byLevel = [...LEVELS].reverse().map((l) => [l, findings.filter((f) => f.level === l).length] as const).filter(([, n]) => n > 0);
    io.err(`${findings.length} finding(s)${byLevel.length ? ` (${byLevel.map(([l, n]) => `${n} ${l}`).join(', ')})` : ''} from ${rules.ruleSet.rules.length} rule(s) in ${loaded.results.length} file(s), ${events} event(s)\n`);
    if (loaded.results.length === 0) {
      if (rejected.length === 0) io.err('cloudtrail-lens detect: no event files found\n');
      return 2;
    }
    if (findings.length > 0) return 1;
    return rejected.length > 0 || loaded.leftOut || rules.refused.length > 0 ? 2 : 0;
  } finally {
    await workers?.close();
  }
}
