// Result types and must-not-compile cases of matmul, dot, outer, astype and assertShape.
import { expectError, expectType } from 'tsd';
import { assertShape, astype, dim, dot, hasShape, matmul, outer, tensor, zeros, type Sym, type Tensor } from '../src/index.js';

expectType<Tensor<[60000, 128], 'float32'>>(matmul(zeros([60000, 784]), zeros([784, 128])));
expectType<Tensor<[8, 2, 5], 'float32'>>(matmul(zeros([8, 2, 3]), zeros([3, 5])));
expectType<Tensor<[7, 5, 2, 4], 'float32'>>(matmul(zeros([7, 1, 2, 3]), zeros([5, 3, 4])));
expectType<Tensor<[4], 'float32'>>(matmul(zeros([3]), zeros([3, 4])));
expectType<Tensor<[2], 'float32'>>(matmul(zeros([2, 3]), zeros([3])));
expectType<Tensor<[], 'float32'>>(matmul(zeros([3]), zeros([3])));
expectType<Tensor<[2, 5], 'float64'>>(matmul(zeros([2, 3]), zeros([3, 5], { dtype: 'float64' })));
expectType<Tensor<[2, 2], 'int32'>>(matmul(tensor([[true, false], [false, true]]), tensor([[true, false], [false, true]])));
declare const rows: Tensor<[Sym<'rows'>, 30]>;
expectType<Tensor<[Sym<'rows'>, 5], 'float32'>>(matmul(rows, zeros([30, 5])));
declare const u: Tensor<[number, number]>;
expectType<Tensor<[number, 5], 'float32'>>(matmul(u, zeros([30, 5])));
expectError(matmul(zeros([2, 3]), zeros([4, 5])));
expectError(matmul(zeros([7, 2, 3]), zeros([5, 3, 4])));
expectError(matmul(tensor(1), zeros([3])));
expectError(matmul(rows, zeros([31, 5])));
// a failed product is Tensor<never>
declare const failed: Tensor<never>;
expectType<Tensor<never, 'float32'>>(matmul(failed, zeros([3, 5])));
expectType<Tensor<never, 'float32'>>(matmul(zeros([3, 5]), failed));

expectType<Tensor<[], 'float32'>>(dot(zeros([3]), zeros([3])));
expectType<Tensor<[2], 'int32'>>(dot(zeros([2, 3], { dtype: 'int32' }), zeros([3], { dtype: 'int32' })));
expectError(dot(zeros([3]), zeros([4])));

expectType<Tensor<[2, 3], 'float32'>>(outer(zeros([2]), zeros([3])));
expectType<Tensor<[2, 3], 'float64'>>(outer(zeros([2], { dtype: 'int32' }), zeros([3], { dtype: 'float64' })));
expectError(outer(zeros([2, 3]), zeros([3])));

expectType<Tensor<[2, 3], 'int32'>>(astype(zeros([2, 3]), 'int32'));
expectType<Tensor<[], 'bool'>>(astype(tensor(1), 'bool'));
expectError(astype(zeros([2]), 'float16'));

declare const csv: Tensor<[number, number]>;
expectType<Tensor<[Sym<'rows'>, 30], 'float32'>>(assertShape(csv, ['rows', 30]));
expectType<Tensor<[number, 30, Sym<'c'>], 'int32'>>(assertShape(zeros([2, 30, 4], { dtype: 'int32' }), [null, 30, 'c']));
expectType<Tensor<[], 'float32'>>(assertShape(tensor(1), []));
if (hasShape(csv, [null, 30])) {
  expectType<Tensor<[number, 30], 'float32'>>(csv);
}
expectType<Sym<'batch'>>(dim('batch', 64));
expectType<Tensor<[Sym<'batch'>, 10], 'float32'>>(zeros([dim('batch', 64), 10]));
// a named dim does not unify with a literal or another name
expectError(matmul(assertShape(csv, ['rows', 'k']), assertShape(csv, ['cols', 5])));
