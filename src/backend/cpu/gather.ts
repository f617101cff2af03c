/**
 * `take` (gather along one axis) and its transpose `scatterAdd`. Both view
 * the big array as `[outer, n, inner]` and the small one as
 * `[outer, m, inner]`, with `m` the number of indices, and move whole inner
 * runs of `inner` elements per index.
 */
import { allocate, allocateOverwritten, type DType, type Storage } from '../../core/dtype.js';
import { ValueError } from '../../core/errors.js';
import { type ArrayTensor, dimsOf, storageOf } from '../../core/tensor.js';
import { copyRun } from './movement.js';
import { numElements } from '../../shape/index.js';
import { gatherF32 as wasmGather, scatterAddF32 as wasmScatterAdd, useWasm } from '../accelerated.js';

/**
 * The indices with negative ones counted from the end (NumPy); throws a
 * `ValueError` naming `op` for an index outside `[-n, n)`.
 */
function normalizedIndices(op: string, indices: ArrayTensor<unknown, DType>, axis: number, shape: readonly number[]): Int32Array {
  return normalizedIndexArray(op, storageOf(indices) as Int32Array, axis, shape[axis]!);
}

/**
 * `raw` with negative indices counted from the end of an axis of size `n`
 * (a copy only where one is negative); a `ValueError` naming `op` and the
 * axis for an index outside `[-n, n)`.
 *
 * @example
 * ```ts
 * normalizedIndexArray('take', new Int32Array([0, -1]), 0, 3); // Int32Array [0, 2]
 * ```
 */
export function normalizedIndexArray(op: string, raw: Int32Array, axis: number, n: number): Int32Array {
  let out: Int32Array | null = null;
  for (let j = 0; j < raw.length; j++) {
    const i = raw[j]!;
    if (i >= 0 && i < n) continue;
    if (i < -n || i >= n) {
      throw new ValueError(`${op}: index ${i} is out of range for axis ${axis} with size ${n}`);
    }
    // Copy only when a negative index must be rewritten; the input is never written.
    out ??= raw.slice();
    out[j] = i + n;
  }
  return out ?? raw;
}

function splitAt(shape: readonly number[], axis: number): [outer: number, inner: number] {
  let outer = 1;
  let inner = 1;
  for (let k = 0; k < axis; k++) outer *= shape[k]!;
  for (let k = axis + 1; k < shape.length; k++) inner *= shape[k]!;
  return [outer, inner];
}

/** `out[o, j, i] = x[o, indices[j], i]`. */
export function gatherKernel(
  x: ArrayTensor<unknown, DType>,
  indices: ArrayTensor<unknown, DType>,
  axis: number,
  outShape: readonly number[],
  outDType: DType,
  op: string,
): Storage {
  const shape = dimsOf(x);
  const idx = normalizedIndices(op, indices, axis, shape);
  const out = allocate(outDType, numElements(outShape));
  const xd = storageOf(x);
  const [outer, inner] = splitAt(shape, axis);
  const n = shape[axis]!;
  const m = idx.length;
  if (out.length === 0) return out;
  if (inner === 1 && out instanceof Float32Array && xd instanceof Float32Array) {
    gatherF32(out, xd, idx, outer, n);
  } else if (inner === 1) {
    for (let o = 0, w = 0; o < outer; o++) {
      const base = o * n;
      for (let j = 0; j < m; j++, w++) out[w] = xd[base + idx[j]!]!;
    }
  } else {
    for (let o = 0, w = 0; o < outer; o++) {
      const base = o * n;
      for (let j = 0; j < m; j++, w += inner) copyRun(out, w, xd, (base + idx[j]!) * inner, inner);
    }
  }
  return out;
}

/** Zeros of `outShape` with `out[o, indices[j], i] += updates[o, j, i]` (duplicates accumulate). */
export function scatterAddKernel(
  updates: ArrayTensor<unknown, DType>,
  indices: ArrayTensor<unknown, DType>,
  axis: number,
  outShape: readonly number[],
  outDType: DType,
  op: string,
): Storage {
  const idx = normalizedIndices(op, indices, axis, outShape);
  const ud = storageOf(updates);
  const [outer, inner] = splitAt(outShape, axis);
  const n = outShape[axis]!;
  const m = idx.length;
  // One float32 row (max pooling's gradient): the WebAssembly loop zeroes the output itself, in the same order.
  if (outer === 1 && inner === 1 && outDType === 'float32' && ud instanceof Float32Array && m > 0 && useWasm('pool', n)) {
    const out = allocateOverwritten(n);
    wasmScatterAdd(ud.length === m ? ud : ud.subarray(0, m), idx, out, true);
    return out;
  }
  const out = allocate(outDType, numElements(outShape));
  if (ud.length === 0) return out;
  if (inner === 1 && out instanceof Float32Array && ud instanceof Float32Array) {
    scatterAddF32(out, ud, idx, outer, n);
  } else if (inner === 1) {
    for (let o = 0, r = 0; o < outer; o++) {
      const base = o * n;
      for (let j = 0; j < m; j++, r++) out[base + idx[j]!]! += ud[r]!;
    }
  } else {
    for (let o = 0, r = 0; o < outer; o++) {
      const base = o * n;
      for (let j = 0; j < m; j++) {
        let w = (base + idx[j]!) * inner;
        for (let i = 0; i < inner; i++, w++, r++) out[w]! += ud[r]!;
      }
    }
  }
  return out;
}

/*
 * The float32 loops of the two kernels, kept apart from the generic ones:
 * a loop that has seen every storage type reads and writes elements through
 * megamorphic accesses, several times slower (max pooling gathers and
 * scatters a float32 element per window, every training step).
 */

function gatherF32(out: Float32Array, xd: Float32Array, idx: Int32Array, outer: number, n: number): void {
  const m = idx.length;
  // One row (max pooling's gather from the flattened input): the WebAssembly loop, on both cores.
  if (outer === 1 && useWasm('pool', m)) return wasmGather(xd.length === n ? xd : xd.subarray(0, n), idx, out.length === m ? out : out.subarray(0, m), true);
  for (let o = 0, w = 0; o < outer; o++) {
    const base = o * n;
    for (let j = 0; j < m; j++, w++) out[w] = xd[base + idx[j]!]!;
  }
}

function scatterAddF32(out: Float32Array, ud: Float32Array, idx: Int32Array, outer: number, n: number): void {
  const m = idx.length;
  for (let o = 0, r = 0; o < outer; o++) {
    const base = o * n;
    for (let j = 0; j < m; j++, r++) out[base + idx[j]!]! += ud[r]!;
  }
}
