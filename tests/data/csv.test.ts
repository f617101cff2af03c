import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvError } from '../../src/data/errors.js';
import { csvToTensor, loadtxt, readCsv, readCsvOrThrow, type CsvOptions, type CsvTable } from '../../src/data/csv.js';

/** Reads text that must parse; returns the table with `data` as a plain array. */
function ok(text: string, options: CsvOptions = {}): Omit<CsvTable<'float32' | 'float64' | 'int32'>, 'data'> & { data: number[] } {
  const r = readCsv({ text }, options);
  if (E.isLeft(r)) throw new Error(`expected a table, got: ${r.left.message}`);
  return { ...r.right, data: Array.from(r.right.data) };
}

/** Reads text that must fail; returns the error. */
function bad(text: string, options: CsvOptions = {}): CsvError {
  const r = readCsv({ text }, options);
  if (E.isRight(r)) throw new Error(`expected an error, got a table of ${r.right.rows} rows`);
  expect(r.left).toBeInstanceOf(CsvError);
  return r.left;
}

describe('readCsv: structure', () => {
  it('reads a plain table with a header', () => {
    expect(ok('a,b\n1,2\n3,4\n')).toEqual({ header: ['a', 'b'], rows: 2, cols: 2, data: [1, 2, 3, 4], dtype: 'float32' });
  });

  it('reads quoted fields: quoted delimiters, doubled quotes, quoted newlines', () => {
    const t = ok('"a,1","b""x","c\nd"\n"1","2",3\n');
    expect(t.header).toEqual(['a,1', 'b"x', 'c\nd']);
    expect(t.data).toEqual([1, 2, 3]);
  });

  it('counts lines through quoted newlines', () => {
    expect(bad('"a\nb",c\n1,x\n').message).toBe('csv: line 3, column 2: "x" is not a number');
  });

  it('accepts LF, CRLF and CR line ends, mixed, with or without a trailing newline', () => {
    for (const text of ['1,2\n3,4', '1,2\r\n3,4\r\n', '1,2\r3,4\r', '1,2\r\n3,4\n', '1,2\n3,4\n\n\n', '1,2\r\n3,4\r\n\r\n']) {
      expect(ok(text)).toEqual({ header: null, rows: 2, cols: 2, data: [1, 2, 3, 4], dtype: 'float32' });
    }
  });

  it('counts a CRLF as one line end, in and out of quotes', () => {
    expect(bad('a,b\r\n1,2\r\n3,x\r\n').message).toBe('csv: line 3, column 2: "x" is not a number');
    expect(bad('"a\r\nb",c\r\n1,x\r\n').message).toBe('csv: line 3, column 2: "x" is not a number');
    expect(bad('a,b\r1,2\r3,x\r').line).toBe(3);
    expect(ok('"x\r\ny",b\r\n1,2\r\n').header).toEqual(['x\r\ny', 'b']);
  });

  it('strips a UTF-8 BOM', () => {
    expect(ok('\ufeffx,y\n1,2\n').header).toEqual(['x', 'y']);
    expect(ok('\ufeff1,2\n').data).toEqual([1, 2]);
  });

  it('skips blank lines anywhere', () => {
    expect(ok('\n1,2\n\n   \n3,4\n').data).toEqual([1, 2, 3, 4]);
  });

  it('trims spaces around cells and allows them around quoted cells', () => {
    expect(ok(' 1 ,  "2" \n3,4\n').data).toEqual([1, 2, 3, 4]);
  });

  it('keeps an empty last field after a trailing delimiter (and so reports it)', () => {
    expect(bad('0,1\n1,2,\n').message).toBe('csv: line 2 has 3 fields, expected 2');
    expect(bad('1,2,\n', { header: false }).message).toBe('csv: line 1, column 3: "" is not a number');
  });

  it('uses another delimiter', () => {
    expect(ok('1;2\n3;"4;"\n', { delimiter: ';', columns: [0] }).data).toEqual([1, 3]);
    expect(ok('1\t2\n', { delimiter: '\t' }).data).toEqual([1, 2]);
  });

  it('skips physical lines before parsing, whatever they hold', () => {
    const t = ok('# a "comment\nsecond junk line\n1,2\n', { skipRows: 2 });
    expect(t.data).toEqual([1, 2]);
    expect(bad('junk\n1,2\n3,x\n', { skipRows: 1 }).line).toBe(3);
    expect(ok('junk\r\nmore junk\r\n1,2\r\n', { skipRows: 2 }).data).toEqual([1, 2]);
    expect(bad('junk\r\n1,2\r\n3,x\r\n', { skipRows: 1 }).line).toBe(3);
  });
});

