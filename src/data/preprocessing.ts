/**
 * Feature scaling, the optax way: `fit` reads the training data and returns
 * the statistics as a plain value (arrays of numbers, ready for
 * `JSON.stringify`); `transform(stats, x)` is a pure function of both. Fit
 * on the training set only, then transform training and test sets with the
 * same statistics, so nothing about the test set leaks into training.
 *
 * Statistics are taken over the first (sample) axis, per feature: a feature
 * is one position in the rest of the shape (a column of `[N, F]`, a pixel of
 * `[N, 28, 28]`). They are computed in float64.
 *
 * One-hot labels: use `oneHot` from the ops.
 *
 * @example
 * ```ts
 * import { standardScaler } from 'typegrad';
 * const stats = standardScaler.fit(xTrain);              // { mean: number[], scale: number[] }
 * const xTrainS = standardScaler.transform(stats, xTrain); // mean 0, std 1 per column
 * const xTestS = standardScaler.transform(stats, xTest);
 * ```
 *
 * @module
 */
import type { FloatDType } from '../core/dtype.js';
import { DTypeError, ShapeError, ValueError, formatShape } from '../core/errors.js';
import { type AnyTensor, Tensor, dimsOf, fromStorage, storageOf } from '../core/tensor.js';
import * as lax from '../lax/index.js';
import { describe } from '../random/checks.js';
import type { Shape } from '../shape/dim.js';

/**
 * The statistics of {@link standardScaler}: per feature, the mean and the
 * scale (the population standard deviation, or 1 for a constant feature).
 *
 * @example
 * ```ts
 * const s: StandardScaler = { mean: [0, 10], scale: [1, 2] };
 * standardScaler.transform(s, tensor([[1, 14]])).toArray(); // [[1, 2]]
 * ```
 */
export interface StandardScaler {
  readonly mean: readonly number[];
  readonly scale: readonly number[];
}

/**
 * The statistics of {@link minMaxScaler}: per feature, the smallest and
 * largest training value, and the target `range` of `transform`.
 *
 * @example
 * ```ts
 * const s: MinMaxScaler = { min: [0], max: [10], range: [0, 1] };
 * ```
 */
export interface MinMaxScaler {
  readonly min: readonly number[];
  readonly max: readonly number[];
  readonly range: readonly [number, number];
}

/** The samples of `x` as rows of `features` numbers; throws unless float with a sample axis. */
function rows(op: string, x: unknown): { n: number; features: number; data: ArrayLike<number>; tensor: AnyTensor } {
  if (!(x instanceof Tensor)) throw new ValueError(`${op}: expected a tensor, got ${describe(x)}`);
  const t = x as AnyTensor;
  if (t.dtype !== 'float32' && t.dtype !== 'float64') throw new DTypeError(`${op}: expected a float32 or float64 tensor, got ${t.dtype}`);
  if (t.rank < 1) throw new ShapeError(`${op}: expected samples along the first axis, got a scalar`);
  const n = dimsOf(t)[0]!;
  return { n, features: n === 0 ? 0 : t.size / n, data: storageOf(t.concrete()), tensor: t };
}

function checkFeatures(op: string, t: AnyTensor, features: number, stats: string): void {
  const shape = dimsOf(t);
  const have = shape.slice(1).reduce((p, d) => p * d, 1);
  if (t.rank < 1 || have !== features) {
    throw new ShapeError(`${op}: x of shape ${formatShape(shape)} has ${have} features per sample, the ${stats} were fit on ${features}`);
  }
}

/** `(x - shift) * factor`, per feature, in x's dtype. */
function affine(t: AnyTensor, shift: readonly number[], factor: readonly number[], offset = 0): AnyTensor {
  const featureShape = dimsOf(t).slice(1);
  // Shape [...F] broadcasts against [N, ...F] (NumPy rules align trailing dims).
  const asTensor = (v: readonly number[]): AnyTensor =>
    fromStorage(t.dtype === 'float64' ? Float64Array.from(v) : Float32Array.from(v), featureShape, t.dtype);
  const scaled = lax.mul(lax.sub(t, asTensor(shift)), asTensor(factor));
  return offset === 0 ? scaled : lax.add(scaled, lax.scalarLike(offset, t));
}

function checkStats(op: string, stats: unknown, names: readonly string[]): void {
  const s = stats as Record<string, unknown> | null;
  const ok = typeof s === 'object' && s !== null && names.every((k) => Array.isArray(s[k]) && (s[k] as unknown[]).every((v) => typeof v === 'number'));
  if (!ok) throw new ValueError(`${op}: expected statistics { ${names.join(', ')} } from fit, got ${describe(stats)}`);
  const len = (s![names[0]!] as unknown[]).length;
  if (names.some((k) => (s![k] as unknown[]).length !== len)) throw new ValueError(`${op}: the arrays ${names.join(', ')} differ in length`);
}

/**
 * Standardisation: `transform` maps each feature to `(x - mean) / scale`,
 * so the training data get mean 0 and standard deviation 1 per feature
 * (population std, as scikit-learn's `StandardScaler`; a constant feature
 * keeps scale 1 and becomes 0).
 *
 * @example
 * ```ts
 * import { standardScaler, tensor } from 'typegrad';
 * const x = tensor([[1, 10], [3, 10]]);
 * const s = standardScaler.fit(x);       // { mean: [2, 10], scale: [1, 1] }
 * standardScaler.transform(s, x).toArray(); // [[-1, 0], [1, 0]]
 * standardScaler.inverseTransform(s, standardScaler.transform(s, x)).toArray(); // [[1, 10], [3, 10]]
 * ```
 */
