/**
 * Reshape and flatten: the number of elements must stay the same; one dim of
 * the target may be `-1`, meaning "whatever is left". At compile time the
 * counts use exact digit-wise arithmetic; a `number` dim makes the count
 * unknown (checked at run time), and the same named or generic dim on both
 * sides cancels. A dim that is a type parameter of the caller's function
 * (`B extends Dim`) counts like a named one: the same `B` at the same end
 * of both shapes cancels; anywhere else its size is unknown until run time.
 *
 * @module
 */
import { ShapeError, formatShape } from '../core/errors.js';
import type { DivExact, IsNat, Mul, Product } from './arith.js';
import { normalizeAxis, type NormalizeAxis } from './axes.js';
import type { Shape, SymName } from './dim.js';
import type { ShapeMismatch } from './errors.js';
import type { FormatShape } from './format.js';
import type { KnownSizes, Marked } from './param.js';
import type { HasUnknownDim, IsTuple, SplitAt } from './tuple.js';
import type { SameDim } from './unify.js';

/**
 * The number of elements of a shape: a literal when every dim is known,
 * `number` otherwise (a dim that is a type parameter is not known). (The type twin of {@link numElements}.)
 *
 * @example
 * ```ts
 * type N = NumElements<[60000, 784]>; // 47040000
 * ```
 */
export type NumElements<S extends Shape> = Product<KnownSizes<S>>;

/**
 * The shape `To` with its `-1` filled in, or a `ShapeMismatch`:
 * `reshape: 6 elements cannot become [4,2]`,
 * `reshape: only one -1 allowed in [-1,-1]`,
 * `reshape: 6 elements cannot become [4,-1]`.
 * When the count is not known (a `number` dim), nothing is checked and a
 * `-1` becomes `number`.
 *
 * @example
 * ```ts
 * type A = Reshape<[60000, 784], [-1, 28, 28]>;                 // [60000, 28, 28]
 * type B = Reshape<[Sym<'n'>, 784], [Sym<'n'>, 28, 28]>;        // [Sym<'n'>, 28, 28]
 * type C = Reshape<[number, 784], [-1, 28, 28]>;                // [number, 28, 28]
 * ```
 */
export type Reshape<S extends Shape, To extends Shape> = [S] extends [never]
  ? never
  : IsTuple<To> extends false
    ? number[]
    : StripPrefix<Marked<S>, Marked<To>> extends [infer S1, infer T1, infer P extends unknown[], infer PK extends unknown[]]
      ? StripSuffix<S1, T1> extends [infer S2, infer T2, infer Q extends unknown[], infer QK extends unknown[]]
        ? ReshapeCore<KnownSizes<S>, To, KnownSizes<To>, Scan<S2>, ScanTarget<T2>, [...PK, ...QK], P, T2, Q>
        : never
      : never;

// The rules below walk `Marked` shapes: each dim paired with whether it is a
// type parameter of the caller's function (`B extends Dim`), which
// TypeScript cannot compare with a literal or with `number` (`SameDim<B, 32>`
// stays deferred). A type parameter counts like a named dim: it is the same
// only as itself, and its size is unknown until run time.

// The same dim (same literal, Sym or type parameter) at the start or end of
// both shapes cancels; type-parameter dims can only be handled this way.
// Returns the rest of both shapes, the cancelled dims, and the cancelled dims
// with each type parameter as 1 (a size, like a named dim's, that is not 0).
type StripPrefix<S, T, P extends unknown[] = [], PK extends unknown[] = []> =
  S extends readonly [readonly [infer SH, infer SP], ...infer ST]
    ? T extends readonly [readonly [infer TH, infer TP], ...infer TT]
      ? SameAt<SP, TP, SH, TH> extends true
        ? StripPrefix<ST, TT, [...P, TH], [...PK, TP extends true ? 1 : TH]>
        : [S, T, P, PK]
      : [S, T, P, PK]
    : [S, T, P, PK];

type StripSuffix<S, T, Q extends unknown[] = [], QK extends unknown[] = []> =
  S extends readonly [...infer SR, readonly [infer SL, infer SP]]
    ? T extends readonly [...infer TR, readonly [infer TL, infer TP]]
      ? SameAt<SP, TP, SL, TL> extends true
        ? StripSuffix<SR, TR, [TL, ...Q], [TP extends true ? 1 : TL, ...QK]>
        : [S, T, Q, QK]
      : [S, T, Q, QK]
    : [S, T, Q, QK];

/** Two dims, each flagged as a type parameter or not, are the same dim. */
type SameAt<ParamA, ParamB, A, B> = [ParamA, ParamB] extends [false, false] | [true, true] ? SameDim<A, B> : false;

