/**
 * The Sigma condition language: `and`, `or`, `not`, parentheses and `1 of` / `all of` /
 * `any of` / `N of` over search identifiers, wildcard patterns of them, or `them`. Precedence,
 * least to most binding: or, and, not, x of, ( ). Keywords are case-insensitive; identifiers are
 * not. The old aggregation syntax (`| count() by …`, `| near …`) is refused: Sigma 2 expresses it
 * as a correlation rule.
 */

export type ConditionNode =
  | { kind: 'id'; name: string }
  | { kind: 'and'; items: ConditionNode[] }
  | { kind: 'or'; items: ConditionNode[] }
  | { kind: 'not'; item: ConditionNode }
  /** `all of x*` (need = names.length), `1 of x*`, `N of x*`: at least `need` of `names`. */
  | { kind: 'of'; need: number | 'all'; names: string[] };

/** A condition the engine cannot run; the message is meant for the user. */
export class ConditionError extends Error {
  override name = 'ConditionError';
}

type SimpleToken = 'lparen' | 'rparen' | 'and' | 'or' | 'not' | 'of' | 'them' | 'all' | 'any';

type Token =
  | { t: SimpleToken }
  | { t: 'num'; n: number }
  | { t: 'ident'; text: string };

const KEYWORDS = new Map<string, SimpleToken>([['and', 'and'], ['or', 'or'], ['not', 'not'], ['of', 'of'], ['them', 'them'], ['all', 'all'], ['any', 'any']]);

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '(') {
      tokens.push({ t: 'lparen' });
      i++;
    } else if (c === ')') {
      tokens.push({ t: 'rparen' });
      i++;
    } else if (c === '|') {
      const rest = text.slice(i + 1).trim();
      const what = /^near\b/i.test(rest) ? '`| near`' : /^(count|min|max|avg|sum)\s*\(/i.test(rest) ? `\`| ${rest.split('(')[0].trim()}()\`` : 'an aggregation after `|`';
      throw new ConditionError(`the condition uses ${what}, the old aggregation syntax; write it as a Sigma correlation rule (correlation: type event_count, value_count or temporal) instead`);
    } else {
      const m = /^[A-Za-z0-9_\-.*]+/.exec(text.slice(i));
      if (!m) {
        throw new ConditionError(`unexpected character '${c}' at position ${i + 1} of the condition`);
      }
      const word = m[0];
      i += word.length;
      const kw = KEYWORDS.get(word.toLowerCase());
      if (kw) {
        tokens.push({ t: kw });
      } else if (/^\d+$/.test(word)) {
        tokens.push({ t: 'num', n: Number(word) });
      } else {
        tokens.push({ t: 'ident', text: word });
      }
    }
  }
  return tokens;
}

function wildcardToRegExp(pattern: string): RegExp {
  const body = pattern.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}$`);
}

function describe(tok: Token | undefined): string {
  if (!tok) return 'the end of the condition';
  if (tok.t === 'ident') return `'${tok.text}'`;
  if (tok.t === 'num') return `'${tok.n}'`;
  return tok.t === 'lparen' ? "'('" : tok.t === 'rparen' ? "')'" : `'${tok.t}'`;
}

/**
 * Parses a condition against the detection's search identifiers. Throws ConditionError for a
 * syntax error, an identifier that is not defined, or a pattern that matches none.
 */
export function parseCondition(text: string, identifiers: readonly string[]): ConditionNode {
  const tokens = tokenize(text);
  const known = new Set(identifiers);
  let pos = 0;

  const peek = (): Token | undefined => tokens[pos];
  const expect = (t: Token['t']): void => {
    const tok = tokens[pos];
    if (!tok || tok.t !== t) {
      throw new ConditionError(`expected '${t === 'rparen' ? ')' : t}' but found ${describe(tok)} in the condition`);
    }
    pos++;
  };

  const parseOr = (): ConditionNode => {
    const items = [parseAnd()];
    while (peek()?.t === 'or') {
      pos++;
      items.push(parseAnd());
    }
    return items.length === 1 ? items[0] : { kind: 'or', items };
  };

  const parseAnd = (): ConditionNode => {
    const items = [parseNot()];
    while (peek()?.t === 'and') {
      pos++;
      items.push(parseNot());
    }
    return items.length === 1 ? items[0] : { kind: 'and', items };
  };

  const parseNot = (): ConditionNode => {
    if (peek()?.t === 'not') {
      pos++;
      return { kind: 'not', item: parseNot() };
    }
    return parseAtom();
  };

  const parseAtom = (): ConditionNode => {
    const tok = tokens[pos];
    if (!tok) {
      throw new ConditionError('the condition ends where a search identifier was expected');
    }
    if (tok.t === 'lparen') {
      pos++;
      const inner = parseOr();
      expect('rparen');
      return inner;
    }
    if (tok.t === 'all' || tok.t === 'any' || tok.t === 'num') {
      pos++;
      expect('of');
      const target = tokens[pos];
      let names: string[];
      if (target?.t === 'them') {
        // `them` is every search identifier except those starting with `_` (by convention).
        names = identifiers.filter((n) => !n.startsWith('_'));
      } else if (target?.t === 'ident') {
        if (target.text.includes('*')) {
          const re = wildcardToRegExp(target.text);
          names = identifiers.filter((n) => re.test(n));
          if (names.length === 0) {
            throw new ConditionError(`no search identifier matches '${target.text}' in the condition`);
          }
        } else {
          if (!known.has(target.text)) {
            throw new ConditionError(`the condition names '${target.text}', which the detection does not define`);
          }
          names = [target.text];
        }
      } else {
        throw new ConditionError(`expected a search identifier pattern or 'them' after 'of', found ${describe(target)}`);
      }
      if (names.length === 0) {
        throw new ConditionError("'of them' has no search identifiers to refer to");
      }
      pos++;
      const need = tok.t === 'num' ? tok.n : tok.t === 'all' ? 'all' : 1;
      if (need !== 'all' && need < 1) {
        throw new ConditionError(`'${need} of' can never be false; use at least 1`);
      }
      return { kind: 'of', need, names };
    }
    if (tok.t === 'ident') {
      pos++;
      if (tok.text.includes('*')) {
        throw new ConditionError(`'${tok.text}' is a pattern; write '1 of ${tok.text}' or 'all of ${tok.text}'`);
      }
      if (!known.has(tok.text)) {
        throw new ConditionError(`the condition names '${tok.text}', which the detection does not define`);
      }
      return { kind: 'id', name: tok.text };
    }
    throw new ConditionError(`unexpected ${describe(tok)} in the condition`);
  };

  if (tokens.length === 0) {
    throw new ConditionError('the condition is empty');
  }
  const node = parseOr();
  if (pos < tokens.length) {
    throw new ConditionError(`unexpected ${describe(tokens[pos])} in the condition`);
  }
  return node;
}

/** Every search identifier a condition refers to. */
export function conditionIdentifiers(node: ConditionNode, out: Set<string> = new Set()): Set<string> {
  switch (node.kind) {
    case 'id':
      out.add(node.name);
      break;
    case 'and':
    case 'or':
      for (const item of node.items) conditionIdentifiers(item, out);
      break;
    case 'not':
      conditionIdentifiers(node.item, out);
      break;
    case 'of':
      for (const n of node.names) out.add(n);
      break;
  }
  return out;
}
