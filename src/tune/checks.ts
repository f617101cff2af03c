/**
 * The argument checks of tune's public functions: a trial list, a
 * direction, a log operation. Built on the core checks, so each message
 * names the function and shows the bad value.
 */
import { describeValue } from '../core/describe.js';
import { ValueError } from '../core/errors.js';
import { checkArray, checkObject, checkOneOf } from '../core/validate.js';
import type { Distribution } from './distributions.js';
import type { Direction, FrozenTrial } from './frozen-trial.js';
import type { Op, StudyState } from './ops.js';

const STATES = ['running', 'complete', 'pruned', 'fail'] as const;
const DIRECTIONS = ['minimize', 'maximize'] as const;
const OPS = ['create', 'param', 'report', 'attr', 'heartbeat', 'finish'] as const;

/** @internal Throws unless `t` has the fields of a {@link FrozenTrial} that tables, plots and samplers read. */
export function checkTrial(op: string, name: string, t: unknown): FrozenTrial {
  const o = checkObject<Record<string, unknown>>(op, name, t);
  const bad =
    typeof o['number'] !== 'number' ? 'number' :
    !(STATES as readonly unknown[]).includes(o['state']) ? 'state' :
    typeof o['params'] !== 'object' || o['params'] === null ? 'params' :
    typeof o['internal'] !== 'object' || o['internal'] === null ? 'internal' :
    typeof o['distributions'] !== 'object' || o['distributions'] === null ? 'distributions' :
    !(o['intermediate'] instanceof Map) ? 'intermediate' : null;
  if (bad !== null) throw new ValueError(`${op}: ${name} is not a trial (from study.trials): its ${bad} is ${describeValue(o[bad])}`);
  return t as FrozenTrial;
}

/** @internal Throws unless `trials` is an array of trials (`study.trials`). */
export function checkTrials(op: string, trials: unknown): readonly FrozenTrial[] {
  const a = checkArray(op, 'trials', trials);
  a.forEach((t, i) => checkTrial(op, `trials[${i}]`, t));
  return a as readonly FrozenTrial[];
}

/** @internal Throws unless `d` is `'minimize'` or `'maximize'`. */
export function checkDirection(op: string, d: unknown): Direction {
  return checkOneOf(op, 'direction', d, DIRECTIONS);
}

/** @internal Throws unless `o` is a log operation: an object whose `op` is a known kind, with a trial number `n` where it needs one. */
export function checkOp(op: string, o: unknown, name = 'op'): Op {
  const v = checkObject<Record<string, unknown>>(op, name, o);
  checkOneOf(op, `${name}.op`, v['op'], OPS);
  if (v['op'] !== 'create' && !(Number.isSafeInteger(v['n']) && (v['n'] as number) >= 0)) {
    throw new ValueError(`${op}: ${name}.n must be a trial number (a non-negative integer), got ${describeValue(v['n'])}`);
  }
  return o as Op;
}

/** @internal Throws unless `s` is a study state (from `emptyState`, `applyOp` or `replay`). */
export function checkState(op: string, s: unknown): StudyState {
  const v = checkObject<Record<string, unknown>>(op, 'state', s);
  if (!Array.isArray(v['trials']) || !(v['numbers'] instanceof Map)) {
    throw new ValueError(`${op}: state must be a study state (from tune.emptyState or tune.replay), got ${describeValue(s)}`);
  }
  checkDirection(op, v['direction']);
  return s as StudyState;
}

/** @internal Throws unless `d` is a distribution (from tune.floatDistribution, intDistribution or categoricalDistribution). */
export function checkDistribution(op: string, name: string, d: unknown): Distribution {
  const v = checkObject<Record<string, unknown>>(op, name, d);
  const ok = v['kind'] === 'categorical' ? Array.isArray(v['choices']) : (v['kind'] === 'float' || v['kind'] === 'int') && typeof v['low'] === 'number' && typeof v['high'] === 'number';
  if (!ok) throw new ValueError(`${op}: ${name} must be a distribution (from tune.floatDistribution, intDistribution or categoricalDistribution), got ${describeValue(d)}`);
  return d as Distribution;
}
