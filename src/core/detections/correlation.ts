/**
 * Sigma correlation rules: parsing the `correlation:` section, and turning the hits of the base
 * rules (collected from any number of workers, in any order) into findings.
 *
 * Windows. Per correlation and group, hits are sorted by time, and a window is anchored at each
 * hit in turn: it holds that hit and every later hit of the group within `timespan` of it. When
 * the window meets the condition, it makes one finding (with all of the window's events), and the
 * next window may only start at the first hit after it, so a burst makes one finding, not one per
 * extra event; a burst longer than the timespan makes one finding per timespan it fills. When the
 * window does not meet the condition, the anchor moves to the next hit. Every set of events that
 * fits in a timespan lies in the window anchored at its first event, so no burst a sliding window
 * would see is missed. Upper bounds (`lt`, `lte`, `eq`) are checked on the anchored window too.
 */
import { GroupHits, groupKey, packHits, type MergedHits } from './hitPacking';
import type { CorrelationHit, Finding, MatchedField, PackedGroup } from './types';
import { RuleError } from './matcher';

export type CorrelationType = 'event_count' | 'value_count' | 'temporal' | 'temporal_ordered';

const TYPES: readonly CorrelationType[] = ['event_count', 'value_count', 'temporal', 'temporal_ordered'];

export interface CountCondition {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
  eq?: number;
}

/** What a correlation says, before its rule references are resolved. */
export interface ParsedCorrelation {
  type: CorrelationType;
  /** Base rules by id or name, as written. */
  rules: string[];
  groupBy: string[];
  timespan: string;
  timespanMs: number;
  condition: CountCondition;
  /** value_count: the field whose distinct values are counted. */
  field?: string;
  /** `aliases`: alias → (rule name or id → field). */
  aliases: Map<string, Map<string, string>>;
  generate: boolean;
}

/** The finding fields that come from the correlation rule itself. */
export type FindingMeta = Pick<Finding, 'ruleId' | 'title' | 'level' | 'author' | 'tags' | 'techniques' | 'tactics' | 'origin' | 'license'>;

