/**
 * The Sigma engine's public face: compile rule texts once into a RuleSet, match records one by one
 * (in any thread), then correlate the hits of every record at the end.
 */
import { isMap as isYamlMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document } from 'yaml';
import { parseCloudTrailTime, zuluSeconds, type CloudTrailRecord } from '../events/records';
import { conditionIdentifiers, ConditionError, parseCondition, type ConditionNode } from './condition';
import { aliasedField, correlateHits, Correlator, parseCorrelation, type CorrelationSpec, type FindingMeta, type ParsedCorrelation } from './correlation';
import { groupKey, type HitPacker } from './hitPacking';
import { compileSearches, fieldPath, firstFieldText, nextRecord, RuleError, truncateText, type FieldPath, type Search } from './matcher';
import { LEVELS, levelRank, type CorrelationHit, type Finding, type Level, type MatchedField, type PackedGroup, type RecordMatches, type RuleInfo, type RuleRefusal, type RuleSource } from './types';

export interface CompileOptions {
  /** Rule ids or exact titles to skip. */
  disabled?: readonly string[];
}

export interface RuleSet {
  /** Loaded, runnable rules (detections and correlations), in the order read. */
  readonly rules: readonly RuleInfo[];
  readonly refused: readonly RuleRefusal[];
  /**
   * The findings and correlation hits of one record. Never throws. With a packer, the hits go
   * into it (a worker's batch) instead of `hits`.
   */
  match(record: CloudTrailRecord, packer?: HitPacker): RecordMatches;
  /** Findings of the correlation rules from the hits of any number of match calls, in any order. */
  correlate(hits: readonly CorrelationHit[]): Finding[];
  /** The same, with the hits taken in as they arrive (grouped then), for runs over many batches. */
  correlator(): HitCorrelator;
}

export interface HitCorrelator {
  add(hits: readonly CorrelationHit[]): void;
  addGroups(groups: readonly PackedGroup[]): void;
  /** Never throws. */
  finish(): Finding[];
}

const NO_FINDINGS = Object.freeze([]) as unknown as Finding[];
const NO_HITS = Object.freeze([]) as unknown as CorrelationHit[];

export function meetsLevel(level: Level, min: Level): boolean {
  return levelRank(level) >= levelRank(min);
}

// ---------------------------------------------------------------------------------------------
// Reading documents

type Path = readonly (string | number)[];

/** One YAML document of a rule file, with a way to find the line of any node in it. */
interface Doc {
  source: RuleSource;
  line: number;
  value: Record<string, unknown>;
  lineOf(path: Path): number;
}

