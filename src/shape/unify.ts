/**
 * Comparing two dims at the type level. Each check returns `{ d: D }` (the
 * dim that results) or `false`, never `never`, and tests identity through an
 * object wrapper, so that a dim that is a type parameter (`B extends Dim`
 * inside a user's generic function) still unifies with itself.
 *
 * @module
 */

/**
 * `true` when two dims are the same type: equal literals, the same `Sym`,
 * `number` and `number`, or the same type parameter. (Mutual assignability,
 * tested through an object so that a type parameter resolves against itself.)
 *
 * @example
 * ```ts
 * type T = SameDim<Sym<'b'>, Sym<'b'>>; // true
 * type F = SameDim<3, number>;          // false
 * ```
 */
export type SameDim<A, B> = { a: A; b: B } extends { a: B; b: A } ? true : false;

/**
 * Two dims that must be equal (matmul's inner dims, concat's other axes,
 * stack): `{ d: D }` with the more precise of the two, or `false`. `number`
 * unifies with anything.
 *
 * @example
 * ```ts
 * type A = UnifyEqual<number, 3>; // { d: 3 }
 * type B = UnifyEqual<3, 4>;      // false
 * ```
 */
export type UnifyEqual<A, B> =
  SameDim<A, B> extends true ? { d: A } : number extends A ? { d: B } : number extends B ? { d: A } : false;

/**
 * Two dims under NumPy broadcasting: equal, or one of them is `1`. `number`
 * unifies with anything (giving the other dim); `Sym<'b'>` with itself, `1`
 * and `number`.
 *
 * @example
 * ```ts
 * type A = UnifyBroadcast<1, Sym<'b'>>;        // { d: Sym<'b'> }
 * type B = UnifyBroadcast<Sym<'b'>, 64>;       // false
 * ```
 */
export type UnifyBroadcast<A, B> =
  // One check for "the same dim, or B is 1": it also resolves when A is a
  // type parameter and B is the literal 1 (`[B, 10]` with `[1, 10]`).
  { a: A; b: B } extends { a: B; b: A } | { b: 1 }
    ? { d: A }
    : [A] extends [1]
        ? { d: B }
        : number extends A
          ? { d: B }
          : number extends B
            ? { d: A }
            : false;

/**
 * {@link UnifyBroadcast} for two dims, each flagged as a type parameter of
 * the caller's function (`B extends Dim`) or not, which `UnifyBroadcast`
 * cannot decide (TypeScript keeps a test on `B` deferred). A type parameter
 * is like a named dim: it broadcasts with itself, `1` and `number` (giving
 * the type parameter), not with another literal or a `Sym`.
 *
 * @example
 * ```ts
 * type A = UnifyBroadcastAt<1, false, 5, false>; // { d: 5 }
 * ```
 */
export type UnifyBroadcastAt<A, AParam, B, BParam> = [AParam, BParam] extends [false, true]
  ? [A] extends [1]
    ? { d: B }
    : number extends A
      ? { d: B }
      : false
  : [AParam, BParam] extends [true, false]
    ? [B] extends [1]
      ? { d: A }
      : number extends B
        ? { d: A }
        : false
    : UnifyBroadcast<A, B>;

/**
 * {@link UnifyEqual} for two dims, each flagged as a type parameter of the
 * caller's function or not. A type parameter is like a named dim: it
 * unifies with itself and with `number` (giving the type parameter), not
 * with a literal or a `Sym`. (Two different type parameters stay
 * undecided: TypeScript cannot tell whether they are the same.)
 *
 * @example
 * ```ts
 * type A = UnifyEqualAt<3, false, number, false>; // { d: 3 }
 * ```
 */
export type UnifyEqualAt<A, AParam, B, BParam> = [AParam, BParam] extends [false, false] | [true, true]
  ? UnifyEqual<A, B>
  : [AParam] extends [true]
    ? number extends B
      ? { d: A }
      : false
    : number extends A
      ? { d: B }
      : false;
