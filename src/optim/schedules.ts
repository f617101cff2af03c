/**
 * Learning-rate schedules: pure functions from the step (0 for the first
 * update) to a value, with optax's semantics. Pass one wherever a learning
 * rate is accepted; the state then holds the rate of the next update.
 */
import { ValueError } from '../core/errors.js';
import { checkArray, checkFunction, checkObject } from '../core/validate.js';

/**
 * A value as a pure function of the step count (0 for the first update).
 * `horizon`, where known, is a step from which the value never changes: the
 * built-in schedules set it, so that inside `jit` (where the step count is
 * abstract) the values up to it become a table the program indexes.
 */
export type Schedule = ((step: number) => number) & { readonly horizon?: number };

/** Marks `f` as constant from step `horizon` on. */
function settles(f: (step: number) => number, horizon: number | undefined): Schedule {
  return horizon === undefined ? f : Object.assign(f, { horizon });
}

/** A learning rate: a positive number or a schedule. */
export type LearningRate = number | Schedule;

function finite(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ValueError(`${op}: ${name} must be a finite number, got ${String(v)}`);
  return v;
}

function positiveInt(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) throw new ValueError(`${op}: ${name} must be a positive integer, got ${String(v)}`);
  return v;
}

function nonNegativeInt(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new ValueError(`${op}: ${name} must be a non-negative integer, got ${String(v)}`);
  return v;
}

/**
 * The same value at every step.
 * @example
 * ```ts
 * optim.constant(0.1)(1000); // 0.1
 * ```
 */
export function constant(value: number): Schedule {
  finite('constant', 'value', value);
  return settles(() => value, 0);
}

/** Options of {@link exponentialDecay}. */
export interface ExponentialDecayOptions {
  /** The value up to `transitionBegin`. */
  readonly init: number;
  /** Steps over which the value is multiplied by `decayRate` once. */
  readonly transitionSteps: number;
  /** The factor per `transitionSteps` steps (< 1 decays, > 1 grows). */
  readonly decayRate: number;
  /** Steps before the decay starts. Default 0. */
  readonly transitionBegin?: number;
  /** Decay in whole periods instead of continuously. Default false. */
  readonly staircase?: boolean;
  /** A bound the value never passes (a floor when decaying, a cap when growing). */
  readonly endValue?: number;
}

/**
 * `init * decayRate ^ ((step - transitionBegin) / transitionSteps)`, held at
 * `init` before `transitionBegin` and bounded by `endValue`.
 * @example
 * ```ts
 * const s = optim.exponentialDecay({ init: 0.1, transitionSteps: 100, decayRate: 0.5 });
 * s(0);   // 0.1
 * s(100); // 0.05
 * s(200); // 0.025
 * ```
 */
export function exponentialDecay(options: ExponentialDecayOptions): Schedule {
  checkObject('optim.exponentialDecay', 'options', options);
  const op = 'exponentialDecay';
  const init = finite(op, 'init', options.init);
  const steps = positiveInt(op, 'transitionSteps', options.transitionSteps);
  const rate = finite(op, 'decayRate', options.decayRate);
  if (rate <= 0) throw new ValueError(`${op}: decayRate must be positive, got ${rate}`);
  const begin = nonNegativeInt(op, 'transitionBegin', options.transitionBegin ?? 0);
  const staircase = options.staircase === true;
  const end = options.endValue === undefined ? undefined : finite(op, 'endValue', options.endValue);
  const f = (step: number): number => {
    const count = Math.max(step - begin, 0);
    const p = staircase ? Math.floor(count / steps) : count / steps;
    const v = init * rate ** p;
    if (end === undefined) return v;
    return rate < 1 ? Math.max(v, end) : Math.min(v, end);
  };
  // With an end value the decay is clamped from step begin + ceil(p) steps on, where rate^p = end / init (one transition of margin).
  const p = end === undefined ? undefined : Math.log(end / init) / Math.log(rate);
  return settles(f, p === undefined || !Number.isFinite(p) ? (rate === 1 ? 0 : undefined) : p <= 0 ? 0 : begin + (Math.ceil(p) + 1) * steps);
}

