import { expectType } from 'tsd';
import type { Add, Compare, DivCeil, DivExact, IsNat, Mul, Product, Signed, Sub, Sym } from '../src/shape/index.js';

declare function t<T>(): T;

// digit-wise arithmetic: exact, far beyond tuple-length tricks
expectType<70000>(t<Add<60000, 10000>>());
expectType<1000>(t<Add<999, 1>>());
expectType<9007199254740992>(t<Add<9007199254740991, 1>>());
expectType<number>(t<Add<3, number>>());
expectType<number>(t<Add<3, Sym<'a'>>>());
expectType<7>(t<Sub<10, 3>>());
expectType<0>(t<Sub<7, 7>>());
expectType<never>(t<Sub<5, 7>>());
expectType<200704>(t<Mul<784, 256>>());
expectType<47040000>(t<Mul<60000, 784>>());
expectType<9999800001>(t<Mul<99999, 99999>>());
expectType<0>(t<Mul<0, 99999>>());
// above 2^53 the result is not exact any more: number
expectType<number>(t<Mul<94906267, 94906267>>());
expectType<60000>(t<DivExact<47040000, 784>>());
expectType<never>(t<DivExact<10, 3>>());
expectType<never>(t<DivExact<3, 0>>());
expectType<4>(t<DivCeil<10, 3>>());
expectType<3>(t<DivCeil<9, 3>>());
expectType<'gt'>(t<Compare<11, 10>>());
expectType<'eq'>(t<Compare<10, 10>>());
expectType<'lt'>(t<Compare<9, 10>>());
expectType<'unknown'>(t<Compare<9, number>>());
expectType<47040000>(t<Product<[60000, 784]>>());
expectType<1>(t<Product<[]>>());
expectType<number>(t<Product<[number, 3]>>());
expectType<number>(t<Product<number[]>>());
expectType<true>(t<IsNat<784>>());
expectType<false>(t<IsNat<1.5>>());
expectType<false>(t<IsNat<-1>>());
expectType<false>(t<IsNat<Sym<'x'>>>());
expectType<false>(t<IsNat<number>>());
expectType<['-', 3]>(t<Signed<-3>>());
expectType<['+', 4]>(t<Signed<4>>());
expectType<false>(t<Signed<number>>());
