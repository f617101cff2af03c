/**
 * `chain(a, b, c)`: runs transformations one after the other; the state is
 * the tuple of their states, typed member by member.
 */
import { describeValue } from '../core/describe.js';
import { TreeError, ValueError } from '../core/errors.js';
import {
  type AnyTransformation,
  type GradientTransformation,
  type StateFn,
  type StateOf,
  type UpdateContext,
  checkParams,
  transformation,
} from './base.js';

/** The {@link StateFn} of a transformation. */
export type StateFnOf<T> = T extends GradientTransformation<infer F, infer _PC> ? F : never;
type ParamsConstraintOf<T> = T extends GradientTransformation<infer _F, infer PC> ? PC : unknown;
/** The intersection of the parameter constraints of `Ts`. */
export type AllConstraints<Ts extends readonly unknown[], Acc = unknown> = Ts extends readonly [infer H, ...infer R]
  ? AllConstraints<R, Acc & ParamsConstraintOf<H>>
  : Acc;

/** The state of `chain(...)` for transformations typed by `Fs`: their states, in order. */
export type ChainState<Fs extends readonly StateFn[], P> = { -readonly [K in keyof Fs]: StateOf<Fs[K], P> };

/** The {@link StateFn} of `chain(...)`. */
export interface ChainStateFn<Fs extends readonly StateFn[]> extends StateFn {
  readonly state: ChainState<Fs, this['P']>;
}

/** The transformation `chain(...ts)` returns. */
export type Chain<Ts extends readonly AnyTransformation[]> = GradientTransformation<
  ChainStateFn<{ -readonly [K in keyof Ts]: StateFnOf<Ts[K]> }>,
  AllConstraints<Ts>
>;

/** @internal `chain` with a name for messages (`adam.update: ...`). */
export function namedChain<const Ts extends readonly AnyTransformation[]>(name: string, ts: Ts): Chain<Ts> {
  const members = ts.slice();
  members.forEach((t: unknown, i) => {
    const o = t as { init?: unknown; update?: unknown } | null;
    if (typeof o !== 'object' || o === null || typeof o.init !== 'function' || typeof o.update !== 'function') {
      throw new ValueError(`${name}: transformations[${i}] must be a gradient transformation (with init and update), got ${describeValue(t)}`);
    }
  });
  return transformation(
    name,
    (params) => members.map((t) => t.init(params)),
    (updates, state, params, ctx) => {
      if (!Array.isArray(state) || state.length !== members.length) {
        const got = Array.isArray(state) ? `an array of ${state.length}` : state === null ? 'null' : typeof state;
        throw new TreeError(`${ctx.op}: ${ctx.statePath} is ${got}, expected the ${members.length} states of ${name}(${members.map((m) => m.name).join(', ')})`);
      }
      checkParams(ctx, updates, params);
      const next: unknown[] = new Array(members.length);
      let u = updates;
      for (let i = 0; i < members.length; i++) {
        const inner: UpdateContext = { op: ctx.op, statePath: `${ctx.statePath}[${i}]`, checked: true };
        [u, next[i]] = members[i]!.update(u, state[i], params, inner);
      }
      return [u, next];
    },
  ) as Chain<Ts>;
}

/**
 * Runs transformations in order, each on the updates of the one before; the
 * state is the tuple of their states. `adam` is
 * `chain(scaleByAdam(), scaleByLearningRate(lr))`.
 *
 * @example
 * ```ts
 * import { optim } from 'typegrad';
 * const opt = optim.chain(
 *   optim.clipByGlobalNorm(1),
 *   optim.scaleByAdam({ b1: 0.9, b2: 0.999 }),
 *   optim.scaleByLearningRate(optim.cosineDecay({ init: 1e-3, decaySteps: 1000 })),
 * );
 * const state = opt.init(params); // [EmptyState, ScaleByAdamState<P>, LearningRateState]
 * optim.currentLearningRate(state); // 0.001
 * ```
 */
export function chain<const Ts extends readonly AnyTransformation[]>(...transformations: Ts): Chain<Ts> {
  return namedChain('chain', transformations);
}
