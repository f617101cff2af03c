/**
 * The three kinds of dim. All are subtypes of `number`:
 * - a literal (`30`): size known at compile time;
 * - `number`: size known only at run time (checked then);
 * - `Sym<'batch'>`: size unknown, but a name that must match itself.
 *
 * @example
 * ```ts
 * import { zeros, type Tensor, type Sym } from 'typegrad';
 * const x: Tensor<[number, 30]> = zeros([455, 30]);  // a known size widens to number
 * declare const b: Tensor<[Sym<'batch'>, 30]>;
 * ```
 */
export type Dim = number;

/** A shape: a tuple of dims. */
export type Shape = readonly Dim[];

declare const symTag: unique symbol;

/** A named dim: unknown size, unifies with itself, `1` and `number`, not with another name or a literal. */
export type Sym<Name extends string> = number & { readonly [symTag]: Name };

/** The name of a symbolic dim, or `never` for any other dim. */
export type SymName<D> = D extends { readonly [symTag]: infer N extends string } ? N : never;

/** Normalises a readonly tuple (as `const` type parameters infer it) to a mutable one. */
export type Mutable<S extends Shape> = [...S];