describe('readCsv: header handling', () => {
  it("'auto' takes the first record as a header when no cell is a number, as data when all are", () => {
    expect(ok('a,b\n1,2\n').header).toEqual(['a', 'b']);
    expect(ok(',b\n1,2\n').header).toEqual(['', 'b']);
    expect(ok('1,2\n3,4\n').header).toBeNull();
  });

  it("'auto' refuses to guess when the first record mixes numbers and text", () => {
    const e = bad('1,b\n3,4\n');
    expect(e.message).toBe(
      'csv: line 1 mixes numbers and text (column 2: "b"), so it is neither clearly a header nor data; pass header: true or header: false',
    );
    expect([e.line, e.column]).toEqual([1, 2]);
    expect(ok('1,b\n3,4\n', { header: true }).header).toEqual(['1', 'b']);
  });

  it("'auto' looks only at the selected columns", () => {
    const t = ok('alice,1\nbob,2\n', { columns: [1] });
    expect(t).toEqual({ header: null, rows: 2, cols: 1, data: [1, 2], dtype: 'float32' });
  });

  it('header: true takes a numeric first row as names; header: false reads a text row as data', () => {
    expect(ok('1,2\n3,4\n', { header: true })).toEqual({ header: ['1', '2'], rows: 1, cols: 2, data: [3, 4], dtype: 'float32' });
    expect(bad('a,b\n1,2\n', { header: false }).message).toBe('csv: line 1, column 1: "a" is not a number');
  });

  it('reads a header-only file as zero rows', () => {
    expect(ok('a,b\n')).toEqual({ header: ['a', 'b'], rows: 0, cols: 2, data: [], dtype: 'float32' });
  });
});

describe('readCsv: column selection', () => {
  it('selects and reorders columns by index or name; other columns may hold text', () => {
    const text = 'id,name,x,y\n1,ann,0.5,2\n2,"bob, jr",1.5,3\n';
    expect(ok(text, { columns: [3, 0] })).toMatchObject({ header: ['y', 'id'], cols: 2, data: [2, 1, 3, 2] });
    expect(ok(text, { columns: ['x', 'y'] })).toMatchObject({ header: ['x', 'y'], rows: 2, data: [0.5, 2, 1.5, 3] });
  });

  it('reports an unknown name, an index out of range, and names without a header', () => {
    expect(bad('a,b\n1,2\n', { columns: ['a', 'c'] }).message).toBe('csv: unknown column "c"; the header has: a, b');
    expect(bad('1,2\n', { columns: [2] }).message).toBe('csv: column index 2 is out of range for 2 columns');
    expect(bad('1,2\n', { columns: [-1] }).message).toBe('csv: column index -1 is out of range for 2 columns');
    expect(bad('a,b\n1,2\n', { columns: ['a'], header: false }).message).toMatch(/columns are given by name but header is false/);
  });
});

