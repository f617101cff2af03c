/**
 * The element types found in safetensors and `.npy` files, and how each
 * becomes a typegrad dtype. The conversion is fixed and exact:
 *
 * | file dtype | typegrad dtype | how |
 * | --- | --- | --- |
 * | F32, F64, I32, BOOL | float32, float64, int32, bool | as is (BOOL bytes must be 0 or 1) |
 * | F16, BF16 | float32 | widened; every half and bfloat16 value is a float32 value |
 * | I8, I16, U8, U16 | int32 | widened |
 * | I64, U32, U64 | int32 | range-checked: a value outside [-2^31, 2^31 - 1] is an error, never a wrap |
 *
 * Arrays in files are kept as {@link RawArray}s (little-endian, row-major
 * bytes) until converted, so a large U8 image array stays one byte per
 * pixel until it becomes a tensor.
 */
import type { DType, StorageOf } from '../core/dtype.js';
import { checkInteger } from '../core/validate.js';

/**
 * The element types the readers accept (safetensors spelling).
 *
 * @example
 * ```ts
 * const d: io.FileDType = 'BF16';
 * io.TARGET[d]; // 'float32'
 * ```
 */
export type FileDType = 'BOOL' | 'U8' | 'I8' | 'I16' | 'U16' | 'F16' | 'BF16' | 'I32' | 'U32' | 'F32' | 'I64' | 'U64' | 'F64';

/**
 * An array read from a file, before conversion: its file dtype, its dims and
 * its elements as little-endian bytes in row-major order.
 *
 * @example
 * ```ts
 * import { io } from 'typegrad';
 * const raw: io.RawArray = { dtype: 'U8', shape: [2, 2], bytes: new Uint8Array([0, 64, 128, 255]) };
 * io.rawToTensor(raw).dtype; // 'int32'
 * ```
 */
export interface RawArray {
  readonly dtype: FileDType;
  readonly shape: readonly number[];
  readonly bytes: Uint8Array;
}

/**
 * Bytes per element of each file dtype.
 *
 * @example
 * ```ts
 * io.ITEMSIZE.BF16; // 2
 * ```
 */
export const ITEMSIZE: Readonly<Record<FileDType, number>> = {
  BOOL: 1, U8: 1, I8: 1, I16: 2, U16: 2, F16: 2, BF16: 2, I32: 4, U32: 4, F32: 4, I64: 8, U64: 8, F64: 8,
};

/**
 * The typegrad dtype each file dtype converts to (see the module comment).
 *
 * @example
 * ```ts
 * io.TARGET.I64; // 'int32' (range-checked)
 * ```
 */
export const TARGET: Readonly<Record<FileDType, DType>> = {
  BOOL: 'bool', U8: 'int32', I8: 'int32', I16: 'int32', U16: 'int32', F16: 'float32', BF16: 'float32',
  I32: 'int32', U32: 'int32', F32: 'float32', I64: 'int32', U64: 'int32', F64: 'float64',
};

/** The file dtype each typegrad dtype is written as. */
export const FILE_DTYPE_OF: Readonly<Record<DType, FileDType>> = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };

/** True when `s` names a file dtype. */
export function isFileDType(s: string): s is FileDType {
  return Object.prototype.hasOwnProperty.call(ITEMSIZE, s);
}

/** True on little-endian hosts (all current JavaScript engines in practice). */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A fresh, 8-byte aligned copy of `bytes`, so that typed-array views of it are legal. */
function alignedCopy(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}

/**
 * IEEE half -> double: sign, 5-bit exponent (bias 15), 10-bit fraction; exponent 0 is subnormal, 31 is Inf/NaN.
 *
 * @example
 * ```ts
 * io.halfToNumber(0x3c00); // 1
 * io.halfToNumber(0x7bff); // 65504
 * ```
 */
export function halfToNumber(h: number): number {
  return half(checkInteger('io.halfToNumber', 'h', h, 0, 0xffff));
}

