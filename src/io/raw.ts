/**
 * Raw arrays to tensors and back, with the conversions of `dtypes.ts`.
 */
import type { DType } from '../core/dtype.js';
import { ValueError } from '../core/errors.js';
import { type AnyTensor, dimsOf, fromStorage, storageOf } from '../core/tensor.js';
import { ConversionProblem, FILE_DTYPE_OF, ITEMSIZE, TARGET, bytesView, decode, encode, isFileDType, type RawArray } from './dtypes.js';
import { describeValue } from '../core/describe.js';
import { checkBytes, checkDims, checkIterable, checkObject, checkTensor } from '../core/validate.js';

/** The number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * A raw array as a tensor of its target dtype (F16 -> float32, I64 ->
 * int32 range-checked, ...; see `io.FileDType`). `where` names the file and
 * the entry in error messages.
 *
 * @example
 * ```ts
 * import { io } from 'typegrad';
 * const t = io.rawToTensor({ dtype: 'I64', shape: [1], bytes: new Uint8Array([7, 0, 0, 0, 0, 0, 0, 0]) });
 * t.toArray(); // [7] (int32)
 * ```
 */
export function rawToTensor(raw: RawArray, where = 'io.rawToTensor', transfer = false): AnyTensor {
  checkRaw(where, 'raw', raw);
  const size = sizeOf(raw.shape);
  const data = decode(raw.dtype, raw.bytes, size, transfer);
  if (data instanceof ConversionProblem) {
    throw new ValueError(
      `${where}: element ${data.index} of the ${raw.dtype} array is ${data.value}, ${data.reason}; ${raw.dtype} converts to ${TARGET[raw.dtype]} only where every value fits`,
    );
  }
  return fromStorage(data, raw.shape.slice(), TARGET[raw.dtype] as DType);
}

/**
 * A tensor as a raw array of its file dtype (float32 -> F32, float64 -> F64,
 * int32 -> I32, bool -> BOOL); the bytes are a copy.
 *
 * @example
 * ```ts
 * import { io, tensor } from 'typegrad';
 * io.tensorToRaw(tensor([1, 2])).bytes.length; // 8
 * ```
 */
export function tensorToRaw(t: AnyTensor): RawArray {
  checkTensor('io.tensorToRaw', 't', t);
  const c = t.concrete();
  return { dtype: FILE_DTYPE_OF[c.dtype], shape: dimsOf(c).slice(), bytes: encode(storageOf(c)) };
}

/** @internal Like `tensorToRaw`, but `bytes` is a read-only view of the tensor's storage (no copy), for writers. */
export function tensorView(t: AnyTensor, op = 'io'): RawArray {
  checkTensor(op, 'a leaf', t);
  const c = t.concrete();
  return { dtype: FILE_DTYPE_OF[c.dtype], shape: dimsOf(c).slice(), bytes: bytesView(storageOf(c)) };
}

/**
 * @internal Throws unless `raw` is a raw array: a known file dtype, a shape
 * of non-negative integers and a Uint8Array of bytes.
 */
export function checkRaw(op: string, name: string, raw: unknown): RawArray {
  const r = checkObject<Partial<RawArray>>(op, name, raw);
  if (typeof r.dtype !== 'string' || !isFileDType(r.dtype)) throw new ValueError(`${op}: ${name}.dtype must be a file dtype (${Object.keys(ITEMSIZE).join(', ')}), got ${describeValue(r.dtype)}`);
  checkDims(op, r.shape, `${name}.shape`);
  checkBytes(op, `${name}.bytes`, r.bytes);
  return raw as RawArray;
}

/**
 * @internal The [name, raw array] pairs of `entries` (an iterable of them or
 * a Map), read once into an array; throws at the first that is not a pair.
 */
export function checkEntries(op: string, entries: unknown): (readonly [string, RawArray])[] {
  const list = [...checkIterable(op, 'arrays', entries)];
  list.forEach((e, i) => {
    if (!Array.isArray(e) || typeof e[0] !== 'string') throw new ValueError(`${op}: arrays[${i}] must be a [name, raw array] pair, got ${describeValue(e)}`);
    checkRaw(op, `arrays[${i}] (${JSON.stringify(e[0])})`, e[1]);
  });
  return list as (readonly [string, RawArray])[];
}

/** Joins chunks into one array. */
export function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