describe('readCsv: errors name the line, the column and the text', () => {
  it('ragged rows', () => {
    const e = bad('a,b,c\n1,2,3\n4,5\n');
    expect(e.message).toBe('csv: line 3 has 2 fields, expected 3');
    expect(e.line).toBe(3);
    expect(bad('1,2\n3,4,5\n').message).toBe('csv: line 2 has 3 fields, expected 2');
    expect(bad('1,2\n3\n').message).toBe('csv: line 2 has 1 field, expected 2');
  });

  it('non-numeric cells', () => {
    const e = bad('x,y\n1,2\n3,abc\n');
    expect(e.message).toBe('csv: line 3, column 2: "abc" is not a number');
    expect([e.line, e.column, e.text]).toEqual([3, 2, 'abc']);
  });

  it('empty cells, hex literals, nan spelled other than NaN', () => {
    expect(bad('1,\n', { header: false }).message).toBe('csv: line 1, column 2: "" is not a number');
    expect(bad('0,0\n1,  \n').message).toBe('csv: line 2, column 2: "  " is not a number');
    expect(bad('0x10\n', { header: false }).message).toBe('csv: line 1, column 1: "0x10" is not a number');
    expect(bad('nan\n', { header: false }).message).toBe('csv: line 1, column 1: "nan" is not a number');
  });

  it('accepts NaN, infinities, exponents and signs', () => {
    const t = ok('NaN,Infinity,-Infinity,1e3,-2.5E-1,+7,.5\n', { dtype: 'float64' });
    expect(t.data).toEqual([NaN, Infinity, -Infinity, 1000, -0.25, 7, 0.5]);
  });

  it('int32 cells must be integers in range', () => {
    expect(ok('1,-2\n2147483647,-2147483648\n', { dtype: 'int32' }).data).toEqual([1, -2, 2147483647, -2147483648]);
    expect(bad('1,2.5\n', { dtype: 'int32' }).message).toBe('csv: line 1, column 2: "2.5" is not an int32');
    expect(bad('2147483648\n', { dtype: 'int32' }).message).toBe('csv: line 1, column 1: "2147483648" is not an int32');
    expect(bad('NaN\n', { dtype: 'int32', header: false }).message).toBe('csv: line 1, column 1: "NaN" is not an int32');
  });

  it('unterminated quotes and text after a closing quote', () => {
    expect(bad('1,2\n3,"4\n').message).toBe('csv: line 2, column 2: quoted field is not closed before the end of the input');
    expect(bad('1,"2"x\n').message).toBe('csv: line 1, column 2: unexpected "x" after the closing quote of a quoted field');
  });

  it('empty input', () => {
    expect(bad('').message).toBe('csv: empty input');
    expect(bad('\ufeff\r\n\n').message).toBe('csv: empty input');
    expect(bad('a\nb\n', { skipRows: 2 }).message).toBe('csv: empty input: no rows after skipping 2 lines');
  });

  it('bad options', () => {
    expect(bad('1\n', { delimiter: ';;' }).message).toMatch(/delimiter must be one character/);
    expect(bad('1\n', { delimiter: '"' }).message).toMatch(/delimiter must be one character/);
    expect(bad('1\n', { skipRows: -1 }).message).toBe('csv: skipRows must be a non-negative integer, got -1');
    expect(bad('1\n', { dtype: 'bool' as never }).message).toBe('csv: dtype must be float32, float64 or int32, got "bool"');
  });

  it('a source must be exactly one of path or text', () => {
    const r = readCsv({ path: 'x', text: 'y' } as never);
    expect(E.isLeft(r) && r.left.message).toMatch(/^readCsv: pass exactly one of \{ path \} or \{ text \}, got /);
  });

  it('readCsvOrThrow throws the same error', () => {
    expect(() => readCsvOrThrow({ text: '1,2\n3\n' })).toThrow(CsvError);
    expect(() => readCsvOrThrow({ text: '1,2\n3\n' })).toThrow('csv: line 2 has 1 field, expected 2');
  });
});

describe('readCsv: files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'typegrad-csv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a file, and a gzip file, by path or URL', () => {
    const text = 'a,b\r\n1,2\r\n';
    writeFileSync(join(dir, 't.csv'), text);
    writeFileSync(join(dir, 't.csv.gz'), gzipSync(text));
    for (const path of [join(dir, 't.csv'), join(dir, 't.csv.gz'), new URL(`file://${join(dir, 't.csv')}`)]) {
      const t = readCsvOrThrow({ path }, { dtype: 'float64' });
      expect([t.header, Array.from(t.data)]).toEqual([['a', 'b'], [1, 2]]);
    }
  });

  it('reports a missing file as a value', () => {
    const r = readCsv({ path: join(dir, 'missing.csv') });
    expect(E.isLeft(r) && r.left.message).toMatch(/^csv: cannot read .*missing\.csv: ENOENT/);
  });

  it('loadtxt reads like np.loadtxt(path, delimiter=",", skiprows=1)', () => {
    writeFileSync(join(dir, 'w.csv'), 'Wine,Alcohol\n1,14.23\n2,13.2\n');
    const x = loadtxt(join(dir, 'w.csv'), { delimiter: ',', skipRows: 1 });
    expect(x.shape).toEqual([2, 2]);
    expect(x.dtype).toBe('float32');
    expect(x.toArray()).toEqual([[1, Math.fround(14.23)], [2, Math.fround(13.2)]]);
    expect(() => loadtxt(join(dir, 'w.csv'), { header: false })).toThrow('csv: line 1, column 1: "Wine" is not a number');
  });
});

