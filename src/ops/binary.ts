/**
 * Elementwise binary ops with NumPy broadcasting, comparisons, `where` and
 * `clip`. A JS number operand is weakly typed: `mul(x, 2)` keeps x's dtype.
 * Otherwise dtypes promote bool < int32 < float32 < float64.
 */
import type { DType, Promote } from '../core/dtype.js';
import { Tensor, type AnyTensor } from '../core/tensor.js';
import { DTypeError } from '../core/errors.js';
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

/** Turns a JS number into a scalar of the other operand's dtype (weak typing). */
function operands(op: string, a: unknown, b: unknown): [AnyTensor, AnyTensor] {
  if (a instanceof Tensor) {
    if (b instanceof Tensor) return [a as AnyTensor, b as AnyTensor];
    if (typeof b === 'number') return [a as AnyTensor, lax.scalarLike(b, a)];
  } else if (typeof a === 'number' && b instanceof Tensor) return [lax.scalarLike(a, b), b as AnyTensor];
  throw new DTypeError(`${op}: expected tensors or numbers, got ${describe(a)} and ${describe(b)}`);
}

function describe(x: unknown): string {
  return x instanceof Tensor ? 'a tensor' : x === null ? 'null' : typeof x;
}

function binary<Op extends string, R extends 'promote' | 'bool' | 'div' = 'promote'>(op: Op, raw: Raw): BinaryOp<Op, R> {
  return ((a: unknown, b: unknown) => {
    const [x, y] = operands(op, a, b);
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
export const div = binary<'div', 'div'>('div', lax.div);
/** `a ** b`. @example `pow(tensor([2, 3]), 2) // [4, 9]` */
export const pow = binary('pow', lax.pow);
/** Elementwise maximum; at ties the derivative is split evenly. @example `maximum(tensor([1, 5]), 3) // [3, 5]` */
export const maximum = binary('maximum', lax.maximum);
/** Elementwise minimum; at ties the derivative is split evenly. @example `minimum(tensor([1, 5]), 3) // [1, 3]` */
export const minimum = binary('minimum', lax.minimum);
/** `a == b` as bool. @example `eq(tensor([1, 2]), 2) // [false, true]` */
export const eq = binary<'eq', 'bool'>('eq', lax.eq);
/** `a != b` as bool. @example `ne(tensor([1, 2]), 2) // [true, false]` */
export const ne = binary<'ne', 'bool'>('ne', lax.ne);
/** `a < b` as bool. @example `lt(tensor([1, 2]), 2) // [true, false]` */
export const lt = binary<'lt', 'bool'>('lt', lax.lt);
/** `a <= b` as bool. @example `le(tensor([1, 2]), 2) // [true, true]` */
export const le = binary<'le', 'bool'>('le', lax.le);
/** `a > b` as bool. @example `gt(tensor([1, 2]), 1) // [false, true]` */
export const gt = binary<'gt', 'bool'>('gt', lax.gt);
/** `a >= b` as bool. @example `ge(tensor([1, 2]), 2) // [false, true]` */
export const ge = binary<'ge', 'bool'>('ge', lax.ge);

/**
 * Picks `a` where `cond` is true and `b` elsewhere; the three broadcast together.
 * @example
 * ```ts
 * where(gt(x, 0), x, 0); // relu
 * ```
 */
export function where<S, DA extends DType, DB extends DType>(
  cond: Tensor<S, 'bool'> | Tensor<Shape, 'bool'>,
  a: Tensor<S, DA> | number,
  b: Tensor<NoInfer<S>, DB> | number,
): Tensor<S, Promote<DA, DB>>;
export function where(cond: unknown, a: unknown, b: unknown): AnyTensor {
  if (!(cond instanceof Tensor)) throw new DTypeError(`where: condition must be a bool tensor, got ${describe(cond)}`);
  const like = a instanceof Tensor ? a : b instanceof Tensor ? b : null;
  const x = a instanceof Tensor ? (a as AnyTensor) : lax.scalarLike(a as number, like ?? { dtype: 'float32' });
  const y = b instanceof Tensor ? (b as AnyTensor) : lax.scalarLike(b as number, like ?? { dtype: 'float32' });
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
  if (min !== undefined) y = lax.maximum(y, lax.scalarLike(min, y));
  if (max !== undefined) y = lax.minimum(y, lax.scalarLike(max, y));
  return y as unknown as Tensor<S, D>;
}
