/**
 * Indexing with index tensors: `take` (gather along one axis) and `oneHot`.
 *
 * @module
 */
import { ShapeError, formatShape } from '../core/errors.js';
import { normalizeAxis, type NormalizeAxis } from './axes.js';
import type { Shape } from './dim.js';
import type { ShapeMismatch } from './errors.js';
import type { IsTuple, SpliceAt } from './tuple.js';

/**
 * The shape of `take(x, indices, axis)`: the axis of `S` is replaced by
 * the whole index shape `I`, `[...S[:axis], ...I, ...S[axis+1:]]`.
 *
 * @example
 * ```ts
 * type A = Take<[10, 20], [5], 0>;      // [5, 20]
 * type B = Take<[10, 20], [2, 3], -1>;  // [10, 2, 3]
 * ```
 */
export type Take<S extends Shape, I extends Shape, Ax extends number = 0, Op extends string = 'take'> = [S] extends [never]
  ? never
  : [I] extends [never]
    ? never
    : IsTuple<S> extends false
      ? number[]
      : IsTuple<I> extends false
        ? number[]
        : NormalizeAxis<Ax, S['length'], Op> extends infer K
          ? K extends ShapeMismatch<string>
            ? K
            : number extends K
              ? number[]
              : SpliceAt<S, K & number, I>
          : never;

/**
 * The shape of `oneHot(indices, N)`: `[...S, N]`.
 *
 * @example
 * ```ts
 * type A = OneHot<[Sym<'b'>], 10>; // [Sym<'b'>, 10]
 * ```
 */
export type OneHot<S extends Shape, N extends number> = [S] extends [never] ? never : [...S, N];

/**
 * The shape of `take(x, indices, axis)` (see {@link Take}). Throws `AxisError`.
 *
 * @example
 * ```ts
 * takeShape([10, 20], [2, 3], -1); // [10, 2, 3]
 * ```
 */
export function takeShape(shape: readonly number[], indexShape: readonly number[], axis = 0, op = 'take'): number[] {
  const k = normalizeAxis(op, axis, shape.length);
  return [...shape.slice(0, k), ...indexShape, ...shape.slice(k + 1)];
}

/**
 * The shape of `oneHot(indices, depth)`. Throws `ShapeError` when the
 * depth is not a positive integer.
 *
 * @example
 * ```ts
 * oneHotShape([32], 10); // [32, 10]
 * ```
 */
export function oneHotShape(shape: readonly number[], depth: number, op = 'oneHot'): number[] {
  if (!Number.isInteger(depth) || depth < 1) {
    throw new ShapeError(`${op}: depth must be a positive integer, got ${depth} (indices of shape ${formatShape(shape)})`);
  }
  return [...shape, depth];
}
