/**
 * Small tuple helpers shared by the shape rules (internal: not re-exported
 * from the package). All are tail-recursive and constrained by
 * `readonly unknown[]`, so that tuples whose dims are type parameters pass
 * through them.
 *
 * @module
 */

/**
 * `true` when `S` is a tuple of known length, `false` for an array of unknown
 * length such as `number[]`.
 *
 * @example
 * ```ts
 * type T = IsTuple<[2, 3]>;     // true
 * type F = IsTuple<number[]>;   // false
 * ```
 */
export type IsTuple<S extends readonly unknown[]> = number extends S['length'] ? false : true;

/**
 * A tuple of `1`s with the rank of `S`.
 *
 * @example
 * ```ts
 * type T = Ones<[2, 3]>; // [1, 1]
 * ```
 */
export type Ones<S extends readonly unknown[], Acc extends unknown[] = []> = S extends readonly [unknown, ...infer T]
  ? Ones<T, [...Acc, 1]>
  : Acc;

/**
 * A tuple of `number`s with the rank of `S`.
 *
 * @example
 * ```ts
 * type T = Unknowns<[2, 3]>; // [number, number]
 * ```
 */
export type Unknowns<S extends readonly unknown[], Acc extends unknown[] = []> = S extends readonly [unknown, ...infer T]
  ? Unknowns<T, [...Acc, number]>
  : Acc;

/**
 * `[S[:I], S[I:]]`, both mutable.
 *
 * @example
 * ```ts
 * type T = SplitAt<[2, 3, 4], 1>; // [[2], [3, 4]]
 * ```
 */
export type SplitAt<S extends readonly unknown[], I extends number, Head extends unknown[] = []> = Head['length'] extends I
  ? [Head, [...S]]
  : S extends readonly [infer H, ...infer T]
    ? SplitAt<T, I, [...Head, H]>
    : [Head, []];

/**
 * `S` with `X` inserted before position `I`.
 *
 * @example
 * ```ts
 * type T = InsertAt<[2, 3], 1, 1>; // [2, 1, 3]
 * ```
 */
export type InsertAt<S extends readonly unknown[], I extends number, X> =
  SplitAt<S, I> extends [infer P extends unknown[], infer Q extends unknown[]] ? [...P, X, ...Q] : never;

/**
 * `S` with the elements at position `I` replaced by the elements of `X`.
 *
 * @example
 * ```ts
 * type T = SpliceAt<[2, 3, 4], 1, [5, 6]>; // [2, 5, 6, 4]
 * ```
 */
export type SpliceAt<S extends readonly unknown[], I extends number, X extends readonly unknown[]> =
  SplitAt<S, I> extends [infer P extends unknown[], [unknown, ...infer Q]] ? [...P, ...X, ...Q] : never;

/**
 * `true` when some dim of `S` is the unknown size `number`.
 *
 * @example
 * ```ts
 * type T = HasUnknownDim<[number, 3]>; // true
 * ```
 */
export type HasUnknownDim<S extends readonly unknown[]> = S extends readonly [infer H, ...infer T]
  ? number extends H
    ? true
    : HasUnknownDim<T>
  : false;

/**
 * `N` copies of `X` as a tuple (`N` up to 999), or `X[]` when `N` is not a literal.
 *
 * @example
 * ```ts
 * type T = Repeat<[2], 3>; // [[2], [2], [2]]
 * ```
 */
export type Repeat<X, N extends number, Acc extends unknown[] = []> = number extends N
  ? X[]
  : Acc['length'] extends N
    ? Acc
    : Repeat<X, N, [...Acc, X]>;
