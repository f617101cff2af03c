// Result types of the elementwise ops: broadcast shapes, dtype promotion,
// weak JS numbers, generic dims, and a compile error for every shape mistake.
import { expectError, expectType } from 'tsd';
import {
  abs,
  add,
  ceil,
  clip,
  cos,
  div,
  eq,
  exp,
  expm1,
  floor,
  ge,
  gt,
  le,
  log,
  log1p,
  lt,
  max,
  maximum,
  minimum,
  mul,
  ne,
  neg,
  pow,
  reciprocal,
  relu,
  round,
  rsqrt,
  sigmoid,
  sign,
  sin,
  softplus,
  sqrt,
  square,
  sub,
  sum,
  tanh,
  where,
  zeros,
  type Dim,
  type Sym,
  type Tensor,
} from '../src/index.js';

const x = zeros([2, 3]);
declare const f64: Tensor<[2, 3], 'float64'>;
declare const i32: Tensor<[2, 3], 'int32'>;
declare const b8: Tensor<[2, 3], 'bool'>;

// Broadcasting: the shape rule, every way round.
expectType<Tensor<[2, 3]>>(add(zeros([2, 3]), zeros([3])));
expectType<Tensor<[2, 3]>>(add(zeros([3]), zeros([2, 3])));
expectType<Tensor<[2, 3]>>(add(x, x));
expectType<Tensor<[2, 3]>>(sub(zeros([2, 1]), zeros([1, 3])));
expectType<Tensor<[2, 3]>>(mul(x, zeros([])));
expectType<Tensor<[2, 3]>>(mul(zeros([]), x));
expectType<Tensor<[2, 3]>>(div(x, zeros([2, 1])));
expectType<Tensor<[4, 2, 3]>>(add(zeros([4, 1, 3]), zeros([2, 1])));
expectType<Tensor<[2, 3, 4]>>(maximum(zeros([2, 3, 4]), zeros([2, 1, 4])));
expectType<Tensor<[]>>(add(zeros([]), zeros([])));
expectType<Tensor<[0, 3]>>(add(zeros([0, 3]), zeros([3])));
expectType<Tensor<[0, 3]>>(add(zeros([0, 1]), zeros([1, 3])));
expectType<Tensor<[2, 3]>>(pow(x, zeros([1, 3])));
expectType<Tensor<[2, 3]>>(minimum(zeros([2, 1]), zeros([3])));
expectType<Tensor<[5, 2, 3]>>(maximum(x, zeros([5, 1, 1])));

// Every shape mistake is a compile error (incompatible broadcast).
expectError(add(x, zeros([4])));
expectError(add(zeros([4]), x));
expectError(sub(x, zeros([3, 3])));
expectError(mul(x, zeros([2])));
expectError(div(x, zeros([2, 3, 1])));
expectError(pow(zeros([0]), zeros([3])));
expectError(maximum(x, zeros([5, 1, 2])));
expectError(minimum(x, zeros([1, 4])));
expectError(eq(x, zeros([4])));
expectError(lt(zeros([4, 1, 3]), zeros([2, 2])));
// Wrong operand kinds.
expectError(add(x, '1'));
expectError(add(x, [1, 2, 3]));
expectError(mul(x, null));

