/**
 * `argmax` / `argmin` over one normalised axis: the int32 index of the first
 * extreme element (ties go to the first occurrence; a NaN counts as the
 * extreme, as in NumPy). Indices are piecewise constant: zero derivative.
 */
import { kernelLowering } from '../core/lowering.js';
import { AxisError, ValueError, formatShape } from '../core/errors.js';
import { definePrimitive, type Primitive } from '../core/primitive.js';
import { bind } from '../core/trace.js';
import type { AnyTensor } from '../core/tensor.js';
import { argReduceKernel } from '../backend/cpu/argreduce.js';
import { shiftAxis } from './batching.js';

/** One non-negative axis, and whether to keep it as a dim of size 1. */
export interface ArgReduceParams {
  readonly axis: number;
  readonly keepdims: boolean;
}

function argReduce(name: string, extreme: string, sign: 1 | -1): Primitive<ArgReduceParams> {
  const prim: Primitive<ArgReduceParams> = definePrimitive<ArgReduceParams>({
    name,
    shape: ([s], { axis, keepdims }) => {
      const shape = s!;
      if (!Number.isInteger(axis) || axis < 0 || axis >= shape.length) throw new AxisError(`${name}: axis ${axis} is out of range for rank ${shape.length}`);
      const out = shape.slice();
      if (keepdims) out[axis] = 1;
      else out.splice(axis, 1);
      if (shape[axis] === 0 && !out.includes(0)) throw new ValueError(`${name}: axis ${axis} of ${formatShape(shape)} is empty and has no ${extreme}`);
      return out;
    },
    dtype: () => 'int32',
    lower: kernelLowering,
    kernel: ([x], { axis }) => argReduceKernel(x!, axis, sign),
    // An index does not change under small moves of x.
    jvp: () => null,
    vjp: () => [null],
    // The same axis of every batch element: shifted past the batch axis d, which moves down when an earlier axis goes.
    batch: ([x], [d], { axis, keepdims }) => [bind(prim, [x!], { axis: shiftAxis(axis, d!), keepdims }), keepdims || axis >= d! ? d! : d! - 1],
  });
  return prim;
}

/** The `argmax` primitive; params: {@link ArgReduceParams}. */
export const argmaxPrim = argReduce('argmax', 'maximum', 1);
/** The `argmin` primitive; params: {@link ArgReduceParams}. */
export const argminPrim = argReduce('argmin', 'minimum', -1);

/** The int32 index of the first maximum along `axis`. */
export const argmax = (x: AnyTensor, axis: number, keepdims: boolean): AnyTensor => bind(argmaxPrim, [x], { axis, keepdims });
/** The int32 index of the first minimum along `axis`. */
export const argmin = (x: AnyTensor, axis: number, keepdims: boolean): AnyTensor => bind(argminPrim, [x], { axis, keepdims });
