/**
 * `matmul(a, b)`: the batched matrix product of rank >= 2 operands,
 * `[...Pa, M, K] x [...Pb, K, N] -> [...broadcast(Pa, Pb), M, N]`.
 * 1-D operands are promoted by reshaping at the public level, not here.
 * Bool and int32 operands give an exact int32 product (modulo 2^32).
 */
import { kernelLowering } from '../core/lowering.js';
import { ShapeError, formatShape } from '../core/errors.js';
import { definePrimitive, type BatchDim, type MaybeTensor, type Primitive } from '../core/primitive.js';
import { batchToFront } from './batching.js';
import { bind } from '../core/trace.js';
import { type AnyTensor, dimsOf } from '../core/tensor.js';
import { isFloat } from '../core/dtype.js';
import { matmulKernel } from '../backend/cpu/matmul.js';
import { broadcastShapes } from '../shape/index.js';
import { promoted } from './dtype-rules.js';
import { add, astype, reshape, sumTo, transpose } from './index.js';

/**
 * The output shape for operands of rank >= 2 (the public `matmulShape` also
 * promotes 1-D operands). Throws `ShapeError`:
 * `matmul: inner dimensions differ: [2,3] x [4,5]`,
 * `matmul: cannot broadcast batch dims [2] with [3]`.
 */
function batchedShape(a: readonly number[], b: readonly number[]): number[] {
  if (a.length < 2 || b.length < 2) {
    throw new ShapeError(`matmul: operands must have rank >= 2, got ${formatShape(a)} x ${formatShape(b)}`);
  }
  if (a[a.length - 1] !== b[b.length - 2]) {
    throw new ShapeError(`matmul: inner dimensions differ: ${formatShape(a)} x ${formatShape(b)}`);
  }
  const pa = a.slice(0, -2), pb = b.slice(0, -2);
  let batch: number[];
  try {
    batch = broadcastShapes('matmul', pa, pb);
  } catch (e) {
    if (!(e instanceof ShapeError)) throw e;
    throw new ShapeError(`matmul: cannot broadcast batch dims ${formatShape(pa)} with ${formatShape(pb)}`);
  }
  return [...batch, a[a.length - 2]!, b[b.length - 1]!];
}

/** `xᵀ` over the last two axes (batch axes stay). */
function mT(x: AnyTensor): AnyTensor {
  const r = dimsOf(x).length;
  const perm = Array.from({ length: r }, (_, i) => i);
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return transpose(x, perm);
}

/**
 * `Aᵀ · C`. For 2-D operands with a single column C ([M, 1], a linear
 * model's cotangent) it is computed as `(Cᵀ · A)ᵀ`, where both transposes
 * are free reshapes: no copy of A is made.
 */
function aTransposedTimes(a: AnyTensor, c: AnyTensor): AnyTensor {
  const as = dimsOf(a), cs = dimsOf(c);
  if (as.length === 2 && cs.length === 2 && cs[1] === 1) {
    return reshape(matmul(reshape(c, [1, cs[0]!]), a), [as[1]!, 1]);
  }
  return matmul(mT(a), c);
}

/** A cotangent summed over the batch dims its input was broadcast along, in the input's dtype. */
function toInput(ct: AnyTensor, x: AnyTensor): AnyTensor {
  const summed = sumTo(ct, x);
  return isFloat(x.dtype) ? astype(summed, x.dtype) : summed;
}

/** The matmul primitive: rules for `bind`, the transforms and the CPU kernel. */
export const matmulPrim: Primitive = definePrimitive({
  name: 'matmul',
  shape: ([a, b]) => batchedShape(a!, b!),
  dtype: promoted('matmul'),
  lower: kernelLowering,
  kernel: ([a, b], _p, outShape, outDType) => matmulKernel(a!, b!, outShape, outDType),
  // d(A B) = dA B + A dB (each term already has the output's shape)
  jvp: ([ta, tb], [a, b]) => {
    const left: MaybeTensor = ta === null ? null : matmul(ta, b!);
    const right: MaybeTensor = tb === null ? null : matmul(a!, tb);
    return left === null ? right : right === null ? left : add(left, right);
  },
  // C[i,j] = Σ_k A[i,k] B[k,j] per batch entry, so dA = dC Bᵀ and dB = Aᵀ dC.
  // A batch dim that A (or B) was broadcast along fed every entry of it: sum them (sumTo).
  vjp: (ct, [a, b], _out, _p, wanted) => [
    wanted[0] ? toInput(matmul(ct, mT(b!)), a!) : null,
    wanted[1] ? toInput(aTransposedTimes(a!, ct), b!) : null,
  ],
  batch: ([a, b], [da, db]) => batchedMatmul(a!, da!, b!, db!),
});

/**
 * vmap of matmul. A batched left operand against a shared matrix folds its
 * batch into the rows: `[B, M, K] x [K, N]` is one `[B M, K] x [K, N]`
 * product. Otherwise the batch axis becomes a leading batch dim of both
 * operands (ones pad the shorter batch dims, so broadcasting lines them up).
 */
function batchedMatmul(a: AnyTensor, da: BatchDim, b: AnyTensor, db: BatchDim): [AnyTensor, BatchDim] {
  const sa = dimsOf(a), sb = dimsOf(b);
  if (db === null && sb.length === 2) {
    const front = batchToFront(a, da!);
    const fs = dimsOf(front);
    const rows = fs.slice(0, -1).reduce((p, d) => p * d, 1);
    const flat = matmul(reshape(front, [rows, fs[fs.length - 1]!]), b);
    return [reshape(flat, [...fs.slice(0, -1), sb[1]!]), 0];
  }
  const ra = sa.length - (da === null ? 0 : 1), rb = sb.length - (db === null ? 0 : 1);
  const lead = Math.max(ra, rb) - 2;
  const line = (x: AnyTensor, d: BatchDim, r: number): AnyTensor => {
    if (d === null) return x;
    const front = batchToFront(x, d);
    const fs = dimsOf(front);
    return r - 2 === lead ? front : reshape(front, [fs[0]!, ...new Array<number>(lead - (r - 2)).fill(1), ...fs.slice(1)]);
  };
  return [matmul(line(a, da, ra), line(b, db, rb)), 0];
}

/**
 * The matrix product of rank >= 2 tensors with broadcast batch dims:
 * `matmul(zeros([7, 1, 2, 3]), zeros([5, 3, 4]))` has shape `[7, 5, 2, 4]`.
 */
export const matmul = (a: AnyTensor, b: AnyTensor): AnyTensor => bind(matmulPrim, [a, b], undefined);
