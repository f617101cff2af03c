/**
 * Asynchronous successive halving (Li et al., "A system for massively
 * parallel hyperparameter tuning", 2020), with Optuna's rules. A trial
 * climbs rungs: rung r ends at step `minResource * rf^(minEarlyStoppingRate + r)`.
 * On reaching it the trial records its value there (system attribute
 * `completed_rung_r`) and competes with every trial that recorded that rung:
 * it goes on only if it is among the best `max(1, floor(count / rf))`, and
 * is pruned if at most `bootstrapCount` trials compete. A NaN value is pruned.
 * `minResource: 'auto'` waits for a complete trial and uses
 * `max(floor(its last step / 100), 1)`.
 */
import { ValueError } from '../../core/errors.js';
import { lastStep, type Direction, type FrozenTrial } from '../frozen-trial.js';
import type { PruneContext, PruneDecision, Pruner } from '../pruner.js';
import { checkOptions } from '../../core/validate.js';

/**
 * Options of {@link successiveHalvingPruner} (Optuna's defaults: 'auto', 4, 0, 0).
 *
 * @example
 * ```ts
 * const o: tune.SuccessiveHalvingOptions = { minResource: 1, reductionFactor: 3 };
 * ```
 */
export interface SuccessiveHalvingOptions {
  readonly minResource?: number | 'auto';
  readonly reductionFactor?: number;
  readonly minEarlyStoppingRate?: number;
  readonly bootstrapCount?: number;
}

const rungKey = (r: number) => `completed_rung_${r}`;

/** `max(floor(last step of the longest complete trial / 100), 1)`, or null before any complete trial. */
export function estimateMinResource(trials: readonly FrozenTrial[]): number | null {
  let last: number | null = null;
  for (const t of trials) {
    if (t.state !== 'complete') continue;
    const s = lastStep(t);
    if (s !== null && (last === null || s > last)) last = s;
  }
  return last === null ? null : Math.max(Math.floor(last / 100), 1);
}

/** True when `value` is among the best max(1, floor(n / rf)) of `competing` (which includes it). */
function promotable(value: number, competing: number[], rf: number, direction: Direction): boolean {
  let idx = Math.floor(competing.length / rf) - 1;
  if (idx === -1) idx = 0;
  competing.sort((a, b) => a - b);
  return direction === 'maximize' ? value >= competing[competing.length - 1 - idx]! : value <= competing[idx]!;
}

/**
 * The decision of successive halving for one trial (see the module comment); used by Hyperband too.
 */
export function successiveHalvingDecision(ctx: PruneContext, minResource: number | null, rf: number, rate: number, bootstrap: number, trials: readonly FrozenTrial[]): PruneDecision {
  const { trial, direction } = ctx;
  const step = lastStep(trial);
  if (step === null || minResource === null) return { prune: false };
  let rung = 0;
  while (rungKey(rung) in trial.systemAttrs) rung++;
  const value = trial.intermediate.get(step)!;
  const attrs: Record<string, number> = {};
  for (;;) {
    if (step < minResource * rf ** (rate + rung)) return { prune: false, systemAttrs: attrs };
    if (Number.isNaN(value)) return { prune: true, systemAttrs: attrs };
    const key = rungKey(rung);
    attrs[key] = value;
    const competing = trials.filter((t) => t.number !== trial.number && key in t.systemAttrs).map((t) => t.systemAttrs[key] as number);
    competing.push(value);
    if (competing.length <= bootstrap) return { prune: true, systemAttrs: attrs };
    if (!promotable(value, competing, rf, direction)) return { prune: true, systemAttrs: attrs };
    rung++;
  }
}

/** Checks the common options of successive halving and Hyperband. */
export function checkHalvingOptions(op: string, minResource: number | 'auto', rf: number, rate: number, bootstrap: number): void {
  if (minResource !== 'auto' && !(Number.isInteger(minResource) && minResource >= 1)) throw new ValueError(`${op}: minResource must be 'auto' or an integer >= 1, got ${minResource}`);
  if (!(Number.isInteger(rf) && rf >= 2)) throw new ValueError(`${op}: reductionFactor must be an integer >= 2, got ${rf}`);
  if (!(Number.isInteger(rate) && rate >= 0)) throw new ValueError(`${op}: minEarlyStoppingRate must be a non-negative integer, got ${rate}`);
  if (!(Number.isInteger(bootstrap) && bootstrap >= 0)) throw new ValueError(`${op}: bootstrapCount must be a non-negative integer, got ${bootstrap}`);
}

/**
 * The successive halving pruner (see the module comment).
 *
 * @example
 * ```ts
 * import { tune } from 'typegrad';
 * const study = await tune.createStudy({ pruner: tune.successiveHalvingPruner({ minResource: 1, reductionFactor: 4 }) });
 * ```
 */
export function successiveHalvingPruner(options: SuccessiveHalvingOptions = {}): Pruner {
  checkOptions('tune.successiveHalvingPruner', options);
  const minResource = options.minResource ?? 'auto';
  const rf = options.reductionFactor ?? 4;
  const rate = options.minEarlyStoppingRate ?? 0;
  const bootstrap = options.bootstrapCount ?? 0;
  checkHalvingOptions('successiveHalvingPruner', minResource, rf, rate, bootstrap);
  return {
    name: 'successive-halving',
    prune(ctx) {
      const min = minResource === 'auto' ? estimateMinResource(ctx.history) : minResource;
      return successiveHalvingDecision(ctx, min, rf, rate, bootstrap, ctx.history);
    },
  };
}
