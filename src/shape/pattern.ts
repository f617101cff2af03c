/**
 * Shape patterns for `assertShape` / `hasShape`: the way data of unknown
 * shape (a CSV, a JSON file) enters the typed world. A pattern element is a
 * number (that exact size), a string (a named dim: `Sym<name>`, and equal
 * names must have equal sizes) or `null` (any size, typed `number`).
 *
 * @module
 */
import { ShapeError, formatShape } from '../core/errors.js';
import type { Sym } from './dim.js';

/**
 * One element of a shape pattern: an exact size, a dim name, or `null` (any size).
 *
 * @example
 * ```ts
 * const p: readonly PatternDim[] = ['rows', 30, null];
 * ```
 */
export type PatternDim = number | string | null;

/**
 * The shape a pattern promises: numbers stay, names become `Sym<name>`,
 * `null` becomes `number`. Always a mutable tuple.
 *
 * @example
 * ```ts
 * type S = FromPattern<['rows', 30, null]>; // [Sym<'rows'>, 30, number]
 * ```
 */
export type FromPattern<P extends readonly PatternDim[], Acc extends unknown[] = []> = P extends readonly [infer H, ...infer T extends readonly PatternDim[]]
  ? FromPattern<T, [...Acc, H extends string ? Sym<H> : H extends number ? H : number]>
  : P extends readonly []
    ? Acc
    : number[];

/**
 * A pattern as it prints in messages: `[rows,30,?]`.
 *
 * @example
 * ```ts
 * formatPattern(['rows', 30, null]); // "[rows,30,?]"
 * ```
 */
export function formatPattern(pattern: readonly PatternDim[]): string {
  return `[${pattern.map((p) => (p === null ? '?' : String(p))).join(',')}]`;
}

function mismatch(op: string, shape: readonly number[], pattern: readonly PatternDim[]): string | undefined {
  if (shape.length !== pattern.length || pattern.some((p, i) => typeof p === 'number' && p !== shape[i])) {
    return `${op}: expected ${formatPattern(pattern)}, got ${formatShape(shape)}`;
  }
  const seen = new Map<string, number>();
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (typeof p !== 'string') continue;
    const first = seen.get(p);
    if (first === undefined) seen.set(p, i);
    else if (shape[first] !== shape[i]) {
      return `${op}: dim ${p} is ${shape[first]} at axis ${first} but ${shape[i]} at axis ${i}`;
    }
  }
  return undefined;
}

/**
 * Checks `shape` against `pattern` and returns the size of each named dim.
 * Throws `ShapeError`: `assertShape: expected [rows,30], got [455,31]`,
 * `assertShape: dim rows is 455 at axis 0 but 454 at axis 2`.
 *
 * @example
 * ```ts
 * matchShape('assertShape', [455, 30], ['rows', 30]); // { rows: 455 }
 * ```
 */
export function matchShape(op: string, shape: readonly number[], pattern: readonly PatternDim[]): Record<string, number> {
  const msg = mismatch(op, shape, pattern);
  if (msg !== undefined) throw new ShapeError(msg);
  const sizes: Record<string, number> = {};
  pattern.forEach((p, i) => {
    if (typeof p === 'string') sizes[p] = shape[i]!;
  });
  return sizes;
}

/**
 * `true` when `shape` matches `pattern` (the non-throwing form of {@link matchShape}, for `hasShape`).
 *
 * @example
 * ```ts
 * matchesShape([455, 30], [null, 30]); // true
 * matchesShape([455, 30], ['n', 'n']); // false
 * ```
 */
export function matchesShape(shape: readonly number[], pattern: readonly PatternDim[]): boolean {
  return mismatch('', shape, pattern) === undefined;
}
