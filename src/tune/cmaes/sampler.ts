/**
 * CMA-ES as a sampler (Optuna's `CmaEsSampler`): the numeric parameters
 * every finished trial shares are drawn jointly from the strategy's
 * normal distribution; a generation is `popsize` trials, and once that many
 * of one generation are complete it updates the distribution.
 *
 * The sampler holds no state. Each trial records its generation and the
 * search space in its system attributes, and every draw replays the updates
 * from the history, so the same history and key give the same trial in any
 * process, and several workers can share one study.
 *
 * As in Optuna: the first `nStartupTrials` (1) trials, categoricals and
 * one-parameter spaces go to the independent sampler (random search by
 * default); candidates outside the bounds are drawn again up to 100 times,
 * then clipped; log parameters are searched in log space, ints and steps
 * over intervals widened by half a step and rounded. Unlike Optuna 3.1, each
 * parameter is scaled to [0, 1] first, so `sigma0` (default 1/6) is a
 * fraction of every range, not of the smallest. Left out: restarts (IPOP,
 * BIPOP), the separable and margin variants, warm starts.
 */
import { ValueError } from '../../core/errors.js';
import { checkFinite, checkInteger, checkObject, checkOptions } from '../../core/validate.js';
import { foldIn } from '../../random/key.js';
import { describeDistribution, isSingle, toExternal, type Choice, type Distribution } from '../distributions.js';
import { lastStep, type FrozenTrial } from '../frozen-trial.js';
import { randomSampler, samplerKey } from '../random-sampler.js';
import { drawKey, uniforms } from '../rng.js';
import type { RelativeSample, SampleContext, Sampler, SeedOptions } from '../sampler.js';
import { intersectionSearchSpace } from '../search-space.js';
import { drawBounds, fromDrawSpace, toDrawSpace } from '../space.js';
import { cmaEigen, cmaInit, cmaSample, cmaTell, defaultPopsize, type CmaState } from './cma.js';

type Numeric = Exclude<Distribution, { kind: 'categorical' }>;

/** The system attributes a CMA-ES trial carries. */
const GENERATION = 'cmaes:generation';
const SPACE = 'cmaes:space';

/**
 * The options of {@link cmaEs}.
 *
 * @example
 * ```ts
 * const o: tune.CmaEsOptions = { seed: 0, sigma0: 0.2, popsize: 8, x0: { x: 1, y: -1 } };
 * ```
 */
export interface CmaEsOptions extends SeedOptions {
  /** The starting mean, as parameter values; default the middle of each range (in log space for log parameters). */
  readonly x0?: Readonly<Record<string, number>>;
  /** The starting step size, as a fraction of each parameter's range; default 1/6. */
  readonly sigma0?: number;
  /** Candidates per generation; default `4 + floor(3 ln n)` for n parameters. */
  readonly popsize?: number;
  /** Finished trials before CMA-ES takes over; default 1. */
  readonly nStartupTrials?: number;
  /** Draws what CMA-ES does not (startup trials, categoricals, a one-parameter space); default random search on the same key. */
  readonly independentSampler?: Sampler;
  /** Learn from pruned trials too, by their last intermediate value; default false (as Optuna). */
  readonly considerPrunedTrials?: boolean;
}

/** Box-Muller standard normals from the uniforms under `key`. */
function normals(key: Parameters<typeof uniforms>[0], n: number): Float64Array {
  const u = uniforms(key, 2 * Math.ceil(n / 2));
  const z = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - u[i]!)), t = 2 * Math.PI * u[i + 1]!;
    z[i] = r * Math.cos(t);
    if (i + 1 < n) z[i + 1] = r * Math.sin(t);
  }
  return z;
}

/**
 * The CMA-ES sampler (see the module comment).
 *
 * @example
 * ```ts
 * import { tune } from 'typegrad';
 * const study = await tune.createStudy({ sampler: tune.cmaEs({ seed: 0 }) });
 * await study.optimize((t) => (t.float('x', -5, 5) - 1) ** 2 + (t.float('y', -5, 5) + 2) ** 2, { trials: 100 });
 * study.best.value; // near 0
 * ```
 */
