/**
 * Elementwise binary ops with NumPy broadcasting, comparisons, `where` and
 * `clip`. A JS number operand is weakly typed: `mul(x, 2)` keeps x's dtype.
 * Otherwise dtypes promote bool < int32 < float32 < float64.
 */
import type { DType, Promote } from '../core/dtype.js';
import { Tensor, type AnyTensor } from '../core/tensor.js';
import { DTypeError, ValueError, inOp } from '../core/errors.js';
import type { Shape } from '../shape/dim.js';
import type { Broadcast, FormatShape, ShapeMismatch } from '../shape/index.js';
import * as lax from '../lax/index.js';
import { checkNumber, checkTensor } from '../core/validate.js';

/** Integer division gives float32; float dtypes stay. */
type DivResult<D extends DType> = D extends 'float64' ? 'float64' : 'float32';

/**
 * The signature of every broadcasting binary op: one signature (not
 * overloads), so that a mistake is reported with the op's own message in the
 * headline (`Argument of type 'Tensor<[4]>' is not assignable to parameter of
 * type 'Tensor<[4]> & "add: cannot broadcast [2,3] with [4]: dim 3 vs 4"'`),
 * not as "No overload matches this call". Each operand is a tensor or a JS
 * number; the message goes on the tensor that does not fit.
 */
export interface BinaryOp<Op extends string, R extends 'promote' | 'bool' | 'div' = 'promote'> {
  <A = [], B = [], DA extends DType = 'float32', DB extends DType = 'float32', NA extends number | TensorTag = never, NB extends number | TensorTag = never>(
    a: (Tensor<A, DA> | NA) & CheckFirst<Op, R, A, B, DA, DB, NA, NB>,
    b: (Tensor<B, DB> | NB) & CheckSecond<Op, R, A, B, DA, DB, NA, NB>,
  ): BinaryResult<Op, R, A, B, DA, DB, NA, NB>;
}

declare const tensorTag: unique symbol;
/**
 * What is inferred for `NA`/`NB` when that operand is a tensor: a tensor is no
 * number, so inference falls back to the constraint `number | TensorTag`.
 * For a JS number operand they are the number's type (`2`, `number`). No
 * value has this type outside this module, and it vanishes from a parameter
 * type intersected with a message.
 */
type TensorTag = typeof tensorTag;
/** `true` when the operand was a JS number. */
type IsNumber<N> = TensorTag extends N ? false : true;
/** A shape as a tuple (`[...S]` for a type-parameter shape `S`, so the rules can walk it). */
type ShapeTuple<S> = { s: S } extends { s: infer T extends Shape } ? [...T] : [];
// `Check` and `Ok` of shape/errors.ts, tested through an object so that they
// also resolve for a result `[...S]` over a type-parameter shape `S`.
type Check<R> = { r: R } extends { r: never } ? unknown : { r: R } extends { r: ShapeMismatch<infer M> } ? M : unknown;
type Ok<R> = { r: R } extends { r: ShapeMismatch<string> } ? never : R;

/** The broadcast of two operand shapes; `G` is the guard described below (always a number at a call). */
type Both<Op extends string, A, B, G> = [G] extends [number | TensorTag] ? Broadcast<ShapeTuple<A>, ShapeTuple<B>, Op> : never;

/** A number that may be fractional (`0.5`, or any `number`): not an integer literal. */
type MaybeFraction<N> = number extends N ? true : `${N & number}` extends `${string}.${string}` | `${string}e${string}` ? true : false;

/**
 * The run-time rule of a JS number next to an int32 or bool tensor, as a
 * message: arithmetic with a number that may be fractional throws there
 * (its result would not be an integer), so it is a compile error here.
 */
type WeakScalarCheck<Op extends string, R, S, D, N> = R extends 'promote'
  ? { n: MaybeFraction<N> } extends { n: true }
    ? { d: D } extends { d: 'int32' | 'bool' }
      ? `${Op}: ${number extends N ? 'a number that may be fractional' : N & number} cannot be combined with ${D extends 'int32' ? 'an' : 'a'} ${D & string} tensor ${FormatShape<ShapeTuple<S>>} without changing its dtype; cast first, e.g. astype(x, 'float32')`
      : unknown
    : unknown
  : unknown;

// Each rule below starts with `[NA, NB] extends [...]`, which is always true
// at a call but keeps the rule unevaluated while the signature itself is
// declared: evaluated there, with the shapes still unknown, `ShapeTuple`
// would fix the result to `number[]`.

/** The message on the first operand: only for a number second operand next to an int tensor. */
type CheckFirst<Op extends string, R, A, B, DA, DB, NA, NB> = [NA, NB] extends [number | TensorTag, number | TensorTag]
  ? IsNumber<NA> extends true
    ? unknown
    : IsNumber<NB> extends true
      ? WeakScalarCheck<Op, R, A, DA, NB & number>
      : unknown
  : unknown;
