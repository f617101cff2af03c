// reshape, flatten, expandDims, squeeze, broadcastTo through the real ops in src/ops/reshape.ts.
import { broadcastTo, expandDims, flatten, reshape, squeeze, zeros, type Dim, type Sym, type Tensor } from '../../src/index.js';

const x = zeros([60000, 784]);
export const ok1: Tensor<[60000, 28, 28]> = reshape(x, [-1, 28, 28]);
// @expect-error reshape: 6 elements cannot become [4,2]
reshape(zeros([2, 3]), [4, 2]);
// @expect-error reshape: 6 elements cannot become [4,-1]
reshape(zeros([2, 3]), [4, -1]);
// @expect-error reshape: only one -1 allowed in [-1,-1]
reshape(zeros([2, 3]), [-1, -1]);
// @expect-error reshape: 47040000 elements cannot become [60000,28,29]
reshape(x, [60000, 28, 29]);
declare const n: Tensor<[Sym<'n'>, 784]>;
// @expect-error reshape: [n,784] cannot become [n,28,29]
reshape(n, [n.shape[0], 28, 29]);

// @expect-error flatten: axis 3 is out of range for rank 3
flatten(zeros([2, 3, 4]), 3);
// @expect-error expandDims: axis 3 is out of range for rank 2 (a new axis goes at -3..2)
expandDims(zeros([2, 3]), 3);
// @expect-error squeeze: cannot squeeze axis 1 of size 3 in [2,3]
squeeze(zeros([2, 3]), 1);
// @expect-error squeeze: axis 2 is out of range for rank 2
squeeze(zeros([2, 1]), 2);
declare const u: Tensor<[number, 1]>;
// @expect-error squeeze: dim 0 of [?,1] might be 1; give the axis to squeeze
squeeze(u);
// @expect-error broadcastTo: cannot broadcast [2,3] to [4,3]
broadcastTo(zeros([2, 3]), [4, 3]);

export function images<B extends Dim>(t: Tensor<[B, 784]>): Tensor<[B, 28, 28]> {
  return reshape(t, [t.shape[0], 28, 28]);
}
export function flat<B extends Dim>(t: Tensor<[B, 28, 28]>): Tensor<[B, 784]> {
  return flatten(t, 1);
}

// Generic code (issue 15): a `number` target dim and a type-parameter dim in
// the middle compile (checked at run time); the same dim at the same end of
// both shapes cancels, so a mismatch in the rest is still caught.
export function merge<B extends Dim, L extends Dim>(h: Tensor<[B, L, 32]>): Tensor<[number, 32]> {
  return reshape(h, [h.shape[0] * h.shape[1], 32]);
}
export function heads<B extends Dim, L extends Dim>(h: Tensor<[B, L, 128]>): Tensor<[B, L, 8, 16]> {
  // @expect-error reshape: [?,?,128] cannot become [?,?,8,15]
  reshape(h, [h.shape[0], h.shape[1], 8, 15]);
  return reshape(h, [h.shape[0], h.shape[1], 8, 16]);
}
export function rows<B extends Dim>(t: Tensor<[B, 784]>): Tensor<[number, 28, 28]> {
  // @expect-error reshape: [?,784] cannot become [?,28,29]
  reshape(t, [t.shape[0], 28, 29]);
  return reshape(t, [-1, 28, 28]);
}
export function expand<B extends Dim>(col: Tensor<[B, 1]>): Tensor<[B, 5]> {
  // @expect-error broadcastTo: cannot broadcast [?,1] to [4,5]
  broadcastTo(col, [4, 5]);
  return broadcastTo(col, [col.shape[0], 5]);
}
export function drop<B extends Dim>(x: Tensor<[B, 1, 5]>): Tensor<[B, 5]> {
  // @expect-error squeeze: dim 0 of [?,1,5] might be 1; give the axis to squeeze
  squeeze(x);
  return squeeze(x, 1);
}
