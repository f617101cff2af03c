/**
 * The Parzen estimator of TPE: a weighted mixture with one kernel per
 * observed trial plus a prior kernel, over one or several parameters (one
 * kernel = a product over parameters). Numeric parameters get a normal kernel
 * truncated to the draw interval (discretised on step and int grids);
 * categoricals get a smoothed one-hot distribution. The rules follow Optuna's
 * `_ParzenEstimator` (bandwidths, "magic clip", prior weight, weight ramp);
 * the options choose between its 3.1 and 5.0 details.
 */
import type { Distribution } from '../distributions.js';
import { drawBounds, fromDrawSpace, toDrawSpace } from '../space.js';
import { logGaussMass, truncnormPpf } from './truncnorm.js';
import { checkObject } from '../../core/validate.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

const EPS = 1e-12;
/** Scott's-rule factor for the `scott` bandwidths (as in the BOHB paper and Optuna 2.2-4.x multivariate TPE). */
const SIGMA0_MAGNITUDE = 0.2;

/** The knobs of the estimator, named as Optuna names them. */
export interface ParzenOptions {
  readonly considerPrior: boolean;
  readonly priorWeight: number;
  readonly considerMagicClip: boolean;
  readonly considerEndpoints: boolean;
  readonly weights: (n: number) => readonly number[];
  /**
   * How each numeric kernel's bandwidth is chosen: `neighbours` (the larger
   * gap to its neighbours in sorted order, per parameter; Optuna's univariate
   * rule, and since Optuna 5.0 its multivariate rule too) or `scott` (one
   * bandwidth 0.2 n^(-1/(d+4)) (high - low) for all kernels of a parameter;
   * Optuna 2.2-4.x multivariate TPE).
   */
  readonly bandwidth: 'neighbours' | 'scott';
  /**
   * Whether the prior's centre counts as a neighbour in the `neighbours`
   * rule: Optuna up to 4.x (inherited from hyperopt), not since Optuna 5.0
   * (optuna/optuna#6574).
   */
  readonly priorAsNeighbour: boolean;
  /**
   * Divide each continuous kernel by its bandwidth, so it is a true density.
   * Optuna 3.1 leaves the 1/sigma out (optuna/optuna#5109, changed in
   * Optuna 3.5).
   */
  readonly normalized: boolean;
  /**
   * Score a log-int value by its kernel's mass on its cell
   * [log(v - step/2), log(v + step/2)] (Optuna >= 3.3) rather than by the
   * density at log v (Optuna 3.1).
   */
  readonly logIntCells: boolean;
}

type NumericDim = { readonly kind: 'numeric'; readonly name: string; readonly dist: Exclude<Distribution, { kind: 'categorical' }>; readonly low: number; readonly high: number; readonly q: number | null; readonly logCells: boolean; readonly mus: Float64Array; readonly sigmas: Float64Array; readonly logMass: Float64Array };
type CategoricalDim = { readonly kind: 'categorical'; readonly name: string; readonly n: number; readonly probs: Float64Array };

/**
 * A fitted estimator: component weights (summing to 1) and one entry per parameter.
 */
export interface Parzen {
  readonly weights: Float64Array;
  readonly normalized: boolean;
  readonly dims: readonly (NumericDim | CategoricalDim)[];
}

/**
 * Optuna's default weights: 1 for fewer than 25 observations; otherwise a
 * linear ramp from 1/n to 1 over the oldest n - 25 and 1 for the newest 25.
 *
 * @example
 * ```ts
 * defaultWeights(3); // [1, 1, 1]
 * ```
 */
export function defaultWeights(n: number): number[] {
  if (n === 0) return [];
  if (n < 25) return new Array<number>(n).fill(1);
  const m = n - 25;
  const ramp = Array.from({ length: m }, (_, i) => (m === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (m - 1)));
  return [...ramp, ...new Array<number>(25).fill(1)];
}

/**
 * Fits the estimator to `observations[name][i]` (internal values; every
 * parameter has the same count, in chronological order).
 *
 * @example
 * ```ts
 * import { defaultWeights, fitParzen, type ParzenOptions } from './parzen.js';
 * const options: ParzenOptions = { considerPrior: true, priorWeight: 1, considerMagicClip: true, considerEndpoints: false, weights: defaultWeights, bandwidth: 'neighbours', priorAsNeighbour: false, normalized: true, logIntCells: true };
 * const p = fitParzen({ x: [0.2, 0.4] }, { x: { kind: 'float', low: 0, high: 1, log: false, step: null } }, options);
 * ```
 */