/** A correlation ready to run: its base rules are resolved to ids, in the order written. */
export interface CorrelationSpec extends ParsedCorrelation {
  meta: FindingMeta;
  ruleIds: string[];
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

export function parseTimespan(value: unknown): number | undefined {
  const m = typeof value === 'string' ? /^\s*(\d{1,9})([smhd])\s*$/.exec(value) : null;
  if (!m) return undefined;
  const ms = Number(m[1]) * UNITS[m[2]];
  return ms > 0 ? ms : undefined;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(value: unknown, what: string, path: (string | number)[]): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((v, i) => {
    if (typeof v !== 'string' || v === '') throw new RuleError(`${what} must be a list of names`, Array.isArray(value) ? [...path, i] : path);
    return v;
  });
}

/** Parses a document's `correlation:` section. Throws RuleError with the YAML path of the problem. */
export function parseCorrelation(doc: Record<string, unknown>): ParsedCorrelation {
  const c = doc.correlation;
  const P = ['correlation'];
  if (!isMap(c)) throw new RuleError('correlation must be a map with type, rules, group-by, timespan and condition', P);
  const type = c.type;
  if (typeof type !== 'string' || !(TYPES as readonly string[]).includes(type)) {
    throw new RuleError(`correlation type ${typeof type === 'string' ? `'${type}' ` : ''}is not one of ${TYPES.join(', ')}`, c.type === undefined ? P : [...P, 'type']);
  }
  const t = type as CorrelationType;
  const rules = stringList(c.rules, 'correlation rules', [...P, 'rules']);
  if (rules.length === 0) throw new RuleError('a correlation needs `rules:`, the ids or names of the rules it correlates', P);
  const groupBy = stringList(c['group-by'], 'group-by', [...P, 'group-by']);
  const rawSpan = c.timespan ?? c.timeframe;
  const timespanMs = parseTimespan(rawSpan);
  if (timespanMs === undefined) {
    throw new RuleError(rawSpan === undefined ? 'a correlation needs a timespan, such as 5m or 1h' : `timespan '${String(rawSpan)}' is not a number followed by s, m, h or d (such as 30s, 5m, 1h, 1d)`, rawSpan === undefined ? P : [...P, c.timespan !== undefined ? 'timespan' : 'timeframe']);
  }
  const condition: CountCondition = {};
  let field: string | undefined;
  const cond = c.condition;
  if (cond !== undefined && cond !== null) {
    if (!isMap(cond)) throw new RuleError('a correlation condition must be a map such as `gte: 10`', [...P, 'condition']);
    for (const [k, v] of Object.entries(cond)) {
      if (k === 'field') {
        if (typeof v !== 'string' || v === '') throw new RuleError('condition field must be a field name', [...P, 'condition', k]);
        field = v;
      } else if (k === 'gt' || k === 'gte' || k === 'lt' || k === 'lte' || k === 'eq') {
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new RuleError(`condition ${k} must be a number`, [...P, 'condition', k]);
        condition[k] = v;
      } else {
        throw new RuleError(`unknown correlation condition '${k}' (use gt, gte, lt, lte, eq${t === 'value_count' ? ' and field' : ''})`, [...P, 'condition', k]);
      }
    }
  }
  const bounds = Object.keys(condition).length;
  if (t === 'event_count' || t === 'value_count') {
    if (bounds === 0) throw new RuleError(`a ${t} correlation needs a condition such as \`gte: 10\``, P);
  }
  if (t === 'value_count' && !field) throw new RuleError('a value_count correlation needs `field:` in its condition, the field whose distinct values it counts', [...P, 'condition']);
  if (t !== 'value_count' && field) throw new RuleError(`condition field is only for value_count, not ${t}`, [...P, 'condition', 'field']);
  // A condition that zero events meet (only lt/lte, gte 0, eq 0) needs absence logic: refused.
  const lowerBound = (condition.gt !== undefined && condition.gt >= 0) || (condition.gte !== undefined && condition.gte > 0) || (condition.eq !== undefined && condition.eq > 0);
  if (bounds > 0 && !lowerBound) {
    throw new RuleError('this condition is met by the absence of events (only lt/lte, or a bound of 0), which CloudTrail Lens does not evaluate; give a lower bound of at least one event (gt or gte)', [...P, 'condition']);
  }
  const aliases = new Map<string, Map<string, string>>();
  if (c.aliases !== undefined && c.aliases !== null) {
    if (!isMap(c.aliases)) throw new RuleError('aliases must map an alias to { rule name: field }', [...P, 'aliases']);
    for (const [alias, byRule] of Object.entries(c.aliases)) {
      if (!isMap(byRule)) throw new RuleError(`alias '${alias}' must map rule names to fields`, [...P, 'aliases', alias]);
      const m = new Map<string, string>();
      for (const [rule, f] of Object.entries(byRule)) {
        if (typeof f !== 'string' || f === '') throw new RuleError(`alias '${alias}' for '${rule}' must be a field name`, [...P, 'aliases', alias, rule]);
        m.set(rule, f);
      }
      aliases.set(alias, m);
    }
  }
  const generate = c.generate ?? doc.generate ?? false;
  if (typeof generate !== 'boolean') throw new RuleError('generate must be true or false', [...P, 'generate']);
  return { type: t, rules, groupBy, timespan: String(rawSpan).trim(), timespanMs, condition, field, aliases, generate };
}

/** The field a correlation's group-by (or counted) name reads for a base rule, through aliases. */
export function aliasedField(spec: ParsedCorrelation, name: string, ruleId: string, ruleName: string | undefined): string {
  const byRule = spec.aliases.get(name);
  if (!byRule) return name;
  return (ruleName !== undefined ? byRule.get(ruleName) : undefined) ?? byRule.get(ruleId) ?? name;
}

function meets(cond: CountCondition, n: number): boolean {
  return (
    (cond.gt === undefined || n > cond.gt) &&
    (cond.gte === undefined || n >= cond.gte) &&
    (cond.lt === undefined || n < cond.lt) &&
    (cond.lte === undefined || n <= cond.lte) &&
    (cond.eq === undefined || n === cond.eq)
  );
}

const MAX_EVENT_IDS = 100;


/** Counts of codes over the current window, kept as hits enter and leave it; code 0 is not counted. */
class Tally {
  private readonly counts: Uint32Array;
  size = 0;
  constructor(codes: number) {
    this.counts = new Uint32Array(codes);
  }
  add(code: number): void {
    if (code !== 0 && this.counts[code]++ === 0) this.size++;
  }
  remove(code: number): void {
    if (code !== 0 && this.counts[code] > 0 && --this.counts[code] === 0) this.size--;
  }
}

/** True when the window holds the rules' hits in the order written (earliest-first greedy). */
function inOrder(hits: MergedHits, window: Uint32Array, from: number, to: number, ruleCodes: readonly number[]): boolean {
  let want = 0;
  for (let k = from; k <= to; k++) {
    if (hits.ruleCode(window[k]) === ruleCodes[want]) {
      want++;
      if (want === ruleCodes.length) return true;
    }
  }
  return false;
}

function outcomeOf(hits: MergedHits, list: Uint32Array, from: number, to: number): Finding['outcome'] {
  const codes = new Map<string, number>();
  for (let k = from; k <= to; k++) {
    const code = hits.errorCode(list[k]);
    if (!code) return { status: 'succeeded' };
    codes.set(code, (codes.get(code) ?? 0) + 1);
  }
  let best = '';
  let bestN = 0;
  for (const [code, n] of codes) {
    if (n > bestN) {
      best = code;
      bestN = n;
    }
  }
  return { status: 'attempted', errorCode: best };
}

function finding(spec: CorrelationSpec, hits: MergedHits, list: Uint32Array, from: number, to: number, count: number): Finding {
  const ids: string[] = [];
  const seen = new Set<string>();
  for (let k = from; k <= to && ids.length < MAX_EVENT_IDS; k++) {
    const id = hits.eventId(list[k]);
    if (seen.has(id)) continue;
    seen.add(id);
    ids.push(id);
  }
  const group = hits.group;
  const groupBy: Record<string, string> = {};
  const matched: MatchedField[] = [];
  spec.groupBy.forEach((g, i) => {
    groupBy[g] = group[i] ?? '';
    matched.push({ field: g, value: group[i] ?? '' });
  });
  return {
    ...spec.meta,
    tags: [...spec.meta.tags],
    techniques: [...spec.meta.techniques],
    tactics: [...spec.meta.tactics],
    eventIds: ids,
    firstTime: hits.eventTime(list[from]),
    lastTime: hits.eventTime(list[to]),
    matched,
    outcome: outcomeOf(hits, list, from, to),
    correlation: { type: spec.type, groupBy, count, timespan: spec.timespan },
  };
}

/** The windows of one group's hits, `list` their positions in time order (see the top of this file). */
function windows(spec: CorrelationSpec, hits: MergedHits, list: Uint32Array, out: Finding[]): void {
  const temporal = spec.type === 'temporal' || spec.type === 'temporal_ordered';
  const cond: CountCondition = temporal && Object.keys(spec.condition).length === 0 ? { gte: new Set(spec.ruleIds).size } : spec.condition;
  const ruleCodes = spec.type === 'temporal_ordered' ? spec.ruleIds.map((id) => hits.codeOf(id)) : [];
  const n = list.length;
  const tally = new Tally(hits.codeCount);
  const keyOf = spec.type === 'value_count' ? (i: number): number => hits.valueCode(i) : temporal ? (i: number): number => hits.ruleCode(i) : (): number => 0;
  const span = spec.timespanMs;
  let i = 0;
  let j = -1;
  while (i < n) {
    const start = hits.time(list[i]);
    while (j + 1 < n && hits.time(list[j + 1]) - start <= span) {
      j++;
      tally.add(keyOf(list[j]));
    }
    const count = spec.type === 'event_count' ? j - i + 1 : tally.size;
    if (meets(cond, count) && (spec.type !== 'temporal_ordered' || inOrder(hits, list, i, j, ruleCodes))) {
      out.push(finding(spec, hits, list, i, j, spec.type === 'value_count' ? count : j - i + 1));
      for (let k = i; k <= j; k++) tally.remove(keyOf(list[k]));
      i = j + 1;
    } else {
      tally.remove(keyOf(list[i]));
      i++;
    }
  }
}

/**
 * Hits taken in as they come (from workers, in any order), kept packed by correlation and group
 * (work per group, not per hit, while the workers parse, and about 40 bytes a hit), so the work
 * left when the last one is in is merging each group's parts, sorting them and sliding its windows.
 */
export class Correlator {
  /** Per correlation: its groups' hits, by group key. */
  private readonly groups: Map<string, GroupHits>[];