// dtype promotion: bool < int32 < float32 < float64; bool arithmetic is int32.
expectType<Tensor<[2, 3], 'float64'>>(add(x, f64));
expectType<Tensor<[2, 3], 'float64'>>(add(i32, f64));
expectType<Tensor<[2, 3], 'float32'>>(add(i32, x));
expectType<Tensor<[2, 3], 'int32'>>(add(i32, b8));
expectType<Tensor<[2, 3], 'int32'>>(add(b8, b8));
expectType<Tensor<[2, 3], 'int32'>>(mul(b8, b8));
expectType<Tensor<[2, 3], 'float32'>>(mul(b8, x));
expectType<Tensor<[2, 3], 'int32'>>(sub(i32, i32));
expectType<Tensor<[2, 3], 'int32'>>(pow(i32, i32));
expectType<Tensor<[2, 3], 'float64'>>(maximum(f64, i32));
// True division: integers and bools give float32, float64 stays.
expectType<Tensor<[2, 3], 'float32'>>(div(i32, i32));
expectType<Tensor<[2, 3], 'float32'>>(div(b8, b8));
expectType<Tensor<[2, 3], 'float32'>>(div(i32, 2));
expectType<Tensor<[2, 3], 'float64'>>(div(f64, i32));
expectType<Tensor<[2, 3], 'float64'>>(div(f64, 2));
// Comparisons give bool whatever the operands.
expectType<Tensor<[2, 3], 'bool'>>(eq(x, x));
expectType<Tensor<[2, 3], 'bool'>>(ne(f64, i32));
expectType<Tensor<[2, 3], 'bool'>>(lt(i32, 2));
expectType<Tensor<[2, 3], 'bool'>>(le(2, f64));
expectType<Tensor<[2, 3], 'bool'>>(gt(x, zeros([3])));
expectType<Tensor<[2, 3], 'bool'>>(ge(b8, b8));

// A JS number is weakly typed: it takes the tensor's dtype, on either side.
expectType<Tensor<[2, 3]>>(mul(x, 2));
expectType<Tensor<[2, 3], 'float64'>>(mul(f64, 2));
expectType<Tensor<[2, 3], 'int32'>>(mul(i32, 2));
expectType<Tensor<[2, 3], 'int32'>>(sub(10, i32));
expectType<Tensor<[2, 3], 'float64'>>(pow(2, f64));
expectType<Tensor<[2, 3], 'int32'>>(add(b8, 1));

// Unary ops keep the shape; transcendental ones give float32 for int and bool.
expectType<Tensor<[2, 3]>>(neg(x));
expectType<Tensor<[2, 3], 'int32'>>(neg(i32));
expectType<Tensor<[2, 3], 'int32'>>(abs(i32));
expectType<Tensor<[2, 3], 'float64'>>(sign(f64));
expectType<Tensor<[2, 3], 'int32'>>(relu(i32));
expectType<Tensor<[2, 3], 'float64'>>(floor(f64));
expectType<Tensor<[2, 3], 'float64'>>(ceil(f64));
expectType<Tensor<[2, 3], 'int32'>>(round(i32));
expectType<Tensor<[2, 3], 'int32'>>(square(i32));
expectType<Tensor<[2, 3], 'float32'>>(exp(i32));
expectType<Tensor<[2, 3], 'float32'>>(log(b8));
expectType<Tensor<[2, 3], 'float64'>>(log1p(f64));
expectType<Tensor<[2, 3], 'float64'>>(expm1(f64));
expectType<Tensor<[2, 3], 'float32'>>(sqrt(i32));
expectType<Tensor<[2, 3], 'float32'>>(sin(x));
expectType<Tensor<[2, 3], 'float64'>>(cos(f64));
expectType<Tensor<[2, 3], 'float64'>>(tanh(f64));
expectType<Tensor<[2, 3], 'float32'>>(sigmoid(i32));
expectType<Tensor<[2, 3], 'float64'>>(softplus(f64));
expectType<Tensor<[2, 3], 'float32'>>(reciprocal(i32));
expectType<Tensor<[2, 3], 'float32'>>(rsqrt(i32));
expectType<Tensor<[]>>(exp(zeros([])));
expectType<Tensor<[0]>>(sigmoid(zeros([0])));
expectError(neg(3));
expectError(exp([1, 2]));

// where: a and b share the condition's shape; numbers are weak.
expectType<Tensor<[2, 3]>>(where(gt(x, 0), x, 0));
expectType<Tensor<[2, 3], 'float64'>>(where(b8, f64, x));
expectType<Tensor<[2, 3], 'float32'>>(where(b8, i32, x));
expectType<Tensor<[2, 3], 'int32'>>(where(b8, i32, i32));
expectError(where(x, x, x));
expectError(where(i32, x, 0));
expectError(where(b8, x, zeros([3, 2])));

