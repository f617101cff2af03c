/**
 * What a pruner is: a pure function from the study's trials and a running
 * trial (with its intermediate values so far) to "stop it or not". A pruner
 * may ask the study to record system attributes on the trial (successive
 * halving records the value each rung saw).
 */
import type { Direction, FrozenTrial } from './frozen-trial.js';

/**
 * What a pruner sees: every trial of the study (`history`, the running trial
 * included as it is now), the trial to judge, the direction and study name.
 *
 * @example
 * ```ts
 * const ctx: tune.PruneContext = { history: study.trials, trial, direction: 'minimize', studyName: 'demo' };
 * ```
 */
export interface PruneContext {
  readonly history: readonly FrozenTrial[];
  readonly trial: FrozenTrial;
  readonly direction: Direction;
  readonly studyName: string;
}

/**
 * A pruner's answer, and system attributes to record on the trial.
 *
 * @example
 * ```ts
 * const d: tune.PruneDecision = { prune: false };
 * ```
 */
export interface PruneDecision {
  readonly prune: boolean;
  readonly systemAttrs?: Readonly<Record<string, unknown>>;
}

/**
 * A pruner (see the module comment).
 *
 * @example
 * ```ts
 * const p: tune.Pruner = tune.medianPruner({ nWarmupSteps: 5 });
 * ```
 */
export interface Pruner {
  readonly name: string;
  prune(ctx: PruneContext): PruneDecision;
}

/**
 * The pruner that never prunes (the default of a study).
 *
 * @example
 * ```ts
 * tune.nopPruner().prune(ctx).prune; // false
 * ```
 */
export function nopPruner(): Pruner {
  return { name: 'none', prune: () => ({ prune: false }) };
}
