// Correlation hits as they cross threads: grouped by correlation and group and sorted in the
// thread that matched them, then kept as they are by the thread that merges until the end.
import type { CorrelationHit, PackedGroup, RecordMatches } from './types';

const HAS_VALUE = 1;
const HAS_ERROR = 2;

export function compareHits(a: CorrelationHit, b: CorrelationHit): number {
  return a.timeMs - b.timeMs || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0) || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0);
}

/** A batch's hits by correlation and group, each group sorted (in the worker, in parallel). */
export function packHits(hits: readonly CorrelationHit[]): PackedGroup[] {
  const byGroup = new Map<string, CorrelationHit[]>();
  for (const h of hits) {
    const key = `${h.correlation}\u0000${h.group.length === 1 ? h.group[0] : JSON.stringify(h.group)}`;
    const list = byGroup.get(key);
    if (list) list.push(h);
    else byGroup.set(key, [h]);
  }
  const out: PackedGroup[] = [];
  for (const list of byGroup.values()) {
    list.sort(compareHits);
    const n = list.length;
    const timeMs = new Float64Array(n);
    const flags = new Uint8Array(n);
    const strings: string[] = [];
    for (let i = 0; i < n; i++) {
      const h = list[i];
      timeMs[i] = h.timeMs;
      flags[i] = (h.value !== undefined ? HAS_VALUE : 0) | (h.errorCode !== undefined ? HAS_ERROR : 0);
      strings.push(h.rule, h.eventTime, h.eventId, h.value ?? '', h.errorCode ?? '');
    }
    out.push({ correlation: list[0].correlation, group: list[0].group, timeMs, flags, text: JSON.stringify(strings) });
  }
  return out;
}

/**
 * The hits of a packed group, in its order. Values that repeat across hits (rule ids, values, error
 * codes) are taken from `intern`, so the hits a long run keeps share one copy of each; a group is in
 * time order, so a time is shared with the hit before it. A value equal to the previous hit's is
 * that copy without a lookup (most are: a group's hits mostly come from one rule): looking up every
 * value, and every time in a map of up to a million, measured a third of the correlations' cost.
 */
export function unpackGroup(p: PackedGroup, intern: Map<string, string> = new Map()): CorrelationHit[] {
  const strings = JSON.parse(p.text) as string[];
  const shared = (v: string): string => {
    const known = intern.get(v);
    if (known !== undefined) return known;
    if (intern.size < 1_000_000) intern.set(v, v);
    return v;
  };
  const group = p.group.map(shared);
  const hits = new Array<CorrelationHit>(p.timeMs.length);
  let rule: string | undefined;
  let time: string | undefined;
  let value: string | undefined;
  let error: string | undefined;
  for (let i = 0, s = 0; i < hits.length; i++, s += 5) {
    if (strings[s] !== rule) rule = shared(strings[s]);
    if (strings[s + 1] !== time) time = strings[s + 1];
    const hit: CorrelationHit = { correlation: p.correlation, rule, timeMs: p.timeMs[i], eventTime: time, eventId: strings[s + 2], group };
    if (p.flags[i] & HAS_VALUE) {
      if (strings[s + 3] !== value) value = shared(strings[s + 3]);
      hit.value = value;
    }
    if (p.flags[i] & HAS_ERROR) {
      if (strings[s + 4] !== error) error = shared(strings[s + 4]);
      hit.errorCode = error;
    }
    hits[i] = hit;
  }
  return hits;
}

/** The buffers of packed groups, to transfer instead of copying. */
export function packedBuffers(m: RecordMatches | undefined): ArrayBuffer[] {
  return (m?.groups ?? []).flatMap((g) => [g.timeMs.buffer, g.flags.buffer] as ArrayBuffer[]);
}

