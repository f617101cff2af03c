/**
 * fast-check arbitraries for tensors, shapes and parameter trees, for
 * property tests in users' own suites (`typegrad/testing/arbitraries`;
 * needs the optional peer dependency fast-check).
 */
import fc from 'fast-check';
import { allocate, type DType } from '../core/dtype.js';
import { type Tensor, fromStorage } from '../core/tensor.js';
import type { Shape } from '../shape/dim.js';

/** Options of {@link arbShape}. */
export interface ArbShapeOptions {
  readonly minRank?: number;
  readonly maxRank?: number;
  readonly minDim?: number;
  readonly maxDim?: number;
}

/**
 * Random shapes (dims in [minDim, maxDim], default [0, 4]; rank in [0, 3]).
 * @example
 * ```ts
 * fc.assert(fc.property(arbShape({ maxRank: 4 }), (s) => zeros(s).rank === s.length));
 * ```
 */
export function arbShape(opts: ArbShapeOptions = {}): fc.Arbitrary<number[]> {
  const { minRank = 0, maxRank = 3, minDim = 0, maxDim = 4 } = opts;
  return fc.array(fc.integer({ min: minDim, max: maxDim }), { minLength: minRank, maxLength: maxRank });
}

/** Options of {@link arbTensor}. */
export interface ArbTensorOptions<D extends DType> {
  readonly dtype?: D;
  readonly min?: number;
  readonly max?: number;
}

/**
 * Random tensors of a fixed shape, with values in [min, max] (default
 * [-10, 10]; integers for int32, 0/1 for bool). No NaN or Infinity.
 * @example
 * ```ts
 * fc.assert(fc.property(arbTensor([2, 3], { dtype: 'float64' }), (t) => t.size === 6));
 * ```
 */
export function arbTensor<const S extends Shape, D extends DType = 'float32'>(
  shape: S,
  opts: ArbTensorOptions<D> = {},
): fc.Arbitrary<Tensor<[...S], D>> {
  const dtype = (opts.dtype ?? 'float32') as D;
  const size = shape.reduce((p, d) => p * d, 1);
  const min = opts.min ?? -10;
  const max = opts.max ?? 10;
  const element =
    dtype === 'bool'
      ? fc.integer({ min: 0, max: 1 })
      : dtype === 'int32'
        ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
        : // Uniform in [min, max]: fc.double is uniform over bit patterns, which
          // gives mostly tiny numbers and hides bugs that vanish near 0.
          fc.integer({ min: 0, max: 2 ** 30 }).map((i) => min + ((max - min) * i) / 2 ** 30);
  return fc.array(element, { minLength: size, maxLength: size }).map((values) => {
    const data = allocate(dtype, size);
    data.set(values);
    return fromStorage<[...S], D>(data, shape.slice(), dtype);
  });
}

/**
 * Pairs of shapes that broadcast together (some dims set to 1 or dropped on one side).
 * @example
 * ```ts
 * fc.assert(fc.property(arbBroadcastableShapes(), ([a, b]) => add(zeros(a), zeros(b)).rank === Math.max(a.length, b.length)));
 * ```
 */
export function arbBroadcastableShapes(opts: ArbShapeOptions = {}): fc.Arbitrary<[number[], number[]]> {
  return arbShape(opts).chain((full) =>
    fc
      .tuple(
        fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }),
        fc.array(fc.boolean(), { minLength: full.length, maxLength: full.length }),
        fc.integer({ min: 0, max: full.length }),
        fc.integer({ min: 0, max: full.length }),
      )
      .map(([onesA, onesB, dropA, dropB]): [number[], number[]] => [
        full.map((d, i) => (onesA[i] ? 1 : d)).slice(Math.min(dropA, full.length)),
        full.map((d, i) => (onesB[i] && !onesA[i] ? 1 : d)).slice(Math.min(dropB, full.length)),
      ]),
  );
}

/**
 * Random parameter trees (nested objects and arrays of float64 tensors).
 * @example
 * ```ts
 * fc.assert(fc.property(arbParamTree(), (p) => tree.structureEquals(p, tree.map(p, (x) => x))));
 * ```
 */
export function arbParamTree(opts: { readonly maxDepth?: number } = {}): fc.Arbitrary<unknown> {
  const leaf = arbShape({ maxRank: 2, maxDim: 3 }).chain((s) => arbTensor(s, { dtype: 'float64' }));
  const { tree } = fc.letrec<{ tree: unknown }>((rec) => ({
    tree: fc.oneof(
      { depthSize: 'small', maxDepth: opts.maxDepth ?? 3 },
      leaf,
      fc.array(rec('tree'), { minLength: 1, maxLength: 3 }),
      fc.dictionary(fc.constantFrom('w', 'b', 'gamma', 'layers', 'x1'), rec('tree'), { minKeys: 1, maxKeys: 3 }),
    ),
  }));
  return tree;
}
