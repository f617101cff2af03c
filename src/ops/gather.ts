/**
 * Indexing with index tensors: `take` (alias `gather`) picks entries along
 * one axis with an int32 index tensor of any shape; `oneHot` turns int32
 * class indices into one-hot vectors.
 *
 * @example
 * ```ts
 * import { oneHot, take, tensor, zeros } from 'typegrad';
 * take(zeros([10, 20]), tensor([3, 1], { dtype: 'int32' }));  // Tensor<[2, 20]>
 * oneHot(tensor([0, 2], { dtype: 'int32' }), 3);             // Tensor<[2, 3]>
 * ```
 *
 * @module
 */
import { isAbstract } from '../core/trace.js';
import { checkDType, type DType } from '../core/dtype.js';
import { DTypeError, ValueError, inOp } from '../core/errors.js';
import { type AnyTensor, type Tensor, dimsOf, storageOf } from '../core/tensor.js';
import type { Shape } from '../shape/dim.js';
import { normalizeAxis, oneHotShape, takeShape, type ErrOr, type Ok, type OneHot, type Take } from '../shape/index.js';
import * as lax from '../lax/index.js';
import { checkTensor } from '../core/validate.js';

/** The run-time message for indices that are not int32, or `unknown` (a no-op) when they are. */
type IndicesCheck<Op extends string, DI> = [DI] extends ['int32'] ? unknown : `${Op}: indices must be int32, got ${DI & string}`;

/**
 * NumPy's `take(x, indices, axis)`: the axis `axis` (default 0, negative
 * counts from the end) of `x` is replaced by the whole shape of `indices`,
 * `[...x.shape[:axis], ...indices.shape, ...x.shape[axis+1:]]`. Indices
 * must be int32; a negative index counts from the end. Its derivative adds
 * the cotangents of repeated indices. Throws `DTypeError` for non-int32
 * indices, `AxisError` for the axis, `ValueError` for an index outside `[-n, n)`.
 * (Unlike NumPy, no axis means axis 0, not the flattened tensor.)
 *
 * @example
 * ```ts
 * import { take, tensor } from 'typegrad';
 * const x = tensor([[1, 2, 3], [4, 5, 6]]);
 * take(x, tensor([1, 1, 0], { dtype: 'int32' })).toArray();    // [[4, 5, 6], [4, 5, 6], [1, 2, 3]]: Tensor<[3, 3]>
 * take(x, tensor([[2], [-3]], { dtype: 'int32' }), 1).shape;   // [2, 2, 1]: Tensor<[2, 2, 1]>
 * ```
 */
export function take<S extends Shape, D extends DType, I extends Shape, const Ax extends number = 0, DI extends DType = 'int32'>(
  x: Tensor<S, D>,
  indices: Tensor<I, DI> & IndicesCheck<'take', DI>,
  axis?: ErrOr<Take<S, I, Ax>, Ax>,
): Tensor<Ok<Take<S, I, NoInfer<Ax>>>, D> {
  try {
    const t = x as unknown as AnyTensor;
    const idx = indices as unknown as AnyTensor;
    const a = (axis ?? 0) as number;
    takeShape(dimsOf(t), dimsOf(idx), a);
    if (idx.dtype !== 'int32') throw new DTypeError(`take: indices must be int32, got ${idx.dtype}`);
    return lax.gather(t, idx, normalizeAxis('take', a, dimsOf(t).length)) as unknown as Tensor<Ok<Take<S, I, NoInfer<Ax>>>, D>;
  } catch (e) {
    throw inOp('take', e);
  }
}

/**
 * The same op as {@link take} (JAX's and PyTorch's name).
 *
 * @example
 * ```ts
 * import { gather, tensor } from 'typegrad';
 * gather(tensor([10, 20, 30]), tensor([2, 0], { dtype: 'int32' })).toArray(); // [30, 10]
 * ```
 */
export const gather: typeof take = ((x: AnyTensor, indices: AnyTensor, axis?: number) => {
  try {
    return take(x as never, indices as never, axis as never);
  } catch (e) {
    throw inOp('gather', e);
  }
}) as typeof take;

/** Options of {@link oneHot}. */
export interface OneHotOptions<D extends DType> {
  /** The dtype of the result. Default `float32`. */
  readonly dtype?: D;
}

/**
 * One-hot vectors: `out[..., k]` is 1 where `indices[...] == k`, else 0, for
 * `k` in `[0, n)`. Indices must be int32 and in `[0, n)`; no derivative flows
 * to them. Throws `DTypeError` for non-int32 indices, `ValueError` for an
 * index out of range (`oneHot: index 3 is out of range for 3 classes (expected 0..2)`),
 * `ShapeError` for an `n` that is not a positive integer.
 *
 * @example
 * ```ts
 * import { oneHot, tensor } from 'typegrad';
 * oneHot(tensor([0, 2], { dtype: 'int32' }), 3).toArray(); // [[1, 0, 0], [0, 0, 1]]: Tensor<[2, 3]>
 * oneHot(tensor([1], { dtype: 'int32' }), 2, { dtype: 'bool' }).toArray(); // [[false, true]]: Tensor<[1, 2], 'bool'>
 * ```
 */
export function oneHot<S extends Shape, const N extends number, D extends DType = 'float32', DI extends DType = 'int32'>(
  indices: Tensor<S, DI> & IndicesCheck<'oneHot', DI>,
  n: N,
  opts?: OneHotOptions<D>,
): Tensor<OneHot<S, N>, D> {
  const idx: AnyTensor = checkTensor('oneHot', 'indices', indices);
  if (idx.dtype !== 'int32') throw new DTypeError(`oneHot: indices must be int32, got ${idx.dtype}`);
  oneHotShape(dimsOf(idx), n);
  const dtype = checkDType('oneHot', opts?.dtype ?? 'float32');
  // Inside jit the indices are abstract: they are checked where they are concrete (eagerly).
  const values = isAbstract(idx) ? [] : storageOf(idx.concrete());
  for (const v of values) {
    if (v < 0 || v >= n) throw new ValueError(`oneHot: index ${v} is out of range for ${n} classes (expected 0..${n - 1})`);
  }
  // out[..., k] = (indices[..., None] == k): a comparison, so no derivative.
  const classes = lax.fill([n], 0, 'int32');
  const ks = storageOf(classes);
  for (let k = 0; k < n; k++) ks[k] = k;
  const hot = lax.eq(lax.reshape(idx, [...dimsOf(idx), 1]), classes);
  return lax.astype(hot, dtype) as unknown as Tensor<OneHot<S, N>, D>;
}