export function cmaEs(options: CmaEsOptions = {}): Sampler {
  checkOptions('tune.cmaEs', options);
  const key = samplerKey(options);
  const sigma0 = options.sigma0 === undefined ? 1 / 6 : checkFinite('tune.cmaEs', 'sigma0', options.sigma0);
  if (!(sigma0 > 0)) throw new ValueError(`tune.cmaEs: sigma0 must be positive, got ${sigma0}`);
  const popsizeOption = options.popsize === undefined ? undefined : checkInteger('tune.cmaEs', 'popsize', options.popsize, 2, 10_000);
  const nStartup = checkInteger('tune.cmaEs', 'nStartupTrials', options.nStartupTrials ?? 1, 0);
  const x0 = options.x0 === undefined ? undefined : checkObject('tune.cmaEs', 'x0', options.x0);
  const independent = options.independentSampler ?? randomSampler({ key });
  if (typeof independent?.independent !== 'function') throw new ValueError('tune.cmaEs: independentSampler must be a sampler (with an independent method)');
  const considerPruned = options.considerPrunedTrials ?? false;

  /** The trials CMA-ES learns from, with their values as costs (smaller is better; NaN is worst). */
  const finished = (ctx: SampleContext): { trial: FrozenTrial; cost: number }[] => {
    const sign = ctx.direction === 'minimize' ? 1 : -1;
    const out: { trial: FrozenTrial; cost: number }[] = [];
    for (const t of ctx.history) {
      if (t.number === ctx.trial.number) continue;
      let v: number | null = null;
      if (t.state === 'complete') v = t.value;
      else if (t.state === 'pruned' && considerPruned) {
        const step = lastStep(t);
        v = step === null ? null : t.intermediate.get(step)!;
      }
      if (v !== null) out.push({ trial: t, cost: Number.isNaN(v) ? Infinity : sign * v });
    }
    return out;
  };

  const sampler: Sampler = {
    name: 'cmaes',
    independent: (ctx, name, dist) => independent.independent(ctx, name, dist),
    relative(ctx): RelativeSample {
      const done = finished(ctx);
      if (done.length < nStartup) return { params: {} };
      const full = intersectionSearchSpace(ctx.history.filter((t) => t.number !== ctx.trial.number));
      const space: [string, Numeric][] = [];
      for (const [name, d] of Object.entries(full)) if (d.kind !== 'categorical' && !isSingle(d)) space.push([name, d]);
      // CMA-ES needs two dimensions or more (as Optuna's sampler).
      if (space.length < 2) return { params: {} };
      const signature = JSON.stringify(space.map(([name, d]) => [name, describeDistribution(d)]));
      const bounds = space.map(([, d]) => drawBounds(d));
      const toUnit = (t: FrozenTrial) => space.map(([name, d], i) => (toDrawSpace(d, t.internal[name]!) - bounds[i]!.low) / (bounds[i]!.high - bounds[i]!.low));
      const mean0 = space.map(([name, d], i) => {
        if (x0 === undefined || x0[name] === undefined) return 0.5;
        const v = checkFinite('tune.cmaEs', `x0.${name}`, x0[name]);
        if (v < d.low || v > d.high) throw new ValueError(`tune.cmaEs: x0.${name} ${v} is outside ${describeDistribution(d)}`);
        return (toDrawSpace(d, v) - bounds[i]!.low) / (bounds[i]!.high - bounds[i]!.low);
      });
      let state: CmaState = cmaInit(mean0, sigma0, popsizeOption ?? defaultPopsize(space.length));
      // Replay every generation whose trials are complete, in trial order.
      const byGeneration = new Map<number, { trial: FrozenTrial; cost: number }[]>();
      for (const entry of done) {
        const g = entry.trial.systemAttrs[GENERATION];
        if (entry.trial.systemAttrs[SPACE] !== signature || typeof g !== 'number') continue;
        const members = byGeneration.get(g);
        if (members === undefined) byGeneration.set(g, [entry]);
        else members.push(entry);
      }
      for (;;) {
        const members = byGeneration.get(state.generation);
        if (members === undefined || members.length < state.popsize) break;
        const chosen = members.sort((a, b) => a.trial.number - b.trial.number).slice(0, state.popsize);
        state = cmaTell(state, chosen.map(({ trial, cost }) => ({ x: toUnit(trial), value: cost })));
      }
      const eig = cmaEigen(state);
      const base = drawKey(key, 5, ctx.trial.number, signature);
      const inside = (x: Float64Array) => x.every((v) => v >= 0 && v <= 1);
      let x = cmaSample(state, eig, normals(foldIn(base, 0), space.length));
      for (let attempt = 1; attempt <= 100 && !inside(x); attempt++) x = cmaSample(state, eig, normals(foldIn(base, attempt), space.length));
      const params: Record<string, Choice> = {};
      space.forEach(([name, d], i) => {
        const u = Math.min(1, Math.max(0, x[i]!));
        params[name] = toExternal(d, fromDrawSpace(d, bounds[i]!.low + u * (bounds[i]!.high - bounds[i]!.low)));
      });
      return { params, systemAttrs: { [GENERATION]: state.generation, [SPACE]: signature } };
    },
  };
  return sampler;
}
