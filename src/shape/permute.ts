/**
 * Reordering axes: `transpose` swaps the last two, `permute` applies any
 * permutation (negative axes allowed).
 *
 * @module
 */
import { AxisError, ShapeError, formatShape } from '../core/errors.js';
import { normalizeAxis, type NormalizeAxis } from './axes.js';
import type { Shape } from './dim.js';
import type { ShapeMismatch } from './errors.js';
import type { FormatShape } from './format.js';
import type { IsTuple } from './tuple.js';

/**
 * `S` with its last two dims swapped, or
 * `ShapeMismatch<'transpose: needs rank >= 2, got [3]'>`.
 *
 * @example
 * ```ts
 * type A = Transpose<[Sym<'b'>, 784, 10]>; // [Sym<'b'>, 10, 784]
 * ```
 */
export type Transpose<S extends Shape> = [S] extends [never]
  ? never
  : S extends readonly [...infer P, infer M, infer N]
    ? [...P, N, M]
    : IsTuple<S> extends true
      ? ShapeMismatch<`transpose: needs rank >= 2, got ${FormatShape<S>}`>
      : number[];

/**
 * `S` with its axes reordered: result axis `i` is input axis `Ax[i]`. Errors:
 * `permute: axis 0 repeated in permutation of [2,3,4]`,
 * `permute: [0,1] has 2 axes for [2,3,4] of rank 3`,
 * `permute: axis 3 is out of range for rank 3`.
 *
 * @example
 * ```ts
 * type A = Permute<[2, 3, 4], [2, 0, 1]>;  // [4, 2, 3]
 * type B = Permute<[2, 3, 4], [-1, 0, 1]>; // [4, 2, 3]
 * ```
 */
export type Permute<S extends Shape, Ax extends readonly number[]> = [S] extends [never]
  ? never
  : IsTuple<S> extends false
    ? number[]
    : IsTuple<Ax> extends false
      ? number[]
      : Ax['length'] extends S['length']
        ? PermuteR<S, Ax, S>
        : ShapeMismatch<`permute: ${FormatShape<Ax>} has ${Ax['length']} axes for ${FormatShape<S>} of rank ${S['length']}`>;

type PermuteR<S extends readonly unknown[], Ax extends readonly unknown[], S0 extends readonly unknown[], Seen = never, Acc extends unknown[] = []> =
  Ax extends readonly [infer A, ...infer Rest]
    ? NormalizeAxis<A, S['length'], 'permute'> extends infer I
      ? I extends ShapeMismatch<string>
        ? I
        : number extends I
          ? number[]
          : [I] extends [Seen]
            ? ShapeMismatch<`permute: axis ${I & number} repeated in permutation of ${FormatShape<S0>}`>
            : PermuteR<S, Rest, S0, Seen | I, [...Acc, S[I & keyof S]]>
      : never
    : Acc;

/**
 * `shape` with its last two dims swapped. Throws `ShapeError`
 * `transpose: needs rank >= 2, got [3]`.
 *
 * @example
 * ```ts
 * transposeShape([2, 3, 4]); // [2, 4, 3]
 * ```
 */
export function transposeShape(shape: readonly number[]): number[] {
  const r = shape.length;
  if (r < 2) throw new ShapeError(`transpose: needs rank >= 2, got ${formatShape(shape)}`);
  const out = [...shape];
  out[r - 2] = shape[r - 1]!;
  out[r - 1] = shape[r - 2]!;
  return out;
}

/**
 * The normalized permutation (each axis in `[0, rank)`). Throws `ShapeError`
 * for a wrong length, `AxisError` for an axis out of range or repeated
 * (`permute: axis 0 repeated in permutation of [2,3,4]`).
 *
 * @example
 * ```ts
 * normalizePermutation([2, 3, 4], [-1, 0, 1]); // [2, 0, 1]
 * ```
 */
export function normalizePermutation(shape: readonly number[], axes: readonly number[]): number[] {
  if (axes.length !== shape.length) {
    throw new ShapeError(`permute: ${formatShape(axes)} has ${axes.length} axes for ${formatShape(shape)} of rank ${shape.length}`);
  }
  const out: number[] = [];
  for (const a of axes) {
    const i = normalizeAxis('permute', a, shape.length);
    if (out.includes(i)) throw new AxisError(`permute: axis ${i} repeated in permutation of ${formatShape(shape)}`);
    out.push(i);
  }
  return out;
}

/**
 * `shape` with its axes reordered: result axis `i` is input axis `axes[i]`
 * (see {@link normalizePermutation} for the errors).
 *
 * @example
 * ```ts
 * permuteShape([2, 3, 4], [2, 0, 1]); // [4, 2, 3]
 * ```
 */
export function permuteShape(shape: readonly number[], axes: readonly number[]): number[] {
  return normalizePermutation(shape, axes).map((i) => shape[i]!);
}

/**
 * The permutation that undoes `axes` (for the gradient of `permute`).
 *
 * @example
 * ```ts
 * invertPermutation([2, 0, 1]); // [1, 2, 0]
 * ```
 */
export function invertPermutation(axes: readonly number[]): number[] {
  const inv = new Array<number>(axes.length);
  axes.forEach((a, i) => {
    inv[a < 0 ? a + axes.length : a] = i;
  });
  return inv;
}
