/**
 * `reduceProd(x, axes, keepdims)`: the product over normalised axes. bool
 * inputs give int32 (like `sum`); int32 products are formed in float64 and
 * one that int32 cannot hold is a ValueError, not wrapped (NumPy and
 * PyTorch widen to int64; there is no int64 here).
 *
 * Derivative: `d prod(x) / dx_i = prod_{j != i} x_j`, the product of the
 * others. It is NOT computed as `prod(x) / x_i`, which is 0/0 where x has a
 * zero. Instead the reduced axes are moved last and flattened, and the
 * product of the others is the exclusive prefix product times the exclusive
 * suffix product, each a log2(n)-step scan of slices, concats and multiplies
 * (O(n log n) work per reduced row). The rule is therefore a polynomial in
 * x built from differentiable primitives: exact at zeros for derivatives of
 * every order (grad of grad included).
 */
import { kernelLowering } from '../core/lowering.js';
import { definePrimitive, type Primitive } from '../core/primitive.js';
import { reduceBatch } from './batching.js';
import { bind } from '../core/trace.js';
import { type AnyTensor, dimsOf } from '../core/tensor.js';
import { prodReducer, reduceKernel, reducedShape } from '../backend/cpu/reduce.js';
import { concat, fill, mul, reduceSum, reshape, slice, transpose, zerosLike, type ReduceParams } from './index.js';
import { invertPermutation } from '../shape/index.js';

/** `[M, n]` → the same with every row moved `s` places towards its end (`dir = 1`) or start (`-1`), ones filling the gap. */
function shift(p: AnyTensor, s: number, dir: 1 | -1): AnyTensor {
  const [m, n] = dimsOf(p) as [number, number];
  const ones = fill([m, Math.min(s, n)], 1, p.dtype);
  if (s >= n) return ones;
  const kept = slice(p, { starts: [0, dir === 1 ? 0 : s], sizes: [m, n - s], steps: [1, 1] });
  return concat(dir === 1 ? [ones, kept] : [kept, ones], 1);
}

/** Row-wise exclusive product scan of `[M, n]`: toward the end, `e_i = prod_{j<i} x_j`; toward the start, `prod_{j>i} x_j`. */
function exclusiveProducts(x: AnyTensor, dir: 1 | -1): AnyTensor {
  const n = dimsOf(x)[1]!;
  // Hillis-Steele: after the step of width s, p_i holds the product of the 2s inputs ending at i.
  let p = shift(x, 1, dir);
  for (let s = 1; s < n; s *= 2) p = mul(p, shift(p, s, dir));
  return p;
}

/** `prod_{j != i} x_j` over the reduced axes, for every element `x_i`. */
function productOfOthers(x: AnyTensor, axes: readonly number[]): AnyTensor {
  const shape = dimsOf(x);
  const kept = shape.map((_, k) => k).filter((k) => !axes.includes(k));
  const perm = [...kept, ...axes];
  const moved = transpose(x, perm);
  const m = kept.reduce((p, k) => p * shape[k]!, 1);
  const n = axes.reduce((p, k) => p * shape[k]!, 1);
  if (m * n === 0) return zerosLike(x);
  const flat = reshape(moved, [m, n]);
  const others = mul(exclusiveProducts(flat, 1), exclusiveProducts(flat, -1));
  return transpose(reshape(others, dimsOf(moved)), invertPermutation(perm));
}

/** The `prod` reduction primitive; params: sorted axes and keepdims. */
export const reduceProdPrim: Primitive<ReduceParams> = definePrimitive<ReduceParams>({
  name: 'prod',
  shape: ([s], { axes, keepdims }) => reducedShape(s!, axes, keepdims),
  dtype: ([d]) => (d === 'bool' ? 'int32' : d!),
  lower: kernelLowering,
  kernel: ([x], { axes }, _s, outDType) => reduceKernel(x!, axes, outDType, prodReducer, 'prod'),
  // d prod(x) = sum_i (prod_{j != i} x_j) dx_i
  jvp: ([t], [x], _out, { axes, keepdims }) => (t === null ? null : reduceSum(mul(t, productOfOthers(x!, axes)), axes, keepdims)),
  // ct_{x_i} = ct prod_{j != i} x_j
  vjp: (ct, [x], _out, { axes }) => [mul(reshape(ct, reducedShape(dimsOf(x!), axes, true)), productOfOthers(x!, axes))],
  batch: reduceBatch(() => reduceProdPrim),
});

/** The product over sorted, non-negative `axes` (1 over an empty set). */
export const reduceProd = (x: AnyTensor, axes: readonly number[], keepdims: boolean): AnyTensor =>
  axes.length === 0 && x.dtype !== 'bool' ? x : bind(reduceProdPrim, [x], { axes, keepdims });
