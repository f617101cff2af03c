/**
 * The `.npy` header: a Python dict literal such as
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`.
 * NumPy reads it with `ast.literal_eval`; this is a strict grammar for the
 * only form a valid header takes, and it evaluates nothing:
 *
 *     header  := ws '{' ws entry (ws ',' ws entry)* (ws ',')? ws '}' ws
 *     entry   := string ws ':' ws value
 *     value   := string | 'True' | 'False' | tuple | list
 *     tuple   := '(' ws ')' | '(' ws int ws ',' ws ')' | '(' ws int (ws ',' ws int)+ (ws ',')? ws ')'
 *     string  := "'" chars "'" | '"' chars '"'      (no escapes)
 *     int     := [0-9]+
 *
 * Keys must be exactly `descr`, `fortran_order` and `shape`, each once. A
 * `list` value is parsed only to say that structured dtypes are refused.
 */

/** A parsed header. */
export interface NpyHeader {
  readonly descr: string;
  readonly fortranOrder: boolean;
  readonly shape: number[];
}

type Value = string | boolean | number[] | { list: true };

/** Parses the dict; throws an `Error` whose message says what is wrong (the caller adds the file name). */
export function parseNpyHeader(text: string): NpyHeader {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at character ${i} of the header ${JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}...` : text)}`);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const str = (): string => {
    const q = text[i];
    if (q !== "'" && q !== '"') fail('expected a quoted string');
    const end = text.indexOf(q!, i + 1);
    if (end < 0) fail('unterminated string');
    const s = text.slice(i + 1, end);
    if (s.includes('\\') || s.includes('\n')) fail('escapes are not allowed in header strings');
    i = end + 1;
    return s;
  };
  const int = (): number => {
    const m = /^[0-9]+/.exec(text.slice(i, i + 40));
    if (m === null) return fail('expected a non-negative integer');
    if (m[0].length > 16) fail('dimension too large');
    i += m[0].length;
    return Number(m[0]);
  };
  const tuple = (): number[] => {
    i++; // '('
    ws();
    const dims: number[] = [];
    if (text[i] === ')') {
      i++;
      return dims;
    }
    for (;;) {
      dims.push(int());
      ws();
      if (text[i] === ',') {
        i++;
        ws();
        if (text[i] === ')') {
          i++;
          return dims;
        }
      } else if (text[i] === ')') {
        if (dims.length === 1) fail('a one-element tuple needs a trailing comma: (n,)');
        i++;
        return dims;
      } else fail("expected ',' or ')' in the shape tuple");
    }
  };
  const value = (): Value => {
    const c = text[i];
    if (c === "'" || c === '"') return str();
    if (text.startsWith('True', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('False', i)) {
      i += 5;
      return false;
    }
    if (c === '(') return tuple();
    if (c === '[') return { list: true };
    return fail('expected a string, True, False or a tuple');
  };
  const entries = new Map<string, Value>();
  ws();
  if (text[i] !== '{') fail("expected '{'");
  i++;
  ws();
  for (;;) {
    if (text[i] === '}') break;
    const key = str();
    if (key !== 'descr' && key !== 'fortran_order' && key !== 'shape') fail(`unexpected key ${JSON.stringify(key)} (expected descr, fortran_order and shape)`);
    if (entries.has(key)) fail(`duplicate key ${JSON.stringify(key)}`);
    ws();
    if (text[i] !== ':') fail("expected ':'");
    i++;
    ws();
    const v = value();
    entries.set(key, v);
    if (typeof v === 'object' && !Array.isArray(v)) break; // a structured descr; refused below
    ws();
    if (text[i] === ',') {
      i++;
      ws();
    } else if (text[i] !== '}') fail("expected ',' or '}'");
  }
  const descr = entries.get('descr');
  if (typeof descr === 'object' && !Array.isArray(descr)) throw new Error('structured (record) dtypes are not supported: descr is a list');
  i++;
  ws();
  if (i !== text.length) fail('unexpected text after the dict');
  const fortran = entries.get('fortran_order');
  const shape = entries.get('shape');
  if (typeof descr !== 'string') fail(descr === undefined ? "missing key 'descr'" : "'descr' must be a string");
  if (typeof fortran !== 'boolean') fail(fortran === undefined ? "missing key 'fortran_order'" : "'fortran_order' must be True or False");
  if (!Array.isArray(shape)) fail(shape === undefined ? "missing key 'shape'" : "'shape' must be a tuple of integers");
  return { descr: descr as string, fortranOrder: fortran as boolean, shape: shape as number[] };
}

/**
 * The `.npy` header text for an array, as NumPy writes it: sorted keys, a
 * trailing comma, space-padded and ended by `\n` so that the data start at
 * a multiple of 64 bytes (`preamble` is the bytes before the header text).
 */
export function formatNpyHeader(descr: string, shape: readonly number[], preamble: number): string {
  const dims = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${dims}, }`;
  const total = Math.ceil((preamble + dict.length + 1) / 64) * 64;
  return dict + ' '.repeat(total - preamble - dict.length - 1) + '\n';
}
