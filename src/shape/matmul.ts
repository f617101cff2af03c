/**
 * Matrix product with NumPy semantics: the last dim of `a` meets the
 * second-to-last of `b`; a 1-D operand is promoted (`[K]` as `[1,K]` on the
 * left, `[K,1]` on the right) and the promoted dim is dropped again; the
 * leading (batch) dims broadcast.
 *
 * @module
 */
import { ShapeError, formatShape } from '../core/errors.js';
import { broadcastShapes, type BroadcastR } from './broadcast.js';
import type { Shape } from './dim.js';
import type { ShapeMismatch } from './errors.js';
import type { FormatShape } from './format.js';
import type { KnownSizes, Marked } from './param.js';
import type { UnifyEqualAt } from './unify.js';

/**
 * The shape of `matmul(a, b)`, or a `ShapeMismatch`:
 * `matmul: inner dimensions differ: [2,3] x [4,5]`,
 * `matmul: batch dimensions differ: [7,2,3] x [5,3,4]`,
 * `matmul: needs rank >= 1, got [] x [3]`. An inner dim that is a type
 * parameter of the caller's function matches itself and `number`.
 *
 * @example
 * ```ts
 * type A = MatMul<[60000, 784], [784, 128]>;   // [60000, 128]
 * type B = MatMul<[7, 1, 2, 3], [5, 3, 4]>;    // [7, 5, 2, 4]
 * type C = MatMul<[3], [3, 4]>;                // [4]
 * type D = MatMul<[3], [3]>;                   // []
 * ```
 */
export type MatMul<A extends Shape, B extends Shape> = [A] extends [never]
  ? never
  : [B] extends [never]
    ? never
    : MatMulR<A, B, InnerFlag<Marked<A>, 'a'>, InnerFlag<Marked<B>, 'b'>, KnownSizes<A>, KnownSizes<B>>;

/**
 * Whether the inner dim (the last of `a`; the second-to-last of `b`, or its
 * only one) is a type parameter of the caller's function. Such a dim
 * unifies with itself and with `number` ({@link UnifyEqualAt}).
 */
type InnerFlag<M, Side> = Side extends 'a'
  ? M extends readonly [...unknown[], readonly [unknown, infer P]]
    ? P
    : false
  : M extends readonly [readonly [unknown, infer P]]
    ? P
    : M extends readonly [...unknown[], readonly [unknown, infer P], unknown]
      ? P
      : false;

// `AK`, `BK`: both shapes as messages print them (a type parameter as `?`).
type Inner<AK, BK> = `matmul: inner dimensions differ: ${FormatShape<AK>} x ${FormatShape<BK>}`;

type MatMulR<A extends readonly unknown[], B extends readonly unknown[], KP, K2P, AK, BK> =
  A extends readonly []
    ? ShapeMismatch<`matmul: needs rank >= 1, got ${FormatShape<AK>} x ${FormatShape<BK>}`>
    : B extends readonly []
      ? ShapeMismatch<`matmul: needs rank >= 1, got ${FormatShape<AK>} x ${FormatShape<BK>}`>
      : A extends readonly [infer K]
        ? B extends readonly [infer K2]
          ? UnifyEqualAt<K, KP, K2, K2P> extends false
            ? ShapeMismatch<Inner<AK, BK>>
            : []
          : B extends readonly [...infer BP, infer K2, infer N]
            ? UnifyEqualAt<K, KP, K2, K2P> extends false
              ? ShapeMismatch<Inner<AK, BK>>
              : [...BP, N]
            : number[]
        : A extends readonly [...infer AP, infer M, infer K]
          ? B extends readonly [infer K2]
            ? UnifyEqualAt<K, KP, K2, K2P> extends false
              ? ShapeMismatch<Inner<AK, BK>>
              : [...AP, M]
            : B extends readonly [...infer BP, infer K2, infer N]
              ? UnifyEqualAt<K, KP, K2, K2P> extends false
                ? ShapeMismatch<Inner<AK, BK>>
                : BroadcastR<AP, BP, 'matmul', AP, BP> extends infer P
                  ? P extends readonly unknown[]
                    ? [...P, M, N]
                    : ShapeMismatch<`matmul: batch dimensions differ: ${FormatShape<AK>} x ${FormatShape<BK>}`>
                  : never
              : number[]
          : number[];

/**
 * The shape of `matmul(a, b)` (NumPy rules, see {@link MatMul}). Throws
 * `ShapeError` `matmul: inner dimensions differ: [2,3] x [4,5]`.
 *
 * @example
 * ```ts
 * matmulShape([2, 3], [3, 5]);       // [2, 5]
 * matmulShape([7, 1, 2, 3], [5, 3, 4]); // [7, 5, 2, 4]
 * matmulShape([3], [3]);             // []
 * ```
 */
export function matmulShape(a: readonly number[], b: readonly number[]): number[] {
  if (a.length === 0 || b.length === 0) {
    throw new ShapeError(`matmul: needs rank >= 1, got ${formatShape(a)} x ${formatShape(b)}`);
  }
  const a2 = a.length === 1 ? [1, a[0]!] : a;
  const b2 = b.length === 1 ? [b[0]!, 1] : b;
  if (a2[a2.length - 1] !== b2[b2.length - 2]) {
    throw new ShapeError(`matmul: inner dimensions differ: ${formatShape(a)} x ${formatShape(b)}`);
  }
  let batch: number[];
  try {
    batch = broadcastShapes('matmul', a2.slice(0, -2), b2.slice(0, -2));
  } catch {
    throw new ShapeError(`matmul: batch dimensions differ: ${formatShape(a)} x ${formatShape(b)}`);
  }
  const out = [...batch];
  if (a.length > 1) out.push(a2[a2.length - 2]!);
  if (b.length > 1) out.push(b2[b2.length - 1]!);
  return out;
}
