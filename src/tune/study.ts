/**
 * A study: the ask/tell state machine over a stored operation log. `ask`
 * appends a `create` operation and reads back the trial number the log gave
 * it; the trial records its parameters and reports as further operations;
 * `tell` appends the `finish`. Every process that opens the same study in the
 * same store sees the same trials, in the same order (see `ops.ts`).
 */
import { describeValue } from '../core/describe.js';
import { ValueError } from '../core/errors.js';
import { checkObject, checkOptions, checkString } from '../core/validate.js';
import type { Choice, Distribution } from './distributions.js';
import { TrialStateError } from './errors.js';
import { isBetter, lastStep, type Direction, type FrozenTrial } from './frozen-trial.js';
import { applyOp, emptyState, type Op, type StudyState } from './ops.js';
import { nopPruner, type Pruner } from './pruner.js';
import type { Sampler } from './sampler.js';
import { memoryStorage, type OpenMode, type Storage } from './storage.js';
import { tpe } from './tpe/sampler.js';
import { Trial, type TrialHost } from './trial.js';
import { runOptimize, type Objective, type OptimizeOptions, type OptimizeResult } from './optimize.js';
import { trialsTable } from './table.js';

/**
 * Options of {@link createStudy}. Defaults: minimize, TPE with seed 0, no
 * pruning, in-memory storage, a fresh study name. `heartbeatInterval`
 * (seconds) turns on heartbeats for the trials this worker runs: a timer
 * and every `report` write one, and a running trial whose worker has not
 * written one for `gracePeriod` seconds (default twice the interval) is
 * marked failed by the next `ask` of any worker, as Optuna does (it is not
 * re-queued: its error says which worker went silent and for how long).
 *
 * @example
 * ```ts
 * const o: tune.StudyOptions = { direction: 'maximize', studyName: 'mnist', storage: tune.journalStorage('study.jsonl'), loadIfExists: true };
 * ```
 */
export interface StudyOptions {
  readonly direction?: Direction;
  readonly sampler?: Sampler;
  readonly pruner?: Pruner;
  readonly storage?: Storage;
  readonly studyName?: string;
  readonly loadIfExists?: boolean;
  readonly heartbeatInterval?: number;
  readonly gracePeriod?: number;
}

/**
 * The best complete trial: its value, its parameters and the trial.
 *
 * @example
 * ```ts
 * const { value, params } = study.best;
 * ```
 */
export interface BestTrial {
  readonly value: number;
  readonly params: Readonly<Record<string, Choice>>;
  readonly trial: FrozenTrial;
}

/** What to tell about a finished trial: its value, or that it was pruned or failed. */
export type TellResult = number | 'pruned' | 'fail';

/**
 * Creates a study, or opens the existing one of that name when `loadIfExists`.
 *
 * @example
 * ```ts
 * import { tune } from 'typegrad';
 * const study = await tune.createStudy({ direction: 'minimize', sampler: tune.tpe({ seed: 0 }), pruner: tune.medianPruner() });
 * ```
 */
export async function createStudy(options: StudyOptions = {}): Promise<Study> {
  options = checkOptions<StudyOptions>('tune.createStudy', options);
  return Study.open(options, options.loadIfExists === true ? 'createOrLoad' : 'create', 'tune.createStudy');
}

/**
 * Opens an existing study (its direction comes from the store).
 *
 * @example
 * ```ts
 * const study = await tune.loadStudy({ studyName: 'mnist', storage: tune.journalStorage('study.jsonl') });
 * ```
 */
export async function loadStudy(options: StudyOptions & { readonly studyName: string; readonly storage: Storage }): Promise<Study> {
  checkObject('tune.loadStudy', 'options', options);
  checkString('tune.loadStudy', 'options.studyName', options.studyName, true);
  checkObject('tune.loadStudy', 'options.storage', options.storage);
  return Study.open(options, 'load', 'tune.loadStudy');
}

