import type { Tensor } from '../../src/core/tensor.js';
import type { Dim } from '../../src/shape/index.js';
import { index, slice, take, zeros } from './ops.js';

const x = zeros([10, 20]);
export const ok1: Tensor<[3, 20]> = slice(x, [[2, 5]]);
export const ok2: Tensor<[3]> = slice(x, [3, [-4, -1]]);
export const ok3: Tensor<[4, 20]> = slice(x, [[0, 10, 3]]);
// @expect-error slice [0, 11) is out of bounds for axis 0 with size 10 (shape [10,20])
slice(x, [[0, 11]]);
// @expect-error slice: index 20 is out of bounds for axis 1 with size 20 (shape [10,20])
slice(x, [null, 20]);
// @expect-error slice: step 0 must be >= 1 (axis 0)
slice(x, [[0, 5, 0]]);

export const ok4: Tensor<[20]> = index(x, -1);
// @expect-error index: index 10 is out of bounds for axis 0 with size 10 (shape [10,20])
index(x, 10);

declare const ids: Tensor<[5], 'int32'>;
export const ok5: Tensor<[5, 20]> = take(x, ids);
// @expect-error take: axis 2 is out of range for rank 2
take(x, ids, 2);

export function head<B extends Dim>(h: Tensor<[B, 20]>): Tensor<[B, 5]> {
  return slice(h, [null, [0, 5]]);
}
