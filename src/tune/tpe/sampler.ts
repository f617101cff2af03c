/**
 * The Tree-structured Parzen Estimator sampler (Bergstra et al. 2011), with
 * Optuna's algorithm and defaults:
 *
 * 1. While fewer than `nStartupTrials` (10) trials are complete or pruned, draw at random.
 * 2. Rank the finished trials: complete ones by value; pruned ones after them,
 *    deeper ones first (by last step, then last value). The best
 *    `gamma(n) = min(ceil(0.1 n), 25)` form "below", the rest "above"
 *    (with `constantLiar`, running trials join "above" as the worst).
 * 3. Fit a Parzen estimator l(x) to below and g(x) to above (`parzen.ts`).
 * 4. Draw `nEiCandidates` (24) points from l and keep the one maximising
 *    log l(x) - log g(x), which maximises expected improvement.
 *
 * Three settings, chosen by `optunaVersion`:
 *
 * - **Default (typegrad's TPE)**: Optuna 5.0's, except that categorical
 *   parameters are drawn each on its own (`jointCategoricals: false`). The
 *   numeric parameters every finished trial shares are drawn jointly when the
 *   trial starts (one kernel per trial over all of them, so the estimator keeps
 *   their correlations); categoricals, and parameters outside that space, are
 *   drawn on their own when the objective asks for them. Drawn jointly, a
 *   categorical mostly keeps the choice of the good trial whose kernel the
 *   candidate came from, so a better choice found later is rarely tried
 *   (`bench/tune`: on the mixed space, regret 0.10 at 60 trials against 0.20
 *   jointly and Optuna 3.1's 0.15, over 200 seeds); what it gives up is the
 *   joint model of a categorical with the numeric parameters.
 * - **`optunaVersion: '5.0'`**: Optuna 5.0's TPE exactly (multivariate, every
 *   shared parameter jointly, categoricals included).
 * - **`optunaVersion: '3.1'`**: Optuna 3.1's TPE exactly (univariate: each
 *   parameter drawn on its own, Optuna's default before 5.0).
 *
 * `group: true` splits the joint space into groups that always appear
 * together (conditional spaces); `multivariate: false` draws every parameter
 * on its own. The two Optuna releases differ in more than the mode:
 *
 * | detail | default and `'5.0'` | `'3.1'` |
 * | --- | --- | --- |
 * | `multivariate` | true | false |
 * | `jointCategoricals` | false (default), true (`'5.0'`) | true |
 * | multivariate bandwidths | neighbour gaps per parameter | Scott's rule |
 * | prior centre among the neighbours | no | yes |
 * | continuous kernels | densities (with 1/sigma) | without 1/sigma |
 * | log-int values scored by | mass of their cell | density at log v |
 * | `constantLiar` | true | false |
 */
import { ValueError } from '../../core/errors.js';
import type { Choice, Distribution } from '../distributions.js';
import { contains, isSingle, sameDistribution, toExternal } from '../distributions.js';
import type { FrozenTrial } from '../frozen-trial.js';
import { lastStep } from '../frozen-trial.js';
import { uniformDraw, samplerKey } from '../random-sampler.js';
import { drawKey, uniforms } from '../rng.js';
import type { RelativeSample, SampleContext, Sampler, SeedOptions } from '../sampler.js';
import { groupSearchSpaces, intersectionSearchSpace } from '../search-space.js';
import { defaultWeights, fitParzen, logPdfParzen, sampleParzen, toValues, type ParzenOptions } from './parzen.js';
import { checkInteger, checkOptions } from '../../core/validate.js';

/**
 * Options of {@link tpe}; the defaults are Optuna 5.0's except
 * `jointCategoricals` (see {@link tpe}).
 *
 * @example
 * ```ts
 * const o: tune.TpeOptions = { seed: 0, nStartupTrials: 20, multivariate: true };
 * ```
 */
