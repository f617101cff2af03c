/**
 * Static slicing: one spec per leading axis. `null` keeps the axis, an
 * integer `i` picks one index and drops the axis, `[start, end]` or
 * `[start, end, step]` keeps a range. Negative indices count from the end.
 * Out-of-bounds indices are an error (no Python-style clamping):
 * `slice [0, 11) is out of bounds for axis 0 with size 10 (shape [10,20])`.
 *
 * @module
 */
import { describeValue } from '../core/describe.js';
import { ShapeError, formatShape } from '../core/errors.js';
import type { Compare, DivCeil, IsNat, Signed, Sub } from './arith.js';
import type { Shape } from './dim.js';
import type { Dims, KnownSizes, Marked } from './param.js';
import type { ShapeMismatch } from './errors.js';
import type { DimToString, FormatShape } from './format.js';
import type { IsTuple } from './tuple.js';

/**
 * The spec for one axis: `null` (keep), an index (drop the axis), or a
 * range `[start, end]` / `[start, end, step]` with `step >= 1`.
 *
 * @example
 * ```ts
 * const specs: SliceSpec[] = [null, 3, [0, 10], [-4, -1], [0, 10, 3]];
 * ```
 */
export type SliceSpec = null | number | readonly [number, number] | readonly [number, number, number];

/**
 * The shape of slicing `S` with `Sp` (axes without a spec are kept), or a
 * `ShapeMismatch`. With an unknown size (`number`, a `Sym`, or a type
 * parameter of the caller's function such as `L extends Dim`) the bounds
 * are checked at run time; the length of the range is still known when
 * start and end have the same sign (`[0, 4]` gives 4, `[1, -1]` gives
 * `number`).
 *
 * @example
 * ```ts
 * type A = Slice<[10, 20], [[2, 5]]>;         // [3, 20]
 * type B = Slice<[10, 20], [3, [-4, -1]]>;    // [3]
 * type C = Slice<[10, 20], [[0, 10, 3]]>;     // [4, 20]
 * type E = Slice<[10, 20], [[0, 11]]>;        // ShapeMismatch<'slice [0, 11) is out of bounds for axis 0 with size 10 (shape [10,20])'>
 * ```
 */
export type Slice<S extends Shape, Sp extends readonly SliceSpec[], Op extends string = 'slice'> = [S] extends [never]
  ? never
  : IsTuple<S> extends false
    ? number[]
    : IsTuple<Sp> extends false
      ? number[]
      : Compare<Sp['length'], S['length']> extends 'gt'
        ? ShapeMismatch<`${Op}: ${Sp['length']} specs for ${FormatShape<S>} of rank ${S['length']}`>
        : SliceR<Marked<S>, Sp, KnownSizes<S>, Op>;

/**
 * `S` indexed by `I` along its first axis (the axis is dropped):
 * `index: index 10 is out of bounds for axis 0 with size 10 (shape [10,20])`.
 *
 * @example
 * ```ts
 * type A = Index<[10, 20], -1>; // [20]
 * ```
 */
export type Index<S extends Shape, I extends number> = Slice<S, [I], 'index'>;

// Walks `Marked<S>`: each dim `D0` with whether it is a type parameter of the
// caller's function. `D0` is kept by `null`; `D` is its size as far as it is
// known, used by the bounds checks: a type parameter is an unknown size
// (`number`), checked at run time. `S0` is the shape as messages print it.
type SliceR<S, Sp extends readonly unknown[], S0, Op extends string, K extends unknown[] = [], Acc extends unknown[] = []> =
  Sp extends readonly [infer P, ...infer PT]
    ? S extends readonly [readonly [infer D0, infer IsParam], ...infer ST]
      ? (IsParam extends true ? number : D0) extends infer D
        ? [P] extends [null]
          ? SliceR<ST, PT, S0, Op, [...K, D0], [...Acc, D0]>
          : [P] extends [number]
            ? IndexCheck<D, P, K['length'], S0, Op> extends infer E extends ShapeMismatch<string>
              ? E
              : SliceR<ST, PT, S0, Op, [...K, D0], Acc>
            : P extends readonly [infer Start, infer End, ...infer Step]
              ? RangeSize<D, Start, End, Step extends readonly [infer St] ? St : 1, K['length'], S0, Op> extends infer R
                ? R extends { d: infer N }
                  ? SliceR<ST, PT, S0, Op, [...K, D0], [...Acc, N]>
                  : R
                : never
              : number[]
        : never
      : Acc
    : [...Acc, ...Dims<S>];

