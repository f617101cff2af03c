/**
 * `maxPoolArgmax2d(x)`: for each pooling window of x `[N, C, H, W]`, the
 * int32 flat index into `x` (as `reshape(x, [-1])`) of its first largest
 * element (a NaN counts as largest, so it propagates). Max pooling is then
 * the derived `take(reshape(x, [-1]), argmax)`: its derivative routes the
 * whole cotangent to that one element (ties are not split, as in PyTorch),
 * by `take`'s own rules. Indices are piecewise constant: zero derivative.
 */
import { kernelLowering } from '../core/lowering.js';
import { DTypeError, ShapeError, formatShape } from '../core/errors.js';
import { definePrimitive, type Primitive } from '../core/primitive.js';
import { batchToFront } from './batching.js';
import { add, fill, reshape } from './index.js';
import { dimsOf, storageOf } from '../core/tensor.js';
import { bind } from '../core/trace.js';
import type { AnyTensor } from '../core/tensor.js';
import { poolArgmaxKernel } from '../backend/cpu/conv.js';
import { poolArgmaxFastKernel } from '../backend/pool-fast.js';
import { convDim, type ConvGeometry } from '../shape/conv.js';

/**
 * A pooling window: its size and the geometry (no groups) of its placement.
 *
 * @example
 * ```ts
 * const p: PoolParams = { kernel: [2, 2], stride: [2, 2], padding: [[0, 0], [0, 0]], dilation: [1, 1] };
 * ```
 */
export interface PoolParams extends Omit<ConvGeometry, 'groups'> {
  readonly kernel: readonly [number, number];
}

/**
 * The output shape `[N, C, OH, OW]` of pooling `x` with `p`; `ShapeError` naming `op` otherwise.
 *
 * @example
 * ```ts
 * poolShape('maxPool2d', [64, 32, 28, 28], p); // [64, 32, 14, 14] for 2x2 windows, stride 2
 * ```
 */
export function poolShape(op: string, x: readonly number[], p: PoolParams): number[] {
  if (x.length !== 4) throw new ShapeError(`${op}: needs input [N,C,H,W], got ${formatShape(x)}`);
  const oh = convDim(x[2]!, p.kernel[0], p.stride[0], p.padding[0], p.dilation[0]);
  const ow = convDim(x[3]!, p.kernel[1], p.stride[1], p.padding[1], p.dilation[1]);
  if (oh < 0 || ow < 0) throw new ShapeError(`${op}: window larger than padded input: ${formatShape(x)} with kernel ${formatShape(p.kernel)}`);
  return [x[0]!, x[1]!, oh, ow];
}

/**
 * The `maxPoolArgmax2d` primitive; params: {@link PoolParams}.
 *
 * @example
 * ```ts
 * import { bind } from '../core/trace.js';
 * bind(maxPoolArgmax2dPrim, [x], p);
 * ```
 */
export const maxPoolArgmax2dPrim: Primitive<PoolParams> = definePrimitive<PoolParams>({
  name: 'maxPoolArgmax2d',
  shape: ([x], p) => poolShape('maxPool2d', x!, p),
  dtype: ([d]) => {
    if (d === 'bool') throw new DTypeError('maxPool2d: expected a numeric tensor, got bool');
    return 'int32';
  },
  lower: kernelLowering,
  kernel: ([x], p, outShape) => poolArgmaxFastKernel(x!, p.kernel, p, outShape) ?? poolArgmaxKernel(x!, p.kernel, p, outShape),
  // An index does not change under small moves of x.
  jvp: () => null,
  vjp: () => [null],
  // The batch folds into N; element b's flat indices then start b N C H W further on: subtract that.
  batch: ([x], [d], p, size) => {
    const front = batchToFront(x!, d!);
    const s = dimsOf(front);
    const idx = maxPoolArgmax2d(reshape(front, [s[0]! * s[1]!, ...s.slice(2)]), p);
    const per = s.slice(1).reduce((a, b) => a * b, 1);
    const offsets = fill([size, 1, 1, 1, 1], 0, 'int32');
    const od = storageOf(offsets);
    for (let b = 0; b < size; b++) od[b] = -b * per;
    const is = dimsOf(idx);
    return [add(reshape(idx, [size, is[0]! / size, ...is.slice(1)]), offsets), 0];
  },
});

/**
 * The flat index into `x` of the first maximum of each pooling window, shape `[N, C, OH, OW]`.
 *
 * @example
 * ```ts
 * import { gather } from './gather.js';
 * import { reshape } from './index.js';
 * gather(reshape(x, [x.size]), maxPoolArgmax2d(x, p), 0); // max pooling
 * ```
 */
export const maxPoolArgmax2d = (x: AnyTensor, p: PoolParams): AnyTensor => bind(maxPoolArgmax2dPrim, [x], p);