/** The known part of a dim list as one literal, and the rest: [product, named dims, has unknown]. */
type Scan<S, Lit = 1, Names extends unknown[] = [], Wild = false> = S extends readonly [readonly [infer H, infer P], ...infer T]
  ? P extends true
    ? Scan<T, Lit, Names, true>
    : IsNat<H> extends true
      ? Scan<T, Mul<Lit, H>, Names, Wild>
      : [SymName<H>] extends [never]
        ? Scan<T, Lit, Names, true>
        : Scan<T, Lit, [...Names, H], Wild>
  : S extends readonly []
    ? [Lit, Names, Wild]
    : [Lit, Names, true];

/** Like `Scan`, for the target: also counts `-1`s and finds invalid dims. */
type ScanTarget<S, Lit = 1, Names extends unknown[] = [], Wild = false, Neg extends unknown[] = []> =
  S extends readonly [readonly [infer H, infer P], ...infer T]
    ? P extends true
      ? ScanTarget<T, Lit, Names, true, Neg>
      : [H] extends [-1]
        ? ScanTarget<T, Lit, Names, Wild, [...Neg, H]>
        : IsNat<H> extends true
          ? ScanTarget<T, Mul<Lit, H>, Names, Wild, Neg>
          : number extends H
            ? ScanTarget<T, Lit, Names, true, Neg>
            : [SymName<H>] extends [never]
              ? { invalid: H }
              : ScanTarget<T, Lit, [...Names, H], Wild, Neg>
    : [Lit, Names, Wild, Neg['length']];

/** Removes one occurrence of each dim of `B` from `A`; `false` if some dim of `B` is not in `A`. */
type Cancel<A extends readonly unknown[], B extends readonly unknown[]> = B extends readonly [infer H, ...infer T]
  ? RemoveOne<A, H> extends infer R extends readonly unknown[]
    ? Cancel<R, T>
    : false
  : A;

type RemoveOne<A extends readonly unknown[], X, Seen extends unknown[] = []> = A extends readonly [infer H, ...infer T]
  ? SameDim<H, X> extends true
    ? [...Seen, ...T]
    : RemoveOne<T, X, [...Seen, H]>
  : false;

type Count<S extends readonly unknown[]> = Product<S> extends infer N extends number
  ? number extends N
    ? FormatShape<S>
    : `${N} elements`
  : never;

type Mismatch<S extends readonly unknown[], To> = `reshape: ${Count<S>} cannot become ${FormatShape<To>}`;

/** Equal counts, or a count too large to know exactly (`number`). */
type SameCount<A, B> = number extends A ? true : number extends B ? true : [A] extends [B] ? true : false;

/** The dims of a marked shape, with its `-1` (if any) replaced by `X`. */
type FillNeg<T, X, Acc extends unknown[] = []> = T extends readonly [readonly [infer H, infer P], ...infer R]
  ? FillNeg<R, X, [...Acc, P extends true ? H : [H] extends [-1] ? X : H]>
  : Acc;

// `SK` and `TK`: both shapes with type-parameter dims as `number`, for the
// messages (they print as `?`). `Stripped`: the cancelled dims, a type
// parameter among them as 1, so that a mismatch in the rest is still
// reported (`[B,L,128]` cannot become `[B,L,8,15]`).
type ReshapeCore<SK extends readonly unknown[], To extends Shape, TK, Src, Dst, Stripped extends unknown[], P extends unknown[], T2, Q extends unknown[]> =
  Dst extends { invalid: infer D }
    ? ShapeMismatch<`reshape: invalid dim ${D & number} in ${FormatShape<TK>}`>
    : Dst extends [infer TLit, infer TNames extends unknown[], infer TWild, infer Negs]
      ? Negs extends 0 | 1
        ? Src extends [infer SLit, infer SNames extends unknown[], infer SWild]
          ? [SWild, TWild, Cancel<SNames, TNames>] extends [false, false, []]
            ? Negs extends 0
              ? SameCount<SLit, TLit> extends true
                ? [...To]
                : HasUnknownDim<Stripped> extends true
                  ? [...To]
                  : [0] extends [Stripped[number]]
                    ? [...To] // a cancelled 0: both counts are 0
                    : ShapeMismatch<Mismatch<SK, TK>>
              : [DivExact<SLit, TLit>] extends [infer Fill]
                ? [Fill] extends [never]
                  ? HasUnknownDim<Stripped> extends true
                    ? [...P, ...FillNeg<T2, number>, ...Q]
                    : ShapeMismatch<Mismatch<SK, TK>>
                  : HasUnknownDim<Stripped> extends true
                    ? [...P, ...FillNeg<T2, number>, ...Q]
                    : [...P, ...FillNeg<T2, Fill>, ...Q]
                : never
            : [...P, ...FillNeg<T2, number>, ...Q]
          : never
        : ShapeMismatch<`reshape: only one -1 allowed in ${FormatShape<TK>}`>
      : never;