function lineFinder(doc: Document, counter: LineCounter, fallback: number): (path: Path) => number {
  return (path) => {
    let node: unknown = doc.contents;
    let line = fallback;
    for (const step of path) {
      if (isYamlMap(node)) {
        const pair = node.items.find((p) => String(isScalar(p.key) ? p.key.value : p.key) === String(step));
        if (!pair) break;
        const range = isScalar(pair.key) ? pair.key.range : undefined;
        if (range) line = counter.linePos(range[0]).line;
        node = pair.value;
      } else if (isSeq(node) && typeof step === 'number') {
        const item: unknown = node.items[step];
        if (!item) break;
        const range = (item as { range?: [number, number, number] }).range;
        if (range) line = counter.linePos(range[0]).line;
        node = item;
      } else {
        break;
      }
    }
    return line;
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readDocs(source: RuleSource, refused: RuleRefusal[]): Doc[] {
  const counter = new LineCounter();
  let docs: Document[];
  try {
    const parsed = parseAllDocuments(source.text, { lineCounter: counter, uniqueKeys: true, prettyErrors: true });
    docs = Array.isArray(parsed) ? parsed : [];
  } catch (e) {
    refused.push({ file: source.file, line: 1, message: `not valid YAML: ${(e as Error).message}` });
    return [];
  }
  const out: Doc[] = [];
  for (const doc of docs) {
    const start = doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0;
    const line = Math.max(1, counter.linePos(start).line);
    if (doc.errors.length > 0) {
      const err = doc.errors[0];
      const errLine = err.linePos?.[0]?.line ?? line;
      refused.push({ file: source.file, line: errLine, message: `not valid YAML: ${err.message.split('\n')[0]}` });
      continue;
    }
    if (doc.contents === null) continue; // an empty document, as a trailing `---` makes
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      refused.push({ file: source.file, line, message: `not valid YAML: ${(e as Error).message}` });
      continue;
    }
    if (value === null || value === undefined) continue;
    if (!isObject(value)) {
      refused.push({ file: source.file, line, message: 'not a Sigma rule: a rule is a YAML map (title, id, logsource, detection)' });
      continue;
    }
    out.push({ source, line, value, lineOf: lineFinder(doc, counter, line) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Rules

interface DetectionRule {
  kind: 'detection';
  info: RuleInfo;
  test(record: CloudTrailRecord): boolean;
  explain(record: CloudTrailRecord, out: MatchedField[]): void;
  /** Lower-cased eventNames, when the condition pins them. */
  index?: Set<string>;
  /** Correlations this rule feeds: their index and the paths of their group-by and value fields. */
  feeds: { index: number; group: FieldPath[]; value?: FieldPath }[];
  /** False when the rule only feeds correlations (or was disabled but a correlation needs it). */
  generates: boolean;
  disabled: boolean;
}

interface CorrelationRule {
  kind: 'correlation';
  info: RuleInfo;
  parsed: ParsedCorrelation;
  disabled: boolean;
}

type Rule = DetectionRule | CorrelationRule;

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return [];
  return value.filter((v): v is string => typeof v === 'string');
}

function optionalString(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (Array.isArray(value)) {
    const parts = strings(value).filter((s) => s.trim() !== '');
    return parts.length > 0 ? parts.join(', ') : undefined;
  }
  return undefined;
}

/** `attack.t1562.008` → technique `T1562.008`; `attack.defense-evasion` → tactic `defense-evasion`. */
export function attackTags(tags: readonly string[]): { techniques: string[]; tactics: string[] } {
  const techniques: string[] = [];
  const tactics: string[] = [];
  for (const tag of tags) {
    const lower = tag.trim().toLowerCase();
    if (!lower.startsWith('attack.')) continue;
    const rest = lower.slice('attack.'.length);
    if (rest === '') continue;
    if (/^t\d/.test(rest)) {
      const t = rest.toUpperCase();
      if (!techniques.includes(t)) techniques.push(t);
    } else if (!/^[gs]\d/.test(rest)) {
      const t = rest.replace(/_/g, '-');
      if (!tactics.includes(t)) tactics.push(t);
    }
  }
  return { techniques, tactics };
}

/** Fails with a RuleError at `path`. */
function fail(message: string, path: Path = []): never {
  throw new RuleError(message, path);
}

function baseInfo(doc: Doc, kind: RuleInfo['kind']): RuleInfo {
  const v = doc.value;
  const title = v.title;
  if (typeof title !== 'string' || title.trim() === '') fail('the rule has no title', v.title === undefined ? [] : ['title']);
  const id = v.id;
  if (typeof id !== 'string' || id.trim() === '') fail('the rule has no id (a unique string, such as a UUID)', v.id === undefined ? [] : ['id']);
  let level: Level = 'medium';
  if (v.level !== undefined && v.level !== null) {
    const l = typeof v.level === 'string' ? v.level.trim().toLowerCase() : '';
    if (!(LEVELS as readonly string[]).includes(l)) fail(`level '${String(v.level)}' is not one of ${LEVELS.join(', ')}`, ['level']);
    level = l as Level;
  }
  const tags = strings(v.tags);
  const { techniques, tactics } = attackTags(tags);
  const info: RuleInfo = {
    id: id.trim(),
    title: title.trim(),
    level,
    tags,
    techniques,
    tactics,
    falsepositives: strings(v.falsepositives),
    references: strings(v.references),
    origin: doc.source.origin,
    file: doc.source.file,
    line: doc.line,
    kind,
    correlationOnly: false,
  };
  if (typeof v.name === 'string' && v.name.trim() !== '') info.name = v.name.trim();
  const status = optionalString(v.status);
  if (status) info.status = status;
  const description = optionalString(v.description);
  if (description) info.description = description;
  const author = optionalString(v.author);
  if (author) info.author = author;
  const license = optionalString(v.license);
  if (license) info.license = license;
  return info;
}

/**
 * The eventName index. A rule is indexed when every way its condition can be true requires
 * `eventName` to equal one of a finite set of plain values; then `match` only tries it on records
 * with one of those names. Per node, `pinned` is that set, or undefined for "any eventName":
 * - a search identifier: its maps' eventName conditions (plain values, no wildcards or modifiers
 *   other than `cased`; the sets of several in one map intersect; a list of maps pins only when
 *   every map does, to the union);
 * - `a and b`: true only when both are, so the intersection of the pinned sides (either suffices);
 * - `a or b`, `1 of`: either may be true alone, so the union, and any unpinned side unpins it;
 * - `all of`: like `and`; `N of` (N ≥ 2, not all): like `or`, which is safe (a superset);
 * - `not a`: unpinned, since the negation of "eventName is X and …" holds for any eventName.
 * An empty set means the rule can never match (it is then never tried).
 */
function pinned(node: ConditionNode, searches: Map<string, Search>): Map<string, string> | undefined {
  const inter = (sets: (Map<string, string> | undefined)[]): Map<string, string> | undefined => {
    let acc: Map<string, string> | undefined;
    for (const s of sets) {
      if (!s) continue;
      acc = acc ? new Map([...acc].filter(([k]) => s.has(k))) : new Map(s);
    }
    return acc;
  };
  const union = (sets: (Map<string, string> | undefined)[]): Map<string, string> | undefined => {
    const acc = new Map<string, string>();
    for (const s of sets) {
      if (!s) return undefined;
      for (const [k, v] of s) if (!acc.has(k)) acc.set(k, v);
    }
    return acc;
  };
  switch (node.kind) {
    case 'id':
      return searches.get(node.name)?.eventNames;
    case 'and':
      return inter(node.items.map((n) => pinned(n, searches)));
    case 'or':
      return union(node.items.map((n) => pinned(n, searches)));
    case 'not':
      return undefined;
    case 'of': {
      const sets = node.names.map((n) => searches.get(n)?.eventNames);
      return node.need === 'all' || node.need >= node.names.length ? inter(sets) : union(sets);
    }
  }
}

/** A compiled condition node: its test, and the matched fields of the parts that made it true. */
interface Node {
  test(record: CloudTrailRecord): boolean;
  /** Call only when test is true; collects nothing from under a `not`. */
  explain(record: CloudTrailRecord, out: MatchedField[]): void;
}

function compileNode(node: ConditionNode, searches: Map<string, Search>): Node {
  switch (node.kind) {
    case 'id':
      return searches.get(node.name) as Search;
    case 'and': {
      const items = node.items.map((n) => compileNode(n, searches));
      const [a, b] = items;
      return {
        // Loops, not every(): a test runs per rule per event, and a closure per call was measurable.
        test:
          items.length === 2
            ? (r) => a.test(r) && b.test(r)
            : (r) => {
                for (let i = 0; i < items.length; i++) if (!items[i].test(r)) return false;
                return true;
              },
        explain: (r, out) => {
          for (const t of items) t.explain(r, out);
        },
      };
    }
    case 'or':
    case 'of': {
      const items = node.kind === 'or' ? node.items.map((n) => compileNode(n, searches)) : node.names.map((n) => searches.get(n) as Search);
      const need = node.kind === 'or' ? 1 : node.need === 'all' ? items.length : node.need;
      const test =
        need === 1
          ? (r: CloudTrailRecord): boolean => {
              for (let i = 0; i < items.length; i++) if (items[i].test(r)) return true;
              return false;
            }
          : need >= items.length
            ? (r: CloudTrailRecord): boolean => {
                for (let i = 0; i < items.length; i++) if (!items[i].test(r)) return false;
                return true;
              }
            : (r: CloudTrailRecord): boolean => {
                let n = 0;
                for (let i = 0; i < items.length; i++) if (items[i].test(r) && ++n >= need) return true;
                return false;
              };
      return {
        test,
        explain: (r, out) => {
          for (const t of items) if (t.test(r)) t.explain(r, out);
        },
      };
    }
    case 'not': {
      const item = compileNode(node.item, searches);
      return { test: (r) => !item.test(r), explain: () => undefined };
    }
  }
}

function compileDetection(doc: Doc): DetectionRule {
  const v = doc.value;
  const info = baseInfo(doc, 'detection');
  const ls = v.logsource;
  const product = isObject(ls) && typeof ls.product === 'string' ? ls.product : undefined;
  const service = isObject(ls) && typeof ls.service === 'string' ? ls.service : undefined;
  if (product?.toLowerCase() !== 'aws' || service?.toLowerCase() !== 'cloudtrail') {
    const desc = isObject(ls)
      ? Object.entries(ls)
          .filter(([k]) => k === 'product' || k === 'service' || k === 'category')
          .map(([k, x]) => `${k}: ${String(x)}`)
          .join(', ') || 'no product or service'
      : 'missing';
    fail(`not a CloudTrail rule (logsource ${desc}); CloudTrail Lens runs rules with logsource product: aws, service: cloudtrail`, ls === undefined ? [] : ['logsource']);
  }
  const det = v.detection;
  if (!isObject(det)) fail('the rule has no detection map', det === undefined ? [] : ['detection']);
  const cond = det.condition;
  if (cond === undefined || cond === null) fail('the detection has no condition', ['detection']);
  const conditions = typeof cond === 'string' ? [cond] : Array.isArray(cond) && cond.length > 0 && cond.every((c) => typeof c === 'string') ? (cond as string[]) : fail('condition must be a string or a list of strings', ['detection', 'condition']);
  const searches = compileSearches(det);
  const identifiers = [...searches.keys()];
  const nodes = conditions.map((text, i) => {
    try {
      return parseCondition(text, identifiers);
    } catch (e) {
      if (e instanceof ConditionError) fail(e.message, typeof cond === 'string' ? ['detection', 'condition'] : ['detection', 'condition', i]);
      throw e;
    }
  });
  // A list of conditions is their OR.
  const root: ConditionNode = nodes.length === 1 ? nodes[0] : { kind: 'or', items: nodes };
  const used = conditionIdentifiers(root);
  if (used.size === 0) fail('the condition refers to no search identifier', ['detection', 'condition']);
  const compiled = compileNode(root, searches);
  const pins = pinned(root, searches);
  if (pins) info.eventNames = [...pins.values()];
  return {
    kind: 'detection',
    info,
    test: (record) => compiled.test(record),
    explain: (record, out) => compiled.explain(record, out),
    index: pins ? new Set(pins.keys()) : undefined,
    feeds: [],
    generates: true,
    disabled: false,
  };
}

function compileDoc(doc: Doc): Rule {
  const v = doc.value;
  if (v.correlation !== undefined && v.detection !== undefined) fail('a document has both detection and correlation; put each in its own YAML document (separated by ---)');
  if (v.correlation !== undefined) {
    const info = baseInfo(doc, 'correlation');
    return { kind: 'correlation', info, parsed: parseCorrelation(v), disabled: false };
  }
  if (v.detection !== undefined) return compileDetection(doc);
  if (v.filter !== undefined) fail('Sigma filters (meta-filters) are not supported; add the exclusion to the rule’s condition');
  fail('not a Sigma rule: it has neither detection nor correlation');
}

function refusalOf(doc: Doc, e: unknown): RuleRefusal {
  const v = doc.value;
  const r: RuleRefusal = {
    file: doc.source.file,
    line: e instanceof RuleError ? doc.lineOf(e.path) : doc.line,
    message: e instanceof Error ? e.message : String(e),
  };
  if (typeof v.id === 'string' && v.id.trim() !== '') r.ruleId = v.id.trim();
  if (typeof v.title === 'string' && v.title.trim() !== '') r.title = v.title.trim();
  return r;
}

function outcomeOf(record: CloudTrailRecord): Finding['outcome'] {
  const code = record.errorCode;
  if (typeof code === 'string' && code !== '') {
    const msg = record.errorMessage;
    return typeof msg === 'string' && msg !== '' ? { status: 'attempted', errorCode: code, errorMessage: truncateText(msg) } : { status: 'attempted', errorCode: code };
  }
  return { status: 'succeeded' };
}

function metaOf(info: RuleInfo): FindingMeta {
  const meta: FindingMeta = { ruleId: info.id, title: info.title, level: info.level, tags: info.tags, techniques: info.techniques, tactics: info.tactics, origin: info.origin };
  if (info.author) meta.author = info.author;
  if (info.license) meta.license = info.license;
  return meta;
}

export function compileRules(sources: readonly RuleSource[], options: CompileOptions = {}): RuleSet {
  const refused: RuleRefusal[] = [];
  const disabled = new Set(options.disabled ?? []);
  const byId = new Map<string, Rule>();
  const byName = new Map<string, Rule>();
  const all: Rule[] = [];
  const docOf = new Map<Rule, Doc>();

  for (const source of sources) {
    for (const doc of readDocs(source, refused)) {
      let rule: Rule;
      try {
        rule = compileDoc(doc);
      } catch (e) {
        refused.push(refusalOf(doc, e));
        continue;
      }
      const first = byId.get(rule.info.id);
      if (first) {
        refused.push({ ...refusalOf(doc, null), line: doc.lineOf(['id']), message: `duplicate rule id ${rule.info.id}: ${first.info.file}:${first.info.line} has it already` });
        continue;
      }
      const name = rule.info.name;
      const sameName = name !== undefined ? byName.get(name) : undefined;
      if (sameName) {
        refused.push({ ...refusalOf(doc, null), line: doc.lineOf(['name']), message: `duplicate rule name ${name}: ${sameName.info.file}:${sameName.info.line} has it already` });
        continue;
      }
      rule.disabled = disabled.has(rule.info.id) || disabled.has(rule.info.title);
      byId.set(rule.info.id, rule);
      if (name !== undefined) byName.set(name, rule);
      all.push(rule);
      docOf.set(rule, doc);
    }
  }

  // Correlations: resolve their rules (by id, then name) to detection rules.
  const specs: CorrelationSpec[] = [];
  const rejected = new Set<Rule>();
  for (const rule of all) {
    if (rule.kind !== 'correlation' || rule.disabled) continue;
    const doc = docOf.get(rule) as Doc;
    const bases: DetectionRule[] = [];
    let problem: { message: string; index: number } | undefined;
    rule.parsed.rules.forEach((ref, index) => {
      if (problem) return;
      const target = byId.get(ref) ?? byName.get(ref);
      if (!target) problem = { message: `correlation refers to rule '${ref}', which is not loaded (no rule has that id or name, or it was refused)`, index };
      else if (target.kind === 'correlation') problem = { message: `correlation refers to correlation '${ref}'; chained correlations are not supported`, index };
      else if (!bases.includes(target)) bases.push(target);
    });
    if (problem) {
      refused.push({ ...refusalOf(doc, null), line: doc.lineOf(['correlation', 'rules', problem.index]), message: problem.message });
      rejected.add(rule);
      continue;
    }
    const index = specs.length;
    specs.push({ ...rule.parsed, meta: metaOf(rule.info), ruleIds: bases.map((b) => b.info.id) });
    for (const base of bases) {
      const groupOf = (g: string): FieldPath => fieldPath(aliasedField(rule.parsed, g, base.info.id, base.info.name));
      base.feeds.push({ index, group: rule.parsed.groupBy.map(groupOf), value: rule.parsed.field !== undefined ? groupOf(rule.parsed.field) : undefined });
    }
  }

  // Which detection rules make findings of their own: not those a correlation uses (unless one of
  // them says `generate: true`, as the correlation specification defines), nor disabled ones.
  const generating = new Set<DetectionRule>();
  for (const rule of all) {
    if (rule.kind !== 'correlation' || rule.disabled || rejected.has(rule) || !rule.parsed.generate) continue;
    for (const ref of rule.parsed.rules) {
      const target = byId.get(ref) ?? byName.get(ref);
      if (target?.kind === 'detection') generating.add(target);
    }
  }
  const infos: RuleInfo[] = [];
  const indexed = new Map<string, DetectionRule[]>();
  const unindexed: DetectionRule[] = [];
  for (const rule of all) {
    if (rule.kind === 'correlation') {
      if (!rule.disabled && !rejected.has(rule)) infos.push(rule.info);
      continue;
    }
    const used = rule.feeds.length > 0;
    rule.generates = !rule.disabled && (!used || generating.has(rule));
    if (!rule.generates && !used) continue; // disabled, and no correlation needs it
    rule.info.correlationOnly = !rule.generates;
    infos.push(rule.info);
    if (rule.index) {
      for (const name of rule.index) {
        let list = indexed.get(name);
        if (!list) indexed.set(name, (list = []));
        list.push(rule);
      }
    } else {
      unindexed.push(rule);
    }
  }

  // The time of the record matched last (a record is matched by one thread, rule after rule).
  const timed: { record: unknown; ms: number; canonical: boolean } = { record: undefined, ms: NaN, canonical: false };
  const matchOne = (rule: DetectionRule, record: CloudTrailRecord, out: RecordMatches, packer: HitPacker | undefined): void => {
    if (!rule.test(record)) return;
    if (rule.generates) {
      const matched: MatchedField[] = [];
      rule.explain(record, matched);
      const seen = new Set<string>();
      const unique = matched.filter((m) => {
        const key = `${m.field}\u0000${m.value}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
      const time = typeof record.eventTime === 'string' ? record.eventTime : undefined;
      const f: Finding = {
        ...metaOf(rule.info),
        tags: [...rule.info.tags],
        techniques: [...rule.info.techniques],
        tactics: [...rule.info.tactics],
        eventIds: [typeof record.eventID === 'string' ? record.eventID : ''],
        firstTime: time,
        lastTime: time,
        matched: unique,
        outcome: outcomeOf(record),
      };
      if (out.findings === NO_FINDINGS) out.findings = [];
      out.findings.push(f);
    }
    if (rule.feeds.length > 0) {
      const eventTime = typeof record.eventTime === 'string' ? record.eventTime : '';
      // Read once per record, however many base rules it matches.
      if (record !== timed.record) {
        timed.record = record;
        // Nearly every eventTime is YYYY-MM-DDTHH:MM:SSZ: read once, and then its time stands for it.
        const zulu = zuluSeconds(eventTime);
        timed.canonical = !Number.isNaN(zulu);
        timed.ms = Number.isNaN(zulu) ? parseCloudTrailTime(eventTime) : zulu;
      }
      const timeMs = timed.ms;
      if (Number.isNaN(timeMs)) return; // an event without a time cannot be placed in a window
      const eventId = typeof record.eventID === 'string' ? record.eventID : '';
      const errorCode = typeof record.errorCode === 'string' && record.errorCode !== '' ? record.errorCode : undefined;
      for (const feed of rule.feeds) {
        if (packer) {
          const value = feed.value ? firstFieldText(record, feed.value) : undefined;
          if (feed.group.length === 1) {
            const g = firstFieldText(record, feed.group[0]);
            packer.builder(feed.index, g, () => [g]).push(rule.info.id, timeMs, eventTime, eventId, value, errorCode, timed.canonical);
          } else {
            const g = feed.group.map((p) => firstFieldText(record, p));
            packer.builder(feed.index, groupKey(g), () => g).push(rule.info.id, timeMs, eventTime, eventId, value, errorCode, timed.canonical);
          }
          continue;
        }
        const hit: CorrelationHit = { correlation: feed.index, rule: rule.info.id, timeMs, eventTime, eventId, group: feed.group.map((p) => firstFieldText(record, p)) };
        if (feed.value) hit.value = firstFieldText(record, feed.value);
        if (errorCode) hit.errorCode = errorCode;
        if (out.hits === NO_HITS) out.hits = [];
        out.hits.push(hit);
      }
    }
  };

  const matchAll = (list: readonly DetectionRule[], record: CloudTrailRecord, out: RecordMatches, packer: HitPacker | undefined): void => {
    for (let i = 0; i < list.length; i++) {
      // A rule that throws on this record (a hostile value, a bug) is skipped for it alone.
      try {
        matchOne(list[i], record, out, packer);
      } catch {
        // skipped
      }
    }
  };

  const match = (record: CloudTrailRecord, packer?: HitPacker): RecordMatches => {
    // Most records make nothing: shared empty lists (frozen), a list of their own only for those that do.
    const out: RecordMatches = { findings: NO_FINDINGS, hits: NO_HITS };
    nextRecord();
    try {
      const name = record.eventName;
      const key = typeof name === 'string' ? name.toLowerCase() : typeof name === 'number' || typeof name === 'boolean' ? String(name).toLowerCase() : undefined;
      const pinnedRules = key !== undefined ? indexed.get(key) : undefined;
      if (pinnedRules) matchAll(pinnedRules, record, out, packer);
      matchAll(unindexed, record, out, packer);
    } catch {
      // The record itself cannot be read (a throwing getter on eventName): no matches.
    }
    return out;
  };

  const correlate = (hits: readonly CorrelationHit[]): Finding[] => {
    try {
      return correlateHits(specs, hits);
    } catch {
      return [];
    }
  };

  const correlator = (): HitCorrelator => {
    const c = new Correlator(specs);
    let failed = false;
    // A correlation that throws (a bug) ends the correlations of this run, never the run.
    const guard = (fn: () => void): void => {
      if (failed) return;
      try {
        fn();
      } catch {
        failed = true;
      }
    };
    return {
      add: (hits) => guard(() => c.add(hits)),
      addGroups: (groups) => guard(() => c.addGroups(groups)),
      finish: () => {
        if (failed) return [];
        try {
          return c.finish();
        } catch {
          return [];
        }
      },
    };
  };

  return { rules: infos, refused, match, correlate, correlator };
}

/** Convenience: match every record, then correlate all hits; findings sorted by firstTime then ruleId. */
export function detect(records: Iterable<CloudTrailRecord>, ruleSet: RuleSet): Finding[] {
  const findings: Finding[] = [];
  const hits: CorrelationHit[] = [];
  for (const record of records) {
    const m = ruleSet.match(record);
    findings.push(...m.findings);
    hits.push(...m.hits);
  }
  findings.push(...ruleSet.correlate(hits));
  return sortFindings(findings);
}

const byCodeUnit = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

/** Findings by first event time, then rule id, then first eventID (ISO times and ids compare as text). */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => byCodeUnit(a.firstTime ?? '', b.firstTime ?? '') || byCodeUnit(a.ruleId, b.ruleId) || byCodeUnit(a.eventIds[0] ?? '', b.eventIds[0] ?? ''));
}
