/**
 * Structural primitives: reshape (a view of the same storage), broadcastTo,
 * astype and stopGradient, plus the two helpers every broadcasting rule
 * uses: `sumTo` (reverse mode) and `broadcastLike` (forward mode).
 */
import { allocate, type DType, isFloat } from '../core/dtype.js';
import { ShapeError, formatShape } from '../core/errors.js';
import { definePrimitive } from '../core/primitive.js';
import { bind } from '../core/trace.js';
import { type AnyTensor, dimsOf, storageOf } from '../core/tensor.js';
import { broadcastStrides, forEachRow } from '../backend/cpu/elementwise.js';
import { reduceSum } from './index.js';
import { batchToFront } from './batching.js';
import { numElements, sameShape } from '../shape/index.js';
import { broadcastView, reshapeView } from '../core/lowering.js';



export const reshapePrim = definePrimitive<readonly number[]>({
  name: 'reshape',
  shape: ([s], to) => {
    if (numElements(s!) !== numElements(to)) throw new ShapeError(`reshape: ${numElements(s!)} elements cannot become ${formatShape(to)}`);
    return to;
  },
  dtype: ([d]) => d!,
  // A view: the storage is shared, which is safe because nothing writes it.
  kernel: ([x]) => storageOf(x!),
  jvp: ([t], _p, _o, to) => (t === null ? null : reshape(t, to)),
  vjp: (ct, [x]) => [reshape(ct, dimsOf(x!))],
  // Row-major order within each element holds once the batch axis is in front.
  batch: ([x], [d], to) => {
    const front = batchToFront(x!, d!);
    return [reshape(front, [dimsOf(front)[0]!, ...to]), 0];
  },
  lower: { kind: 'view', view: (v, shape, to) => reshapeView(v, shape, to) },
});

/** True when `shape` past its leading ones is the trailing dims of `to`: broadcasting it repeats its storage whole. */
function repeatsWhole(shape: readonly number[], to: readonly number[]): boolean {
  let lead = 0;
  while (lead < shape.length && shape[lead] === 1) lead++;
  const off = to.length - shape.length;
  for (let i = lead; i < shape.length; i++) if (shape[i] !== to[off + i]) return false;
  return true;
}

export const broadcastToPrim = definePrimitive<readonly number[]>({
  name: 'broadcastTo',
  shape: ([s], to) => {
    const rank = to.length;
    let ok = s!.length <= rank;
    for (let i = 1; ok && i <= s!.length; i++) {
      const d = s![s!.length - i]!;
      ok = d === to[rank - i] || d === 1;
    }
    if (!ok) throw new ShapeError(`broadcastTo: cannot broadcast ${formatShape(s!)} to ${formatShape(to)}`);
    return to;
  },
  dtype: ([d]) => d!,
  kernel: ([x], to, _s, outDType) => {
    const out = allocate(outDType, numElements(to));
    const xd = storageOf(x!);
    if (out.length === 0) return out;
    // x repeated whole (`[1, ...s]` to `[B, ...s]`, as vmap gives an output that is the same for every element):
    // copy it once, then double the copied prefix until it fills the output.
    if (x!.size > 0 && repeatsWhole(dimsOf(x!), to)) {
      out.set(xd.length === x!.size ? xd : xd.subarray(0, x!.size));
      for (let have = x!.size; have < out.length; have *= 2) out.copyWithin(have, 0, Math.min(have, out.length - have));
      return out;
    }
    const xs = broadcastStrides(dimsOf(x!), to);
    forEachRow(to, xs, xs, (o, xi, _b, n, sx) => {
      // Rows that are not broadcast inside are copied as blocks.
      if (sx === 1 && n >= 16) out.set(xd.subarray(xi, xi + n), o);
      else for (let i = 0; i < n; i++, xi += sx) out[o + i] = xd[xi]!;
    });
    return out;
  },
  jvp: ([t], _p, _o, to) => (t === null ? null : broadcastTo(t, to)),
  vjp: (ct, [x]) => [sumTo(ct, x!)],
  // Batch axis in front, ones for the new leading axes of one element, then broadcast behind the batch axis.
  batch: ([x], [d], to) => {
    const front = batchToFront(x!, d!);
    const s = dimsOf(front);
    const ones = new Array<number>(to.length - (s.length - 1)).fill(1);
    return [broadcastTo(reshape(front, [s[0]!, ...ones, ...s.slice(1)]), [s[0]!, ...to]), 0];
  },
  lower: { kind: 'view', view: (v, shape, to) => broadcastView(v, shape, to) },
});

export const astypePrim = definePrimitive<DType>({
  name: 'astype',
  shape: ([s]) => s!,
  dtype: (_d, to) => to,
  kernel: ([x], to) => {
    const xd = storageOf(x!);
    if (x!.dtype === to) return xd;
    const out = allocate(to, xd.length);
    if (to === 'bool') for (let i = 0; i < xd.length; i++) out[i] = xd[i] !== 0 ? 1 : 0;
    else if (to === 'int32') for (let i = 0; i < xd.length; i++) out[i] = Math.trunc(xd[i]!); // toward zero, like NumPy
    else out.set(xd);
    return out;
  },
  // d astype(x) = astype(dx) between float dtypes; integer results have no derivative
  jvp: ([t], _p, out, to) => (t === null || !isFloat(to) ? null : astype(t, to)),
  vjp: (ct, [x]) => [isFloat(x!.dtype) && isFloat(ct.dtype) ? astype(ct, x!.dtype) : null],
  batch: ([x], [d], to) => [astype(x!, to), d!],
  // The rounding to the target dtype is the compiler's (what storing into the typed array does); to bool: x != 0.
  lower: { kind: 'elementwise', js: ([x], to) => (to === 'bool' ? `(${x} !== 0 ? 1 : 0)` : to === 'int32' ? `Math.trunc(${x})` : x!) },
});

export const stopGradientPrim = definePrimitive({
  name: 'stopGradient',
  shape: ([s]) => s!,
  dtype: ([d]) => d!,
  kernel: ([x]) => storageOf(x!),
  // The derivative is zero by definition.
  jvp: () => null,
  vjp: () => [null],
  batch: ([x], [d]) => [stopGradient(x!), d!],
  lower: { kind: 'view', view: (v) => v },
});

export const reshape = (x: AnyTensor, to: readonly number[]): AnyTensor =>
  sameShape(dimsOf(x), to) ? x : bind(reshapePrim, [x], to);
export const broadcastTo = (x: AnyTensor, to: readonly number[]): AnyTensor =>
  sameShape(dimsOf(x), to) ? x : bind(broadcastToPrim, [x], to);
export const astype = (x: AnyTensor, to: DType): AnyTensor => (x.dtype === to ? x : bind(astypePrim, [x], to));
export const stopGradient = (x: AnyTensor): AnyTensor => bind(stopGradientPrim, [x], undefined);

/** Broadcasts a tangent up to the shape of `like` (forward-mode rules). */
export function broadcastLike(t: AnyTensor, like: AnyTensor): AnyTensor {
  return broadcastTo(t, dimsOf(like));
}

/** Sums a cotangent down to the shape of `like`: the transpose of broadcasting. */
export function sumTo(ct: AnyTensor, like: AnyTensor): AnyTensor {
  const from = dimsOf(ct);
  const to = dimsOf(like);
  if (sameShape(from, to)) return ct;
  const lead = from.length - to.length;
  const axes: number[] = [];
  for (let i = 0; i < from.length; i++) {
    if (i < lead || (to[i - lead] === 1 && from[i] !== 1)) axes.push(i);
  }
  return reshape(reduceSum(ct, axes, false), to);
}
