/**
 * NumPy's `.npy` format: the magic `\x93NUMPY`, a major and a minor version
 * byte, the header length (uint16 little-endian in version 1, uint32 in
 * versions 2 and 3), the header (a Python dict literal, latin-1 in versions
 * 1 and 2, UTF-8 in version 3), then the elements.
 *
 * The reader accepts versions 1.0, 2.0 and 3.0, little- and big-endian
 * data (swapped to little-endian), C and Fortran order (transposed to C
 * order), 0-d arrays and size-0 dims. It parses the header with a strict
 * grammar (`npy-header.ts`), never evaluates it, refuses object dtypes
 * (pickles) and structured dtypes, refuses headers over `maxHeaderSize`
 * characters (NumPy's default limit, 10000), and checks that the data are
 * exactly `product(shape) * itemsize` bytes before it copies anything.
 * The writer writes version 1.0 (2.0 when the header needs it), C order,
 * little-endian. No `node:` import here.
 */
import { FormatError } from './errors.js';
import { ITEMSIZE, type FileDType, type RawArray } from './dtypes.js';
import { formatNpyHeader, parseNpyHeader } from './npy-header.js';
import { concat, sizeOf } from './raw.js';
import { checkBytes, checkOptions } from '../core/validate.js';
import { checkRaw } from './raw.js';

/**
 * Options of {@link parseNpy}.
 *
 * @example
 * ```ts
 * io.parseNpy(bytes, { name: 'x.npy', maxHeaderSize: 20000 });
 * ```
 */
