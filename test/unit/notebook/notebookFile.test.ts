// The `.ctnb` query notebook file: what a saved notebook reopens as, what is kept of outputs, and
// how a crafted or broken file is refused (a NotebookFileError naming the file, never a TypeError)
// or cleaned, without touching Object.prototype.
import * as assert from 'node:assert/strict';
import { MAX_NOTEBOOK_BYTES, MAX_SAVED_ROWS, NOTEBOOK_FORMAT, NOTEBOOK_VERSION, NotebookFileError, parseNotebook, serializeNotebook, type NotebookFile } from '../../../src/core/notebook/notebookFile';
import type { TabularResult } from '../../../src/core/remote/queryResult';

const NAME = 'triage.ctnb';

function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function fileOf(data: unknown): Uint8Array {
  return bytes(JSON.stringify(data));
}

function notebookOf(cells: unknown, extra: Record<string, unknown> = {}): Uint8Array {
  return fileOf({ format: NOTEBOOK_FORMAT, version: NOTEBOOK_VERSION, ...extra, cells });
}

/** Parses and expects a NotebookFileError whose message names the file and matches `reason`. */
function refuses(input: Uint8Array, reason: RegExp, name = NAME): void {
  assert.throws(
    () => parseNotebook(input, name),
    (error: unknown) => {
      assert.ok(error instanceof NotebookFileError, `expected a NotebookFileError, got ${String(error)}`);
      assert.equal(error.name, 'NotebookFileError');
      assert.ok(error.message.includes(name), `the message names the file: ${error.message}`);
      assert.match(error.message, reason);
      return true;
    },
  );
}

function result(rowCount: number, extra: Partial<TabularResult> = {}): TabularResult {
  return {
    columns: [{ name: 'eventname', type: 'varchar' }, { name: 'n', type: 'bigint' }],
    rows: Array.from({ length: rowCount }, (_, i) => [`Event${i}`, i]),
    truncated: false,
    ...extra,
  };
}

const NOTEBOOK: NotebookFile = {
  investigation: '../cases/incident-42.ctinv',
  cells: [
    { kind: 'markdown', source: '# Who used the leaked key?\n\nAccess key `AKIA…` from *203.0.113.7*.' },
    { kind: 'sql', source: "SELECT eventname, count(*) AS n FROM events WHERE sourceipaddress = '203.0.113.7' GROUP BY 1", target: 'local' },
    { kind: 'sql', source: "SELECT * FROM cloudtrail_logs WHERE \"timestamp\" >= '2023/07/14'", target: 'athena' },
    {
      kind: 'sql',
      source: 'fields @timestamp, eventName | filter sourceIPAddress = "203.0.113.7"',
      target: 'logs',
      logs: { logGroupNames: ['aws-cloudtrail-logs-111122223333', 'org/trail'], range: { start: '2023-07-14T00:00:00.000Z', end: '2023-07-15T00:00:00.000Z' }, region: 'eu-west-1' },
    },
    { kind: 'sql', source: 'stats count(*) by eventSource', target: 'logs', logs: { logGroupNames: ['trail'], range: { last: '7d' } } },
  ],
};

