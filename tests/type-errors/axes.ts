import type { Tensor } from '../../src/core/tensor.js';
import type { Dim } from '../../src/shape/index.js';
import { expandDims, permute, squeeze, sum, transpose, zeros } from './ops.js';

const x = zeros([2, 3]);
export const ok1: Tensor<[]> = sum(x);
export const ok2: Tensor<[2, 1]> = sum(x, -1, true);
export const ok3: Tensor<[3]> = sum(zeros([2, 3, 4]), [0, 2]);
// @expect-error sum: axis 2 is out of range for rank 2
sum(x, 2);
// @expect-error sum: axis -3 is out of range for rank 2
sum(x, -3);
// @expect-error sum: axis 0 repeated
sum(x, [0, -2]);

export const ok4: Tensor<[3, 2]> = transpose(x);
// @expect-error transpose: needs rank >= 2, got [3]
transpose(zeros([3]));
export const ok5: Tensor<[4, 2, 3]> = permute(zeros([2, 3, 4]), [2, 0, 1]);
// @expect-error permute: axis 0 repeated in permutation of [2,3,4]
permute(zeros([2, 3, 4]), [0, 0, 1]);
// @expect-error permute: [0,1] has 2 axes for [2,3,4] of rank 3
permute(zeros([2, 3, 4]), [0, 1]);

export const ok6: Tensor<[2, 3]> = squeeze(zeros([2, 1, 3]));
export const ok7: Tensor<[2, 1]> = squeeze(zeros([2, 1, 1]), -1);
// @expect-error squeeze: cannot squeeze axis 1 of size 3 in [2,3]
squeeze(x, 1);
declare const u: Tensor<[number, 1]>;
// @expect-error squeeze: dim 0 of [?,1] might be 1; give the axis to squeeze
squeeze(u);
export const ok8: Tensor<[number]> = squeeze(u, 1);
export const ok9: Tensor<[2, 1, 3]> = expandDims(x, 1);
// @expect-error expandDims: axis 3 is out of range for rank 2
expandDims(x, 3);

export function rowSums<B extends Dim>(h: Tensor<[B, 10]>): Tensor<[B, 1]> {
  return sum(h, 1, true);
}
export function swap<B extends Dim>(h: Tensor<[B, 3, 4]>): Tensor<[B, 4, 3]> {
  return transpose(h);
}
export function lift<B extends Dim>(h: Tensor<[B, 3]>): Tensor<[1, B, 3]> {
  return expandDims(h, 0);
}