export function fitParzen(observations: Readonly<Record<string, readonly number[]>>, space: Readonly<Record<string, Distribution>>, options: ParzenOptions): Parzen {
  checkObject('tune.fitParzen', 'options', options);
  const names = Object.keys(space);
  const n = names.length === 0 ? 0 : observations[names[0]!]!.length;
  const prior = options.considerPrior || n === 0;
  const k = n + (prior ? 1 : 0);
  // Component weights: the weight function for the observations, then the prior.
  const w = options.weights(n).slice(0, n);
  const weights = new Float64Array(k);
  for (let i = 0; i < n; i++) weights[i] = w[i]!;
  if (prior) weights[n] = options.priorWeight;
  let total = 0;
  for (const x of weights) total += x;
  for (let i = 0; i < k; i++) weights[i]! /= total;

  const dims = names.map((name): NumericDim | CategoricalDim => {
    const dist = space[name]!;
    const obs = observations[name]!;
    if (dist.kind === 'categorical') {
      // Row i: prior_weight / k everywhere, plus 1 at the observed choice; then normalised.
      const c = dist.choices.length;
      const probs = new Float64Array(k * c).fill(options.priorWeight / k);
      for (let i = 0; i < n; i++) probs[i * c + obs[i]!]! += 1;
      for (let i = 0; i < k; i++) {
        let s = 0;
        for (let j = 0; j < c; j++) s += probs[i * c + j]!;
        for (let j = 0; j < c; j++) probs[i * c + j]! /= s;
      }
      return { kind: 'categorical', name, n: c, probs };
    }
    const { low, high, q } = drawBounds(dist);
    const mus = new Float64Array(k);
    for (let i = 0; i < n; i++) mus[i] = toDrawSpace(dist, obs[i]!);
    if (prior) mus[n] = 0.5 * (low + high);
    const sigmas = new Float64Array(k);
    if (options.bandwidth === 'scott') {
      sigmas.fill(SIGMA0_MAGNITUDE * Math.max(n, 1) ** (-1 / (names.length + 4)) * (high - low));
    } else {
      // Each kernel's bandwidth: the larger gap to its neighbours in sorted order, the bounds
      // acting as neighbours of the extremes; without endpoints, an extreme kernel uses its
      // inner gap only. The prior's centre is one of the neighbours only with priorAsNeighbour
      // (its own bandwidth is the whole range either way).
      const m = prior && options.priorAsNeighbour ? k : n;
      const order = Array.from({ length: m }, (_, i) => i).sort((i, j) => mus[i]! - mus[j]!);
      const sorted = [low, ...order.map((i) => mus[i]!), high];
      const s = order.map((_, r) => Math.max(sorted[r + 1]! - sorted[r]!, sorted[r + 2]! - sorted[r + 1]!));
      if (!options.considerEndpoints && sorted.length >= 4) {
        s[0] = sorted[2]! - sorted[1]!;
        s[s.length - 1] = sorted[sorted.length - 2]! - sorted[sorted.length - 3]!;
      }
      order.forEach((i, r) => (sigmas[i] = s[r]!));
    }
    // The "magic clip": bandwidths between range / min(100, 1 + k) and the range.
    const maxSigma = high - low;
    const minSigma = options.considerMagicClip ? (high - low) / Math.min(100, 1 + k) : EPS;
    for (let i = 0; i < k; i++) sigmas[i] = Math.min(maxSigma, Math.max(minSigma, sigmas[i]!));
    if (prior) sigmas[n] = high - low;
    const logMass = new Float64Array(k);
    for (let i = 0; i < k; i++) logMass[i] = logGaussMass((low - mus[i]!) / sigmas[i]!, (high - mus[i]!) / sigmas[i]!);
    const logCells = options.logIntCells && dist.kind === 'int' && dist.log;
    return { kind: 'numeric', name, dist, low, high, q: logCells ? dist.step : q, logCells, mus, sigmas, logMass };
  });
  return { weights, dims, normalized: options.normalized };
}

/**
 * `size` draws from the mixture, in draw space (numeric) or as choice
 * indices, from `size * (1 + dims)` uniforms: per draw, one picks the
 * component and one per parameter draws inside it.
 *
 * @example
 * ```ts
 * const xs = sampleParzen(p, new Float64Array(48).fill(0.5), 24); // { x: Float64Array(24) }
 * ```
 */
