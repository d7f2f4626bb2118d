// Athena's result file, read as a stream: the CSV (RFC 4180) Athena writes to the output location
// of a SELECT, one header line, every value in double quotes with quotes doubled, NULL as an empty
// unquoted field. Reading it is one GetObject instead of a GetQueryResults call per 1,000 rows; the
// stream stops at the row cap, so a result of millions of rows costs only what is kept.

export interface CsvTable {
  header: string[];
  /** Values as text; null for an empty unquoted field (Athena's NULL). */
  rows: (string | null)[][];
  /** Rows existed past `maxRows`. */
  truncated: boolean;
}

/** Largest single field kept (a hostile or broken file cannot grow one value without end). */
const MAX_FIELD = 16 * 1024 * 1024;

export class CsvError extends Error {}

/** Reads CSV text chunks until `maxRows` data rows (after the header) are had, or the input ends. */
export async function readCsv(chunks: AsyncIterable<Uint8Array | string>, maxRows: number, name: string): Promise<CsvTable> {
  const decoder = new TextDecoder('utf-8');
  const records: (string | null)[][] = [];
  let row: (string | null)[] = [];
  let field = '';
  let quoted = false; // the field started with a quote
  let inQuotes = false; // inside the quotes now
  let afterQuote = false; // a quote just ended inside quotes: either "" (a quote) or the close
  let any = false; // the current row has begun
  let done = false;

  const endField = () => {
    row.push(quoted ? field : field.length === 0 ? null : field);
    field = '';
    quoted = false;
    afterQuote = false;
  };
  const endRow = () => {
    endField();
    records.push(row);
    row = [];
    any = false;
    if (records.length > maxRows + 1) done = true;
  };

  const feed = (text: string) => {
    for (let i = 0; i < text.length && !done; i++) {
      const ch = text[i];
      if (inQuotes) {
        if (afterQuote) {
          afterQuote = false;
          if (ch === '"') {
            field += '"';
            continue;
          }
          inQuotes = false; // the quote closed the field; this character is read below
          if (ch !== ',' && ch !== '\n' && ch !== '\r') throw new CsvError(`${name}: text follows a closing quote in row ${records.length}; the result file is not one Athena wrote.`);
        } else if (ch === '"') {
          afterQuote = true;
          continue;
        } else {
          field += ch;
          if (field.length > MAX_FIELD) throw new CsvError(`${name}: a value is longer than ${MAX_FIELD / 1024 / 1024} MB; this is not a result file CloudTrail Lens can read.`);
          continue;
        }
      }
      if (ch === '"') {
        if (field.length > 0 || quoted) throw new CsvError(`${name}: a quote inside an unquoted value in row ${records.length}; the result file is not one Athena wrote.`);
        quoted = true;
        inQuotes = true;
        any = true;
      } else if (ch === ',') {
        any = true;
        endField();
      } else if (ch === '\n') {
        // An empty line is a row too: Athena writes a NULL of a one-column result as nothing.
        endRow();
      } else if (ch === '\r') {
        // CRLF: the \n ends the row.
      } else {
        any = true;
        field += ch;
        if (field.length > MAX_FIELD) throw new CsvError(`${name}: a value is longer than ${MAX_FIELD / 1024 / 1024} MB; this is not a result file CloudTrail Lens can read.`);
      }
    }
  };

  for await (const chunk of chunks) {
    feed(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    if (done) break;
  }
  if (!done) {
    feed(decoder.decode());
    if (inQuotes && !afterQuote) throw new CsvError(`${name} ends inside a quoted value; the result file is cut short.`);
    if (inQuotes) inQuotes = false;
    // The last row has no line end.
    if (any || row.length > 0 || field.length > 0) endRow();
  }
  const [header, ...data] = records;
  if (!header) return { header: [], rows: [], truncated: false };
  const width = header.length;
  for (const [i, r] of data.entries()) {
    if (r.length !== width) throw new CsvError(`${name}: row ${i + 1} has ${r.length} values for ${width} columns; the result file is not one Athena wrote.`);
  }
  return { header: header.map((h) => h ?? ''), rows: data.slice(0, maxRows), truncated: data.length > maxRows };
}
