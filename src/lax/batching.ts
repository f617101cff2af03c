/**
 * The shared pieces of the primitives' batching rules (`vmap`). A batched
 * value carries one extra axis, its batch dim `d`; an unbatched value (`d =
 * null`) is the same for every batch element. The rule families:
 * - elementwise (unary passes `d` through; n-ary lines the batch axes up and
 *   lets NumPy broadcasting spread the unbatched operands),
 * - reductions (shift the reduced axes past `d`),
 * - movement ops (put the batch axis in front and shift the params),
 * - matmul (the batch axis becomes a leading batch dim, or folds into rows).
 */
import type { BatchDim, Primitive } from '../core/primitive.js';
import { bind } from '../core/trace.js';
import { type AnyTensor, dimsOf } from '../core/tensor.js';
import { broadcastTo, reshape, transpose } from './index.js';

/** The shape of one batch element: `shape` without axis `d`. */
export function unbatchedShape(shape: readonly number[], d: BatchDim): readonly number[] {
  return d === null ? shape : [...shape.slice(0, d), ...shape.slice(d + 1)];
}

/** `x` with its batch axis `d` moved to the front (no copy when it is there already). */
export function batchToFront(x: AnyTensor, d: number): AnyTensor {
  if (d === 0) return x;
  const rank = dimsOf(x).length;
  const perm = [d];
  for (let k = 0; k < rank; k++) if (k !== d) perm.push(k);
  return transpose(x, perm);
}

/** `x` with its batch axis moved from `from` to `to`. */
export function moveBatchAxis(x: AnyTensor, from: number, to: number): AnyTensor {
  if (from === to) return x;
  const rank = dimsOf(x).length;
  const perm: number[] = [];
  for (let k = 0; k < rank; k++) if (k !== from) perm.push(k);
  perm.splice(to, 0, from);
  return transpose(x, perm);
}

/** `x` with a batch axis in front: moved there, or (unbatched) broadcast to `size` copies. */
export function batchAtFront(x: AnyTensor, d: BatchDim, size: number): AnyTensor {
  if (d !== null) return batchToFront(x, d);
  const s = dimsOf(x);
  return broadcastTo(reshape(x, [1, ...s]), [size, ...s]);
}

/** An axis of one batch element, as an axis of the batched value whose batch dim is `d`. */
export function shiftAxis(axis: number, d: number): number {
  return axis >= d ? axis + 1 : axis;
}

/** `arr` with `value` inserted at position `d`. */
export function insertAt<T>(arr: readonly T[], d: number, value: T): T[] {
  return [...arr.slice(0, d), value, ...arr.slice(d)];
}

/** The rule of an elementwise unary primitive: applied to the batched value as is, same batch dim. */
export function unaryBatch<P>(prim: () => Primitive<P>): Primitive<P>['batch'] {
  return ([x], [d], params) => [bind(prim(), [x!], params), d!];
}

/**
 * The rule of an n-ary elementwise primitive with NumPy broadcasting. When
 * every batched operand has the full rank and the same batch dim `d`, and
 * every unbatched operand lines up to the right of `d`, the primitive is
 * bound as is. Otherwise batched operands get their batch axis in front and
 * ones up to the full rank (`[B, 1, ..., 1, ...s]`), so broadcasting aligns
 * them; the unbatched ones broadcast along the batch axis by themselves.
 */
export function broadcastBatch<P>(prim: () => Primitive<P>): Primitive<P>['batch'] {
  return (args, dims, params) => {
    const ranks = args.map((a, i) => dimsOf(a).length - (dims[i] === null ? 0 : 1));
    const rank = Math.max(...ranks);
    let d: number | null = null;
    let aligned = true;
    for (let i = 0; i < args.length; i++) {
      const di = dims[i]!;
      if (di === null) continue;
      if (d === null) d = di;
      if (di !== d || ranks[i] !== rank) aligned = false;
    }
    // An unbatched operand of rank r covers the last r axes of the rank + 1 output: they must not include d.
    if (aligned && args.every((_, i) => dims[i] !== null || ranks[i]! <= rank - d!)) return [bind(prim(), args, params), d];
    const lined = args.map((a, i) => {
      const di = dims[i]!;
      if (di === null) return a;
      const s = unbatchedShape(dimsOf(a), di);
      const front = batchToFront(a, di);
      return s.length === rank ? front : reshape(front, [dimsOf(front)[0]!, ...new Array<number>(rank - s.length).fill(1), ...s]);
    });
    return [bind(prim(), lined, params), 0];
  };
}

/** Params of a reduction over several axes. */
interface AxesParams {
  readonly axes: readonly number[];
  readonly keepdims: boolean;
}

/** The rule of a reduction: reduce the same axes of every batch element, i.e. the axes shifted past `d`. */
export function reduceBatch<P extends AxesParams>(prim: () => Primitive<P>): Primitive<P>['batch'] {
  return ([x], [d], params) => {
    const bd = d!;
    const axes = params.axes.map((a) => shiftAxis(a, bd));
    // Without keepdims every reduced axis before the batch axis disappears.
    const out = params.keepdims ? bd : bd - params.axes.filter((a) => a < bd).length;
    return [bind(prim(), [x!], { ...params, axes }), out];
  };
}
