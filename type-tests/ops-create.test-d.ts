// Result types of the creation functions and of reading a tensor back.
import { expectAssignable, expectError, expectNotAssignable, expectType } from 'tsd';
import {
  arange,
  eye,
  full,
  linspace,
  ones,
  onesLike,
  scalar,
  tensor,
  zeros,
  zerosLike,
  type Tensor,
} from '../src/index.js';

// tensor: the shape comes from the literal, the dtype from the leaves.
expectType<Tensor<[2, 3]>>(tensor([[1, 2, 3], [4, 5, 6]]));
expectType<Tensor<[]>>(tensor(7));
expectType<Tensor<[1]>>(tensor([7]));
expectType<Tensor<[2, 1, 2]>>(tensor([[[1, 2]], [[3, 4]]]));
expectType<Tensor<[1], 'bool'>>(tensor([true]));
expectType<Tensor<[2, 2], 'bool'>>(tensor([[true, false], [false, true]]));
expectType<Tensor<[], 'bool'>>(tensor(false));
expectType<Tensor<[2], 'int32'>>(tensor([1, 2], { dtype: 'int32' }));
expectType<Tensor<[2], 'float64'>>(tensor([1, 2], { dtype: 'float64' }));
expectType<Tensor<[2], 'bool'>>(tensor([1, 0], { dtype: 'bool' }));
// Data of unknown length: the rank is known, the sizes are not.
declare const rows: number[][];
expectType<Tensor<number[]>>(tensor(rows));
// Flat data with an explicit shape.
expectType<Tensor<[2, 3]>>(tensor(new Float32Array(6), [2, 3]));
expectType<Tensor<[2, 3], 'float64'>>(tensor(new Float64Array(6), [2, 3], { dtype: 'float64' }));
expectType<Tensor<[4]>>(tensor([1, 2, 3, 4], [4]));
expectType<Tensor<[2, 2], 'int32'>>(tensor(new Int32Array(4), [2, 2], { dtype: 'int32' }));
expectError(tensor([1, 2], { dtype: 'float16' }));
expectError(tensor(new Float32Array(2), [2], { dtype: 'complex64' }));
expectError(tensor('abc'));

// scalar, zeros, ones, full
expectType<Tensor<[]>>(scalar(3));
expectType<Tensor<[], 'float64'>>(scalar(3, { dtype: 'float64' }));
expectType<Tensor<[2, 3]>>(zeros([2, 3]));
expectType<Tensor<[]>>(zeros([]));
expectType<Tensor<[0, 4]>>(zeros([0, 4]));
expectType<Tensor<[2, 3], 'int32'>>(zeros([2, 3], { dtype: 'int32' }));
expectType<Tensor<[3]>>(ones([3]));
expectType<Tensor<[3], 'bool'>>(ones([3], { dtype: 'bool' }));
expectType<Tensor<[2, 2]>>(full([2, 2], 7));
expectType<Tensor<[2, 2], 'float64'>>(full([2, 2], 7, { dtype: 'float64' }));
declare const n: number;
expectType<Tensor<[number, 3]>>(zeros([n, 3]));
expectError(zeros([2, 3], { dtype: 'float16' }));
expectError(zeros(['2', 3]));
expectError(full([2], '7'));

// zerosLike and onesLike keep the shape and dtype of their argument.
declare const xi: Tensor<[4, 5], 'int32'>;
expectType<Tensor<[4, 5], 'int32'>>(zerosLike(xi));
expectType<Tensor<[4, 5], 'int32'>>(onesLike(xi));
expectType<Tensor<[2, 3]>>(zerosLike(zeros([2, 3])));

// arange: a literal stop gives its length; otherwise the length is a run-time number.
expectType<Tensor<[4]>>(arange(4));
expectType<Tensor<[4], 'int32'>>(arange(4, { dtype: 'int32' }));
expectType<Tensor<[number]>>(arange(1, 2, 0.25));
expectType<Tensor<[number]>>(arange(2, 5));
expectType<Tensor<[number], 'int32'>>(arange(0, 10, 2, { dtype: 'int32' }));
expectType<Tensor<[number]>>(arange(n));

// linspace and eye
expectType<Tensor<[5]>>(linspace(0, 1, 5));
expectType<Tensor<[5], 'float64'>>(linspace(0, 1, 5, { dtype: 'float64' }));
expectType<Tensor<[3, 3]>>(eye(3));
expectType<Tensor<[2, 3]>>(eye(2, 3));
expectType<Tensor<[2, 2], 'int32'>>(eye(2, 2, { dtype: 'int32' }));

// Reading back: nested arrays typed by the shape, elements by the dtype.
const t = tensor([[1, 2, 3], [4, 5, 6]]);
expectType<number[][]>(t.toArray());
expectType<number>(tensor(7).toArray());
expectType<boolean[]>(tensor([true, false]).toArray());
expectType<number>(scalar(1).item());
expectType<boolean>(scalar(true, { dtype: 'bool' }).item());
expectType<Float32Array>(t.toTypedArray());
expectType<Float64Array>(zeros([2], { dtype: 'float64' }).toTypedArray());
expectType<Int32Array>(xi.toTypedArray());
expectType<Uint8Array>(tensor([true]).toTypedArray());
expectType<Readonly<[2, 3]>>(t.shape);
expectType<'float32'>(t.dtype);
expectType<number>(t.size);
expectType<number>(t.rank);
// The shape and dtype are part of the type: a [2, 3] tensor is not a [3, 2] one, nor float64.
expectNotAssignable<Tensor<[3, 2]>>(t);
expectNotAssignable<Tensor<[2, 3], 'float64'>>(t);
// Known sizes widen to number (gradual typing).
expectAssignable<Tensor<[number, 3]>>(t);
expectAssignable<Tensor<[number, number]>>(t);

// Fixed types (were pinned bugs): tensor([]) is [0], scalar(true) is bool,
// arange of a non-integer or negative literal has an unknown length.
expectType<Tensor<[0]>>(tensor([]));
expectType<Tensor<[], 'bool'>>(scalar(true));
expectType<Tensor<[number]>>(arange(2.5));
expectType<Tensor<[number]>>(arange(-3));
// Ragged literal data is a union of shapes at compile time (run time throws ShapeError).
expectType<Tensor<[2, 1] | [2, 0]>>(tensor([[1], []]));

// The dtype comes from the options, never from the type the result is used as:
// zeros([2]) is float32 at run time, so passing it where float64 is expected is an error.
declare function takeF64(t: Tensor<[2], 'float64'>): void;
expectError(takeF64(zeros([2])));
expectError(takeF64(ones([2])));
expectError(takeF64(full([2], 1)));
expectError(takeF64(tensor([1, 2])));
expectError(takeF64(tensor(new Float32Array(2), [2])));
declare function takeScalarF64(t: Tensor<[], 'float64'>): void;
expectError(takeScalarF64(scalar(1)));
