/**
 * @internal Fused update loops. An optimizer update is a handful of
 * elementwise formulas per leaf; written as ops it allocates a tensor per
 * op (about a dozen for Adam). When every tensor involved is concrete (no
 * transform is tracing it) and NaN debugging is off, each transformation
 * runs its formula as one loop over the storage instead, in float64
 * arithmetic rounded once into the leaf's dtype. Under a transform (an
 * optimizer differentiated for meta-learning) or `debugNans`, the same
 * formulas run as ops, so derivatives and NaN reports work as everywhere
 * else. Tests check that both paths agree.
 */
import type { FloatDType } from '../core/dtype.js';
import { checkFinite } from '../core/debug.js';
import { type AnyTensor, ArrayTensor, dimsOf, fromStorage, storageOf } from '../core/tensor.js';

/** @internal Float storage. */
export type Data = Float32Array | Float64Array;

/** @internal
 * The storage of every tensor in `lists` (same layout), or null when one of
 * them is a tracer or not a float tensor, or NaN debugging is on: then use ops.
 */
export function storages(lists: readonly (readonly AnyTensor[] | undefined)[]): Data[][] | null {
  if (checkFinite.enabled) return null;
  const out: Data[][] = [];
  for (const list of lists) {
    if (list === undefined) {
      out.push([]);
      continue;
    }
    const datas: Data[] = new Array(list.length);
    for (let i = 0; i < list.length; i++) {
      const t = list[i]!;
      if (!(t instanceof ArrayTensor) || (t.dtype !== 'float32' && t.dtype !== 'float64')) return null;
      datas[i] = storageOf(t as ArrayTensor<unknown, FloatDType>);
    }
    out.push(datas);
  }
  return out;
}

/** @internal New storage of the size and dtype of `like`. */
export function alloc(like: AnyTensor): Data {
  return like.dtype === 'float64' ? new Float64Array(like.size) : new Float32Array(like.size);
}

/** @internal Wraps fresh storage as a tensor with the shape and dtype of `like`. */
export function wrap(data: Data, like: AnyTensor): AnyTensor {
  return fromStorage(data, dimsOf(like), like.dtype);
}

/*
 * The float32 forms of the commonest loops, kept apart from the generic
 * ones: a loop that has seen both storage types reads and writes through
 * megamorphic accesses, several times slower (Adam and the parameter update
 * took some 20 ms a step of a CNN's 421k parameters). Same arithmetic, same
 * bits.
 */

/** @internal `o = a + b`, elementwise, into `o`'s dtype. */
export function addInto(o: Data, a: Data, b: Data): void {
  if (o instanceof Float32Array && a instanceof Float32Array && b instanceof Float32Array) return addF32(o, a, b);
  for (let j = 0; j < a.length; j++) o[j] = a[j]! + b[j]!;
}

function addF32(o: Float32Array, a: Float32Array, b: Float32Array): void {
  for (let j = 0; j < a.length; j++) o[j] = a[j]! + b[j]!;
}

/** @internal `o = factor · u`, elementwise, into `o`'s dtype. */
export function scaleInto(o: Data, u: Data, factor: number): void {
  if (o instanceof Float32Array && u instanceof Float32Array) return scaleF32(o, u, factor);
  for (let j = 0; j < u.length; j++) o[j] = factor * u[j]!;
}

function scaleF32(o: Float32Array, u: Float32Array, factor: number): void {
  for (let j = 0; j < u.length; j++) o[j] = factor * u[j]!;
}

/**
 * @internal Adam's moments and step (`scaleByAdam`'s loop) into `mo`, `vo`
 * and `uo`; with `nuMax` (amsgrad) the step uses the running maximum of the
 * second moment, written to `maxOut`.
 */
export function adamInto(g: Data, mu: Data, nu: Data, mo: Data, vo: Data, uo: Data, b1: number, b2: number, bc1: number, bc2Sqrt: number, eps: number, nuMax?: Data, maxOut?: Data): void {
  if (nuMax === undefined && g instanceof Float32Array && mu instanceof Float32Array && nu instanceof Float32Array && mo instanceof Float32Array && vo instanceof Float32Array && uo instanceof Float32Array) {
    return adamF32(g, mu, nu, mo, vo, uo, b1, b2, bc1, bc2Sqrt, eps);
  }
  for (let j = 0; j < g.length; j++) {
    const gj = g[j]!;
    const m = mu[j]! + (1 - b1) * (gj - mu[j]!);
    const v = b2 * nu[j]! + (1 - b2) * gj * gj;
    const vHat = nuMax === undefined ? v : (maxOut![j] = Math.max(nuMax[j]!, v));
    mo[j] = m;
    vo[j] = v;
    uo[j] = m / bc1 / (Math.sqrt(vHat) / bc2Sqrt + eps);
  }
}

function adamF32(g: Float32Array, mu: Float32Array, nu: Float32Array, mo: Float32Array, vo: Float32Array, uo: Float32Array, b1: number, b2: number, bc1: number, bc2Sqrt: number, eps: number): void {
  for (let j = 0; j < g.length; j++) {
    const gj = g[j]!;
    const m = mu[j]! + (1 - b1) * (gj - mu[j]!);
    const v = b2 * nu[j]! + (1 - b2) * gj * gj;
    mo[j] = m;
    vo[j] = v;
    uo[j] = m / bc1 / (Math.sqrt(v) / bc2Sqrt + eps);
  }
}
