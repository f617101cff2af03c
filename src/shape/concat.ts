/**
 * Joining tensors: `concat` along an existing axis (the other dims must
 * agree, the sizes along the axis add up), `stack` along a new axis (all
 * shapes equal).
 *
 * @module
 */
import { AxisError, ShapeError, formatShape } from '../core/errors.js';
import type { Tensor } from '../core/tensor.js';
import type { Add } from './arith.js';
import { normalizeAxis, type NormalizeAxis } from './axes.js';
import type { Shape } from './dim.js';
import type { ShapeMismatch } from './errors.js';
import type { FormatShape } from './format.js';
import type { DimText, Dims, KnownDims, Marked } from './param.js';
import type { InsertAt, IsTuple } from './tuple.js';
import type { UnifyEqualAt } from './unify.js';

/**
 * The shapes of a tuple of tensors, for `concat`/`stack` signatures.
 *
 * @example
 * ```ts
 * type S = ShapesOf<[Tensor<[2, 3]>, Tensor<[4, 3]>]>; // [[2, 3], [4, 3]]
 * ```
 */
export type ShapesOf<Ts extends readonly unknown[]> = { -readonly [K in keyof Ts]: Ts[K] extends Tensor<infer S, infer _D> ? S : never };

/**
 * The shape of the concatenation of shapes `Ss` along axis `Ax`, or a
 * `ShapeMismatch`: `concat: [2,3] and [2,4] differ at axis 1 (3 vs 4)`,
 * `concat: [2,3] and [2] differ in rank`, `concat: needs at least one tensor`.
 * The sizes along the axis add up exactly (`number` if one is not known,
 * or is a type parameter of the caller's function); the other dims unify
 * (`number` with anything; a type parameter with itself and `number`).
 *
 * @example
 * ```ts
 * type A = Concat<[[60000, 784], [10000, 784]], 0>; // [70000, 784]
 * type B = Concat<[[Sym<'b'>, 3], [Sym<'b'>, 4]], -1>; // [Sym<'b'>, 7]
 * ```
 */
export type Concat<Ss extends readonly Shape[], Ax extends number = 0, Op extends string = 'concat'> = HasNever<Ss> extends true
  ? never
  : Ss extends readonly [infer F extends readonly unknown[], ...infer Rest extends readonly unknown[]]
    ? IsTuple<F> extends false
      ? number[]
      : NormalizeAxis<Ax, F['length'], Op> extends infer I
        ? I extends ShapeMismatch<string>
          ? I
          : number extends I
            ? number[]
            : MarkAll<Ss> extends readonly [infer MF extends readonly unknown[], ...infer MRest] ? ConcatR<MRest, I, MF, MF, Op> : never
        : never
    : Ss extends readonly []
      ? ShapeMismatch<`${Op}: needs at least one tensor`>
      : number[];

/** `true` when some shape is `never` (a tensor from a failed op): the result is `never` too. */
type HasNever<Ss extends readonly unknown[]> = [Ss] extends [never]
  ? true
  : Ss extends readonly [infer H, ...infer T]
    ? [H] extends [never]
      ? true
      : HasNever<T>
    : false;

// ConcatR, JoinAt and StackR walk `Marked` shapes: each dim with whether it
// is a type parameter of the caller's function. Along the axis, sizes add
// up (`number` when one is a type parameter); elsewhere they must agree
// (`UnifyEqualAt`). Messages print a type parameter as `?`.
type ConcatR<Ss extends readonly unknown[], I, Acc extends readonly unknown[], F, Op extends string> =
  Ss extends readonly [infer G, ...infer Rest]
    ? G extends readonly unknown[]
      ? IsTuple<G> extends false
        ? number[]
        : G['length'] extends Acc['length']
          ? JoinAt<Acc, G, I> extends infer J
            ? J extends { at: infer K; a: infer DA; b: infer DB }
              ? ShapeMismatch<`${Op}: ${FormatShape<KnownDims<F>>} and ${FormatShape<KnownDims<G>>} differ at axis ${K & number} (${DA & string} vs ${DB & string})`>
              : J extends readonly unknown[]
                ? ConcatR<Rest, I, J, F, Op>
                : never
            : never
          : ShapeMismatch<`${Op}: ${FormatShape<KnownDims<F>>} and ${FormatShape<KnownDims<G>>} differ in rank`>
      : never
    : Dims<Acc>;

/** Each shape of a tuple of shapes, {@link Marked}. */
type MarkAll<Ss extends readonly Shape[]> = { [K in keyof Ss]: Marked<Ss[K]> };

/** Two marked shapes of equal rank joined along axis I: the result (marked), or where they differ. */
type JoinAt<A, B, I, K extends unknown[] = [], Acc extends unknown[] = []> =
  A extends readonly [readonly [infer DA, infer PA], ...infer AT]
    ? B extends readonly [readonly [infer DB, infer PB], ...infer BT]
      ? K['length'] extends I
        ? JoinAt<AT, BT, I, [...K, DA], [...Acc, [PA | PB] extends [false] ? [Add<DA, DB>, false] : [number, false]]>
        : UnifyEqualAt<DA, PA, DB, PB> extends { d: infer D }
          ? JoinAt<AT, BT, I, [...K, DA], [...Acc, [D, [PA | PB] extends [false] ? false : true]]>
          : { at: K['length']; a: DimText<DA, PA>; b: DimText<DB, PB> }
      : Acc
    : Acc;

