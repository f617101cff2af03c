import type { Tensor } from '../../src/core/tensor.js';
import type { Dim, Sym } from '../../src/shape/index.js';
import { matmul, zeros } from './ops.js';

export const ok1: Tensor<[60000, 128]> = matmul(zeros([60000, 784]), zeros([784, 128]));
export const ok2: Tensor<[7, 5, 2, 4]> = matmul(zeros([7, 1, 2, 3]), zeros([5, 3, 4]));
export const ok3: Tensor<[4]> = matmul(zeros([3]), zeros([3, 4]));
export const ok4: Tensor<[]> = matmul(zeros([3]), zeros([3]));

// @expect-error matmul: inner dimensions differ: [2,3] x [4,5]
matmul(zeros([2, 3]), zeros([4, 5]));
// @expect-error matmul: batch dimensions differ: [7,2,3] x [5,3,4]
matmul(zeros([7, 2, 3]), zeros([5, 3, 4]));
// @expect-error matmul: needs rank >= 1, got [] x [3]
matmul(zeros([]), zeros([3]));
declare const b: Tensor<[Sym<'batch'>, 784]>;
// @expect-error matmul: inner dimensions differ: [batch,784] x [128,10]
matmul(b, zeros([128, 10]));

export function layer<B extends Dim>(x: Tensor<[B, 784]>, w: Tensor<[784, 128]>): Tensor<[B, 128]> {
  return matmul(x, w);
}
export function attention<B extends Dim, T extends Dim>(q: Tensor<[B, T, 64]>, k: Tensor<[B, 64, T]>): Tensor<[B, T, T]> {
  return matmul(q, k);
}
