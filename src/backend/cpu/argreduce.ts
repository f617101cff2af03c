/**
 * `argmax` / `argmin` over one axis. The input is viewed as `[outer, n, inner]`;
 * the index of the first extreme element along `n` is written for each
 * `(outer, inner)` pair. A NaN counts as more extreme than any number (the
 * first NaN wins), matching NumPy and `reduceMax`/`reduceMin`.
 */
import type { DType } from '../../core/dtype.js';
import { type ArrayTensor, dimsOf, storageOf } from '../../core/tensor.js';

/** Indices (int32) of the first maximum (`sign = 1`) or minimum (`sign = -1`) along `axis`. */
export function argReduceKernel(x: ArrayTensor<unknown, DType>, axis: number, sign: 1 | -1): Int32Array {
  const shape = dimsOf(x);
  const n = shape[axis]!;
  let outer = 1;
  let inner = 1;
  for (let k = 0; k < axis; k++) outer *= shape[k]!;
  for (let k = axis + 1; k < shape.length; k++) inner *= shape[k]!;
  const out = new Int32Array(outer * inner);
  if (out.length === 0 || n === 0) return out;
  const xd = storageOf(x);
  if (inner === 1) {
    // Contiguous rows: one scan per output element.
    for (let o = 0; o < outer; o++) {
      const base = o * n;
      let best = sign * xd[base]!;
      let at = 0;
      if (best === best) {
        for (let j = 1; j < n; j++) {
          const v = sign * xd[base + j]!;
          if (v > best || v !== v) {
            best = v;
            at = j;
            if (v !== v) break;
          }
        }
      }
      out[o] = at;
    }
    return out;
  }
  // Strided: fold whole rows of `inner` elements into a row of running bests.
  const best = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    const w = o * inner;
    for (let i = 0; i < inner; i++) best[i] = sign * xd[base + i]!;
    for (let j = 1; j < n; j++) {
      const row = base + j * inner;
      for (let i = 0; i < inner; i++) {
        const v = sign * xd[row + i]!;
        const b = best[i]!;
        // Strictly greater keeps the first occurrence; a NaN wins once and then sticks.
        if (v > b || (v !== v && b === b)) {
          best[i] = v;
          out[w + i] = j;
        }
      }
    }
  }
  return out;
}