/**
 * `S` with the dims from axis `Start` on merged into one; `Flatten<S>` is
 * `[NumElements<S>]`. A scalar flattens to `[1]`.
 *
 * @example
 * ```ts
 * type A = Flatten<[2, 3, 4]>;           // [24]
 * type B = Flatten<[Sym<'b'>, 28, 28], 1>; // [Sym<'b'>, 784]
 * ```
 */
export type Flatten<S extends Shape, Start extends number = 0> = [S] extends [never]
  ? never
  : S extends readonly []
    ? Start extends 0 | -1
      ? [1]
      : NormalizeAxis<Start, 0, 'flatten'>
    : IsTuple<S> extends false
      ? number[]
      : NormalizeAxis<Start, S['length'], 'flatten'> extends infer I
        ? I extends ShapeMismatch<string>
          ? I
          : number extends I
            ? number[]
            : [SplitAt<S, I & number>[0], SplitAt<KnownSizes<S>, I & number>[1]] extends [infer P extends unknown[], infer Q extends unknown[]]
              ? [...P, Product<Q>]
              : never
        : never;

/**
 * The number of elements of a shape (1 for a scalar).
 *
 * @example
 * ```ts
 * numElements([2, 3, 4]); // 24
 * numElements([]);        // 1
 * ```
 */
export function numElements(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * True when two run-time shapes are equal dim by dim.
 *
 * @example
 * ```ts
 * sameShape([2, 3], [2, 3]); // true
 * sameShape([2, 3], [3, 2]); // false
 * ```
 */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The target shape with its `-1` filled in. Throws `ShapeError`:
 * `reshape: 6 elements cannot become [4,2]`, `reshape: only one -1 allowed in [-1,-1]`,
 * `reshape: invalid dim -2 in [-2,3]`.
 * As in the type rule, `-1` is filled after cancelling the dims equal at
 * the same place from the start or the end of both shapes, so `[0,3]` to
 * `[0,-1]` is `[0,3]` (not ambiguous).
 *
 * @example
 * ```ts
 * reshapeShape([60000, 784], [-1, 28, 28]); // [60000, 28, 28]
 * reshapeShape([2, 3], [4, -1]);            // throws "reshape: 6 elements cannot become [4,-1]"
 * ```
 */
export function reshapeShape(shape: readonly number[], to: readonly number[]): number[] {
  let fill = -1;
  to.forEach((d, i) => {
    if (d === -1) {
      if (fill >= 0) throw new ShapeError(`reshape: only one -1 allowed in ${formatShape(to)}`);
      fill = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(`reshape: invalid dim ${d} in ${formatShape(to)}`);
    }
  });
  const mismatch = () => new ShapeError(`reshape: ${numElements(shape)} elements cannot become ${formatShape(to)}`);
  if (fill < 0) {
    if (numElements(to) !== numElements(shape)) throw mismatch();
    return [...to];
  }
  // Cancel the common leading and trailing dims, then fill -1 from what is left.
  let p = 0;
  while (p < shape.length && p < to.length && shape[p] === to[p]) p++;
  let q = 0;
  while (q < shape.length - p && q < to.length - p && shape[shape.length - 1 - q] === to[to.length - 1 - q]) q++;
  const n = numElements(shape.slice(p, shape.length - q));
  const known = numElements(to.slice(p, to.length - q).filter((d) => d !== -1));
  if (known === 0 || n % known !== 0) throw mismatch();
  const out = [...to];
  out[fill] = n / known;
  return out;
}

/**
 * The shape with the dims from `startAxis` on merged into one (negative axes
 * count from the end). A scalar flattens to `[1]`.
 *
 * @example
 * ```ts
 * flattenShape([2, 3, 4]);    // [24]
 * flattenShape([2, 3, 4], 1); // [2, 12]
 * ```
 */
export function flattenShape(shape: readonly number[], startAxis = 0): number[] {
  if (shape.length === 0 && (startAxis === 0 || startAxis === -1)) return [1];
  const start = normalizeAxis('flatten', startAxis, shape.length);
  return [...shape.slice(0, start), numElements(shape.slice(start))];
}
