/**
 * Elementwise binary ops with NumPy broadcasting, comparisons, `where` and
 * `clip`. A JS number operand is weakly typed: `mul(x, 2)` keeps x's dtype.
 * Otherwise dtypes promote bool < int32 < float32 < float64.
 */
import type { DType, Promote } from '../core/dtype.js';
import { Tensor, type AnyTensor } from '../core/tensor.js';
import { DTypeError, ValueError } from '../core/errors.js';
import type { Dim, Shape } from '../shape/dim.js';
import type { Broadcast, Check, Ok } from '../shape/index.js';
import * as lax from '../lax/index.js';

/** Integer division gives float32; float dtypes stay. */
type DivResult<D extends DType> = D extends 'float64' ? 'float64' : 'float32';

/**
 * The signature of every broadcasting binary op. The first overloads are
 * patterns (best hovers, work inside generic functions); the last computes the
 * broadcast shape and carries the error message when the shapes do not fit.
 */
export interface BinaryOp<Op extends string, R extends 'promote' | 'bool' | 'div' = 'promote'> {
  <S, DA extends DType, DB extends DType>(a: Tensor<S, DA>, b: Tensor<NoInfer<S>, DB>): Tensor<S, Result<R, DA, DB>>;
  <P extends Dim[], N extends Dim, DA extends DType, DB extends DType>(a: Tensor<[...P, N], DA>, b: Tensor<[...P, 1], DB>): Tensor<[...P, N], Result<R, DA, DB>>;
  <S, D extends DType>(a: Tensor<S, D>, b: number): Tensor<S, Result<R, D, D>>;
  <S, D extends DType>(a: number, b: Tensor<S, D>): Tensor<S, Result<R, D, D>>;
  <A extends Shape, B extends Shape, DA extends DType, DB extends DType>(
    a: Tensor<A, DA>,
    b: Tensor<B, DB> & Check<Broadcast<A, B, Op>>,
  ): Tensor<Ok<Broadcast<A, B, Op>>, Result<R, DA, DB>>;
}

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

/**
 * Picks `a` where `cond` is true and `b` elsewhere; the three broadcast together.
 * @example
 * ```ts
 * where(gt(x, 0), x, 0); // relu
 * ```
 */
export function where<S, DA extends DType, DB extends DType>(
  cond: Tensor<S, 'bool'> | Tensor<Shape, 'bool'>,
  a: Tensor<S, DA>,
  b: Tensor<NoInfer<S>, DB>,
): Tensor<S, Promote<DA, DB>>;
export function where<S, D extends DType>(cond: Tensor<Shape, 'bool'>, a: Tensor<S, D>, b: number): Tensor<S, D>;
export function where<S, D extends DType>(cond: Tensor<Shape, 'bool'>, a: number, b: Tensor<S, D>): Tensor<S, D>;
export function where<S>(cond: Tensor<S, 'bool'>, a: number, b: number): Tensor<S, 'float32'>;
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
  let y = x as unknown as AnyTensor;
  if (min !== undefined && max !== undefined && min > max) throw new ValueError(`clip: min ${min} is greater than max ${max}`);
  // Integer tensors are clipped to the integers inside [min, max].
  const int = y.dtype === 'int32' || y.dtype === 'bool';
  if (min !== undefined) y = lax.maximum(y, lax.scalarLike(int ? Math.ceil(min) : min, y));
  if (max !== undefined) y = lax.minimum(y, lax.scalarLike(int ? Math.floor(max) : max, y));
  return y as unknown as Tensor<S, D>;
}
