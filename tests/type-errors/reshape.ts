import type { Tensor } from '../../src/core/tensor.js';
import type { Dim, Sym } from '../../src/shape/index.js';
import { flatten, reshape, zeros } from './ops.js';

const x = zeros([60000, 784]);
export const ok1: Tensor<[60000, 28, 28]> = reshape(x, [-1, 28, 28]);
export const ok2: Tensor<[200704]> = reshape(zeros([784, 256]), [200704]);

// @expect-error reshape: 6 elements cannot become [4,2]
reshape(zeros([2, 3]), [4, 2]);
// @expect-error reshape: 6 elements cannot become [4,-1]
reshape(zeros([2, 3]), [4, -1]);
// @expect-error reshape: only one -1 allowed in [-1,-1]
reshape(zeros([2, 3]), [-1, -1]);
// @expect-error reshape: 47040000 elements cannot become [60000,28,29]
reshape(x, [60000, 28, 29]);

declare const n: Tensor<[Sym<'n'>, 784]>;
export const ok3: Tensor<[Sym<'n'>, 28, 28]> = reshape(n, [n.shape[0], 28, 28]);
// @expect-error reshape: [n,784] cannot become [n,28,29]
reshape(n, [n.shape[0], 28, 29]);
declare const u: Tensor<[number, 784]>;
export const ok4: Tensor<[number, 28, 28]> = reshape(u, [-1, 28, 28]);

export function images<B extends Dim>(x: Tensor<[B, 784]>): Tensor<[B, 28, 28]> {
  return reshape(x, [x.shape[0], 28, 28]);
}
export function flat<B extends Dim>(x: Tensor<[B, 28, 28]>): Tensor<[B, 784]> {
  return flatten(x, 1);
}
export const ok5: Tensor<[24]> = flatten(zeros([2, 3, 4]));
// @expect-error flatten: axis 3 is out of range for rank 3
flatten(zeros([2, 3, 4]), 3);
