/**
 * The IDX format of MNIST and Fashion-MNIST, raw or gzip-compressed.
 *
 * Layout: a 4-byte magic number (two zero bytes, a type byte, the number of
 * dims), one big-endian uint32 per dim, then the elements in row-major order,
 * big-endian. Nothing in the format guards against truncation or trailing
 * bytes, so the reader checks that the data is exactly
 * `product(dims) * elementSize` bytes, and does so before it allocates the
 * result. For gzip input it reads the header from a small decompressed prefix
 * and then decompresses with an output limit one byte past what the header
 * allows, so a file that inflates to more than it claims (a "zip bomb") is
 * refused without being inflated in full.
 */
import { platform } from '../platform/index.js';
import * as E from 'fp-ts/lib/Either.js';
import { describeValue } from '../core/describe.js';
import { IdxError } from './errors.js';
import { checkArray, checkObject, checkOptions } from '../core/validate.js';
import { inOp } from '../core/errors.js';

/**
 * Options of {@link readIdx}.
 *
 * - `maxBytes`: the most bytes the decompressed file (header and data) may
 *   hold, default 1 GiB. Checked against the header before anything is
 *   inflated or allocated; raise it for larger files.
 *
 * @example
 * ```ts
 * const opts: IdxOptions = { maxBytes: 4 * 2 ** 30 };
 * ```
 */
