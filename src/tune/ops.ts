/**
 * The study as a pure state machine over an append-only operation log. Every
 * store (memory, journal file, PostgreSQL) keeps the same log; replaying it
 * with {@link applyOp} gives the same {@link StudyState} in every process.
 * A trial's number is its position among `create` operations in the log, so
 * numbers are unique and gap-free whoever appends. A `create` written by a
 * worker with heartbeats on carries its grace period (system attribute
 * `heartbeat_grace`, seconds): only such trials can be declared dead.
 */
import type { Choice, Distribution } from './distributions.js';
import type { Direction, FrozenTrial, TrialState } from './frozen-trial.js';
import { checkDirection, checkOp, checkState } from './checks.js';
import { describeValue } from '../core/describe.js';
import { ValueError } from '../core/errors.js';
import { checkIterable, checkString } from '../core/validate.js';

/**
 * One entry of a study's log. `create` starts a trial (`uid` lets its writer
 * find the number it got); the others name the trial by `n`.
 *
 * @example
 * ```ts
 * const op: tune.Op = { op: 'report', n: 0, step: 3, value: 0.42 };
 * ```
 */
export type Op =
  | { readonly op: 'create'; readonly uid: string; readonly worker: string; readonly at: number; readonly grace?: number }
  | { readonly op: 'param'; readonly n: number; readonly name: string; readonly dist: Distribution; readonly value: number }
  | { readonly op: 'report'; readonly n: number; readonly step: number; readonly value: number }
  | { readonly op: 'attr'; readonly n: number; readonly key: string; readonly value: unknown; readonly system: boolean }
  | { readonly op: 'heartbeat'; readonly n: number; readonly at: number }
  | { readonly op: 'finish'; readonly n: number; readonly state: Exclude<TrialState, 'running'>; readonly value: number | null; readonly error: string | null; readonly at: number };

/**
 * A study rebuilt from its log: its trials in number order, and the trial
 * number of each `create` uid.
 *
 * @example
 * ```ts
 * const s = tune.replay('minimize', ops); s.trials.length; // trials created so far
 * ```
 */
export interface StudyState {
  readonly direction: Direction;
  readonly trials: readonly FrozenTrial[];
  readonly numbers: ReadonlyMap<string, number>;
}

/**
 * An empty study.
 *
 * @example
 * ```ts
 * tune.emptyState('minimize').trials; // []
 * ```
 */
export function emptyState(direction: Direction): StudyState {
  checkDirection('tune.emptyState', direction);
  return { direction, trials: [], numbers: new Map() };
}

/**
 * The state after one operation; the input is not changed (the trial list
 * and the touched trial are copied, the others shared). Operations on a
 * finished trial are ignored except attributes: the first `finish` wins, so a
 * worker that was declared dead and comes back cannot overwrite its failure.
 *
 * @example
 * ```ts
 * let s = tune.emptyState('minimize');
 * s = tune.applyOp(s, { op: 'create', uid: 'a', worker: 'w', at: 0 });
 * s.trials[0].state; // 'running'
 * ```
 */
export function applyOp(state: StudyState, op: Op): StudyState {
  return apply(checkState('tune.applyOp', state), checkOp('tune.applyOp', op));
}

function apply(state: StudyState, op: Op): StudyState {
  if (op.op === 'create') {
    if (state.numbers.has(op.uid)) return state;
    const number = state.trials.length;
    const trial: FrozenTrial = {
      number, state: 'running', value: null, params: {}, internal: {}, distributions: {}, intermediate: new Map(),
      userAttrs: {}, systemAttrs: op.grace === undefined ? {} : { heartbeat_grace: op.grace }, error: null, worker: op.worker, start: op.at, end: null, heartbeat: op.at,
    };
    const numbers = new Map(state.numbers);
    numbers.set(op.uid, number);
    return { direction: state.direction, trials: [...state.trials, trial], numbers };
  }
  const t = state.trials[op.n];
  if (t === undefined) return state;
  const next = updateTrial(t, op);
  if (next === t) return state;
  const trials = state.trials.slice();
  trials[op.n] = next;
  return { direction: state.direction, trials, numbers: state.numbers };
}

function updateTrial(t: FrozenTrial, op: Exclude<Op, { op: 'create' }>): FrozenTrial {
  if (op.op === 'attr') {
    return op.system ? { ...t, systemAttrs: { ...t.systemAttrs, [op.key]: op.value } } : { ...t, userAttrs: { ...t.userAttrs, [op.key]: op.value } };
  }
  if (t.state !== 'running') return t;
  switch (op.op) {
    case 'param': {
      const external: Choice = op.dist.kind === 'categorical' ? op.dist.choices[op.value]! : op.value;
      return {
        ...t,
        params: { ...t.params, [op.name]: external },
        internal: { ...t.internal, [op.name]: op.value },
        distributions: { ...t.distributions, [op.name]: op.dist },
      };
    }
    case 'report': {
      if (t.intermediate.has(op.step)) return t;
      const intermediate = new Map(t.intermediate);
      intermediate.set(op.step, op.value);
      return { ...t, intermediate };
    }
    case 'heartbeat':
      return { ...t, heartbeat: Math.max(t.heartbeat, op.at) };
    case 'finish':
      return { ...t, state: op.state, value: op.value, error: op.error, end: op.at };
  }
}

/**
 * Replays a whole log from the empty study.
 *
 * @example
 * ```ts
 * tune.replay('maximize', []).trials.length; // 0
 * ```
 */
export function replay(direction: Direction, ops: Iterable<Op>): StudyState {
  checkDirection('tune.replay', direction);
  let s = emptyState(direction);
  let i = 0;
  for (const op of checkIterable('tune.replay', 'ops', ops)) s = apply(s, checkOp('tune.replay', op, `ops[${i++}]`));
  return s;
}

/**
 * An operation as one line of JSON. Non-finite numbers (a NaN reported by a
 * diverging run) are written as `{"$num":"NaN"}`, since JSON has no NaN.
 *
 * @example
 * ```ts
 * tune.encodeOp({ op: 'report', n: 0, step: 1, value: NaN }); // '{"op":"report","n":0,"step":1,"value":{"$num":"NaN"}}'
 * ```
 */
export function encodeOp(op: Op): string {
  checkOp('tune.encodeOp', op);
  try {
    return JSON.stringify(op, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { $num: String(v) } : v));
  } catch (e) {
    // A cyclic or BigInt attribute value: it has no JSON form.
    throw new ValueError(`tune.encodeOp: ${describeValue(op)} has no JSON form (${(e as Error).message.split('\n')[0]})`);
  }
}

/**
 * The operation of a line written by {@link encodeOp}.
 *
 * @example
 * ```ts
 * const op = tune.decodeOp('{"op":"report","n":0,"step":1,"value":{"$num":"NaN"}}');
 * op.op === 'report' && op.value; // NaN
 * ```
 */
export function decodeOp(text: string): Op {
  checkString('tune.decodeOp', 'text', text);
  let op: unknown;
  try {
    op = JSON.parse(text, reviveNumbers);
  } catch (e) {
    throw new ValueError(`tune.decodeOp: text is not JSON (${(e as Error).message}): ${describeValue(text)}`);
  }
  return checkOp('tune.decodeOp', op, 'the decoded op');
}

/** The `JSON.parse` reviver that turns `{"$num":"NaN"}` back into NaN (and the infinities). */
export function reviveNumbers(_: string, v: unknown): unknown {
  return v !== null && typeof v === 'object' && typeof (v as { $num?: unknown }).$num === 'string' && Object.keys(v).length === 1 ? Number((v as { $num: string }).$num) : v;
}
