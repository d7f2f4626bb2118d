/**
 * Compiles a Sigma detection's search identifiers into tests over one CloudTrail record.
 *
 * Semantics (Sigma 2 with CloudTrail's JSON in mind):
 * - a map is the AND of its field conditions, a list of maps is the OR of them, a list of values
 *   under one key is the OR of the values (AND with `|all`);
 * - a field name is a dotted path into the record; a step that meets an array goes into every
 *   element, and a key that itself contains dots (`a.b`) is found too;
 * - values compare as text, case-insensitively unless `|cased`: numbers and booleans as their text
 *   (`true` matches `true` and `"true"`), objects and arrays as their JSON, so `|contains` reaches
 *   into a policy document; a field holding a list matches when any element does; `null` matches a
 *   missing field or JSON null;
 * - `*` and `?` are wildcards in plain values; `\*`, `\?` and `\\` are the literal characters, and a
 *   backslash before anything else is itself.
 *
 * Everything that can be prepared is prepared here: lower-cased literals, one RegExp per pattern
 * value, parsed CIDR ranges. A test on a record makes no RegExp and parses no rule text.
 */
import * as ipaddr from 'ipaddr.js';
import type { CloudTrailRecord } from '../events/records';
import type { MatchedField } from './types';

/** Why a detection cannot be compiled, with the YAML path of the offending node (for its line). */
export class RuleError extends Error {
  override name = 'RuleError';
  constructor(
    message: string,
    readonly path: readonly (string | number)[] = [],
  ) {
    super(message);
  }
}

/** A compiled search identifier. */
export interface Search {
  test(record: CloudTrailRecord): boolean;
  /** Adds the fields (and the event's values) of the parts that match; call only when test is true. */
  explain(record: CloudTrailRecord, out: MatchedField[]): void;
  /**
   * The eventNames (lower-cased → as written) this search requires, when every way it can be true
   * needs `eventName` to equal one of a finite set of plain values; undefined when it can match any.
   */
  eventNames?: Map<string, string>;
}

const MAX_VALUE_TEXT = 200;

export function truncateText(text: string, max = MAX_VALUE_TEXT): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

// ---------------------------------------------------------------------------------------------
// Field resolution

/** A compiled field path: its dotted parts. */
export interface FieldPath {
  name: string;
  parts: string[];
  /**
   * `keys[i][k]`: parts i..i+k joined with dots, made once per rule, so that looking a field up
   * (also as a key that itself holds dots: `{ "a.b": … }`) builds no string per event.
   */
  keys: string[][];
  /**
   * The candidates of the common case (the path leads through plain objects to one string),
   * filled again for each record instead of made anew: see `candidates`.
   */
  one: Candidates;
  /** The candidates last looked up, for `memoRecord` in match `memoGeneration`: see `candidates`. */
  memo: Candidates | undefined;
  memoRecord: unknown;
  memoGeneration: number;
}

/** Field paths by name, shared by every rule, so that a field many rules test is looked up (and lower-cased) once per record. */
const paths = new Map<string, FieldPath>();

export function fieldPath(name: string): FieldPath {
  const known = paths.get(name);
  if (known) return known;
  const parts = name.split('.');
  const keys = parts.map((_, i) => parts.slice(i).map((_, k) => parts.slice(i, i + k + 1).join('.')));
  const fp: FieldPath = { name, parts, keys, one: { present: true, texts: [''], lowers: undefined, lowered: [''] }, memo: undefined, memoRecord: undefined, memoGeneration: -1 };
  paths.set(name, fp);
  return fp;
}

let generation = 0;

/** A new record is about to be matched: what was looked up before is not reused, even for the same object (it may have changed). */
export function nextRecord(): void {
  generation++;
}

const hasOwn = Object.prototype.hasOwnProperty;

