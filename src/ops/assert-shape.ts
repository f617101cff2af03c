/**
 * How tensors of unknown shape (from a CSV, a JSON file, `tensor(data, shape)`
 * with a shape known only at run time) enter the typed world: `assertShape`
 * checks a pattern and narrows the type, `hasShape` is the type-guard form,
 * and `dim` names a size.
 *
 * A pattern element is a number (that exact size), a string (a named dim,
 * typed `Sym<name>`: equal names must have equal sizes) or `null` (any size,
 * typed `number`).
 *
 * @example
 * ```ts
 * import { assertShape, matmul, zeros, type Tensor } from 'typegrad';
 * declare const csv: Tensor<[number, number]>;
 * const x = assertShape(csv, ['rows', 30]);  // Tensor<[Sym<'rows'>, 30]>
 * matmul(x, zeros([30, 5]));                 // Tensor<[Sym<'rows'>, 5]>
 * ```
 *
 * @module
 */
import { describeValue } from '../core/describe.js';
import type { DType } from '../core/dtype.js';
import { ValueError } from '../core/errors.js';
import { checkString, checkTensor } from '../core/validate.js';
import { type Tensor, dimsOf } from '../core/tensor.js';
import type { Shape, Sym } from '../shape/dim.js';
import { matchShape, matchesShape, type FromPattern, type PatternDim } from '../shape/index.js';

export type { PatternDim, FromPattern } from '../shape/index.js';

/**
 * Checks that the shape of `t` matches `pattern` and returns `t` typed by
 * the pattern. Throws `ShapeError`: `assertShape: expected [rows,30], got [455,31]`,
 * `assertShape: dim n is 2 at axis 0 but 3 at axis 1`.
 *
 * @example
 * ```ts
 * import { assertShape, tensor } from 'typegrad';
 * const t = tensor(new Float32Array(6), [2, 3] as number[]); // Tensor<number[]>
 * assertShape(t, ['n', 3]);  // Tensor<[Sym<'n'>, 3]>
 * assertShape(t, [null, 4]); // throws ShapeError "assertShape: expected [?,4], got [2,3]"
 * ```
 */
export function assertShape<D extends DType, const P extends readonly PatternDim[]>(t: Tensor<Shape, D>, pattern: P): Tensor<FromPattern<P>, D> {
  checkTensor('assertShape', 't', t);
  checkPattern('assertShape', pattern);
  matchShape('assertShape', dimsOf(t), pattern);
  return t as unknown as Tensor<FromPattern<P>, D>;
}

/**
 * `true` when the shape of `t` matches `pattern` (see {@link assertShape});
 * narrows the type of `t` in the branch where it holds.
 *
 * @example
 * ```ts
 * import { hasShape, type Tensor } from 'typegrad';
 * declare const t: Tensor<[number, number]>;
 * if (hasShape(t, [null, 30])) {
 *   t; // Tensor<[number, 30]>
 * }
 * ```
 */
export function hasShape<D extends DType, const P extends readonly PatternDim[]>(t: Tensor<Shape, D>, pattern: P): t is Tensor<FromPattern<P>, D> {
  checkTensor('hasShape', 't', t);
  checkPattern('hasShape', pattern);
  return matchesShape(dimsOf(t), pattern);
}

/**
 * A size with a name: the value is `size`, the type `Sym<name>`, so shapes
 * built from it keep the name. Throws `ValueError` when `size` is not a
 * non-negative integer.
 *
 * @example
 * ```ts
 * import { dim, zeros } from 'typegrad';
 * const batch = dim('batch', 64);
 * zeros([batch, 10]); // Tensor<[Sym<'batch'>, 10]>, shape [64, 10]
 * ```
 */
export function dim<const N extends string>(name: N, size: number): Sym<N> {
  checkString('dim', 'name', name, true);
  if (!Number.isInteger(size) || size < 0) throw new ValueError(`dim: size of ${name} must be a non-negative integer, got ${size}`);
  return size as Sym<N>;
}

/** Throws unless `pattern` is an array whose entries are dims (non-negative integers), names or null. */
function checkPattern(op: string, pattern: unknown): void {
  const ok = (p: unknown): boolean => p === null || typeof p === 'string' || (typeof p === 'number' && Number.isInteger(p) && p >= 0);
  if (!Array.isArray(pattern) || !pattern.every(ok)) {
    throw new ValueError(`${op}: pattern must be an array of dims, names and nulls, got ${describeValue(pattern)}`);
  }
}
