/**
 * The percentile pruner and its special case, the median pruner, with
 * Optuna's rules, in order:
 *
 * 1. no pruning while fewer than `nStartupTrials` (5) trials are complete;
 * 2. none before step `nWarmupSteps` (0), and only at the first report in each
 *    window of `intervalSteps` (1) steps counted from the warm-up;
 * 3. the trial's best intermediate value so far (NaN-ignoring min, or max
 *    when maximising); all NaN means prune;
 * 4. the p-th percentile (100 - p when maximising, linear interpolation, NaN
 *    ignored) of complete trials' values *at this step*; with fewer than
 *    `nMinTrials` (1) of them, do not prune;
 * 5. prune when the best is worse than that percentile.
 */
import { ValueError } from '../../core/errors.js';
import { lastStep, type FrozenTrial } from '../frozen-trial.js';
import type { Pruner } from '../pruner.js';
import { checkArray, checkFinite, checkNumber, checkOptions } from '../../core/validate.js';
import { describeValue } from '../../core/describe.js';

/**
 * Options of {@link percentilePruner} and {@link medianPruner} (Optuna's defaults).
 *
 * @example
 * ```ts
 * const o: tune.PercentileOptions = { nStartupTrials: 5, nWarmupSteps: 10, intervalSteps: 1, nMinTrials: 1 };
 * ```
 */
export interface PercentileOptions {
  readonly nStartupTrials?: number;
  readonly nWarmupSteps?: number;
  readonly intervalSteps?: number;
  readonly nMinTrials?: number;
}

/**
 * NumPy's `nanpercentile` with linear interpolation: the NaN-free values
 * sorted, read at position (p / 100)(n - 1). NaN for no values.
 *
 * @example
 * ```ts
 * nanPercentile([1, 2, 3, 4], 50); // 2.5
 * ```
 */
export function nanPercentile(values: readonly number[], p: number): number {
  checkArray('tune.nanPercentile', 'values', values);
  values.forEach((v, i) => checkNumber('tune.nanPercentile', `values[${i}]`, v));
  checkFinite('tune.nanPercentile', 'p', p);
  const v = values.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const pos = (p / 100) * (v.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(v.length - 1, lo + 1);
  const f = pos - lo;
  return f === 0 ? v[lo]! : v[lo]! + (v[hi]! - v[lo]!) * f;
}

/** True when `step` is the trial's first report at or after the latest pruning step <= step. */
function firstInInterval(step: number, steps: Iterable<number>, warmup: number, interval: number): boolean {
  const nearestLower = Math.floor((step - warmup) / interval) * interval + warmup;
  let secondLast = -1;
  for (const s of steps) if (s > secondLast && s !== step) secondLast = s;
  return secondLast < nearestLower;
}

/**
 * Prunes a trial whose best intermediate value is worse than the p-th
 * percentile of complete trials at the same step (see the module comment).
 *
 * @example
 * ```ts
 * import { tune } from 'typegrad';
 * const pruner = tune.percentilePruner(25, { nWarmupSteps: 3 });
 * ```
 */
export function percentilePruner(percentile: number, options: PercentileOptions = {}): Pruner {
  checkOptions('tune.percentilePruner', options);
  const nStartup = options.nStartupTrials ?? 5;
  const warmup = options.nWarmupSteps ?? 0;
  const interval = options.intervalSteps ?? 1;
  const nMin = options.nMinTrials ?? 1;
  if (typeof percentile !== 'number' || !(percentile >= 0 && percentile <= 100)) throw new ValueError(`percentilePruner: percentile must be in [0, 100], got ${describeValue(percentile)}`);
  if (!(Number.isInteger(nStartup) && nStartup >= 0)) throw new ValueError(`percentilePruner: nStartupTrials must be a non-negative integer, got ${nStartup}`);
  if (!(Number.isInteger(warmup) && warmup >= 0)) throw new ValueError(`percentilePruner: nWarmupSteps must be a non-negative integer, got ${warmup}`);
  if (!(Number.isInteger(interval) && interval >= 1)) throw new ValueError(`percentilePruner: intervalSteps must be an integer >= 1, got ${interval}`);
  if (!(Number.isInteger(nMin) && nMin >= 1)) throw new ValueError(`percentilePruner: nMinTrials must be an integer >= 1, got ${nMin}`);
  return {
    name: percentile === 50 ? 'median' : `percentile(${percentile})`,
    prune({ history, trial, direction }) {
      const complete = history.filter((t: FrozenTrial) => t.state === 'complete');
      if (complete.length === 0 || complete.length < nStartup) return { prune: false };
      const step = lastStep(trial);
      if (step === null || step < warmup) return { prune: false };
      if (!firstInInterval(step, trial.intermediate.keys(), warmup, interval)) return { prune: false };
      const values = [...trial.intermediate.values()].filter((v) => !Number.isNaN(v));
      if (values.length === 0) return { prune: true };
      const best = direction === 'maximize' ? Math.max(...values) : Math.min(...values);
      const atStep = complete.filter((t) => t.intermediate.has(step)).map((t) => t.intermediate.get(step)!);
      if (atStep.length < nMin) return { prune: false };
      const q = nanPercentile(atStep, direction === 'maximize' ? 100 - percentile : percentile);
      if (Number.isNaN(q)) return { prune: false };
      return { prune: direction === 'maximize' ? best < q : best > q };
    },
  };
}

/**
 * The median pruner: `percentilePruner(50, options)`.
 *
 * @example
 * ```ts
 * import { tune } from 'typegrad';
 * const study = await tune.createStudy({ pruner: tune.medianPruner({ nStartupTrials: 5, nWarmupSteps: 2 }) });
 * ```
 */
export function medianPruner(options: PercentileOptions = {}): Pruner {
  checkOptions('tune.medianPruner', options);
  return percentilePruner(50, options);
}