describe('csvToTensor', () => {
  it('makes a [rows, cols] tensor of the table dtype, copying the data', () => {
    const table = readCsvOrThrow({ text: '1,2,3\n4,5,6\n' }, { dtype: 'int32' });
    const t = csvToTensor(table);
    expect(t.shape).toEqual([2, 3]);
    expect(t.dtype).toBe('int32');
    table.data[0] = 99;
    expect(t.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
  });
});

describe('readCsv: round trip (property)', () => {
  /** Writes a number so that Number() gives it back exactly (String(-0) would lose the sign). */
  const format = (x: number): string => (Object.is(x, -0) ? '-0' : String(x));
  const quote = (s: string): string => `"${s.replaceAll('"', '""')}"`;

  const tables = fc
    .record({ rows: fc.integer({ min: 1, max: 8 }), cols: fc.integer({ min: 1, max: 6 }) })
    .chain(({ rows, cols }) =>
      fc.record({
        cells: fc.array(fc.array(fc.tuple(fc.double(), fc.boolean(), fc.constantFrom('', ' ')), { minLength: cols, maxLength: cols }), {
          minLength: rows,
          maxLength: rows,
        }),
        // Header names: any text at all, always quoted (so delimiters, quotes and newlines inside are fine).
        header: fc.option(fc.array(fc.string({ unit: 'grapheme' }), { minLength: cols, maxLength: cols }), { nil: null }),
        eol: fc.constantFrom('\n', '\r\n', '\r'),
        trailing: fc.boolean(),
        bom: fc.boolean(),
        delimiter: fc.constantFrom(',', ';', '\t'),
      }),
    );

  it('reads back exactly what was written (float64), with quoted cells and any line ends', () => {
    fc.assert(
      fc.property(tables, ({ cells, header, eol, trailing, bom, delimiter }) => {
        const lines = cells.map((row) => row.map(([x, quoted, pad]) => (quoted ? quote(pad + format(x) + pad) : pad + format(x))).join(delimiter));
        if (header !== null) lines.unshift(header.map(quote).join(delimiter));
        const text = (bom ? '\ufeff' : '') + lines.join(eol) + (trailing ? eol : '');
        const t = readCsvOrThrow({ text }, { header: header !== null, delimiter, dtype: 'float64' });
        expect(t.rows).toBe(cells.length);
        expect(t.cols).toBe(cells[0]!.length);
        expect(t.header).toEqual(header === null ? null : header.map((h) => h.trim()));
        const expected = cells.flat().map(([x]) => x);
        expect(t.data.length).toBe(expected.length);
        t.data.forEach((v, k) => expect(Object.is(v, expected[k])).toBe(true));
        // And as float32: the same numbers rounded once.
        const t32 = readCsvOrThrow({ text }, { header: header !== null, delimiter });
        t32.data.forEach((v, k) => expect(Object.is(v, Math.fround(expected[k]!))).toBe(true));
      }),
      { numRuns: 300 },
    );
  });
});

describe('readCsv: size limits', () => {
  it('checks a file\'s size before reading it: a 3 GiB (sparse) file is refused at once, by its size', () => {
    const dir = mkdtempSync(join(tmpdir(), 'typegrad-csv-size-'));
    try {
      const path = join(dir, 'huge.csv');
      writeFileSync(path, '1,2\n');
      truncateSync(path, 3 * 2 ** 30); // holes: no disk, but reading it would need 3 GiB (and Node refuses files over 2 GiB)
      const r = readCsv({ path });
      expect(E.isLeft(r) && r.left.message).toBe(`csv: ${path} is ${3 * 2 ** 30} bytes, more than maxBytes (${256 * 2 ** 20} bytes); pass { maxBytes } to raise the limit`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a file or a gzip that inflates past maxBytes, before or while reading, as a Left', () => {
    const dir = mkdtempSync(join(tmpdir(), 'typegrad-csv-limit-'));
    try {
      const text = '1,2\n'.repeat(1000); // 4000 bytes
      writeFileSync(join(dir, 'a.csv'), text);
      writeFileSync(join(dir, 'a.csv.gz'), gzipSync(text));
      for (const path of [join(dir, 'a.csv'), join(dir, 'a.csv.gz')]) {
        const r = readCsv({ path }, { maxBytes: 1000 });
        expect(E.isLeft(r) && r.left).toBeInstanceOf(CsvError);
        expect(E.isLeft(r) && r.left.message).toMatch(/more than maxBytes \(1000 bytes\); pass \{ maxBytes \} to raise the limit/);
        const ok = readCsv({ path }, { maxBytes: 4000 });
        expect(E.isRight(ok) && ok.right.rows).toBe(1000);
      }
      for (const bad of [0, -1, 1.5, '10', 2 ** 40]) {
        const r = readCsv({ path: join(dir, 'a.csv') }, { maxBytes: bad as never });
        expect(E.isLeft(r) && r.left.message).toMatch(/^csv: maxBytes must be an integer from 1 to \d+/);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
