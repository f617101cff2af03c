/**
 * Search-space distributions, as Optuna defines them: a float (uniform, log
 * or on a step grid), an int (log or step) and a categorical over a list of
 * plain values. Samplers work on the *internal* representation, a number: the
 * value itself for floats and ints, the index of the choice for categoricals.
 */
import { describeValue } from '../core/describe.js';
import { ValueError } from '../core/errors.js';
import { checkOptions, checkString } from '../core/validate.js';
import { checkDistribution } from './checks.js';

/** A categorical choice: a plain value that survives JSON. */
export type Choice = string | number | boolean | null;

/**
 * A float in [low, high]: log-uniform when `log`, on the grid `low + k step` when `step`.
 *
 * @example
 * ```ts
 * const d: tune.FloatDistribution = { kind: 'float', low: 1e-5, high: 0.1, log: true, step: null };
 * ```
 */
export interface FloatDistribution {
  readonly kind: 'float';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  readonly step: number | null;
}

/**
 * An integer in [low, high] on the grid `low + k step`, log-uniform when `log` (then step is 1).
 *
 * @example
 * ```ts
 * const d: tune.IntDistribution = { kind: 'int', low: 1, high: 3, log: false, step: 1 };
 * ```
 */
export interface IntDistribution {
  readonly kind: 'int';
  readonly low: number;
  readonly high: number;
  readonly log: boolean;
  readonly step: number;
}

/**
 * One of a list of plain values.
 *
 * @example
 * ```ts
 * const d: tune.CategoricalDistribution = { kind: 'categorical', choices: ['sgd', 'adam'] };
 * ```
 */
export interface CategoricalDistribution {
  readonly kind: 'categorical';
  readonly choices: readonly Choice[];
}

/**
 * Any distribution of a parameter.
 *
 * @example
 * ```ts
 * const d: tune.Distribution = tune.floatDistribution('lr', 1e-5, 1e-1, { log: true });
 * ```
 */
export type Distribution = FloatDistribution | IntDistribution | CategoricalDistribution;

/** Options of a numeric suggestion: `log` and `step` exclude each other. */
export interface NumericOptions {
  readonly log?: boolean;
  readonly step?: number;
}

/**
 * A checked float distribution. `log` needs `low > 0`; a `step` moves `high`
 * down onto the grid `low + k step` (as Optuna does). Throws `ValueError`
 * naming the parameter otherwise.
 *
 * @example
 * ```ts
 * tune.floatDistribution('dropout', 0, 0.5, { step: 0.2 }).high; // 0.4
 * ```
 */
export function floatDistribution(name: string, low: number, high: number, options: NumericOptions = {}): FloatDistribution {
  checkOptions('tune.floatDistribution', options);
  return checkedFloat(`tune.floatDistribution('${checkString('tune.floatDistribution', 'name', name)}')`, low, high, options);
}

/** @internal floatDistribution, its errors naming `op` (`trial.float('lr')` when a trial asks). */
export function checkedFloat(op: string, low: number, high: number, options: NumericOptions = {}): FloatDistribution {
  checkBounds(op, low, high);
  options = checkOptions<NumericOptions>(op, options);
  const log = options.log === true;
  const step = options.step ?? null;
  if (log && step !== null) throw new ValueError(`${op}: log and step cannot be used together`);
  if (log && !(low > 0)) throw new ValueError(`${op}: log needs low > 0, got low=${low}`);
  if (step !== null && !(Number.isFinite(step) && step > 0)) throw new ValueError(`${op}: step must be a positive finite number, got ${describeValue(step)}`);
  const top = step === null ? high : onGrid(low, high, step);
  return { kind: 'float', low, high: top, log, step };
}

/**
 * A checked int distribution: integer bounds, integer `step >= 1`, and for
 * `log`, `low >= 1` and step 1. `high` moves down onto the step grid.
 *
 * @example
 * ```ts
 * tune.intDistribution('units', 4, 130, { step: 8 }).high; // 124
 * ```
 */
