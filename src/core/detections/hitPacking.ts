// Correlation hits as they cross threads and wait for the end of a run, never as one object per
// hit: written into columns by correlation and group as they are matched (HitPacker, in the thread
// that matched them) and sorted there per batch, given one set of strings per group as each batch
// arrives in the thread that merges (GroupHits), and read at the end as one set of columns per
// group (MergedHits), about 40 bytes a hit.
import { isZuluSecondsText, zuluSecondsText } from '../events/records';
import type { CorrelationHit, PackedGroup, RecordMatches } from './types';

/** Numbers per hit in `PackedGroup.codes`, and the position of each. */
const HIT_CODES = 5;
const RULE = 0;
const VALUE = 1;
const ERROR = 2;
const TIME = 3;
const ID = 4;
const ID_BYTES = 16;

/** A lowercase hex digit's value by character code, -1 for every other character. */
const NIBBLE = new Int8Array(128).fill(-1);
for (let c = 0; c < 16; c++) NIBBLE['0123456789abcdef'.charCodeAt(c)] = c;

/** Where each byte's two digits start in a UUID's text. */
const UUID_DIGITS = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];

/** Writes a lowercase UUID's 32 hex digits into `out` at `at`; false (bytes left undefined) when `id` is not one. */
function packUuid(id: string, out: Uint8Array, at: number): boolean {
  if (id.length !== 36 || id.charCodeAt(8) !== 45 || id.charCodeAt(13) !== 45 || id.charCodeAt(18) !== 45 || id.charCodeAt(23) !== 45) return false;
  for (let k = 0; k < 16; k++) {
    const i = UUID_DIGITS[k];
    // A code of 128 or more reads undefined, which fails the test as -1 does.
    const hi = NIBBLE[id.charCodeAt(i)];
    const lo = NIBBLE[id.charCodeAt(i + 1)];
    if (!(hi >= 0 && lo >= 0)) return false;
    out[at + k] = (hi << 4) | lo;
  }
  return true;
}

const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** A UUID's text is written here, then read as one flat string (a string joined from 20 pieces was flattened again, at a cost, by every Set and Map it went in). */
const UUID_TEXT = Buffer.alloc(36, '-');

function uuidText(b: Uint8Array, at: number): string {
  for (let k = 0; k < 16; k++) {
    const v = b[at + k];
    const i = UUID_DIGITS[k];
    UUID_TEXT[i] = HEX_CODES[v >> 4];
    UUID_TEXT[i + 1] = HEX_CODES[v & 15];
  }
  return UUID_TEXT.toString('latin1', 0, 36);
}

/** The key of a correlation's group among the others of that correlation. */
export function groupKey(group: readonly string[]): string {
  return group.length === 1 ? group[0] : JSON.stringify(group);
}

/**
 * Hits as columns over a set of strings (positions plus one, as in `PackedGroup.codes`), read by
 * index: what windows and sorting need of a hit, and texts only for the hits that end up in
 * findings. Kept while matching (GroupBuilder, in a worker) and when merging (MergedHits).
 */
abstract class HitColumns {
  length = 0;
  protected timeMs: Float64Array;
  protected codes: Uint32Array;
  protected ids: Uint8Array;
  protected readonly strings: string[] = [];

  constructor(capacity: number) {
    this.timeMs = new Float64Array(capacity);
    this.codes = new Uint32Array(capacity * HIT_CODES);
    this.ids = new Uint8Array(capacity * ID_BYTES);
  }

  time(i: number): number {
    return this.timeMs[i];
  }

  /** Position of the hit's rule (never 0). */
  ruleCode(i: number): number {
    return this.codes[i * HIT_CODES + RULE];
  }

  /** Position of the hit's value, 0 when it has none or it is ''. */
  valueCode(i: number): number {
    const c = this.codes[i * HIT_CODES + VALUE];
    return c !== 0 && this.strings[c - 1] !== '' ? c : 0;
  }

  /** One more than the highest position, for counting by position. */
  get codeCount(): number {
    return this.strings.length + 1;
  }

  /** The position of a string, 0 when no hit has it. */
  codeOf(s: string): number {
    return this.strings.indexOf(s) + 1;
  }

  errorCode(i: number): string | undefined {
    const c = this.codes[i * HIT_CODES + ERROR];
    return c === 0 ? undefined : this.strings[c - 1];
  }

  eventTime(i: number): string {
    const c = this.codes[i * HIT_CODES + TIME];
    return c === 0 ? zuluSecondsText(this.timeMs[i]) : this.strings[c - 1];
  }

  eventId(i: number): string {
    const c = this.codes[i * HIT_CODES + ID];
    return c === 0 ? uuidText(this.ids, i * ID_BYTES) : this.strings[c - 1];
  }

