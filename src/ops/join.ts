/**
 * Joining and splitting along an axis: `concat` (an existing axis), `stack`
 * (a new axis) and `split` (the inverse of `concat`, returning a tuple).
 * `stack` is expandDims + concat, `split` is a run of slices, so neither has
 * a derivative rule of its own.
 *
 * @example
 * ```ts
 * import { concat, split, zeros } from 'typegrad';
 * concat([zeros([60000, 784]), zeros([10000, 784])]); // Tensor<[70000, 784]>
 * split(zeros([6, 3]), 2);                            // [Tensor<[3, 3]>, Tensor<[3, 3]>]
 * ```
 *
 * @module
 */
import { describeValue } from '../core/describe.js';
import { ValueError, inOp } from '../core/errors.js';
import { checkTensor } from '../core/validate.js';
import { promoteDTypes, type DType, type Promote } from '../core/dtype.js';
import { type AnyTensor, type Tensor, dimsOf } from '../core/tensor.js';
import type { Shape } from '../shape/dim.js';
import {
  concatShapes,
  normalizeAxis,
  splitShapes,
  stackShapes,
  type Check,
  type Concat,
  type ErrOr,
  type Ok,
  type ShapesOf,
  type Split,
  type Stack,
} from '../shape/index.js';
import * as lax from '../lax/index.js';

/** The dtype of joining tensors: the promoted dtype of all of them (one dtype stays as it is). */
export type JoinDType<Ts extends readonly unknown[]> = Ts extends readonly [Tensor<unknown, infer D>, ...infer Rest]
  ? Rest extends readonly []
    ? D
    : Promote<D, JoinDType<Rest>>
  : Ts extends readonly Tensor<unknown, infer D>[]
    ? D
    : DType;

/**
 * A tuple of shapes as a tuple of tensors of dtype `D` (the result of
 * `split`). A failed split (`never`) gives an array of `Tensor<never>`, so
 * destructuring it reports nothing more.
 */
export type TensorsOf<Ss, D extends DType> = [Ss] extends [never] ? Tensor<never, D>[] : { -readonly [K in keyof Ss]: Tensor<Ss[K], D> };

// In the signatures below, `Ts extends readonly Tensor<Shape, DT>[]` names a type
// parameter for the element dtype on purpose: with the plain constraint
// `Tensor<Shape, DType>`, an untyped creation call in the list (`zeros([2])`)
// infers its dtype from that context and widens to the whole `DType` union.

/** The inputs as primitive-level tensors of one dtype (NumPy promotion). */
function sameDType(xs: readonly AnyTensor[]): AnyTensor[] {
  const d = xs.map((x) => x.dtype).reduce(promoteDTypes);
  return xs.map((x) => lax.astype(x, d));
}

/**
 * Joins tensors along an existing axis (default 0; negative counts from the
 * end). The other dims must agree; dtypes promote. Throws `ShapeError`
 * (`concat: [2,3] and [2,4] differ at axis 1 (3 vs 4)`, `concat: [2,3] and [2] differ in rank`,
 * `concat: needs at least one tensor`) or `AxisError`.
 *
 * @example
 * ```ts
 * import { concat, tensor } from 'typegrad';
 * concat([tensor([[1, 2]]), tensor([[3, 4], [5, 6]])]).toArray(); // [[1, 2], [3, 4], [5, 6]]: Tensor<[3, 2]>
 * concat([tensor([[1], [2]]), tensor([[3], [4]])], -1).toArray(); // [[1, 3], [2, 4]]: Tensor<[2, 2]>
 * ```
 */
export function concat<const Ts extends readonly Tensor<Shape, DT>[], const Ax extends number = 0, DT extends DType = DType>(
  xs: Ts & Check<Concat<ShapesOf<Ts>, Ax>>,
  axis?: Ax,
): Tensor<Ok<Concat<ShapesOf<Ts>, NoInfer<Ax>>>, JoinDType<Ts>> {
  const list = xs as unknown as readonly AnyTensor[];
  if (!Array.isArray(list)) throw new ValueError(`concat: expected an array of tensors, got ${describeValue(list)}`);
  list.forEach((x, i) => checkTensor('concat', `xs[${i}]`, x));
  const shapes = list.map(dimsOf);
  concatShapes(shapes, axis ?? 0);
  const ax = normalizeAxis('concat', axis ?? 0, shapes[0]!.length);
  return lax.concat(sameDType(list), ax) as unknown as Tensor<Ok<Concat<ShapesOf<Ts>, NoInfer<Ax>>>, JoinDType<Ts>>;
}

