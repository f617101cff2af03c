// matmul / dot / outer through the real ops in src/ops/linalg.ts.
import { dot, matmul, outer, zeros, type Dim, type Sym, type Tensor } from '../../src/index.js';

export const ok1: Tensor<[60000, 128]> = matmul(zeros([60000, 784]), zeros([784, 128]));
export const ok2: Tensor<[7, 5, 2, 4]> = matmul(zeros([7, 1, 2, 3]), zeros([5, 3, 4]));
export const ok3: Tensor<[4]> = matmul(zeros([3]), zeros([3, 4]));
export const ok4: Tensor<[]> = dot(zeros([3]), zeros([3]));
export const ok5: Tensor<[2, 3], 'float64'> = outer(zeros([2]), zeros([3], { dtype: 'float64' }));

// @expect-error matmul: inner dimensions differ: [2,3] x [4,5]
matmul(zeros([2, 3]), zeros([4, 5]));
// @expect-error matmul: batch dimensions differ: [7,2,3] x [5,3,4]
matmul(zeros([7, 2, 3]), zeros([5, 3, 4]));
// @expect-error matmul: needs rank >= 1, got [] x [3]
matmul(zeros([]), zeros([3]));
// @expect-error matmul: inner dimensions differ: [3] x [4]
dot(zeros([3]), zeros([4]));
declare const b: Tensor<[Sym<'batch'>, 784]>;
// @expect-error matmul: inner dimensions differ: [batch,784] x [128,10]
matmul(b, zeros([128, 10]));
// @expect-error outer: needs two 1-D tensors, got [2,3] and [3]
outer(zeros([2, 3]), zeros([3]));

// A failed product is Tensor<never>: using it reports nothing more.
// @expect-error matmul: inner dimensions differ: [2,3] x [4,5]
const failed = matmul(zeros([2, 3]), zeros([4, 5]));
export const quiet: Tensor<[2, 7]> = matmul(failed, zeros([5, 7]));

export function layer<B extends Dim>(x: Tensor<[B, 784]>, w: Tensor<[784, 128]>): Tensor<[B, 128]> {
  return matmul(x, w);
}
export function attention<B extends Dim, T extends Dim>(q: Tensor<[B, T, 64]>, k: Tensor<[B, 64, T]>): Tensor<[B, T, T]> {
  return matmul(q, k);
}
// An inner dim that is a type parameter matches itself and `number` (issue 15), not a literal.
export function project<B extends Dim, K extends Dim>(x: Tensor<[B, K]>, w: Tensor<[number, 8]>): Tensor<[B, 8]> {
  // @expect-error matmul: inner dimensions differ: [?,?] x [64,8]
  matmul(x, zeros([64, 8]));
  return matmul(x, w);
}
