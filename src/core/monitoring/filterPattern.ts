// CloudWatch Logs filter patterns, parsed and evaluated on CloudTrail records, so "does this metric
// filter catch StopLogging?" is answered by running the pattern, not by comparing its text.
//
// JSON patterns: `{ ($.eventName = StopLogging) || ($.errorCode = "*UnauthorizedOperation") }` with
// `=`, `!=`, `<`, `>`, `<=`, `>=`, `IS TRUE`, `IS FALSE`, `IS NULL`, `EXISTS`, `NOT EXISTS`, `&&`,
// `||`, parentheses, selectors `$.a.b`, `$.a[0]`, `$.a[*]`, values quoted or bare with `*`
// wildcards. Term patterns (`ERROR`, `"Failed authentication"`, `?A ?B`, `-x`) match the event's JSON
// text, as CloudTrail writes it to the log group. An empty pattern matches every event. Space-
// delimited `[…]` patterns do not apply to JSON events and are refused.
import { starMatch as wildcard } from '../text/wildcard';

export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'compare'; path: (string | number | '*')[]; op: '=' | '!=' | '<' | '>' | '<=' | '>='; value: string | number; quoted: boolean }
  | { kind: 'test'; path: (string | number | '*')[]; test: 'true' | 'false' | 'null' | 'exists' | 'not-exists' };

export type FilterPattern = { kind: 'all' } | { kind: 'json'; root: FilterNode } | { kind: 'terms'; all: string[]; any: string[]; none: string[] };

export class FilterPatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterPatternError';
  }
}

type Token = { t: 'sym'; v: string } | { t: 'str'; v: string } | { t: 'word'; v: string } | { t: 'sel'; v: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (['&&', '||', '!=', '<=', '>='].includes(two)) {
      tokens.push({ t: 'sym', v: two });
      i += 2;
      continue;
    }
    if ('(){}=<>'.includes(c)) {
      tokens.push({ t: 'sym', v: c });
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      let v = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        v += text[j++];
      }
      if (j >= text.length) throw new FilterPatternError('a quoted value is not closed');
      tokens.push({ t: 'str', v });
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < text.length && !/\s/.test(text[j]) && !'(){}=<>!&|"'.includes(text[j])) j++;
    if (j === i) throw new FilterPatternError(`unexpected "${c}" at ${i + 1}`);
    const word = text.slice(i, j);
    tokens.push(word.startsWith('$') ? { t: 'sel', v: word } : { t: 'word', v: word });
    i = j;
  }
  return tokens;
}

function parsePath(selector: string): (string | number | '*')[] {
  if (!/^\$(\.[^.[\]]+|\[(\d+|\*)\])*$/.test(selector)) throw new FilterPatternError(`${selector} is not a selector such as $.eventName or $.resources[0].ARN`);
  const path: (string | number | '*')[] = [];
  for (const m of selector.slice(1).matchAll(/\.([^.[\]]+)|\[(\d+|\*)\]/g)) path.push(m[1] !== undefined ? m[1] : m[2] === '*' ? '*' : Number(m[2]));
  return path;
}

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token | undefined {
    return this.tokens[this.i];
  }

  private isSym(v: string): boolean {
    const t = this.peek();
    return t?.t === 'sym' && t.v === v;
  }

  private expect(v: string): void {
    if (!this.isSym(v)) throw new FilterPatternError(`expected "${v}"${this.peek() ? ` before "${this.peek()!.v}"` : ' at the end'}`);
    this.i++;
  }

  private word(): string | undefined {
    const t = this.peek();
    return t?.t === 'word' ? t.v.toUpperCase() : undefined;
  }

  parse(): FilterNode {
    this.expect('{');
    const node = this.or();
    this.expect('}');
    if (this.peek()) throw new FilterPatternError(`unexpected "${this.peek()!.v}" after the closing brace`);
    return node;
  }

  private or(): FilterNode {
    let left = this.and();
    while (this.isSym('||')) {
      this.i++;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): FilterNode {
    let left = this.term();
    while (this.isSym('&&')) {
      this.i++;
      left = { kind: 'and', left, right: this.term() };
    }
    return left;
  }

  private term(): FilterNode {
    if (this.isSym('(')) {
      this.i++;
      const inner = this.or();
      this.expect(')');
      return inner;
    }
    const t = this.peek();
    if (t?.t !== 'sel') throw new FilterPatternError(`expected a selector such as $.eventName${t ? `, found "${t.v}"` : ''}`);
    this.i++;
    const path = parsePath(t.v);
    const w = this.word();
    if (w === 'IS') {
      this.i++;
      const what = this.word();
      this.i++;
      if (what === 'TRUE' || what === 'FALSE' || what === 'NULL') return { kind: 'test', path, test: what.toLowerCase() as 'true' | 'false' | 'null' };
      throw new FilterPatternError('IS must be followed by TRUE, FALSE or NULL');
    }
    if (w === 'EXISTS') {
      this.i++;
      return { kind: 'test', path, test: 'exists' };
    }
    if (w === 'NOT') {
      this.i++;
      if (this.word() !== 'EXISTS') throw new FilterPatternError('NOT must be followed by EXISTS');
      this.i++;
      return { kind: 'test', path, test: 'not-exists' };
    }
    const op = this.peek();
    if (op?.t !== 'sym' || !['=', '!=', '<', '>', '<=', '>='].includes(op.v)) throw new FilterPatternError(`expected a comparison after ${t.v}`);
    this.i++;
    const value = this.peek();
    if (!value || (value.t !== 'str' && value.t !== 'word')) throw new FilterPatternError(`expected a value after ${t.v} ${op.v}`);
    this.i++;
    const numeric = value.t === 'word' && /^-?\d+(\.\d+)?$/.test(value.v);
    return { kind: 'compare', path, op: op.v as '=' | '!=' | '<' | '>' | '<=' | '>=', value: numeric ? Number(value.v) : value.v, quoted: value.t === 'str' };
  }
}