/** The message on the second operand: broadcasting, or a number first operand next to an int tensor. */
type CheckSecond<Op extends string, R, A, B, DA, DB, NA, NB> = [NA, NB] extends [number | TensorTag, number | TensorTag]
  ? IsNumber<NB> extends true
    ? unknown
    : IsNumber<NA> extends true
      ? WeakScalarCheck<Op, R, B, DB, NA & number>
      : Check<Both<Op, A, B, NA>>
  : unknown;

type BinaryResult<Op extends string, R, A, B, DA extends DType, DB extends DType, NA, NB> = [NA, NB] extends [number | TensorTag, number | TensorTag]
  ? Tensor<
      IsNumber<NA> extends true ? ShapeTuple<B> : IsNumber<NB> extends true ? ShapeTuple<A> : Ok<Both<Op, A, B, NA>>,
      Result<R, IsNumber<NA> extends true ? DB : DA, IsNumber<NB> extends true ? DA : DB>
    >
  : never;

type Result<R, DA extends DType, DB extends DType> = R extends 'bool'
  ? 'bool'
  : R extends 'div'
    ? DivResult<Promote<DA, DB>>
    : Promote<DA, DB> extends 'bool'
      ? 'int32'
      : Promote<DA, DB>;

type Raw = (a: AnyTensor, b: AnyTensor) => AnyTensor;

/** How an op combines a JS number with a tensor: arithmetic, true division, or comparison. */
type Kind = 'promote' | 'bool' | 'div';

const isInt32 = (v: number): boolean => Number.isInteger(v) && v >= -2147483648 && v <= 2147483647;

/**
 * A JS number as a scalar tensor next to `like` (weak typing, as in JAX):
 * it takes a float tensor's dtype. Next to int32 or bool tensors an integer
 * becomes int32; a fraction is compared exactly (float64), divided in
 * float32, and is an error in arithmetic that would change the result's
 * dtype behind the type's back.
 */
function weakScalar(op: string, kind: Kind, value: number, like: AnyTensor): AnyTensor {
  const d = like.dtype;
  if (d === 'float32' || d === 'float64') return lax.scalarLike(value, like);
  if (kind === 'div') return lax.scalarLike(value, { dtype: 'float32' });
  if (kind === 'bool') {
    if (d === 'bool' && (value === 0 || value === 1)) return lax.scalarLike(value, like);
    return lax.scalarLike(value, { dtype: isInt32(value) ? 'int32' : 'float64' });
  }
  if (typeof value !== 'number' || !isInt32(value)) {
    throw new DTypeError(
      `${op}: ${String(value)} cannot be combined with ${d === 'int32' ? 'an' : 'a'} ${d} tensor without changing its dtype; cast first, e.g. astype(x, 'float32')`,
    );
  }
  return lax.scalarLike(value, { dtype: 'int32' });
}

/** The two operands as tensors; a JS number is weakly typed. */
function operands(op: string, kind: Kind, a: unknown, b: unknown): [AnyTensor, AnyTensor] {
  if (a instanceof Tensor) {
    if (b instanceof Tensor) return [a as AnyTensor, b as AnyTensor];
    if (typeof b === 'number') return [a as AnyTensor, weakScalar(op, kind, b, a as AnyTensor)];
  } else if (typeof a === 'number' && b instanceof Tensor) return [weakScalar(op, kind, a, b as AnyTensor), b as AnyTensor];
  throw new DTypeError(`${op}: expected tensors or numbers, got ${describe(a)} and ${describe(b)}`);
}

function describe(x: unknown): string {
  return x instanceof Tensor ? 'a tensor' : x === null ? 'null' : typeof x;
}

function binary<Op extends string, R extends Kind = 'promote'>(op: Op, raw: Raw, kind: R = 'promote' as R): BinaryOp<Op, R> {
  return ((a: unknown, b: unknown) => {
    const [x, y] = operands(op, kind, a, b);
    return raw(x, y);
  }) as unknown as BinaryOp<Op, R>;
}

/** `a + b`. @example `add(tensor([[1, 2]]), tensor([10])) // [[11, 12]]` */
export const add = binary('add', lax.add);
/** `a - b`. @example `sub(tensor([3]), 1) // [2]` */
export const sub = binary('sub', lax.sub);
/** `a * b`. @example `mul(tensor([1, 2]), 2) // [2, 4]` */
export const mul = binary('mul', lax.mul);
/** True division; integers give float32. @example `div(tensor([1, 2]), 4) // [0.25, 0.5]` */
export const div = binary('div', lax.div, 'div');
/** `a ** b`. @example `pow(tensor([2, 3]), 2) // [4, 9]` */
export const pow = binary('pow', lax.pow);
/** Elementwise maximum; at ties the derivative is split evenly. @example `maximum(tensor([1, 5]), 3) // [3, 5]` */
export const maximum = binary('maximum', lax.maximum);
/** Elementwise minimum; at ties the derivative is split evenly. @example `minimum(tensor([1, 5]), 3) // [1, 3]` */
export const minimum = binary('minimum', lax.minimum);
/** `a == b` as bool. @example `eq(tensor([1, 2]), 2) // [false, true]` */
export const eq = binary('eq', lax.eq, 'bool');
/** `a != b` as bool. @example `ne(tensor([1, 2]), 2) // [true, false]` */
export const ne = binary('ne', lax.ne, 'bool');
/** `a < b` as bool. @example `lt(tensor([1, 2]), 2) // [true, false]` */
export const lt = binary('lt', lax.lt, 'bool');
/** `a <= b` as bool. @example `le(tensor([1, 2]), 2) // [true, true]` */
export const le = binary('le', lax.le, 'bool');
/** `a > b` as bool. @example `gt(tensor([1, 2]), 1) // [false, true]` */
export const gt = binary('gt', lax.gt, 'bool');
/** `a >= b` as bool. @example `ge(tensor([1, 2]), 2) // [false, true]` */
export const ge = binary('ge', lax.ge, 'bool');

