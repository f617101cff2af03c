/**
 * Reductions over all axes, one axis or several (negative axes allowed),
 * with `keepdims`. Empty reductions follow NumPy: `sum` of nothing is 0,
 * `prod` is 1, `mean` is NaN, and `max`/`min` throw.
 */
import { checkString, checkTensor } from '../core/validate.js';
import { describeValue } from '../core/describe.js';
import type { DType } from '../core/dtype.js';
import { AxisError, ValueError } from '../core/errors.js';
import { type Tensor, type AnyTensor, dimsOf } from '../core/tensor.js';
import type { Shape } from '../shape/dim.js';
import { normalizeAxes, normalizeAxis, type ErrOr, type Ok, type Reduce } from '../shape/index.js';
import * as lax from '../lax/index.js';
import type { FloatOf, NumericDType } from './unary.js';
import { reducedShape } from '../backend/cpu/reduce.js';

/** An axis argument: one axis, several, or `undefined` for all. */
export type Axes = number | readonly number[] | undefined;

/** Sums of bools count in int32. */
type SumOf<D extends DType> = D extends 'bool' ? 'int32' : D;

/** The signature shared by the reductions; `R` maps the input dtype to the output dtype. */
type Reduction<Op extends string, Out extends 'same' | 'sum' | 'float'> = <
  S extends Shape,
  D extends Out extends 'same' ? NumericDType : DType,
  const Ax extends Axes = undefined,
  K extends boolean = false,
>(
  x: Tensor<S, D>,
  axis?: ErrOr<Reduce<S, Ax, K, Op>, Ax>,
  keepdims?: K,
// NoInfer: Ax and K come from the arguments only, never from an annotation on the result.
) => Tensor<Ok<Reduce<S, NoInfer<Ax>, NoInfer<K>, Op>>, Out extends 'same' ? D : Out extends 'sum' ? SumOf<D> : FloatOf<D>>;

