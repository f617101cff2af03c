/**
 * Splitting a tensor along an axis, into `n` equal parts or into parts of
 * given sizes (the inverse of `concat`).
 *
 * @module
 */
import { ShapeError, formatShape } from '../core/errors.js';
import type { Add, DivExact, IsNat } from './arith.js';
import { normalizeAxis, type NormalizeAxis } from './axes.js';
import type { Shape } from './dim.js';
import type { ShapeMismatch } from './errors.js';
import type { KnownSizes } from './param.js';
import type { DimToString, FormatShape } from './format.js';
import type { IsTuple, Repeat, SpliceAt } from './tuple.js';

/**
 * The shapes of the parts of `S` split along `Ax`: into `Spec` equal parts
 * when `Spec` is a number, or into parts of the sizes listed in `Spec`.
 * Errors: `split: axis of size 5 cannot be split into 2 equal parts`,
 * `split: sizes [2,2] do not add up to 5 (axis 0 of [5,3])`. An axis whose
 * size is unknown (`number`, or a type parameter of the caller's function)
 * splits into `number`-long equal parts, checked at run time.
 *
 * @example
 * ```ts
 * type A = Split<[6, 3], 2>;         // [[3, 3], [3, 3]]
 * type B = Split<[5, 3], [2, 3]>;    // [[2, 3], [3, 3]]
 * type C = Split<[2, 6], 3, -1>;     // [[2, 2], [2, 2], [2, 2]]
 * ```
 */
export type Split<S extends Shape, Spec extends number | readonly number[], Ax extends number = 0, Op extends string = 'split'> = [S] extends [never]
  ? never
  : IsTuple<S> extends false
    ? number[][]
    : NormalizeAxis<Ax, S['length'], Op> extends infer I
      ? I extends ShapeMismatch<string>
        ? I
        : number extends I
          ? number[][]
          : SplitR<S, Spec, I & number, KnownSizes<S>[I & keyof S], Op, KnownSizes<S>>
      : never;

// `D`: the size of the axis, `number` when it is a type parameter of the
// caller's function (checked at run time); `SK`: the shape as messages print it.
type SplitR<S extends readonly unknown[], Spec, I extends number, D, Op extends string, SK> = Spec extends readonly unknown[]
  ? IsTuple<Spec> extends false
    ? SpliceAt<S, I, [number]>[]
    : SizesCheck<Spec, D> extends infer E extends string
      ? ShapeMismatch<`${Op}: ${E} (axis ${I} of ${FormatShape<SK>})`>
      : PartsR<S, I, Spec>
  : number extends Spec
    ? SpliceAt<S, I, [number]>[]
    : IsNat<Spec> extends false
      ? ShapeMismatch<`${Op}: cannot split into ${Spec & number} parts`>
      : Spec extends 0
        ? ShapeMismatch<`${Op}: cannot split into 0 parts`>
        : DivExact<D, Spec> extends infer Q
          ? [Q] extends [never]
            ? ShapeMismatch<`${Op}: axis of size ${DimToString<D>} cannot be split into ${Spec & number} equal parts`>
            : Repeat<SpliceAt<S, I, [Q]>, Spec & number>
          : never;

/** A message when the sizes are invalid or do not add up to D, else `true`. */
type SizesCheck<Sizes extends readonly unknown[], D, Sum = 0, Rest extends readonly unknown[] = Sizes> = Rest extends readonly [infer H, ...infer T]
  ? number extends H
    ? SizesCheck<Sizes, D, number, T>
    : IsNat<H> extends true
      ? SizesCheck<Sizes, D, Add<Sum, H>, T>
      : `invalid size ${H & number} in ${FormatShape<Sizes>}`
  : number extends Sum
    ? true
    : number extends D
      ? true
      : [Sum] extends [D]
        ? true
        : IsNat<D> extends true
          ? `sizes ${FormatShape<Sizes>} do not add up to ${DimToString<D>}`
          : true;

type PartsR<S extends readonly unknown[], I extends number, Sizes extends readonly unknown[], Acc extends unknown[] = []> =
  Sizes extends readonly [infer H, ...infer T] ? PartsR<S, I, T, [...Acc, SpliceAt<S, I, [H]>]> : Acc;

/**
 * The sizes of the parts along the axis of size `size`: `n` equal parts
 * when `spec` is a number, else `spec` itself (which must add up to `size`).
 *
 * @example
 * ```ts
 * splitSizes(6, 3);      // [2, 2, 2]
 * splitSizes(5, [2, 3]); // [2, 3]
 * ```
 */
export function splitSizes(size: number, spec: number | readonly number[], context = '', op = 'split'): number[] {
  if (typeof spec === 'number') {
    if (!Number.isInteger(spec) || spec <= 0) throw new ShapeError(`${op}: cannot split into ${spec} parts`);
    if (size % spec !== 0) throw new ShapeError(`${op}: axis of size ${size} cannot be split into ${spec} equal parts`);
    return new Array<number>(spec).fill(size / spec);
  }
  const bad = spec.find((d) => !Number.isInteger(d) || d < 0);
  if (bad !== undefined) throw new ShapeError(`${op}: invalid size ${bad} in ${formatShape(spec)}${context}`);
  if (spec.reduce((a, b) => a + b, 0) !== size) {
    throw new ShapeError(`${op}: sizes ${formatShape(spec)} do not add up to ${size}${context}`);
  }
  return [...spec];
}

/**
 * The shapes of the parts of `shape` split along `axis` (see {@link Split}).
 * Throws `ShapeError` or `AxisError`.
 *
 * @example
 * ```ts
 * splitShapes([6, 3], 2);      // [[3, 3], [3, 3]]
 * splitShapes([5, 3], [2, 3]); // [[2, 3], [3, 3]]
 * ```
 */
export function splitShapes(shape: readonly number[], spec: number | readonly number[], axis = 0, op = 'split'): number[][] {
  const i = normalizeAxis(op, axis, shape.length);
  const sizes = splitSizes(shape[i]!, spec, ` (axis ${i} of ${formatShape(shape)})`, op);
  return sizes.map((n) => [...shape.slice(0, i), n, ...shape.slice(i + 1)]);
}
