/**
 * How shapes print in messages, at compile time and at run time:
 * `[2,3]`, no spaces. At compile time a named dim prints by name
 * (`[batch,10]`) and an unknown `number` dim prints as `?`; at run time the
 * actual sizes print.
 *
 * @module
 */
import type { SymName } from './dim.js';

export { formatShape } from '../core/errors.js';

/**
 * A dim as it prints in a message: `30`, `batch` for `Sym<'batch'>`, `?` for `number`.
 *
 * @example
 * ```ts
 * type A = DimToString<30>;            // '30'
 * type B = DimToString<Sym<'batch'>>;  // 'batch'
 * type C = DimToString<number>;        // '?'
 * ```
 */
export type DimToString<D> = [SymName<D>] extends [never]
  ? number extends D
    ? '?'
    : D extends number
      ? `${D}`
      : D extends null
        ? '?'
        : D extends string
          ? D
          : '?'
  : SymName<D>;

/**
 * A shape as it prints in a message: `[2,3]`, `[batch,?]`; a shape of
 * unknown rank (`number[]`) prints as `[...]`.
 *
 * @example
 * ```ts
 * type T = FormatShape<[Sym<'batch'>, 10]>; // '[batch,10]'
 * ```
 */
export type FormatShape<S> = `[${JoinDims<S>}]`;

type JoinDims<S, Acc extends string = '', Sep extends string = ''> = S extends readonly [infer H, ...infer T]
  ? JoinDims<T, `${Acc}${Sep}${DimToString<H>}`, ','>
  : S extends readonly []
    ? Acc
    : `${Acc}${Sep}...`;