  constructor(private readonly specs: readonly CorrelationSpec[]) {
    this.groups = specs.map(() => new Map());
  }

  /** Hits one by one (a document, a watch): packed like a worker's. */
  add(hits: readonly CorrelationHit[]): void {
    if (hits.length > 0) this.addGroups(packHits(hits));
  }

  addGroups(groups: readonly PackedGroup[]): void {
    for (const g of groups) {
      const byKey = this.groups[g.correlation];
      if (!byKey || g.timeMs.length === 0) continue;
      const key = groupKey(g.group);
      let hits = byKey.get(key);
      if (!hits) byKey.set(key, (hits = new GroupHits(g.group)));
      hits.add(g);
    }
  }

  /** The findings of every correlation over every hit added; the hits are let go as each group is read, so once only. */
  finish(): Finding[] {
    const out: Finding[] = [];
    this.specs.forEach((spec, index) => {
      const temporal = spec.type === 'temporal' || spec.type === 'temporal_ordered';
      const byKey = this.groups[index];
      for (const [key, group] of byKey) {
        const hits = group.merged();
        // Done with the parts: at 5 M events, every group's hits kept to the end took gigabytes.
        byKey.delete(key);
        const all = new Uint32Array(hits.length);
        if (hits.inOrder) {
          for (let i = 0; i < all.length; i++) all[i] = i;
        } else {
          // An array's sort merges the runs (one per part) it finds; a typed array's sorts from scratch.
          const order = new Array<number>(hits.length);
          for (let i = 0; i < order.length; i++) order[i] = i;
          order.sort((a, b) => hits.compare(a, b));
          all.set(order);
        }
        // One event counts once per correlation (once per base rule for temporal types). Sorted by
        // time, eventID and rule, and the copies of one event share its time: a repeat is next to
        // what it repeats, so comparing neighbours finds every one (no set of every eventID).
        let kept = 0;
        for (let k = 0; k < all.length; k++) {
          const h = all[k];
          if (kept > 0) {
            const p = all[kept - 1];
            if (hits.time(h) === hits.time(p) && hits.sameEventId(h, p) && (!temporal || hits.ruleCode(h) === hits.ruleCode(p))) continue;
          }
          all[kept++] = h;
        }
        windows(spec, hits, all.subarray(0, kept), out);
      }
    });
    return out;
  }
}

/** Findings of every correlation from the hits of their base rules, in any order. */
export function correlateHits(specs: readonly CorrelationSpec[], hits: readonly CorrelationHit[]): Finding[] {
  const c = new Correlator(specs);
  c.add(hits);
  return c.finish();
}