// clip keeps shape and dtype.
expectType<Tensor<[2, 3]>>(clip(x, 0, 1));
expectType<Tensor<[2, 3], 'int32'>>(clip(i32, 0));
expectType<Tensor<[2, 3], 'float64'>>(clip(f64, undefined, 1));

// Generic dims flow through the ops inside generic functions.
export function affine<B extends Dim>(h: Tensor<[B, 10]>, bias: Tensor<[10]>): Tensor<[B, 10]> {
  const y = add(h, bias);
  expectType<Tensor<[B, 10]>>(y);
  expectType<Tensor<[B, 10]>>(mul(y, 2));
  expectType<Tensor<[B, 10]>>(relu(y));
  expectType<Tensor<[B, 10], 'bool'>>(gt(y, 0));
  expectType<Tensor<[B, 10]>>(sub(h, max(h, -1, true)));
  expectType<Tensor<[B, 10]>>(div(h, sum(h, 1, true)));
  expectType<Tensor<[B, 10]>>(where(gt(y, 0), y, 0));
  return y;
}
export function generic<S extends readonly Dim[], D extends 'float32' | 'float64'>(a: Tensor<S, D>): Tensor<S, D> {
  expectType<Tensor<S, D>>(exp(a) as Tensor<S, D>);
  expectType<Tensor<S, D>>(neg(a));
  return add(a, a) as Tensor<S, D>;
}
// Named dims unify with themselves and with 1, not with a literal.
declare const batch: Tensor<[Sym<'batch'>, 10]>;
declare const col: Tensor<[Sym<'batch'>, 1]>;
expectType<Tensor<[Sym<'batch'>, 10]>>(add(batch, col));
expectType<Tensor<[Sym<'batch'>, 10]>>(mul(batch, zeros([10])));
expectError(add(batch, zeros([64, 10])));
declare const other: Tensor<[Sym<'time'>, 10]>;
expectError(add(batch, other));
// Unknown sizes (number) are accepted and checked at run time.
declare const dyn: Tensor<[number, 3]>;
expectType<Tensor<[number, 3]>>(add(dyn, zeros([3])));
expectType<Tensor<[2, 3]>>(add(x, dyn));
// The known size is recovered whichever side it is on.
expectType<Tensor<[2, 3]>>(add(dyn, x));
// A failed op is Tensor<never>, and using it reports nothing more.
declare const failed: Tensor<never>;
expectType<Tensor<never>>(add(failed, x));

// Fixed types (were pinned bugs): square of bool is int32, where with two
// numbers is float32, and the sign-keeping unary ops reject bool at compile time.
expectType<Tensor<[2, 3], 'int32'>>(square(b8));
expectType<Tensor<[2, 3], 'float32'>>(where(b8, 1, 0));
expectError(neg(b8));

// Issue 15: one signature per binary op.
// A number that may be fractional next to an int32 tensor throws at run time, so it does not compile.
expectType<Tensor<[2, 3], 'int32'>>(mul(i32, 3));
expectError(mul(i32, 0.5));
declare const scale: number;
expectError(mul(i32, scale));
expectType<Tensor<[2, 3], 'float32'>>(mul(x, scale));
// where: the condition must broadcast with the branches.
expectError(where(gt(zeros([4]), 0), x, 0));
expectError(where(gt(x, 0), x, zeros([4])));
expectType<Tensor<[2, 3]>>(where(gt(zeros([3]), 0), x, zeros([2, 1])));
// Fully shape-generic code and rank-3 keepdims in generic code.
export function shapeGeneric<S extends readonly Dim[]>(a: Tensor<S>): Tensor<S> {
  return mul(add(a, a), 2);
}
export function centre<B extends Dim, T extends Dim, C extends Dim>(h: Tensor<[B, T, C]>): Tensor<[B, T, C]> {
  return sub(h, div(sum(h, -1, true), 2));
}
