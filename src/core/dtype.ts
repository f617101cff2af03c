import { DTypeError, ResourceError } from './errors.js';
import { describeValue } from './describe.js';
import { platform } from '../platform/index.js';

/** The element types a tensor can hold. `float32` is the default. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/** Floating-point dtypes: the only ones that can be differentiated. */
export type FloatDType = 'float32' | 'float64';

/** The typed array that stores each dtype. */
export interface StorageOf {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  bool: Uint8Array;
}

/** Any storage array. */
export type Storage = StorageOf[DType];

/** The result dtype of a binary op: bool < int32 < float32 < float64. */
export type Promote<A extends DType, B extends DType> = A extends B
  ? A
  : 'float64' extends A | B
    ? 'float64'
    : 'float32' extends A | B
      ? 'float32'
      : 'int32' extends A | B
        ? 'int32'
        : 'bool';

const rank: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };
const byRank: readonly DType[] = ['bool', 'int32', 'float32', 'float64'];

/** Run-time twin of {@link Promote}. */
export function promoteDTypes(a: DType, b: DType): DType {
  return a === b ? a : byRank[Math.max(rank[a], rank[b])]!;
}

/** True for float32 and float64. */
export function isFloat(d: DType): d is FloatDType {
  return d === 'float32' || d === 'float64';
}

/** Bytes per element of each dtype. */
export const BYTES_PER_ELEMENT: Readonly<Record<DType, number>> = { float32: 4, float64: 8, int32: 4, bool: 1 };

/*
 * Medium-sized storage is carved out of shared slabs. A fresh typed array
 * of a few hundred elements costs about a microsecond (a backing store,
 * its bookkeeping for the garbage collector), more than the arithmetic of
 * a small op; a view into a slab costs a few tens of nanoseconds. Tiny
 * arrays (<= 64 bytes) live on the JS heap and are cheap already; large
 * ones get their own buffer, so a long-lived large tensor never pins a
 * slab. A slab is freed when every view into it is garbage. Slabs are
 * fresh zeroed memory and never reused, so every view starts zeroed, and
 * nothing ever writes through one view into another's range.
 */
const SLAB_BYTES = 1 << 17;
const SLAB_MIN = 64;
const SLAB_MAX = 1 << 14;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabOffset = 0;

function slabBytes(bytes: number): [ArrayBuffer, number] {
  if (slabOffset + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabOffset = 0;
  }
  const at = slabOffset;
  slabOffset += (bytes + 7) & ~7; // keep every view 8-byte aligned
  return [slab, at];
}

/** The most elements one tensor's storage may hold. */
const MAX_ALLOCATION = 2 ** 31 - 1;

/** Past this many bytes, {@link allocateOverwritten} skips zeroing where the host allows (smaller buffers come from slabs or are cheap to zero). */
const UNINITIALIZED_MIN = 1 << 20;

/**
 * Storage for `size` float32 elements that the caller overwrites in full
 * before returning it: a large output skips being zeroed first (half the
 * memory traffic of an outer product or a big elementwise op). Anything
 * smaller is {@link allocate}d.
 */
export function allocateOverwritten(size: number): Float32Array {
  if (!(size * 4 > UNINITIALIZED_MIN && size <= MAX_ALLOCATION && Number.isInteger(size))) return allocate('float32', size);
  return new Float32Array(platform().uninitialized(size * 4), 0, size);
}

/** Allocates zeroed storage for `size` elements of `dtype`. */
export function allocate<D extends DType>(dtype: D, size: number): StorageOf[D] {
  const per = BYTES_PER_ELEMENT[dtype];
  if (per === undefined) throw new DTypeError(`unknown dtype ${String(dtype)}: expected float32, float64, int32 or bool`);
  // Checked before allocating: a typed array that large fails with a raw
  // RangeError, or is granted lazily and exhausts memory once touched.
  if (!(size >= 0 && size <= MAX_ALLOCATION && Number.isInteger(size))) {
    throw new ResourceError(`a tensor of ${size} ${dtype} elements is more than a tensor may hold (2^31 - 1 elements)`);
  }
  const bytes = size * per;
  if (bytes <= SLAB_MIN || bytes > SLAB_MAX) {
    switch (dtype) {
      case 'float32':
        return new Float32Array(size) as StorageOf[D];
      case 'float64':
        return new Float64Array(size) as StorageOf[D];
      case 'int32':
        return new Int32Array(size) as StorageOf[D];
      default:
        return new Uint8Array(size) as StorageOf[D];
    }
  }
  const [buffer, at] = slabBytes(bytes);
  switch (dtype) {
    case 'float32':
      return new Float32Array(buffer, at, size) as StorageOf[D];
    case 'float64':
      return new Float64Array(buffer, at, size) as StorageOf[D];
    case 'int32':
      return new Int32Array(buffer, at, size) as StorageOf[D];
    default:
      return new Uint8Array(buffer, at, size) as StorageOf[D];
  }
}

/** Checks a dtype name coming from plain JavaScript. */
export function checkDType(op: string, dtype: unknown): DType {
  if (dtype === 'float32' || dtype === 'float64' || dtype === 'int32' || dtype === 'bool') return dtype;
  throw new DTypeError(`${op}: unknown dtype ${describeValue(dtype)}: expected float32, float64, int32 or bool`);
}
