/**
 * `reduceMax` / `reduceMin` over normalised axes. A NaN in the reduced set
 * gives NaN; reducing an empty axis into a non-empty result is a `ValueError`
 * (there is no identity); bool inputs are a `DTypeError`.
 *
 * Derivative: the output moves with the elements equal to it, and ties split
 * the derivative evenly (as JAX does): with `w = [x = max] / #ties`,
 * `d max(x) = sum(w dx)` and the cotangent of `x` is `w ct`. The weights are
 * piecewise constant, so the second derivative is zero. Where the result is
 * NaN no element equals it, and the derivative is NaN too.
 */
import { kernelLowering } from '../core/lowering.js';
import { ValueError, formatShape } from '../core/errors.js';
import { definePrimitive, type Primitive } from '../core/primitive.js';
import { bind } from '../core/trace.js';
import { type AnyTensor, dimsOf } from '../core/tensor.js';
import { maxReducer, minReducer, reduceKernel, reducedShape, type Reducer } from '../backend/cpu/reduce.js';
import { numericSame } from './dtype-rules.js';
import { astype, div, eq, mul, reduceSum, reshape, type ReduceParams } from './index.js';
import { reduceBatch } from './batching.js';

/** Throws when an empty axis would have to produce a value: `max: zero-size reduction over axis 0 of [0,3] has no identity`. */
export function checkNonEmptyReduction(op: string, shape: readonly number[], axes: readonly number[], out: readonly number[]): void {
  if (out.includes(0)) return;
  for (const a of axes) {
    if (shape[a] === 0) throw new ValueError(`${op}: zero-size reduction over axis ${a} of ${formatShape(shape)} has no identity`);
  }
}

/** `[x = out] / #ties` over the reduced axes: each element's share of the derivative. */
function tieWeights(x: AnyTensor, out: AnyTensor, axes: readonly number[]): AnyTensor {
  const hit = astype(eq(x, reshape(out, reducedShape(dimsOf(x), axes, true))), x.dtype);
  return div(hit, reduceSum(hit, axes, true));
}

function extremum(name: string, reducer: Reducer): Primitive<ReduceParams> {
  const prim: Primitive<ReduceParams> = definePrimitive<ReduceParams>({
    name,
    shape: ([s], { axes, keepdims }) => {
      const out = reducedShape(s!, axes, keepdims);
      checkNonEmptyReduction(name, s!, axes, out);
      return out;
    },
    dtype: numericSame(name),
    lower: kernelLowering,
    kernel: ([x], { axes }, _s, outDType) => reduceKernel(x!, axes, outDType, reducer),
    // d max(x) = sum over the tied maxima of dx, divided by their number
    jvp: ([t], [x], out, { axes, keepdims }) => (t === null ? null : reduceSum(mul(t, tieWeights(x!, out, axes)), axes, keepdims)),
    // ct_x = ct [x = max] / #ties
    vjp: (ct, [x], out, { axes }) => [mul(reshape(ct, reducedShape(dimsOf(x!), axes, true)), tieWeights(x!, out, axes))],
    batch: reduceBatch(() => prim),
  });
  return prim;
}

/** The `max` reduction primitive; params: sorted axes and keepdims. */
export const reduceMaxPrim = extremum('max', maxReducer);
/** The `min` reduction primitive; params: sorted axes and keepdims. */
export const reduceMinPrim = extremum('min', minReducer);

/** The largest element over sorted, non-negative `axes` (NaN if any is NaN). */
export const reduceMax = (x: AnyTensor, axes: readonly number[], keepdims: boolean): AnyTensor =>
  axes.length === 0 && x.dtype !== 'bool' ? x : bind(reduceMaxPrim, [x], { axes, keepdims });
/** The smallest element over sorted, non-negative `axes` (NaN if any is NaN). */
export const reduceMin = (x: AnyTensor, axes: readonly number[], keepdims: boolean): AnyTensor =>
  axes.length === 0 && x.dtype !== 'bool' ? x : bind(reduceMinPrim, [x], { axes, keepdims });
