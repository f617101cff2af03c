/**
 * Reductions (`sum`, `mean`, `max`, ...) over some axes: the reduced dims are
 * removed, or kept as `1` with `keepdims`. No axis means every axis.
 *
 * @module
 */
import { normalizeAxes, type NormalizeAxes } from './axes.js';
import type { Shape } from './dim.js';
import type { ShapeMismatch } from './errors.js';
import type { IsTuple, Ones, Unknowns } from './tuple.js';

/**
 * The shape after reducing `S` over `Ax` (a number, a tuple of numbers, or
 * `undefined` for every axis), keeping the reduced dims as `1` when `Keep`
 * is `true`. Axes may be negative. Errors name `Op`:
 * `sum: axis 2 is out of range for rank 2`, `sum: axis 0 repeated`.
 *
 * @example
 * ```ts
 * type A = Reduce<[60000, 784], -1, true>;        // [60000, 1]
 * type B = Reduce<[2, 3, 4], [0, 2], false>;      // [3]
 * type C = Reduce<[2, 3], undefined, false>;      // []
 * type E = Reduce<[2, 3], 2, false, 'sum'>;       // ShapeMismatch<'sum: axis 2 is out of range for rank 2'>
 * ```
 */
export type Reduce<S extends Shape, Ax extends number | readonly number[] | undefined, Keep extends boolean = false, Op extends string = 'reduce'> =
  [S] extends [never]
    ? never
    : [Ax] extends [undefined]
      ? [Keep] extends [true]
        ? Ones<S>
        : [Keep] extends [false]
          ? []
          : number[]
      : IsTuple<S> extends false
        ? number[]
        : NormalizeAxes<Ax extends readonly unknown[] ? Ax : [Ax], S['length'], Op> extends infer N
          ? N extends ShapeMismatch<string>
            ? N
            : N extends readonly number[]
              ? number extends N[number]
                ? [Keep] extends [true]
                  ? Unknowns<S>
                  : number[]
                : boolean extends Keep
                  ? number[]
                  : ReduceR<S, N[number], Keep>
              : never
          : never;

type ReduceR<S extends readonly unknown[], Axes, Keep, I extends unknown[] = [], Acc extends unknown[] = []> =
  S extends readonly [infer H, ...infer T]
    ? I['length'] extends Axes
      ? ReduceR<T, Axes, Keep, [...I, H], Keep extends true ? [...Acc, 1] : Acc>
      : ReduceR<T, Axes, Keep, [...I, H], [...Acc, H]>
    : Acc;

/**
 * The shape after reducing `shape` over `axes` (a number, a list, or
 * `undefined` for all). Throws `AxisError` (`${op}: axis 2 is out of range
 * for rank 2`, `${op}: axis 0 repeated`).
 *
 * @example
 * ```ts
 * reduceShape('sum', [2, 3, 4], [0, -1], false); // [3]
 * reduceShape('sum', [2, 3], 1, true);          // [2, 1]
 * reduceShape('sum', [2, 3], undefined, false); // []
 * ```
 */
export function reduceShape(op: string, shape: readonly number[], axes: number | readonly number[] | undefined, keepdims: boolean): number[] {
  const reduced =
    axes === undefined ? shape.map((_, i) => i) : normalizeAxes(op, typeof axes === 'number' ? [axes] : axes, shape.length);
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!reduced.includes(i)) out.push(d);
    else if (keepdims) out.push(1);
  });
  return out;
}
