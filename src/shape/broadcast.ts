/**
 * NumPy broadcasting: shapes are aligned on the right, and a dim of `1`
 * stretches to match the other. `broadcastShapes` is the run-time rule,
 * `Broadcast` the compile-time one; both fail with
 * `add: cannot broadcast [2,3] with [4]: dim 3 vs 4`.
 *
 * @module
 */
import { ShapeError, formatShape } from '../core/errors.js';
import type { Shape } from './dim.js';
import type { ShapeMismatch } from './errors.js';
import type { DimToString, FormatShape } from './format.js';
import type { DimText, Dims, KnownSizes, Marked } from './param.js';
import type { UnifyBroadcast, UnifyBroadcastAt, UnifyEqualAt } from './unify.js';

/**
 * The broadcast shape of `A` and `B`, or a `ShapeMismatch` whose message
 * starts with `Op`. `number` dims unify with anything, `Sym<'b'>` with
 * itself, `1` and `number`, and so does a dim that is a type parameter of
 * the caller's function (`B extends Dim`); a shape of unknown rank gives
 * `number[]`.
 *
 * @example
 * ```ts
 * type A = Broadcast<[455, 30], [30]>;             // [455, 30]
 * type B = Broadcast<[Sym<'b'>, 1], [1, 10]>;      // [Sym<'b'>, 10]
 * type E = Broadcast<[2, 3], [4], 'add'>;          // ShapeMismatch<'add: cannot broadcast [2,3] with [4]: dim 3 vs 4'>
 * ```
 */
export type Broadcast<A extends Shape, B extends Shape, Op extends string = 'broadcast'> =
  // `Op extends string` is always true; it keeps the rule unevaluated until
  // the op is known, so that an alias written over shapes that are still
  // type parameters is not fixed to a result computed with the shapes unknown.
  Op extends string
    ? { a: A } extends { a: never }
      ? never
      : { b: B } extends { b: never }
        ? never
        : BroadcastM<Marked<A>, Marked<B>, Op, A, B>
    : never;

// Like `BroadcastR`, on `Marked` shapes: each dim with whether it is a type
// parameter of the caller's function, so that `1` or `number` against one
// resolves (`[B, 1, 16]` with `[1, B, 16]` is `[B, B, 16]`), and messages
// print it as `?`.
type BroadcastM<A, B, Op extends string, A0 extends Shape, B0 extends Shape, Acc extends unknown[] = []> =
  { a: A } extends { a: readonly [...infer AR, readonly [infer AL, infer AP]] }
    ? { b: B } extends { b: readonly [...infer BR, readonly [infer BL, infer BP]] }
      ? UnifyBroadcastAt<AL, AP, BL, BP> extends { d: infer D }
        ? BroadcastM<AR, BR, Op, A0, B0, [D, ...Acc]>
        : ShapeMismatch<`${Op}: cannot broadcast ${FormatShape<KnownSizes<A0>>} with ${FormatShape<KnownSizes<B0>>}: dim ${DimText<AL, AP>} vs ${DimText<BL, BP>}`>
      : { b: B } extends { b: readonly [] }
        ? Rest<A, A0, Acc>
        : number[]
    : { a: A } extends { a: readonly [] }
      ? Rest<B, B0, Acc>
      : // Neither ends in a known dim: the same rest on both sides (`[...P]`) is taken whole.
        { a: A; b: B } extends { a: B; b: A }
        ? Rest<A, A0, Acc>
        : number[];

/** The rest `M` of the marked shape `S0` followed by `Acc`: `S0` itself when nothing was walked (`S0` may be a type parameter). */
type Rest<M, S0 extends Shape, Acc extends unknown[]> = Acc extends [] ? [...S0] : [...Dims<M>, ...Acc];

/**
 * @internal Broadcast on any tuples (type-parameter dims and variadic
 * `[...P, N]` shapes included), walking from the right. Every test goes
 * through an object wrapper, so that it resolves inside a user's generic
 * function; identical rests (`[...P]` with `[...P]`) are taken whole.
 */
