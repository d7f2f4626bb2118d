/**
 * JSON.parse turns integers above 2^53 into the nearest double, so a request parameter such as
 * 12345678901234567891 would be shown (and exported) as 12345678901234567000. Events keep their
 * values as they are: before parsing, such literals are wrapped in a marker string, and the
 * formatter writes them back verbatim.
 *
 * The scans here are linear and never recurse or backtrack: a regular expression over an 8 MB
 * string literal ran out of stack and made valid JSON look invalid.
 */
import { randomBytes } from 'node:crypto';

const NONCE = randomBytes(6).toString('hex');
/** The marker as it stands in JSON text: a string starting with an escaped NUL nobody writes. */
const MARKER = `\\u0000ctl-num-${NONCE}:`;
const WRAPPED = new RegExp(`"${MARKER.replace(/\\/g, '\\\\')}(-?[0-9.eE+-]+)"`, 'g');

const QUOTE = 34;
const BACKSLASH = 92;

/** Index just past the string literal opening at `i` (the text's length when it is unterminated). */
function stringEnd(text: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q < 0) return text.length;
    let k = q - 1;
    while (text.charCodeAt(k) === BACKSLASH) k--;
    if (((q - 1 - k) & 1) === 0) return q + 1;
    from = q + 1;
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Nesting depth and long number literals of a JSON text, outside strings (the text twin of eventBytes.scanJsonBytes). */
export function jsonTextFacts(text: string, maxDepth: number): { tooDeepAt: number; longNumbers: boolean } {
  let depth = 0;
  let run = 0;
  let longNumbers = false;
  for (let i = 0; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i);
      run = 0;
      continue;
    }
    if (isDigit(c)) {
      if (++run >= 16) longNumbers = true;
    } else {
      run = 0;
      if (c === 123 || c === 91) {
        if (++depth > maxDepth) return { tooDeepAt: i, longNumbers };
      } else if (c === 125 || c === 93) {
        depth--;
      }
    }
    i++;
  }
  return { tooDeepAt: -1, longNumbers };
}

/** Wraps number literals of 16 or more digits (in the integer or the fraction) in marker strings. */
export function protectLongNumbers(text: string): string {
  const parts: string[] = [];
  let copied = 0;
  const n = text.length;
  for (let i = 0; i < n; ) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i);
      continue;
    }
    if (!isDigit(c) && !(c === 45 && isDigit(text.charCodeAt(i + 1)))) {
      i++;
      continue;
    }
    // A number literal: -?int(.frac)?(e[+-]?exp)?
    const start = i;
    if (c === 45) i++;
    const intStart = i;
    while (i < n && isDigit(text.charCodeAt(i))) i++;
    const intDigits = i - intStart;
    let fracDigits = 0;
    if (text.charCodeAt(i) === 46) {
      const fracStart = ++i;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      fracDigits = i - fracStart;
    }
    const e = text.charCodeAt(i);
    if (e === 101 || e === 69) {
      i++;
      if (text.charCodeAt(i) === 43 || text.charCodeAt(i) === 45) i++;
      while (i < n && isDigit(text.charCodeAt(i))) i++;
    }
    if (intDigits >= 16 || fracDigits >= 16) {
      parts.push(text.slice(copied, start), `"${MARKER}${text.slice(start, i)}"`);
      copied = i;
    }
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

/** Restores the literals that protectLongNumbers wrapped, in JSON text written by JSON.stringify. */
export function restoreLongNumbers(json: string): string {
  return json.includes(MARKER) ? json.replace(WRAPPED, '$1') : json;
}
