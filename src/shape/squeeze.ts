/**
 * Adding and removing axes of size 1: `expandDims` inserts one, `squeeze`
 * removes one (or, without an axis, every dim known to be 1).
 *
 * @module
 */
import { AxisError, ShapeError, formatShape } from '../core/errors.js';
import type { Add } from './arith.js';
import { normalizeAxis, type NormalizeAxis } from './axes.js';
import type { Shape, SymName } from './dim.js';
import type { ShapeMismatch } from './errors.js';
import type { KnownSizes, Marked } from './param.js';
import type { DimToString, FormatShape } from './format.js';
import type { InsertAt, IsTuple, SplitAt } from './tuple.js';

/**
 * `S` with a new axis of size 1 at position `Ax` of the result, which may be
 * from `-(rank+1)` to `rank`:
 * `expandDims: axis 3 is out of range for rank 2 (a new axis goes at -3..2)`.
 *
 * @example
 * ```ts
 * type A = ExpandDims<[2, 3], 0>;  // [1, 2, 3]
 * type B = ExpandDims<[2, 3], -1>; // [2, 3, 1]
 * ```
 */
export type ExpandDims<S extends Shape, Ax extends number, Op extends string = 'expandDims'> = [S] extends [never]
  ? never
  : IsTuple<S> extends false
    ? number[]
    : NormalizeAxis<Ax, Add<S['length'], 1>, Op> extends infer I
      ? I extends ShapeMismatch<string>
        ? ShapeMismatch<`${Op}: axis ${Ax} is out of range for rank ${S['length']} (a new axis goes at -${Add<S['length'], 1>}..${S['length']})`>
        : number extends I
          ? number[]
          : InsertAt<S, I & number, 1>
      : never;

/**
 * `S` without the axis `Ax` (which must have size 1), or without every dim
 * that is the literal `1` when no axis is given. A dim that is `number` can
 * be squeezed by axis (checked at run time); a named dim cannot, and with no
 * axis any unknown or named dim is an error, since the rank of the result
 * would not be known:
 * `squeeze: cannot squeeze axis 1 of size 3 in [2,3]`,
 * `squeeze: dim 0 of [batch,1] might be 1; give the axis to squeeze`.
 *
 * @example
 * ```ts
 * type A = Squeeze<[2, 1, 3, 1]>;       // [2, 3]
 * type B = Squeeze<[number, 3], 0>;     // [3]
 * type C = Squeeze<[Sym<'b'>, 1], 1>;   // [Sym<'b'>]
 * ```
 */
export type Squeeze<S extends Shape, Ax extends number | undefined = undefined, Op extends string = 'squeeze'> = [S] extends [never]
  ? never
  : IsTuple<S> extends false
    ? number[]
    : [Ax] extends [undefined]
      ? SqueezeAll<Marked<S>, KnownSizes<S>, Op>
      : NormalizeAxis<Ax, S['length'], Op> extends infer I
        ? I extends ShapeMismatch<string>
          ? I
          : number extends I
            ? number[]
            : [SplitAt<S, I & number>, KnownSizes<S>[I & keyof S]] extends [[infer P extends unknown[], [unknown, ...infer Q]], infer D]
              ? [D] extends [1]
                ? [...P, ...Q]
                : number extends D
                  ? [...P, ...Q]
                  : ShapeMismatch<`${Op}: cannot squeeze axis ${I & number} of size ${DimToString<D>} in ${FormatShape<KnownSizes<S>>}`>
              : never
        : never;

// Walks `Marked<S>`: a dim that is a type parameter of the caller's function
// might be 1, like `number` or a `Sym`. `S0`: the shape as messages print it.
type SqueezeAll<S, S0, Op extends string, I extends unknown[] = [], Acc extends unknown[] = []> =
  S extends readonly [readonly [infer H, infer IsParam], ...infer T]
    ? IsParam extends true
      ? ShapeMismatch<`${Op}: dim ${I['length']} of ${FormatShape<S0>} might be 1; give the axis to squeeze`>
      : [H] extends [1]
        ? SqueezeAll<T, S0, Op, [...I, H], Acc>
        : number extends H
          ? ShapeMismatch<`${Op}: dim ${I['length']} of ${FormatShape<S0>} might be 1; give the axis to squeeze`>
          : [SymName<H>] extends [never]
            ? SqueezeAll<T, S0, Op, [...I, H], [...Acc, H]>
            : ShapeMismatch<`${Op}: dim ${I['length']} of ${FormatShape<S0>} might be 1; give the axis to squeeze`>
    : Acc;

/**
 * `shape` with a new axis of size 1 at position `axis` of the result
 * (`-(rank+1)` to `rank`). Throws `AxisError`.
 *
 * @example
 * ```ts
 * expandDimsShape([2, 3], -1); // [2, 3, 1]
 * ```
 */
export function expandDimsShape(shape: readonly number[], axis: number, op = 'expandDims'): number[] {
  const r = shape.length;
  if (!Number.isInteger(axis) || axis < -(r + 1) || axis > r) {
    throw new AxisError(`${op}: axis ${axis} is out of range for rank ${r} (a new axis goes at -${r + 1}..${r})`);
  }
  const i = axis < 0 ? axis + r + 1 : axis;
  return [...shape.slice(0, i), 1, ...shape.slice(i)];
}

/**
 * `shape` without axis `axis` (which must have size 1), or without every
 * dim of size 1 when `axis` is undefined. Throws `ShapeError`
 * `squeeze: cannot squeeze axis 1 of size 3 in [2,3]`, or `AxisError`.
 *
 * @example
 * ```ts
 * squeezeShape([2, 1, 3]);    // [2, 3]
 * squeezeShape([2, 1, 1], 1); // [2, 1]
 * ```
 */
export function squeezeShape(shape: readonly number[], axis?: number, op = 'squeeze'): number[] {
  if (axis === undefined) return shape.filter((d) => d !== 1);
  const i = normalizeAxis(op, axis, shape.length);
  if (shape[i] !== 1) throw new ShapeError(`${op}: cannot squeeze axis ${i} of size ${shape[i]} in ${formatShape(shape)}`);
  return [...shape.slice(0, i), ...shape.slice(i + 1)];
}