export const standardScaler = {
  /** Per-feature mean and population standard deviation of `x` (samples along axis 0). Throws for no samples. */
  fit(x: Tensor<readonly [number, ...Shape], FloatDType>): StandardScaler {
    const op = 'standardScaler.fit';
    const { n, features, data } = rows(op, x);
    if (n === 0) throw new ValueError(`${op}: x has no samples`);
    const mean = new Array<number>(features).fill(0);
    const sq = new Array<number>(features).fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < features; j++) mean[j]! += data[i * features + j]!;
    for (let j = 0; j < features; j++) mean[j]! /= n;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < features; j++) {
        const d = data[i * features + j]! - mean[j]!;
        sq[j]! += d * d;
      }
    }
    const scale = sq.map((s) => Math.sqrt(s / n) || 1); // a constant feature (std 0) keeps scale 1
    return { mean, scale };
  },

  /** `(x - mean) / scale` per feature; same shape and dtype as `x`. Throws `ShapeError` for another feature count. */
  transform<S extends readonly [number, ...Shape], D extends FloatDType>(stats: StandardScaler, x: Tensor<S, D>): Tensor<S, D> {
    const op = 'standardScaler.transform';
    checkStats(op, stats, ['mean', 'scale']);
    const { tensor } = rows(op, x);
    checkFeatures(op, tensor, stats.mean.length, 'statistics');
    return affine(tensor, stats.mean, stats.scale.map((s) => 1 / s)) as unknown as Tensor<S, D>;
  },

  /** `x * scale + mean` per feature: undoes `transform`. */
  inverseTransform<S extends readonly [number, ...Shape], D extends FloatDType>(stats: StandardScaler, x: Tensor<S, D>): Tensor<S, D> {
    const op = 'standardScaler.inverseTransform';
    checkStats(op, stats, ['mean', 'scale']);
    const { tensor } = rows(op, x);
    checkFeatures(op, tensor, stats.mean.length, 'statistics');
    // x * scale + mean = (x - (-mean / scale)) * scale
    return affine(tensor, stats.mean.map((m, j) => -m / stats.scale[j]!), stats.scale) as unknown as Tensor<S, D>;
  },
};

/**
 * Options of {@link minMaxScaler}.fit: `range` is the interval the
 * training data are mapped onto, default `[0, 1]`.
 *
 * @example
 * ```ts
 * const opts: MinMaxScalerOptions = { range: [-1, 1] };
 * ```
 */
export interface MinMaxScalerOptions {
  readonly range?: readonly [number, number];
}

/**
 * Min-max scaling: `transform` maps each feature's training minimum to
 * `range[0]` and maximum to `range[1]` linearly (test values may fall
 * outside). A constant feature maps to `range[0]`.
 *
 * @example
 * ```ts
 * import { minMaxScaler, tensor } from 'typegrad';
 * const x = tensor([[0, 5], [10, 5], [5, 5]]);
 * const s = minMaxScaler.fit(x);           // { min: [0, 5], max: [10, 5], range: [0, 1] }
 * minMaxScaler.transform(s, x).toArray();  // [[0, 0], [1, 0], [0.5, 0]]
 * ```
 */
export const minMaxScaler = {
  /** Per-feature minimum and maximum of `x` (samples along axis 0). Throws for no samples or a bad range. */
  fit(x: Tensor<readonly [number, ...Shape], FloatDType>, options: MinMaxScalerOptions = {}): MinMaxScaler {
    const op = 'minMaxScaler.fit';
    const range = options.range ?? [0, 1];
    if (!Array.isArray(range) || range.length !== 2 || !range.every(Number.isFinite) || !(range[0] < range[1])) {
      throw new ValueError(`${op}: range must be two finite numbers [lo, hi] with lo < hi, got ${describe(range)}`);
    }
    const { n, features, data } = rows(op, x);
    if (n === 0) throw new ValueError(`${op}: x has no samples`);
    const min = new Array<number>(features).fill(Infinity);
    const max = new Array<number>(features).fill(-Infinity);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < features; j++) {
        const v = data[i * features + j]!;
        if (v < min[j]!) min[j] = v;
        if (v > max[j]!) max[j] = v;
      }
    }
    return { min, max, range: [range[0], range[1]] };
  },

  /** `lo + (x - min) * (hi - lo) / (max - min)` per feature; same shape and dtype as `x`. */
  transform<S extends readonly [number, ...Shape], D extends FloatDType>(stats: MinMaxScaler, x: Tensor<S, D>): Tensor<S, D> {
    const op = 'minMaxScaler.transform';
    checkStats(op, stats, ['min', 'max']);
    const { tensor } = rows(op, x);
    checkFeatures(op, tensor, stats.min.length, 'statistics');
    const [lo, hi] = stats.range;
    const factor = stats.min.map((m, j) => (hi - lo) / (stats.max[j]! - m || 1)); // constant feature: divide by 1
    return affine(tensor, stats.min, factor, lo) as unknown as Tensor<S, D>;
  },
};
