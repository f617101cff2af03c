/**
 * The CMA evolution strategy (Hansen's tutorial, arXiv:1604.00772, with its
 * default parameters: active covariance update with negative weights,
 * cumulative step-size adaptation), as pure functions over an immutable
 * state: `cmaInit` starts it, `cmaSample` maps standard normals to a
 * candidate, `cmaTell` takes one generation's evaluated candidates and
 * returns the next state. These are the update equations of the `cmaes`
 * package that Optuna's `CmaEsSampler` runs; `tests/tune/cmaes.test.ts`
 * checks one generation against it to 1e-12.
 */
import { symmetricEigen } from './eigen.js';

/** Eigenvalues below this (rounding) count as this, as the `cmaes` package does. */
const EPS = 1e-8;
/** The largest step size kept (avoids an overflow to Infinity on a runaway). */
const SIGMA_MAX = 1e32;

/**
 * One CMA-ES state: the strategy's constants for dimension `n` and
 * population `popsize`, and the distribution `N(mean, sigma^2 C)` with its
 * evolution paths after `generation` updates. Arrays are never changed once
 * a state is made; `C` is row-major `n x n`.
 *
 * @example
 * ```ts
 * const s: CmaState = cmaInit([0.5, 0.5], 1 / 6);
 * s.popsize; // 6
 * ```
 */
export interface CmaState {
  readonly n: number;
  readonly popsize: number;
  readonly mu: number;
  readonly weights: Float64Array;
  readonly muEff: number;
  readonly c1: number;
  readonly cmu: number;
  readonly cSigma: number;
  readonly dSigma: number;
  readonly cc: number;
  readonly chiN: number;
  readonly mean: Float64Array;
  readonly sigma: number;
  readonly C: Float64Array;
  readonly pSigma: Float64Array;
  readonly pc: Float64Array;
  readonly generation: number;
}

/**
 * The default population size for `n` dimensions: `4 + floor(3 ln n)`.
 *
 * @example
 * ```ts
 * defaultPopsize(6); // 9
 * ```
 */
export function defaultPopsize(n: number): number {
  return 4 + Math.floor(3 * Math.log(n));
}

/**
 * A fresh state at `mean` with step size `sigma` and `C = I`, with the
 * tutorial's default weights and learning rates.
 *
 * @example
 * ```ts
 * cmaInit([0, 0, 0], 0.3, 10).mu; // 5
 * ```
 */
export function cmaInit(mean: readonly number[], sigma: number, popsize = defaultPopsize(mean.length)): CmaState {
  const n = mean.length;
  const mu = Math.floor(popsize / 2);
  const raw = Array.from({ length: popsize }, (_, i) => Math.log((popsize + 1) / 2) - Math.log(i + 1));
  const sumSq = (xs: number[]) => xs.reduce((s, w) => s + w * w, 0);
  const sum = (xs: number[]) => xs.reduce((s, w) => s + w, 0);
  const pos = raw.slice(0, mu), neg = raw.slice(mu);
  const muEff = sum(pos) ** 2 / sumSq(pos);
  const muEffMinus = neg.length > 0 && sumSq(neg) > 0 ? sum(neg) ** 2 / sumSq(neg) : 0;
  const alphaCov = 2;
  const c1 = alphaCov / ((n + 1.3) ** 2 + muEff);
  const cmu = Math.min(1 - c1 - 1e-8, (alphaCov * (muEff - 2 + 1 / muEff)) / ((n + 2) ** 2 + (alphaCov * muEff) / 2));
  const minAlpha = Math.min(1 + c1 / cmu, 1 + (2 * muEffMinus) / (muEff + 2), (1 - c1 - cmu) / (n * cmu));
  const positiveSum = raw.filter((w) => w > 0).reduce((s, w) => s + w, 0);
  const negativeSum = raw.filter((w) => w < 0).reduce((s, w) => s - w, 0);
  const weights = Float64Array.from(raw, (w) => (w >= 0 ? w / positiveSum : (minAlpha * w) / negativeSum));
  const cSigma = (muEff + 2) / (n + muEff + 5);
  const dSigma = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (n + 1)) - 1) + cSigma;
  const cc = (4 + muEff / n) / (n + 4 + (2 * muEff) / n);
  const C = new Float64Array(n * n);
  for (let i = 0; i < n; i++) C[i * n + i] = 1;
  return {
    n, popsize, mu, weights, muEff, c1, cmu, cSigma, dSigma, cc,
    chiN: Math.sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n)),
    mean: Float64Array.from(mean), sigma, C,
    pSigma: new Float64Array(n), pc: new Float64Array(n), generation: 0,
  };
}

/**
 * `C = B diag(D)^2 Bᵀ` with eigenvalues below rounding raised to a small
 * positive floor; also the `C` rebuilt from them (what the update uses).
 *
 * @example
 * ```ts
 * const { B, D } = cmaEigen(cmaInit([0, 0], 1)); // B = I, D = [1, 1]
 * ```
 */
