// Result types and must-not-compile cases of concat, stack and split.
import { expectError, expectType } from 'tsd';
import { concat, split, stack, tensor, zeros, type Sym, type Tensor } from '../src/index.js';

const x = zeros([2, 3]);

expectType<Tensor<[70000, 784], 'float32'>>(concat([zeros([60000, 784]), zeros([10000, 784])]));
expectType<Tensor<[2, 7], 'float32'>>(concat([x, zeros([2, 4])], 1));
expectType<Tensor<[2, 7], 'float32'>>(concat([x, zeros([2, 4])], -1));
expectType<Tensor<[4, 3], 'float64'>>(concat([x, zeros([2, 3], { dtype: 'float64' })]));
expectType<Tensor<[3], 'int32'>>(concat([tensor([true]), tensor([1, 2], { dtype: 'int32' })]));
expectType<Tensor<[2, 3], 'float32'>>(concat([x]));
declare const b3: Tensor<[Sym<'b'>, 3]>;
declare const b4: Tensor<[Sym<'b'>, 4]>;
expectType<Tensor<[Sym<'b'>, 7], 'float32'>>(concat([b3, b4], 1));
expectError(concat([x, zeros([2, 4])], 0));
expectError(concat([x, zeros([2])]));
expectError(concat([]));
expectError(concat([x, x], 2));

expectType<Tensor<[3, 2, 3], 'float32'>>(stack([x, x, x]));
expectType<Tensor<[2, 3, 2], 'float32'>>(stack([x, x], -1));
expectType<Tensor<[2], 'float32'>>(stack([tensor(1), tensor(2)]));
expectError(stack([x, zeros([2, 4])]));
expectError(stack([]));
expectError(stack([x, x], 3));

expectType<[Tensor<[3, 3], 'float32'>, Tensor<[3, 3], 'float32'>]>(split(zeros([6, 3]), 2));
expectType<[Tensor<[2, 3], 'int32'>, Tensor<[3, 3], 'int32'>]>(split(zeros([5, 3], { dtype: 'int32' }), [2, 3]));
expectType<[Tensor<[2, 2], 'float32'>, Tensor<[2, 2], 'float32'>, Tensor<[2, 2], 'float32'>]>(split(zeros([2, 6]), 3, -1));
declare const k: number;
expectType<Tensor<[number, 3], 'float32'>[]>(split(zeros([6, 3]), k));
expectError(split(zeros([5, 3]), 2));
expectError(split(zeros([5, 3]), [2, 2]));
expectError(split(zeros([5, 3]), 1, 2));
