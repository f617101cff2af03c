/**
 * A running trial, the define-by-run API: the objective asks it for values
 * (`float`, `int`, `categorical`), and the search space is whatever the code
 * asks for. Asking again for a name returns the same value; asking for it
 * with another distribution is a `ParamConflictError`. `report` and
 * `shouldPrune` connect a training loop to the study's pruner.
 */
import { ValueError } from '../core/errors.js';
import {
  checkedCategorical,
  checkedFloat,
  checkedInt,
  contains,
  describeDistribution,
  isSingle,
  sameDistribution,
  toExternal,
  toInternal,
  type Choice,
  type Distribution,
  type NumericOptions,
} from './distributions.js';
import { ParamConflictError, TrialStateError } from './errors.js';
import type { FrozenTrial } from './frozen-trial.js';
import type { Op } from './ops.js';

/** @internal What a trial needs from its study. */
export interface TrialHost {
  /** Every trial of the study as last read, this one excluded. */
  others(number: number): readonly FrozenTrial[];
  /** The distribution a name had in earlier trials, if any. */
  known(name: string): Distribution | undefined;
  sample(trial: FrozenTrial, name: string, dist: Distribution): number;
  prune(trial: FrozenTrial): { prune: boolean; systemAttrs?: Readonly<Record<string, unknown>> };
  record(op: Op): void;
  beat(trial: FrozenTrial): void;
}

/**
 * A trial handed out by `study.ask()` (or to an objective by `optimize`).
 *
 * @example
 * ```ts
 * import { tune } from 'typegrad';
 * const study = await tune.createStudy();
 * const trial = await study.ask();
 * const lr = trial.float('lr', 1e-5, 1e-1, { log: true });            // number
 * const opt = trial.categorical('optimizer', ['sgd', 'adam'] as const); // 'sgd' | 'adam'
 * await study.tell(trial, lr);
 * ```
 */
export class Trial {
  readonly #host: TrialHost;
  readonly #relative: Readonly<Record<string, Choice>>;
  #record: FrozenTrial;

  /** @internal Made by the study. */
  constructor(host: TrialHost, record: FrozenTrial, relative: Readonly<Record<string, Choice>>) {
    this.#host = host;
    this.#record = record;
    this.#relative = relative;
  }

  /** The trial's number in its study (0, 1, ...), unique across all workers. */
  get number(): number {
    return this.#record.number;
  }

  /** The parameters suggested so far (external values). */
  get params(): Readonly<Record<string, Choice>> {
    return this.#record.params;
  }

  /** This trial as a plain record, as it is now. */
  get frozen(): FrozenTrial {
    return this.#record;
  }

  /**
   * A float in [low, high]; `log: true` for log-uniform (needs low > 0),
   * `step` for the grid low, low + step, ... (high moves down onto it).
   *
   * @example
   * ```ts
   * const dropout = trial.float('dropout', 0.1, 0.5);
   * const lr = trial.float('lr', 1e-5, 1e-1, { log: true });
   * ```
   */
  float(name: string, low: number, high: number, options: NumericOptions = {}): number {
    return this.suggest(name, checkedFloat(`trial.float('${name}')`, low, high, options)) as number;
  }

  /**
   * An integer in [low, high]; `step` for every step-th, `log: true` for log-uniform.
   *
   * @example
   * ```ts
   * const layers = trial.int('layers', 1, 3);
   * const units = trial.int('units', 4, 128, { log: true });
   * ```
   */
  int(name: string, low: number, high: number, options: NumericOptions = {}): number {
    return this.suggest(name, checkedInt(`trial.int('${name}')`, low, high, options)) as number;
  }

  /**
   * One of `choices`; typed as their union (`['sgd', 'adam'] as const` gives `'sgd' | 'adam'`).
   *
   * @example
   * ```ts
   * const optimizer = trial.categorical('optimizer', ['sgd', 'adam', 'rmsprop'] as const);
   * ```
   */
  categorical<const C extends readonly Choice[]>(name: string, choices: C): C[number] {
    return this.suggest(name, checkedCategorical(`trial.categorical('${name}')`, choices)) as C[number];
  }

