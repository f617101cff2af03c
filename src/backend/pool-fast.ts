/**
 * The WebAssembly fast path of max pooling's argmax: float32 input, 2x2
 * windows at column stride 2 (any row stride), no padding, no dilation:
 * the layer every small CNN uses (`nn.maxPool2d(2)`). Other windows run the
 * reference loop (`cpu/conv.ts`), which this one is tested against.
 */
import type { DType } from '../core/dtype.js';
import { type ArrayTensor, dimsOf, storageOf } from '../core/tensor.js';
import { numElements } from '../shape/index.js';
import type { ConvGeometry } from '../shape/conv.js';
import { poolArgmax2F32, useWasm } from './accelerated.js';

/** The arguments of the fast path after x (`planes, h, w, oh, ow, sh`), or null where it does not apply. */
export function poolArgmax2Args(x: readonly number[], kernel: readonly [number, number], g: Omit<ConvGeometry, 'groups'>, outShape: readonly number[]): [number, number, number, number, number, number] | null {
  if (x.length !== 4 || kernel[0] !== 2 || kernel[1] !== 2 || g.stride[1] !== 2 || g.dilation[0] !== 1 || g.dilation[1] !== 1) return null;
  if (g.padding.some(([lo, hi]) => lo !== 0 || hi !== 0)) return null;
  const [n, c, h, w] = x as [number, number, number, number];
  const [, , oh, ow] = outShape as [number, number, number, number];
  if (oh === 0 || ow === 0 || !useWasm('pool', n * c * h * w)) return null;
  return [n * c, h, w, oh, ow, g.stride[0]];
}

/**
 * The argmax indices of max pooling `x` on the fast path, or null where it does not apply.
 *
 * @example
 * ```ts
 * import { poolArgmaxKernel } from './cpu/conv.js';
 * poolArgmaxFastKernel(x, [2, 2], g, [64, 32, 14, 14]) ?? poolArgmaxKernel(x, [2, 2], g, [64, 32, 14, 14]);
 * ```
 */
export function poolArgmaxFastKernel(x: ArrayTensor<unknown, DType>, kernel: readonly [number, number], g: Omit<ConvGeometry, 'groups'>, outShape: readonly number[]): Int32Array | null {
  if (x.dtype !== 'float32') return null;
  const args = poolArgmax2Args(dimsOf(x), kernel, g, outShape);
  if (args === null) return null;
  const out = new Int32Array(numElements(outShape));
  poolArgmax2F32(storageOf(x) as Float32Array, out, ...args);
  return out;
}
