/**
 * A fast, offset-aware scanner for the shapes CloudTrail events come in. It finds where each event
 * object starts and ends in a text (and on which lines) without building a syntax tree, so that
 * the event index of a 100k-event document costs less than one `JSON.parse` of it. Values are then
 * read with `JSON.parse` of each event's slice. jsonc-parser is the reference it is tested against,
 * and what hovers use to locate a position inside a single event.
 */

const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const NEWLINE = 10;
const COLON = 58;
const COMMA = 44;

export class JsonScanError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'JsonScanError';
  }
}

/** Index just past the closing quote of the string that opens at `i`. */
export function stringEnd(text: string, i: number): number {
  let from = i + 1;
  for (;;) {
    const q = text.indexOf('"', from);
    if (q < 0) {
      throw new JsonScanError('unterminated string', i);
    }
    let backslashes = 0;
    for (let b = q - 1; text.charCodeAt(b) === BACKSLASH; b--) {
      backslashes++;
    }
    if ((backslashes & 1) === 0) {
      return q + 1;
    }
    from = q + 1;
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === NEWLINE || c === 13 || c === 9 || c === 0xfeff;
}

export function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) {
    i++;
  }
  return i;
}

/** Index just past the value (object, array, string or literal) that starts at `i`. */
export function valueEnd(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === QUOTE) {
    return stringEnd(text, i);
  }
  if (c !== OPEN_BRACE && c !== OPEN_BRACKET) {
    let j = i;
    while (j < text.length) {
      const d = text.charCodeAt(j);
      if (d === COMMA || d === CLOSE_BRACE || d === CLOSE_BRACKET || isSpace(d)) {
        break;
      }
      j++;
    }
    return j;
  }
  let depth = 0;
  let j = i;
  const n = text.length;
  while (j < n) {
    const d = text.charCodeAt(j);
    if (d === QUOTE) {
      j = stringEnd(text, j);
      continue;
    }
    if (d === OPEN_BRACE || d === OPEN_BRACKET) {
      depth++;
    } else if (d === CLOSE_BRACE || d === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) {
        return j + 1;
      }
    }
    j++;
  }
  throw new JsonScanError('unterminated object or array', i);
}

export interface ElementSpan {
  /** Offset of the element's first character. */
  start: number;
  /** Offset just past its last character. */
  end: number;
  /** Zero-based line of `start`. */
  line: number;
  /** Zero-based line of the last character. */
  endLine: number;
}

/**
 * Calls `onObject` for every object that is a direct element of the array opening at `arrayStart`
 * (non-object elements are skipped). Returns the offset just past the array.
 */
export function scanArrayObjects(text: string, arrayStart: number, startLine: number, onObject: (span: ElementSpan) => void): number {
  let depth = 0;
  let line = startLine;
  let start = -1;
  let elementLine = 0;
  const n = text.length;
  let i = arrayStart;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = stringEnd(text, i);
      continue;
    }
    if (c === NEWLINE) {
      line++;
    } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (depth === 1 && c === OPEN_BRACE) {
        start = i;
        elementLine = line;
      }
      depth++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (depth === 1 && c === CLOSE_BRACE && start >= 0) {
        onObject({ start, end: i + 1, line: elementLine, endLine: line });
        start = -1;
      } else if (depth === 0) {
        return i + 1;
      }
    }
    i++;
  }
  throw new JsonScanError('unterminated array', arrayStart);
}

/**
 * Calls `onObject` for every top-level object in a sequence of JSON values (NDJSON, or concatenated
 * objects). Returns the number of objects.
 */
export function scanObjectSequence(text: string, onObject: (span: ElementSpan) => void): number {
  let i = 0;
  let line = 0;
  let count = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === NEWLINE) {
      line++;
      i++;
      continue;
    }
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c !== OPEN_BRACE) {
      throw new JsonScanError('expected an object', i);
    }
    const end = valueEnd(text, i);
    let endLine = line;
    for (let k = text.indexOf('\n', i); k >= 0 && k < end; k = text.indexOf('\n', k + 1)) {
      endLine++;
    }
    onObject({ start: i, end, line, endLine });
    count++;
    line = endLine;
    i = end;
  }
  return count;
}

/** Where the events of a text are. */
export type EventContainer =
  | { kind: 'array'; arrayStart: number; line: number; key?: string }
  | { kind: 'sequence' }
  | { kind: 'none'; reason: string };

function countLines(text: string, from: number, to: number): number {
  let lines = 0;
  for (let k = text.indexOf('\n', from); k >= 0 && k < to; k = text.indexOf('\n', k + 1)) {
    lines++;
  }
  return lines;
}

/**
 * Finds the array of events: the text itself when it is an array, the value of the first of
 * `keys` in a top-level object (`Records` for log files, `Events` for LookupEvents output), or a
 * sequence of top-level objects (NDJSON, a single event).
 */
export function findEventContainer(text: string, keys: readonly string[] = ['Records', 'Events', 'QueryResultRows']): EventContainer {
  const first = skipSpace(text, 0);
  if (first >= text.length) {
    return { kind: 'none', reason: 'the text is empty' };
  }
  const c = text.charCodeAt(first);
  if (c === OPEN_BRACKET) {
    return { kind: 'array', arrayStart: first, line: countLines(text, 0, first) };
  }
  if (c !== OPEN_BRACE) {
    return { kind: 'none', reason: 'it does not start with { or [' };
  }
  // Walk the top-level object's keys looking for one of `keys` holding an array.
  let i = skipSpace(text, first + 1);
  while (i < text.length && text.charCodeAt(i) === QUOTE) {
    const keyEnd = stringEnd(text, i);
    const key = text.slice(i + 1, keyEnd - 1);
    i = skipSpace(text, keyEnd);
    if (text.charCodeAt(i) !== COLON) {
      break;
    }
    i = skipSpace(text, i + 1);
    if (keys.includes(key) && text.charCodeAt(i) === OPEN_BRACKET) {
      return { kind: 'array', arrayStart: i, line: countLines(text, 0, i), key };
    }
    i = skipSpace(text, valueEnd(text, i));
    if (text.charCodeAt(i) !== COMMA) {
      break;
    }
    i = skipSpace(text, i + 1);
  }
  return { kind: 'sequence' };
}
