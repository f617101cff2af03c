/**
 * `concat(xs, axis)`: joins tensors of the same rank and dtype along an
 * existing axis; every other dim must agree. (`stack` is expandDims + concat
 * at the public level.) Linear in each input: the vjp hands each input its
 * slice of the cotangent.
 */
import { kernelLowering } from '../core/lowering.js';
import { AxisError, DTypeError, ShapeError, ValueError, formatShape } from '../core/errors.js';
import { definePrimitive, type MaybeTensor } from '../core/primitive.js';
import { bind } from '../core/trace.js';
import { type AnyTensor, dimsOf } from '../core/tensor.js';
import { concatKernel } from '../backend/cpu/movement.js';
import { slice, zerosLike } from './index.js';
import { batchAtFront } from './batching.js';

/** The n-ary `concat` primitive; params: the axis. */
export const concatPrim = definePrimitive<number>({
  name: 'concat',
  shape: (shapes, axis) => {
    if (shapes.length === 0) throw new ValueError('concat: needs at least one tensor');
    const first = shapes[0]!;
    const rank = first.length;
    if (!Number.isInteger(axis) || axis < 0 || axis >= rank) throw new AxisError(`concat: axis ${axis} is out of range for rank ${rank}`);
    const out = first.slice();
    for (let i = 1; i < shapes.length; i++) {
      const s = shapes[i]!;
      if (s.length !== rank) throw new ShapeError(`concat: ranks differ: ${formatShape(first)} and ${formatShape(s)}`);
      for (let k = 0; k < rank; k++) {
        if (k !== axis && s[k] !== first[k]) {
          throw new ShapeError(`concat: ${formatShape(first)} and ${formatShape(s)} differ outside axis ${axis}`);
        }
      }
      out[axis]! += s[axis]!;
    }
    return out;
  },
  dtype: (dtypes) => {
    const d = dtypes[0]!;
    for (const e of dtypes) if (e !== d) throw new DTypeError(`concat: dtypes differ: ${d} and ${e}`);
    return d;
  },
  lower: kernelLowering,
  kernel: (xs, axis, outShape, outDType) => concatKernel(xs, axis, outShape, outDType),
  // d concat(x_1, ..., x_n) = concat(dx_1, ..., dx_n), a zero block for each constant input
  jvp: (tangents, primals, _out, axis) =>
    tangents.every((t) => t === null) ? null : concat(tangents.map((t, i) => t ?? zerosLike(primals[i]!)), axis),
  // Input i's cotangent is the block of the output cotangent it was copied to.
  vjp: (ct, primals, _out, axis, wanted) => {
    const ctShape = dimsOf(ct);
    const starts = ctShape.map(() => 0);
    const steps = ctShape.map(() => 1);
    return primals.map((x, i): MaybeTensor => {
      const sizes = dimsOf(x);
      const block = wanted[i] ? slice(ct, { starts: starts.slice(), sizes, steps }) : null;
      starts[axis]! += sizes[axis]!;
      return block;
    });
  },
  // Every operand with the batch axis in front (unbatched ones copied along it), joined one axis further on.
  batch: (xs, dims, axis, size) => [concat(xs.map((x, i) => batchAtFront(x, dims[i]!, size)), axis + 1), 0],
});

/** Joins `xs` (same rank and dtype, equal dims off `axis`) along `axis`. A single tensor is returned as is. */
export function concat(xs: readonly AnyTensor[], axis: number): AnyTensor {
  return xs.length === 1 ? xs[0]! : bind(concatPrim, xs, axis);
}