/** An operand's shape: `[]` for a JS number. */
type OperandShape<S, N> = IsNumber<N> extends true ? [] : ShapeTuple<S>;
/** `where` broadcasts the condition with `a`, then the result with `b` (the run-time order, so the same message). */
type WhereFirst<C, A, NA> = [NA] extends [number | TensorTag] ? Broadcast<ShapeTuple<C>, OperandShape<A, NA>, 'where'> : never;
type WhereBoth<C, A, B, NA, NB> = [NA, NB] extends [number | TensorTag, number | TensorTag]
  ? Ok<WhereFirst<C, A, NA>> extends infer CA extends Shape
    ? Broadcast<CA, OperandShape<B, NB>, 'where'>
    : never
  : never;
type WhereResult<C, A, B, DA extends DType, DB extends DType, NA, NB> = [NA, NB] extends [number | TensorTag, number | TensorTag]
  ? Tensor<
      Ok<WhereBoth<C, A, B, NA, NB>>,
      IsNumber<NA> extends true ? (IsNumber<NB> extends true ? 'float32' : DB) : IsNumber<NB> extends true ? DA : Promote<DA, DB>
    >
  : never;

/**
 * Picks `a` where `cond` is true and `b` elsewhere; the three broadcast together.
 * @example
 * ```ts
 * where(gt(x, 0), x, 0); // relu
 * ```
 */
export function where<
  C = [],
  A = [],
  B = [],
  DA extends DType = 'float32',
  DB extends DType = 'float32',
  NA extends number | TensorTag = never,
  NB extends number | TensorTag = never,
>(
  cond: Tensor<C, 'bool'>,
  a: (Tensor<A, DA> | NA) & Check<WhereFirst<C, A, NA>>,
  b: (Tensor<B, DB> | NB) & Check<WhereBoth<C, A, B, NA, NB>>,
): WhereResult<C, A, B, DA, DB, NA, NB>;
export function where(cond: unknown, a: unknown, b: unknown): AnyTensor {
  if (!(cond instanceof Tensor)) throw new DTypeError(`where: condition must be a bool tensor, got ${describe(cond)}`);
  const like = (a instanceof Tensor ? a : b instanceof Tensor ? b : null) as AnyTensor | null;
  const scalarOf = (v: unknown): AnyTensor => {
    if (typeof v !== 'number') throw new DTypeError(`where: branches must be tensors or numbers, got ${describe(v)}`);
    return like === null ? lax.scalarLike(v, { dtype: 'float32' }) : weakScalar('where', 'promote', v, like);
  };
  const x = a instanceof Tensor ? (a as AnyTensor) : scalarOf(a);
  const y = b instanceof Tensor ? (b as AnyTensor) : scalarOf(b);
  return lax.where(cond as AnyTensor, x, y);
}

/**
 * Limits values to [min, max] (either bound may be omitted with `undefined`).
 * @example
 * ```ts
 * clip(tensor([-2, 0.5, 3]), 0, 1); // [0, 0.5, 1]
 * ```
 */
export function clip<S, D extends DType>(x: Tensor<S, D>, min: number | undefined, max?: number): Tensor<S, D> {
  try {
    let y: AnyTensor = checkTensor('clip', 'x', x);
    if (min !== undefined) checkNumber('clip', 'min', min);
    if (max !== undefined) checkNumber('clip', 'max', max);
    if (min !== undefined && max !== undefined && min > max) throw new ValueError(`clip: min ${min} is greater than max ${max}`);
    // Integer tensors are clipped to the integers inside [min, max].
    const int = y.dtype === 'int32' || y.dtype === 'bool';
    if (min !== undefined) y = lax.maximum(y, lax.scalarLike(int ? Math.ceil(min) : min, y));
    if (max !== undefined) y = lax.minimum(y, lax.scalarLike(int ? Math.floor(max) : max, y));
    return y as unknown as Tensor<S, D>;
  } catch (e) {
    throw inOp('clip', e);
  }
}