export interface TpeOptions extends SeedOptions {
  /**
   * Follow this Optuna release's TPE exactly, defaults included (see {@link tpe}).
   * Left out: Optuna 5.0's details with `jointCategoricals: false`.
   */
  readonly optunaVersion?: '5.0' | '3.1';
  readonly nStartupTrials?: number;
  readonly nEiCandidates?: number;
  readonly gamma?: (n: number) => number;
  readonly weights?: (n: number) => readonly number[];
  readonly priorWeight?: number;
  readonly considerPrior?: boolean;
  readonly considerMagicClip?: boolean;
  readonly considerEndpoints?: boolean;
  readonly multivariate?: boolean;
  readonly group?: boolean;
  readonly constantLiar?: boolean;
  /**
   * With `multivariate`, draw categorical parameters jointly with the numeric
   * ones (Optuna's way) rather than each on its own; default false, or true
   * when `optunaVersion` is given.
   */
  readonly jointCategoricals?: boolean;
  /** Kernels as true densities (Optuna >= 3.5); default by `optunaVersion` (see `parzen.ts`). */
  readonly normalizedKernels?: boolean;
}

/**
 * Optuna's default gamma: the number of "good" trials, min(ceil(0.1 n), 25).
 *
 * @example
 * ```ts
 * tune.defaultGamma(11); // 2
 * ```
 */
