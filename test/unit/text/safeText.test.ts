import * as assert from 'node:assert/strict';
import { escapeControl, escapeMarkdownText, markdownCode, safeJsonStringify } from '../../../src/core/text/safeText';

/** Every character escapeControl must replace, one per class boundary. */
const C0 = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i));
const C1 = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(0x80 + i));
const BIDI = [0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069].map((c) => String.fromCharCode(c));
const LONE_SURROGATES = ['\ud800', '\udbff', '\udc00', '\udfff'];
const UNSAFE = [...C0, '\x7f', ...C1, ...BIDI, ...LONE_SURROGATES];

/** Any character a terminal or renderer must not receive raw (what the CLI tests look for too). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]/u;

describe('safe text: escapeControl', () => {
  it('writes LF, CR and TAB as \\n, \\r, \\t', () => {
    assert.equal(escapeControl('a\nb\rc\td'), 'a\\nb\\rc\\td');
  });

  it('writes the other C0 controls, DEL and C1 controls as \\xHH', () => {
    assert.equal(escapeControl('\x1b[2J\x1b[H24/24 digest files valid'), '\\x1b[2J\\x1b[H24/24 digest files valid');
    assert.equal(escapeControl('\x00\x07\x08\x1f\x7f'), '\\x00\\x07\\x08\\x1f\\x7f');
    assert.equal(escapeControl('\u0080\u009b2J\u009f'), '\\x80\\x9b2J\\x9f');
  });

  it('writes bidi controls and lone surrogates as \\u{HHHH}', () => {
    assert.equal(escapeControl('invoice\u202egpj.exe'), 'invoice\\u{202e}gpj.exe');
    assert.equal(escapeControl(BIDI.join('')), '\\u{061c}\\u{200e}\\u{200f}\\u{202a}\\u{202b}\\u{202c}\\u{202d}\\u{202e}\\u{2066}\\u{2067}\\u{2068}\\u{2069}');
    assert.equal(escapeControl('a\ud800b\udc00'), 'a\\u{d800}b\\u{dc00}');
  });

  it('leaves no character of any class raw', () => {
    for (const c of UNSAFE) {
      const escaped = escapeControl(`x${c}y`);
      assert.doesNotMatch(escaped, RAW, `U+${c.charCodeAt(0).toString(16)}`);
      assert.match(escaped, /^x\\(?:[nrt]|x[0-9a-f]{2}|u\{[0-9a-f]{4}\})y$/, `U+${c.charCodeAt(0).toString(16)}`);
    }
  });

  it('keeps printable text as it is: surrogate pairs, other Unicode, backslashes', () => {
    for (const text of ['', 'plain', 'emoji 😀 and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢', 'café · naïve – “quoted”', 'C:\\logs\\a.json', 'already \\x1b escaped', '\u00a0\u00ff\u2028']) {
      assert.equal(escapeControl(text), text);
    }
  });

  it('returns the very same string when nothing needs escaping (fast path)', () => {
    const text = 'AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/01/file.json.gz'.repeat(100);
    assert.ok(Object.is(escapeControl(text), text));
  });
});

describe('safe text: safeJsonStringify', () => {
  const hostile = {
    key: `AWSLogs/\x1b[2J\x1b[H24/24 digest files valid\u009b31m\x07\x7f\u202eevil\u2066\u061c`,
    every: UNSAFE.join(''),
    nested: [{ userName: 'a\u200eb\u200fc', n: 1, ok: true, none: null }],
    plain: 'unchanged ☃',
  };

  it('parses back to exactly the same value', () => {
    assert.deepEqual(JSON.parse(safeJsonStringify(hostile)), hostile);
    assert.deepEqual(JSON.parse(safeJsonStringify(hostile, 2)), hostile);
    for (const c of UNSAFE) assert.equal(JSON.parse(safeJsonStringify(c)), c);
  });

  it('contains none of those characters raw', () => {
    assert.doesNotMatch(safeJsonStringify(hostile), RAW);
    assert.doesNotMatch(safeJsonStringify(hostile, 2).replace(/\n/g, ''), RAW);
    assert.equal(safeJsonStringify('\u202e\u009b\x7f'), '"\\u202e\\u009b\\u007f"');
  });

  it('is JSON.stringify for everything else', () => {
    const value = { a: [1, 'two', { three: 3 }], b: 'é 😀', c: '\n\t"\\' };
    assert.equal(safeJsonStringify(value), JSON.stringify(value));
    assert.equal(safeJsonStringify(value, 2), JSON.stringify(value, null, 2));
    assert.throws(() => safeJsonStringify(undefined), TypeError);
  });
});

describe('safe text: Markdown', () => {
  it('escapeMarkdownText turns links, images, HTML, entities, emphasis, code and cells into literal text', () => {
    assert.equal(escapeMarkdownText('[x](command:workbench.action.terminal.new)'), '\\[x\\](command:workbench.action.terminal.new)');
    assert.equal(escapeMarkdownText('![i](https://evil.example/p.png)'), '\\!\\[i\\](https://evil.example/p.png)');
    assert.equal(escapeMarkdownText('<img src=x onerror=alert(1)>'), '\\<img src=x onerror=alert(1)\\>');
    assert.equal(escapeMarkdownText('<command:foo>'), '\\<command:foo\\>');
    assert.equal(escapeMarkdownText('&#x202e;&lt;'), '\\&#x202e;\\&lt;');
    assert.equal(escapeMarkdownText('*bold* _it_ ~~gone~~ `code`'), '\\*bold\\* \\_it\\_ \\~\\~gone\\~\\~ \\`code\\`');
    assert.equal(escapeMarkdownText('a | b'), 'a \\| b');
    assert.equal(escapeMarkdownText('C:\\logs'), 'C:\\\\logs');
    assert.equal(escapeMarkdownText('{attr}'), '\\{attr\\}');
  });

  it('escapeMarkdownText escapes block syntax where the text starts, and keeps ARNs and regions readable', () => {
    assert.equal(escapeMarkdownText('# heading'), '\\# heading');
    assert.equal(escapeMarkdownText('- item'), '\\- item');
    assert.equal(escapeMarkdownText('+ item'), '\\+ item');
    assert.equal(escapeMarkdownText('1. item'), '1\\. item');
    assert.equal(escapeMarkdownText('12) item'), '12\\) item');
    assert.equal(escapeMarkdownText('arn:aws:cloudtrail:us-east-1:111122223333:trail/main (eu-west-1).'), 'arn:aws:cloudtrail:us-east-1:111122223333:trail/main (eu-west-1).');
    assert.equal(escapeMarkdownText('2026-11-01T00:00:00Z to 2026-11-01T02:00:00Z'), '2026-11-01T00:00:00Z to 2026-11-01T02:00:00Z');
  });

  it('escapeMarkdownText escapes controls first and stays on one line', () => {
    const out = escapeMarkdownText('a\nb\r\n## fake\x1b[2J\u202e');
    assert.equal(out, 'a\\\\nb\\\\r\\\\n## fake\\\\x1b\\[2J\\\\u\\{202e\\}');
    assert.doesNotMatch(out, RAW);
  });

  it('markdownCode wraps in a fence longer than any backtick run inside', () => {
    assert.equal(markdownCode('plain/key.json.gz'), '`plain/key.json.gz`');
    assert.equal(markdownCode('a`b'), '``a`b``');
    assert.equal(markdownCode('a``b```c'), '````a``b```c````');
    assert.equal(markdownCode('`start'), '`` `start ``');
    assert.equal(markdownCode('end`'), '`` end` ``');
    assert.equal(markdownCode(' both '), '`  both  `');
    assert.equal(markdownCode('   '), '`   `');
    assert.equal(markdownCode(''), '');
  });

  it('markdownCode cannot be broken out of: backticks, pipes, controls and line breaks stay inside', () => {
    const key = 'x` [y](command:z) <b>hi</b> `` | \x1b[2J\n# h\u202e';
    const span = markdownCode(key);
    assert.equal(span, '```x` [y](command:z) <b>hi</b> `` \\| \\x1b[2J\\n# h\\u{202e}```');
    assert.doesNotMatch(span, RAW);
    // The fence is the only run of its length: nothing inside closes the span early.
    const fence = /^`+/.exec(span)![0];
    assert.equal(span.split(fence).length, 3);
    assert.equal(markdownCode('a|b', { table: false }), '`a|b`');
  });
});
