/**
 * Changing the shape of a tensor without reordering its elements:
 * `reshape`, `flatten`, `expandDims`, `squeeze`, and `broadcastTo` (which
 * repeats elements along dims of size 1). All keep the dtype.
 *
 * Each op checks its shape twice with one rule from `shape/`: at compile time
 * (the message shows in the type error) and at run time (the same message in
 * the thrown `ShapeError` / `AxisError`).
 *
 * @example
 * ```ts
 * import { reshape, zeros } from 'typegrad';
 * reshape(zeros([60000, 784]), [-1, 28, 28]); // Tensor<[60000, 28, 28]>
 * ```
 *
 * @module
 */
import { ShapeError, inOp } from '../core/errors.js';
import { checkTensor } from '../core/validate.js';
import { describeValue } from '../core/describe.js';
import type { DType } from '../core/dtype.js';
import { type AnyTensor, type Tensor, dimsOf } from '../core/tensor.js';
import type { Shape } from '../shape/dim.js';
import {
  broadcastToShape,
  expandDimsShape,
  flattenShape,
  reshapeShape,
  squeezeShape,
  type AxisArg,
  type AxisCheck,
  type BroadcastTo,
  type Check,
  type ErrOr,
  type ExpandDims,
  type Flatten,
  type Ok,
  type Reshape,
  type Squeeze,
} from '../shape/index.js';
import * as lax from '../lax/index.js';
import { checkShape } from './create.js';

const raw = (x: unknown): AnyTensor => x as AnyTensor;

/**
 * The same elements in a new shape. One dim may be `-1`: it becomes whatever
 * is left. Throws `ShapeError`: `reshape: 6 elements cannot become [4,2]`,
 * `reshape: only one -1 allowed in [-1,-1]`.
 *
 * Inside a function generic in a dim, pass that dim on (`[x.shape[0], 28, 28]`)
 * rather than `-1`: the compiler cannot divide by a dim it does not know, so
 * `-1` becomes `number`. A dim it cannot know (`number`, or a type parameter
 * that does not cancel with the same one at the same end) leaves the count
 * to run time.
 *
 * @example
 * ```ts
 * import { reshape, tensor } from 'typegrad';
 * reshape(tensor([1, 2, 3, 4, 5, 6]), [2, 3]).toArray();  // [[1, 2, 3], [4, 5, 6]]: Tensor<[2, 3]>
 * reshape(tensor([[1, 2, 3], [4, 5, 6]]), [-1]).shape;   // [6]: Tensor<[6]>
 * ```
 */
export function reshape<S extends Shape, D extends DType, const To extends Shape>(
  x: Tensor<S, D>,
  shape: To & Check<Reshape<S, To>>,
): Tensor<Ok<Reshape<S, To>>, D> {
  checkTensor('reshape', 'x', x);
  if (!Array.isArray(shape)) throw new ShapeError(`reshape: shape must be an array of dims, got ${describeValue(shape)}`);
  const to = reshapeShape(dimsOf(x), shape as readonly number[]);
  return lax.reshape(raw(x), to) as unknown as Tensor<Ok<Reshape<S, To>>, D>;
}

/**
 * Merges the dims from `startAxis` (default 0, negative counts from the end)
 * to the last into one. A scalar flattens to `[1]`. Throws `AxisError`
 * (`flatten: axis 3 is out of range for rank 3`).
 *
 * @example
 * ```ts
 * import { flatten, zeros } from 'typegrad';
 * flatten(zeros([2, 3, 4])).shape;    // [24]: Tensor<[24]>
 * flatten(zeros([2, 3, 4]), 1).shape; // [2, 12]: Tensor<[2, 12]>
 * ```
 */