export function sampleParzen(p: Parzen, u: Float64Array, size: number): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const d of p.dims) out[d.name] = new Float64Array(size);
  const cdf = new Float64Array(p.weights.length);
  let acc = 0;
  p.weights.forEach((w, i) => (cdf[i] = acc += w));
  const stride = 1 + p.dims.length;
  for (let s = 0; s < size; s++) {
    const uc = u[s * stride]! * acc;
    let c = 0;
    while (c < cdf.length - 1 && cdf[c]! <= uc) c++;
    p.dims.forEach((d, j) => {
      const v = u[s * stride + 1 + j]!;
      if (d.kind === 'categorical') {
        let cum = 0;
        let idx = 0;
        for (; idx < d.n - 1; idx++) {
          cum += d.probs[c * d.n + idx]!;
          if (cum > v) break;
        }
        out[d.name]![s] = idx;
      } else {
        const mu = d.mus[c]!;
        const sigma = d.sigmas[c]!;
        out[d.name]![s] = mu + sigma * truncnormPpf(v, (d.low - mu) / sigma, (d.high - mu) / sigma);
      }
    });
  }
  return out;
}

/**
 * Snaps draws in draw space to values of their distributions (internal values).
 *
 * @example
 * ```ts
 * toValues(p, xs); // { x: Float64Array of values inside x's distribution }
 * ```
 */
export function toValues(p: Parzen, draws: Record<string, Float64Array>): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const d of p.dims) out[d.name] = d.kind === 'categorical' ? draws[d.name]! : draws[d.name]!.map((x) => fromDrawSpace(d.dist, x));
  return out;
}

/**
 * log density of the mixture at each of `size` points given as internal
 * values: log sum_k w_k prod_params kernel_k(x). On a grid (step, int) a
 * kernel's "density" is its mass on the point's cell [x - q/2, x + q/2].
 *
 * @example
 * ```ts
 * logPdfParzen(p, { x: Float64Array.of(0.3) }, 1); // Float64Array [log l(0.3)]
 * ```
 */
export function logPdfParzen(p: Parzen, values: Record<string, Float64Array>, size: number): Float64Array {
  const k = p.weights.length;
  const normalized = p.normalized;
  const comp = new Float64Array(size * k);
  for (let c = 0; c < k; c++) {
    const lw = Math.log(p.weights[c]!);
    for (let s = 0; s < size; s++) comp[s * k + c] = lw;
  }
  for (const d of p.dims) {
    const xs = values[d.name]!;
    // Grid values repeat among candidates (an int with 8 values, 24 candidates): their
    // per-kernel cell masses are computed once per distinct value.
    const cells = new Map<number, Float64Array>();
    for (let s = 0; s < size; s++) {
      if (d.kind === 'categorical') {
        const j = xs[s]!;
        for (let c = 0; c < k; c++) comp[s * k + c]! += Math.log(d.probs[c * d.n + j]!);
        continue;
      }
      if (d.q !== null) {
        const v = xs[s]!;
        let masses = cells.get(v);
        if (masses === undefined) {
          // The cell of a grid value (in log space for a log int), clipped to the interval.
          const x = toDrawSpace(d.dist, v);
          const lo = Math.max(d.logCells ? Math.log(v - d.q / 2) : x - d.q / 2, d.low);
          const hi = Math.min(d.logCells ? Math.log(v + d.q / 2) : x + d.q / 2, d.high);
          masses = new Float64Array(k);
          for (let c = 0; c < k; c++) masses[c] = logGaussMass((lo - d.mus[c]!) / d.sigmas[c]!, (hi - d.mus[c]!) / d.sigmas[c]!) - d.logMass[c]!;
          cells.set(v, masses);
        }
        for (let c = 0; c < k; c++) comp[s * k + c]! += masses[c]!;
        continue;
      }
      const x = toDrawSpace(d.dist, xs[s]!);
      for (let c = 0; c < k; c++) {
        const mu = d.mus[c]!;
        const sigma = d.sigmas[c]!;
        // Truncated normal density: phi((x - mu) / sigma) / (sigma * mass of [low, high]),
        // without the 1/sigma unless `normalized` (see ParzenOptions).
        const z = (x - mu) / sigma;
        comp[s * k + c]! += x < d.low || x > d.high ? -Infinity : -0.5 * z * z - LOG_SQRT_2PI - d.logMass[c]! - (normalized ? Math.log(sigma) : 0);
      }
    }
  }
  const out = new Float64Array(size);
  for (let s = 0; s < size; s++) {
    let m = -Infinity;
    for (let c = 0; c < k; c++) m = Math.max(m, comp[s * k + c]!);
    if (m === -Infinity) {
      out[s] = -Infinity;
      continue;
    }
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp(comp[s * k + c]! - m);
    out[s] = m + Math.log(sum);
  }
  return out;
}