/**
 * Stacks tensors of one shape along a new axis `axis` of the result (default
 * 0, from `-(rank+1)` to `rank`); dtypes promote. Throws `ShapeError`
 * (`stack: [2,3] and [2,4] differ`, `stack: needs at least one tensor`) or `AxisError`.
 *
 * @example
 * ```ts
 * import { stack, tensor } from 'typegrad';
 * stack([tensor([1, 2]), tensor([3, 4])]).toArray();     // [[1, 2], [3, 4]]: Tensor<[2, 2]>
 * stack([tensor([1, 2]), tensor([3, 4])], 1).toArray();  // [[1, 3], [2, 4]]: Tensor<[2, 2]>
 * ```
 */
export function stack<const Ts extends readonly Tensor<Shape, DT>[], const Ax extends number = 0, DT extends DType = DType>(
  xs: Ts & Check<Stack<ShapesOf<Ts>, Ax>>,
  axis?: Ax,
): Tensor<Ok<Stack<ShapesOf<Ts>, NoInfer<Ax>>>, JoinDType<Ts>> {
  const list = xs as unknown as readonly AnyTensor[];
  if (!Array.isArray(list)) throw new ValueError(`stack: expected an array of tensors, got ${describeValue(list)}`);
  list.forEach((x, i) => checkTensor('stack', `xs[${i}]`, x));
  const out = stackShapes(list.map(dimsOf), axis ?? 0);
  const r = out.length - 1;
  const a = (axis ?? 0) < 0 ? (axis ?? 0) + r + 1 : (axis ?? 0);
  const withAxis = out.slice();
  withAxis[a] = 1;
  // stack(xs, a) = concat(expandDims(x, a) for x in xs, a)
  return lax.concat(
    sameDType(list).map((x) => lax.reshape(x, withAxis)),
    a,
  ) as unknown as Tensor<Ok<Stack<ShapesOf<Ts>, NoInfer<Ax>>>, JoinDType<Ts>>;
}

/**
 * Splits `x` along `axis` (default 0) into `n` equal parts, or into parts of
 * the given sizes; returns a tuple, typed part by part. The inverse of
 * `concat`. Throws `ShapeError` (`split: axis of size 5 cannot be split into 2 equal parts`,
 * `split: sizes [2,2] do not add up to 5 (axis 0 of [5,3])`) or `AxisError`.
 *
 * @example
 * ```ts
 * import { split, tensor } from 'typegrad';
 * const [a, b] = split(tensor([1, 2, 3, 4, 5]), [2, 3]); // Tensor<[2]>, Tensor<[3]>
 * a.toArray(); // [1, 2]
 * split(tensor([[1, 2], [3, 4]]), 2, 1).map((t) => t.toArray()); // [[[1], [3]], [[2], [4]]]
 * ```
 */
export function split<S extends Shape, D extends DType, const Sp extends number | readonly number[], const Ax extends number = 0>(
  x: Tensor<S, D>,
  sectionsOrSizes: ErrOr<Split<S, Sp, Ax>, Sp>,
  axis?: Ax,
): TensorsOf<Ok<Split<S, Sp, NoInfer<Ax>>>, D> {
  try {
    const t = x as unknown as AnyTensor;
    const shape = dimsOf(t);
    const parts = splitShapes(shape, sectionsOrSizes as number | readonly number[], axis === undefined ? 0 : axis);
    const ax = normalizeAxis('split', axis === undefined ? 0 : axis, shape.length);
    const steps = shape.map(() => 1);
    let offset = 0;
    const out = parts.map((sizes) => {
      const starts = shape.map((_, k) => (k === ax ? offset : 0));
      offset += sizes[ax]!;
      return lax.slice(t, { starts, sizes, steps });
    });
    return out as unknown as TensorsOf<Ok<Split<S, Sp, NoInfer<Ax>>>, D>;
  } catch (e) {
    throw inOp('split', e);
  }
}