export type BroadcastR<A extends readonly unknown[], B extends readonly unknown[], Op extends string, A0, B0, Acc extends unknown[] = []> =
  { a: A } extends { a: readonly [...infer AR, infer AL] }
    ? { b: B } extends { b: readonly [...infer BR, infer BL] }
      ? UnifyBroadcast<AL, BL> extends { d: infer D }
        ? BroadcastR<AR, BR, Op, A0, B0, [D, ...Acc]>
        : ShapeMismatch<`${Op}: cannot broadcast ${FormatShape<A0>} with ${FormatShape<B0>}: dim ${DimToString<AL>} vs ${DimToString<BL>}`>
      : { b: B } extends { b: readonly [] }
        ? [...A, ...Acc]
        : number[]
    : { a: A } extends { a: readonly [] }
      ? [...B, ...Acc]
      : // Neither ends in a known dim: the same rest on both sides (`[...P]`) is taken whole.
        { a: A; b: B } extends { a: B; b: A }
        ? [...A, ...Acc]
        : number[];

/**
 * The shape of `S` broadcast to the target shape `T` (for `broadcastTo`):
 * each dim of `S`, aligned on the right, is `1` or equal to the target's.
 *
 * @example
 * ```ts
 * type A = BroadcastTo<[3], [2, 3]>;    // [2, 3]
 * type E = BroadcastTo<[2, 3], [4, 3]>; // ShapeMismatch<'broadcastTo: cannot broadcast [2,3] to [4,3]'>
 * ```
 */
export type BroadcastTo<S extends Shape, T extends Shape, Op extends string = 'broadcastTo'> = [S] extends [never]
  ? never
  : BroadcastToR<Marked<S>, Marked<T>, Op, KnownSizes<S>, KnownSizes<T>, T>;

// Walks `Marked` shapes, like `BroadcastM`: a type parameter of the caller's
// function in `S` must meet itself or `number` in `T`.
type BroadcastToR<S, T, Op extends string, SK, TK, T0 extends Shape, Acc extends unknown[] = []> =
  S extends readonly [...infer SR, readonly [infer SL, infer SP]]
    ? T extends readonly [...infer TR, readonly [infer TL, infer TP]]
      ? { p: SP; d: SL } extends { p: false; d: 1 }
        ? BroadcastToR<SR, TR, Op, SK, TK, T0, [TL, ...Acc]>
        : UnifyEqualAt<SL, SP, TL, TP> extends { d: infer D }
          ? BroadcastToR<SR, TR, Op, SK, TK, T0, [D, ...Acc]>
          : ShapeMismatch<`${Op}: cannot broadcast ${FormatShape<SK>} to ${FormatShape<TK>}`>
      : T extends readonly []
        ? ShapeMismatch<`${Op}: cannot broadcast ${FormatShape<SK>} to ${FormatShape<TK>}`>
        : number[]
    : S extends readonly []
      ? Rest<T, T0, Acc>
      : number extends T0['length']
        ? number[]
        : [...T0];

/**
 * The broadcast shape of `a` and `b` (NumPy rules). Throws `ShapeError`
 * `${op}: cannot broadcast [2,3] with [4]: dim 3 vs 4`.
 *
 * @example
 * ```ts
 * broadcastShapes('add', [455, 30], [30]); // [455, 30]
 * broadcastShapes('add', [2, 3], [4]);     // throws "add: cannot broadcast [2,3] with [4]: dim 3 vs 4"
 * ```
 */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 1; i <= rank; i++) {
    const da = i <= a.length ? a[a.length - i]! : 1;
    const db = i <= b.length ? b[b.length - i]! : 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(`${op}: cannot broadcast ${formatShape(a)} with ${formatShape(b)}: dim ${da} vs ${db}`);
    }
    out[rank - i] = da === 1 ? db : da;
  }
  return out;
}

/**
 * The shape of `from` broadcast to `to`, which is `to` itself. Throws
 * `ShapeError` `broadcastTo: cannot broadcast [2,3] to [4,3]` when a dim of
 * `from` (aligned on the right) is neither `1` nor the target's.
 *
 * @example
 * ```ts
 * broadcastToShape([3], [2, 3]);    // [2, 3]
 * broadcastToShape([2, 3], [4, 3]); // throws
 * ```
 */
export function broadcastToShape(from: readonly number[], to: readonly number[], op = 'broadcastTo'): number[] {
  const ok = from.length <= to.length && from.every((d, i) => d === 1 || d === to[to.length - from.length + i]);
  if (!ok) throw new ShapeError(`${op}: cannot broadcast ${formatShape(from)} to ${formatShape(to)}`);
  return [...to];
}
