import type { Shape } from '../../shape/dim.js';
import { allocate, type DType, type Storage } from '../../core/dtype.js';
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
    let s = acc[o]!;
    for (let i = 0; i < n; i++) s += x[xi + i]!;
    acc[o] = s;
  },
  outer(acc, o, x, xi, n) {
    for (let i = 0; i < n; i++) acc[o + i]! += x[xi + i]!;
  },
};

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

/** Product, accumulated in float64 (an int32 product is wrapped to 32 bits at the end). */
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
export function reduceKernel(x: ArrayTensor<Shape, DType>, axes: readonly number[], outDType: DType, reducer: Reducer): Storage {
  const shape = dimsOf(x);
  const rank = shape.length;
  const reduced = new Array<boolean>(rank).fill(false);
  for (const a of axes) reduced[a] = true;
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
  const out = allocate(outDType, outSize);
  out.set(acc);
  return out;
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
