// concat, stack and split through the real ops in src/ops/join.ts.
import { concat, split, stack, zeros, type Dim, type Tensor } from '../../src/index.js';

export const ok1: Tensor<[70000, 784]> = concat([zeros([60000, 784]), zeros([10000, 784])]);
// @expect-error concat: [2,3] and [2,4] differ at axis 1 (3 vs 4)
concat([zeros([2, 3]), zeros([2, 4])], 0);
// @expect-error concat: [2,3] and [2] differ in rank
concat([zeros([2, 3]), zeros([2])]);
// @expect-error concat: needs at least one tensor
concat([]);
// @expect-error concat: axis 2 is out of range for rank 2
concat([zeros([2, 3]), zeros([2, 3])], 2);

export const ok2: Tensor<[3, 2, 3]> = stack([zeros([2, 3]), zeros([2, 3]), zeros([2, 3])]);
// @expect-error stack: [2,3] and [2,4] differ
stack([zeros([2, 3]), zeros([2, 4])]);
// @expect-error stack: axis 3 is out of range for rank 2 (a new axis goes at -3..2)
stack([zeros([2, 3]), zeros([2, 3])], 3);

export const ok3: [Tensor<[3, 3]>, Tensor<[3, 3]>] = split(zeros([6, 3]), 2);
export const ok4: [Tensor<[2, 3]>, Tensor<[3, 3]>] = split(zeros([5, 3]), [2, 3]);
// @expect-error split: axis of size 5 cannot be split into 2 equal parts
split(zeros([5, 3]), 2);
// @expect-error split: sizes [2,2] do not add up to 5 (axis 0 of [5,3])
split(zeros([5, 3]), [2, 2]);

export function features<B extends Dim>(a: Tensor<[B, 3]>, b: Tensor<[B, 4]>): Tensor<[B, 7]> {
  return concat([a, b], 1);
}

// A failed split destructures into Tensor<never>s: one mistake, one error.
// @expect-error split: axis of size 5 cannot be split into 2 equal parts
const [p1, p2] = split(zeros([5, 3]), 2);
export const quiet: Tensor<[9, 9]> = concat([p1, p2]);

// Splitting an axis whose size is a type parameter: checked at run time (issue 15).
export function halves<B extends Dim>(h: Tensor<[B, 16]>): [Tensor<[number, 16]>, Tensor<[number, 16]>] {
  // @expect-error split: sizes [1,2] do not add up to 16 (axis 1 of [?,16])
  split(h, [1, 2], 1);
  return split(h, 2);
}
export function rows<B extends Dim, L extends Dim>(a: Tensor<[B, L, 16]>): Tensor<[B, number, 16]> {
  // @expect-error concat: [?,?,16] and [4,3,16] differ at axis 0 (? vs 4)
  concat([a, zeros([4, 3, 16])], 1);
  // @expect-error stack: [?,?,16] and [2,3,16] differ
  stack([a, zeros([2, 3, 16])]);
  return concat([a, a], 1);
}