export function cmaEigen(s: CmaState): { B: Float64Array; D: Float64Array; C: Float64Array } {
  const { n } = s;
  const { values, vectors: B } = symmetricEigen(s.C, n);
  const D = Float64Array.from(values, (v) => Math.sqrt(v < 0 ? EPS : v));
  const C = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let k = 0; k < n; k++) acc += B[i * n + k]! * D[k]! * D[k]! * B[j * n + k]!;
      C[i * n + j] = acc;
    }
  }
  return { B, D, C };
}

/**
 * The candidate `mean + sigma B diag(D) z` for standard normals `z`.
 *
 * @example
 * ```ts
 * const s = cmaInit([0.5, 0.5], 0.1);
 * cmaSample(s, cmaEigen(s), [1, 0]); // [0.6, 0.5]
 * ```
 */
export function cmaSample(s: CmaState, eig: { B: Float64Array; D: Float64Array }, z: ArrayLike<number>): Float64Array {
  const { n } = s;
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let y = 0;
    for (let k = 0; k < n; k++) y += eig.B[i * n + k]! * eig.D[k]! * z[k]!;
    x[i] = s.mean[i]! + s.sigma * y;
  }
  return x;
}

/**
 * One generation: `popsize` candidates `x` with their values (smaller is
 * better) give the next state: the weighted recombination of the best half
 * moves the mean, the evolution paths and the rank-one and (active)
 * rank-mu updates adapt `C`, and the conjugate path length adapts `sigma`.
 *
 * @example
 * ```ts
 * const s = cmaInit([0.5, 0.5], 0.2, 4);
 * const eig = cmaEigen(s);
 * const xs = [[1, 0], [0, 1], [-1, 0], [0, -1]].map((z) => cmaSample(s, eig, z));
 * const next = cmaTell(s, xs.map((x) => ({ x, value: x[0]! ** 2 + x[1]! ** 2 })));
 * next.generation; // 1
 * ```
 */
export function cmaTell(s: CmaState, solutions: readonly { readonly x: ArrayLike<number>; readonly value: number }[]): CmaState {
  const { n, popsize, mu, weights } = s;
  if (solutions.length !== popsize) throw new RangeError(`cmaTell: needs ${popsize} solutions, got ${solutions.length}`);
  const generation = s.generation + 1;
  // Stable sort by value: ties keep the order given.
  const sorted = solutions.map((sol, i) => ({ sol, i })).sort((a, b) => a.sol.value - b.sol.value || a.i - b.i);
  const { B, D, C } = cmaEigen(s);
  const y = sorted.map(({ sol }) => Float64Array.from({ length: n }, (_, j) => (sol.x[j]! - s.mean[j]!) / s.sigma));
  const yw = new Float64Array(n);
  for (let k = 0; k < mu; k++) for (let j = 0; j < n; j++) yw[j] += weights[k]! * y[k]![j]!;
  const mean = Float64Array.from(s.mean, (m, j) => m + s.sigma * yw[j]!);
  // C^(-1/2) = B diag(1/D) Bᵀ.
  const invSqrt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let k = 0; k < n; k++) acc += (B[i * n + k]! * B[j * n + k]!) / D[k]!;
      invSqrt[i * n + j] = acc;
    }
  }
  const times = (m: Float64Array, v: Float64Array) => Float64Array.from({ length: n }, (_, i) => {
    let acc = 0;
    for (let k = 0; k < n; k++) acc += m[i * n + k]! * v[k]!;
    return acc;
  });
  const norm = (v: Float64Array) => Math.sqrt(v.reduce((acc, x) => acc + x * x, 0));
  const zw = times(invSqrt, yw);
  const sigmaGain = Math.sqrt(s.cSigma * (2 - s.cSigma) * s.muEff);
  const pSigma = Float64Array.from(s.pSigma, (p, j) => (1 - s.cSigma) * p + sigmaGain * zw[j]!);
  const normP = norm(pSigma);
  const sigma = Math.min(s.sigma * Math.exp((s.cSigma / s.dSigma) * (normP / s.chiN - 1)), SIGMA_MAX);
  // The Heaviside h_sigma stalls the rank-one path while the step size grows fast.
  const hSigma = normP / Math.sqrt(1 - (1 - s.cSigma) ** (2 * (generation + 1))) < (1.4 + 2 / (n + 1)) * s.chiN ? 1 : 0;
  const ccGain = Math.sqrt(s.cc * (2 - s.cc) * s.muEff);
  const pc = Float64Array.from(s.pc, (p, j) => (1 - s.cc) * p + hSigma * ccGain * yw[j]!);
  // Negative weights act on the candidate's Mahalanobis-normalised direction.
  const wo = Float64Array.from(weights, (w, k) => (w >= 0 ? w : (w * n) / (norm(times(invSqrt, y[k]!)) ** 2 + EPS)));
  const deltaH = (1 - hSigma) * s.cc * (2 - s.cc);
  const weightSum = weights.reduce((acc, w) => acc + w, 0);
  const decay = 1 + s.c1 * deltaH - s.c1 - s.cmu * weightSum;
  const next = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let rankMu = 0;
      for (let k = 0; k < popsize; k++) rankMu += wo[k]! * y[k]![i]! * y[k]![j]!;
      next[i * n + j] = decay * C[i * n + j]! + s.c1 * pc[i]! * pc[j]! + s.cmu * rankMu;
    }
  }
  return { ...s, mean, sigma, C: next, pSigma, pc, generation };
}
