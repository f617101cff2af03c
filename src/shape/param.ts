/**
 * Telling a dim that is a type parameter of the caller's function (`B` in
 * `function f<B extends Dim>(x: Tensor<[B, 16]>)`) from a known one, at
 * compile time, without leaving the shape rule unevaluated (internal: used by
 * the shape rules, not re-exported from the package).
 *
 * TypeScript never decides a conditional type about a type parameter
 * (`B extends 3 ? ...`, `IsNat<B>`, `SameDim<B, number>`): it keeps it
 * deferred, and a deferred check on an argument rejects a correct call. So
 * the shape rules ask this module first, and treat a type-parameter dim like
 * a named one (a `Sym`): its size is unknown until run time (checked then),
 * and it equals itself.
 *
 * How the test decides: it relates two tuples built from the whole shape,
 * which the call site knows (`[B, 16]`, not `B`). Each dim is looked up in a
 * table by its text: a literal prints as digits and `number` as
 * `${number}`, both of which find the `'known'` entry; a type parameter's
 * text is no text TypeScript can know, so its lookup is decided through the
 * fallback `string` entry, which accepts anything. The probe puts
 * `'param'` at the dim asked about (and `never`, which fits anything,
 * elsewhere), so it fits exactly when that dim is a type parameter.
 *
 * Rules for callers:
 * - Pass the shape as a `Shape`-constrained type parameter of your own rule
 *   (the `S` of `Reshape<S, To>`), never as a tuple literal that names your
 *   own type parameters (`IsParamAt<[D, 3], '0'>`): that would be decided
 *   once, when the library is compiled, as "a type parameter".
 * - Test the whole shape once ({@link Marked}, {@link KnownSizes}) and walk
 *   the result. Do not re-test a tail taken with `infer T extends Shape`:
 *   TypeScript re-checks some results with each type parameter's constraint
 *   removed (`B` no longer a `number`), where that `infer` fails and the
 *   rule would give another answer, so the check on the argument stays
 *   deferred.
 *
 * @module
 */
import type { Shape } from './dim.js';
import type { DimToString } from './format.js';

type ByText = { readonly [text: string]: unknown; readonly [digits: `${number}`]: 'known' };

/** Each dim's table entry: `'known'` for a literal or `number`, `ByText[string]` (`unknown`) for a type parameter. */
type Looked<S extends Shape> = { [K in keyof S]: ByText[`${S[K]}`] };

/** `'param'` at key `I`, `never` (fits anything) elsewhere. */
type Probe<S extends Shape, I extends string> = { [K in keyof S]: K extends I ? 'param' : never };

/**
 * `true` when dim `I` (a tuple key: `'0'`, `'1'`, ...) of `S` is a type
 * parameter, `false` for a literal, `number`, or a `Sym`.
 *
 * @example
 * ```ts
 * import type { IsParamAt } from './param.js';
 * function f<B extends number>(): void {
 *   const yes: IsParamAt<[B, 16], '0'> = true;
 *   const no: IsParamAt<[B, 16], '1'> = false;
 * }
 * ```
 */
export type IsParamAt<S extends Shape, I extends string> = [I] extends [never]
  ? false // no single dim asked about (a fixed dim of a variadic `[...P, 3]`, mapped with a `number` key)
  : Probe<S, I> extends Looked<S>
    ? true
    : false;

/**
 * Each dim of `S` paired with whether it is a type parameter:
 * `[[B, true], [16, false]]` for `[B, 16]`. Rules walk this tuple instead
 * of testing each dim again, so that no tail of `S` needs a `Shape`
 * constraint (see the module note).
 *
 * @example
 * ```ts
 * import type { Marked } from './param.js';
 * type M = Marked<[2, number]>; // [[2, false], [number, false]]
 * ```
 */
export type Marked<S extends Shape> = { [K in keyof S]: [S[K], IsParamAt<S, K & string>] };

/**
 * `S` with each type-parameter dim replaced by `X` (default `number`, the
 * unknown size): the shape as far as a check on sizes can know it, and as
 * a message prints it (`?`).
 *
 * @example
 * ```ts
 * import type { KnownSizes } from './param.js';
 * type K = KnownSizes<[2, number]>; // [2, number]
 * function f<B extends number>(): void {
 *   const k: KnownSizes<[B, 16]> = [5, 16]; // [number, 16]
 * }
 * ```
 */
export type KnownSizes<S extends Shape, X = number> = { [K in keyof S]: IsParamAt<S, K & string> extends true ? X : S[K] };

/**
 * The dims of a {@link Marked} shape.
 *
 * @example
 * ```ts
 * import type { Dims } from './param.js';
 * type D = Dims<[[2, false], [number, false]]>; // [2, number]
 * ```
 */
export type Dims<M, Acc extends unknown[] = []> = M extends readonly [readonly [infer D, unknown], ...infer T] ? Dims<T, [...Acc, D]> : Acc;

/**
 * The dims of a {@link Marked} shape, each type parameter as `number`: the
 * shape as a message prints it (`?`).
 *
 * @example
 * ```ts
 * import type { KnownDims } from './param.js';
 * type D = KnownDims<[[2, false], [7, true]]>; // [2, number]
 * ```
 */
export type KnownDims<M, Acc extends unknown[] = []> = M extends readonly [readonly [infer D, infer P], ...infer T]
  ? KnownDims<T, [...Acc, P extends true ? number : D]>
  : Acc;

/**
 * A dim as a message prints it, given whether it is a type parameter: `?`
 * for one, else as {@link DimToString}.
 *
 * @example
 * ```ts
 * import type { DimText } from './param.js';
 * type T = DimText<30, false>; // '30'
 * ```
 */
export type DimText<D, IsParam> = IsParam extends true ? '?' : DimToString<D>;
