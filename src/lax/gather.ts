/**
 * `gather(x, indices, axis)` is NumPy's `take(x, indices, axis)`: the result
 * has shape `[...x.shape[:axis], ...indices.shape, ...x.shape[axis+1:]]`;
 * indices are int32, negative ones count from the end, and an index outside
 * `[-n, n)` is a `ValueError`. Its transpose `scatterAdd` adds rows into
 * zeros (duplicate indices accumulate); each is the other's vjp. The indices
 * get no derivative.
 */
import { AxisError, DTypeError, ShapeError, formatShape } from '../core/errors.js';
import { definePrimitive } from '../core/primitive.js';
import { bind } from '../core/trace.js';
import { type AnyTensor, dimsOf } from '../core/tensor.js';
import { gatherKernel, scatterAddKernel } from '../backend/cpu/gather.js';

/** `scatterAdd`'s params: the axis indexed, and the shape of the result (the gathered-from tensor's). */
export interface ScatterAddParams {
  readonly axis: number;
  readonly shape: readonly number[];
}

function checkAxis(op: string, axis: number, shape: readonly number[]): void {
  if (!Number.isInteger(axis) || axis < 0 || axis >= shape.length) throw new AxisError(`${op}: axis ${axis} is out of range for rank ${shape.length}`);
}

function checkIndices(op: string, dtype: string | undefined): void {
  if (dtype !== 'int32') throw new DTypeError(`${op}: indices must be int32, got ${dtype}`);
}

/** `[...shape[:axis], ...indexShape, ...shape[axis+1:]]`. */
function gatheredShape(shape: readonly number[], indexShape: readonly number[], axis: number): number[] {
  return [...shape.slice(0, axis), ...indexShape, ...shape.slice(axis + 1)];
}

/** The `take` primitive (inputs: x, int32 indices); params: the axis. */
export const gatherPrim = definePrimitive<number>({
  name: 'take',
  shape: ([s, i], axis) => {
    checkAxis('take', axis, s!);
    return gatheredShape(s!, i!, axis);
  },
  dtype: ([d, i]) => {
    checkIndices('take', i);
    return d!;
  },
  kernel: ([x, i], axis, outShape, outDType) => gatherKernel(x!, i!, axis, outShape, outDType, 'take'),
  // take is linear in x: d take(x, i) = take(dx, i)
  jvp: ([t], [, i], _out, axis) => (t === null ? null : gather(t, i!, axis)),
  // Each element of x receives the sum of the cotangents of the outputs that copied it.
  vjp: (ct, [x, i], _out, axis) => [scatterAdd(ct, i!, { axis, shape: dimsOf(x!) }), null],
});

/** The `scatterAdd` primitive (inputs: updates, int32 indices); params: {@link ScatterAddParams}. */
export const scatterAddPrim = definePrimitive<ScatterAddParams>({
  name: 'scatterAdd',
  shape: ([u, i], { axis, shape }) => {
    checkAxis('scatterAdd', axis, shape);
    const want = gatheredShape(shape, i!, axis);
    if (want.length !== u!.length || want.some((d, k) => d !== u![k])) {
      throw new ShapeError(
        `scatterAdd: updates of shape ${formatShape(u!)} do not fit indices ${formatShape(i!)} into ${formatShape(shape)} along axis ${axis}: expected ${formatShape(want)}`,
      );
    }
    return shape;
  },
  dtype: ([d, i]) => {
    checkIndices('scatterAdd', i);
    if (d === 'bool') throw new DTypeError('scatterAdd: expected numeric updates, got bool');
    return d!;
  },
  kernel: ([u, i], { axis }, outShape, outDType) => scatterAddKernel(u!, i!, axis, outShape, outDType, 'scatterAdd'),
  // scatterAdd is linear in the updates: d scatterAdd(u) = scatterAdd(du)
  jvp: ([t], [, i], _out, p) => (t === null ? null : scatterAdd(t, i!, p)),
  // Each update was added to one output element: it receives that element's cotangent.
  vjp: (ct, [, i], _out, { axis }) => [gather(ct, i!, axis), null],
});

/** NumPy `take(x, indices, axis)` with int32 `indices` (negative ones count from the end). */
export function gather(x: AnyTensor, indices: AnyTensor, axis: number): AnyTensor {
  return bind(gatherPrim, [x, indices], axis);
}

/** Zeros of `params.shape` plus `updates` added at `indices` along `params.axis` (duplicates accumulate): the transpose of `gather`. */
export function scatterAdd(updates: AnyTensor, indices: AnyTensor, params: ScatterAddParams): AnyTensor {
  return bind(scatterAddPrim, [updates, indices], params);
}