function walk(node: unknown, path: FieldPath, i: number, out: unknown[], depth: number): void {
  const parts = path.parts;
  // Plain objects along the way: followed without recursion (the common case).
  for (;;) {
    if (i === parts.length) {
      out.push(node);
      return;
    }
    if (depth > 64 || typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) break;
    const obj = node as Record<string, unknown>;
    const keys = path.keys[i];
    // A key holding dots (rare) is a second way down: recurse for those, go on with the plain one.
    for (let k = 1; k < keys.length; k++) if (hasOwn.call(obj, keys[k])) walk(obj[keys[k]], path, i + k + 1, out, depth + 1);
    if (!hasOwn.call(obj, keys[0])) return;
    node = obj[keys[0]];
    i++;
    depth++;
  }
  for (const el of node as unknown[]) walk(el, path, i, out, depth + 1);
}

/** The record's values at a path: every value found (JSON null included), arrays along the way entered. */
export function resolveField(record: CloudTrailRecord, path: FieldPath): unknown[] {
  const out: unknown[] = [];
  walk(record, path, 0, out, 0);
  return out;
}

/** A value as the text rules compare: strings as they are, numbers and booleans as text, the rest as JSON. */
export function valueText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** The texts of a field: a list's elements one by one, nulls left out. */
interface Candidates {
  present: boolean;
  texts: string[];
  lowers: string[] | undefined;
  /** For a path's reused `one`: the array its lower-cased text goes in. */
  lowered?: string[];
}

/** A field that is not there (shared: nothing changes it). */
const MISSING: Candidates = Object.freeze({ present: false, texts: Object.freeze([]) as unknown as string[], lowers: Object.freeze([]) as unknown as string[] });

/**
 * The field's texts in this record. Most lookups go through plain objects to one string, or find
 * nothing: those make no arrays (a rule testing every event made a few per test, and their
 * collection was a large part of matching). A path is shared by every rule and keeps its lookup
 * for the record being matched, so the rules testing one field share one lookup and one
 * lower-casing. Matching is synchronous and done with a record before the next is looked up, so
 * the path's `one` can be filled anew for the next.
 */
function candidates(record: CloudTrailRecord, path: FieldPath): Candidates {
  if (path.memoRecord === record && path.memoGeneration === generation) return path.memo!;
  const c = lookup(record, path);
  path.memo = c;
  path.memoRecord = record;
  path.memoGeneration = generation;
  return c;
}

function lookup(record: CloudTrailRecord, path: FieldPath): Candidates {
  let node: unknown = record;
  const keys = path.keys;
  for (let i = 0; i < keys.length; i++) {
    if (typeof node !== 'object' || node === null) return MISSING;
    if (Array.isArray(node)) return collect(record, path);
    const ks = keys[i];
    for (let k = 1; k < ks.length; k++) if (hasOwn.call(node, ks[k])) return collect(record, path);
    if (!hasOwn.call(node, ks[0])) return MISSING;
    node = (node as Record<string, unknown>)[ks[0]];
  }
  // A boolean or number (readOnly, a port) is compared as its text, as valueText makes it.
  const text = typeof node === 'string' ? node : typeof node === 'boolean' ? (node ? 'true' : 'false') : typeof node === 'number' ? String(node) : undefined;
  if (text === undefined) return collect(record, path);
  const one = path.one;
  one.texts[0] = text;
  one.lowers = undefined;
  return one;
}

/** The general case: every value at the path, lists entered. */
function collect(record: CloudTrailRecord, path: FieldPath): Candidates {
  const found = resolveField(record, path);
  const texts: string[] = [];
  for (const v of found) {
    if (Array.isArray(v)) {
      for (const el of v) {
        const t = valueText(el);
        if (t !== undefined) texts.push(t);
      }
    } else {
      const t = valueText(v);
      if (t !== undefined) texts.push(t);
    }
  }
  return { present: found.length > 0, texts, lowers: undefined };
}

function lowers(c: Candidates): string[] {
  if (!c.lowers) {
    if (c.lowered) {
      c.lowered[0] = c.texts[0].toLowerCase();
      c.lowers = c.lowered;
    } else {
      c.lowers = c.texts.map((t) => t.toLowerCase());
    }
  }
  return c.lowers;
}

