/**
 * A numeric CSV reader: RFC 4180 quoting, a UTF-8 BOM, CR / LF / CRLF line
 * ends, gzip files. It never throws for bad input: {@link readCsv} returns an
 * fp-ts `Either` whose `Left` is a {@link CsvError} naming the 1-based line,
 * the 1-based column (field number) and the offending text.
 *
 * The parser is one pass of a hand-written state machine over the text; only
 * the selected columns are converted (with `Number()` on the trimmed cell), so
 * a file may hold text columns you do not select.
 */
import { platform } from '../platform/index.js';
import { describeValue } from '../core/describe.js';
import * as E from 'fp-ts/lib/Either.js';
import type { StorageOf } from '../core/dtype.js';
import { fromStorage, type Tensor } from '../core/tensor.js';
import { CsvError } from './errors.js';
import { ValueError, inOp } from '../core/errors.js';
import { checkObject, checkOptions } from '../core/validate.js';

/** The dtypes a CSV table can be read as. */
export type CsvDType = 'float32' | 'float64' | 'int32';

/**
 * Where the CSV comes from: a file (`path`, gzip is detected by its magic
 * bytes) or the text itself. Exactly one of the two: a string is never
 * guessed to be one or the other.
 *
 * @example
 * ```ts
 * readCsv({ path: 'wine.csv' });
 * readCsv({ text: '1,2\n3,4\n' });
 * ```
 */
export type CsvSource = { readonly path: string | URL; readonly text?: never } | { readonly text: string; readonly path?: never };

/**
 * Options of {@link readCsv}.
 *
 * - `header`: `true` takes the first record as column names, `false` reads it
 *   as data. `'auto'` (the default) takes it as names when none of its
 *   (selected) cells is a number, as data when all are, and refuses to guess
 *   (an error) when it mixes the two, since that is as likely a bad data row
 *   as a header. Columns chosen by name imply a header.
 * - `delimiter`: one character, default `','`.
 * - `skipRows`: physical lines to skip before parsing (not parsed at all, so
 *   they may hold anything), default 0.
 * - `columns`: keep only these columns, in this order: 0-based indices, or
 *   names from the header.
 * - `dtype`: `'float32'` (default), `'float64'` or `'int32'` (cells must be
 *   integers in range).
 * - `maxBytes`: the most bytes of file (after gunzip) to read, default
 *   256 MiB, at most 2^29 - 24 (the text must fit one string). Checked before reading or while inflating, never after.
 *
 * @example
 * ```ts
 * const opts: CsvOptions<'float64'> = { skipRows: 1, columns: [1, 2], dtype: 'float64' };
 * ```
 */
export interface CsvOptions<D extends CsvDType = CsvDType> {
  readonly header?: boolean | 'auto';
  readonly delimiter?: string;
  readonly skipRows?: number;
  readonly columns?: readonly number[] | readonly string[];
  readonly dtype?: D;
  readonly maxBytes?: number;
}

/** Default of `CsvOptions.maxBytes`: 256 MiB of (decompressed) text. */
const DEFAULT_MAX_BYTES = 256 * 2 ** 20;
/**
 * UTF-8 bytes that always fit one JavaScript string: a string holds at most
 * MAX_STRING_LENGTH UTF-16 units, and n bytes of UTF-8 decode to at most n units.
 */
const MAX_TEXT_BYTES = 2 ** 29 - 24; // V8's longest string (buffer.constants.MAX_STRING_LENGTH on 64-bit)

/**
 * A numeric table read from CSV: `rows x cols` values in row-major order.
 * `header` holds the names of the kept columns, or `null` without a header.
 *
 * @example
 * ```ts
 * const t = readCsvOrThrow({ text: 'a,b\n1,2\n3,4\n' });
 * t.header; // ['a', 'b']
 * t.rows;   // 2
 * t.data;   // Float32Array [1, 2, 3, 4]
 * ```
 */
export interface CsvTable<D extends CsvDType = 'float32'> {
  readonly header: readonly string[] | null;
  readonly rows: number;
  readonly cols: number;
  readonly data: StorageOf[D];
  readonly dtype: D;
}

/**
 * Reads a numeric CSV table. Bad input gives `Left(CsvError)` with the line,
 * column and text at fault: a ragged row (`csv: line 7 has 12 fields, expected
 * 13`), a non-numeric cell (`csv: line 3, column 2: "abc" is not a number`),
 * an unterminated quote, empty input, an unknown column name, a missing file.
 *
 * Blank lines are skipped wherever they are. A cell is a number when
 * `Number()` accepts its trimmed text, except that `''` is refused, hex /
 * octal / binary literals are refused, and NaN is accepted only as the
 * literal `NaN`.
 *
 * @example
 * ```ts
 * import { readCsv } from 'typegrad';
 * const r = readCsv({ text: 'x,y\r\n1,"2"\r\n3,4\r\n' }, { dtype: 'float64' });
 * if (r._tag === 'Right') r.right.data; // Float64Array [1, 2, 3, 4]
 * ```
 */
