/**
 * `gather(x, indices, axis)` is NumPy's `take(x, indices, axis)`: the result
 * has shape `[...x.shape[:axis], ...indices.shape, ...x.shape[axis+1:]]`;
 * indices are int32, negative ones count from the end, and an index outside
 * `[-n, n)` is a `ValueError`. Its transpose `scatterAdd` adds rows into
 * zeros (duplicate indices accumulate); each is the other's vjp. The indices
 * get no derivative.
 */
import { kernelLowering } from '../core/lowering.js';
import { AxisError, DTypeError, ShapeError, formatShape } from '../core/errors.js';
import { definePrimitive, type Primitive } from '../core/primitive.js';
import { bind } from '../core/trace.js';
import { type AnyTensor, dimsOf, storageOf } from '../core/tensor.js';
import { gatherKernel, scatterAddKernel } from '../backend/cpu/gather.js';
import { batchAtFront, batchToFront, moveBatchAxis, shiftAxis } from './batching.js';
import { add, fill, ge, lt, reshape, scalarLike, transpose, where } from './index.js';

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
export const gatherPrim: Primitive<number> = definePrimitive<number>({
  name: 'take',
  shape: ([s, i], axis) => {
    checkAxis('take', axis, s!);
    return gatheredShape(s!, i!, axis);
  },
  dtype: ([d, i]) => {
    checkIndices('take', i);
    return d!;
  },
  lower: kernelLowering,
  kernel: ([x, i], axis, outShape, outDType) => gatherKernel(x!, i!, axis, outShape, outDType, 'take'),
  // take is linear in x: d take(x, i) = take(dx, i)
  jvp: ([t], [, i], _out, axis) => (t === null ? null : gather(t, i!, axis)),
  // Each element of x receives the sum of the cotangents of the outputs that copied it.
  vjp: (ct, [x, i], _out, axis) => [scatterAdd(ct, i!, { axis, shape: dimsOf(x!) }), null],
  batch: ([x, i], [dx, di], axis, size) => {
    // Batched data, shared indices: take along the shifted axis.
    if (di === null) return [gather(batchToFront(x!, dx!), i!, axis + 1), 0];
    // Shared data, batched indices: the index axes (batch axis among them) replace `axis`.
    if (dx === null) return [gather(x!, i!, axis), axis + di];
    // Both batched: element b takes from its own block of the data flattened to [B n, ...].
    const n = dimsOf(x!)[shiftAxis(axis, dx)]!;
    const front = moveBatchAxis(batchToFront(x!, dx), axis + 1, 1); // [B, n, ...pre, ...post]
    const fs = dimsOf(front);
    const flat = reshape(front, [size * n, ...fs.slice(2)]);
    const taken = gather(flat, blockIndices(i!, di, n, size), 0); // [B, ...idx, ...pre, ...post]
    const ni = dimsOf(i!).length - 1;
    const perm = [0, ...range(1 + ni, 1 + ni + axis), ...range(1, 1 + ni), ...range(1 + ni + axis, dimsOf(taken).length)];
    return [transpose(taken, perm), 0];
  },
});

/** The `scatterAdd` primitive (inputs: updates, int32 indices); params: {@link ScatterAddParams}. */
export const scatterAddPrim: Primitive<ScatterAddParams> = definePrimitive<ScatterAddParams>({
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
  lower: kernelLowering,
  kernel: ([u, i], { axis }, outShape, outDType) => scatterAddKernel(u!, i!, axis, outShape, outDType, 'scatterAdd'),
  // scatterAdd is linear in the updates: d scatterAdd(u) = scatterAdd(du)
  jvp: ([t], [, i], _out, p) => (t === null ? null : scatterAdd(t, i!, p)),
  // Each update was added to one output element: it receives that element's cotangent.
  vjp: (ct, [, i], _out, { axis }) => [gather(ct, i!, axis), null],
  batch: ([u, i], [du, di], { axis, shape }, size) => {
    // Batched updates, shared indices: scatter along the shifted axis into a batch of results.
    if (di === null) return [scatterAdd(batchToFront(u!, du!), i!, { axis: axis + 1, shape: [size, ...shape] }), 0];
    // Batched indices: element b adds into its own block of a [B n, ...] result.
    const n = shape[axis]!;
    const front = batchAtFront(u!, du!, size); // [B, ...pre, ...idx, ...post]
    const ni = dimsOf(i!).length - 1;
    const rank = dimsOf(front).length;
    const perm = [0, ...range(1 + axis, 1 + axis + ni), ...range(1, 1 + axis), ...range(1 + axis + ni, rank)];
    const rest = [...shape.slice(0, axis), ...shape.slice(axis + 1)];
    const flat = scatterAdd(transpose(front, perm), blockIndices(i!, di, n, size), { axis: 0, shape: [size * n, ...rest] });
    return [moveBatchAxis(reshape(flat, [size, n, ...rest]), 1, axis + 1), 0];
  },
});

/** `[lo, hi)`. */
function range(lo: number, hi: number): number[] {
  return Array.from({ length: Math.max(0, hi - lo) }, (_, k) => lo + k);
}

/**
 * Batched indices `[B, ...]` into per-element blocks of length `n` of a flat
 * axis: `b n + i` (negative `i` counted from the end first). An index out of
 * `[-n, n)` becomes `B n`, out of range of the flat axis, so the kernel
 * still throws instead of reading another element's block.
 */
function blockIndices(i: AnyTensor, di: number, n: number, size: number): AnyTensor {
  const front = batchToFront(i, di);
  const s = dimsOf(front);
  const c = (v: number) => scalarLike(v, front);
  const wrapped = where(lt(front, c(0)), add(front, c(n)), front);
  const bad = where(lt(wrapped, c(0)), fill([], 1, 'bool'), ge(wrapped, c(n)));
  const offsets = fill([size, ...s.slice(1).map(() => 1)], 0, 'int32');
  const od = storageOf(offsets);
  for (let b = 0; b < size; b++) od[b] = b * n;
  return where(bad, c(size * n), add(wrapped, offsets));
}

/** NumPy `take(x, indices, axis)` with int32 `indices` (negative ones count from the end). */
export function gather(x: AnyTensor, indices: AnyTensor, axis: number): AnyTensor {
  return bind(gatherPrim, [x, indices], axis);
}

/** Zeros of `params.shape` plus `updates` added at `indices` along `params.axis` (duplicates accumulate): the transpose of `gather`. */
export function scatterAdd(updates: AnyTensor, indices: AnyTensor, params: ScatterAddParams): AnyTensor {
  return bind(scatterAddPrim, [updates, indices], params);
}
