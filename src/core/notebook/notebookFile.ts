// The `.ctnb` query notebook file: JSON, one object with the cells in order. A SQL cell keeps its
// query, where it runs (local investigation, Athena or Logs Insights, with the Logs Insights log
// groups and time range) and, when the user keeps outputs, its last result. A notebook file is
// input like any other: it may come from a repository and be crafted, so every field is checked,
// anything unknown is dropped, sizes are capped, and nothing in it runs until the user runs a cell.
import type { QueryEngine, TabularResult } from '../remote/queryResult';

export const NOTEBOOK_FORMAT = 'cloudtrail-lens-notebook';
export const NOTEBOOK_VERSION = 1;
/** Larger notebook files are refused rather than parsed (outputs are capped well below). */
export const MAX_NOTEBOOK_BYTES = 64 * 1024 * 1024;
/** Rows a saved output keeps. */
export const MAX_SAVED_ROWS = 10_000;
const MAX_CELLS = 5_000;
const MAX_SOURCE = 1_000_000;

export type LogsRange = { last: '1h' | '24h' | '7d' | '30d' } | { start: string; end: string };

export interface LogsCellSettings {
  logGroupNames: string[];
  range: LogsRange;
  region?: string;
}

export interface SavedOutput {
  result?: TabularResult;
  error?: string;
  /** When the query ran (ISO 8601). */
  ranAt?: string;
}

export interface NotebookFileCell {
  kind: 'sql' | 'markdown';
  source: string;
  target?: QueryEngine;
  logs?: LogsCellSettings;
  output?: SavedOutput;
}

export interface NotebookFile {
  /** The investigation local cells run on, relative to the notebook's folder (or absolute). */
  investigation?: string;
  cells: NotebookFileCell[];
}

export class NotebookFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotebookFileError';
  }
}

const ENGINES: readonly QueryEngine[] = ['local', 'athena', 'logs'];
const LAST = ['1h', '24h', '7d', '30d'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function text(v: unknown, max = MAX_SOURCE): string | undefined {
  return typeof v === 'string' && v.length <= max ? v : undefined;
}

function readLogs(v: unknown): LogsCellSettings | undefined {
  if (!isObject(v)) return undefined;
  const groups = Array.isArray(v.logGroupNames) ? v.logGroupNames.filter((g): g is string => typeof g === 'string' && g.length > 0 && g.length <= 512).slice(0, 50) : [];
  let range: LogsRange = { last: '24h' };
  const r = v.range;
  if (isObject(r) && typeof r.last === 'string' && LAST.includes(r.last)) range = { last: r.last as '1h' };
  else if (isObject(r) && typeof r.start === 'string' && typeof r.end === 'string' && !Number.isNaN(Date.parse(r.start)) && !Number.isNaN(Date.parse(r.end))) range = { start: r.start, end: r.end };
  const region = typeof v.region === 'string' && /^[a-z]{2}(-[a-z]+)+-\d$/.test(v.region) ? v.region : undefined;
  return { logGroupNames: groups, range, ...(region ? { region } : {}) };
}

/** Levels of nesting a saved value may have (the deepest AWS structures are far shallower). */
const MAX_VALUE_DEPTH = 32;

/** Whether a JSON value nests deeper than MAX_VALUE_DEPTH, found without recursion (a crafted value must not blow the stack). */
function tooDeep(value: unknown): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= MAX_VALUE_DEPTH) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

class TooDeep extends Error {}

/** A saved result, kept only if it has the shape of one; values are kept as JSON gave them. */
function readResult(v: unknown): TabularResult | undefined {
  if (!isObject(v) || !Array.isArray(v.columns) || !Array.isArray(v.rows)) return undefined;
  const columns = v.columns.filter(isObject).map((c) => ({ name: text(c.name, 1000) ?? '', ...(typeof c.type === 'string' ? { type: c.type.slice(0, 200) } : {}) }));
  if (columns.length !== v.columns.length || columns.length > 1000) return undefined;
  const rows = v.rows.filter(Array.isArray).slice(0, MAX_SAVED_ROWS) as unknown[][];
  if (rows.some((r) => tooDeep(r))) throw new TooDeep();
  const stats = isObject(v.stats) ? readStats(v.stats) : undefined;
  return { columns, rows, truncated: v.truncated === true || v.rows.length > rows.length, ...(stats ? { stats } : {}) };
}

