import type { Shape } from '../../shape/dim.js';
import { allocate, type DType, type Storage } from '../../core/dtype.js';
import { ValueError } from '../../core/errors.js';
import { type ArrayTensor, dimsOf, storageOf } from '../../core/tensor.js';

/**
 * Row combiners for reductions. `inner` reduces one contiguous-or-strided
 * input row into one accumulator slot; `outer` folds one input row into a
 * row of accumulators (when the innermost axis is kept).
 */
export interface Reducer {
  readonly init: number;
  inner(acc: Float64Array, o: number, x: Storage, xi: number, n: number): void;
  outer(acc: Float64Array, o: number, x: Storage, xi: number, n: number): void;
}

export const sumReducer: Reducer = {
  init: 0,
  inner(acc, o, x, xi, n) {
    if (x instanceof Float32Array) return sumRowF32(acc, o, x, xi, n);
    let s = acc[o]!;
    for (let i = 0; i < n; i++) s += x[xi + i]!;
    acc[o] = s;
  },
  outer(acc, o, x, xi, n) {
    if (x instanceof Float32Array) return addRowF32(acc, o, x, xi, n);
    for (let i = 0; i < n; i++) acc[o + i]! += x[xi + i]!;
  },
};

// The float32 rows of the sum, apart from the generic loops: an element access
// that has seen every storage type is megamorphic, several times slower. Same sums, in the same order.
function sumRowF32(acc: Float64Array, o: number, x: Float32Array, xi: number, n: number): void {
  let s = acc[o]!;
  for (let i = 0; i < n; i++) s += x[xi + i]!;
  acc[o] = s;
}

function addRowF32(acc: Float64Array, o: number, x: Float32Array, xi: number, n: number): void {
  for (let i = 0; i < n; i++) acc[o + i]! += x[xi + i]!;
}

/**
 * `shape` with neighbouring dims that are both reduced or both kept merged
 * into one (and size-1 dims dropped): the same walk over memory, with
 * longer rows (a sum over `[N, C, H, W]` to `[C]` walks rows of `H W`, not `W`).
 */
function coalesce(shape: readonly number[], reduced: readonly boolean[]): { shape: number[]; reduced: boolean[] } {
  const out: number[] = [], flags: boolean[] = [];
  shape.forEach((d, k) => {
    if (d === 1) return;
    if (out.length > 0 && flags[flags.length - 1] === reduced[k]) out[out.length - 1]! *= d;
    else {
      out.push(d);
      flags.push(reduced[k]!);
    }
  });
  return { shape: out, reduced: flags };
}

/**
 * `[outer, mid, inner]` when summing `axes` of `shape` sums every dim
 * around one run of kept dims (after {@link coalesce}; a bias gradient
 * `[N, C, H, W]` to `[C]`), else null.
 *
 * @example
 * ```ts
 * channelSumDims([64, 32, 28, 28], [0, 2, 3]); // [64, 32, 784]
 * ```
 */
export function channelSumDims(shape: readonly number[], axes: readonly number[]): [number, number, number] | null {
  const { shape: dims, reduced } = coalesce(shape, shape.map((_, k) => axes.includes(k)));
  return dims.length === 3 && reduced[0] === true && reduced[1] === false ? [dims[0]!, dims[1]!, dims[2]!] : null;
}

/** Largest element; a NaN anywhere in the reduced set gives NaN (NumPy). */
export const maxReducer: Reducer = {
  init: -Infinity,
  inner(acc, o, x, xi, n) {
    let m = acc[o]!;
    for (let i = 0; i < n; i++) {
      const v = x[xi + i]!;
      if (v > m || v !== v) m = v;
    }
    acc[o] = m;
  },
  outer(acc, o, x, xi, n) {
    for (let i = 0; i < n; i++) {
      const v = x[xi + i]!;
      if (v > acc[o + i]! || v !== v) acc[o + i] = v;
    }
  },
};

