// Athena's result file read as a stream: the values a cell shows (quotes, commas, newlines, NULL
// against ''), chunks cut anywhere, the row cap that stops reading, and broken files refused with
// the file's name.
import * as assert from 'node:assert/strict';
import { CsvError, readCsv } from '../../../src/core/remote/athenaCsv';
import { athenaCsv, type FrontAnswer } from '../../fixtures/athenaFront';

const FILE = 's3://athena-results/q/1b2c3d4e.csv';

async function* chunksOf(...parts: (string | Uint8Array)[]): AsyncGenerator<string | Uint8Array> {
  for (const part of parts) yield part;
}

/** The text as chunks of one byte each, so every quote, line end and UTF-8 sequence is cut. */
async function* oneByteAtATime(text: string): AsyncGenerator<Uint8Array> {
  for (const byte of new TextEncoder().encode(text)) yield Uint8Array.of(byte);
}

async function refuses(text: string, reason: RegExp): Promise<void> {
  await assert.rejects(readCsv(chunksOf(text), 100, FILE), (error: unknown) => {
    assert.ok(error instanceof CsvError, `expected a CsvError, got ${String(error)}`);
    assert.ok(error.message.includes(FILE), `the message names the file: ${error.message}`);
    assert.match(error.message, reason);
    return true;
  });
}

