/**
 * The type-level side of shape errors: a failed shape rule returns
 * `ShapeMismatch<'message'>` instead of a shape, and op signatures use the
 * helpers below to put the message into the compiler's error and to give
 * `Tensor<never>` as the result, so one mistake gives one error.
 *
 * The run-time side is the `ShapeError` / `AxisError` classes in
 * `core/errors.ts`; each shape rule throws them with the same text.
 *
 * @module
 */

declare const mismatchTag: unique symbol;

/**
 * The result of a shape rule that failed, carrying the message that the
 * run-time twin throws.
 *
 * @example
 * ```ts
 * type R = Broadcast<[2, 3], [4], 'add'>;
 * //   ShapeMismatch<"add: cannot broadcast [2,3] with [4]: dim 3 vs 4">
 * ```
 */
export interface ShapeMismatch<Msg extends string> {
  readonly [mismatchTag]: Msg;
}

/**
 * `true` when a shape rule failed.
 *
 * @example
 * ```ts
 * type T = IsMismatch<MatMul<[2, 3], [4, 5]>>; // true
 * ```
 */
export type IsMismatch<R> = [R] extends [never] ? false : [R] extends [ShapeMismatch<string>] ? true : false;

/**
 * The message of a failed rule as a string literal type, or `unknown` (a
 * no-op in an intersection) when it succeeded, or when an input was already
 * `Tensor<never>` from an earlier failure (so errors do not cascade).
 * Intersect an object-typed parameter with it, so the message shows in the
 * compiler's error.
 *
 * @example
 * ```ts
 * declare function add<A extends Shape, B extends Shape>(
 *   a: Tensor<A>, b: Tensor<B> & Check<Broadcast<A, B, 'add'>>): Tensor<Ok<Broadcast<A, B, 'add'>>>;
 * add(zeros([2, 3]), zeros([4]));
 * // error: Argument of type 'Tensor<[4]>' is not assignable to parameter of type
 * // 'Tensor<[4]> & "add: cannot broadcast [2,3] with [4]: dim 3 vs 4"'.
 * ```
 */
export type Check<R> = [R] extends [never] ? unknown : [R] extends [ShapeMismatch<infer M>] ? M : unknown;

/**
 * The shape of a rule that succeeded, or `never` when it failed, so a failed
 * op returns `Tensor<never>` and later uses do not report again.
 *
 * @example
 * ```ts
 * type S = Ok<Broadcast<[2, 3], [3]>>; // [2, 3]
 * type N = Ok<Broadcast<[2, 3], [4]>>; // never
 * ```
 */
export type Ok<R> = [R] extends [ShapeMismatch<string>] ? never : R;

/**
 * For a primitive parameter (an axis, an index): the message when the rule
 * failed, else `X`. (`5 & "message"` would be `never`, so the parameter type
 * becomes the message itself.)
 *
 * @example
 * ```ts
 * declare function sum<S extends Shape, const Ax extends number>(
 *   x: Tensor<S>, axis: ErrOr<Reduce<S, Ax, false, 'sum'>, Ax>): Tensor<Ok<Reduce<S, Ax, false, 'sum'>>>;
 * sum(zeros([2, 3]), 2);
 * // error: Argument of type '2' is not assignable to parameter of type '"sum: axis 2 is out of range for rank 2"'.
 * ```
 */
export type ErrOr<R, X> = [R] extends [never] ? X : [R] extends [ShapeMismatch<infer M>] ? M : X;

/**
 * A rest-parameter tuple for an optional axis: `[axis?: undefined]` when no
 * axis was given, `[axis: message]` when the given axis makes the rule fail,
 * else `[axis: Ax]`. A rule that fails with no axis given (`squeeze` of
 * `[?,1]`) cannot show its message on a missing argument: put
 * {@link AxisCheck} on the tensor parameter for that case.
 *
 * @example
 * ```ts
 * declare function squeeze<S extends Shape, const Ax extends number | undefined = undefined>(
 *   x: Tensor<S> & AxisCheck<Squeeze<S, Ax>, Ax>,
 *   ...axis: AxisArg<Squeeze<S, Ax>, Ax>
 * ): Tensor<Ok<Squeeze<S, NoInfer<Ax>>>>;
 * squeeze(zeros([2, 1]));    // Tensor<[2]>
 * squeeze(zeros([2, 1]), 0); // error on 0: "squeeze: cannot squeeze axis 0 of size 2 in [2,1]"
 * ```
 */
export type AxisArg<R, Ax> = [Ax] extends [undefined]
  ? [axis?: undefined]
  : [R] extends [never]
    ? [axis: Ax]
    : [R] extends [ShapeMismatch<infer M>]
      ? [axis: M]
      : [axis: Ax];

/**
 * The companion of {@link AxisArg} for the tensor parameter: the message
 * when the rule failed and no axis was given, else `unknown` (a no-op).
 *
 * @example
 * ```ts
 * declare const u: Tensor<[number, 1]>;
 * squeeze(u);
 * // error: Argument of type 'Tensor<[number, 1]>' is not assignable to parameter of type
 * // 'Tensor<[number, 1]> & "squeeze: dim 0 of [?,1] might be 1; give the axis to squeeze"'.
 * ```
 */
export type AxisCheck<R, Ax> = [Ax] extends [undefined] ? Check<R> : unknown;
