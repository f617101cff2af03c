// Result types and must-not-compile cases of transpose and permute.
import { expectError, expectType } from 'tsd';
import { permute, tensor, transpose, zeros, type Sym, type Tensor } from '../src/index.js';

expectType<Tensor<[3, 2], 'float32'>>(transpose(zeros([2, 3])));
expectType<Tensor<[8, 4, 3], 'int32'>>(transpose(zeros([8, 3, 4], { dtype: 'int32' })));
declare const b: Tensor<[Sym<'b'>, 784, 10]>;
expectType<Tensor<[Sym<'b'>, 10, 784], 'float32'>>(transpose(b));
declare const u: Tensor<number[]>;
expectType<Tensor<number[], 'float32'>>(transpose(u));
expectError(transpose(zeros([3])));
expectError(transpose(tensor(1)));

expectType<Tensor<[4, 2, 3], 'float32'>>(permute(zeros([2, 3, 4]), [2, 0, 1]));
expectType<Tensor<[4, 2, 3], 'float32'>>(permute(zeros([2, 3, 4]), [-1, 0, 1]));
expectType<Tensor<[3, 2], 'bool'>>(permute(zeros([2, 3], { dtype: 'bool' }), [1, 0]));
expectType<Tensor<[], 'float32'>>(permute(tensor(1), []));
expectError(permute(zeros([2, 3, 4]), [0, 0, 1]));
expectError(permute(zeros([2, 3, 4]), [0, 1]));
expectError(permute(zeros([2, 3, 4]), [0, 1, 3]));

declare const failed: Tensor<never>;
expectType<Tensor<never, 'float32'>>(transpose(failed));
expectType<Tensor<never, 'float32'>>(permute(failed, [1, 0]));