describe("Athena's result file", () => {
  it('reads the header and the rows as text', async () => {
    const table = await readCsv(chunksOf('"eventtime","eventname","n"\n"2023-07-14T10:00:00Z","ConsoleLogin","3"\n"2023-07-14T11:00:00Z","GetObject","12"\n'), 100, FILE);
    assert.deepEqual(table, {
      header: ['eventtime', 'eventname', 'n'],
      rows: [
        ['2023-07-14T10:00:00Z', 'ConsoleLogin', '3'],
        ['2023-07-14T11:00:00Z', 'GetObject', '12'],
      ],
      truncated: false,
    });
  });

  it('reads quoted values with doubled quotes, commas and line breaks inside', async () => {
    const csv = '"requestparameters","useragent"\n"{""bucketName"":""logs"",""key"":""a,b""}","aws-cli/2.13\nline two\r\nline three"\n';
    const table = await readCsv(chunksOf(csv), 100, FILE);
    assert.deepEqual(table.rows, [['{"bucketName":"logs","key":"a,b"}', 'aws-cli/2.13\nline two\r\nline three']]);
  });

  it('reads an unquoted empty value as NULL and a quoted empty value as empty text', async () => {
    const table = await readCsv(chunksOf('"a","b","c"\n,"",\n"","x",""\n'), 100, FILE);
    assert.deepEqual(table.rows, [
      [null, '', null],
      ['', 'x', ''],
    ]);
  });

  it('reads CRLF line ends, and a last row without a line end', async () => {
    const table = await readCsv(chunksOf('"a","b"\r\n"1","2"\r\n"3",\r\n"5","6"'), 100, FILE);
    assert.deepEqual(table.header, ['a', 'b']);
    assert.deepEqual(table.rows, [
      ['1', '2'],
      ['3', null],
      ['5', '6'],
    ]);
  });

  it('reads the same values when every chunk is one byte, cutting quotes, doubled quotes and UTF-8 characters', async () => {
    const csv = '"name","note"\r\n"Zoë ☃ 🔑","she said ""ключ"", twice\n"""\r\n"東京",\n';
    const whole = await readCsv(chunksOf(csv), 100, FILE);
    assert.deepEqual(whole.rows, [
      ['Zoë ☃ 🔑', 'she said "ключ", twice\n"'],
      ['東京', null],
    ]);
    const bytewise = await readCsv(oneByteAtATime(csv), 100, FILE);
    assert.deepEqual(bytewise, whole);
  });

  it('reads text chunks cut inside a quote and between the two quotes of a doubled quote', async () => {
    const table = await readCsv(chunksOf('"a","b"\n"x,', 'y"', ',"say "', '"hi"', '""', '\n'), 100, FILE);
    assert.deepEqual(table.rows, [['x,y', 'say "hi"']]);
  });

  it('reads an empty file as no columns and no rows', async () => {
    assert.deepEqual(await readCsv(chunksOf(), 100, FILE), { header: [], rows: [], truncated: false });
    assert.deepEqual(await readCsv(chunksOf('"only","header"\n'), 100, FILE), { header: ['only', 'header'], rows: [], truncated: false });
  });

  it('reads an empty line of a one-column result as a NULL row, as Athena writes it', async () => {
    const csv = athenaCsv({ columns: [{ name: 'x', type: 'varchar' }], rows: [['a'], [null], ['b']] });
    assert.equal(csv, '"x"\n"a"\n\n"b"\n');
    const table = await readCsv(chunksOf(csv), 100, FILE);
    assert.deepEqual(table.rows, [['a'], [null], ['b']]);
  });

  describe('the row cap', () => {
    it('keeps the first rows, says more existed, and stops reading the file', async () => {
      let pulled = 0;
      async function* lines(): AsyncGenerator<string> {
        yield '"n"\n';
        for (let i = 1; ; i++) {
          pulled = i;
          // The cap is 3: the 4th row shows that more exist; nothing past it may be read.
          if (i > 4) throw new Error(`read row ${i}, past what the cap needs`);
          yield `"${i}"\n`;
        }
      }
      const table = await readCsv(lines(), 3, FILE);
      assert.deepEqual(table, { header: ['n'], rows: [['1'], ['2'], ['3']], truncated: true });
      assert.equal(pulled, 4);
    });

    it('stops inside a chunk that holds many rows', async () => {
      let pulls = 0;
      async function* one(): AsyncGenerator<string> {
        pulls++;
        yield `"n"\n${Array.from({ length: 1000 }, (_, i) => `"${i}"`).join('\n')}\n`;
        pulls++;
        throw new Error('read past the first chunk');
      }
      const table = await readCsv(one(), 10, FILE);
      assert.equal(table.rows.length, 10);
      assert.deepEqual(table.rows[9], ['9']);
      assert.equal(table.truncated, true);
      assert.equal(pulls, 1);
    });

    it('is not marked cut when the file has exactly as many rows as the cap', async () => {
      const table = await readCsv(chunksOf('"n"\n"1"\n"2"\n"3"\n'), 3, FILE);
      assert.deepEqual(table, { header: ['n'], rows: [['1'], ['2'], ['3']], truncated: false });
    });

    it('keeps no rows with a cap of 0 but says there were some', async () => {
      const table = await readCsv(chunksOf('"n"\n"1"\n"2"\n'), 0, FILE);
      assert.deepEqual(table, { header: ['n'], rows: [], truncated: true });
    });
  });

  describe('a broken file', () => {
    it('is refused when it ends inside a quoted value', async () => {
      await refuses('"a","b"\n"1","unfinished\n', /ends inside a quoted value; the result file is cut short/);
      await refuses('"a","b"\n"1","say ""hi""', /ends inside a quoted value/);
    });

    it('is refused when a quote stands inside an unquoted value or text follows a closing quote', async () => {
      await refuses('"x","y"\na"b,c\n', /a quote inside an unquoted value in row 1/);
      await refuses('"x","y"\n"ab"c,d\n', /text follows a closing quote in row 1/);
    });

    it('is refused when a row has more or fewer values than the header', async () => {
      await refuses('"a","b"\n"1","2"\n"3"\n', /row 2 has 1 values for 2 columns/);
      await refuses('"a","b"\n"1","2","3"\n', /row 1 has 3 values for 2 columns/);
    });

    it('is refused when one value is larger than 16 MB, quoted or not', async function () {
      this.timeout(120_000);
      const big = 'x'.repeat(16 * 1024 * 1024 + 1);
      await refuses(`"a"\n"${big}"\n`, /a value is longer than 16 MB/);
      await refuses(`"a"\n${big}\n`, /a value is longer than 16 MB/);
    });
  });

  describe("read back from the file Athena's stand-in writes", () => {
    it('gives every value of every row as its text, with NULL as null', async () => {
      const answer: FrontAnswer = {
        columns: [
          { name: 'eventname', type: 'varchar' },
          { name: 'n', type: 'bigint' },
          { name: 'readonly', type: 'boolean' },
          { name: 'requestparameters', type: 'varchar' },
          { name: 'errorcode', type: 'varchar' },
          { name: 'resources', type: 'array' },
        ],
        rows: [
          ['ConsoleLogin', 3, true, '{"a":"b, c"}', null, [{ arn: 'arn:aws:s3:::logs', type: 'AWS::S3::Bucket' }]],
          ['PutObject', 12345678901, false, 'line one\nline "two"\r\n', 'AccessDenied', []],
          ['', 0, null, '', '', null],
          ['Zoë ☃ 🔑 東京', -1.5, true, '""', ',', [1, 2]],
        ],
      };
      const csv = athenaCsv(answer);
      const expected = answer.rows.map((row) => row.map((v) => (v === null ? null : typeof v === 'string' ? v : JSON.stringify(v))));
      for (const chunks of [chunksOf(csv), oneByteAtATime(csv)]) {
        const table = await readCsv(chunks, 100, FILE);
        assert.deepEqual(table.header, answer.columns.map((c) => c.name));
        assert.deepEqual(table.rows, expected);
        assert.equal(table.truncated, false);
      }
    });
  });
});
