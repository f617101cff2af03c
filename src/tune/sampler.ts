/**
 * What a sampler is: a pure function of the trial history and an explicit
 * key. `relative` (optional) draws several parameters jointly when a trial
 * starts, from the parameters earlier trials share; `independent` draws one
 * parameter when the objective first asks for it. Both return the same
 * answer for the same history, trial number and key.
 */
import type { Choice, Distribution } from './distributions.js';
import type { Direction, FrozenTrial } from './frozen-trial.js';

/**
 * What a sampler sees: every other trial of the study (`history`, any state),
 * the trial being sampled so far, and the study direction.
 *
 * @example
 * ```ts
 * const ctx: tune.SampleContext = { history: study.trials, trial, direction: 'minimize' };
 * ```
 */
export interface SampleContext {
  readonly history: readonly FrozenTrial[];
  readonly trial: FrozenTrial;
  readonly direction: Direction;
}

/**
 * Parameters drawn jointly at the start of a trial (external values) and
 * system attributes to record on it (the grid sampler's `grid_id`).
 */
export interface RelativeSample {
  readonly params: Readonly<Record<string, Choice>>;
  readonly systemAttrs?: Readonly<Record<string, unknown>>;
}

/**
 * A sampler (see the module comment). `independent` returns the *internal*
 * value (a choice index for categoricals). `exhausted` (optional) tells
 * `optimize` to stop, as the grid sampler does when every point was tried.
 *
 * @example
 * ```ts
 * const s: tune.Sampler = tune.randomSampler({ seed: 0 });
 * ```
 */
export interface Sampler {
  readonly name: string;
  relative?(ctx: SampleContext): RelativeSample;
  independent(ctx: SampleContext, name: string, dist: Distribution): number;
  exhausted?(history: readonly FrozenTrial[]): boolean;
}

/** How a sampler gets its key: a `seed` (an integer) or a `key` from `random.key`; default seed 0. */
export interface SeedOptions {
  readonly seed?: number;
  readonly key?: import('../random/key.js').Key;
}
