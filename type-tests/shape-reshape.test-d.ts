import { expectType } from 'tsd';
import type { Flatten, NumElements, Reshape, ShapeMismatch, Sym } from '../src/shape/index.js';

declare function t<T>(): T;

expectType<[60000, 28, 28]>(t<Reshape<[60000, 784], [-1, 28, 28]>>());
expectType<[200704]>(t<Reshape<[784, 256], [200704]>>());
expectType<[6]>(t<Reshape<[2, 3], readonly [-1]>>());
expectType<[1, 1]>(t<Reshape<[], [1, 1]>>());
expectType<[]>(t<Reshape<[1], []>>());
expectType<ShapeMismatch<'reshape: 6 elements cannot become [4,2]'>>(t<Reshape<[2, 3], [4, 2]>>());
expectType<ShapeMismatch<'reshape: 6 elements cannot become [4,-1]'>>(t<Reshape<[2, 3], [4, -1]>>());
expectType<ShapeMismatch<'reshape: only one -1 allowed in [-1,-1]'>>(t<Reshape<[2, 3], [-1, -1]>>());
expectType<ShapeMismatch<'reshape: invalid dim -2 in [-2,-3]'>>(t<Reshape<[2, 3], [-2, -3]>>());
expectType<ShapeMismatch<'reshape: 47040000 elements cannot become [60000,28,29]'>>(t<Reshape<[60000, 784], [60000, 28, 29]>>());
// identical named dims cancel, wherever they are
expectType<[Sym<'n'>, 28, 28]>(t<Reshape<[Sym<'n'>, 784], [Sym<'n'>, 28, 28]>>());
expectType<[2, 3, Sym<'n'>]>(t<Reshape<[Sym<'n'>, 6], [2, 3, Sym<'n'>]>>());
expectType<[6, Sym<'n'>]>(t<Reshape<[Sym<'n'>, 6], [-1, Sym<'n'>]>>());
expectType<ShapeMismatch<'reshape: [n,6] cannot become [4,n]'>>(t<Reshape<[Sym<'n'>, 6], [4, Sym<'n'>]>>());
// a name that does not cancel makes the count unknown
expectType<[Sym<'m'>, number]>(t<Reshape<[Sym<'n'>, 6], [Sym<'m'>, -1]>>());
// number dims: unchecked, -1 becomes number; two number dims never cancel
expectType<[number, 28, 28]>(t<Reshape<[number, 784], [-1, 28, 28]>>());
expectType<[number, 4]>(t<Reshape<[number, 6], [number, 4]>>());
expectType<[number, number]>(t<Reshape<[number, 6], [number, -1]>>());
expectType<number[]>(t<Reshape<[2, 3], number[]>>());
// zero-size: the common leading dim cancels, as at run time
expectType<[0, 3]>(t<Reshape<[0, 3], [0, -1]>>());
expectType<[0, 0]>(t<Reshape<[0], [0, 0]>>());
expectType<[0, 5]>(t<Reshape<[2, 0], [-1, 5]>>());
expectType<ShapeMismatch<'reshape: 0 elements cannot become [-1,0]'>>(t<Reshape<[0, 3], [-1, 0]>>());

expectType<[24]>(t<Flatten<[2, 3, 4]>>());
expectType<[2, 12]>(t<Flatten<[2, 3, 4], 1>>());
expectType<[2, 3, 4]>(t<Flatten<[2, 3, 4], -1>>());
expectType<[Sym<'b'>, 784]>(t<Flatten<[Sym<'b'>, 28, 28], 1>>());
expectType<[number]>(t<Flatten<[Sym<'b'>, 28, 28]>>());
expectType<[1]>(t<Flatten<[]>>());
expectType<ShapeMismatch<'flatten: axis 2 is out of range for rank 2'>>(t<Flatten<[2, 3], 2>>());

expectType<47040000>(t<NumElements<[60000, 784]>>());