export function readCsv<D extends CsvDType = 'float32'>(source: CsvSource, options: CsvOptions<D> = {}): E.Either<CsvError, CsvTable<D>> {
  if (typeof options !== 'object' || options === null) return E.left(new CsvError(`csv: options must be an object, got ${describeValue(options)}`));
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  if (typeof maxBytes !== 'number' || !Number.isInteger(maxBytes) || maxBytes < 1 || maxBytes > MAX_TEXT_BYTES) {
    return E.left(new CsvError(`csv: maxBytes must be an integer from 1 to ${MAX_TEXT_BYTES} (the longest string), got ${describeValue(maxBytes)}`));
  }
  try {
    const text = sourceText(source, maxBytes);
    if (E.isLeft(text)) return text;
    return parseCsv(text.right, options);
  } catch (e) {
    // The promise is an Either: an engine limit (a string or array too long,
    // out of memory for the table) comes back as a CsvError too.
    return E.left(new CsvError(`csv: cannot read the table: ${(e as Error)?.message ?? String(e)}`, {}, { cause: e }));
  }
}

/**
 * Like {@link readCsv}, but throws the {@link CsvError} instead of returning it.
 *
 * @example
 * ```ts
 * import { readCsvOrThrow } from 'typegrad';
 * readCsvOrThrow({ text: '1;2\n3;4\n' }, { delimiter: ';', dtype: 'int32' }).data; // Int32Array [1, 2, 3, 4]
 * ```
 */
export function readCsvOrThrow<D extends CsvDType = 'float32'>(source: CsvSource, options: CsvOptions<D> = {}): CsvTable<D> {
  checkOptions('readCsvOrThrow', options);
  try {
    const r = readCsv(source, options);
    if (E.isLeft(r)) throw r.left;
    return r.right;
  } catch (e) {
    throw inOp('readCsvOrThrow', e);
  }
}

/**
 * A table as a `[rows, cols]` tensor of the table's dtype. The data is copied,
 * so later writes to `table.data` do not reach the tensor.
 *
 * @example
 * ```ts
 * import { readCsvOrThrow, csvToTensor } from 'typegrad';
 * const x = csvToTensor(readCsvOrThrow({ text: '1,2\n3,4\n' })); // Tensor<[number, number], 'float32'>
 * x.toArray(); // [[1, 2], [3, 4]]
 * ```
 */
export function csvToTensor<D extends CsvDType>(table: CsvTable<D>): Tensor<[number, number], D> {
  const t = checkObject<Partial<CsvTable<D>>>('csvToTensor', 'table', table);
  if (!ArrayBuffer.isView(t.data) || !Number.isSafeInteger(t.rows) || !Number.isSafeInteger(t.cols) || t.data.length !== t.rows! * t.cols!) {
    throw new ValueError(`csvToTensor: table must be a table from readCsv (data of rows * cols numbers), got ${describeValue(table)}`);
  }
  return fromStorage<[number, number], D>(table.data.slice() as StorageOf[D], [table.rows, table.cols], table.dtype);
}

/**
 * numpy's `np.loadtxt(path, delimiter=',', skiprows=1)` in one call: reads a
 * CSV file as a `[rows, cols]` tensor, or throws a {@link CsvError}. Same
 * options and defaults as {@link readCsv} (so float32 unless `dtype` says
 * otherwise, and always 2-D).
 *
 * @example
 * ```ts
 * import { loadtxt } from 'typegrad';
 * const wine = loadtxt('wine.csv', { delimiter: ',', skipRows: 1 }); // Tensor<[number, number]>, [178, 14]
 * ```
 */
export function loadtxt<D extends CsvDType = 'float32'>(path: string | URL, options: CsvOptions<D> = {}): Tensor<[number, number], D> {
  checkOptions('loadtxt', options);
  try {
    const table = readCsvOrThrow({ path }, options);
    // The table is ours alone, so the tensor may take its storage without a copy.
    return fromStorage<[number, number], D>(table.data, [table.rows, table.cols], table.dtype);
  } catch (e) {
    throw inOp('loadtxt', e);
  }
}

// ---------------------------------------------------------------------------
// Input