describe('Query notebook files', () => {
  describe('saving and reopening', () => {
    it('reopens markdown and SQL cells with their engine, Logs Insights settings and investigation as saved', () => {
      const saved = serializeNotebook(NOTEBOOK, false);
      const reopened = parseNotebook(saved, NAME);
      assert.deepEqual(reopened, NOTEBOOK);
      const data = JSON.parse(new TextDecoder().decode(saved)) as Record<string, unknown>;
      assert.equal(data.format, NOTEBOOK_FORMAT);
      assert.equal(data.version, NOTEBOOK_VERSION);
    });

    it('reopens a notebook without an investigation, and an empty file as an empty notebook', () => {
      const plain: NotebookFile = { cells: [{ kind: 'sql', source: 'SELECT 1', target: 'local' }] };
      assert.deepEqual(parseNotebook(serializeNotebook(plain, true), NAME), plain);
      assert.deepEqual(parseNotebook(new Uint8Array(0), NAME), { cells: [] });
    });

    it('writes a SQL cell without a target as a local cell', () => {
      const reopened = parseNotebook(serializeNotebook({ cells: [{ kind: 'sql', source: 'SELECT 1' }] }, false), NAME);
      assert.deepEqual(reopened.cells, [{ kind: 'sql', source: 'SELECT 1', target: 'local' }]);
    });

    it('leaves the outputs out when outputs are not kept', () => {
      const withOutputs: NotebookFile = {
        cells: [
          { kind: 'sql', source: 'SELECT 1', target: 'local', output: { result: result(3), ranAt: '2023-07-14T10:00:00.000Z' } },
          { kind: 'sql', source: 'SELECT x', target: 'athena', output: { error: 'COLUMN_NOT_FOUND: x', ranAt: '2023-07-14T10:01:00.000Z' } },
        ],
      };
      const saved = serializeNotebook(withOutputs, false);
      assert.doesNotMatch(new TextDecoder().decode(saved), /output|Event0|COLUMN_NOT_FOUND/);
      assert.deepEqual(parseNotebook(saved, NAME).cells, [
        { kind: 'sql', source: 'SELECT 1', target: 'local' },
        { kind: 'sql', source: 'SELECT x', target: 'athena' },
      ]);
    });

    it('keeps results, errors, run times and query statistics when outputs are kept', () => {
      const stats = {
        engine: 'athena' as const,
        queryId: 'a1b2c3d4-0000-1111-2222-333344445555',
        bytesScanned: 10_485_760,
        cost: '10 MB scanned, about $0.00005',
        elapsedMs: 4200,
        keptIn: { table: 'athena_a1b2c3d40000', rows: 25_000, investigation: 'incident.ctinv' },
      };
      const withOutputs: NotebookFile = {
        cells: [
          { kind: 'sql', source: 'SELECT 1', target: 'athena', output: { result: result(3, { stats }), ranAt: '2023-07-14T10:00:00.000Z' } },
          { kind: 'sql', source: 'SELECT x', target: 'local', output: { error: 'Binder Error: column x not found', ranAt: '2023-07-14T10:01:00.000Z' } },
        ],
      };
      assert.deepEqual(parseNotebook(serializeNotebook(withOutputs, true), NAME), withOutputs);
    });

    it(`keeps at most ${MAX_SAVED_ROWS.toLocaleString('en-US')} rows of an output and marks it cut`, () => {
      const big: NotebookFile = { cells: [{ kind: 'sql', source: 'SELECT *', target: 'local', output: { result: result(MAX_SAVED_ROWS + 25) } }] };
      const reopened = parseNotebook(serializeNotebook(big, true), NAME);
      const kept = reopened.cells[0].output?.result;
      assert.ok(kept);
      assert.equal(kept.rows.length, MAX_SAVED_ROWS);
      assert.equal(kept.truncated, true);
      assert.deepEqual(kept.rows[MAX_SAVED_ROWS - 1], [`Event${MAX_SAVED_ROWS - 1}`, MAX_SAVED_ROWS - 1]);
      // Saving does not cut the notebook that is open.
      assert.equal(big.cells[0].output?.result?.rows.length, MAX_SAVED_ROWS + 25);
    });

    it('keeps an output of exactly the row cap whole, not marked cut', () => {
      const exact: NotebookFile = { cells: [{ kind: 'sql', source: 'SELECT *', target: 'local', output: { result: result(MAX_SAVED_ROWS) } }] };
      const kept = parseNotebook(serializeNotebook(exact, true), NAME).cells[0].output?.result;
      assert.equal(kept?.rows.length, MAX_SAVED_ROWS);
      assert.equal(kept?.truncated, false);
    });

    it('caps the rows of a file written by hand with more rows than are kept', () => {
      const rows = Array.from({ length: MAX_SAVED_ROWS + 1 }, (_, i) => [i]);
      const parsed = parseNotebook(notebookOf([{ kind: 'sql', source: 'SELECT', output: { result: { columns: [{ name: 'n' }], rows, truncated: false } } }]), NAME);
      assert.equal(parsed.cells[0].output?.result?.rows.length, MAX_SAVED_ROWS);
      assert.equal(parsed.cells[0].output?.result?.truncated, true);
    });
  });

  describe('a file that is not a notebook', () => {
    it('refuses text that is not JSON, saying the file is not a query notebook', () => {
      refuses(bytes('SELECT * FROM events;'), /is not a CloudTrail Lens query notebook: .*Open it as text/);
      refuses(bytes('{"format": "cloudtrail-lens-notebook", "version": 1, "cells": ['), /is not a CloudTrail Lens query notebook/);
    });

    it('refuses bytes that are not UTF-8', () => {
      refuses(new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), /is not a CloudTrail Lens query notebook/);
    });

    it('refuses JSON of another format, or not an object, naming the format it expects', () => {
      refuses(fileOf({ cells: [] }), /no "format": "cloudtrail-lens-notebook"/);
      refuses(fileOf({ format: 'jupyter', version: 1, cells: [] }), /no "format": "cloudtrail-lens-notebook"/);
      refuses(fileOf([{ format: NOTEBOOK_FORMAT }]), /no "format"/);
      refuses(bytes('null'), /no "format"/);
      refuses(bytes('"cloudtrail-lens-notebook"'), /no "format"/);
    });

    it('refuses a notebook from a newer version, asking to update the extension', () => {
      refuses(fileOf({ format: NOTEBOOK_FORMAT, version: NOTEBOOK_VERSION + 1, cells: [] }), /newer CloudTrail Lens \(version 2\); update the extension/);
    });

    it('refuses a notebook without a whole-number version as not one CloudTrail Lens wrote', () => {
      refuses(fileOf({ format: NOTEBOOK_FORMAT, cells: [] }), /has no valid "version" \(undefined\)/);
      refuses(fileOf({ format: NOTEBOOK_FORMAT, version: '1', cells: [] }), /has no valid "version" \("1"\); it is not a query notebook CloudTrail Lens wrote/);
      refuses(fileOf({ format: NOTEBOOK_FORMAT, version: 0.5, cells: [] }), /has no valid "version"/);
      // A crafted version cannot make the message itself fail.
      const deep = '['.repeat(5000) + ']'.repeat(5000);
      refuses(new TextEncoder().encode(`{"format":"${NOTEBOOK_FORMAT}","version":${deep},"cells":[]}`), /has no valid "version" \(object\)/);
    });

    it('opens a saved result nested too deep as an error in its cell, and the notebook saves again', () => {
      const deep = '['.repeat(5000) + ']'.repeat(5000);
      const text = `{"format":"${NOTEBOOK_FORMAT}","version":1,"cells":[{"kind":"sql","source":"SELECT 1","output":{"result":{"columns":[{"name":"x"}],"rows":[[${deep}]],"truncated":false}}}]}`;
      const parsed = parseNotebook(new TextEncoder().encode(text), 'deep.ctnb');
      assert.equal(parsed.cells[0].output?.result, undefined);
      assert.match(parsed.cells[0].output?.error ?? '', /nested deeper than 32 levels\. Run the cell again\./);
      const again = parseNotebook(serializeNotebook(parsed, true), 'deep.ctnb');
      assert.equal(again.cells[0].source, 'SELECT 1');
    });

    it('refuses a notebook whose cells are not a list', () => {
      refuses(fileOf({ format: NOTEBOOK_FORMAT, version: 1 }), /has no list of cells/);
      refuses(fileOf({ format: NOTEBOOK_FORMAT, version: 1, cells: { 0: { kind: 'sql', source: 'x' } } }), /has no list of cells/);
      refuses(fileOf({ format: NOTEBOOK_FORMAT, version: 1, cells: 'SELECT 1' }), /has no list of cells/);
    });

    it('refuses a file over the size limit before reading it', () => {
      const huge = new Uint8Array(MAX_NOTEBOOK_BYTES + 1).fill(0x20);
      refuses(huge, /is 64 MB; query notebooks over 64 MB are not opened\. Save it without outputs\./, 'big.ctnb');
    });

    it('refuses a notebook with more cells than are opened', () => {
      const cells = Array.from({ length: 5_001 }, () => ({ kind: 'markdown', source: 'x' }));
      refuses(notebookOf(cells), /has 5001 cells; at most 5000 are opened/);
      assert.equal(parseNotebook(notebookOf(cells.slice(0, 5_000)), NAME).cells.length, 5_000);
    });

    it('refuses raw control characters inside a string, as JSON does', () => {
      const text = `{"format":"${NOTEBOOK_FORMAT}","version":1,"cells":[{"kind":"sql","source":"SELECT '\u001b[2J'"}]}`;
      refuses(bytes(text), /is not a CloudTrail Lens query notebook/);
    });
  });

  describe('a crafted notebook', () => {
    const cellFields = new Set(['kind', 'source', 'target', 'logs', 'output']);

    /** Every cell is one of the two kinds, with text as its source and no field the file invented. */
    function assertClean(file: NotebookFile): void {
      for (const cell of file.cells) {
        assert.ok(cell.kind === 'sql' || cell.kind === 'markdown', `kind ${String(cell.kind)}`);
        assert.equal(typeof cell.source, 'string');
        for (const key of Object.keys(cell)) assert.ok(cellFields.has(key), `unexpected field ${key}`);
        if (cell.kind === 'sql') assert.ok(cell.target === 'local' || cell.target === 'athena' || cell.target === 'logs', `target ${String(cell.target)}`);
        else assert.deepEqual(Object.keys(cell).sort(), ['kind', 'source']);
      }
    }

    it('opens cells of an unknown kind, engine or source type only as plain SQL or markdown text', () => {
      const parsed = parseNotebook(
        notebookOf([
          { kind: 'python', source: 'import os; os.system("id")', run: true },
          { kind: 'sql', source: { toString: 'SELECT 1' }, target: 'shell' },
          { kind: 'markdown', source: 42, target: 'athena', logs: { logGroupNames: ['x'] } },
          { kind: 'sql', source: ['SELECT', '1'] },
          null,
          'SELECT 2',
          7,
          ['sql', 'SELECT 3'],
        ]),
        NAME,
      );
      assertClean(parsed);
      assert.equal(parsed.cells.length, 4, 'entries that are not objects are not cells');
      assert.deepEqual(
        parsed.cells.map((c) => c.source),
        ['import os; os.system("id")', '', '', ''],
      );
      assert.equal(parsed.cells[1].target, 'local', 'an unknown engine runs nowhere remote');
      assert.deepEqual(parsed.cells[2], { kind: 'markdown', source: '' });
    });

    it('drops Logs Insights settings that are not log group names, a known range or a region', () => {
      const parsed = parseNotebook(
        notebookOf([
          {
            kind: 'sql',
            source: 'fields @message',
            target: 'logs',
            logs: { logGroupNames: ['good', '', 5, 'x'.repeat(513), { name: 'y' }], range: { last: '1y' }, region: 'us-east-1; rm -rf /' },
          },
          { kind: 'sql', source: 'fields @message', target: 'logs', logs: { logGroupNames: 'all', range: { start: 'yesterday', end: 'now' } } },
          { kind: 'sql', source: 'fields @message', target: 'logs', logs: { logGroupNames: Array.from({ length: 80 }, (_, i) => `g${i}`), range: { last: '1h' }, region: 'ap-southeast-2' } },
        ]),
        NAME,
      );
      assertClean(parsed);
      assert.deepEqual(parsed.cells[0].logs, { logGroupNames: ['good'], range: { last: '24h' } });
      assert.deepEqual(parsed.cells[1].logs, { logGroupNames: [], range: { last: '24h' } });
      assert.equal(parsed.cells[2].logs?.logGroupNames.length, 50);
      assert.deepEqual(parsed.cells[2].logs?.range, { last: '1h' });
      assert.equal(parsed.cells[2].logs?.region, 'ap-southeast-2');
    });

    it('drops a saved output that is not a result, and statistics of no known engine', () => {
      const parsed = parseNotebook(
        notebookOf([
          { kind: 'sql', source: 'a', output: { result: { columns: 'eventname', rows: [] } } },
          { kind: 'sql', source: 'b', output: { result: { columns: [{ name: 'a' }, 'b'], rows: [['x', 'y']] } } },
          { kind: 'sql', source: 'c', output: { result: { columns: [{ name: 'a', type: 7 }], rows: [['x'], 'not a row', null], stats: { engine: 'mysql', bytesScanned: 1 } } } },
          { kind: 'sql', source: 'd', output: { result: { columns: [{ name: 'a' }], rows: [], stats: { engine: 'athena', bytesScanned: -1, elapsedMs: 'fast', queryId: 5, cost: 'free', keptIn: { table: 't', rows: 1.5, investigation: 'x' }, notKept: 7 } } } },
          { kind: 'sql', source: 'e', output: { ranAt: '2023-07-14T10:00:00Z' } },
          { kind: 'sql', source: 'f', output: 'SELECT succeeded' },
        ]),
        NAME,
      );
      assertClean(parsed);
      assert.equal(parsed.cells[0].output, undefined);
      assert.equal(parsed.cells[1].output, undefined);
      assert.deepEqual(parsed.cells[2].output, { result: { columns: [{ name: 'a' }], rows: [['x']], truncated: true } });
      assert.deepEqual(parsed.cells[3].output, { result: { columns: [{ name: 'a' }], rows: [], truncated: false, stats: { engine: 'athena', cost: 'free' } } });
      assert.equal(parsed.cells[4].output, undefined, 'a run time alone is no output');
      assert.equal(parsed.cells[5].output, undefined);
    });

    it('empties a source larger than a cell holds, and drops an over-long investigation path', () => {
      const parsed = parseNotebook(notebookOf([{ kind: 'sql', source: `SELECT '${'x'.repeat(1_000_001)}'` }], { investigation: `${'a/'.repeat(2_100)}case.ctinv` }), NAME);
      assert.equal(parsed.cells[0].source, '');
      assert.equal(parsed.investigation, undefined);
    });

    it('keeps the exact text of a source with escaped control characters', () => {
      const source = "SELECT '\u001b[31mred\u001b[0m', '\r\n\t', '\u202e'";
      const parsed = parseNotebook(notebookOf([{ kind: 'sql', source }]), NAME);
      assert.equal(parsed.cells[0].source, source);
      assert.equal(parseNotebook(serializeNotebook(parsed, false), NAME).cells[0].source, source);
    });

    it('reads "__proto__" keys as plain data and never changes Object.prototype', () => {
      const text = `{"format":"${NOTEBOOK_FORMAT}","version":1,"__proto__":{"polluted":"top","investigation":"/etc"},
        "cells":[{"__proto__":{"polluted":"cell","kind":"markdown"},"kind":"sql","source":"SELECT 1",
          "logs":{"__proto__":{"polluted":"logs"},"logGroupNames":["g"],"range":{"__proto__":{"last":"1h"}}},
          "output":{"__proto__":{"polluted":"output"},"result":{"__proto__":{"polluted":"result"},"columns":[{"name":"a","__proto__":{"polluted":"column"}}],
            "rows":[[{"__proto__":{"polluted":"value"}}]],"truncated":false,"stats":{"engine":"local","__proto__":{"elapsedMs":5}}}}}]}`;
      const parsed = parseNotebook(bytes(text), NAME);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
      assertClean(parsed);
      assert.equal(parsed.investigation, undefined);
      assert.equal(parsed.cells[0].kind, 'sql');
      assert.deepEqual(parsed.cells[0].logs, { logGroupNames: ['g'], range: { last: '24h' } });
      const kept = parsed.cells[0].output?.result;
      assert.deepEqual(kept?.columns, [{ name: 'a' }]);
      assert.deepEqual(kept?.stats, { engine: 'local' });
      // A value is kept as data: its "__proto__" is an own key, not its prototype.
      const value = kept?.rows[0][0] as Record<string, unknown>;
      assert.equal(Object.getPrototypeOf(value), Object.prototype);
      assert.deepEqual(Object.keys(value), ['__proto__']);
      // Saved again, it is still data, and still changes nothing.
      const again = parseNotebook(serializeNotebook(parsed, true), NAME);
      assert.deepEqual(Object.keys(again.cells[0].output?.result?.rows[0][0] as object), ['__proto__']);
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    });

    it('does not find cells hidden behind a "__proto__" key', () => {
      refuses(bytes(`{"format":"${NOTEBOOK_FORMAT}","version":1,"__proto__":{"cells":[{"kind":"markdown","source":"x"}]}}`), /has no list of cells/);
    });

    it('reads a result value nested far deeper than any query returns without crashing on it', () => {
      const depth = 10_000;
      const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
      const text = `{"format":"${NOTEBOOK_FORMAT}","version":1,"cells":[{"kind":"sql","source":"SELECT 1","output":{"result":{"columns":[{"name":"a"}],"rows":[[${deep}]]}}}]}`;
      let parsed: NotebookFile;
      try {
        parsed = parseNotebook(bytes(text), NAME);
      } catch (error) {
        // Refusing it is as good as opening it, if it is said as a notebook error naming the file.
        assert.ok(error instanceof NotebookFileError, `expected a NotebookFileError, got ${String(error)}`);
        assert.ok(error.message.includes(NAME));
        return;
      }
      assertClean(parsed);
      assert.equal(parsed.cells.length, 1);
      assert.equal(parsed.cells[0].source, 'SELECT 1');
    });
  });
});