export interface NpyOptions {
  /** The file name used in messages; default `<bytes>`. */
  readonly name?: string;
  /** The longest header accepted, in characters; default 10000 (NumPy's `max_header_size`). */
  readonly maxHeaderSize?: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** `.npy` type codes (kind + size) and the file dtype each reads as. */
const DESCR: Readonly<Record<string, FileDType>> = {
  b1: 'BOOL', u1: 'U8', i1: 'I8', i2: 'I16', u2: 'U16', f2: 'F16', i4: 'I32', u4: 'U32', f4: 'F32', i8: 'I64', u8: 'U64', f8: 'F64',
};
const DESCR_OF: Readonly<Partial<Record<FileDType, string>>> = { BOOL: '|b1', U8: '|u1', I8: '|i1', I16: '<i2', U16: '<u2', F16: '<f2', I32: '<i4', U32: '<u4', F32: '<f4', I64: '<i8', U64: '<u8', F64: '<f8' };

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses a `.npy` file into a raw array (little-endian, row-major bytes,
 * a view into `bytes` when no reordering is needed; convert with
 * `io.rawToTensor`). Throws a `FormatError` naming the file.
 *
 * @example
 * ```ts
 * import { io, tensor } from 'typegrad';
 * const raw = io.parseNpy(io.toNpy(tensor([[1, 2], [3, 4]])));
 * raw.dtype; // 'F32'
 * raw.shape; // [2, 2]
 * ```
 */
export function parseNpy(bytes: Uint8Array, options: NpyOptions = {}): RawArray {
  checkBytes('io.parseNpy', 'bytes', bytes);
  options = checkOptions('io.parseNpy', options);
  const file = options.name ?? '<bytes>';
  const maxHeader = options.maxHeaderSize ?? 10000;
  const fail = (what: string): never => {
    throw new FormatError('npy', file, what);
  };
  if (!(bytes instanceof Uint8Array)) fail(`expected a Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`);
  if (bytes.length < 10 || MAGIC.some((b, k) => bytes[k] !== b)) {
    const got = Array.from(bytes.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(' ');
    fail(`bad magic string: expected 93 4e 55 4d 50 59 ("\\x93NUMPY") and a version, got ${bytes.length < 10 ? `${bytes.length} bytes` : got}`);
  }
  const major = bytes[6]!, minor = bytes[7]!;
  if (![1, 2, 3].includes(major) || minor !== 0) fail(`unknown format version ${major}.${minor} (expected 1.0, 2.0 or 3.0)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) fail(`${bytes.length} bytes, too short for the header length`);
  const headerLength = major === 1 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const start = 8 + lenBytes;
  if (headerLength > maxHeader) fail(`header is ${headerLength} bytes, over the ${maxHeader}-byte limit (maxHeaderSize)`);
  if (start + headerLength > bytes.length) fail(`header length ${headerLength} is past the end of the file (${bytes.length} bytes)`);
  let text = '';
  try {
    text = (major === 3 ? utf8 : latin1).decode(bytes.subarray(start, start + headerLength));
  } catch {
    fail('the version 3 header is not valid UTF-8');
  }
  let header;
  try {
    header = parseNpyHeader(text);
  } catch (e) {
    return fail(`cannot parse the header: ${(e as Error).message}`);
  }
  const m = /^([<>|=])([a-zA-Z])(\d+)$/.exec(header.descr);
  if (header.descr.includes('O')) fail(`object arrays (descr ${JSON.stringify(header.descr)}) are pickles and are always refused`);
  const dtype = m === null ? undefined : DESCR[`${m[2]}${m[3]}`];
  if (m === null || dtype === undefined) return fail(`unsupported dtype ${JSON.stringify(header.descr)} (supported: bool, int8-64, uint8-64, float16, float32, float64)`);
  const order = m[1]!;
  const size = ITEMSIZE[dtype];
  if (order === '|' && size > 1) fail(`descr ${JSON.stringify(header.descr)}: byte order '|' is for one-byte types only`);
  const count = sizeOf(header.shape);
  const need = count * size;
  const have = bytes.length - start - headerLength;
  if (!Number.isSafeInteger(need) || need !== have) {
    fail(
      `shape (${header.shape.join(', ')}) of ${header.descr} needs ${Number.isSafeInteger(need) ? need : 'over 2^53'} bytes of data but the file has ${have}${have < need ? ' (truncated: file not fully written?)' : ' (trailing bytes)'}`,
    );
  }
  // A view of the input; copied only when the bytes must be swapped or reordered.
  let data: Uint8Array = bytes.subarray(start + headerLength);
  if (order === '>' && size > 1) byteSwap((data = data.slice()), size);
  if (header.fortranOrder && header.shape.length > 1) data = fortranToC(data, header.shape, size);
  return { dtype, shape: header.shape, bytes: data };
}

/** Reverses the bytes of each `size`-byte element in place. */
function byteSwap(data: Uint8Array, size: number): void {
  for (let i = 0; i < data.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = data[a]!;
      data[a] = data[b]!;
      data[b] = t;
    }
  }
}

/**
 * Column-major to row-major: element (i0, ..., ik) sits at
 * `sum_j i_j * stride_j` with `stride_0 = 1`, `stride_j = stride_{j-1} * shape_{j-1}`.
 */
function fortranToC(data: Uint8Array, shape: readonly number[], size: number): Uint8Array {
  const n = sizeOf(shape);
  const out = new Uint8Array(data.length);
  const rank = shape.length;
  const strides = new Array<number>(rank);
  let s = 1;
  for (let j = 0; j < rank; j++) {
    strides[j] = s;
    s *= shape[j]!;
  }
  const index = new Array<number>(rank).fill(0);
  let src = 0;
  for (let k = 0; k < n; k++) {
    out.set(data.subarray(src * size, src * size + size), k * size);
    // Advance the row-major counter (last axis fastest) and the column-major source offset with it.
    for (let j = rank - 1; j >= 0; j--) {
      index[j]!++;
      src += strides[j]!;
      if (index[j]! < shape[j]!) break;
      src -= strides[j]! * shape[j]!;
      index[j] = 0;
    }
  }
  return out;
}

/**
 * Writes a raw array as a `.npy` file (version 1.0, or 2.0 for a header
 * over 65535 bytes; little-endian; C order).
 *
 * @example
 * ```ts
 * import { io } from 'typegrad';
 * const bytes = io.serializeNpy({ dtype: 'F64', shape: [], bytes: new Uint8Array(8) });
 * ```
 */
export function serializeNpy(raw: RawArray): Uint8Array {
  checkRaw('io.serializeNpy', 'raw', raw);
  return concat(npyChunks(raw));
}

/** The bytes of a `.npy` file as chunks: the preamble and header, then `raw.bytes` itself (no copy). */
export function npyChunks(raw: RawArray): Uint8Array[] {
  const descr = DESCR_OF[raw.dtype];
  if (descr === undefined) throw new FormatError('npy', '<write>', `dtype ${raw.dtype} has no .npy equivalent`);
  if (raw.bytes.length !== sizeOf(raw.shape) * ITEMSIZE[raw.dtype]) {
    throw new FormatError('npy', '<write>', `${raw.bytes.length} bytes for ${raw.dtype} [${raw.shape.join(',')}]`);
  }
  let version = 1;
  let header = formatNpyHeader(descr, raw.shape, 10);
  if (header.length > 65535) {
    version = 2;
    header = formatNpyHeader(descr, raw.shape, 12);
  }
  const pre = version === 1 ? 10 : 12;
  const head = new Uint8Array(pre + header.length);
  head.set(MAGIC, 0);
  head[6] = version;
  head[7] = 0;
  const dv = new DataView(head.buffer);
  if (version === 1) dv.setUint16(8, header.length, true);
  else dv.setUint32(8, header.length, true);
  for (let k = 0; k < header.length; k++) head[pre + k] = header.charCodeAt(k);
  return [head, raw.bytes];
}