function sourceText(source: CsvSource, maxBytes: number): E.Either<CsvError, string> {
  const s = source as { path?: unknown; text?: unknown };
  const hasPath = s !== null && typeof s === 'object' && s.path !== undefined;
  const hasText = s !== null && typeof s === 'object' && s.text !== undefined;
  if (hasPath === hasText) return E.left(new CsvError(`readCsv: pass exactly one of { path } or { text }, got ${describeValue(source)}`));
  if (hasText) {
    if (typeof s.text !== 'string') return E.left(new CsvError(`csv: text must be a string, got ${typeof s.text}`));
    return E.right(s.text);
  }
  if (typeof s.path !== 'string' && !(s.path instanceof URL)) return E.left(new CsvError(`csv: path must be a string or URL, got ${typeof s.path}`));
  let bytes: Uint8Array;
  try {
    try {
      bytes = platform().readFile(s.path, maxBytes); // the size is checked before the file is read
    } catch (e) {
      const big = e as { code?: string; size?: number };
      if (big.code === 'ERR_FILE_TOO_LARGE') return E.left(tooLarge(String(s.path), `is ${big.size} bytes,`, maxBytes));
      throw e;
    }
    if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
      try {
        bytes = platform().gunzip(bytes, { maxOutputLength: maxBytes });
      } catch (e) {
        if ((e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return E.left(tooLarge(String(s.path), 'inflates to', maxBytes));
        throw e;
      }
    }
  } catch (e) {
    return E.left(new CsvError(`csv: cannot read ${String(s.path)}: ${(e as Error).message}`, {}, { cause: e }));
  }
  // TextDecoder drops a leading BOM itself.
  return E.right(new TextDecoder('utf-8').decode(bytes));
}

function tooLarge(path: string, what: string, maxBytes: number): CsvError {
  return new CsvError(`csv: ${path} ${what} more than maxBytes (${maxBytes} bytes); pass { maxBytes } to raise the limit`);
}

// ---------------------------------------------------------------------------
// Tokenizer: a state machine over char codes. It reports each record as cell
// boundaries (no substrings) so unselected cells cost nothing.

const QUOTE = 34;
const CR = 13;
const LF = 10;
const SPACE = 32;
const TAB = 9;

/** Tokenizer states. */
const State = { FieldStart: 0, Unquoted: 1, Quoted: 2, AfterQuoted: 3 } as const;
type State = (typeof State)[keyof typeof State];

/** The cells of one record, as offsets into the text. Reused between records. */
interface RecordCells {
  /** Number of fields. */
  n: number;
  /** Physical line where the record starts. */
  line: number;
  start: number[];
  end: number[];
  /** The cell was quoted. */
  quoted: boolean[];
  /** The quoted cell holds doubled quotes to undo. */
  escaped: boolean[];
  /** Physical line where the cell starts. */
  cellLine: number[];
}

function cellText(text: string, rec: RecordCells, k: number): string {
  const s = text.slice(rec.start[k], rec.end[k]);
  return rec.escaped[k] ? s.replaceAll('""', '"') : s;
}

/** Runs `onRecord` for each record of `text` from `pos`; stops at the first error. */
function tokenize(
  text: string,
  pos: number,
  firstLine: number,
  delimiter: number,
  onRecord: (rec: RecordCells) => CsvError | undefined,
): CsvError | undefined {
  const n = text.length;
  const rec: RecordCells = { n: 0, line: firstLine, start: [], end: [], quoted: [], escaped: [], cellLine: [] };
  let line = firstLine;
  let state: State = State.FieldStart;
  let fieldStart = pos;
  let fieldEnd = pos;
  let fieldLine = line;
  let quoted = false;
  let escaped = false;
  let i = pos;

  const pushField = (end: number): void => {
    const k = rec.n++;
    rec.start[k] = fieldStart;
    rec.end[k] = end;
    rec.quoted[k] = quoted;
    rec.escaped[k] = escaped;
    rec.cellLine[k] = fieldLine;
  };
  const startField = (at: number): void => {
    state = State.FieldStart;
    fieldStart = at;
    fieldLine = line;
    quoted = false;
    escaped = false;
  };
  /** Consumes the line break at `i` (CR, LF or CRLF). */
  const skipBreak = (c: number): void => {
    i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
    line++;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    switch (state) {
      case State.FieldStart:
        if (c === QUOTE) {
          state = State.Quoted;
          quoted = true;
          fieldStart = i + 1;
          fieldLine = line;
          i++;
        } else if ((c === SPACE || c === TAB) && c !== delimiter) {
          i++; // blanks before a quote are allowed; an unquoted cell keeps them (and trims later)
        } else {
          state = State.Unquoted;
        }
        break;
      case State.Unquoted:
        if (c === delimiter) {
          pushField(i);
          i++;
          startField(i);
        } else if (c === LF || c === CR) {
          pushField(i);
          skipBreak(c);
          const err = onRecord(rec);
          if (err) return err;
          rec.n = 0;
          rec.line = line;
          startField(i);
        } else {
          i++;
        }
        break;
      case State.Quoted:
        if (c === QUOTE) {
          if (text.charCodeAt(i + 1) === QUOTE) {
            escaped = true;
            i += 2;
          } else {
            fieldEnd = i;
            state = State.AfterQuoted;
            i++;
          }
        } else if (c === LF || c === CR) {
          skipBreak(c);
        } else {
          i++;
        }
        break;
      case State.AfterQuoted:
        if (c === delimiter) {
          pushField(fieldEnd);
          i++;
          startField(i);
        } else if (c === LF || c === CR) {
          pushField(fieldEnd);
          skipBreak(c);
          const err = onRecord(rec);
          if (err) return err;
          rec.n = 0;
          rec.line = line;
          startField(i);
        } else if (c === SPACE || c === TAB) {
          i++;
        } else {
          return new CsvError(
            `csv: line ${line}, column ${rec.n + 1}: unexpected ${JSON.stringify(text[i])} after the closing quote of a quoted field`,
            { line, column: rec.n + 1, text: text.slice(fieldStart, i + 1) },
          );
        }
        break;
    }
  }
  // End of input: close the last field unless the text ended right after a line break.
  if (state === State.Quoted) {
    return new CsvError(`csv: line ${fieldLine}, column ${rec.n + 1}: quoted field is not closed before the end of the input`, {
      line: fieldLine,
      column: rec.n + 1,
      text: text.slice(fieldStart, Math.min(n, fieldStart + 40)),
    });
  }
  if (state === State.AfterQuoted) pushField(fieldEnd);
  else if (rec.n > 0 || fieldStart < n) pushField(n);
  return rec.n > 0 ? onRecord(rec) : undefined;
}

/** Position and line number after skipping `count` physical lines from the start. */
function skipLines(text: string, count: number): { pos: number; line: number } {
  let pos = 0;
  let line = 1;
  for (let k = 0; k < count && pos < text.length; k++) {
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === LF || c === CR) {
        pos += c === CR && text.charCodeAt(pos + 1) === LF ? 2 : 1;
        break;
      }
      pos++;
    }
    line++;
  }
  return { pos, line };
}