/**
 * The shape of stacking shapes `Ss` (all equal) along a new axis `Ax` of
 * the result (from `-(rank+1)` to `rank`), or a `ShapeMismatch`:
 * `stack: [2,3] and [2,4] differ`, `stack: needs at least one tensor`.
 *
 * @example
 * ```ts
 * type A = Stack<[[2, 3], [2, 3], [2, 3]], 0>;  // [3, 2, 3]
 * type B = Stack<[[2, 3], [2, 3]], -1>;         // [2, 3, 2]
 * ```
 */
export type Stack<Ss extends readonly Shape[], Ax extends number = 0, Op extends string = 'stack'> = HasNever<Ss> extends true
  ? never
  : Ss extends readonly [infer F extends readonly unknown[], ...infer Rest extends readonly unknown[]]
    ? IsTuple<F> extends false
      ? number[]
      : (MarkAll<Ss> extends readonly [infer MF extends readonly unknown[], ...infer MRest] ? StackR<MRest, MF, MF, Op> : never) extends infer S
        ? S extends readonly unknown[]
          ? NormalizeAxis<Ax, Add<S['length'], 1>, Op> extends infer I
            ? I extends ShapeMismatch<string>
              ? ShapeMismatch<`${Op}: axis ${Ax} is out of range for rank ${S['length']} (a new axis goes at -${Add<S['length'], 1>}..${S['length']})`>
              : number extends I
                ? number[]
                : InsertAt<S, I & number, Ss['length']>
            : never
          : S
        : never
    : Ss extends readonly []
      ? ShapeMismatch<`${Op}: needs at least one tensor`>
      : number[];

type StackR<Ss extends readonly unknown[], Acc extends readonly unknown[], F, Op extends string> = Ss extends readonly [infer G, ...infer Rest]
  ? G extends readonly unknown[]
    ? IsTuple<G> extends false
      ? number[]
      : G['length'] extends Acc['length']
        ? JoinAt<Acc, G, -1> extends infer J
          ? J extends readonly unknown[]
            ? StackR<Rest, J, F, Op>
            : ShapeMismatch<`${Op}: ${FormatShape<KnownDims<F>>} and ${FormatShape<KnownDims<G>>} differ`>
          : never
        : ShapeMismatch<`${Op}: ${FormatShape<KnownDims<F>>} and ${FormatShape<KnownDims<G>>} differ`>
    : never
  : Dims<Acc>;

/**
 * The shape of concatenating `shapes` along `axis`. Throws `ShapeError`
 * (`concat: [2,3] and [2,4] differ at axis 1 (3 vs 4)`, `concat: [2,3] and
 * [2] differ in rank`, `concat: needs at least one tensor`) or `AxisError`.
 *
 * @example
 * ```ts
 * concatShapes([[60000, 784], [10000, 784]], 0); // [70000, 784]
 * ```
 */
export function concatShapes(shapes: readonly (readonly number[])[], axis = 0, op = 'concat'): number[] {
  const first = shapes[0];
  if (first === undefined) throw new ShapeError(`${op}: needs at least one tensor`);
  const ax = normalizeAxis(op, axis, first.length);
  const out = [...first];
  for (const s of shapes.slice(1)) {
    if (s.length !== first.length) throw new ShapeError(`${op}: ${formatShape(first)} and ${formatShape(s)} differ in rank`);
    s.forEach((d, i) => {
      if (i === ax) out[i] = out[i]! + d;
      else if (d !== first[i]) {
        throw new ShapeError(`${op}: ${formatShape(first)} and ${formatShape(s)} differ at axis ${i} (${first[i]} vs ${d})`);
      }
    });
  }
  return out;
}

/**
 * The shape of stacking `shapes` (all equal) along a new axis `axis` of the
 * result. Throws `ShapeError` (`stack: [2,3] and [2,4] differ`) or `AxisError`.
 *
 * @example
 * ```ts
 * stackShapes([[2, 3], [2, 3]], -1); // [2, 3, 2]
 * ```
 */
export function stackShapes(shapes: readonly (readonly number[])[], axis = 0, op = 'stack'): number[] {
  const first = shapes[0];
  if (first === undefined) throw new ShapeError(`${op}: needs at least one tensor`);
  for (const s of shapes.slice(1)) {
    if (s.length !== first.length || s.some((d, i) => d !== first[i])) {
      throw new ShapeError(`${op}: ${formatShape(first)} and ${formatShape(s)} differ`);
    }
  }
  const r = first.length;
  if (!Number.isInteger(axis) || axis < -(r + 1) || axis > r) {
    throw new AxisError(`${op}: axis ${axis} is out of range for rank ${r} (a new axis goes at -${r + 1}..${r})`);
  }
  const i = axis < 0 ? axis + r + 1 : axis;
  return [...first.slice(0, i), shapes.length, ...first.slice(i)];
}