function readStats(s: Record<string, unknown>): TabularResult['stats'] {
  const engine = ENGINES.find((e) => e === s.engine);
  if (!engine) return undefined;
  const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : undefined);
  const out: NonNullable<TabularResult['stats']> = { engine };
  const queryId = text(s.queryId, 200);
  if (queryId) out.queryId = queryId;
  const cost = text(s.cost, 200);
  if (cost) out.cost = cost;
  for (const k of ['bytesScanned', 'recordsMatched', 'recordsScanned', 'elapsedMs'] as const) {
    const n = num(s[k]);
    if (n !== undefined) out[k] = n;
  }
  if (s.fromResultFile === true) out.fromResultFile = true;
  const kept = isObject(s.keptIn) ? s.keptIn : undefined;
  const table = text(kept?.table, 200);
  const investigation = text(kept?.investigation, 500);
  const rows = num(kept?.rows);
  if (table && investigation && rows !== undefined && Number.isInteger(rows)) out.keptIn = { table, rows, investigation };
  const notKept = text(s.notKept, 500);
  if (notKept) out.notKept = notKept;
  return out;
}

/** Reads a notebook file; refuses (NotebookFileError, saying why) what is not one. An empty file is an empty notebook. */
export function parseNotebook(bytes: Uint8Array, name: string): NotebookFile {
  if (bytes.length === 0) return { cells: [] };
  if (bytes.length > MAX_NOTEBOOK_BYTES) throw new NotebookFileError(`${name} is ${(bytes.length / 1024 / 1024).toFixed(0)} MB; query notebooks over ${MAX_NOTEBOOK_BYTES / 1024 / 1024} MB are not opened. Save it without outputs.`);
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    throw new NotebookFileError(`${name} is not a CloudTrail Lens query notebook: ${(error as Error).message}. Open it as text to repair it.`);
  }
  if (!isObject(data) || data.format !== NOTEBOOK_FORMAT) throw new NotebookFileError(`${name} is not a CloudTrail Lens query notebook (no "format": "${NOTEBOOK_FORMAT}"). Open it as text to see what it is.`);
  if (typeof data.version !== 'number' || !Number.isInteger(data.version) || data.version < 1) throw new NotebookFileError(`${name} has no valid "version" (${typeof data.version === 'string' || typeof data.version === 'number' ? JSON.stringify(data.version).slice(0, 40) : typeof data.version}); it is not a query notebook CloudTrail Lens wrote. Open it as text to repair it.`);
  if (data.version > NOTEBOOK_VERSION) throw new NotebookFileError(`${name} was written by a newer CloudTrail Lens (version ${String(data.version)}); update the extension to open it.`);
  if (!Array.isArray(data.cells)) throw new NotebookFileError(`${name} has no list of cells.`);
  if (data.cells.length > MAX_CELLS) throw new NotebookFileError(`${name} has ${data.cells.length} cells; at most ${MAX_CELLS} are opened.`);
  const cells: NotebookFileCell[] = [];
  for (const c of data.cells) {
    if (!isObject(c)) continue;
    const source = text(c.source) ?? '';
    if (c.kind === 'markdown') {
      cells.push({ kind: 'markdown', source });
      continue;
    }
    const cell: NotebookFileCell = { kind: 'sql', source, target: ENGINES.find((e) => e === c.target) ?? 'local' };
    const logs = readLogs(c.logs);
    if (logs) cell.logs = logs;
    if (isObject(c.output)) {
      let result: TabularResult | undefined;
      let error = text(c.output.error, 10_000);
      try {
        result = readResult(c.output.result);
      } catch (e) {
        if (!(e instanceof TooDeep)) throw e;
        error = `The saved result was not opened: a value in it is nested deeper than ${MAX_VALUE_DEPTH} levels. Run the cell again.`;
      }
      const ranAt = text(c.output.ranAt, 40);
      if (result || error) cell.output = { ...(result ? { result } : {}), ...(error ? { error } : {}), ...(ranAt ? { ranAt } : {}) };
    }
    cells.push(cell);
  }
  const investigation = text(data.investigation, 4096);
  return { ...(investigation ? { investigation } : {}), cells };
}

/** Writes a notebook file; outputs only when `keepOutputs`, each capped at MAX_SAVED_ROWS rows. */
export function serializeNotebook(file: NotebookFile, keepOutputs: boolean): Uint8Array {
  const cells = file.cells.map((c) => {
    if (c.kind === 'markdown') return { kind: 'markdown', source: c.source };
    const out: Record<string, unknown> = { kind: 'sql', source: c.source, target: c.target ?? 'local' };
    if (c.logs) out.logs = c.logs;
    if (keepOutputs && c.output) {
      const r = c.output.result;
      out.output = { ...c.output, ...(r ? { result: { ...r, rows: r.rows.slice(0, MAX_SAVED_ROWS), truncated: r.truncated || r.rows.length > MAX_SAVED_ROWS } } : {}) };
    }
    return out;
  });
  const data = { format: NOTEBOOK_FORMAT, version: NOTEBOOK_VERSION, ...(file.investigation ? { investigation: file.investigation } : {}), cells };
  return new TextEncoder().encode(`${JSON.stringify(data, null, 1)}\n`);
}
