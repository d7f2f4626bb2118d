import { isUtf8 } from 'node:buffer';
import { gunzip } from 'node:zlib';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { byteFacts, gunzipFailure, MAX_JSON_DEPTH, type ByteFacts } from './eventBytes';
import { jsonTextFacts, protectLongNumbers } from './exactNumbers';
import { looksLikeRecord, parseCloudTrailTime, type CloudTrailRecord } from './records';

/** The shapes CloudTrail events arrive in. */
export type InputFormat =
  | 'log-file' // {"Records":[...]} as CloudTrail writes to S3
  | 'record-array' // [record, ...]
  | 'ndjson' // one record per line
  | 'lookup-events' // LookupEvents output: {"Events":[{"CloudTrailEvent":"<json>"}]} or its array
  | 'lake-rows' // CloudTrail Lake GetQueryResults: {"QueryResultRows":[[{"col":"value"}, ...]]}
  | 'single-record';

export interface ReadResult {
  /** What messages call the input: a file path or an s3:// URI. */
  name: string;
  format: InputFormat;
  records: CloudTrailRecord[];
  /** How many records were read (stays when a reader drops `records` after counting them). */
  recordCount: number;
  /** Bytes read (compressed, as stored) and after inflating. */
  storedBytes: number;
  textBytes: number;
  /** What was read but changed or doubtful (invalid UTF-8, unreadable event times), one sentence each. */
  warnings?: string[];
}

export interface TextPosition {
  offset: number;
  /** One-based. */
  line: number;
  /** One-based. */
  column: number;
}

/** Why an input could not be read as CloudTrail events: names the input and, when known, where. */
export class EventReadError extends Error {
  constructor(
    readonly source: string,
    readonly reason: string,
    readonly position?: TextPosition,
  ) {
    super(`${source}: ${reason}${position ? ` (line ${position.line}, column ${position.column})` : ''}`);
    this.name = 'EventReadError';
  }
}

export interface ReadOptions {
  /** Inputs that inflate (or are) larger than this are refused with a message; default 512 MiB. */
  maxTextBytes?: number;
}

/** V8 cannot hold a string longer than about 512 Mi characters. */
const DEFAULT_MAX_TEXT_BYTES = 512 * 1024 * 1024;

export function isGzip(data: Uint8Array): boolean {
  return data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b;
}

export function positionAt(text: string, offset: number): TextPosition {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf('\n'); k >= 0 && k < offset; k = text.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return { offset, line, column: offset - lineStart + 1 };
}

function megabytes(n: number): string {
  return `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}

/** Inflates gzip data (several members too), refusing truncated, corrupt or oversized data clearly. */
export function inflate(data: Uint8Array, name: string, maxBytes: number = DEFAULT_MAX_TEXT_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    gunzip(data, { maxOutputLength: Math.max(1, maxBytes) }, (error, result) => {
      if (!error) {
        resolve(result);
        return;
      }
      reject(new EventReadError(name, gunzipFailure(error as NodeJS.ErrnoException, data.length, maxBytes).reason));
    });
  });
}

/** Inflates (when gzip, whatever the name) and bounds the text of an input. */
async function inflatedBytes(data: Uint8Array, name: string, max: number): Promise<Buffer> {
  const bytes = isGzip(data) ? await inflate(data, name, max) : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.length > max) {
    throw new EventReadError(name, `it is ${megabytes(bytes.length)}, above the ${megabytes(max)} this can open at once; open a smaller file or a filtered export`);
  }
  return bytes;
}

/** Decodes UTF-8 (dropping a byte-order mark), from gzip when the bytes are gzip, whatever the name. */
export async function decodeText(data: Uint8Array, name: string, options: ReadOptions = {}): Promise<string> {
  return textOf(await inflatedBytes(data, name, options.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES));
}

function textOf(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Reads CloudTrail events from bytes of any supported shape; gzip is recognised by its magic bytes. */
export async function readEvents(data: Uint8Array, name: string, options: ReadOptions = {}): Promise<ReadResult> {
  const bytes = await inflatedBytes(data, name, options.maxTextBytes ?? DEFAULT_MAX_TEXT_BYTES);
  return readDecoded(bytes, data.length, name, byteFacts(bytes, MAX_JSON_DEPTH, isUtf8));
}

/** Parses inflated bytes whose facts are known (read here or by a worker thread). Throws EventReadError. */
export function readDecoded(bytes: Buffer, storedBytes: number, name: string, facts: ByteFacts): ReadResult {
  const text = textOf(bytes);
  const warnings: string[] = [];
  if (facts.invalidUtf8At >= 0) {
    warnings.push(`it holds bytes that are not valid UTF-8 (the first at byte ${facts.invalidUtf8At}); they are shown as the replacement character U+FFFD, so some text differs from the file`);
  }
  if (facts.tooDeepAt >= 0) {
    throw tooDeep(name, positionAt(text, charOffset(bytes, facts.tooDeepAt)));
  }
  const { format, records } = parseEventsText(text, name, { longNumbers: facts.longNumbers, depthChecked: true });
  const badTimes = unreadableTimes(records);
  if (badTimes.count > 0) {
    warnings.push(`${badTimes.count} event(s) have no readable eventTime (for example ${badTimes.example}); they are sorted last and left out of time filters`);
  }
  return { name, format, records, recordCount: records.length, storedBytes, textBytes: bytes.length, warnings: warnings.length ? warnings : undefined };
}

/** The character offset of a byte offset in UTF-8 bytes. */
function charOffset(bytes: Buffer, byteOffset: number): number {
  return bytes.subarray(0, byteOffset).toString('utf8').length - (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 1 : 0);
}

function unreadableTimes(records: readonly CloudTrailRecord[]): { count: number; example?: string } {
  let count = 0;
  let example: string | undefined;
  for (const r of records) {
    if (Number.isNaN(parseCloudTrailTime(r.eventTime))) {
      count++;
      example ??= `eventTime ${JSON.stringify(r.eventTime ?? null).slice(0, 60)}${typeof r.eventID === 'string' ? ` of eventID ${r.eventID.slice(0, 60)}` : ''}`;
    }
  }
  return { count, example };
}

function syntaxErrorOffset(text: string, error: unknown): { offset: number; reason: string } {
  const errors: ParseError[] = [];
  parseJsonc(text, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  if (errors.length > 0) {
    return { offset: errors[0].offset, reason: `invalid JSON: ${printParseErrorCode(errors[0].error)}` };
  }
  const message = error instanceof Error ? error.message : String(error);
  const m = /position (\d+)/.exec(message);
  return { offset: m ? Number(m[1]) : text.length, reason: `invalid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}` };
}

function describeKeys(value: unknown): string {
  if (Array.isArray(value)) {
    return `an array of ${value.length} element(s)`;
  }
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value);
    return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.slice(0, 6).join(', ')}${keys.length > 6 ? ', …' : ''}`;
  }
  return `a ${value === null ? 'null' : typeof value}`;
}

