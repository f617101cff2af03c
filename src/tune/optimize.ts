/**
 * The optimisation loop over ask and tell. `parallel: n` keeps n trials in
 * flight in this thread (async concurrency): it overlaps objectives that
 * wait (on I/O, on worker threads, on other processes), but JavaScript runs
 * one synchronous objective at a time, so for CPU-bound training use
 * several processes on a shared journal or PostgreSQL store, each running
 * `optimize` (the way Optuna scales), or `tune.optimizeInWorkers`.
 */
import { describeValue } from '../core/describe.js';
import { ValueError } from '../core/errors.js';
import { checkFunction, checkOptions } from '../core/validate.js';
import type { FrozenTrial } from './frozen-trial.js';
import { TrialPruned } from './errors.js';
import type { Study } from './study.js';
import type { Trial } from './trial.js';
import { trialProgress, type TrialProgress } from './progress.js';

/**
 * An objective: a trial in, the value to minimise or maximise out (or a promise of it).
 *
 * @example
 * ```ts
 * const objective: tune.Objective = (trial) => (trial.float('x', -10, 10) - 2) ** 2;
 * ```
 */
export type Objective = (trial: Trial) => number | Promise<number>;

/**
 * Options of `study.optimize`:
 * - `trials`: how many trials this call runs (default: until `timeout` or `stop()`; one of the two is needed);
 * - `timeout`: seconds after which no new trial starts;
 * - `parallel`: trials in flight at once (default 1);
 * - `catch`: `true` to record an objective's error as a failed trial and go on; by
 *   default the trial is recorded as failed and the error is rethrown once running trials end (as Optuna does);
 * - `progress`: a progress line per finished trial (`true` = stdout, or the console in a browser), or a stream;
 * - `onTrial`: called with each finished trial.
 */
export interface OptimizeOptions {
  readonly trials?: number;
  readonly timeout?: number;
  readonly parallel?: number;
  readonly catch?: boolean;
  readonly progress?: boolean | { write(text: string): unknown; readonly isTTY?: boolean };
  readonly onTrial?: (trial: FrozenTrial) => void;
}

/** What one `optimize` call did. */
export interface OptimizeResult {
  readonly complete: number;
  readonly pruned: number;
  readonly failed: number;
}

/**
 * Runs the loop for `study.optimize` (see the module comment).
 *
 * @example
 * ```ts
 * await tune.optimizeStudy(study, objective, { trials: 20, parallel: 2 });
 * ```
 */
export async function optimizeStudy(study: Study, objective: Objective, options: OptimizeOptions = {}): Promise<OptimizeResult> {
  checkOptions('tune.optimizeStudy', options);
  return runOptimize('tune.optimizeStudy', study, objective, options);
}

/** @internal {@link optimizeStudy}, its errors naming `op` (`study.optimize` when called as a method). */
export async function runOptimize(op: string, study: Study, objective: Objective, options: OptimizeOptions = {}): Promise<OptimizeResult> {
  if (typeof (study as Partial<Study> | null)?.ask !== 'function' || typeof (study as Partial<Study>).tell !== 'function') throw new ValueError(`${op}: study must be a Study (from tune.createStudy), got ${describeValue(study)}`);
  checkFunction(op, 'objective', objective);
  options = checkOptions<OptimizeOptions>(op, options);
  const total = options.trials ?? Infinity;
  const parallel = options.parallel ?? 1;
  if (total !== Infinity && !(Number.isSafeInteger(total) && total >= 0)) throw new ValueError(`${op}: trials must be a non-negative integer, got ${describeValue(total)}`);
  if (!(Number.isSafeInteger(parallel) && parallel >= 1)) throw new ValueError(`${op}: parallel must be a positive integer, got ${describeValue(parallel)}`);
  if (options.timeout !== undefined && !(typeof options.timeout === 'number' && options.timeout > 0)) throw new ValueError(`${op}: timeout must be a positive number of seconds, got ${describeValue(options.timeout)}`);
  if (total === Infinity && options.timeout === undefined) throw new ValueError(`${op}: give trials or timeout (it would run forever)`);
  const deadline = options.timeout === undefined ? Infinity : Date.now() + options.timeout * 1000;
  const progress: TrialProgress | null = options.progress === false || options.progress === undefined ? null : trialProgress({ total, stream: options.progress === true ? standardOutput() : options.progress });
  let started = 0;
  const counts = { complete: 0, pruned: 0, failed: 0 };
  let firstError: unknown = null;

  const lane = async (): Promise<void> => {
    while (started < total && Date.now() < deadline && !study.stopped && firstError === null) {
      started++;
      const trial = await study.ask();
      const timer = study.heartbeatInterval === null ? null : setInterval(() => study.heartbeat(trial.number), study.heartbeatInterval * 1000);
      let frozen: FrozenTrial;
      try {
        let outcome: { value: number } | { pruned: true } | { error: unknown };
        try {
          outcome = { value: await objective(trial) };
        } catch (e) {
          // By name too: an objective module loaded separately (a worker thread) has its own class.
          outcome = e instanceof TrialPruned || (e instanceof Error && e.name === 'TrialPruned') ? { pruned: true } : { error: e };
        }
        if ('value' in outcome) frozen = await study.tell(trial, outcome.value);
        else if ('pruned' in outcome) frozen = await study.tell(trial, 'pruned');
        else {
          frozen = await study.tell(trial, 'fail', outcome.error);
          if (options.catch !== true) firstError ??= outcome.error;
        }
      } finally {
        if (timer !== null) clearInterval(timer);
      }
      if (frozen.state === 'complete') counts.complete++;
      else if (frozen.state === 'pruned') counts.pruned++;
      else counts.failed++;
      progress?.trial(frozen, study);
      options.onTrial?.(frozen);
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  progress?.done(study);
  if (firstError !== null) throw firstError;
  return counts;
}

/** Node's stdout when there is one (a TTY redraws in place), else lines on the console. */
export function standardOutput(): { write(text: string): unknown; readonly isTTY?: boolean } {
  const host = (globalThis as { process?: { stdout?: { write(text: string): unknown; isTTY?: boolean } } }).process;
  return host?.stdout ?? { write: (text: string) => console.log(text.replace(/\n$/, '')) };
}
