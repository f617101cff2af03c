// Result types and must-not-compile cases of reshape, flatten, expandDims, squeeze, broadcastTo.
import { expectError, expectType } from 'tsd';
import { broadcastTo, expandDims, flatten, reshape, squeeze, tensor, zeros, type Sym, type Tensor } from '../src/index.js';

const x = zeros([2, 3]);
const i = tensor([[1, 2, 3]], { dtype: 'int32' });

expectType<Tensor<[3, 2], 'float32'>>(reshape(x, [3, 2]));
expectType<Tensor<[6], 'float32'>>(reshape(x, [-1]));
expectType<Tensor<[60000, 28, 28], 'float32'>>(reshape(zeros([60000, 784]), [-1, 28, 28]));
expectType<Tensor<[3, 1], 'int32'>>(reshape(i, [-1, 1]));
expectType<Tensor<[1, 1], 'float32'>>(reshape(tensor(7), [1, 1]));
expectType<Tensor<[], 'float32'>>(reshape(zeros([1, 1]), []));
expectType<Tensor<[0, 3], 'float32'>>(reshape(zeros([3, 0]), [0, 3]));
declare const u: Tensor<[number, 784]>;
expectType<Tensor<[number, 28, 28], 'float32'>>(reshape(u, [-1, 28, 28]));
declare const n: Tensor<[Sym<'n'>, 784]>;
expectType<Tensor<[Sym<'n'>, 28, 28], 'float32'>>(reshape(n, [n.shape[0], 28, 28]));
expectError(reshape(x, [4, 2]));
expectError(reshape(x, [4, -1]));
expectError(reshape(x, [-1, -1]));
expectError(reshape(n, [n.shape[0], 28, 29]));

expectType<Tensor<[24], 'float32'>>(flatten(zeros([2, 3, 4])));
expectType<Tensor<[2, 12], 'float32'>>(flatten(zeros([2, 3, 4]), 1));
expectType<Tensor<[2, 12], 'float32'>>(flatten(zeros([2, 3, 4]), -2));
expectType<Tensor<[1], 'float32'>>(flatten(tensor(5)));
expectType<Tensor<[1, 3], 'int32'>>(flatten(i, 1));
expectError(flatten(zeros([2, 3, 4]), 3));
expectError(flatten(zeros([2, 3, 4]), -4));

expectType<Tensor<[1, 2, 3], 'float32'>>(expandDims(x, 0));
expectType<Tensor<[2, 3, 1], 'float32'>>(expandDims(x, -1));
expectType<Tensor<[2, 1, 3], 'int32'>>(expandDims(zeros([2, 3], { dtype: 'int32' }), 1));
expectType<Tensor<[1], 'float32'>>(expandDims(tensor(1), 0));
expectError(expandDims(x, 3));
expectError(expandDims(x, -4));

expectType<Tensor<[2, 3], 'float32'>>(squeeze(zeros([2, 1, 3, 1])));
expectType<Tensor<[2, 3, 1], 'float32'>>(squeeze(zeros([2, 1, 3, 1]), 1));
expectType<Tensor<[2, 1, 3], 'float32'>>(squeeze(zeros([2, 1, 3, 1]), -1));
expectType<Tensor<[3], 'float32'>>(squeeze(u as unknown as Tensor<[number, 3]>, 0));
expectType<Tensor<[], 'bool'>>(squeeze(tensor([[true]])));
expectError(squeeze(x, 1));
expectError(squeeze(zeros([2, 1]), 2));
declare const maybeOne: Tensor<[number, 1]>;
expectError(squeeze(maybeOne));

expectType<Tensor<[2, 3], 'float32'>>(broadcastTo(zeros([3]), [2, 3]));
expectType<Tensor<[4, 2, 3], 'float64'>>(broadcastTo(zeros([2, 1], { dtype: 'float64' }), [4, 2, 3]));
expectType<Tensor<[5], 'float32'>>(broadcastTo(tensor(1), [5]));
expectError(broadcastTo(x, [4, 3]));
expectError(broadcastTo(x, [3]));

// A failed op is Tensor<never>, and using it reports nothing more.
declare const failed: Tensor<never>;
expectType<Tensor<never, 'float32'>>(reshape(failed, [2, 3]));
expectType<Tensor<never, 'float32'>>(expandDims(failed, 0));