const NOT_CLOUDTRAIL =
  'it is JSON but not CloudTrail events: expected a log file ({"Records":[...]}), an array of records, NDJSON, LookupEvents output or CloudTrail Lake query results';

export interface ParseOptions {
  /** Whether the text holds 16+ digit numbers, when already known (undefined: look). */
  longNumbers?: boolean;
  /** The nesting depth was already checked on the bytes. */
  depthChecked?: boolean;
}

/** Parses an already decoded text; throws EventReadError naming the input and the position. */
export function parseEventsText(text: string, name: string, options: ParseOptions = {}): { format: InputFormat; records: CloudTrailRecord[] } {
  if (text.trim() === '') {
    throw new EventReadError(name, 'the file is empty');
  }
  let longNumbers = options.longNumbers;
  if (!options.depthChecked || longNumbers === undefined) {
    const facts = jsonTextFacts(text, MAX_JSON_DEPTH);
    if (facts.tooDeepAt >= 0) throw tooDeep(name, positionAt(text, facts.tooDeepAt));
    longNumbers = facts.longNumbers;
  }
  let value: unknown;
  try {
    value = JSON.parse(longNumbers ? protectLongNumbers(text) : text);
  } catch (error) {
    const ndjson = tryNdjson(text, name, longNumbers);
    if (ndjson) {
      return ndjson;
    }
    const { offset, reason } = syntaxErrorOffset(text, error);
    throw new EventReadError(name, reason, positionAt(text, offset));
  }
  return fromValue(value, name);
}

function tooDeep(name: string, position?: TextPosition, what = 'it'): EventReadError {
  return new EventReadError(name, `${what} nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep, far more than any CloudTrail event; it was not read`, position);
}

/** JSON inside a string (a LookupEvents CloudTrailEvent, a Lake cell): bounded like a file. */
function parseNested(json: string, name: string, what: string): unknown {
  const facts = jsonTextFacts(json, MAX_JSON_DEPTH);
  if (facts.tooDeepAt >= 0) throw tooDeep(name, undefined, what);
  return JSON.parse(facts.longNumbers ? protectLongNumbers(json) : json);
}

function fromValue(value: unknown, name: string): { format: InputFormat; records: CloudTrailRecord[] } {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      return { format: 'record-array', records: [] };
    }
    if (value.every((e) => isLookupEvent(e))) {
      return { format: 'lookup-events', records: value.map((e, i) => fromLookupEvent(e, i, name)) };
    }
    if (value.every((e) => Array.isArray(e))) {
      return { format: 'lake-rows', records: value.map((row, i) => fromLakeRow(row as unknown[], i, name)) };
    }
    return { format: 'record-array', records: checkRecords(value, name, (i) => `element [${i}]`) };
  }
  if (typeof value === 'object' && value !== null) {
    const o = value as Record<string, unknown>;
    if (Array.isArray(o.Records)) {
      return { format: 'log-file', records: checkRecords(o.Records, name, (i) => `Records[${i}]`) };
    }
    if (Array.isArray(o.Events)) {
      const bad = o.Events.findIndex((e) => !isLookupEvent(e));
      if (bad >= 0) {
        throw new EventReadError(name, `Events[${bad}] is not a LookupEvents result: it has no CloudTrailEvent string`);
      }
      return { format: 'lookup-events', records: o.Events.map((e, i) => fromLookupEvent(e, i, name)) };
    }
    if (Array.isArray(o.QueryResultRows)) {
      return { format: 'lake-rows', records: o.QueryResultRows.map((row, i) => fromLakeRow(row, i, name)) };
    }
    if (looksLikeRecord(o)) {
      return { format: 'single-record', records: [o] };
    }
  }
  throw new EventReadError(name, `${NOT_CLOUDTRAIL} (found ${describeKeys(value)})`);
}