/** Smallest element; a NaN anywhere in the reduced set gives NaN (NumPy). */
export const minReducer: Reducer = {
  init: Infinity,
  inner(acc, o, x, xi, n) {
    let m = acc[o]!;
    for (let i = 0; i < n; i++) {
      const v = x[xi + i]!;
      if (v < m || v !== v) m = v;
    }
    acc[o] = m;
  },
  outer(acc, o, x, xi, n) {
    for (let i = 0; i < n; i++) {
      const v = x[xi + i]!;
      if (v < acc[o + i]! || v !== v) acc[o + i] = v;
    }
  },
};

/** Product, accumulated in float64 (an int32 product that int32 cannot hold is refused at the end). */
export const prodReducer: Reducer = {
  init: 1,
  inner(acc, o, x, xi, n) {
    let p = acc[o]!;
    for (let i = 0; i < n; i++) p *= x[xi + i]!;
    acc[o] = p;
  },
  outer(acc, o, x, xi, n) {
    for (let i = 0; i < n; i++) acc[o + i]! *= x[xi + i]!;
  },
};

/**
 * Reduces `x` over sorted, normalised `axes` into storage of `outDType`.
 * Walks the input row by row (innermost dim); accumulates in float64 so a
 * float32 sum of a million elements keeps its digits.
 */
export function reduceKernel(x: ArrayTensor<Shape, DType>, axes: readonly number[], outDType: DType, reducer: Reducer, op = 'reduce'): Storage {
  const flags = new Array<boolean>(dimsOf(x).length).fill(false);
  for (const a of axes) flags[a] = true;
  const { shape, reduced } = coalesce(dimsOf(x), flags);
  const rank = shape.length;
  // Output strides over the input's dims, 0 on reduced axes.
  const ostrides = new Array<number>(rank).fill(0);
  let outSize = 1;
  for (let k = rank - 1; k >= 0; k--) {
    if (!reduced[k]) {
      ostrides[k] = outSize;
      outSize *= shape[k]!;
    }
  }
  const acc = new Float64Array(outSize);
  if (reducer.init !== 0) acc.fill(reducer.init);
  const xd = storageOf(x);
  const total = x.size;
  if (total > 0) {
    if (rank === 0) reducer.inner(acc, 0, xd, 0, 1);
    else {
      const n = shape[rank - 1]!;
      const innerReduced = reduced[rank - 1]!;
      const counter = new Array<number>(rank - 1).fill(0);
      let o = 0;
      for (let xi = 0; xi < total; xi += n) {
        if (innerReduced) reducer.inner(acc, o, xd, xi, n);
        else reducer.outer(acc, o, xd, xi, n);
        for (let k = rank - 2; k >= 0; k--) {
          counter[k]!++;
          o += ostrides[k]!;
          if (counter[k]! < shape[k]!) break;
          o -= ostrides[k]! * shape[k]!;
          counter[k] = 0;
        }
      }
    }
  }
  if (outDType === 'float64') return acc;
  if (outDType === 'int32') checkInt32Results(op, acc);
  const out = allocate(outDType, outSize);
  out.set(acc);
  return out;
}

/**
 * Refuses int32 results that int32 cannot hold. NumPy and PyTorch widen an
 * int32 sum or product to int64, so their users expect the true value; with
 * no int64 here, wrapping it to 32 bits would be a silent wrong result, so
 * it is an error that says how to get the value (the float64 accumulator is
 * exact up to 2^53).
 */
export function checkInt32Results(op: string, values: Float64Array): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v > 2147483647 || v < -2147483648) {
      throw new ValueError(`${op}: the int32 result ${v} does not fit int32 ([-2^31, 2^31 - 1]); convert first: ${op}(astype(x, 'float64'))`);
    }
  }
}

/** The output shape of a reduction over normalised axes. */
export function reducedShape(shape: readonly number[], axes: readonly number[], keepdims: boolean): number[] {
  const out: number[] = [];
  for (let k = 0; k < shape.length; k++) {
    if (!axes.includes(k)) out.push(shape[k]!);
    else if (keepdims) out.push(1);
  }
  return out;
}