/** Options of {@link cosineDecay}. */
export interface CosineDecayOptions {
  /** The value at step 0. */
  readonly init: number;
  /** Steps to decay over; the value stays at `alpha * init` afterwards. */
  readonly decaySteps: number;
  /** The final value as a fraction of `init`. Default 0. */
  readonly alpha?: number;
  /** The power of the cosine factor. Default 1. */
  readonly exponent?: number;
}

/**
 * Cosine decay from `init` to `alpha * init` over `decaySteps`:
 * `init * ((1 - alpha) * (0.5 (1 + cos(pi t / T)))^exponent + alpha)` with `t = min(step, T)`.
 * @example
 * ```ts
 * const s = optim.cosineDecay({ init: 1, decaySteps: 100 });
 * s(0);   // 1
 * s(50);  // 0.5
 * s(100); // 0
 * ```
 */
export function cosineDecay(options: CosineDecayOptions): Schedule {
  checkObject('optim.cosineDecay', 'options', options);
  const op = 'cosineDecay';
  const init = finite(op, 'init', options.init);
  const steps = positiveInt(op, 'decaySteps', options.decaySteps);
  const alpha = finite(op, 'alpha', options.alpha ?? 0);
  const exponent = finite(op, 'exponent', options.exponent ?? 1);
  return settles((step) => {
    const t = Math.min(Math.max(step, 0), steps);
    const cosine = 0.5 * (1 + Math.cos((Math.PI * t) / steps));
    return init * ((1 - alpha) * cosine ** exponent + alpha);
  }, steps);
}

/** Options of {@link warmupCosineDecay}. */
export interface WarmupCosineDecayOptions {
  /** The value at step 0. Default 0. */
  readonly init?: number;
  /** The value at the end of the warmup. */
  readonly peak: number;
  /** Steps of linear warmup from `init` to `peak`. */
  readonly warmupSteps: number;
  /** Total steps, warmup included; the cosine runs from `warmupSteps` to `decaySteps`. */
  readonly decaySteps: number;
  /** The value after `decaySteps`. Default 0. */
  readonly end?: number;
  /** The power of the cosine factor. Default 1. */
  readonly exponent?: number;
}

/**
 * Linear warmup from `init` to `peak` over `warmupSteps`, then cosine decay
 * to `end` at `decaySteps` (which counts the warmup), as optax's
 * `warmup_cosine_decay_schedule`.
 * @example
 * ```ts
 * const s = optim.warmupCosineDecay({ peak: 1e-3, warmupSteps: 100, decaySteps: 1100 });
 * s(0);    // 0
 * s(100);  // 0.001
 * s(600);  // 0.0005
 * s(1100); // 0
 * ```
 */
export function warmupCosineDecay(options: WarmupCosineDecayOptions): Schedule {
  checkObject('optim.warmupCosineDecay', 'options', options);
  const op = 'warmupCosineDecay';
  const init = finite(op, 'init', options.init ?? 0);
  const peak = finite(op, 'peak', options.peak);
  const warmup = nonNegativeInt(op, 'warmupSteps', options.warmupSteps);
  const total = positiveInt(op, 'decaySteps', options.decaySteps);
  const end = finite(op, 'end', options.end ?? 0);
  const exponent = finite(op, 'exponent', options.exponent ?? 1);
  if (total <= warmup) throw new ValueError(`${op}: decaySteps (${total}) must be greater than warmupSteps (${warmup})`);
  const span = total - warmup;
  return settles((step) => {
    if (step < warmup) return init + ((peak - init) * Math.max(step, 0)) / warmup;
    const t = Math.min(step - warmup, span);
    const cosine = 0.5 * (1 + Math.cos((Math.PI * t) / span));
    return end + (peak - end) * cosine ** exponent;
  }, total);
}

