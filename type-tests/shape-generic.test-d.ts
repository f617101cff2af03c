// Dims that are type parameters of a user's function (`B extends Dim`) must
// flow through the rules that do not need to compare them with a literal.
import { expectType } from 'tsd';
import type {
  Broadcast,
  Concat,
  Dim,
  ExpandDims,
  Flatten,
  MatMul,
  Permute,
  Reduce,
  Reshape,
  Slice,
  Squeeze,
  Stack,
  Take,
  Transpose,
} from '../src/shape/index.js';

declare function t<T>(): T;

export function generic<B extends Dim, C extends Dim, T extends Dim>(): void {
  expectType<[B, 128]>(t<MatMul<[B, 784], [784, 128]>>());
  expectType<[B, T, T]>(t<MatMul<[B, T, 64], [B, 64, T]>>());
  expectType<[B, 128]>(t<Broadcast<[B, 128], [128]>>());
  expectType<[B, 10]>(t<Broadcast<[B, 10], [B, 1]>>());
  expectType<[B, 10]>(t<Broadcast<[B, 10], [1, 10]>>());
  expectType<[B, C]>(t<Broadcast<[B, C], [B, 1]>>());
  expectType<[B, 1]>(t<Reduce<[B, 10], 1, true>>());
  expectType<[B]>(t<Reduce<[B, 10], -1>>());
  expectType<[B, 4, 3]>(t<Transpose<[B, 3, 4]>>());
  expectType<[4, B, 3]>(t<Permute<[B, 3, 4], [2, 0, 1]>>());
  expectType<[B, 7]>(t<Concat<[[B, 3], [B, 4]], 1>>());
  expectType<[2, B, 3]>(t<Stack<[[B, 3], [B, 3]], 0>>());
  expectType<[B, 28, 28]>(t<Reshape<[B, 784], [B, 28, 28]>>());
  expectType<[B, 784]>(t<Flatten<[B, 28, 28], 1>>());
  expectType<[1, B, 3]>(t<ExpandDims<[B, 3], 0>>());
  expectType<[B]>(t<Squeeze<[B, 1], 1>>());
  expectType<[B, 5]>(t<Slice<[B, 20], [null, [0, 5]]>>());
  expectType<[B, 5]>(t<Take<[B, 20], [5], 1>>());
}
