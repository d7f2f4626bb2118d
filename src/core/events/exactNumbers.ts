/**
 * JSON.parse turns integers above 2^53 into the nearest double, so a request parameter such as
 * 12345678901234567891 would be shown (and exported) as 12345678901234567000. Events keep their
 * values as they are: before parsing, such literals are wrapped in a marker string, and the
 * formatter writes them back verbatim.
 */
import { randomBytes } from 'node:crypto';

const NONCE = randomBytes(6).toString('hex');
/** The marker as it stands in JSON text: a string starting with an escaped NUL nobody writes. */
const MARKER = `\\u0000ctl-num-${NONCE}:`;
/** A number literal with 16 or more digits, outside strings (strings are matched and kept). */
const TOKENS = /"(?:[^"\\]|\\.)*"|(-?\d{16,}(?:\.\d+)?(?:[eE][+-]?\d+)?|-?\d+\.\d{16,}(?:[eE][+-]?\d+)?)/g;
const QUICK = /\d{16}/;
const WRAPPED = new RegExp(`"${MARKER.replace(/\\/g, '\\\\')}(-?[0-9.eE+-]+)"`, 'g');

/** Wraps long number literals in marker strings, or returns the text unchanged when it has none. */
export function protectLongNumbers(text: string): string {
  if (!QUICK.test(text)) {
    return text;
  }
  return text.replace(TOKENS, (token: string, number: string | undefined) => (number === undefined ? token : `"${MARKER}${number}"`));
}

/** Restores the literals that protectLongNumbers wrapped, in JSON text written by JSON.stringify. */
export function restoreLongNumbers(json: string): string {
  return json.includes(MARKER) ? json.replace(WRAPPED, '$1') : json;
}