  /**
   * A value of any distribution (the typed methods call this).
   *
   * @example
   * ```ts
   * trial.suggest('n', tune.intDistribution('n', 1, 3)); // 1, 2 or 3
   * ```
   */
  suggest(name: string, dist: Distribution): Choice {
    this.#checkRunning('suggest');
    const mine = this.#record.distributions[name];
    if (mine !== undefined) {
      if (!sameDistribution(mine, dist)) throw conflict(name, mine, dist, `trial ${this.number}`);
      return this.#record.params[name]!;
    }
    const known = this.#host.known(name);
    if (known !== undefined && (known.kind !== dist.kind || (known.kind === 'categorical' && !sameDistribution(known, dist)))) {
      throw conflict(name, known, dist, 'earlier trials');
    }
    let internal: number;
    const fromRelative = this.#relative[name];
    if (isSingle(dist)) internal = dist.kind === 'categorical' ? 0 : dist.low;
    else if (fromRelative !== undefined && contains(dist, toInternal(dist, fromRelative))) internal = toInternal(dist, fromRelative);
    else internal = this.#host.sample(this.#record, name, dist);
    if (!contains(dist, internal)) throw new ValueError(`trial.suggest('${name}'): the sampler gave ${internal}, outside ${describeDistribution(dist)}`);
    this.#apply({ op: 'param', n: this.number, name, dist, value: internal });
    return toExternal(dist, internal);
  }

  /**
   * Records the objective's value at a step (an epoch, a number of
   * samples): a non-negative integer. A second report at the same step is
   * ignored, as in Optuna. Also refreshes the trial's heartbeat.
   *
   * @example
   * ```ts
   * trial.report(validationLoss, epoch);
   * ```
   */
  report(value: number, step: number): void {
    this.#checkRunning('report');
    if (typeof value !== 'number') throw new ValueError(`trial.report: value must be a number, got ${typeof value}`);
    if (!Number.isSafeInteger(step) || step < 0) throw new ValueError(`trial.report: step must be a non-negative integer, got ${step}`);
    if (this.#record.intermediate.has(step)) return;
    this.#apply({ op: 'report', n: this.number, step, value });
    this.#host.beat(this.#record);
  }

  /**
   * Asks the study's pruner whether to stop this trial now (after a report).
   * Throw `new tune.TrialPruned()` when it says yes.
   *
   * @example
   * ```ts
   * if (trial.shouldPrune()) throw new tune.TrialPruned();
   * ```
   */
  shouldPrune(): boolean {
    this.#checkRunning('shouldPrune');
    const decision = this.#host.prune(this.#record);
    for (const [key, value] of Object.entries(decision.systemAttrs ?? {})) this.#apply({ op: 'attr', n: this.number, key, value, system: true });
    return decision.prune;
  }

  /**
   * Attaches a JSON value to the trial (kept in the store, shown by `study.trials`).
   *
   * @example
   * ```ts
   * trial.setUserAttr('accuracy', 0.87);
   * ```
   */
  setUserAttr(key: string, value: unknown): void {
    this.#apply({ op: 'attr', n: this.number, key, value, system: false });
  }

  /** @internal The study records the finished state. */
  finishLocally(record: FrozenTrial): void {
    this.#record = record;
  }

  /** @internal A system attribute set by the study (the grid sampler's point). */
  setSystemAttr(key: string, value: unknown): void {
    this.#apply({ op: 'attr', n: this.number, key, value, system: true });
  }

  #apply(op: Op): void {
    this.#record = applyLocal(this.#record, op);
    this.#host.record(op);
  }

  #checkRunning(what: string): void {
    if (this.#record.state !== 'running') throw new TrialStateError(`trial.${what}: trial ${this.number} is already ${this.#record.state}`);
  }
}

function conflict(name: string, was: Distribution, now: Distribution, where: string): ParamConflictError {
  return new ParamConflictError(`trial.${now.kind}('${name}'): '${name}' was ${describeDistribution(was)} in ${where} and is now ${describeDistribution(now)}`);
}

/** The trial after one of its own operations (the same rules as the log replay). */
function applyLocal(t: FrozenTrial, op: Op): FrozenTrial {
  switch (op.op) {
    case 'param':
      return { ...t, params: { ...t.params, [op.name]: toExternal(op.dist, op.value) }, internal: { ...t.internal, [op.name]: op.value }, distributions: { ...t.distributions, [op.name]: op.dist } };
    case 'report': {
      const intermediate = new Map(t.intermediate);
      intermediate.set(op.step, op.value);
      return { ...t, intermediate };
    }
    case 'attr':
      return op.system ? { ...t, systemAttrs: { ...t.systemAttrs, [op.key]: op.value } } : { ...t, userAttrs: { ...t.userAttrs, [op.key]: op.value } };
    default:
      return t;
  }
}
