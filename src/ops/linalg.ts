/**
 * Linear algebra: `matmul` with NumPy semantics, `dot` and `outer`.
 *
 * The primitive (`lax.matmul`) only takes operands of rank >= 2; a 1-D
 * operand is promoted here by a reshape (`[K]` as `[1,K]` on the left,
 * `[K,1]` on the right) and the promoted dim is reshaped away afterwards, so
 * the derivatives come from reshape and the primitive, with no rule of
 * their own. Dtypes promote like the binary ops (bool operands give int32).
 *
 * @example
 * ```ts
 * import { matmul, zeros } from 'typegrad';
 * matmul(zeros([60000, 784]), zeros([784, 128])); // Tensor<[60000, 128]>
 * matmul(zeros([7, 1, 2, 3]), zeros([5, 3, 4]));  // Tensor<[7, 5, 2, 4]>
 * matmul(zeros([3]), zeros([3, 4]));              // Tensor<[4]>
 * ```
 *
 * @module
 */
import type { DType, Promote } from '../core/dtype.js';
import { ShapeError, formatShape, inOp } from '../core/errors.js';
import { type AnyTensor, type Tensor, dimsOf } from '../core/tensor.js';
import type { Shape } from '../shape/dim.js';
import { matmulShape, type Check, type MatMul, type Ok } from '../shape/index.js';
import type { FormatShape } from '../shape/format.js';
import * as lax from '../lax/index.js';

/** The dtype of a product: the promoted dtype, with bool counted in int32. */
export type MatMulDType<DA extends DType, DB extends DType> = Promote<DA, DB> extends 'bool' ? 'int32' : Promote<DA, DB>;

/**
 * The signature of `matmul` and `dot`: one signature (not overloads), so
 * that a mistake's headline is the op's own message (`Argument of type
 * 'Tensor<[4, 5]>' is not assignable to parameter of type 'Tensor<[4, 5]> &
 * "matmul: inner dimensions differ: [2,3] x [4,5]"'`). It computes the NumPy
 * rule ({@link MatMul}: 1-D operands, broadcast batch dims); dims that are
 * type parameters of the caller's function are kept. A failed input
 * (`Tensor<never>`) gives `Tensor<never>` again, so one mistake reports once.
 */
export interface MatMulOp {
  <A = [], B = [], DA extends DType = 'float32', DB extends DType = 'float32'>(
    a: Tensor<A, DA>,
    b: Tensor<B, DB> & Check<MatMul<ShapeOf<A>, ShapeOf<B>>>,
  ): Tensor<Ok<MatMul<ShapeOf<A>, ShapeOf<B>>>, MatMulDType<DA, DB>>;
}

/** A shape parameter as `Shape` (`never` stays `never`: the input came from a failed op). */
type ShapeOf<S> = { s: S } extends { s: never } ? never : { s: S } extends { s: infer T extends Shape } ? T : number[];

function matmulImpl(a: AnyTensor, b: AnyTensor, op: 'matmul' | 'dot'): AnyTensor {
  try {
    const sa = dimsOf(a);
    const sb = dimsOf(b);
    const out = matmulShape(sa, sb);
    // 1-D promotion: [K] is a row on the left and a column on the right.
    const a2 = sa.length === 1 ? lax.reshape(a, [1, sa[0]!]) : a;
    const b2 = sb.length === 1 ? lax.reshape(b, [sb[0]!, 1]) : b;
    const product = lax.matmul(a2, b2);
    return sa.length === 1 || sb.length === 1 ? lax.reshape(product, out) : product;
  } catch (e) {
    throw inOp(op, e);
  }
}

/**
 * The matrix product with NumPy semantics: the last dim of `a` meets the
 * second-to-last of `b`, leading (batch) dims broadcast, and a 1-D operand
 * is treated as a row (left) or a column (right) whose dim is then dropped.
 * Throws `ShapeError`: `matmul: inner dimensions differ: [2,3] x [4,5]`,
 * `matmul: batch dimensions differ: [7,2,3] x [5,3,4]`, `matmul: needs rank >= 1, got [] x [3]`.
 *
 * @example
 * ```ts
 * import { matmul, tensor } from 'typegrad';
 * const a = tensor([[1, 2], [3, 4]]);       // Tensor<[2, 2]>
 * matmul(a, tensor([[1], [1]])).toArray();  // [[3], [7]]: Tensor<[2, 1]>
 * matmul(tensor([1, 1]), a).toArray();      // [4, 6]: Tensor<[2]>
 * ```
 */
export const matmul: MatMulOp = ((a: AnyTensor, b: AnyTensor) => matmulImpl(a, b, 'matmul')) as unknown as MatMulOp;

/**
 * The dot product: for two 1-D tensors the scalar `sum(a * b)`; otherwise the
 * same as {@link matmul} (1-D promotion, batch broadcasting), with its
 * messages after `dot: ` (`dot: matmul: inner dimensions differ: [3] x [4]`).
 *
 * @example
 * ```ts
 * import { dot, tensor } from 'typegrad';
 * dot(tensor([1, 2, 3]), tensor([4, 5, 6])).item(); // 32: Tensor<[]>
 * dot(tensor([[1, 0], [0, 2]]), tensor([3, 4])).toArray(); // [3, 8]: Tensor<[2]>
 * ```
 */
export const dot: MatMulOp = ((a: AnyTensor, b: AnyTensor) => matmulImpl(a, b, 'dot')) as unknown as MatMulOp;

/** `unknown` when `X` is 1-D, else the message that `outer` throws at run time. */
type OuterCheck<X, A, B> = { x: X } extends { x: readonly [unknown] }
  ? unknown
  : { x: X } extends { x: never }
    ? unknown
    : `outer: needs two 1-D tensors, got ${FormatShape<A>} and ${FormatShape<B>}`;
type OuterShape<A, B> = { a: A; b: B } extends { a: readonly [infer M]; b: readonly [infer N] } ? [M, N] : never;

/**
 * The outer product of two 1-D tensors: `out[i][j] = a[i] * b[j]`.
 * Throws `ShapeError` (`outer: needs two 1-D tensors, got [2,3] and [4]`).
 *
 * @example
 * ```ts
 * import { outer, tensor } from 'typegrad';
 * outer(tensor([1, 2]), tensor([3, 4, 5])).toArray(); // [[3, 4, 5], [6, 8, 10]]: Tensor<[2, 3]>
 * ```
 */
export function outer<A = [number], B = [number], DA extends DType = 'float32', DB extends DType = 'float32'>(
  a: Tensor<A, DA> & OuterCheck<A, A, B>,
  b: Tensor<B, DB> & OuterCheck<B, A, B>,
): Tensor<OuterShape<A, B>, MatMulDType<DA, DB>> {
  try {
    const ra = a as unknown as AnyTensor;
    const rb = b as unknown as AnyTensor;
    const sa = dimsOf(ra);
    const sb = dimsOf(rb);
    if (sa.length !== 1 || sb.length !== 1) {
      throw new ShapeError(`outer: needs two 1-D tensors, got ${formatShape(sa)} and ${formatShape(sb)}`);
    }
    // a b^T as a [M,1] x [1,N] product: the same dtype rule and derivatives as matmul.
    return lax.matmul(lax.reshape(ra, [sa[0]!, 1]), lax.reshape(rb, [1, sb[0]!])) as unknown as Tensor<OuterShape<A, B>, MatMulDType<DA, DB>>;
  } catch (e) {
    throw inOp('outer', e);
  }
}