type OutOfBounds<Op extends string, What extends string, K, D, S0> =
  `${Op} ${What} is out of bounds for axis ${K & number} with size ${DimToString<D>} (shape ${FormatShape<S0>})`;

/** A mismatch when index I is out of bounds for a dim of size D, else `true`. */
type IndexCheck<D, I, K, S0, Op extends string> =
  Signed<I> extends [infer Sign, infer Abs]
    ? Compare<Abs, D> extends (Sign extends '+' ? 'gt' | 'eq' : 'gt')
      ? ShapeMismatch<`${Op}: index ${I & number} is out of bounds for axis ${K & number} with size ${DimToString<D>} (shape ${FormatShape<S0>})`>
      : true
    : number extends I
      ? true
      : ShapeMismatch<`${Op}: index ${I & number} is not an integer`>;

/** `i` as an offset into a dim of size D (negative counts from the end); `never` when before the start. */
type Offset<D, Sign, Abs> = Sign extends '+' ? Abs : Sub<D, Abs>;

/** The length of the range [Start, End) with step St along a dim of size D: `{ d: N }`, or a mismatch. */
type RangeSize<D, Start, End, St, K, S0, Op extends string> =
  Signed<St> extends ['+', infer Step]
    ? Step extends 0
      ? ShapeMismatch<`${Op}: step 0 must be >= 1 (axis ${K & number})`>
      : RangeLength<D, Start, End, K, S0, Op> extends infer L
        ? L extends { d: infer N }
          ? { d: DivCeil<N, Step> }
          : L
        : never
    : number extends St
      ? RangeLength<D, Start, End, K, S0, Op> extends infer L
        ? L extends { d: unknown }
          ? { d: number }
          : L
        : never
      : ShapeMismatch<`${Op}: step ${St & number} must be >= 1 (axis ${K & number})`>;

type RangeLength<D, Start, End, K, S0, Op extends string> =
  [Signed<Start>, Signed<End>] extends [[infer SS, infer SA], [infer ES, infer EA]]
    ? IsNat<D> extends true
      ? [Offset<D, SS, SA>, Offset<D, ES, EA>] extends [infer S, infer E]
        ? [S] extends [never]
          ? ShapeMismatch<OutOfBounds<Op, `[${Start & number}, ${End & number})`, K, D, S0>>
          : [E] extends [never]
            ? ShapeMismatch<OutOfBounds<Op, `[${Start & number}, ${End & number})`, K, D, S0>>
            : Compare<E, D> | Compare<S, D> extends 'lt' | 'eq'
              ? Compare<S, E> extends 'gt'
                ? ShapeMismatch<Reversed<Start, End, K, D, S0, Op>>
                : { d: Sub<E, S> }
              : ShapeMismatch<OutOfBounds<Op, `[${Start & number}, ${End & number})`, K, D, S0>>
        : never
      : // unknown size: the length is known when both ends count from the same side
        SS extends ES
        ? (SS extends '+' ? Sub<EA, SA> : Sub<SA, EA>) extends infer N
          ? [N] extends [never]
            ? ShapeMismatch<Reversed<Start, End, K, D, S0, Op>>
            : { d: N }
          : never
        : { d: number }
    : number extends Start | End
      ? { d: number }
      : ShapeMismatch<`${Op}: range [${Start & number}, ${End & number}) is not made of integers (axis ${K & number})`>;