/** {@link halfToNumber} unchecked, for the decoding loop. */
function half(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * Why a conversion failed: element `index` holds `value`, which the target
 * dtype cannot hold. The caller wraps it with the file and tensor names.
 */
export class ConversionProblem {
  constructor(readonly index: number, readonly value: string, readonly reason: string) {}
}

/**
 * Converts a raw array's bytes to the storage of its target dtype (see the
 * table in the module comment). Returns a `ConversionProblem` for an
 * out-of-range integer or a BOOL byte other than 0 and 1.
 */
export function decode(dtype: FileDType, bytes: Uint8Array, size: number, alias = false): StorageOf[DType] | ConversionProblem {
  if (!LITTLE_ENDIAN) throw new Error(`io: big-endian hosts are not supported (reading ${dtype})`);
  // With `alias`, the caller gives up `bytes`: an aligned array is used in place, without a copy.
  const view = alias && bytes.byteOffset % ITEMSIZE[dtype] === 0;
  switch (dtype) {
    case 'F32':
      return view ? new Float32Array(bytes.buffer, bytes.byteOffset, size) : new Float32Array(alignedCopy(bytes), 0, size);
    case 'F64':
      return view ? new Float64Array(bytes.buffer, bytes.byteOffset, size) : new Float64Array(alignedCopy(bytes), 0, size);
    case 'I32':
      return view ? new Int32Array(bytes.buffer, bytes.byteOffset, size) : new Int32Array(alignedCopy(bytes), 0, size);
    case 'BOOL': {
      for (let i = 0; i < size; i++) if (bytes[i]! > 1) return new ConversionProblem(i, String(bytes[i]), 'a BOOL byte must be 0 or 1');
      return view ? bytes.subarray(0, size) : bytes.slice(0, size);
    }
    case 'U8':
      return Int32Array.from(bytes.subarray(0, size));
    case 'I8':
      return Int32Array.from(new Int8Array(bytes.buffer, bytes.byteOffset, size));
    case 'I16':
      return Int32Array.from(new Int16Array(alignedCopy(bytes), 0, size));
    case 'U16':
      return Int32Array.from(new Uint16Array(alignedCopy(bytes), 0, size));
    case 'U32': {
      const v = new Int32Array(alignedCopy(bytes), 0, size);
      for (let i = 0; i < size; i++) if (v[i]! < 0) return new ConversionProblem(i, String(v[i]! >>> 0), 'outside the int32 range');
      return v;
    }
    case 'I64':
    case 'U64': {
      // A 64-bit value fits int32 when its high word is the sign extension of its low word (I64),
      // or zero with a non-negative low word (U64).
      const w = new Int32Array(alignedCopy(bytes), 0, 2 * size);
      const out = new Int32Array(size);
      for (let i = 0; i < size; i++) {
        const lo = w[2 * i]!, hi = w[2 * i + 1]!;
        const ok = dtype === 'I64' ? hi === lo >> 31 : hi === 0 && lo >= 0;
        if (!ok) {
          const big = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
          return new ConversionProblem(i, String(dtype === 'I64' ? BigInt.asIntN(64, big) : big), 'outside the int32 range');
        }
        out[i] = lo;
      }
      return out;
    }
    case 'F16': {
      const h = new Uint16Array(alignedCopy(bytes), 0, size);
      const out = new Float32Array(size);
      for (let i = 0; i < size; i++) out[i] = half(h[i]!);
      return out;
    }
    case 'BF16': {
      // bfloat16 is the high half of a float32.
      const h = new Uint16Array(alignedCopy(bytes), 0, size);
      const out = new Float32Array(size);
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < size; i++) bits[i] = h[i]! << 16;
      return out;
    }
  }
}

/** The little-endian bytes of a tensor's storage (a fresh copy). */
export function encode(data: StorageOf[DType]): Uint8Array {
  if (!LITTLE_ENDIAN) throw new Error('io: big-endian hosts are not supported');
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
}

/** A view of a tensor's storage as bytes, without a copy (for writers that copy anyway). */
export function bytesView(data: StorageOf[DType]): Uint8Array {
  if (!LITTLE_ENDIAN) throw new Error('io: big-endian hosts are not supported');
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
