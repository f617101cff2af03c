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