/**
 * A study (see the module comment). Make one with `tune.createStudy`.
 *
 * @example
 * ```ts
 * const study = await tune.createStudy({ direction: 'minimize' });
 * const trial = await study.ask();
 * const x = trial.float('x', -10, 10);
 * await study.tell(trial, (x - 2) ** 2);
 * study.best.params; // { x: ... }
 * ```
 */
export class Study {
  readonly name: string;
  readonly direction: Direction;
  readonly sampler: Sampler;
  readonly pruner: Pruner;
  readonly storage: Storage;
  /** This process's worker id, written on the trials it creates. */
  readonly worker: string;
  readonly heartbeatInterval: number | null;
  readonly gracePeriod: number | null;
  readonly #id: string;
  #state: StudyState;
  #cursor = 0;
  #pending: Op[] = [];
  #writing: Promise<void> | null = null;
  #writeError: unknown = null;
  #reading: Promise<void> | null = null;
  #known = new Map<string, Distribution>();
  #uids = 0;
  #lastBeat = new Map<number, number>();
  #stopped = false;

  private constructor(options: StudyOptions, id: string, name: string, direction: Direction) {
    this.#id = id;
    this.name = name;
    this.direction = direction;
    this.sampler = options.sampler ?? tpe();
    this.pruner = options.pruner ?? nopPruner();
    this.storage = options.storage ?? memoryStorage();
    this.worker = globalThis.crypto.randomUUID().slice(0, 13);
    this.heartbeatInterval = options.heartbeatInterval ?? null;
    this.gracePeriod = this.heartbeatInterval === null ? null : (options.gracePeriod ?? 2 * this.heartbeatInterval);
    this.#state = emptyState(direction);
  }

  /** @internal */
  static async open(options: StudyOptions, mode: OpenMode, op = 'tune.createStudy'): Promise<Study> {
    const storage = options.storage ?? memoryStorage();
    const name = options.studyName ?? `study-${globalThis.crypto.randomUUID()}`;
    const direction = options.direction ?? 'minimize';
    if (direction !== 'minimize' && direction !== 'maximize') throw new ValueError(`${op}: direction must be 'minimize' or 'maximize', got ${describeValue(direction)}`);
    if (options.heartbeatInterval !== undefined && !(options.heartbeatInterval > 0)) throw new ValueError(`${op}: heartbeatInterval must be positive, got ${describeValue(options.heartbeatInterval)}`);
    const opened = await storage.openStudy(name, direction, mode);
    const study = new Study({ ...options, storage }, opened.id, name, opened.direction);
    await study.refresh();
    return study;
  }

  /** Every trial, in number order, as last read from the store (`refresh` reads again). */
  get trials(): readonly FrozenTrial[] {
    return this.#state.trials;
  }

