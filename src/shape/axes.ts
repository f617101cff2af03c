/**
 * Axis arguments: negative axes count from the end (`-1` is the last axis),
 * out-of-range axes are an `AxisError` at run time and a `ShapeMismatch` at
 * compile time, with the same text:
 * `sum: axis 2 is out of range for rank 2`.
 *
 * @module
 */
import { AxisError } from '../core/errors.js';
import type { Compare, Signed, Sub } from './arith.js';
import type { ShapeMismatch } from './errors.js';

/**
 * The non-negative index of axis `Ax` in a shape of rank `Rank`, or a
 * `ShapeMismatch`. An axis of type `number` gives `number`; so does a
 * negative axis when the rank is not known.
 *
 * @example
 * ```ts
 * type A = NormalizeAxis<-1, 3>;        // 2
 * type E = NormalizeAxis<2, 2, 'sum'>;  // ShapeMismatch<'sum: axis 2 is out of range for rank 2'>
 * ```
 */
export type NormalizeAxis<Ax, Rank extends number, Op extends string = 'axis'> = number extends Ax
  ? number
  : Signed<Ax> extends [infer Sign, infer Abs extends number]
    ? number extends Rank
      ? Sign extends '+'
        ? Abs
        : number
      : Sign extends '+'
        ? Compare<Abs, Rank> extends 'lt'
          ? Abs
          : ShapeMismatch<OutOfRange<Ax, Rank, Op>>
        : [Sub<Rank, Abs>] extends [infer I extends number]
          ? [I] extends [never]
            ? ShapeMismatch<OutOfRange<Ax, Rank, Op>>
            : I
          : never
    : ShapeMismatch<`${Op}: axis ${Ax & number} is not an integer`>;

type OutOfRange<Ax, Rank extends number, Op extends string> = `${Op}: axis ${Ax & number} is out of range for rank ${Rank}`;

/**
 * Normalizes a tuple of axes: each as {@link NormalizeAxis}, and no axis
 * twice (`sum: axis 0 repeated`). Gives the tuple of indices, or a
 * `ShapeMismatch`.
 *
 * @example
 * ```ts
 * type A = NormalizeAxes<[0, -1], 3>;      // [0, 2]
 * type E = NormalizeAxes<[0, -2], 2, 'sum'>; // ShapeMismatch<'sum: axis 0 repeated'>
 * ```
 */
export type NormalizeAxes<Axes extends readonly unknown[], Rank extends number, Op extends string = 'axis', Seen = never, Acc extends unknown[] = []> =
  Axes extends readonly [infer Ax, ...infer Rest]
    ? NormalizeAxis<Ax, Rank, Op> extends infer I
      ? I extends ShapeMismatch<string>
        ? I
        : number extends I
          ? NormalizeAxes<Rest, Rank, Op, Seen, [...Acc, I]>
          : [I] extends [Seen]
            ? ShapeMismatch<`${Op}: axis ${I & number} repeated`>
            : NormalizeAxes<Rest, Rank, Op, Seen | I, [...Acc, I]>
      : never
    : Axes extends readonly []
      ? Acc
      : number[];

/**
 * The non-negative index of `axis` for a shape of rank `rank`.
 * Throws `AxisError` (`${op}: axis 2 is out of range for rank 2`).
 *
 * @example
 * ```ts
 * normalizeAxis('sum', -1, 3); // 2
 * normalizeAxis('sum', 2, 2);  // throws AxisError "sum: axis 2 is out of range for rank 2"
 * ```
 */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (!Number.isInteger(axis)) throw new AxisError(`${op}: axis ${axis} is not an integer`);
  if (axis < -rank || axis >= rank) throw new AxisError(`${op}: axis ${axis} is out of range for rank ${rank}`);
  return axis < 0 ? axis + rank : axis;
}

/**
 * Normalizes several axes; an axis given twice (after normalizing) throws
 * `AxisError` (`${op}: axis 0 repeated`).
 *
 * @example
 * ```ts
 * normalizeAxes('sum', [0, -1], 3); // [0, 2]
 * normalizeAxes('sum', [0, -2], 2); // throws AxisError "sum: axis 0 repeated"
 * ```
 */
export function normalizeAxes(op: string, axes: readonly number[], rank: number): number[] {
  const out: number[] = [];
  for (const axis of axes) {
    const i = normalizeAxis(op, axis, rank);
    if (out.includes(i)) throw new AxisError(`${op}: axis ${i} repeated`);
    out.push(i);
  }
  return out;
}