/** Parses a metric filter's pattern; throws FilterPatternError saying what is wrong. */
export function parseFilterPattern(text: string): FilterPattern {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === '""') return { kind: 'all' };
  if (trimmed.startsWith('{')) return { kind: 'json', root: new Parser(tokenize(trimmed)).parse() };
  if (trimmed.startsWith('[')) throw new FilterPatternError('a space-delimited pattern ([…]) does not match JSON events such as CloudTrail writes');
  const all: string[] = [];
  const any: string[] = [];
  const none: string[] = [];
  for (const m of trimmed.matchAll(/([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g)) {
    const term = (m[2] ?? m[3]).replace(/\\(.)/g, '$1');
    (m[1] === '?' ? any : m[1] === '-' ? none : all).push(term);
  }
  return { kind: 'terms', all, any, none };
}

/** The values at a path; `*` in a path takes every element of an array. */
function valuesAt(record: unknown, path: readonly (string | number | '*')[]): unknown[] {
  let current: unknown[] = [record];
  for (const step of path) {
    const next: unknown[] = [];
    for (const v of current) {
      if (step === '*') {
        if (Array.isArray(v)) next.push(...v);
      } else if (typeof step === 'number') {
        if (Array.isArray(v) && step < v.length) next.push(v[step]);
      } else if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(v, step)) {
        next.push((v as Record<string, unknown>)[step]);
      }
    }
    current = next;
  }
  return current;
}

function compare(node: Extract<FilterNode, { kind: 'compare' }>, value: unknown): boolean {
  if (typeof node.value === 'number') {
    const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (Number.isNaN(n)) return node.op === '!=';
    switch (node.op) {
      case '=':
        return n === node.value;
      case '!=':
        return n !== node.value;
      case '<':
        return n < node.value;
      case '>':
        return n > node.value;
      case '<=':
        return n <= node.value;
      case '>=':
        return n >= node.value;
    }
  }
  if (value === null || typeof value === 'object') return node.op === '!=';
  const text = String(value);
  if (node.op === '=') return wildcard(node.value, text);
  if (node.op === '!=') return !wildcard(node.value, text);
  return false; // <, > on text: CloudWatch Logs compares numbers only
}

function evaluate(node: FilterNode, record: unknown): boolean {
  switch (node.kind) {
    case 'and':
      return evaluate(node.left, record) && evaluate(node.right, record);
    case 'or':
      return evaluate(node.left, record) || evaluate(node.right, record);
    case 'test': {
      const values = valuesAt(record, node.path);
      if (node.test === 'exists') return values.length > 0;
      if (node.test === 'not-exists') return values.length === 0;
      if (node.test === 'null') return values.some((v) => v === null);
      return values.some((v) => v === (node.test === 'true'));
    }
    case 'compare': {
      const values = valuesAt(record, node.path);
      // A field the event lacks matches no comparison (CloudWatch Logs needs the field to compare it).
      return values.some((v) => compare(node, v));
    }
  }
}

/** Whether CloudWatch Logs would count this CloudTrail record with this pattern. */
export function filterMatches(pattern: FilterPattern, record: unknown): boolean {
  if (pattern.kind === 'all') return true;
  if (pattern.kind === 'json') return evaluate(pattern.root, record);
  const text = JSON.stringify(record);
  return pattern.all.every((t) => text.includes(t)) && (pattern.any.length === 0 || pattern.any.some((t) => text.includes(t))) && !pattern.none.some((t) => text.includes(t));
}
