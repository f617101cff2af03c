/**
 * Reordering axes: `transpose` swaps the last two, `permute` applies any
 * permutation. Both are the `transpose` primitive (a general permutation),
 * whose derivative is the inverse permutation.
 *
 * @example
 * ```ts
 * import { permute, transpose, zeros } from 'typegrad';
 * transpose(zeros([8, 3, 4]));      // Tensor<[8, 4, 3]>
 * permute(zeros([2, 3, 4]), [2, 0, 1]); // Tensor<[4, 2, 3]>
 * ```
 *
 * @module
 */
import { AxisError } from '../core/errors.js';
import { checkTensor } from '../core/validate.js';
import { describeValue } from '../core/describe.js';
import type { DType } from '../core/dtype.js';
import { type AnyTensor, type Tensor, dimsOf } from '../core/tensor.js';
import type { Shape } from '../shape/dim.js';
import { normalizePermutation, transposeShape, type Check, type Ok, type Permute, type Transpose } from '../shape/index.js';
import * as lax from '../lax/index.js';

/**
 * The signature of `transpose`: one signature (not overloads), so that a
 * mistake's headline carries the message `transpose: needs rank >= 2, got
 * [3]`. A failed input passes through as `Tensor<never>`; dims that are type
 * parameters of the caller's function are kept.
 */
export interface TransposeOp {
  <S = [], D extends DType = 'float32'>(x: Tensor<S, D> & Check<Transpose<ShapeOf<S>>>): Tensor<Ok<Transpose<ShapeOf<S>>>, D>;
}

/** A shape parameter as `Shape`, tested through an object so that dims that are type parameters resolve (`never` stays `never`). */
type ShapeOf<S> = { s: S } extends { s: never } ? never : { s: S } extends { s: infer T extends Shape } ? T : number[];

/**
 * Swaps the last two axes (a batch of matrix transposes). Needs rank >= 2;
 * throws `ShapeError` (`transpose: needs rank >= 2, got [3]`).
 *
 * @example
 * ```ts
 * import { transpose, tensor } from 'typegrad';
 * transpose(tensor([[1, 2, 3], [4, 5, 6]])).toArray(); // [[1, 4], [2, 5], [3, 6]]: Tensor<[3, 2]>
 * ```
 */
export const transpose: TransposeOp = ((x: AnyTensor, ...extra: unknown[]): AnyTensor => {
  checkTensor('transpose', 'x', x);
  if (extra.length > 0 && extra.some((e) => e !== undefined)) {
    throw new AxisError(`transpose: swaps the last two axes and takes no axes, got ${describeValue(extra[0])}; use permute(x, axes) for another order`);
  }
  const shape = dimsOf(x);
  transposeShape(shape);
  const r = shape.length;
  const perm = shape.map((_, i) => (i === r - 2 ? r - 1 : i === r - 1 ? r - 2 : i));
  return lax.transpose(x, perm);
}) as unknown as TransposeOp;

/**
 * Reorders the axes: axis `i` of the result is axis `axes[i]` of `x`
 * (negative axes count from the end). Throws `ShapeError` for a wrong
 * number of axes (`permute: [0,1] has 2 axes for [2,3,4] of rank 3`) and
 * `AxisError` for an axis out of range or repeated
 * (`permute: axis 0 repeated in permutation of [2,3,4]`).
 *
 * @example
 * ```ts
 * import { permute, zeros } from 'typegrad';
 * permute(zeros([2, 3, 4]), [2, 0, 1]).shape;  // [4, 2, 3]: Tensor<[4, 2, 3]>
 * permute(zeros([2, 3, 4]), [0, -1, 1]).shape; // [2, 4, 3]: Tensor<[2, 4, 3]>
 * ```
 */
export function permute<S extends Shape, D extends DType, const Ax extends readonly number[]>(
  x: Tensor<S, D>,
  axes: Ax & Check<Permute<S, Ax>>,
): Tensor<Ok<Permute<S, Ax>>, D> {
  checkTensor('permute', 'x', x);
  if (!Array.isArray(axes)) throw new AxisError(`permute: axes must be an array of axis numbers, got ${describeValue(axes)}`);
  const perm = normalizePermutation(dimsOf(x), axes as readonly number[]);
  return lax.transpose(x as unknown as AnyTensor, perm) as unknown as Tensor<Ok<Permute<S, Ax>>, D>;
}
