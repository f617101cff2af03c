import type { Tensor } from '../../src/core/tensor.js';
import type { Dim, Sym } from '../../src/shape/index.js';
import { add, assertShape, broadcastTo, zeros } from './ops.js';

const x = zeros([2, 3]);
export const ok1: Tensor<[2, 3]> = add(x, zeros([3]));
export const ok2: Tensor<[2, 3]> = add(zeros([2, 1]), zeros([1, 3]));

// @expect-error add: cannot broadcast [2,3] with [4]: dim 3 vs 4
const bad = add(x, zeros([4]));
// A failed op gives Tensor<never>: the next use reports nothing.
export const next = add(bad, x);

declare const rows: Tensor<[Sym<'rows'>, 30]>;
declare const cols: Tensor<[Sym<'cols'>, 30]>;
// @expect-error add: cannot broadcast [rows,30] with [cols,30]: dim rows vs cols
add(rows, cols);
declare const batch: Tensor<[Sym<'batch'>, 10]>;
// @expect-error add: cannot broadcast [batch,10] with [64,10]: dim batch vs 64
add(batch, zeros([64, 10]));
export const ok3: Tensor<[Sym<'batch'>, 10]> = add(batch, zeros([1, 10]));

declare const unknownRows: Tensor<[number, 30]>;
export const ok4: Tensor<[number, 30]> = add(unknownRows, zeros([30]));
const csv = assertShape(unknownRows, ['n', 30]);
export const ok5: Tensor<[Sym<'n'>, 30]> = add(csv, zeros([1, 30]));

export function bias<B extends Dim>(h: Tensor<[B, 128]>, b: Tensor<[128]>): Tensor<[B, 128]> {
  return add(h, b);
}

export const ok6: Tensor<[2, 3]> = broadcastTo(zeros([3]), [2, 3]);
// @expect-error broadcastTo: cannot broadcast [2,3] to [4,3]
broadcastTo(x, [4, 3]);