/** The first text of a field, for correlation group-by values ('' when missing). */
export function firstFieldText(record: CloudTrailRecord, path: FieldPath): string {
  const c = candidates(record, path);
  return c.texts.length > 0 ? c.texts[0] : '';
}

// ---------------------------------------------------------------------------------------------
// Values

/**
 * One value of a field condition. Returns the text of the event's value that matched, null for
 * a match with no value to show (null, exists), undefined for no match.
 */
type ValueTest = (c: Candidates, record: CloudTrailRecord) => string | null | undefined;

type Segment = { lit: string } | { any: true } | { one: true } | { dash: true };

/** Splits a plain Sigma value into literal text and wildcards, applying the escapes. */
function parseWildcards(value: string): Segment[] {
  const segs: Segment[] = [];
  let lit = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && i + 1 < value.length && (value[i + 1] === '*' || value[i + 1] === '?' || value[i + 1] === '\\')) {
      lit += value[i + 1];
      i++;
    } else if (c === '*' || c === '?') {
      if (lit) segs.push({ lit });
      lit = '';
      segs.push(c === '*' ? { any: true } : { one: true });
    } else {
      lit += c;
    }
  }
  if (lit) segs.push({ lit });
  return segs;
}

const WINDASH = ['-', '/', '\u2013', '\u2014', '\u2015'];