export function intDistribution(name: string, low: number, high: number, options: NumericOptions = {}): IntDistribution {
  checkOptions('tune.intDistribution', options);
  return checkedInt(`tune.intDistribution('${checkString('tune.intDistribution', 'name', name)}')`, low, high, options);
}

/** @internal intDistribution, its errors naming `op` (`trial.int('lr')` when a trial asks). */
export function checkedInt(op: string, low: number, high: number, options: NumericOptions = {}): IntDistribution {
  checkBounds(op, low, high);
  if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high)) throw new ValueError(`${op}: bounds must be integers, got [${low}, ${high}]`);
  options = checkOptions<NumericOptions>(op, options);
  const log = options.log === true;
  const step = options.step ?? 1;
  if (!Number.isSafeInteger(step) || step < 1) throw new ValueError(`${op}: step must be an integer >= 1, got ${describeValue(step)}`);
  if (log && step !== 1) throw new ValueError(`${op}: log and step cannot be used together`);
  if (log && low < 1) throw new ValueError(`${op}: log needs low >= 1, got low=${low}`);
  return { kind: 'int', low, high: low + Math.floor((high - low) / step) * step, log, step };
}

/**
 * A checked categorical distribution: a non-empty list of distinct plain values.
 *
 * @example
 * ```ts
 * tune.categoricalDistribution('optimizer', ['sgd', 'adam']).choices; // ['sgd', 'adam']
 * ```
 */
export function categoricalDistribution(name: string, choices: readonly Choice[]): CategoricalDistribution {
  return checkedCategorical(`tune.categoricalDistribution('${checkString('tune.categoricalDistribution', 'name', name)}')`, choices);
}

/** @internal categoricalDistribution, its errors naming `op` (`trial.categorical('lr')` when a trial asks). */
export function checkedCategorical(op: string, choices: readonly Choice[]): CategoricalDistribution {
  if (!Array.isArray(choices) || choices.length === 0) throw new ValueError(`${op}: choices must be a non-empty array, got ${describeValue(choices)}`);
  for (const c of choices) {
    if (!(c === null || typeof c === 'string' || typeof c === 'boolean' || (typeof c === 'number' && Number.isFinite(c)))) {
      throw new ValueError(`${op}: a choice must be a string, finite number, boolean or null, got ${describeValue(c)}`);
    }
  }
  if (new Set(choices).size !== choices.length) throw new ValueError(`${op}: choices must be distinct, got ${describeValue(choices)}`);
  return { kind: 'categorical', choices: [...choices] };
}

function checkBounds(op: string, low: number, high: number): void {
  if (!Number.isFinite(low) || !Number.isFinite(high)) throw new ValueError(`${op}: bounds must be finite numbers, got [${describeValue(low)}, ${describeValue(high)}]`);
  if (!(low <= high)) throw new ValueError(`${op}: need low <= high, got [${low}, ${high}]`);
}

/** The largest `low + k step <= high`, rounded to the step's decimals so 0.1 steps stay exact. */
function onGrid(low: number, high: number, step: number): number {
  const k = Math.floor((high - low) / step + 1e-9);
  return roundLike(low + k * step, step, low);
}

/** Rounds `x` to the number of decimals of `step` and `low` (up to 12), removing float noise such as 0.30000000000000004. */
export function roundLike(x: number, step: number, low: number): number {
  const decimals = Math.min(12, Math.max(decimalsOf(step), decimalsOf(low)));
  return Number(x.toFixed(decimals));
}

function decimalsOf(x: number): number {
  const s = String(x);
  const e = s.indexOf('e-');
  if (e >= 0) return Math.min(12, Number(s.slice(e + 2)) + Math.max(0, s.indexOf('.') >= 0 ? e - s.indexOf('.') - 1 : 0));
  const dot = s.indexOf('.');
  return dot < 0 ? 0 : s.length - dot - 1;
}

