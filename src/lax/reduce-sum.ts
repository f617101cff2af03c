/**
 * `reduceSum(x, axes, keepdims)`: the sum over normalised axes. The other
 * reductions (max, min, prod, arg*) live beside it in their own files.
 */
import { kernelLowering } from '../core/lowering.js';
import { DTypeError } from '../core/errors.js';
import { definePrimitive, type Primitive } from '../core/primitive.js';
import { reduceBatch } from './batching.js';
import { bind } from '../core/trace.js';
import { type AnyTensor, dimsOf, storageOf } from '../core/tensor.js';
import { allocate } from '../core/dtype.js';
import { sumChannelsF32, sumLastAxisF32, useWasm } from '../backend/accelerated.js';
import { channelSumDims, reduceKernel, reducedShape, sumReducer } from '../backend/cpu/reduce.js';
import { broadcastTo, reshape } from './index.js';
import { numElements } from '../shape/index.js';

export interface ReduceParams {
  /** Sorted, non-negative, distinct axes. */
  readonly axes: readonly number[];
  readonly keepdims: boolean;
}

export const reduceSumPrim: Primitive<ReduceParams> = definePrimitive<ReduceParams>({
  name: 'sum',
  shape: ([s], { axes, keepdims }) => reducedShape(s!, axes, keepdims),
  dtype: ([d]) => {
    if (d === 'bool') return 'int32';
    if (d === undefined) throw new DTypeError('sum: missing input');
    return d;
  },
  lower: kernelLowering,
  kernel: ([x], { axes }, outShape, outDType) => {
    // Large float32 sums over the last axis (or all axes) go to the WebAssembly SIMD kernel (float64 sums, rounded once).
    const shape = dimsOf(x!);
    const rank = shape.length;
    const lastOnly = axes.length === 1 && axes[0] === rank - 1;
    const cols = lastOnly ? shape[rank - 1]! : x!.size;
    if (outDType === 'float32' && x!.dtype === 'float32' && rank > 0 && (lastOnly || axes.length === rank) && cols > 0 && useWasm('sum', x!.size)) {
      const out = allocate('float32', numElements(outShape));
      sumLastAxisF32(storageOf(x!) as Float32Array, x!.size / cols, cols, out);
      return out;
    }
    // Sums around one run of kept dims (a bias gradient over NCHW images): the WebAssembly kernel, same order and bits.
    const around = outDType === 'float32' && x!.dtype === 'float32' ? channelSumDims(shape, axes) : null;
    if (around !== null && useWasm('sum', x!.size)) {
      const out = allocate('float32', numElements(outShape));
      sumChannelsF32(storageOf(x!) as Float32Array, ...around, out);
      return out;
    }
    return reduceKernel(x!, axes, outDType, sumReducer, 'sum');
  },
  // d sum(x) = sum(dx)
  jvp: ([t], _p, _o, { axes, keepdims }) => (t === null ? null : reduceSum(t, axes, keepdims)),
  // The cotangent of every summed element is the output's cotangent.
  vjp: (ct, [x], _o, { axes }) => {
    const shape = dimsOf(x!);
    return [broadcastTo(reshape(ct, reducedShape(shape, axes, true)), shape)];
  },
  batch: reduceBatch(() => reduceSumPrim),
});

export const reduceSum = (x: AnyTensor, axes: readonly number[], keepdims: boolean): AnyTensor =>
  axes.length === 0 && x.dtype !== 'bool' ? x : bind(reduceSumPrim, [x], { axes, keepdims });
