import type { DType } from '../core/dtype.js';
import type { AnyTensor, Tensor } from '../core/tensor.js';
import * as lax from '../lax/index.js';

/**
 * The identity, but derivatives do not flow through it.
 * @example
 * ```ts
 * grad((x: Scalar) => mul(x, stopGradient(x)))(scalar(3)); // 3, not 6
 * ```
 */
export function stopGradient<S, D extends DType>(x: Tensor<S, D>): Tensor<S, D> {
  return lax.stopGradient(x as unknown as AnyTensor) as unknown as Tensor<S, D>;
}