/**
 * True for a distribution with one possible value (Optuna's `single()`):
 * samplers skip it.
 *
 * @example
 * ```ts
 * tune.isSingle({ kind: 'int', low: 3, high: 3, log: false, step: 1 }); // true
 * ```
 */
export function isSingle(d: Distribution): boolean {
  checkDistribution('tune.isSingle', 'd', d);
  if (d.kind === 'categorical') return d.choices.length === 1;
  if (d.low === d.high) return true;
  return d.kind === 'float' && d.step !== null ? d.low + d.step > d.high : false;
}

/**
 * True when two distributions are the same (same kind, bounds, flags, choices).
 *
 * @example
 * ```ts
 * tune.sameDistribution(tune.intDistribution('a', 1, 3), tune.intDistribution('b', 1, 3)); // true
 * ```
 */
export function sameDistribution(a: Distribution, b: Distribution): boolean {
  checkDistribution('tune.sameDistribution', 'a', a);
  checkDistribution('tune.sameDistribution', 'b', b);
  if (a.kind === 'categorical' || b.kind === 'categorical') {
    if (a.kind !== 'categorical' || b.kind !== 'categorical') return false;
    return a.choices.length === b.choices.length && a.choices.every((c, i) => Object.is(c, b.choices[i]));
  }
  return a.kind === b.kind && a.low === b.low && a.high === b.high && a.log === b.log && a.step === b.step;
}

/**
 * Prints a distribution the way errors and tables show it: `float [1e-05, 0.1] log`.
 *
 * @example
 * ```ts
 * tune.describeDistribution(tune.intDistribution('n', 1, 3)); // 'int [1, 3]'
 * ```
 */
export function describeDistribution(d: Distribution): string {
  checkDistribution('tune.describeDistribution', 'd', d);
  if (d.kind === 'categorical') return `categorical ${JSON.stringify(d.choices)}`;
  const flags = d.log ? ' log' : d.step !== null && d.step !== 1 ? ` step ${d.step}` : d.kind === 'float' && d.step !== null ? ` step ${d.step}` : '';
  return `${d.kind} [${d.low}, ${d.high}]${flags}`;
}

/**
 * The internal number of an external value: itself for numbers, the choice index for categoricals (-1 if absent).
 *
 * @example
 * ```ts
 * tune.toInternal(tune.categoricalDistribution('o', ['sgd', 'adam']), 'adam'); // 1
 * ```
 */
export function toInternal(d: Distribution, value: Choice): number {
  checkDistribution('tune.toInternal', 'd', d);
  if (d.kind === 'categorical') return d.choices.findIndex((c) => Object.is(c, value));
  return value as number;
}

/**
 * The external value of an internal number.
 *
 * @example
 * ```ts
 * tune.toExternal(tune.categoricalDistribution('o', ['sgd', 'adam']), 1); // 'adam'
 * ```
 */
export function toExternal(d: Distribution, internal: number): Choice {
  checkDistribution('tune.toExternal', 'd', d);
  return d.kind === 'categorical' ? d.choices[internal]! : internal;
}

/**
 * True when an internal value lies in the distribution: inside the bounds,
 * an integer for ints, on the step grid (to 1e-8 of a step), a valid index.
 *
 * @example
 * ```ts
 * tune.contains(tune.intDistribution('n', 1, 9, { step: 2 }), 4); // false
 * ```
 */
export function contains(d: Distribution, internal: number): boolean {
  checkDistribution('tune.contains', 'd', d);
  if (!Number.isFinite(internal)) return false;
  if (d.kind === 'categorical') return Number.isInteger(internal) && internal >= 0 && internal < d.choices.length;
  if (internal < d.low || internal > d.high) return false;
  if (d.kind === 'int') return Number.isInteger(internal) && (internal - d.low) % d.step === 0;
  if (d.step === null) return true;
  const k = (internal - d.low) / d.step;
  return Math.abs(k - Math.round(k)) < 1e-8;
}
