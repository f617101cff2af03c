// Compile-time messages of the real elementwise ops and reductions: the same
// text as the run-time ShapeError / AxisError (tests/ops/*.test.ts check those).
import { add, argmax, max, mean, mul, sub, sum, variance, zeros, type Dim, type Sym, type Tensor } from '../../src/index.js';

const x = zeros([2, 3]);
const x3 = zeros([2, 3, 4]);

// Broadcasting: both shapes and the first dim pair that differs, from the right.
// @expect-error add: cannot broadcast [2,3] with [4]: dim 3 vs 4
add(x, zeros([4]));
// @expect-error add: cannot broadcast [4] with [2,3]: dim 4 vs 3
add(zeros([4]), x);
// @expect-error add: cannot broadcast [0] with [3]: dim 0 vs 3
add(zeros([0]), zeros([3]));
// @expect-error mul: cannot broadcast [2,3] with [2]: dim 3 vs 2
mul(x, zeros([2]));
// @expect-error mul: cannot broadcast [2,3,4] with [3,3,4]: dim 2 vs 3
mul(x3, zeros([3, 3, 4]));
// @expect-error mul: cannot broadcast [4,1,3] with [2,2]: dim 3 vs 2
mul(zeros([4, 1, 3]), zeros([2, 2]));
declare const batch: Tensor<[Sym<'batch'>, 10]>;
// @expect-error add: cannot broadcast [batch,10] with [batch,1,5]: dim 10 vs 5
add(batch, zeros([1, 1, 5]) as Tensor<[Sym<'batch'>, 1, 5]>);
// @expect-error mul: cannot broadcast [batch,10] with [time,10]: dim batch vs time
mul(batch, zeros([1, 10]) as Tensor<[Sym<'time'>, 10]>);
export function generic<B extends Dim>(h: Tensor<[B, 10]>): void {
  // A dim that is a type parameter prints as `?` (its size is known only at run time).
  // @expect-error add: cannot broadcast [?,10] with [3]: dim 10 vs 3
  add(h, zeros([3]));
}
export function pairwise<B extends Dim>(h: Tensor<[B, 1, 16]>, g: Tensor<[1, B, 16]>): Tensor<[B, B, 16]> {
  // A type parameter broadcasts with itself, 1 and number, like a named dim; not with another literal.
  // @expect-error add: cannot broadcast [?,1,16] with [5,1,16]: dim ? vs 5
  add(h, zeros([5, 1, 16]));
  return add(h, g);
}

// Reductions: the axis, the rank, and the op's name.
// @expect-error sum: axis 2 is out of range for rank 2
sum(x, 2);
// @expect-error sum: axis -3 is out of range for rank 2
sum(x, -3);
// @expect-error sum: axis 0 is out of range for rank 0
sum(zeros([]), 0);
// @expect-error sum: axis 3 is out of range for rank 3
sum(x3, [0, 3]);
// @expect-error sum: axis 0 repeated
sum(x, [0, -2]);
// @expect-error sum: axis 0.5 is not an integer
sum(x, 0.5);
// @expect-error mean: axis 2 is out of range for rank 2
mean(x, 2, true);
// @expect-error mean: axis -4 is out of range for rank 3
mean(x3, -4);
// @expect-error mean: axis 1 repeated
mean(x3, [1, 1]);
// @expect-error max: axis 2 is out of range for rank 2
max(x, 2);
// @expect-error variance: axis 2 is out of range for rank 2
variance(x, 2);
// @expect-error argmax: axis -3 is out of range for rank 2
argmax(x, -3);
// A failed op reports once: using its result adds no error.
// @expect-error add: cannot broadcast [2,3] with [4]
const bad = add(x, zeros([4]));
sub(sum(bad, 0), 1);
