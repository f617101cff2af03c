import { expectType } from 'tsd';
import type { Broadcast, BroadcastTo, MatMul, ShapeMismatch, Sym } from '../src/shape/index.js';

declare function t<T>(): T;

// broadcasting: right-aligned, 1 stretches
expectType<[455, 30]>(t<Broadcast<[455, 30], [30]>>());
expectType<[2, 3]>(t<Broadcast<[2, 1], [1, 3]>>());
expectType<[3]>(t<Broadcast<[], [3]>>());
expectType<[2, 3]>(t<Broadcast<readonly [2, 3], readonly [3]>>());
expectType<ShapeMismatch<'add: cannot broadcast [2,3] with [4]: dim 3 vs 4'>>(t<Broadcast<[2, 3], [4], 'add'>>());
expectType<ShapeMismatch<'broadcast: cannot broadcast [2,3] with [4]: dim 3 vs 4'>>(t<Broadcast<[2, 3], [4]>>());
// number unifies with anything and gives the other dim
expectType<[2, 3]>(t<Broadcast<[number, 3], [2, 1]>>());
expectType<[number, 3]>(t<Broadcast<[number, 3], [1, 3]>>());
expectType<[Sym<'x'>, 3]>(t<Broadcast<[number, 3], [Sym<'x'>, 3]>>());
expectType<number[]>(t<Broadcast<number[], [3]>>());
// Sym: itself, 1 and number; not another name, not a literal
expectType<[Sym<'b'>, 10]>(t<Broadcast<[Sym<'b'>, 1], [1, 10]>>());
expectType<[Sym<'b'>, 10]>(t<Broadcast<[Sym<'b'>, 10], [Sym<'b'>, 10]>>());
expectType<ShapeMismatch<'add: cannot broadcast [b,10] with [64,10]: dim b vs 64'>>(t<Broadcast<[Sym<'b'>, 10], [64, 10], 'add'>>());
expectType<ShapeMismatch<'add: cannot broadcast [r,30] with [c,30]: dim r vs c'>>(t<Broadcast<[Sym<'r'>, 30], [Sym<'c'>, 30], 'add'>>());
// unknown dims print as ?
expectType<ShapeMismatch<'add: cannot broadcast [?,3] with [4]: dim 3 vs 4'>>(t<Broadcast<[number, 3], [4], 'add'>>());

expectType<[2, 3]>(t<BroadcastTo<[3], [2, 3]>>());
expectType<[2, 3]>(t<BroadcastTo<[1, 3], [2, 3]>>());
expectType<ShapeMismatch<'broadcastTo: cannot broadcast [2,3] to [4,3]'>>(t<BroadcastTo<[2, 3], [4, 3]>>());
expectType<ShapeMismatch<'broadcastTo: cannot broadcast [2,3] to [3]'>>(t<BroadcastTo<[2, 3], [3]>>());

// matmul, NumPy semantics
expectType<[60000, 128]>(t<MatMul<[60000, 784], [784, 128]>>());
expectType<[7, 5, 2, 4]>(t<MatMul<[7, 1, 2, 3], [5, 3, 4]>>());
expectType<[4]>(t<MatMul<[3], [3, 4]>>());
expectType<[2]>(t<MatMul<[2, 3], [3]>>());
expectType<[]>(t<MatMul<[3], [3]>>());
expectType<[5, 4]>(t<MatMul<[3], [5, 3, 4]>>());
expectType<[Sym<'b'>, 10]>(t<MatMul<[Sym<'b'>, 784], [784, 10]>>());
expectType<[number, 5]>(t<MatMul<[number, number], [30, 5]>>());
expectType<ShapeMismatch<'matmul: inner dimensions differ: [2,3] x [4,5]'>>(t<MatMul<[2, 3], [4, 5]>>());
expectType<ShapeMismatch<'matmul: inner dimensions differ: [2,3] x [2]'>>(t<MatMul<[2, 3], [2]>>());
expectType<ShapeMismatch<'matmul: batch dimensions differ: [7,2,3] x [5,3,4]'>>(t<MatMul<[7, 2, 3], [5, 3, 4]>>());
expectType<ShapeMismatch<'matmul: needs rank >= 1, got [] x [3]'>>(t<MatMul<[], [3]>>());
// 1 does not stretch in the contracted dim
expectType<ShapeMismatch<'matmul: inner dimensions differ: [2,1] x [3,4]'>>(t<MatMul<[2, 1], [3, 4]>>());
