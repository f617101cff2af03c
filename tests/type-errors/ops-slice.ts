// slice, index, take and oneHot through the real ops in src/ops/slicing.ts and src/ops/gather.ts.
import { index, oneHot, slice, take, tensor, zeros, type Dim, type Tensor } from '../../src/index.js';

const x = zeros([10, 20]);
export const ok1: Tensor<[3, 20]> = slice(x, [[2, 5]]);
export const ok2: Tensor<[3]> = slice(x, [3, [-4, -1]]);
// @expect-error slice [0, 11) is out of bounds for axis 0 with size 10 (shape [10,20])
slice(x, [[0, 11]]);
// @expect-error slice: index 20 is out of bounds for axis 1 with size 20 (shape [10,20])
slice(x, [null, 20]);
// @expect-error slice: step 0 must be >= 1 (axis 0)
slice(x, [[0, 5, 0]]);
// @expect-error slice: 3 specs for [10,20] of rank 2
slice(x, [null, null, 0]);
// @expect-error index: index 10 is out of bounds for axis 0 with size 10 (shape [10,20])
index(x, 10);

const ids = tensor([1, 2, 3], { dtype: 'int32' });
const floats = tensor([1, 2, 3]);
export const ok3: Tensor<[10, 3]> = take(x, ids, -1);
// @expect-error take: axis 2 is out of range for rank 2
take(x, ids, 2);
// @expect-error take: indices must be int32, got float32
take(x, floats);
// @expect-error oneHot: indices must be int32, got float32
oneHot(floats, 4);

export function head<B extends Dim>(h: Tensor<[B, 20]>): Tensor<[B, 5]> {
  return slice(h, [null, [0, 5]]);
}

// Ranges and indices on an axis whose size is a type parameter (issue 15):
// checked at run time; the other axes and the specs themselves still are not.
export function window<L extends Dim>(q: Tensor<[L, 16]>): Tensor<[4, 16]> {
  // @expect-error slice [0, 17) is out of bounds for axis 1 with size 16 (shape [?,16])
  slice(q, [null, [0, 17]]);
  // @expect-error slice [3, 1) ends before it starts on axis 0 with size ? (shape [?,16])
  slice(q, [[3, 1]]);
  return slice(q, [[0, 4]]);
}
export function inner<L extends Dim>(q: Tensor<[L, 16]>): Tensor<[number, 16]> {
  return slice(q, [[1, -1]]);
}
export function last<L extends Dim>(q: Tensor<[L, 16]>): Tensor<[16]> {
  return index(q, -1);
}
