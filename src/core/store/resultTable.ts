// A large Athena result kept in the investigation store: the query's result file (the CSV Athena
// writes to S3, every value quoted, NULL as an empty unquoted field) read by DuckDB's CSV reader into
// a table named after the query, so all its rows can be queried from a Local cell while the notebook
// shows the first ones. Everything here is built from hostile text: column names are quoted
// identifiers, the file name a quoted literal, and the table name made only of [a-z0-9_].

import { sqlIdent, sqlString } from './queries';

export interface ResultTableColumn {
  name: string;
  /** Athena's type name from the column info (varchar, bigint, timestamp, decimal(10,2), array(varchar)…). */
  type?: string;
}

/** The column that keeps the result file's row order (1 for the first row after the header). */
export const RESULT_ROW_COLUMN = 'athena_row';

/** `athena_<first 12 hex digits of the query id>`; only [a-z0-9_], whatever the id holds. */
export function resultTableName(queryId: string): string {
  const hex = queryId.toLowerCase().replace(/[^0-9a-f]/g, '').slice(0, 12);
  return `athena_${hex || 'result'}`;
}

/** The DuckDB type an Athena column becomes: numbers, booleans, dates and timestamps typed, the rest text. */
export function duckdbTypeOf(athenaType: string | undefined): string {
  const t = (athenaType ?? '').trim().toLowerCase();
  const decimal = /^decimal\s*\(\s*(\d{1,2})\s*,\s*(\d{1,2})\s*\)$/.exec(t);
  if (decimal && Number(decimal[1]) >= 1 && Number(decimal[1]) <= 38 && Number(decimal[2]) <= Number(decimal[1])) return `DECIMAL(${decimal[1]}, ${decimal[2]})`;
  switch (t) {
    case 'tinyint':
      return 'TINYINT';
    case 'smallint':
      return 'SMALLINT';
    case 'integer':
    case 'int':
      return 'INTEGER';
    case 'bigint':
      return 'BIGINT';
    case 'double':
      return 'DOUBLE';
    case 'float':
    case 'real':
      return 'FLOAT';
    case 'boolean':
      return 'BOOLEAN';
    case 'date':
      return 'DATE';
    case 'timestamp':
      return 'TIMESTAMP';
    case 'timestamp with time zone':
      return 'TIMESTAMPTZ';
    default:
      return 'VARCHAR';
  }
}

/**
 * The table's column names: Athena's, made distinct the way DuckDB compares them (without case),
 * `name_2`, `name_3`… for repeats, never the row column's name, never empty, no control characters.
 */
export function tableColumnNames(columns: readonly ResultTableColumn[]): string[] {
  const taken = new Set([RESULT_ROW_COLUMN]);
  return columns.map((c, i) => {
    // eslint-disable-next-line no-control-regex
    const base = c.name.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 120) || `_col${i}`;
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${base}_${n}`;
    taken.add(name.toLowerCase());
    return name;
  });
}

/**
 * The statement that reads `file` into `table`: a strict reader (a row with more or fewer fields, or
 * an unterminated quote, fails the statement), no type guessing, and CAST (not TRY_CAST) so a value
 * that is not of its column's type refuses the file rather than becoming NULL.
 */
export function resultTableSql(file: string, table: string, columns: readonly ResultTableColumn[]): string {
  if (!/^[a-z][a-z0-9_]*$/.test(table)) throw new RangeError(`'${table}' is not a result table name`);
  if (columns.length === 0) throw new RangeError('A result table needs at least one column');
  const names = tableColumnNames(columns);
  const read = columns.map((_, i) => `${sqlString(`c${i}`)}: 'VARCHAR'`).join(', ');
  const select = columns.map((c, i) => {
    const type = duckdbTypeOf(c.type);
    return `${type === 'VARCHAR' ? `c${i}` : `CAST(c${i} AS ${type})`} AS ${sqlIdent(names[i])}`;
  });
  return (
    `CREATE OR REPLACE TABLE ${sqlIdent(table)} AS SELECT row_number() OVER () AS ${RESULT_ROW_COLUMN}, ${select.join(', ')} ` +
    `FROM read_csv(${sqlString(file)}, header = true, auto_detect = false, delim = ',', quote = '"', escape = '"', new_line = '\\n', ` +
    `allow_quoted_nulls = false, strict_mode = true, null_padding = false, ignore_errors = false, max_line_size = 8388608, buffer_size = 33554432, columns = {${read}})`
  );
}