/**
 * `init`, multiplied by `scale` at every boundary the step has reached
 * (`step >= boundary`), as optax's `piecewise_constant_schedule`.
 * @example
 * ```ts
 * const s = optim.piecewiseConstant(0.1, { 100: 0.1, 200: 0.1 });
 * s(99);  // 0.1
 * s(100); // 0.01
 * s(250); // 0.001
 * ```
 */
export function piecewiseConstant(init: number, boundariesAndScales: Readonly<Record<number, number>> = {}): Schedule {
  const op = 'piecewiseConstant';
  finite(op, 'init', init);
  const entries = Object.entries(boundariesAndScales).map(([b, s]): [number, number] => {
    const boundary = Number(b);
    nonNegativeInt(op, `boundary ${b}`, boundary);
    return [boundary, finite(op, `the scale at ${b}`, s)];
  });
  entries.sort((a, b) => a[0] - b[0]);
  return settles((step) => {
    let v = init;
    for (const [boundary, scale] of entries) {
      if (step < boundary) break;
      v *= scale;
    }
    return v;
  }, entries.length === 0 ? 0 : entries[entries.length - 1]![0]);
}

/** Options of {@link linear}. */
export interface LinearScheduleOptions {
  /** The value up to `transitionBegin`. */
  readonly init: number;
  /** The value from `transitionBegin + transitionSteps` on. */
  readonly end: number;
  /** Steps of the linear ramp. */
  readonly transitionSteps: number;
  /** Steps before the ramp starts. Default 0. */
  readonly transitionBegin?: number;
}

/**
 * A linear ramp from `init` to `end` over `transitionSteps`, starting at
 * `transitionBegin` (optax's `linear_schedule`).
 * @example
 * ```ts
 * const s = optim.linear({ init: 0, end: 1, transitionSteps: 10 });
 * s(5);  // 0.5
 * s(20); // 1
 * ```
 */
export function linear(options: LinearScheduleOptions): Schedule {
  checkObject('optim.linear', 'options', options);
  const op = 'linear';
  const init = finite(op, 'init', options.init);
  const end = finite(op, 'end', options.end);
  const steps = positiveInt(op, 'transitionSteps', options.transitionSteps);
  const begin = nonNegativeInt(op, 'transitionBegin', options.transitionBegin ?? 0);
  return settles((step) => {
    const t = Math.min(Math.max(step - begin, 0), steps);
    return init + ((end - init) * t) / steps;
  }, begin + steps);
}

/**
 * Runs `schedules[i]` from `boundaries[i - 1]` on, each with its step counted
 * from its own start (optax's `join_schedules`).
 * @example
 * ```ts
 * const s = optim.joinSchedules([optim.constant(0.1), optim.cosineDecay({ init: 0.1, decaySteps: 100 })], [50]);
 * s(49); // 0.1
 * s(50); // 0.1 (step 0 of the cosine)
 * ```
 */
export function joinSchedules(schedules: readonly Schedule[], boundaries: readonly number[]): Schedule {
  checkArray('optim.joinSchedules', 'schedules', schedules).forEach((f, i) => checkFunction('optim.joinSchedules', `schedules[${i}]`, f));
  checkArray('optim.joinSchedules', 'boundaries', boundaries);
  const op = 'joinSchedules';
  if (schedules.length === 0 || boundaries.length !== schedules.length - 1) {
    throw new ValueError(`${op}: need n schedules and n - 1 boundaries, got ${schedules.length} and ${boundaries.length}`);
  }
  boundaries.forEach((b, i) => {
    nonNegativeInt(op, `boundary ${i}`, b);
    if (i > 0 && b <= boundaries[i - 1]!) throw new ValueError(`${op}: boundaries must increase, got ${boundaries.join(', ')}`);
  });
  return settles((step) => {
    let i = 0;
    while (i < boundaries.length && step >= boundaries[i]!) i++;
    return schedules[i]!(i === 0 ? step : step - boundaries[i - 1]!);
  }, schedules[schedules.length - 1]!.horizon === undefined ? undefined : boundaries[boundaries.length - 1]! + schedules[schedules.length - 1]!.horizon!);
}