type Reversed<Start, End, K, D, S0, Op extends string> =
  `${Op} [${Start & number}, ${End & number}) ends before it starts on axis ${K & number} with size ${DimToString<D>} (shape ${FormatShape<S0>})`;

/**
 * How one input axis is read: output index `j` reads input index
 * `start + j * step`; `drop` marks an integer spec (size 1, axis removed).
 */
export interface SliceAxis {
  readonly start: number;
  readonly step: number;
  readonly size: number;
  readonly drop: boolean;
}

/**
 * The plan for slicing `shape` with `specs`: one {@link SliceAxis} per input
 * axis, and the result shape. Throws `ShapeError` with the same messages as
 * {@link Slice}.
 *
 * @example
 * ```ts
 * resolveSlice([10, 20], [3, [0, 20, 5]]).shape; // [4]
 * resolveSlice([10, 20], [3, [0, 20, 5]]).axes[1]; // { start: 0, step: 5, size: 4, drop: false }
 * ```
 */
export function resolveSlice(shape: readonly number[], specs: readonly SliceSpec[], op = 'slice'): { shape: number[]; axes: SliceAxis[] } {
  if (specs.length > shape.length) {
    throw new ShapeError(`${op}: ${specs.length} specs for ${formatShape(shape)} of rank ${shape.length}`);
  }
  const axes = shape.map((n, k): SliceAxis => {
    const spec = k < specs.length ? specs[k]! : null;
    if (spec === null) return { start: 0, step: 1, size: n, drop: false };
    if (typeof spec === 'number') {
      if (!Number.isInteger(spec)) throw new ShapeError(`${op}: index ${describeValue(spec)} is not an integer`);
      if (spec >= n || spec < -n) {
        throw new ShapeError(`${op}: index ${spec} is out of bounds for axis ${k} with size ${n} (shape ${formatShape(shape)})`);
      }
      return { start: spec < 0 ? spec + n : spec, step: 1, size: 1, drop: true };
    }
    if (!Array.isArray(spec) || spec.length < 2 || spec.length > 3) {
      throw new ShapeError(`${op}: spec ${k} must be an index, null or a range [start, end, step?], got ${describeValue(spec)}`);
    }
    const [start, end, step = 1] = spec;
    if (!Number.isInteger(start) || !Number.isInteger(end)) {
      throw new ShapeError(`${op}: range [${start}, ${end}) is not made of integers (axis ${k})`);
    }
    if (!Number.isInteger(step) || step < 1) throw new ShapeError(`${op}: step ${step} must be >= 1 (axis ${k})`);
    const s = start < 0 ? start + n : start;
    const e = end < 0 ? end + n : end;
    if (s < 0 || e < 0 || e > n || s > n) {
      throw new ShapeError(`${op} [${start}, ${end}) is out of bounds for axis ${k} with size ${n} (shape ${formatShape(shape)})`);
    }
    if (s > e) {
      throw new ShapeError(`${op} [${start}, ${end}) ends before it starts on axis ${k} with size ${n} (shape ${formatShape(shape)})`);
    }
    return { start: s, step, size: Math.ceil((e - s) / step), drop: false };
  });
  return { shape: axes.filter((a) => !a.drop).map((a) => a.size), axes };
}

/**
 * The shape of slicing `shape` with `specs` (see {@link Slice}).
 *
 * @example
 * ```ts
 * sliceShape([10, 20], [[2, 5]]);  // [3, 20]
 * sliceShape([10, 20], [[0, 11]]); // throws "slice [0, 11) is out of bounds for axis 0 with size 10 (shape [10,20])"
 * ```
 */
export function sliceShape(shape: readonly number[], specs: readonly SliceSpec[], op = 'slice'): number[] {
  return resolveSlice(shape, specs, op).shape;
}

/**
 * The shape of indexing the first axis of `shape` with `i` (the axis is dropped).
 *
 * @example
 * ```ts
 * indexShape([10, 20], -1); // [20]
 * ```
 */
export function indexShape(shape: readonly number[], i: number): number[] {
  return resolveSlice(shape, [i], 'index').shape;
}
