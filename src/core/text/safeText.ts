// Text that comes from input (S3 keys and file names, record fields, digest contents, AWS answers)
// is hostile: an object named with ESC sequences can clear a terminal and print a fake summary, a
// bidi override can make a name read differently than it is, and Markdown syntax in a key can turn
// a report cell into a link or HTML. These functions make such text safe where it is shown; the
// values themselves (findings, records, --json) stay exact.

/**
 * What `escapeControl` replaces: C0 controls (TAB, LF and CR included), DEL, C1 controls, the bidi
 * controls (ALM, LRM, RLM, LRE/RLE/PDF/LRO/RLO, LRI/RLI/FSI/PDI) and lone surrogates (with the `u`
 * flag a surrogate class matches only a surrogate that is not half of a pair).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/u;
const UNSAFE_ALL = new RegExp(UNSAFE.source, 'gu');

/** The characters JSON.stringify leaves raw that a terminal must not receive: DEL, C1 and bidi controls. */
const JSON_RAW = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function hex(code: number, width: number): string {
  return code.toString(16).padStart(width, '0');
}

function visible(character: string): string {
  const code = character.codePointAt(0)!;
  if (code === 0x0a) return '\\n';
  if (code === 0x0d) return '\\r';
  if (code === 0x09) return '\\t';
  return code < 0x100 ? `\\x${hex(code, 2)}` : `\\u{${hex(code, 4)}}`;
}

/**
 * The text with every control, bidi control and lone surrogate shown as a visible escape: `\n`,
 * `\r`, `\t`, `\xHH` below U+0100 (ESC is `\x1b`, CSI `\x9b`), `\u{HHHH}` above (`\u{202e}`).
 * Returns the same string when nothing needs escaping.
 *
 * A literal backslash is not doubled, so `\x1b` typed into a key reads the same as an escaped ESC.
 * That is a choice: keys with backslashes (Windows paths, regexes) stay readable, and the text is
 * for a person to read, not to be parsed back; the exact value is in `--json` output and the
 * documents, where a raw ESC and the four characters `\x1b` differ.
 */
export function escapeControl(text: string): string {
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, visible) : text;
}

/**
 * JSON.stringify, with DEL, C1 and bidi controls (which JSON.stringify leaves raw) written as
 * `\uXXXX`. The result parses back to exactly the same value (JSON.stringify already escapes C0
 * controls and lone surrogates), but a terminal never receives those characters raw. They can only
 * occur inside JSON strings, where `\uXXXX` means the same character.
 */
export function safeJsonStringify(value: unknown, space?: string | number): string {
  const text = JSON.stringify(value, null, space) as string | undefined;
  if (text === undefined) throw new TypeError('safeJsonStringify: the value has no JSON form');
  return text.replace(JSON_RAW, (c) => `\\u${hex(c.charCodeAt(0), 4)}`);
}

/**
 * Markdown syntax escaped anywhere in the text: what can start a link or image (`[`, `]`, `!`),
 * autolinks and HTML (`<`, `>`), entities (`&`: `&#x202e;` would render as an RLO), emphasis and
 * strikethrough (`*`, `_`, `~`), code (backtick), table cells (`|`), attribute braces and the
 * backslash itself. `(`, `)`, `.`, `-`, `+`, `#` and `=` only mean something at the start of a line
 * (headings, lists) or right after `]` (which is escaped), so they are escaped only where the text
 * starts: escaping them everywhere would make every ARN and region read `us\-east\-1` in the report's
 * source.
 */
const MARKDOWN_INLINE = /[\\`*_{}[\]<>|~!&]/g;
const MARKDOWN_LINE_START = /^(\s*)([#+\-=]|\d+[.)])/;

/**
 * Text for a Markdown paragraph or table cell: controls escaped (`escapeControl`, which also keeps it
 * on one line), then Markdown syntax backslash-escaped, so that `[x](command:foo)` or
 * `<img src=x onerror=…>` renders as literal text.
 */
export function escapeMarkdownText(text: string): string {
  return escapeControl(text)
    .replace(MARKDOWN_INLINE, '\\$&')
    .replace(MARKDOWN_LINE_START, (_m, space: string, start: string) => `${space}${start.replace(/[#+\-=.)]$/, '\\$&')}`);
}

/**
 * An inline code span that the text cannot break out of: controls escaped, a fence of backticks
 * longer than the longest run inside, spaces inside the fence when the text starts or ends with a
 * backtick (or with spaces on both sides, which Markdown would strip). `|` is escaped as `\|`, which
 * a table cell needs even inside code; pass `table: false` for a code span outside a table, where
 * `\|` would show its backslash.
 */
export function markdownCode(text: string, options: { table?: boolean } = {}): string {
  let inner = escapeControl(text);
  if (inner === '') return '';
  if (options.table ?? true) inner = inner.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(inner.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = inner.startsWith('`') || inner.endsWith('`') || (inner.startsWith(' ') && inner.endsWith(' ') && inner.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${inner}${pad}${fence}`;
}
