/**
 * Converting the element type.
 *
 * @module
 */
import { checkDType, type DType } from '../core/dtype.js';
import type { AnyTensor, Tensor } from '../core/tensor.js';
import * as lax from '../lax/index.js';

/**
 * The same values in dtype `dtype` (the shape is kept). Floats become
 * int32 by truncating toward zero, any value becomes bool by `!== 0`.
 * Derivatives flow between float dtypes only. The same dtype returns `x`.
 * Throws `DTypeError` for an unknown dtype name.
 *
 * @example
 * ```ts
 * import { astype, tensor } from 'typegrad';
 * astype(tensor([1.7, -1.7]), 'int32').toArray();  // [1, -1]: Tensor<[2], 'int32'>
 * astype(tensor([0, 2]), 'bool').toArray();        // [false, true]: Tensor<[2], 'bool'>
 * ```
 */
export function astype<S, D extends DType, const To extends DType>(x: Tensor<S, D>, dtype: To): Tensor<S, To> {
  return lax.astype(x as unknown as AnyTensor, checkDType('astype', dtype)) as unknown as Tensor<S, To>;
}