export function defaultGamma(n: number): number {
  checkInteger('tune.defaultGamma', 'n', n);
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** A trial's rank key: lexicographic (stage, score), smaller is better. */
type Score = readonly [number, number];

/**
 * The TPE sampler (see the module comment).
 *
 * @example
 * ```ts
 * import { tune } from 'typegrad';
 * const study = await tune.createStudy({ direction: 'minimize', sampler: tune.tpe({ seed: 0 }) });
 * ```
 */
export function tpe(options: TpeOptions = {}): Sampler {
  checkOptions('tune.tpe', options);
  const key = samplerKey(options);
  const version = options.optunaVersion ?? '5.0';
  if (version !== '5.0' && version !== '3.1') throw new ValueError(`tune.tpe: optunaVersion must be '5.0' or '3.1', got ${JSON.stringify(version)}`);
  const v5 = version === '5.0';
  const nStartup = options.nStartupTrials ?? 10;
  const nEi = options.nEiCandidates ?? 24;
  const gamma = options.gamma ?? defaultGamma;
  const multivariate = options.multivariate ?? v5;
  const group = options.group ?? false;
  const constantLiar = options.constantLiar ?? v5;
  const jointCategoricals = options.jointCategoricals ?? options.optunaVersion !== undefined;
  if (group && !multivariate) throw new ValueError('tune.tpe: group needs multivariate: true');
  const parzen: ParzenOptions = {
    considerPrior: options.considerPrior ?? true,
    priorWeight: options.priorWeight ?? 1,
    considerMagicClip: options.considerMagicClip ?? true,
    considerEndpoints: options.considerEndpoints ?? false,
    weights: options.weights ?? defaultWeights,
    bandwidth: multivariate && !v5 ? 'scott' : 'neighbours',
    priorAsNeighbour: !v5,
    normalized: options.normalizedKernels ?? v5,
    logIntCells: v5,
  };

  /** The trials TPE learns from, their rank keys, and the count of finished ones. */
  const observed = (ctx: SampleContext) => {
    const sign = ctx.direction === 'minimize' ? 1 : -1;
    const trials: FrozenTrial[] = [];
    const scores: Score[] = [];
    for (const t of ctx.history) {
      if (t.number === ctx.trial.number) continue;
      if (t.state === 'complete' && t.value !== null) scores.push([-Infinity, sign * t.value]);
      else if (t.state === 'pruned') {
        const step = lastStep(t);
        if (step === null) scores.push([1, 0]);
        else {
          const v = t.intermediate.get(step)!;
          scores.push(Number.isNaN(v) ? [-step, Infinity] : [-step, sign * v]);
        }
      } else if (t.state === 'running' && constantLiar) scores.push([Infinity, Infinity]);
      else continue;
      trials.push(t);
    }
    const n = scores.filter((s) => s[0] < Infinity).length;
    return { trials, scores, n };
  };

  /** Indices (chronological) of the best gamma(n) trials and of the rest. */
  const split = (scores: readonly Score[], n: number): [number[], number[]] => {
    const order = scores.map((_, i) => i).sort((i, j) => scores[i]![0] - scores[j]![0] || cmp(scores[i]![1], scores[j]![1]) || i - j);
    const nBelow = gamma(n);
    return [order.slice(0, nBelow).sort((a, b) => a - b), order.slice(nBelow).sort((a, b) => a - b)];
  };

  /** Internal values of `names` over `idx`, keeping trials that have all of them inside the distributions. */
  const collect = (trials: readonly FrozenTrial[], idx: readonly number[], space: Readonly<Record<string, Distribution>>) => {
    const names = Object.keys(space);
    const obs: Record<string, number[]> = {};
    for (const name of names) obs[name] = [];
    for (const i of idx) {
      const t = trials[i]!;
      const ok = names.every((name) => {
        const d = t.distributions[name];
        return d !== undefined && d.kind === space[name]!.kind && (d.kind !== 'categorical' || sameDistribution(d, space[name]!)) && contains(space[name]!, t.internal[name]!);
      });
      if (ok) for (const name of names) obs[name]!.push(t.internal[name]!);
    }
    return obs;
  };

  /** The TPE step over a space: the candidate from l maximising log l - log g (internal values). */
  const propose = (trials: readonly FrozenTrial[], scores: readonly Score[], n: number, space: Readonly<Record<string, Distribution>>, drawKeyFor: ReturnType<typeof drawKey>) => {
    const [below, above] = split(scores, n);
    const l = fitParzen(collect(trials, below, space), space, parzen);
    const g = fitParzen(collect(trials, above, space), space, parzen);
    const dims = Object.keys(space).length;
    const candidates = toValues(l, sampleParzen(l, uniforms(drawKeyFor, nEi * (1 + dims)), nEi));
    const ll = logPdfParzen(l, candidates, nEi);
    const lg = logPdfParzen(g, candidates, nEi);
    let best = 0;
    for (let i = 1; i < nEi; i++) if (ll[i]! - lg[i]! > ll[best]! - lg[best]!) best = i;
    const out: Record<string, number> = {};
    for (const name of Object.keys(space)) out[name] = candidates[name]![best]!;
    return out;
  };

  const sampler: Sampler = {
    name: `tpe${multivariate ? `(${['multivariate', ...(group ? ['group'] : []), ...(jointCategoricals ? [] : ['categoricals apart'])].join(', ')})` : ''}${options.optunaVersion === undefined ? '' : ` optuna ${version}`}`,
    independent(ctx, name, dist) {
      const { trials, scores, n } = observed(ctx);
      if (n < nStartup) return uniformDraw(dist, uniforms(drawKey(key, 0, ctx.trial.number, name), 1)[0]!);
      return propose(trials, scores, n, { [name]: dist }, drawKey(key, 3, ctx.trial.number, name))[name]!;
    },
  };
  if (multivariate) {
    sampler.relative = (ctx): RelativeSample => {
      const { trials, scores, n } = observed(ctx);
      if (n < nStartup) return { params: {} };
      const history = ctx.history.filter((t) => t.number !== ctx.trial.number);
      const spaces = group ? groupSearchSpaces(history) : [intersectionSearchSpace(history)];
      const params: Record<string, Choice> = {};
      for (const full of spaces) {
        const space: Record<string, Distribution> = {};
        for (const name of Object.keys(full).sort()) if (!isSingle(full[name]!) && (jointCategoricals || full[name]!.kind !== 'categorical')) space[name] = full[name]!;
        const names = Object.keys(space);
        if (names.length === 0) continue;
        const drawn = propose(trials, scores, n, space, drawKey(key, 1, ctx.trial.number, names.join('\u0000')));
        for (const name of names) params[name] = toExternal(space[name]!, drawn[name]!);
      }
      return { params };
    };
  }
  return sampler;
}

/** Numeric order with +Infinity last and NaN never before a number. */
function cmp(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
