/**
 * Errors of the tuning module. `TrialPruned` is a signal, not a failure: an
 * objective throws it when `trial.shouldPrune()` says so, and the study
 * records the trial as pruned. The others are named `TypegradError`s whose
 * message names the call and the offending values.
 *
 * @example
 * ```ts
 * import { tune } from 'typegrad';
 * try { throw new tune.TrialPruned(); } catch (e) { e instanceof tune.TrialPruned; } // true
 * ```
 */
import { TypegradError } from '../core/errors.js';

/**
 * Thrown by an objective to stop a trial early; `optimize` records it as pruned.
 *
 * @example
 * ```ts
 * import { tune } from 'typegrad';
 * const objective = (trial: tune.Trial) => { trial.report(1, 0); if (trial.shouldPrune()) throw new tune.TrialPruned(); return 1; };
 * ```
 */
export class TrialPruned extends Error {
  override name = 'TrialPruned';
  constructor(message = 'trial pruned') {
    super(message);
  }
}

/**
 * A parameter suggested twice in a trial (or across a study) with different
 * distributions: `trial.float('lr'): 'lr' was float [0.001, 0.1] and is now int [1, 3]`.
 *
 * @example
 * ```ts
 * import { tune } from 'typegrad';
 * const e = new tune.ParamConflictError('trial.int: ...'); e.name; // 'ParamConflictError'
 * ```
 */
export class ParamConflictError extends TypegradError {
  override name = 'ParamConflictError';
}

/**
 * A trial used in a state that forbids it: `study.tell: trial 3 is already complete`.
 *
 * @example
 * ```ts
 * import { tune } from 'typegrad';
 * new tune.TrialStateError('study.tell: trial 3 is already complete').name; // 'TrialStateError'
 * ```
 */
export class TrialStateError extends TypegradError {
  override name = 'TrialStateError';
}

/**
 * A storage that cannot be read or written: a corrupt journal line, a schema
 * version newer than this library, a study that does not exist.
 *
 * @example
 * ```ts
 * import { tune } from 'typegrad';
 * new tune.StorageError('journal: line 3 is not JSON').name; // 'StorageError'
 * ```
 */
export class StorageError extends TypegradError {
  override name = 'StorageError';
}
