/**
 * Static slicing and indexing: `slice(x, specs)` with one spec per leading
 * axis, and `index(x, i)` for the first axis. The bounds are checked (no
 * Python-style clamping): an out-of-bounds index is a compile-time error
 * when the sizes are known, and a `ShapeError` at run time.
 *
 * Both are the strided-window `slice` primitive followed by a reshape that
 * drops the indexed axes, so they need no derivative rule of their own.
 *
 * @example
 * ```ts
 * import { index, slice, zeros } from 'typegrad';
 * const x = zeros([10, 20]);
 * slice(x, [[0, 5], null]); // Tensor<[5, 20]>
 * index(x, -1);             // Tensor<[20]>
 * ```
 *
 * @module
 */
import { describeValue } from '../core/describe.js';
import { ValueError } from '../core/errors.js';
import type { DType } from '../core/dtype.js';
import { type AnyTensor, type Tensor, dimsOf } from '../core/tensor.js';
import { checkInteger, checkTensor } from '../core/validate.js';
import type { Shape } from '../shape/dim.js';
import { resolveSlice, type Check, type ErrOr, type Index, type Ok, type Slice, type SliceSpec } from '../shape/index.js';
import * as lax from '../lax/index.js';

export type { SliceSpec } from '../shape/index.js';

function sliceImpl(x: AnyTensor, specs: readonly SliceSpec[], op: string): AnyTensor {
  checkTensor(op, 'x', x);
  if (!Array.isArray(specs)) throw new ValueError(`${op}: specs must be an array, got ${describeValue(specs)}`);
  const plan = resolveSlice(dimsOf(x), specs, op);
  const window = lax.slice(x, {
    starts: plan.axes.map((a) => a.start),
    sizes: plan.axes.map((a) => a.size),
    steps: plan.axes.map((a) => a.step),
  });
  // An integer spec took one element; its axis is dropped.
  return lax.reshape(window, plan.shape);
}

/**
 * A strided window of `x`, one spec per leading axis (axes without a spec
 * are kept whole): `null` keeps the axis, an integer `i` picks one index and
 * drops the axis, `[start, end]` or `[start, end, step]` (step >= 1) keeps
 * that range. Negative positions count from the end. Throws `ShapeError`:
 * `slice [0, 11) is out of bounds for axis 0 with size 10 (shape [10,20])`,
 * `slice: index 20 is out of bounds for axis 1 with size 20 (shape [10,20])`,
 * `slice: step 0 must be >= 1 (axis 0)`, `slice: 3 specs for [10,20] of rank 2`.
 *
 * @example
 * ```ts
 * import { slice, tensor } from 'typegrad';
 * const x = tensor([[1, 2, 3, 4], [5, 6, 7, 8]]);
 * slice(x, [null, [1, 3]]).toArray();   // [[2, 3], [6, 7]]: Tensor<[2, 2]>
 * slice(x, [1, [0, 4, 2]]).toArray();   // [5, 7]: Tensor<[2]>
 * slice(x, [[-1, 2]]).toArray();        // [[5, 6, 7, 8]]: Tensor<[1, 4]>
 * ```
 */
export function slice<S extends Shape, D extends DType, const Sp extends readonly SliceSpec[]>(
  x: Tensor<S, D>,
  specs: Sp & Check<Slice<S, Sp>>,
): Tensor<Ok<Slice<S, Sp>>, D> {
  return sliceImpl(x as unknown as AnyTensor, specs as readonly SliceSpec[], 'slice') as unknown as Tensor<Ok<Slice<S, Sp>>, D>;
}

/**
 * Element `i` along the first axis (the axis is dropped); negative `i`
 * counts from the end. Throws `ShapeError`
 * (`index: index 10 is out of bounds for axis 0 with size 10 (shape [10,20])`).
 *
 * @example
 * ```ts
 * import { index, tensor } from 'typegrad';
 * index(tensor([[1, 2], [3, 4]]), 1).toArray();  // [3, 4]: Tensor<[2]>
 * index(tensor([1, 2, 3]), -1).item();           // 3: Tensor<[]>
 * ```
 */
export function index<S extends Shape, D extends DType, const I extends number>(
  x: Tensor<S, D>,
  i: ErrOr<Index<S, I>, I>,
): Tensor<Ok<Index<S, I>>, D> {
  checkInteger('index', 'i', i, -Number.MAX_SAFE_INTEGER);
  return sliceImpl(x as unknown as AnyTensor, [i as number], 'index') as unknown as Tensor<Ok<Index<S, I>>, D>;
}