  /** Whether two hits carry the same, non-empty eventID. */
  sameEventId(a: number, b: number): boolean {
    const ca = this.codes[a * HIT_CODES + ID];
    const cb = this.codes[b * HIT_CODES + ID];
    if (ca !== 0 || cb !== 0) return ca === cb && this.strings[ca - 1] !== '';
    const ids = this.ids;
    for (let k = 0, x = a * ID_BYTES, y = b * ID_BYTES; k < ID_BYTES; k++) if (ids[x + k] !== ids[y + k]) return false;
    return true;
  }

  /** By time, then eventID, then rule, as text. */
  compare(a: number, b: number): number {
    const dt = this.timeMs[a] - this.timeMs[b];
    if (dt !== 0) return dt;
    const ca = this.codes[a * HIT_CODES + ID];
    const cb = this.codes[b * HIT_CODES + ID];
    if (ca === 0 && cb === 0) {
      const ids = this.ids;
      for (let k = 0, x = a * ID_BYTES, y = b * ID_BYTES; k < ID_BYTES; k++) {
        const d = ids[x + k] - ids[y + k];
        if (d !== 0) return d;
      }
    } else if (ca !== cb) {
      const x = this.eventId(a);
      const y = this.eventId(b);
      if (x !== y) return x < y ? -1 : 1;
    }
    const ra = this.ruleCode(a);
    const rb = this.ruleCode(b);
    if (ra === rb) return 0;
    return this.strings[ra - 1] < this.strings[rb - 1] ? -1 : 1;
  }
}

/** The hits of one correlation and group as a worker matches them: columns that grow. */
export class GroupBuilder extends HitColumns {
  private readonly position = new Map<string, number>();
  // A group's hits mostly repeat the rule, value and error of the hit before: no lookup for those.
  private lastRule: string | undefined;
  private lastValue: string | undefined;
  private lastError: string | undefined;
  private lastRuleCode = 0;
  private lastValueCode = 0;
  private lastErrorCode = 0;

  constructor(
    readonly correlation: number,
    readonly group: string[],
  ) {
    super(16);
  }

  private code(v: string): number {
    let c = this.position.get(v);
    if (c === undefined) this.position.set(v, (c = this.strings.push(v)));
    return c;
  }

  private grow(): void {
    const capacity = this.timeMs.length * 2;
    const timeMs = new Float64Array(capacity);
    timeMs.set(this.timeMs);
    const codes = new Uint32Array(capacity * HIT_CODES);
    codes.set(this.codes);
    const ids = new Uint8Array(capacity * ID_BYTES);
    ids.set(this.ids);
    this.timeMs = timeMs;
    this.codes = codes;
    this.ids = ids;
  }

  /** One hit; `timeMs` must be finite, `canonical` whether `eventTime` is `zuluSecondsText(timeMs)` (isZuluSecondsText). */
  push(rule: string, timeMs: number, eventTime: string, eventId: string, value: string | undefined, errorCode: string | undefined, canonical: boolean): void {
    if (this.length === this.timeMs.length) this.grow();
    const i = this.length++;
    const o = i * HIT_CODES;
    const codes = this.codes;
    this.timeMs[i] = timeMs;
    if (rule !== this.lastRule) this.lastRuleCode = this.code((this.lastRule = rule));
    codes[o + RULE] = this.lastRuleCode;
    if (value === undefined) codes[o + VALUE] = 0;
    else {
      if (value !== this.lastValue) this.lastValueCode = this.code((this.lastValue = value));
      codes[o + VALUE] = this.lastValueCode;
    }
    if (errorCode === undefined) codes[o + ERROR] = 0;
    else {
      if (errorCode !== this.lastError) this.lastErrorCode = this.code((this.lastError = errorCode));
      codes[o + ERROR] = this.lastErrorCode;
    }
    codes[o + TIME] = canonical ? 0 : this.code(eventTime);
    codes[o + ID] = packUuid(eventId, this.ids, i * ID_BYTES) ? 0 : this.code(eventId);
  }

  /** The hits sorted (see `compare`), in arrays of their own length. */
  packed(): PackedGroup {
    const n = this.length;
    let sorted = true;
    for (let i = 1; i < n && sorted; i++) if (this.compare(i - 1, i) > 0) sorted = false;
    const timeMs = new Float64Array(n);
    const codes = new Uint32Array(n * HIT_CODES);
    const ids = new Uint8Array(n * ID_BYTES);
    if (sorted) {
      timeMs.set(this.timeMs.subarray(0, n));
      codes.set(this.codes.subarray(0, n * HIT_CODES));
      ids.set(this.ids.subarray(0, n * ID_BYTES));
    } else {
      const order = new Array<number>(n);
      for (let i = 0; i < n; i++) order[i] = i;
      order.sort((a, b) => this.compare(a, b));
      const fromCodes = this.codes;
      const fromIds = this.ids;
      for (let k = 0; k < n; k++) {
        const i = order[k];
        timeMs[k] = this.timeMs[i];
        for (let c = 0, x = i * HIT_CODES, y = k * HIT_CODES; c < HIT_CODES; c++) codes[y + c] = fromCodes[x + c];
        for (let b = 0, x = i * ID_BYTES, y = k * ID_BYTES; b < ID_BYTES; b++) ids[y + b] = fromIds[x + b];
      }
    }
    return { correlation: this.correlation, group: this.group, timeMs, codes, ids, text: JSON.stringify(this.strings) };
  }
}

