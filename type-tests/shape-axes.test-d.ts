import { expectType } from 'tsd';
import type { ExpandDims, NormalizeAxes, NormalizeAxis, Permute, Reduce, ShapeMismatch, Squeeze, Sym, Transpose } from '../src/shape/index.js';

declare function t<T>(): T;

expectType<2>(t<NormalizeAxis<-1, 3>>());
expectType<0>(t<NormalizeAxis<-3, 3>>());
expectType<number>(t<NormalizeAxis<number, 3>>());
expectType<ShapeMismatch<'sum: axis -4 is out of range for rank 3'>>(t<NormalizeAxis<-4, 3, 'sum'>>());
expectType<ShapeMismatch<'sum: axis 3 is out of range for rank 3'>>(t<NormalizeAxis<3, 3, 'sum'>>());
expectType<ShapeMismatch<'sum: axis 1.5 is not an integer'>>(t<NormalizeAxis<1.5, 3, 'sum'>>());
expectType<[0, 2]>(t<NormalizeAxes<[0, -1], 3>>());
expectType<ShapeMismatch<'sum: axis 0 repeated'>>(t<NormalizeAxes<[0, -2], 2, 'sum'>>());

expectType<[60000, 1]>(t<Reduce<[60000, 784], -1, true>>());
expectType<[60000]>(t<Reduce<[60000, 784], -1, false>>());
expectType<[3]>(t<Reduce<[2, 3, 4], [0, 2], false>>());
expectType<[1, 3, 1]>(t<Reduce<[2, 3, 4], readonly [0, 2], true>>());
expectType<[]>(t<Reduce<[2, 3], undefined, false>>());
expectType<[1, 1]>(t<Reduce<[2, 3], undefined, true>>());
expectType<[2, 3]>(t<Reduce<[2, 3], [], false>>());
expectType<[Sym<'b'>]>(t<Reduce<[Sym<'b'>, 10], 1>>());
expectType<ShapeMismatch<'sum: axis 2 is out of range for rank 2'>>(t<Reduce<[2, 3], 2, false, 'sum'>>());
expectType<ShapeMismatch<'sum: axis 0 repeated'>>(t<Reduce<[2, 3], [0, -2], false, 'sum'>>());
// unknown axis or keepdims: unknown rank
expectType<number[]>(t<Reduce<[2, 3], number, false>>());
expectType<[number, number]>(t<Reduce<[2, 3], number, true>>());
expectType<number[]>(t<Reduce<[2, 3], 0, boolean>>());

expectType<[Sym<'b'>, 10, 784]>(t<Transpose<[Sym<'b'>, 784, 10]>>());
expectType<[3, 2]>(t<Transpose<[2, 3]>>());
expectType<ShapeMismatch<'transpose: needs rank >= 2, got [3]'>>(t<Transpose<[3]>>());
expectType<[4, 2, 3]>(t<Permute<[2, 3, 4], [2, 0, 1]>>());
expectType<[4, 2, 3]>(t<Permute<[2, 3, 4], [-1, 0, 1]>>());
expectType<[]>(t<Permute<[], []>>());
expectType<ShapeMismatch<'permute: axis 0 repeated in permutation of [2,3,4]'>>(t<Permute<[2, 3, 4], [0, 0, 1]>>());
expectType<ShapeMismatch<'permute: [0,1] has 2 axes for [2,3,4] of rank 3'>>(t<Permute<[2, 3, 4], [0, 1]>>());
expectType<ShapeMismatch<'permute: axis 3 is out of range for rank 3'>>(t<Permute<[2, 3, 4], [0, 1, 3]>>());

expectType<[1, 2, 3]>(t<ExpandDims<[2, 3], 0>>());
expectType<[2, 3, 1]>(t<ExpandDims<[2, 3], 2>>());
expectType<[2, 3, 1]>(t<ExpandDims<[2, 3], -1>>());
expectType<[1, 2, 3]>(t<ExpandDims<[2, 3], -3>>());
expectType<ShapeMismatch<'expandDims: axis 3 is out of range for rank 2 (a new axis goes at -3..2)'>>(t<ExpandDims<[2, 3], 3>>());

expectType<[2, 3]>(t<Squeeze<[2, 1, 3, 1]>>());
expectType<[2, 3, 1]>(t<Squeeze<[2, 1, 3, 1], 1>>());
expectType<[2, 1, 3]>(t<Squeeze<[2, 1, 3, 1], -1>>());
expectType<[3]>(t<Squeeze<[number, 3], 0>>());
expectType<[Sym<'b'>]>(t<Squeeze<[Sym<'b'>, 1], 1>>());
expectType<ShapeMismatch<'squeeze: cannot squeeze axis 1 of size 3 in [2,3]'>>(t<Squeeze<[2, 3], 1>>());
expectType<ShapeMismatch<'squeeze: cannot squeeze axis 0 of size b in [b,3]'>>(t<Squeeze<[Sym<'b'>, 3], 0>>());
// without an axis, a dim that might be 1 makes the rank unknown: an error
expectType<ShapeMismatch<'squeeze: dim 0 of [b,1] might be 1; give the axis to squeeze'>>(t<Squeeze<[Sym<'b'>, 1]>>());
expectType<ShapeMismatch<'squeeze: dim 1 of [2,?] might be 1; give the axis to squeeze'>>(t<Squeeze<[2, number]>>());