  /**
   * The best complete trial; throws `ValueError` while no trial is complete.
   *
   * @example
   * ```ts
   * study.best.value;
   * ```
   */
  get best(): BestTrial {
    let best: FrozenTrial | null = null;
    for (const t of this.#state.trials) if (t.state === 'complete' && (best === null || isBetter(this.direction, t.value!, best.value!))) best = t;
    if (best === null) throw new ValueError(`study.best: study '${this.name}' has no complete trial yet (${this.#state.trials.length} trials)`);
    return { value: best.value!, params: best.params, trial: best };
  }

  /** True once `stop()` was called or the sampler has no new point (a finished grid). */
  get stopped(): boolean {
    return this.#stopped || (this.sampler.exhausted?.(this.#state.trials) ?? false);
  }

  /** Asks running `optimize` loops to start no new trial. */
  stop(): void {
    this.#stopped = true;
  }

  /**
   * Reads the operations other workers appended since the last read.
   *
   * @example
   * ```ts
   * await study.refresh(); study.trials.length;
   * ```
   */
  async refresh(): Promise<void> {
    await this.flush();
    if (this.#reading !== null) await this.#reading;
    const from = this.#cursor;
    const got = this.storage.read(this.#id, from);
    const { ops, cursor } = got instanceof Promise ? await got : got;
    this.#absorb(from, ops, cursor);
  }

  /** Writes the operations not yet written; throws the store's error if a write failed. */
  async flush(): Promise<void> {
    while (this.#writing !== null || this.#pending.length > 0) {
      if (this.#writing !== null) await this.#writing;
      else this.#startWrite();
    }
    if (this.#writeError !== null) {
      const e = this.#writeError;
      this.#writeError = null;
      throw e;
    }
  }

  /**
   * Starts a trial: fails stale trials (with heartbeats on), appends a
   * `create`, reads back its number, and draws the sampler's joint parameters.
   *
   * @example
   * ```ts
   * const trial = await study.ask();
   * ```
   */
  async ask(): Promise<Trial> {
    await this.refresh();
    {
      // Trials whose worker promised heartbeats and went silent longer than its grace period.
      const now = Date.now();
      for (const t of this.#state.trials) {
        const grace = t.systemAttrs['heartbeat_grace'];
        if (t.state === 'running' && typeof grace === 'number' && now - t.heartbeat > grace * 1000) {
          this.#record({ op: 'finish', n: t.number, state: 'fail', value: null, error: `no heartbeat for ${((now - t.heartbeat) / 1000).toFixed(1)}s from worker ${t.worker}: marked failed`, at: now });
        }
      }
    }
    const uid = `${this.worker}:${this.#uids++}`;
    this.#record(this.gracePeriod === null ? { op: 'create', uid, worker: this.worker, at: Date.now() } : { op: 'create', uid, worker: this.worker, at: Date.now(), grace: this.gracePeriod });
    await this.refresh();
    const number = this.#state.numbers.get(uid);
    if (number === undefined) throw new TrialStateError(`study.ask: the store lost the new trial ${uid}`);
    const record = this.#state.trials[number]!;
    const relative = this.sampler.relative?.({ history: this.#others(number), trial: record, direction: this.direction }) ?? { params: {} };
    const trial = new Trial(this.#host, record, relative.params);
    for (const [k, v] of Object.entries(relative.systemAttrs ?? {})) trial.setSystemAttr(k, v);
    return trial;
  }

  /**
   * Finishes a trial: a finite value completes it; NaN or an infinite value
   * fails it (the message says so); `'pruned'` keeps its last finite
   * intermediate value as its value; `'fail'` records `error`. Throws
   * `TrialStateError` if the trial was already finished, by this or another
   * worker (a trial marked failed for a missing heartbeat stays failed).
   *
   * @example
   * ```ts
   * await study.tell(trial, 0.25);
   * await study.tell(other, 'fail', new Error('out of memory'));
   * ```
   */
  async tell(trial: Trial | number, result: TellResult, error?: unknown): Promise<FrozenTrial> {
    await this.refresh();
    const number = typeof trial === 'number' ? trial : trial.number;
    const stored = this.#state.trials[number];
    if (stored === undefined) throw new TrialStateError(`study.tell: study '${this.name}' has no trial ${number}`);
    if (stored.state !== 'running') {
      const why = stored.error === null ? '' : ` (${stored.error})`;
      throw new TrialStateError(`study.tell: trial ${number} is already ${stored.state}${why}`);
    }
    const local = typeof trial === 'number' ? stored : trial.frozen;
    let op: Op;
    const at = Date.now();
    if (result === 'pruned') {
      const step = lastStep(local);
      const v = step === null ? null : local.intermediate.get(step)!;
      op = { op: 'finish', n: number, state: 'pruned', value: v !== null && Number.isFinite(v) ? v : null, error: null, at };
    } else if (result === 'fail') {
      op = { op: 'finish', n: number, state: 'fail', value: null, error: describeError(error), at };
    } else if (typeof result === 'number' && Number.isFinite(result)) {
      op = { op: 'finish', n: number, state: 'complete', value: result, error: null, at };
    } else {
      op = { op: 'finish', n: number, state: 'fail', value: null, error: `the objective returned ${String(result)}, not a finite number`, at };
    }
    this.#record(op);
    this.#lastBeat.delete(number);
    await this.refresh();
    const done = this.#state.trials[number]!;
    if (typeof trial !== 'number') trial.finishLocally(done);
    return done;
  }

  /**
   * Runs `objective` on new trials until `trials` have run, `timeout`
   * seconds have passed, or the study is stopped; see `optimize.ts`.
   *
   * @example
   * ```ts
   * await study.optimize((trial: tune.Trial) => (trial.float('x', -10, 10) - 2) ** 2, { trials: 30 });
   * ```
   */
  optimize(objective: Objective, options: OptimizeOptions = {}): Promise<OptimizeResult> {
    return runOptimize('study.optimize', this, objective, options);
  }

  /**
   * The trials as a text table: number, state, value, parameters, last step.
   *
   * @example
   * ```ts
   * console.log(study.table());
   * ```
   */
  table(): string {
    return trialsTable(this.#state.trials, this.direction);
  }

  /** @internal Writes a heartbeat for a running trial if the last is older than the interval. */
  heartbeat(number: number): void {
    if (this.heartbeatInterval === null) return;
    const now = Date.now();
    if (now - (this.#lastBeat.get(number) ?? 0) < this.heartbeatInterval * 500) return;
    this.#lastBeat.set(number, now);
    this.#record({ op: 'heartbeat', n: number, at: now });
  }

  readonly #host: TrialHost = {
    others: (n) => this.#others(n),
    known: (name) => this.#known.get(name),
    sample: (trial, name, dist) => this.sampler.independent({ history: this.#others(trial.number), trial, direction: this.direction }, name, dist),
    prune: (trial) => {
      this.#readNow();
      const history = this.#state.trials.map((t) => (t.number === trial.number ? trial : t));
      return this.pruner.prune({ history, trial, direction: this.direction, studyName: this.name });
    },
    record: (op) => this.#record(op),
    beat: (trial) => this.heartbeat(trial.number),
  };

  #others(number: number): readonly FrozenTrial[] {
    const all = this.#state.trials;
    return number < all.length ? all.filter((t) => t.number !== number) : all;
  }

  #record(op: Op): void {
    this.#pending.push(op);
    if (this.#writing === null) this.#startWrite();
  }

  /** Writes the pending operations: at once for a synchronous store, else as one batch per round trip. */
  #startWrite(): void {
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length === 0) return;
    let result: void | Promise<void>;
    try {
      result = this.storage.append(this.#id, batch);
    } catch (e) {
      this.#writeError ??= e;
      return;
    }
    if (result instanceof Promise) {
      this.#writing = result.then(
        () => {
          this.#writing = null;
          if (this.#pending.length > 0) this.#startWrite();
        },
        (e: unknown) => {
          this.#writeError ??= e;
          this.#writing = null;
        },
      );
    }
  }

  /** Reads new operations now when the store answers synchronously; else starts a read in the background. */
  #readNow(): void {
    if (this.#writing !== null || this.#reading !== null) return;
    if (this.#pending.length > 0) this.#startWrite();
    if (this.#writing !== null) return;
    const from = this.#cursor;
    const got = this.storage.read(this.#id, from);
    if (got instanceof Promise) {
      this.#reading = got.then(
        ({ ops, cursor }) => {
          this.#reading = null;
          this.#absorb(from, ops, cursor);
        },
        () => {
          this.#reading = null;
        },
      );
    } else this.#absorb(from, got.ops, got.cursor);
  }

  /** Applies a read that started at `from`; a read overtaken by another (from an older cursor) is dropped. */
  #absorb(from: number, ops: readonly Op[], cursor: number): void {
    if (from !== this.#cursor) return;
    let s = this.#state;
    for (const op of ops) {
      s = applyOp(s, op);
      if (op.op === 'param' && !this.#known.has(op.name)) this.#known.set(op.name, op.dist);
    }
    this.#state = s;
    this.#cursor = cursor;
  }
}

/** The message of an error, with its name, for a failed trial. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (error === undefined) return 'failed';
  return String(error);
}