/** A batch's hits by correlation and group, as they are matched (in a worker). */
export class HitPacker {
  private readonly byCorrelation: Map<string, GroupBuilder>[] = [];

  /** The builder of a correlation's group, `group()` its values when it is new. */
  builder(correlation: number, key: string, group: () => string[]): GroupBuilder {
    let groups = this.byCorrelation[correlation];
    if (!groups) this.byCorrelation[correlation] = groups = new Map();
    let b = groups.get(key);
    if (!b) groups.set(key, (b = new GroupBuilder(correlation, group())));
    return b;
  }

  add(h: CorrelationHit): void {
    if (Number.isFinite(h.timeMs)) this.builder(h.correlation, groupKey(h.group), () => h.group).push(h.rule, h.timeMs, h.eventTime, h.eventId, h.value, h.errorCode, isZuluSecondsText(h.eventTime, h.timeMs));
  }

  /** Every group's hits, sorted and packed; the packer is empty again. */
  finish(): PackedGroup[] {
    const out: PackedGroup[] = [];
    for (const groups of this.byCorrelation) if (groups) for (const b of groups.values()) out.push(b.packed());
    this.byCorrelation.length = 0;
    return out;
  }
}

/** A batch's hits by correlation and group, each group sorted and packed. Hits without a time are left out. */
export function packHits(hits: readonly CorrelationHit[]): PackedGroup[] {
  const packer = new HitPacker();
  for (const h of hits) packer.add(h);
  return packer.finish();
}

/** The buffers of packed groups, to transfer instead of copying. */
export function packedBuffers(m: RecordMatches | undefined): ArrayBuffer[] {
  return (m?.groups ?? []).flatMap((g) => [g.timeMs.buffer, g.codes.buffer, g.ids.buffer] as ArrayBuffer[]);
}

/**
 * The packed hits of one correlation and group as batches bring them, their codes turned into
 * positions in one set of strings as each arrives (while the workers go on), so the work left at
 * the end is copying them together, sorting and the windows.
 */
export class GroupHits {
  private parts: PackedGroup[] = [];
  private readonly strings: string[] = [];
  private readonly position = new Map<string, number>();

  constructor(readonly group: readonly string[]) {}

  /** Takes a part over: its codes are rewritten in place. */
  add(p: PackedGroup): void {
    const m = p.timeMs.length;
    if (m === 0) return;
    if (p.codes.length !== m * HIT_CODES || p.ids.length !== m * ID_BYTES) throw new Error('packed hits of different lengths');
    const local = JSON.parse(p.text) as unknown;
    if (!Array.isArray(local)) throw new Error('packed hits without their strings');
    const remap = new Uint32Array(local.length + 1);
    local.forEach((v, i) => {
      const s = String(v);
      let c = this.position.get(s);
      if (c === undefined) this.position.set(s, (c = this.strings.push(s)));
      remap[i + 1] = c;
    });
    const codes = p.codes;
    for (let k = 0; k < codes.length; k++) {
      const c = codes[k];
      if (c >= remap.length) throw new Error('packed hits pointing past their strings');
      codes[k] = c === 0 ? 0 : remap[c];
    }
    this.parts.push({ ...p, text: '' });
  }

  /** Every part in one set of columns; the parts are let go. */
  merged(): MergedHits {
    const parts = this.parts;
    this.parts = [];
    return new MergedHits(this.group, this.strings, parts);
  }
}

/** The hits of one correlation and group from every batch, in one set of columns. */
export class MergedHits extends HitColumns {
  /** Whether each part was in order after the one before (then no sort is needed). */
  readonly inOrder: boolean;

  constructor(
    readonly group: readonly string[],
    strings: readonly string[],
    parts: readonly PackedGroup[],
  ) {
    let n = 0;
    for (const p of parts) n += p.timeMs.length;
    super(n);
    this.length = n;
    this.strings.push(...strings);
    let at = 0;
    let inOrder = true;
    for (const p of parts) {
      // Equal times across parts may need their eventIDs ordered: sorted then.
      if (at > 0 && this.timeMs[at - 1] >= p.timeMs[0]) inOrder = false;
      this.timeMs.set(p.timeMs, at);
      this.codes.set(p.codes, at * HIT_CODES);
      this.ids.set(p.ids, at * ID_BYTES);
      at += p.timeMs.length;
    }
    this.inOrder = inOrder;
  }
}
