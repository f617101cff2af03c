// Result types and must-not-compile cases of slice, index, take/gather and oneHot.
import { expectError, expectType } from 'tsd';
import { gather, index, oneHot, slice, take, tensor, zeros, type Sym, type Tensor } from '../src/index.js';

const x = zeros([10, 20]);
expectType<Tensor<[3, 20], 'float32'>>(slice(x, [[2, 5]]));
expectType<Tensor<[3], 'float32'>>(slice(x, [3, [-4, -1]]));
expectType<Tensor<[4, 20], 'float32'>>(slice(x, [[0, 10, 3]]));
expectType<Tensor<[], 'float32'>>(slice(x, [0, -1]));
expectType<Tensor<[0, 20], 'float32'>>(slice(x, [[4, 4]]));
expectType<Tensor<[10, 20], 'float32'>>(slice(x, []));
expectType<Tensor<[5], 'int32'>>(slice(zeros([10], { dtype: 'int32' }), [[0, 10, 2]]));
declare const s: Tensor<[Sym<'n'>, 20]>;
expectType<Tensor<[Sym<'n'>, 5], 'float32'>>(slice(s, [null, [0, 5]]));
expectError(slice(x, [[0, 11]]));
expectError(slice(x, [null, 20]));
expectError(slice(x, [[0, 5, 0]]));
expectError(slice(x, [[5, 2]]));
expectError(slice(x, [null, null, 0]));

expectType<Tensor<[20], 'float32'>>(index(x, -1));
expectType<Tensor<[], 'float32'>>(index(zeros([3]), 2));
expectError(index(x, 10));
expectError(index(x, -11));

const ids = tensor([1, 2, 3], { dtype: 'int32' });
const grid = tensor([[1], [2]], { dtype: 'int32' });
expectType<Tensor<[3, 20], 'float32'>>(take(x, ids));
expectType<Tensor<[10, 2, 1], 'float32'>>(take(x, grid, 1));
expectType<Tensor<[10, 3], 'float32'>>(take(x, ids, -1));
expectType<Tensor<[3, 20], 'float32'>>(gather(x, ids));
expectError(take(x, ids, 2));
const floats = tensor([1, 2]);
expectError(take(x, floats));

expectType<Tensor<[3, 10], 'float32'>>(oneHot(ids, 10));
expectType<Tensor<[2, 1, 4], 'bool'>>(oneHot(grid, 4, { dtype: 'bool' }));
declare const labels: Tensor<[Sym<'b'>], 'int32'>;
expectType<Tensor<[Sym<'b'>, 10], 'float64'>>(oneHot(labels, 10, { dtype: 'float64' }));
expectError(oneHot(floats, 3));
