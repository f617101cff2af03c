// transpose and permute through the real ops in src/ops/permute.ts.
import { permute, transpose, zeros, type Dim, type Tensor } from '../../src/index.js';

export const ok1: Tensor<[8, 4, 3]> = transpose(zeros([8, 3, 4]));
export const ok2: Tensor<[4, 2, 3]> = permute(zeros([2, 3, 4]), [-1, 0, 1]);
// @expect-error transpose: needs rank >= 2, got [3]
transpose(zeros([3]));
// @expect-error permute: axis 0 repeated in permutation of [2,3,4]
permute(zeros([2, 3, 4]), [0, 0, 1]);
// @expect-error permute: [0,1] has 2 axes for [2,3,4] of rank 3
permute(zeros([2, 3, 4]), [0, 1]);
// @expect-error permute: axis 3 is out of range for rank 3
permute(zeros([2, 3, 4]), [0, 1, 3]);

export function heads<B extends Dim, T extends Dim>(x: Tensor<[B, T, 8, 64]>): Tensor<[B, 8, T, 64]> {
  return permute(x, [0, 2, 1, 3]);
}
export function tr<B extends Dim>(x: Tensor<[B, 784]>): Tensor<[784, B]> {
  return transpose(x);
}
