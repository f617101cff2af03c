import { expectType } from 'tsd';
import type { FromPattern, Index, OneHot, ShapeMismatch, Slice, Sym, Take } from '../src/shape/index.js';

declare function t<T>(): T;

expectType<[3, 20]>(t<Slice<[10, 20], [[2, 5]]>>());
expectType<[10, 20]>(t<Slice<[10, 20], []>>());
expectType<[3]>(t<Slice<[10, 20], [3, [-4, -1]]>>());
expectType<[4, 20]>(t<Slice<[10, 20], [[0, 10, 3]]>>());
expectType<[0, 20]>(t<Slice<[10, 20], [[10, 10]]>>());
expectType<[20]>(t<Slice<[10, 20], [-10]>>());
expectType<[10, 5]>(t<Slice<[10, 20], readonly [null, readonly [0, 20, 4]]>>());
expectType<ShapeMismatch<'slice [0, 11) is out of bounds for axis 0 with size 10 (shape [10,20])'>>(t<Slice<[10, 20], [[0, 11]]>>());
expectType<ShapeMismatch<'slice [-11, 3) is out of bounds for axis 0 with size 10 (shape [10,20])'>>(t<Slice<[10, 20], [[-11, 3]]>>());
expectType<ShapeMismatch<'slice [5, 2) ends before it starts on axis 0 with size 10 (shape [10,20])'>>(t<Slice<[10, 20], [[5, 2]]>>());
expectType<ShapeMismatch<'slice: index 10 is out of bounds for axis 0 with size 10 (shape [10,20])'>>(t<Slice<[10, 20], [10]>>());
expectType<ShapeMismatch<'slice: index -11 is out of bounds for axis 0 with size 10 (shape [10,20])'>>(t<Slice<[10, 20], [-11]>>());
expectType<ShapeMismatch<'slice: step 0 must be >= 1 (axis 0)'>>(t<Slice<[10, 20], [[0, 5, 0]]>>());
expectType<ShapeMismatch<'slice: 3 specs for [10,20] of rank 2'>>(t<Slice<[10, 20], [null, null, null]>>());
// unknown sizes: checked at run time; the length is known when both ends count from the same side
expectType<[3, 20]>(t<Slice<[number, 20], [[-4, -1]]>>());
expectType<[3, 20]>(t<Slice<[Sym<'n'>, 20], [[2, 5]]>>());
expectType<[number, 20]>(t<Slice<[number, 20], [[2, -1]]>>());
expectType<[20]>(t<Slice<[number, 20], [7]>>());
expectType<[number, 20]>(t<Slice<[10, 20], [[number, 5]]>>());

expectType<[20]>(t<Index<[10, 20], -1>>());
expectType<ShapeMismatch<'index: index 10 is out of bounds for axis 0 with size 10 (shape [10,20])'>>(t<Index<[10, 20], 10>>());

expectType<[5, 20]>(t<Take<[10, 20], [5]>>());
expectType<[10, 2, 3]>(t<Take<[10, 20], [2, 3], -1>>());
expectType<ShapeMismatch<'take: axis 2 is out of range for rank 2'>>(t<Take<[10, 20], [5], 2>>());
expectType<[Sym<'b'>, 10]>(t<OneHot<[Sym<'b'>], 10>>());

expectType<[Sym<'rows'>, 30, number]>(t<FromPattern<['rows', 30, null]>>());
expectType<[Sym<'rows'>, 30, number]>(t<FromPattern<readonly ['rows', 30, null]>>());
expectType<[Sym<'n'>, Sym<'n'>]>(t<FromPattern<['n', 'n']>>());