export function flatten<S extends Shape, D extends DType, const Ax extends number = 0>(
  x: Tensor<S, D>,
  startAxis?: ErrOr<Flatten<S, Ax>, Ax>,
): Tensor<Ok<Flatten<S, NoInfer<Ax>>>, D> {
  try {
    const to = flattenShape(dimsOf(x), (startAxis === undefined ? 0 : startAxis) as number);
    return lax.reshape(raw(x), to) as unknown as Tensor<Ok<Flatten<S, NoInfer<Ax>>>, D>;
  } catch (e) {
    throw inOp('flatten', e);
  }
}

/**
 * Inserts an axis of size 1 at position `axis` of the result (from
 * `-(rank+1)` to `rank`; `-1` appends). Throws `AxisError`
 * (`expandDims: axis 3 is out of range for rank 2 (a new axis goes at -3..2)`).
 *
 * @example
 * ```ts
 * import { expandDims, zeros } from 'typegrad';
 * expandDims(zeros([2, 3]), 0).shape;  // [1, 2, 3]: Tensor<[1, 2, 3]>
 * expandDims(zeros([2, 3]), -1).shape; // [2, 3, 1]: Tensor<[2, 3, 1]>
 * ```
 */
export function expandDims<S extends Shape, D extends DType, const Ax extends number>(
  x: Tensor<S, D>,
  axis: ErrOr<ExpandDims<S, Ax>, Ax>,
): Tensor<Ok<ExpandDims<S, Ax>>, D> {
  try {
    const to = expandDimsShape(dimsOf(x), axis as number);
    return lax.reshape(raw(x), to) as unknown as Tensor<Ok<ExpandDims<S, Ax>>, D>;
  } catch (e) {
    throw inOp('expandDims', e);
  }
}

/**
 * Removes axis `axis`, which must have size 1; without an axis, removes every
 * dim of size 1. At compile time a dim of unknown size can only be squeezed by
 * giving its axis (the rank of the result would not be known otherwise).
 * Throws `ShapeError` (`squeeze: cannot squeeze axis 1 of size 3 in [2,3]`) or `AxisError`.
 *
 * @example
 * ```ts
 * import { squeeze, zeros } from 'typegrad';
 * squeeze(zeros([2, 1, 3, 1])).shape; // [2, 3]: Tensor<[2, 3]>
 * squeeze(zeros([1, 1]), 0).shape;    // [1]: Tensor<[1]>
 * ```
 */
export function squeeze<S extends Shape, D extends DType, const Ax extends number | undefined = undefined>(
  x: Tensor<S, D> & AxisCheck<Squeeze<S, Ax>, Ax>,
  ...axis: AxisArg<Squeeze<S, Ax>, Ax>
): Tensor<Ok<Squeeze<S, NoInfer<Ax>>>, D> {
  try {
    const to = squeezeShape(dimsOf(x), axis[0] as number | undefined);
    return lax.reshape(raw(x), to) as unknown as Tensor<Ok<Squeeze<S, NoInfer<Ax>>>, D>;
  } catch (e) {
    throw inOp('squeeze', e);
  }
}

/**
 * Repeats `x` along its dims of size 1 (and new leading dims) to the shape
 * `shape`, NumPy-style. Its derivative sums the repeated copies back.
 * Throws `ShapeError` (`broadcastTo: cannot broadcast [2,3] to [4,3]`).
 *
 * @example
 * ```ts
 * import { broadcastTo, tensor } from 'typegrad';
 * broadcastTo(tensor([1, 2, 3]), [2, 3]).toArray(); // [[1, 2, 3], [1, 2, 3]]: Tensor<[2, 3]>
 * ```
 */
export function broadcastTo<S extends Shape, D extends DType, const T extends Shape>(
  x: Tensor<S, D>,
  shape: T & Check<BroadcastTo<S, T>>,
): Tensor<Ok<BroadcastTo<S, T>>, D> {
  try {
    const to = broadcastToShape(dimsOf(x), checkShape('broadcastTo', shape as readonly number[]));
    return lax.broadcastTo(raw(x), to) as unknown as Tensor<Ok<BroadcastTo<S, T>>, D>;
  } catch (e) {
    throw inOp('broadcastTo', e);
  }
}