/** `windash`: a dash-like character at the start or after whitespace may be any of them. */
function applyWindash(segs: Segment[]): Segment[] {
  const out: Segment[] = [];
  let prevSpace = true;
  for (const seg of segs) {
    if (!('lit' in seg)) {
      out.push(seg);
      prevSpace = false;
      continue;
    }
    let lit = '';
    for (const c of seg.lit) {
      if (prevSpace && WINDASH.includes(c)) {
        if (lit) out.push({ lit });
        lit = '';
        out.push({ dash: true });
      } else {
        lit += c;
      }
      prevSpace = /\s/.test(c);
    }
    if (lit) out.push({ lit });
  }
  return out;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A compiled text test: (raw text, lower-cased text) → match. */
type TextTest = (raw: string, lower: string) => boolean;

function compileSegments(input: Segment[], cased: boolean): TextTest {
  // `**` is `*`.
  const segs = input.filter((seg, i) => !('any' in seg && i > 0 && 'any' in input[i - 1]));
  const isAny = (seg: Segment | undefined): boolean => seg !== undefined && 'any' in seg;
  const lead = isAny(segs[0]);
  const trail = segs.length > 1 && isAny(segs[segs.length - 1]);
  const mid = segs.slice(lead ? 1 : 0, trail ? -1 : undefined);
  // Fast forms without a RegExp: exact, prefix*, *suffix, *infix*.
  if (mid.length <= 1 && mid.every((seg) => 'lit' in seg)) {
    const lit = mid.length === 1 ? (mid[0] as { lit: string }).lit : '';
    if (lit === '' && (lead || trail)) return () => true;
    const want = cased ? lit : lit.toLowerCase();
    if (cased) {
      if (lead && trail) return (raw) => raw.includes(want);
      if (lead) return (raw) => raw.endsWith(want);
      if (trail) return (raw) => raw.startsWith(want);
      return (raw) => raw === want;
    }
    if (lead && trail) return (_raw, lower) => lower.includes(want);
    if (lead) return (_raw, lower) => lower.endsWith(want);
    if (trail) return (_raw, lower) => lower.startsWith(want);
    return (_raw, lower) => lower === want;
  }
  let body = '';
  for (const seg of segs) {
    if ('lit' in seg) body += escapeRe(seg.lit);
    else if ('any' in seg) body += '.*';
    else if ('one' in seg) body += '.';
    else body += '[-/\u2013\u2014\u2015]';
  }
  const re = new RegExp(`^${body}$`, cased ? 's' : 'is');
  return (raw) => re.test(raw);
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/**
 * The three forms a text takes inside a longer base64 string, by its offset modulo 3, without the
 * characters that depend on the neighbouring bytes.
 */
function base64Offsets(text: string): string[] {
  const starts = [0, 2, 3];
  const ends = [0, 3, 2];
  const out: string[] = [];
  const len = Buffer.byteLength(text, 'utf8');
  for (let i = 0; i < 3; i++) {
    const enc = base64(' '.repeat(i) + text);
    const cut = ends[(len + i) % 3];
    out.push(enc.slice(starts[i], cut ? enc.length - cut : enc.length));
  }
  return out;
}

type Mode = 'eq' | 'contains' | 'startswith' | 'endswith';

const TRANSFORMS = new Set(['base64', 'base64offset', 'windash']);
const KNOWN = new Set(['contains', 'startswith', 'endswith', 'all', 're', 'i', 'm', 's', 'cidr', 'exists', 'cased', 'fieldref', 'base64', 'base64offset', 'windash', 'lt', 'lte', 'gt', 'gte', 'neq']);
const UNSUPPORTED: Record<string, string> = {
  utf16le: 'UTF-16 encodings are for Windows logs; CloudTrail is JSON text',
  utf16be: 'UTF-16 encodings are for Windows logs; CloudTrail is JSON text',
  utf16: 'UTF-16 encodings are for Windows logs; CloudTrail is JSON text',
  wide: 'UTF-16 encodings are for Windows logs; CloudTrail is JSON text',
  expand: 'placeholders need a processing pipeline, which CloudTrail Lens does not have',
  minute: 'time-part modifiers are not supported',
  hour: 'time-part modifiers are not supported',
  day: 'time-part modifiers are not supported',
  week: 'time-part modifiers are not supported',
  month: 'time-part modifiers are not supported',
  year: 'time-part modifiers are not supported',
};

interface Modifiers {
  mode: Mode;
  all: boolean;
  cased: boolean;
  re: boolean;
  reFlags: string;
  cidr: boolean;
  exists: boolean;
  fieldref: boolean;
  neq: boolean;
  compare?: 'lt' | 'lte' | 'gt' | 'gte';
  transforms: string[];
}

function parseModifiers(mods: string[], path: readonly (string | number)[]): Modifiers {
  const m: Modifiers = { mode: 'eq', all: false, cased: false, re: false, reFlags: '', cidr: false, exists: false, fieldref: false, neq: false, transforms: [] };
  const fail = (msg: string): never => {
    throw new RuleError(msg, path);
  };
  for (const raw of mods) {
    const mod = raw.toLowerCase();
    if (!KNOWN.has(mod)) {
      if (hasOwn.call(UNSUPPORTED, mod)) fail(`modifier '${raw}' is not supported: ${UNSUPPORTED[mod]}`);
      fail(`unknown modifier '${raw}'`);
    }
    if (mod === 'contains' || mod === 'startswith' || mod === 'endswith') {
      if (m.mode !== 'eq') fail(`modifiers '${m.mode}' and '${mod}' cannot be combined`);
      m.mode = mod;
    } else if (mod === 'i' || mod === 'm' || mod === 's') {
      if (!m.re) fail(`modifier '${mod}' is a sub-modifier of 're' and must follow it`);
      if (!m.reFlags.includes(mod)) m.reFlags += mod;
    } else if (mod === 'all') m.all = true;
    else if (mod === 'cased') m.cased = true;
    else if (mod === 're') m.re = true;
    else if (mod === 'cidr') m.cidr = true;
    else if (mod === 'exists') m.exists = true;
    else if (mod === 'fieldref') m.fieldref = true;
    else if (mod === 'neq') m.neq = true;
    else if (mod === 'lt' || mod === 'lte' || mod === 'gt' || mod === 'gte') {
      if (m.compare) fail(`modifiers '${m.compare}' and '${mod}' cannot be combined`);
      m.compare = mod;
    } else if (TRANSFORMS.has(mod)) m.transforms.push(mod);
  }
  const kinds = [m.re && 're', m.cidr && 'cidr', m.exists && 'exists', m.fieldref && 'fieldref', m.compare].filter(Boolean);
  if (kinds.length > 1) fail(`modifiers '${kinds.join("' and '")}' cannot be combined`);
  const special = kinds[0];
  if (special && special !== 'fieldref' && m.mode !== 'eq') fail(`modifier '${special}' cannot be combined with '${m.mode}'`);
  if (special && m.transforms.length > 0) fail(`modifier '${special}' cannot be combined with '${m.transforms[0]}'`);
  if (m.transforms.includes('base64offset') && m.mode !== 'contains') fail("modifier 'base64offset' needs 'contains' (base64offset|contains)");
  if (m.transforms.includes('base64') && m.transforms.includes('base64offset')) fail("modifiers 'base64' and 'base64offset' cannot be combined");
  return m;
}

function scalarText(value: unknown, path: readonly (string | number)[]): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new RuleError(`a value must be a string, number, boolean or null, not ${Array.isArray(value) ? 'a list' : typeof value}`, path);
}

/** Any text of the field passes the test. */
function anyText(test: TextTest): ValueTest {
  return (c) => {
    const ls = lowers(c);
    for (let i = 0; i < c.texts.length; i++) {
      if (test(c.texts[i], ls[i])) return c.texts[i];
    }
    return undefined;
  };
}

function compileRegex(source: string, flags: string, path: readonly (string | number)[]): RegExp {
  let body = source;
  let f = flags;
  // PCRE's leading inline flags, `(?i)` and the like, as SigmaHQ rules write them.
  const inline = /^\(\?([imsx]+)\)/.exec(body);
  if (inline && !inline[1].includes('x')) {
    body = body.slice(inline[0].length);
    for (const c of inline[1]) if (!f.includes(c)) f += c;
  }
  try {
    return new RegExp(body, f);
  } catch (e) {
    throw new RuleError(`invalid regular expression '${source}': ${(e as Error).message}`, path);
  }
}

function parseCidr(value: string, path: readonly (string | number)[]): [ipaddr.IPv4 | ipaddr.IPv6, number] {
  try {
    return ipaddr.parseCIDR(value.trim());
  } catch {
    if (ipaddr.isValid(value.trim())) {
      const addr = ipaddr.parse(value.trim());
      return [addr, addr.kind() === 'ipv4' ? 32 : 128];
    }
    throw new RuleError(`'${value}' is not a CIDR range (for example 10.0.0.0/8 or 2001:db8::/32)`, path);
  }
}

function ipOf(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (text.length > 64 || !ipaddr.isValid(text)) return undefined;
  try {
    const addr = ipaddr.parse(text);
    return addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() ? (addr as ipaddr.IPv6).toIPv4Address() : addr;
  } catch {
    return undefined;
  }
}

function numberOf(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

function compileValue(value: unknown, m: Modifiers, path: readonly (string | number)[]): ValueTest {
  if (m.exists) {
    if (typeof value !== 'boolean') throw new RuleError("'exists' needs true or false", path);
    return (c) => (c.present === value ? (value && c.texts.length > 0 ? c.texts[0] : null) : undefined);
  }
  if (value === null || value === undefined) {
    if (m.re || m.cidr || m.fieldref || m.compare || m.mode !== 'eq' || m.transforms.length > 0) {
      throw new RuleError('null cannot be used with a modifier (null means the field is missing)', path);
    }
    return (c) => (c.texts.length === 0 ? null : undefined);
  }
  const text = scalarText(value, path);
  if (m.re) {
    const re = compileRegex(text, m.reFlags, path);
    return anyText((raw) => re.test(raw));
  }
  if (m.cidr) {
    const range = parseCidr(text, path);
    return anyText((raw) => {
      const addr = ipOf(raw);
      return addr !== undefined && addr.kind() === range[0].kind() && addr.match(range);
    });
  }
  if (m.compare) {
    const want = numberOf(text);
    if (want === undefined) throw new RuleError(`'${m.compare}' needs a number, not '${text}'`, path);
    const cmp = m.compare;
    return anyText((raw) => {
      const n = numberOf(raw);
      if (n === undefined) return false;
      return cmp === 'lt' ? n < want : cmp === 'lte' ? n <= want : cmp === 'gt' ? n > want : n >= want;
    });
  }
  if (m.fieldref) {
    const ref = fieldPath(text);
    const mode = m.mode;
    const cased = m.cased;
    return (c, record) => {
      const other = candidates(record, ref);
      const mine = cased ? c.texts : lowers(c);
      const theirs = cased ? other.texts : lowers(other);
      for (let i = 0; i < mine.length; i++) {
        for (const t of theirs) {
          const a = mine[i];
          if (mode === 'eq' ? a === t : mode === 'contains' ? a.includes(t) : mode === 'startswith' ? a.startsWith(t) : a.endsWith(t)) return c.texts[i];
        }
      }
      return undefined;
    };
  }
  // Plain, possibly transformed, values: one or more alternatives, each a wildcard pattern.
  let alternatives: Segment[][];
  let cased = m.cased;
  if (m.transforms.includes('base64')) {
    alternatives = [[{ lit: base64(text) }]];
    cased = true; // base64 is case-significant: other cases decode to other text
  } else if (m.transforms.includes('base64offset')) {
    alternatives = base64Offsets(text).map((lit) => [{ lit }]);
    cased = true;
  } else {
    alternatives = [parseWildcards(text)];
  }
  if (m.transforms.includes('windash')) alternatives = alternatives.map(applyWindash);
  const tests = alternatives.map((segs) => {
    const s: Segment[] = [...segs];
    if (m.mode === 'contains' || m.mode === 'endswith') s.unshift({ any: true });
    if (m.mode === 'contains' || m.mode === 'startswith') s.push({ any: true });
    return compileSegments(s, cased);
  });
  const test: TextTest = tests.length === 1 ? tests[0] : (raw, lower) => tests.some((t) => t(raw, lower));
  return anyText(test);
}

/** A field condition: `field|mods: value(s)`. Returns the matched text, null, or undefined. */
type FieldTest = (record: CloudTrailRecord) => string | null | undefined;

/**
 * How much a field condition costs, to test the cheap ones of a map first (a map is an AND, so
 * the order changes no result): a missing field is found at once, a regex runs last. An instance
 * role rule's `ec2RoleDelivery|exists` then spares most events its ARN regex.
 */
function costOf(m: Modifiers, values: number): number {
  if (m.exists) return 0;
  if (m.re || m.cidr || m.fieldref || m.transforms.length > 0) return 3;
  if (m.mode !== 'eq') return values > 2 ? 2 : 1.5;
  return 1;
}

function compileField(key: string, value: unknown, path: readonly (string | number)[]): { field: string; test: FieldTest; pinned?: Map<string, string>; cost: number } {
  const [field, ...mods] = key.split('|');
  if (field === '') {
    throw new RuleError(`'${key}' is a keyword search (values without a field); CloudTrail records have no message field to search, so name the field`, path);
  }
  const m = parseModifiers(mods, path);
  const fp = fieldPath(field);
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new RuleError(`'${key}' has an empty list of values`, path);
  list.forEach((v, i) => {
    if (typeof v === 'object' && v !== null) {
      throw new RuleError(`a value of '${key}' is a ${Array.isArray(v) ? 'list' : 'map'}; values must be strings, numbers, booleans or null`, Array.isArray(value) ? [...path, i] : path);
    }
  });
  const tests = list.map((v, i) => compileValue(v, m, Array.isArray(value) ? [...path, i] : path));
  const all = m.all && tests.length > 1;
  const neq = m.neq;
  const only = tests.length === 1 && !neq ? tests[0] : undefined;
  // One value (most conditions): no loop.
  const test: FieldTest = only ? (record) => only(candidates(record, fp), record) : (record) => {
    const c = candidates(record, fp);
    if (neq) {
      // `neq`: the field equals none of the values (a missing field equals none).
      for (const t of tests) if (t(c, record) !== undefined) return undefined;
      return c.texts.length > 0 ? c.texts[0] : null;
    }
    if (all) {
      let first: string | null | undefined = null;
      for (const t of tests) {
        const r = t(c, record);
        if (r === undefined) return undefined;
        if (first === null) first = r;
      }
      return first;
    }
    for (let i = 0; i < tests.length; i++) {
      const r = tests[i](c, record);
      if (r !== undefined) return r;
    }
    return undefined;
  };
  let pinned: Map<string, string> | undefined;
  const plain = mods.every((x) => x.toLowerCase() === 'cased');
  if (field === 'eventName' && plain && !m.all && list.every((v) => typeof v === 'string' && !/[*?]/.test(v) && !v.includes('\\'))) {
    pinned = new Map(list.map((v) => [(v as string).toLowerCase(), v as string]));
  }
  return { field, test, pinned, cost: costOf(m, list.length) };
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

interface CompiledMap {
  test(record: CloudTrailRecord): boolean;
  explain(record: CloudTrailRecord, out: MatchedField[]): boolean;
  pinned?: Map<string, string>;
}

function compileMap(map: Record<string, unknown>, path: readonly (string | number)[]): CompiledMap {
  const fields = Object.keys(map).map((key) => compileField(key, map[key], [...path, key]));
  if (fields.length === 0) throw new RuleError('a selection map is empty', path);
  // A map is an AND: any eventName condition in it pins the map (several intersect).
  let pinned: Map<string, string> | undefined;
  for (const f of fields) {
    if (!f.pinned) continue;
    if (!pinned) pinned = f.pinned;
    else pinned = new Map([...pinned].filter(([k]) => f.pinned?.has(k)));
  }
  const byCost = [...fields].sort((a, b) => a.cost - b.cost);
  return {
    test: (record) => {
      for (let i = 0; i < byCost.length; i++) if (byCost[i].test(record) === undefined) return false;
      return true;
    },
    explain: (record, out) => {
      const found: MatchedField[] = [];
      for (const f of fields) {
        const r = f.test(record);
        if (r === undefined) return false;
        if (r !== null) found.push({ field: f.field, value: truncateText(r) });
      }
      out.push(...found);
      return true;
    },
    pinned,
  };
}

/** Compiles one search identifier (a map or a list of maps). */
export function compileSearch(name: string, value: unknown, path: readonly (string | number)[]): Search {
  let maps: CompiledMap[];
  if (isMap(value)) {
    maps = [compileMap(value, path)];
  } else if (Array.isArray(value)) {
    if (value.length === 0) throw new RuleError(`search identifier '${name}' is an empty list`, path);
    if (!value.every(isMap)) {
      if (value.every((v) => !isMap(v) && !Array.isArray(v))) {
        throw new RuleError(`search identifier '${name}' is a keyword search (a list of values without a field); CloudTrail records have no message field to search, so name the field`, path);
      }
      throw new RuleError(`search identifier '${name}' mixes maps with other values`, path);
    }
    maps = value.map((v, i) => compileMap(v as Record<string, unknown>, [...path, i]));
  } else {
    throw new RuleError(`search identifier '${name}' is a ${value === null ? 'null' : typeof value}; it must be a map of fields or a list of maps (keyword searches are not supported for CloudTrail)`, path);
  }
  // A list is an OR: pinned only when every map is, to the union of their sets.
  let eventNames: Map<string, string> | undefined = new Map();
  for (const m of maps) {
    if (!m.pinned) {
      eventNames = undefined;
      break;
    }
    for (const [k, v] of m.pinned) eventNames.set(k, v);
  }
  if (maps.length === 1) {
    const only = maps[0];
    return { test: only.test, explain: (r, out) => void only.explain(r, out), eventNames };
  }
  return {
    test: (record) => {
      for (let i = 0; i < maps.length; i++) if (maps[i].test(record)) return true;
      return false;
    },
    explain: (record, out) => {
      for (const m of maps) m.explain(record, out);
    },
    eventNames,
  };
}

/** Compiles every search identifier of a `detection` map (all keys but `condition` and `timeframe`). */
export function compileSearches(detection: Record<string, unknown>, path: readonly (string | number)[] = ['detection']): Map<string, Search> {
  const out = new Map<string, Search>();
  for (const name of Object.keys(detection)) {
    if (name === 'condition' || name === 'timeframe') continue;
    out.set(name, compileSearch(name, detection[name], [...path, name]));
  }
  return out;
}