/** Normalised, sorted, distinct axes; all axes when `axis` is undefined. */
export function resolveAxes(op: string, x: AnyTensor, axis: Axes): number[] {
  checkString('resolveAxes', 'op', op);
  const rank = checkTensor(op, 'x', x).rank;
  if (axis === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axis === 'number' ? [axis] : axis;
  if (!Array.isArray(list)) throw new AxisError(`${op}: axis must be a number, an array of numbers or undefined, got ${typeof axis}`);
  return normalizeAxes(op, list, rank).slice().sort((a, b) => a - b);
}

function countOver(x: AnyTensor, axes: readonly number[]): number {
  const shape = dimsOf(x);
  let n = 1;
  for (const a of axes) n *= shape[a]!;
  return n;
}

function reduction<Op extends string, Out extends 'same' | 'sum' | 'float'>(
  op: Op,
  f: (x: AnyTensor, axes: number[], keepdims: boolean) => AnyTensor,
): Reduction<Op, Out> {
  return ((x: AnyTensor, axis?: Axes, keepdims?: boolean) => {
    checkTensor(op, 'x', x); // an array has a length too: sum([1, 2]) must not pass it through
    if (keepdims !== undefined && typeof keepdims !== 'boolean') throw new ValueError(`${op}: keepdims must be true or false, got ${describeValue(keepdims)}`);
    return f(x, resolveAxes(op, x, axis), keepdims === true);
  }) as unknown as Reduction<Op, Out>;
}

const toFloat = (x: AnyTensor): AnyTensor => (x.dtype === 'float32' || x.dtype === 'float64' ? x : lax.astype(x, 'float32'));

/**
 * Sum of elements. Bool sums count in int32. An int32 sum that int32 cannot
 * hold throws `ValueError` instead of wrapping (NumPy and PyTorch widen to
 * int64, which typegrad lacks): `sum(astype(x, 'float64'))` is exact up to 2^53.
 * @example
 * ```ts
 * sum(tensor([[1, 2], [3, 4]]));        // Tensor<[]>: 10
 * sum(tensor([[1, 2], [3, 4]]), 0);     // Tensor<[2]>: [4, 6]
 * sum(tensor([[1, 2], [3, 4]]), -1, true); // Tensor<[2, 1]>: [[3], [7]]
 * ```
 */
export const sum = reduction<'sum', 'sum'>('sum', (x, axes, k) => lax.reduceSum(x, axes, k));

/**
 * Arithmetic mean (float result).
 * @example
 * ```ts
 * mean(tensor([1, 2, 3, 4])); // Tensor<[]>: 2.5
 * ```
 */
export const mean = reduction<'mean', 'float'>('mean', (x, axes, k) => {
  const s = lax.reduceSum(toFloat(x), axes, k);
  return lax.div(s, lax.scalarLike(countOver(x, axes), s));
});

/**
 * Product of elements (its gradient is exact with zeros in the input). An
 * int32 product that int32 cannot hold throws `ValueError`, like {@link sum}.
 * @example
 * ```ts
 * prod(tensor([1, 2, 3, 4])); // Tensor<[]>: 24
 * ```
 */
export const prod = reduction<'prod', 'sum'>('prod', (x, axes, k) => lax.reduceProd(x, axes, k));

/**
 * Maximum; the gradient is split evenly among tied maxima. Throws on an empty reduction.
 * @example
 * ```ts
 * max(tensor([[1, 5], [3, 2]]), 1); // Tensor<[2]>: [5, 3]
 * ```
 */
export const max = reduction<'max', 'same'>('max', (x, axes, k) => lax.reduceMax(x, axes, k));

/**
 * Minimum; the gradient is split evenly among tied minima. Throws on an empty reduction.
 * @example
 * ```ts
 * min(tensor([[1, 5], [3, 2]]), 1); // Tensor<[2]>: [1, 2]
 * ```
 */
export const min = reduction<'min', 'same'>('min', (x, axes, k) => lax.reduceMin(x, axes, k));

/**
 * `log(sum(exp(x)))`, computed stably by subtracting the maximum first.
 * @example
 * ```ts
 * logsumexp(tensor([1000, 1000])); // Tensor<[]>: 1000.693...
 * ```
 */
export const logsumexp = reduction<'logsumexp', 'float'>('logsumexp', (x, axes, k) => {
  const xf = toFloat(x);
  // The log of an empty sum is -Infinity (as in NumPy and PyTorch).
  if (countOver(x, axes) === 0) return lax.fill(reducedShape(dimsOf(xf), axes, k), -Infinity, xf.dtype);
  // m is a constant shift: log sum exp(x) = m + log sum exp(x - m) for any m.
  const mRaw = lax.stopGradient(lax.reduceMax(xf, axes, true));
  const m = lax.where(lax.eq(lax.abs(mRaw), lax.scalarLike(Infinity, mRaw)), lax.scalarLike(0, mRaw), mRaw);
  const s = lax.log(lax.reduceSum(lax.exp(lax.sub(xf, m)), axes, true));
  const out = lax.add(s, m);
  return k ? out : lax.reshape(out, reducedShape(dimsOf(xf), axes, false));
});

/** Options of `variance` and `std`. */
export interface VarianceOptions<K extends boolean> {
  readonly keepdims?: K;
  /** Delta degrees of freedom (the Array API's `correction`): the divisor is `n - ddof`, NaN when that is <= 0. Default 0 (population). */
  readonly ddof?: number;
}

type Moment<Op extends string> = <S extends Shape, D extends DType, const Ax extends Axes = undefined, K extends boolean = false>(
  x: Tensor<S, D>,
  axis?: ErrOr<Reduce<S, Ax, K, Op>, Ax>,
  opts?: VarianceOptions<K>,
) => Tensor<Ok<Reduce<S, NoInfer<Ax>, NoInfer<K>, Op>>, FloatOf<D>>;

function varianceOf(op: string, x: AnyTensor, axis: Axes, opts: VarianceOptions<boolean> = {}): AnyTensor {
  if (typeof opts !== 'object' || opts === null) throw new ValueError(`${op}: options must be an object, got ${describeValue(opts)}`);
  const ddof = opts.ddof ?? 0;
  if (typeof ddof !== 'number' || !Number.isFinite(ddof) || ddof < 0) throw new ValueError(`${op}: ddof must be a finite number >= 0, got ${describeValue(ddof)}`);
  const axes = resolveAxes(op, x, axis);
  const xf = toFloat(x);
  const n = countOver(x, axes);
  const mu = lax.div(lax.reduceSum(xf, axes, true), lax.scalarLike(n, xf));
  const d = lax.sub(xf, mu);
  const ss = lax.reduceSum(lax.mul(d, d), axes, opts.keepdims === true);
  // The Array API standard: a correction >= n leaves no degrees of freedom, and the result is NaN
  // (NumPy divides by max(n - ddof, 0) and gives Infinity); never a negative variance.
  const dof = n - ddof;
  return lax.div(ss, lax.scalarLike(dof > 0 ? dof : NaN, ss));
}

/**
 * Variance (population by default; `ddof: 1` for the sample variance, as `torch.var`'s default).
 * @example
 * ```ts
 * variance(tensor([1, 2, 3, 4]));              // 1.25
 * variance(tensor([1, 2, 3, 4]), undefined, { ddof: 1 }); // 1.666...
 * ```
 */
export const variance = ((x: AnyTensor, axis?: Axes, opts?: VarianceOptions<boolean>) => varianceOf('variance', x, axis, opts)) as unknown as Moment<'variance'>;

/**
 * Standard deviation: `sqrt(variance)`.
 * @example
 * ```ts
 * std(tensor([1, 2, 3, 4])); // 1.118...
 * ```
 */
export const std = ((x: AnyTensor, axis?: Axes, opts?: VarianceOptions<boolean>) => lax.sqrt(varianceOf('std', x, axis, opts))) as unknown as Moment<'std'>;

type ArgReduction<Op extends string> = <S extends Shape, D extends DType, const Ax extends number | undefined = undefined, K extends boolean = false>(
  x: Tensor<S, D>,
  axis?: ErrOr<Reduce<S, Ax, K, Op>, Ax>,
  keepdims?: K,
) => Tensor<Ok<Reduce<S, NoInfer<Ax>, NoInfer<K>, Op>>, 'int32'>;

function argReduction<Op extends string>(op: Op, f: typeof lax.argmax): ArgReduction<Op> {
  return ((x: AnyTensor, axis?: number, keepdims?: boolean) => {
    checkTensor(op, 'x', x);
    if (keepdims !== undefined && typeof keepdims !== 'boolean') throw new ValueError(`${op}: keepdims must be a boolean, got ${describeValue(keepdims)}`);
    if (axis === undefined) {
      // Over all elements, as an index into the flattened tensor.
      const flat = lax.reshape(x, [x.size]);
      const r = f(flat, 0, false);
      return keepdims ? lax.reshape(r, dimsOf(x).map(() => 1)) : r;
    }
    return f(x, normalizeAxis(op, axis, x.rank), keepdims === true);
  }) as unknown as ArgReduction<Op>;
}

/**
 * Index of the maximum along an axis (first at ties); over all elements when no axis.
 * @example
 * ```ts
 * argmax(tensor([[1, 5], [3, 2]]), 1); // Tensor<[2], 'int32'>: [1, 0]
 * ```
 */
export const argmax = argReduction('argmax', lax.argmax);

/**
 * Index of the minimum along an axis (first at ties); over all elements when no axis.
 * @example
 * ```ts
 * argmin(tensor([[1, 5], [3, 2]]), 1); // Tensor<[2], 'int32'>: [0, 1]
 * ```
 */
export const argmin = argReduction('argmin', lax.argmin);
