/**
 * Fast float32 paths of the convolution family (filled in by the im2col
 * kernels); `null` means "use the reference kernel".
 */
import type { DType, Storage } from '../core/dtype.js';
import type { ArrayTensor } from '../core/tensor.js';
import type { ConvGeometry } from '../shape/conv.js';
import type { ConvRole } from './cpu/conv.js';

/** The output of `role` by a fast kernel, or `null` where none applies (the reference kernel runs). */
export function convFastKernel(
  _role: ConvRole,
  _a: ArrayTensor<unknown, DType>,
  _b: ArrayTensor<unknown, DType>,
  _g: ConvGeometry,
  _outShape: readonly number[],
  _outDType: DType,
): Storage | null {
  return null;
}
