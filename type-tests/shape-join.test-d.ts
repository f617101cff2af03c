import { expectType } from 'tsd';
import type { Tensor } from '../src/core/tensor.js';
import type { Concat, ShapeMismatch, ShapesOf, Split, Stack, Sym } from '../src/shape/index.js';

declare function t<T>(): T;

expectType<[[2, 3], [4, 3]]>(t<ShapesOf<readonly [Tensor<[2, 3]>, Tensor<[4, 3]>]>>());

expectType<[70000, 784]>(t<Concat<[[60000, 784], [10000, 784]], 0>>());
expectType<[2, 10]>(t<Concat<[[2, 3], [2, 3], [2, 4]], 1>>());
expectType<[Sym<'b'>, 7]>(t<Concat<[[Sym<'b'>, 3], [Sym<'b'>, 4]], -1>>());
expectType<[number, 3]>(t<Concat<[[2, 3], [number, 3], [4, 3]], 0>>());
expectType<[2, 6]>(t<Concat<[[number, 3], [2, 3]], 1>>());
expectType<ShapeMismatch<'concat: [2,3] and [2,4] differ at axis 1 (3 vs 4)'>>(t<Concat<[[2, 3], [2, 4]], 0>>());
expectType<ShapeMismatch<'concat: [2,3] and [2] differ in rank'>>(t<Concat<[[2, 3], [2]], 0>>());
expectType<ShapeMismatch<'concat: needs at least one tensor'>>(t<Concat<[], 0>>());
expectType<ShapeMismatch<'concat: axis 2 is out of range for rank 2'>>(t<Concat<[[2, 3]], 2>>());

expectType<[3, 2, 3]>(t<Stack<[[2, 3], [2, 3], [2, 3]], 0>>());
expectType<[2, 3, 2]>(t<Stack<[[2, 3], [2, 3]], -1>>());
expectType<[2, 2, 3]>(t<Stack<[[number, 3], [2, 3]]>>());
expectType<ShapeMismatch<'stack: [2,3] and [2,4] differ'>>(t<Stack<[[2, 3], [2, 4]]>>());
expectType<ShapeMismatch<'stack: needs at least one tensor'>>(t<Stack<[]>>());

expectType<[[3, 3], [3, 3]]>(t<Split<[6, 3], 2>>());
expectType<[[2, 3], [3, 3]]>(t<Split<[5, 3], [2, 3]>>());
expectType<[[2, 2], [2, 2], [2, 2]]>(t<Split<[2, 6], 3, -1>>());
expectType<[[number, 3], [number, 3]]>(t<Split<[number, 3], 2>>());
expectType<[number, 3][]>(t<Split<[6, 3], number>>());
expectType<ShapeMismatch<'split: axis of size 5 cannot be split into 2 equal parts'>>(t<Split<[5, 3], 2>>());
expectType<ShapeMismatch<'split: sizes [2,2] do not add up to 5 (axis 0 of [5,3])'>>(t<Split<[5, 3], [2, 2]>>());
expectType<ShapeMismatch<'split: cannot split into 0 parts'>>(t<Split<[5, 3], 0>>());