function checkRecords(elements: unknown[], name: string, label: (i: number) => string): CloudTrailRecord[] {
  for (let i = 0; i < elements.length; i++) {
    if (!looksLikeRecord(elements[i])) {
      throw new EventReadError(name, `${label(i)} is not a CloudTrail event: it has no eventVersion, eventTime or eventName (found ${describeKeys(elements[i])})`);
    }
  }
  return elements as CloudTrailRecord[];
}

function isLookupEvent(e: unknown): e is { CloudTrailEvent: string } {
  return typeof e === 'object' && e !== null && typeof (e as { CloudTrailEvent?: unknown }).CloudTrailEvent === 'string';
}

function fromLookupEvent(e: unknown, i: number, name: string): CloudTrailRecord {
  const json = (e as { CloudTrailEvent: string }).CloudTrailEvent;
  let record: unknown;
  try {
    record = parseNested(json, name, `Events[${i}].CloudTrailEvent`);
  } catch (error) {
    if (error instanceof EventReadError) throw error;
    throw new EventReadError(name, `Events[${i}].CloudTrailEvent is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!looksLikeRecord(record)) {
    throw new EventReadError(name, `Events[${i}].CloudTrailEvent is not a CloudTrail event (found ${describeKeys(record)})`);
  }
  return record;
}

/**
 * A CloudTrail Lake row is a list of single-entry maps, one per selected column. Values are strings;
 * those holding JSON objects (such as a selected `userIdentity` rendered as JSON) are parsed.
 */
function fromLakeRow(row: unknown, i: number, name: string): CloudTrailRecord {
  if (!Array.isArray(row)) {
    throw new EventReadError(name, `QueryResultRows[${i}] is not a row (a list of column maps)`);
  }
  const record: Record<string, unknown> = {};
  for (const cell of row) {
    if (typeof cell !== 'object' || cell === null || Array.isArray(cell)) {
      throw new EventReadError(name, `QueryResultRows[${i}] holds a cell that is not a {"column": value} map`);
    }
    for (const [key, raw] of Object.entries(cell)) {
      record[key] = typeof raw === 'string' && raw.startsWith('{') ? tryParse(raw, name, `QueryResultRows[${i}].${key}`) : raw;
    }
  }
  if (typeof record.eventTime !== 'string' && typeof record.eventID !== 'string') {
    throw new EventReadError(name, `QueryResultRows[${i}] has neither an eventTime nor an eventID column; select them in the query`);
  }
  return record as CloudTrailRecord;
}

function tryParse(raw: string, name: string, what: string): unknown {
  try {
    return parseNested(raw, name, what);
  } catch (error) {
    if (error instanceof EventReadError) throw error;
    return raw;
  }
}

/** NDJSON: every non-blank line a JSON object. Returns undefined when the text is not line-shaped. */
function tryNdjson(text: string, name: string, longNumbers: boolean): { format: InputFormat; records: CloudTrailRecord[] } | undefined {
  const firstBreak = text.indexOf('\n');
  if (firstBreak < 0 || !text.trimStart().startsWith('{')) {
    return undefined;
  }
  // Only treat the text as NDJSON when its first line is a complete JSON value on its own.
  try {
    JSON.parse(text.slice(0, firstBreak));
  } catch {
    return undefined;
  }
  const records: CloudTrailRecord[] = [];
  let lineStart = 0;
  let lineNo = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    lineNo++;
    const line = text.slice(lineStart, lineEnd).trim();
    if (line !== '') {
      let value: unknown;
      try {
        value = JSON.parse(longNumbers ? protectLongNumbers(line) : line);
      } catch (error) {
        const { offset, reason } = syntaxErrorOffset(line, error);
        throw new EventReadError(name, `NDJSON line ${lineNo}: ${reason}`, positionAt(text, lineStart + offset));
      }
      if (isLookupEvent(value)) {
        records.push(fromLookupEvent(value, lineNo - 1, name));
      } else if (looksLikeRecord(value)) {
        records.push(value);
      } else {
        throw new EventReadError(name, `NDJSON line ${lineNo} is not a CloudTrail event (found ${describeKeys(value)})`, { offset: lineStart, line: lineNo, column: 1 });
      }
    }
    lineStart = lineEnd + 1;
  }
  return { format: 'ndjson', records };
}
