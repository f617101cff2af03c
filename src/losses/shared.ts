/**
 * What the losses share: the `reduction` option, the exact-shape rule for
 * predictions and targets (at compile time and at run time, with the same
 * message), and casting targets to the predictions' dtype.
 */
import type { DType, FloatDType } from '../core/dtype.js';
import { DTypeError, ShapeError, ValueError, formatShape } from '../core/errors.js';
import { describeValue } from '../core/describe.js';
import { type AnyTensor, Tensor, dimsOf, storageOf } from '../core/tensor.js';
import type { FormatShape } from '../shape/format.js';
import type { UnifyEqual } from '../shape/unify.js';
import * as lax from '../lax/index.js';

/** How per-element losses are combined: their mean (default), their sum, or not at all. */
export type Reduction = 'mean' | 'sum' | 'none';

/** The `reduction` option every loss takes. */
export interface LossOptions<R extends Reduction = 'mean'> {
  readonly reduction?: R;
}

/** A loss's result: a scalar, or the per-element losses (shape `S`) for `reduction: 'none'`. */
export type LossResult<S, D extends DType, R extends Reduction> = R extends 'none' ? Tensor<S, D> : Tensor<[], D>;

/** `true` when two shapes are equal, dim by dim (`number` fits any dim). */
type SameShapeR<A extends readonly unknown[], B extends readonly unknown[]> = A extends readonly [infer AH, ...infer AR]
  ? B extends readonly [infer BH, ...infer BR]
    ? UnifyEqual<AH, BH> extends false
      ? false
      : SameShapeR<AR, BR>
    : false
  : B extends readonly []
    ? true
    : false;

/**
 * The message when a loss's prediction and target shapes differ, else
 * `unknown` (no-op in an intersection). Unknown ranks pass (checked at run time).
 */
export type CheckSameShape<A, B, Op extends string> = [A] extends [never]
  ? unknown
  : [B] extends [never]
    ? unknown
    : A extends readonly unknown[]
      ? B extends readonly unknown[]
        ? number extends A['length'] | B['length']
          ? unknown
          : SameShapeR<A, B> extends true
            ? unknown
            : `${Op}: prediction ${FormatShape<A>} and target ${FormatShape<B>} must have the same shape`
        : unknown
      : unknown;

/** @internal The message of {@link CheckSameShape} at run time, with the broadcast it prevents. */
export function checkSameShape(op: string, pred: AnyTensor, target: AnyTensor, what = 'target'): void {
  const a = dimsOf(pred), b = dimsOf(target);
  if (a.length === b.length && a.every((d, i) => d === b[i])) return;
  throw new ShapeError(
    `${op}: prediction ${formatShape(a)} and ${what} ${formatShape(b)} must have the same shape ` +
      `(broadcasting them would compare every prediction with every ${what})`,
  );
}

/**
 * @internal The elements of `x` where they are known (a concrete tensor, or
 * the primal inside a grad/jvp tracer); null while staging under `jit`.
 */
export function knownValues(x: AnyTensor): ArrayLike<number> | null {
  try {
    return storageOf(x.concrete());
  } catch {
    return null;
  }
}

/**
 * @internal Throws a ValueError naming the first element of `x` outside
 * `[lo, hi]` (NaN included): losses refuse the values they would hide
 * behind a clamp or a where.
 */
export function checkRange(op: string, name: string, x: AnyTensor, lo: number, hi: number): void {
  const v = knownValues(x);
  if (v === null) return;
  for (let i = 0; i < v.length; i++) {
    const e = v[i]!;
    if (!(e >= lo && e <= hi)) {
      throw new ValueError(`${op}: ${name} must be in [${lo}, ${hi}], got ${Object.is(e, -0) ? '-0' : e} at flat index ${i}`);
    }
  }
}

/** @internal Checks that `x` is a float tensor; returns it untyped. */
export function floatInput(op: string, name: string, x: unknown): AnyTensor {
  if (!(x instanceof Tensor)) throw new DTypeError(`${op}: ${name} must be a tensor, got ${describeValue(x)}`);
  if (x.dtype !== 'float32' && x.dtype !== 'float64') throw new DTypeError(`${op}: ${name} must be float32 or float64, got ${x.dtype}`);
  return x as AnyTensor;
}

/** @internal A target (any dtype) as the predictions' float dtype. */
export function targetAs(op: string, target: unknown, dtype: FloatDType): AnyTensor {
  if (!(target instanceof Tensor)) throw new DTypeError(`${op}: target must be a tensor, got ${describeValue(target)}`);
  return lax.astype(target as AnyTensor, dtype);
}

/** @internal Applies the reduction; checks its name. */
export function reduce(op: string, losses: AnyTensor, reduction: unknown): AnyTensor {
  const r = reduction ?? 'mean';
  if (r === 'none') return losses;
  const axes = dimsOf(losses).map((_, i) => i);
  if (r === 'sum') return lax.reduceSum(losses, axes, false);
  if (r === 'mean') {
    const s = lax.reduceSum(losses, axes, false);
    return lax.div(s, lax.scalarLike(losses.size, s));
  }
  throw new ValueError(`${op}: reduction must be 'mean', 'sum' or 'none', got ${describeValue(r)}`);
}

/** @internal Shapes without their last dim. */
export type Init<S> = S extends readonly [...infer H, unknown] ? H : S extends readonly unknown[] ? number[] : never;

/** @internal A shape as a mutable tuple, for results. */
export type Mut<S> = S extends readonly unknown[] ? [...S] : S;


/**
 * The signature of a loss comparing a prediction with a target of the same
 * shape. The first overload carries the shape from the prediction (best
 * hovers; works in functions generic in a dim); the last one computes the
 * shape check, so a mismatch reports `mse: prediction [N,1] and target [N]
 * must have the same shape`. The target may have any dtype: it is cast to
 * the prediction's.
 */
export interface PairLoss<Op extends string, Extra = unknown> {
  <S, D extends FloatDType, const R extends Reduction = 'mean'>(
    prediction: Tensor<S, D>,
    target: Tensor<NoInfer<S>, DType>,
    options?: LossOptions<R> & Extra,
  ): LossResult<S, D, R>;
  <A extends readonly number[], B extends readonly number[], D extends FloatDType, const R extends Reduction = 'mean'>(
    prediction: Tensor<A, D>,
    target: Tensor<B, DType> & CheckSameShape<A, B, Op>,
    options?: LossOptions<R> & Extra,
  ): LossResult<A, D, R>;
}

/** @internal Builds a pair loss from its elementwise formula. */
export function pairLoss<Op extends string, Extra extends object = object>(
  op: Op,
  elementwise: (pred: AnyTensor, target: AnyTensor, options: Partial<Extra>) => AnyTensor,
  check?: (pred: AnyTensor, target: AnyTensor) => void,
): PairLoss<Op, Partial<Extra>> {
  return ((prediction: unknown, target: unknown, options: LossOptions<Reduction> & Partial<Extra> = {}) => {
    const p = floatInput(op, 'prediction', prediction);
    if (!(target instanceof Tensor)) throw new DTypeError(`${op}: target must be a tensor, got ${describeValue(target)}`);
    if (typeof options !== 'object' || options === null) throw new ValueError(`${op}: options must be an object, got ${describeValue(options)}`);
    checkSameShape(op, p, target as AnyTensor);
    check?.(p, target as AnyTensor);
    return reduce(op, elementwise(p, targetAs(op, target, p.dtype as FloatDType), options), options.reduction);
  }) as unknown as PairLoss<Op, Partial<Extra>>;
}
