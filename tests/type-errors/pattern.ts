import type { Tensor } from '../../src/core/tensor.js';
import type { Sym } from '../../src/shape/index.js';
import { add, assertShape, matmul, zeros } from './ops.js';

declare const csv: Tensor<[number, number]>;
const data = assertShape(csv, ['rows', 30]);
export const ok1: Tensor<[Sym<'rows'>, 30]> = data;
export const ok2: Tensor<[Sym<'rows'>, 5]> = matmul(data, zeros([30, 5]));
const labels = assertShape(csv, ['cols', 1]);
// @expect-error add: cannot broadcast [rows,30] with [cols,1]: dim rows vs cols
add(data, labels);
// A named tensor is still a tensor of unknown size:
export const ok3: Tensor<[number, 30]> = data;
const loose = assertShape(csv, [null, 30]);
// @expect-error matmul: inner dimensions differ: [?,30] x [31,5]
matmul(loose, zeros([31, 5]));
