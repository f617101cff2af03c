/**
 * `slice(x, { starts, sizes, steps })`: the strided sub-tensor that takes
 * `sizes[k]` elements along axis `k`, starting at `starts[k]`, every
 * `steps[k]`-th. No axis is dropped (dropping an indexed axis is a reshape at
 * the public level).
 *
 * `unslice(x, { starts, steps, shape })` is its transpose: zeros of `shape`
 * with `x` written at the sliced positions (a zero padding, with interior
 * padding when a step exceeds 1). Each is the other's vjp.
 */
import { kernelLowering } from '../core/lowering.js';
import { ShapeError, formatShape } from '../core/errors.js';
import { definePrimitive } from '../core/primitive.js';
import { bind } from '../core/trace.js';
import { type AnyTensor, dimsOf } from '../core/tensor.js';
import { sliceKernel, unsliceKernel } from '../backend/cpu/movement.js';
import { insertAt } from './batching.js';

/** Per axis: first index (>= 0), number of elements taken (>= 0), step (>= 1). */
export interface SliceParams {
  readonly starts: readonly number[];
  readonly sizes: readonly number[];
  readonly steps: readonly number[];
}

/** Per axis: first index and step of the positions `x` is written to, in zeros of `shape`. */
export interface UnsliceParams {
  readonly starts: readonly number[];
  readonly steps: readonly number[];
  readonly shape: readonly number[];
}

/** Checks that, per axis, `sizes` elements from `starts` in `steps` fit in `full`. */
function checkWindow(op: string, full: readonly number[], starts: readonly number[], sizes: readonly number[], steps: readonly number[]): void {
  const rank = full.length;
  if (starts.length !== rank || sizes.length !== rank || steps.length !== rank) {
    throw new ShapeError(
      `${op}: expected ${rank} starts, sizes and steps for ${formatShape(full)}, got ${starts.length}, ${sizes.length} and ${steps.length}`,
    );
  }
  for (let k = 0; k < rank; k++) {
    const start = starts[k]!, size = sizes[k]!, step = steps[k]!;
    const valid = Number.isInteger(start) && Number.isInteger(size) && Number.isInteger(step) && start >= 0 && size >= 0 && step >= 1;
    const last = size === 0 ? start - 1 : start + (size - 1) * step;
    if (!valid || last >= full[k]!) {
      throw new ShapeError(`${op}: ${size} elements from ${start} in steps of ${step} do not fit axis ${k} of ${formatShape(full)}`);
    }
  }
}

/** True when the window is the whole of `full` (nothing to copy). */
function isWhole(full: readonly number[], starts: readonly number[], sizes: readonly number[], steps: readonly number[]): boolean {
  if (starts.length !== full.length || sizes.length !== full.length || steps.length !== full.length) return false;
  for (let k = 0; k < full.length; k++) {
    if (starts[k] !== 0 || sizes[k] !== full[k] || steps[k] !== 1) return false;
  }
  return true;
}

/** The `slice` primitive; params: {@link SliceParams}. */
export const slicePrim = definePrimitive<SliceParams>({
  name: 'slice',
  shape: ([s], { starts, sizes, steps }) => {
    checkWindow('slice', s!, starts, sizes, steps);
    return sizes;
  },
  dtype: ([d]) => d!,
  kernel: ([x], { starts, steps }, outShape, outDType) => sliceKernel(x!, starts, steps, outShape, outDType),
  // A strided view: axis k starts at starts[k] and steps by steps[k].
  lower: { kind: 'view', view: (v, _s, { starts, steps }) => ({ offset: starts.reduce((o, st, k) => o + st * v.strides[k]!, v.offset), strides: v.strides.map((s, k) => s * steps[k]!) }) },
  // slice is linear: d slice(x) = slice(dx)
  jvp: ([t], _x, _out, p) => (t === null ? null : slice(t, p)),
  // Sliced positions receive the cotangent; the others were not read: zero.
  vjp: (ct, [x], _out, { starts, steps }) => [unslice(ct, { starts, steps, shape: dimsOf(x!) })],
  // The whole batch axis, then the same window of every element.
  batch: ([x], [d], { starts, sizes, steps }, size) => [
    slice(x!, { starts: insertAt(starts, d!, 0), sizes: insertAt(sizes, d!, size), steps: insertAt(steps, d!, 1) }),
    d!,
  ],
});

/** The `unslice` primitive (slice's transpose); params: {@link UnsliceParams}. */
export const unslicePrim = definePrimitive<UnsliceParams>({
  name: 'unslice',
  shape: ([s], { starts, steps, shape }) => {
    checkWindow('unslice', shape, starts, s!, steps);
    return shape;
  },
  dtype: ([d]) => d!,
  lower: kernelLowering,
  kernel: ([x], { starts, steps }, outShape, outDType) => unsliceKernel(x!, starts, steps, outShape, outDType),
  // unslice is linear: d unslice(x) = unslice(dx)
  jvp: ([t], _x, _out, p) => (t === null ? null : unslice(t, p)),
  // The adjoint of writing into zeros is reading back the same positions.
  vjp: (ct, [x], _out, { starts, steps }) => [slice(ct, { starts, sizes: dimsOf(x!), steps })],
  batch: ([x], [d], { starts, steps, shape }, size) => [
    unslice(x!, { starts: insertAt(starts, d!, 0), steps: insertAt(steps, d!, 1), shape: insertAt(shape, d!, size) }),
    d!,
  ],
});

/** The strided window of `x`: per axis, `sizes[k]` elements from `starts[k]`, every `steps[k]`-th. */
export function slice(x: AnyTensor, params: SliceParams): AnyTensor {
  const full = dimsOf(x);
  return isWhole(full, params.starts, params.sizes, params.steps) ? x : bind(slicePrim, [x], params);
}

/** Zeros of `params.shape` with `x` written at the positions `slice` with the same starts and steps reads. */
export function unslice(x: AnyTensor, params: UnsliceParams): AnyTensor {
  const sizes = dimsOf(x);
  return isWhole(params.shape, params.starts, sizes, params.steps) ? x : bind(unslicePrim, [x], params);
}
