/**
 * The record of one trial, as samplers, pruners, tables and plots see it:
 * plain immutable data, rebuilt from a study's operation log.
 */
import type { Choice, Distribution } from './distributions.js';
import { checkTrial } from './checks.js';
import { checkDirection } from './checks.js';

/**
 * Trial states, as in Optuna: a trial is `running` until told; then
 * `complete` (with a value), `pruned` (stopped early) or `fail` (an error,
 * a NaN value, or a worker that stopped sending heartbeats).
 *
 * @example
 * ```ts
 * const s: tune.TrialState = 'pruned';
 * ```
 */
export type TrialState = 'running' | 'complete' | 'pruned' | 'fail';

/**
 * Whether the study looks for the smallest or the largest value.
 *
 * @example
 * ```ts
 * const d: tune.Direction = 'maximize';
 * ```
 */
export type Direction = 'minimize' | 'maximize';

/**
 * A finished or running trial. `params` are external values (`'adam'`),
 * `internal` the numbers samplers work on (the choice index 1).
 * `intermediate` maps a step to its reported value; `error` is the message
 * of a failed trial; times are milliseconds since the epoch.
 *
 * @example
 * ```ts
 * const t: tune.FrozenTrial = study.trials[0];
 * t.state === 'complete' && t.value; // the objective's value
 * ```
 */
export interface FrozenTrial {
  readonly number: number;
  readonly state: TrialState;
  readonly value: number | null;
  readonly params: Readonly<Record<string, Choice>>;
  readonly internal: Readonly<Record<string, number>>;
  readonly distributions: Readonly<Record<string, Distribution>>;
  readonly intermediate: ReadonlyMap<number, number>;
  readonly userAttrs: Readonly<Record<string, unknown>>;
  readonly systemAttrs: Readonly<Record<string, unknown>>;
  readonly error: string | null;
  readonly worker: string;
  readonly start: number;
  readonly end: number | null;
  readonly heartbeat: number;
}

/**
 * The largest step with a reported value, or null.
 *
 * @example
 * ```ts
 * tune.lastStep(trial); // 9 after reports at steps 0..9
 * ```
 */
export function lastStep(t: FrozenTrial): number | null {
  checkTrial('tune.lastStep', 't', t);
  let last: number | null = null;
  for (const s of t.intermediate.keys()) if (last === null || s > last) last = s;
  return last;
}

/**
 * True when `a` is a better value than `b` in the direction (NaN never is).
 *
 * @example
 * ```ts
 * tune.isBetter('minimize', 1, 2); // true
 * ```
 */
export function isBetter(direction: Direction, a: number, b: number): boolean {
  checkDirection('tune.isBetter', direction);
  return direction === 'minimize' ? a < b : a > b;
}
