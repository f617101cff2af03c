import type { Shape } from '../shape/dim.js';
/** Constants: concrete tensors that no transform traces. */
import { allocate, type DType } from '../core/dtype.js';
import { type AnyTensor, type ArrayTensor, fromStorage } from '../core/tensor.js';
import { numElements } from '../shape/index.js';

/** A concrete tensor of `shape` filled with `value`. */
export function fill(shape: readonly number[], value: number, dtype: DType): ArrayTensor<Shape, DType> {
  const size = numElements(shape);
  const data = allocate(dtype, size);
  if (value !== 0) data.fill(dtype === 'bool' ? (value ? 1 : 0) : value);
  return fromStorage(data, shape, dtype);
}

const EMPTY: readonly number[] = Object.freeze([]);

/** A scalar constant with the dtype of `like` (weak typing of JS numbers). */
export function scalarLike(value: number, like: { readonly dtype: DType }): ArrayTensor<Shape, DType> {
  const data = allocate(like.dtype, 1);
  data[0] = value;
  return fromStorage(data, EMPTY, like.dtype);
}

/** Zeros with the shape and dtype of `x`. */
export function zerosLike(x: AnyTensor): ArrayTensor<Shape, DType> {
  return fill(x.shape as readonly number[], 0, x.dtype);
}

/** Ones with the shape and dtype of `x`. */
export function onesLike(x: AnyTensor): ArrayTensor<Shape, DType> {
  return fill(x.shape as readonly number[], 1, x.dtype);
}