// ---------------------------------------------------------------------------
// Cells to numbers

/** The number in a cell, or undefined when it is not one (see {@link readCsv}). */
function parseNumber(cell: string): number | undefined {
  const t = cell.trim();
  if (t === '') return undefined;
  if (t.length > 1 && t.charCodeAt(0) === 48 /* 0 */) {
    const c = t.charCodeAt(1) | 0x20; // lower case
    if (c === 0x78 /* x */ || c === 0x6f /* o */ || c === 0x62 /* b */) return undefined;
  }
  const v = Number(t);
  if (Number.isNaN(v)) return t === 'NaN' ? NaN : undefined;
  return v;
}

function isInt32(v: number): boolean {
  return Number.isInteger(v) && v >= -2147483648 && v <= 2147483647;
}

function quoteForMessage(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 37)}...` : s);
}

function allocate<D extends CsvDType>(dtype: D, size: number): StorageOf[D] {
  switch (dtype) {
    case 'float64':
      return new Float64Array(size) as StorageOf[D];
    case 'int32':
      return new Int32Array(size) as StorageOf[D];
    default:
      return new Float32Array(size) as StorageOf[D];
  }
}

// ---------------------------------------------------------------------------
// The reader

function parseCsv<D extends CsvDType>(text: string, options: CsvOptions<D>): E.Either<CsvError, CsvTable<D>> {
  const { header = 'auto', delimiter = ',', skipRows = 0, columns } = options;
  const dtype = (options.dtype ?? 'float32') as D;
  if (dtype !== 'float32' && dtype !== 'float64' && dtype !== 'int32') {
    return E.left(new CsvError(`csv: dtype must be float32, float64 or int32, got ${describeValue(dtype)}`));
  }
  if (typeof delimiter !== 'string' || delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    return E.left(new CsvError(`csv: delimiter must be one character other than a quote or line break, got ${describeValue(delimiter)}`));
  }
  if (!Number.isInteger(skipRows) || skipRows < 0) {
    return E.left(new CsvError(`csv: skipRows must be a non-negative integer, got ${skipRows}`));
  }
  if (header !== true && header !== false && header !== 'auto') {
    return E.left(new CsvError(`csv: header must be true, false or 'auto', got ${describeValue(header)}`));
  }
  const byName = columns !== undefined && columns.length > 0 && typeof columns[0] === 'string';
  if (byName && header === false) {
    return E.left(new CsvError('csv: columns are given by name but header is false; set header: true or give column indices'));
  }

  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const { pos, line } = skipLines(body, skipRows);

  let expected = -1; // fields per record, fixed by the first record
  let names: string[] | null = null;
  let select: number[] = [];
  let cols = 0;
  let rows = 0;
  let data = allocate(dtype, 0);

  const isBlank = (rec: RecordCells): boolean =>
    rec.n === 1 && !rec.quoted[0] && body.slice(rec.start[0], rec.end[0]).trim() === '';

  /** Resolves `columns` against the first record; fixes `select` and `cols`. */
  const resolveColumns = (): CsvError | undefined => {
    if (columns === undefined) {
      select = Array.from({ length: expected }, (_, k) => k);
    } else if (byName) {
      select = [];
      for (const name of columns) {
        const k = typeof name === 'string' ? names!.indexOf(name) : -1;
        if (k < 0) {
          return new CsvError(`csv: unknown column ${JSON.stringify(name)}; the header has: ${names!.join(', ')}`, { text: String(name) });
        }
        select.push(k);
      }
    } else {
      select = [];
      for (const k of columns) {
        if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k >= expected) {
          return new CsvError(`csv: column index ${String(k)} is out of range for ${expected} columns`, { text: String(k) });
        }
        select.push(k);
      }
    }
    cols = select.length;
    data = allocate(dtype, Math.max(64, cols * 256));
    return undefined;
  };

  const onRecord = (rec: RecordCells): CsvError | undefined => {
    if (isBlank(rec)) return undefined;
    if (expected < 0) {
      expected = rec.n;
      let isHeader: boolean;
      if (header === 'auto' && !byName) {
        // A header when no cell we are going to read is a number; data when all are.
        const look = (columns === undefined ? Array.from({ length: rec.n }, (_, k) => k) : (columns as readonly number[])).filter(
          (k) => k >= 0 && k < rec.n,
        );
        const numeric = look.map((k) => parseNumber(cellText(body, rec, k)) !== undefined);
        isHeader = !numeric.includes(true);
        if (numeric.includes(true) && numeric.includes(false)) {
          const k = look[numeric.indexOf(false)]!;
          const text = cellText(body, rec, k);
          return new CsvError(
            `csv: line ${rec.line} mixes numbers and text (column ${k + 1}: ${quoteForMessage(text)}), so it is neither clearly a header nor data; pass header: true or header: false`,
            { line: rec.line, column: k + 1, text },
          );
        }
      } else {
        isHeader = header !== false;
      }
      if (isHeader) {
        names = Array.from({ length: rec.n }, (_, k) => cellText(body, rec, k).trim());
        return resolveColumns();
      }
      const err = resolveColumns();
      if (err) return err;
    }
    if (rec.n !== expected) {
      return new CsvError(`csv: line ${rec.line} has ${rec.n} field${rec.n === 1 ? '' : 's'}, expected ${expected}`, { line: rec.line });
    }
    if ((rows + 1) * cols > data.length) {
      const bigger = allocate(dtype, data.length * 2);
      bigger.set(data);
      data = bigger;
    }
    const base = rows * cols;
    for (let j = 0; j < cols; j++) {
      const k = select[j]!;
      const cell = cellText(body, rec, k);
      const v = parseNumber(cell);
      if (v === undefined || (dtype === 'int32' && !isInt32(v))) {
        const what = dtype === 'int32' && v !== undefined ? 'an int32' : 'a number';
        return new CsvError(`csv: line ${rec.cellLine[k]}, column ${k + 1}: ${quoteForMessage(cell)} is not ${what}`, {
          line: rec.cellLine[k]!,
          column: k + 1,
          text: cell,
        });
      }
      data[base + j] = v;
    }
    rows++;
    return undefined;
  };

  const err = tokenize(body, pos, line, delimiter.charCodeAt(0), onRecord);
  if (err) return E.left(err);
  if (expected < 0) {
    return E.left(new CsvError(skipRows > 0 ? `csv: empty input: no rows after skipping ${skipRows} line${skipRows === 1 ? '' : 's'}` : 'csv: empty input'));
  }
  const size = rows * cols;
  return E.right({
    header: names === null ? null : select.map((k) => names![k]!),
    rows,
    cols,
    data: (data.length === size ? data : data.slice(0, size)) as StorageOf[D],
    dtype,
  });
}