export interface IdxOptions {
  readonly maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 2 ** 30;

/** The element types IDX can hold. */
export type IdxDType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/**
 * The typed array that holds each IDX element type.
 *
 * @example
 * ```ts
 * const labels: IdxStorageOf['uint8'] = new Uint8Array(10);
 * ```
 */
export interface IdxStorageOf {
  uint8: Uint8Array;
  int8: Int8Array;
  int16: Int16Array;
  int32: Int32Array;
  float32: Float32Array;
  float64: Float64Array;
}

/**
 * A decoded IDX array: its element type, its dims (outermost first) and its
 * elements in row-major order. The `dtype` field tells the `data` type apart.
 *
 * @example
 * ```ts
 * const a: IdxArray = { dtype: 'uint8', dims: [2, 2], data: new Uint8Array([1, 2, 3, 4]) };
 * if (a.dtype === 'uint8') a.data; // Uint8Array
 * ```
 */
export type IdxArray = { [D in IdxDType]: { readonly dtype: D; readonly dims: readonly number[]; readonly data: IdxStorageOf[D] } }[IdxDType];

/** Type byte and element size of each element type. */
const TYPES: Record<IdxDType, { code: number; size: number }> = {
  uint8: { code: 0x08, size: 1 },
  int8: { code: 0x09, size: 1 },
  int16: { code: 0x0b, size: 2 },
  int32: { code: 0x0c, size: 4 },
  float32: { code: 0x0d, size: 4 },
  float64: { code: 0x0e, size: 8 },
};

const BY_CODE = new Map<number, IdxDType>(Object.entries(TYPES).map(([name, t]) => [t.code, name as IdxDType]));

const hex2 = (b: number): string => `0x${b.toString(16).padStart(2, '0')}`;

const isGzip = (b: Uint8Array): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;

interface Header {
  dtype: IdxDType;
  dims: number[];
  /** Bytes before the data: 4 + 4 * ndims. */
  headerBytes: number;
  /** Bytes of data the dims call for. */
  dataBytes: number;
}

function describe(h: Header): string {
  return `dims [${h.dims.join(',')}] of ${h.dtype}`;
}

/** Parses the header at the start of `b`; `b` may hold only part of the file. */
function readHeader(b: Uint8Array, maxBytes: number, what = 'input'): E.Either<IdxError, Header> {
  if (b.length < 4) return E.left(new IdxError(`idx: ${what} is ${b.length} bytes, too short for the 4-byte magic number`));
  if (b[0] !== 0 || b[1] !== 0) {
    const magic = Array.from(b.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join('');
    return E.left(new IdxError(`idx: bad magic number 0x${magic}: the first two bytes must be 0 (is this an IDX file?)`));
  }
  const dtype = BY_CODE.get(b[2]!);
  if (dtype === undefined) {
    return E.left(
      new IdxError(
        `idx: unknown type byte ${hex2(b[2]!)}: expected 0x08 (uint8), 0x09 (int8), 0x0b (int16), 0x0c (int32), 0x0d (float32) or 0x0e (float64)`,
      ),
    );
  }
  const ndims = b[3]!;
  const headerBytes = 4 + 4 * ndims;
  if (b.length < headerBytes) {
    return E.left(new IdxError(`idx: header is truncated: ${ndims} dims need a ${headerBytes}-byte header, ${what} has ${b.length} bytes`));
  }
  const view = new DataView(b.buffer, b.byteOffset, headerBytes);
  const dims: number[] = [];
  let count = 1;
  for (let k = 0; k < ndims; k++) {
    const d = view.getUint32(4 + 4 * k, false);
    dims.push(d);
    count *= d;
  }
  const dataBytes = count * TYPES[dtype].size;
  const kMaxLength = platform().maxBufferBytes;
  if (dataBytes + headerBytes > kMaxLength) {
    return E.left(new IdxError(`idx: dims [${dims.join(',')}] of ${dtype} need ${dataBytes} bytes, more than the largest buffer (${kMaxLength} bytes)`));
  }
  if (dataBytes + headerBytes > maxBytes) {
    return E.left(
      new IdxError(`idx: dims [${dims.join(',')}] of ${dtype} need ${dataBytes} bytes, more than maxBytes (${maxBytes}); pass { maxBytes } to raise the limit`),
    );
  }
  return E.right({ dtype, dims, headerBytes, dataBytes });
}

/** Checks that `total` bytes of input is exactly the header plus the data. */
function checkLength(h: Header, total: number): E.Either<IdxError, Header> {
  const found = total - h.headerBytes;
  if (found < h.dataBytes) {
    return E.left(new IdxError(`idx: data is truncated: ${describe(h)} need ${h.dataBytes} bytes, input has ${found}`));
  }
  if (found > h.dataBytes) {
    return E.left(new IdxError(`idx: input has ${found - h.dataBytes} bytes after the data: ${describe(h)} need ${h.dataBytes} bytes, input has ${found}`));
  }
  return E.right(h);
}

type Inflated = { bytes: Uint8Array } | { tooLarge: true } | { truncated: true };

/** gunzip with an output limit; a stream cut short is inflated as far as it goes when `partial`. */
function inflate(compressed: Uint8Array, limit: number, partial: boolean): Inflated {
  try {
    return { bytes: platform().gunzip(compressed, { partial, maxOutputLength: limit }) };
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') return { tooLarge: true };
    if (code === 'Z_BUF_ERROR') return { truncated: true };
    throw e;
  }
}

/** The longest IDX header: 4 bytes of magic and 255 dims of 4 bytes. */
const MAX_HEADER = 4 + 4 * 255;
/**
 * Output bound while looking for the header. One compressed byte inflates to
 * at most 8 length-258 matches (2064 bytes), so a prefix one byte longer than
 * one that lacks the header never inflates past MAX_HEADER + 2064 < HEAD_LIMIT.
 */
const HEAD_LIMIT = 8192;

/**
 * The decompressed start of `compressed`, long enough to hold the IDX header
 * (or all of it when shorter), inflating at most HEAD_LIMIT bytes per try.
 * A binary search over compressed prefixes: a long gzip FNAME/FCOMMENT field
 * or empty deflate blocks before a bomb cannot make it inflate more.
 */
function inflateHead(compressed: Uint8Array): Uint8Array {
  let lo = 0; // a prefix known to lack the header
  let hi = Infinity; // a prefix known to inflate past HEAD_LIMIT
  let best: Uint8Array = new Uint8Array(0);
  for (let p = Math.min(1024, compressed.length); ; ) {
    const r = inflate(compressed.subarray(0, p), HEAD_LIMIT, true);
    if ('tooLarge' in r) {
      hi = p;
    } else {
      const head = 'bytes' in r ? r.bytes : new Uint8Array(0);
      best = head;
      const need = head.length < 4 ? 4 : 4 + 4 * head[3]!;
      if (head.length >= Math.min(need, MAX_HEADER) || p >= compressed.length) return head;
      lo = p;
    }
    const next = hi === Infinity ? Math.min(p * 4, compressed.length) : Math.floor((lo + hi) / 2);
    if (next <= lo || next >= hi) return best; // cannot happen (see HEAD_LIMIT); stop rather than loop
    p = next;
  }
}

/** Decompresses gzip input, refusing output longer than its IDX header allows. */
function gunzipIdx(compressed: Uint8Array, maxBytes: number): E.Either<IdxError, { bytes: Uint8Array; header: Header }> {
  try {
    const header = readHeader(inflateHead(compressed), maxBytes, 'decompressed input');
    if (E.isLeft(header)) return header;
    const h = header.right;
    const expected = h.headerBytes + h.dataBytes;
    const limit = Math.min(platform().maxBufferBytes, expected + 1);
    const tooLong = (): E.Either<IdxError, never> =>
      E.left(new IdxError(`idx: decompressed input is longer than the ${expected} bytes its header allows (${describe(h)}): extra bytes after the data`));
    const full = inflate(compressed, limit, false);
    if ('tooLarge' in full) return tooLong();
    if ('truncated' in full) {
      // The gzip stream itself ends early: say how much data it did hold.
      const part = inflate(compressed, limit, true);
      if ('tooLarge' in part) return tooLong();
      const held = 'bytes' in part ? part.bytes.length : 0;
      const checked = checkLength(h, held);
      const why = E.isLeft(checked) ? checked.left.message.slice('idx: '.length) : 'the data is complete but the gzip trailer is missing';
      return E.left(new IdxError(`idx: gzip stream is truncated: ${why}`));
    }
    const checked = checkLength(h, full.bytes.length);
    return E.isLeft(checked) ? checked : E.right({ bytes: full.bytes, header: h });
  } catch (e) {
    return E.left(new IdxError(`idx: cannot gunzip: ${(e as Error).message}`, { cause: e }));
  }
}

/** Copies the data out of `b`, decoding big-endian elements. */
function decode(b: Uint8Array, h: Header): IdxArray {
  const n = h.dataBytes / TYPES[h.dtype].size;
  const at = b.byteOffset + h.headerBytes;
  const view = new DataView(b.buffer, at, h.dataBytes);
  const dims = Object.freeze(h.dims.slice());
  switch (h.dtype) {
    case 'uint8': {
      // A copy, never a view: Buffer#slice (the input may be a Buffer) would share memory.
      const data = new Uint8Array(n);
      data.set(b.subarray(h.headerBytes, h.headerBytes + n));
      return { dtype: 'uint8', dims, data };
    }
    case 'int8':
      return { dtype: 'int8', dims, data: new Int8Array(b.buffer.slice(at, at + n)) };
    case 'int16': {
      const data = new Int16Array(n);
      for (let i = 0; i < n; i++) data[i] = view.getInt16(2 * i, false);
      return { dtype: 'int16', dims, data };
    }
    case 'int32': {
      const data = new Int32Array(n);
      for (let i = 0; i < n; i++) data[i] = view.getInt32(4 * i, false);
      return { dtype: 'int32', dims, data };
    }
    case 'float32': {
      const data = new Float32Array(n);
      for (let i = 0; i < n; i++) data[i] = view.getFloat32(4 * i, false);
      return { dtype: 'float32', dims, data };
    }
    case 'float64': {
      const data = new Float64Array(n);
      for (let i = 0; i < n; i++) data[i] = view.getFloat64(8 * i, false);
      return { dtype: 'float64', dims, data };
    }
  }
}

/**
 * Reads an IDX array from bytes or from a file (a string or URL is a path),
 * gzip-compressed (detected by the magic bytes 1f 8b) or raw. Problems come
 * back as `Left(IdxError)`: a short or bad magic number, an unknown type
 * byte, a truncated header, data shorter or longer than the dims say, a
 * corrupt gzip stream, a missing file.
 *
 * @example
 * ```ts
 * import { readIdx } from 'typegrad';
 * const r = readIdx('t10k-labels-idx1-ubyte.gz');
 * if (r._tag === 'Right') r.right.dims; // [10000]
 * ```
 */
export function readIdx(source: Uint8Array | string | URL, options: IdxOptions = {}): E.Either<IdxError, IdxArray> {
  if (typeof options !== 'object' || options === null) return E.left(new IdxError(`readIdx: options must be an object, got ${describeValue(options)}`));
  const maxBytes = options?.maxBytes ?? DEFAULT_MAX_BYTES;
  if (typeof maxBytes !== 'number' || !Number.isInteger(maxBytes) || maxBytes < 1) {
    return E.left(new IdxError(`readIdx: maxBytes must be a positive integer, got ${describeValue(maxBytes)}`));
  }
  let bytes: Uint8Array;
  if (source instanceof Uint8Array) {
    bytes = source;
  } else if (typeof source === 'string' || source instanceof URL) {
    try {
      bytes = platform().readFile(source, maxBytes); // the size is checked before the file is read
    } catch (e) {
      const big = e as { code?: string; size?: number };
      if (big.code === 'ERR_FILE_TOO_LARGE') {
        return E.left(new IdxError(`readIdx: ${String(source)} is ${big.size} bytes, more than maxBytes (${maxBytes}); pass { maxBytes } to raise the limit`));
      }
      return E.left(new IdxError(`readIdx: cannot read ${String(source)}: ${(e as Error).message}`, { cause: e }));
    }
  } else {
    return E.left(new IdxError(`readIdx: source must be bytes (a Uint8Array), a path or a URL, got ${describeValue(source)}`));
  }
  if (isGzip(bytes)) {
    const r = gunzipIdx(bytes, maxBytes);
    return E.isLeft(r) ? r : E.right(decode(r.right.bytes, r.right.header));
  }
  const header = readHeader(bytes, maxBytes);
  if (E.isLeft(header)) return header;
  const checked = checkLength(header.right, bytes.length);
  return E.isLeft(checked) ? checked : E.right(decode(bytes, checked.right));
}

/**
 * Like {@link readIdx}, but throws the {@link IdxError} instead of returning it.
 *
 * @example
 * ```ts
 * import { readIdxOrThrow } from 'typegrad';
 * const labels = readIdxOrThrow('train-labels-idx1-ubyte.gz'); // { dtype: 'uint8', dims: [60000], data }
 * ```
 */
export function readIdxOrThrow(source: Uint8Array | string | URL, options: IdxOptions = {}): IdxArray {
  checkOptions('readIdxOrThrow', options);
  try {
    const r = readIdx(source, options);
    if (E.isLeft(r)) throw r.left;
    return r.right;
  } catch (e) {
    throw inOp('readIdxOrThrow', e);
  }
}

/**
 * Encodes an array as raw (uncompressed) IDX bytes; `gzipSync` the result for
 * a `.gz` file. Throws an IdxError when the data length does not match the
 * dims or a dim does not fit in a uint32.
 *
 * @example
 * ```ts
 * import { encodeIdx, readIdxOrThrow } from 'typegrad';
 * const bytes = encodeIdx({ dtype: 'int16', dims: [2], data: new Int16Array([-1, 300]) });
 * readIdxOrThrow(bytes).data; // Int16Array [-1, 300]
 * ```
 */
export function encodeIdx(array: IdxArray): Uint8Array {
  const { dtype, dims, data } = checkObject<IdxArray>('encodeIdx', 'array', array);
  const t = Object.hasOwn(TYPES, dtype) ? TYPES[dtype] : undefined;
  if (t === undefined) throw new IdxError(`encodeIdx: unknown dtype ${describeValue(dtype)}; expected ${Object.keys(TYPES).join(', ')}`);
  checkArray('encodeIdx', 'array.dims', dims);
  if (!ArrayBuffer.isView(data)) throw new IdxError(`encodeIdx: array.data must be a typed array, got ${describeValue(data)}`);
  if (dims.length > 255) throw new IdxError(`idx: at most 255 dims, got ${dims.length}`);
  let count = 1;
  for (const d of dims) {
    if (!Number.isInteger(d) || d < 0 || d > 0xffffffff) throw new IdxError(`idx: dim ${d} is not a uint32`);
    count *= d;
  }
  if (count !== data.length) throw new IdxError(`idx: dims [${dims.join(',')}] hold ${count} elements, data has ${data.length}`);
  const headerBytes = 4 + 4 * dims.length;
  const out = new Uint8Array(headerBytes + count * t.size);
  const view = new DataView(out.buffer);
  out[2] = t.code;
  out[3] = dims.length;
  dims.forEach((d, k) => view.setUint32(4 + 4 * k, d, false));
  const at = headerBytes;
  for (let i = 0; i < count; i++) {
    const v = data[i]!;
    switch (dtype) {
      case 'uint8':
        view.setUint8(at + i, v);
        break;
      case 'int8':
        view.setInt8(at + i, v);
        break;
      case 'int16':
        view.setInt16(at + 2 * i, v, false);
        break;
      case 'int32':
        view.setInt32(at + 4 * i, v, false);
        break;
      case 'float32':
        view.setFloat32(at + 4 * i, v, false);
        break;
      case 'float64':
        view.setFloat64(at + 8 * i, v, false);
        break;
    }
  }
  return out;
}
