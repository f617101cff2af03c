/**
 * The optax protocol: a gradient transformation is a pair of pure functions,
 * `init(params) -> state` and `update(updates, state, params?) -> [updates,
 * state]`. Optimizers are `chain`s of small transformations, and
 * `applyUpdates(params, updates)` adds the result to the parameters.
 * Nothing is mutated: every call returns new trees.
 *
 * State types are computed from the parameter type: a transformation is
 * typed by a {@link StateFn}, a type-level function from `P` to its state,
 * so `adam(1e-3).init(params)` has a state whose `mu` and `nu` have exactly
 * the type of `params`.
 */
import { describeValue } from '../core/describe.js';
import { DTypeError, TreeError, ValueError, formatShape } from '../core/errors.js';
import { isAbstract } from '../core/trace.js';
import { type AnyTensor, Tensor, dimsOf } from '../core/tensor.js';
import * as lax from '../lax/index.js';
import { checkFunction, checkString } from '../core/validate.js';
import { addInto, alloc, storages, wrap } from './fused.js';
import { rebuild, zipTrees } from './tree.js';

/**
 * A type-level function from a parameter tree type `P` to a state type:
 * implement it as `interface MyStateFn extends StateFn { readonly state: MyState<this['P']> }`.
 */
export interface StateFn {
  readonly P: unknown;
  readonly state: unknown;
}

/** The state of a transformation typed by `F`, for parameters of type `P`. */
export type StateOf<F extends StateFn, P> = (F & { readonly P: P })['state'];

/** A state with no fields: the state of stateless transformations. */
export interface EmptyState {
  readonly [field: string]: never;
}

/** The {@link StateFn} of stateless transformations. */
export interface EmptyStateFn extends StateFn {
  readonly state: EmptyState;
}

/**
 * Where an update runs, for error messages. `chain` passes it to its
 * members; a direct call needs none.
 */
export interface UpdateContext {
  /** The operation named at the start of messages, e.g. `adam.update`. */
  readonly op: string;
  /** The path of this transformation's state, e.g. `state[1]`. */
  readonly statePath: string;
  /** True when the updates were already checked against the parameters. */
  readonly checked: boolean;
}

/**
 * A gradient transformation (optax's `GradientTransformation`): `init`
 * builds the state from the parameters, `update` turns gradients (or the
 * updates of an earlier transformation) into updates and a new state, and
 * `step` runs `update` and `applyUpdates` in one call.
 *
 * `F` computes the state type from the parameter type; `PC` restricts the
 * parameter trees accepted (for typed masks).
 *
 * @example
 * ```ts
 * import { optim } from 'typegrad';
 * const opt = optim.adam(1e-3);
 * let state = opt.init(params);
 * const [updates, next] = opt.update(grads, state, params);
 * params = optim.applyUpdates(params, updates);
 * state = next;
 * // or, in one call:
 * ({ params, state } = opt.step(params, grads, state));
 * ```
 */
export interface GradientTransformation<F extends StateFn = StateFn, PC = unknown> {
  /** The name used in error messages (`adam`, `chain`, `clipByGlobalNorm`). */
  readonly name: string;
  /** The initial state for parameters `params` (only their structure, shapes and dtypes are read). */
  init<P extends PC>(params: P): StateOf<F, P>;
  /**
   * Transforms `updates` (gradients, for the first transformation) and
   * returns them with the new state. `params` is needed by transformations
   * that read the parameters (weight decay). The trees must have the
   * structure, shapes and dtypes of the ones the state was built from;
   * otherwise a `TreeError`, `ShapeError` or `DTypeError` names the first
   * path that differs, and nothing is returned.
   */
  update<P extends PC>(
    updates: P,
    state: StateOf<F, NoInfer<P>>,
    params?: NoInfer<P>,
    context?: UpdateContext,
  ): [updates: P, state: StateOf<F, P>];
  /** `update` then `applyUpdates`: the next parameters and state. */
  step<P extends PC>(params: P, grads: NoInfer<P>, state: StateOf<F, NoInfer<P>>): { params: P; state: StateOf<F, P> };
}

/** Any gradient transformation. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any state function and constraint
export type AnyTransformation = GradientTransformation<any, any>;

type RawUpdate = (updates: unknown, state: unknown, params: unknown, context: UpdateContext) => [unknown, unknown];

/**
 * Makes a gradient transformation from an `init` and an `update` written
 * over untyped trees; `update` always receives a context. Give the state
 * type with `F` (and the accepted parameter trees with `PC`).
 *
 * @example
 * ```ts
 * import { optim, mul, tree } from 'typegrad';
 * // Scale every update by 0.5 (stateless).
 * const half = optim.transformation<optim.EmptyStateFn>('half', () => ({}), (u, s) => [tree.map(u, (g) => mul(g, 0.5)), s]);
 * ```
 */
export function transformation<F extends StateFn, PC = unknown>(
  name: string,
  init: (params: unknown) => unknown,
  update: RawUpdate,
): GradientTransformation<F, PC> {
  checkString('optim.transformation', 'name', name, true);
  checkFunction('optim.transformation', 'init', init);
  checkFunction('optim.transformation', 'update', update);
  // The layout of this transformation's state (see stateLayout), learned from
  // init on first use; a state of another layout belongs to another optimizer.
  let layout: string | undefined;
  const checkState = (ctx: UpdateContext, updates: unknown, state: unknown): void => {
    layout ??= stateLayout(init(updates));
    const got = stateLayout(state);
    if (got !== layout) {
      throw new TreeError(
        `${ctx.op}: ${ctx.statePath} is not a state of ${name}: expected the layout ${layout}, got ${got} (a state from another optimizer's init?)`,
      );
    }
  };
  const top = (ctx: UpdateContext, updates: unknown, state: unknown): void => {
    checkFloatLeaves(ctx.op, updates, 'updates');
    checkState(ctx, updates, state);
  };
  const tx: GradientTransformation<F, PC> = {
    name,
    init: ((params: unknown) => {
      checkFloatLeaves(`${name}.init`, params, 'params');
      return init(params);
    }) as GradientTransformation<F, PC>['init'],
    update: ((updates: unknown, state: unknown, params?: unknown, context?: UpdateContext) => {
      const ctx = context ?? { op: `${name}.update`, statePath: 'state', checked: false };
      if (context === undefined) top(ctx, updates, state);
      else checkState(ctx, updates, state);
      return update(updates, state, params, ctx);
    }) as GradientTransformation<F, PC>['update'],
    step: ((params: unknown, grads: unknown, state: unknown) => {
      const op = `${name}.step`;
      const ctx = { op, statePath: 'state', checked: false };
      checkFloatLeaves(op, params, 'params');
      top(ctx, grads, state);
      const [updates, next] = update(grads, state, params, ctx);
      return { params: addTrees(op, params, updates), state: next };
    }) as GradientTransformation<F, PC>['step'],
  };
  return Object.freeze(tx);
}

/**
 * The layout of a state: arrays (chains) by their elements' layouts, records
 * by their sorted keys (their values, trees shaped like the parameters, are
 * checked where they are read). `[{},{count,mu,nu},{count}]` for adam.
 */
function stateLayout(state: unknown): string {
  if (Array.isArray(state)) return `[${state.map(stateLayout).join(',')}]`;
  if (typeof state === 'object' && state !== null && !(state instanceof Tensor)) return `{${Object.keys(state).sort().join(',')}}`;
  return describeValue(state);
}

/** Optimizers update float parameters: an int32 or bool leaf would be updated by nothing (or truncated). */
function checkFloatLeaves(op: string, tree: unknown, what: string): void {
  const { leaves } = zipTrees(op, [tree], [what], false);
  for (const l of leaves[0]!) {
    if (l.dtype !== 'float32' && l.dtype !== 'float64') {
      throw new DTypeError(`${op}: ${what} has a leaf of dtype ${l.dtype} ${formatShape(dimsOf(l))}; optimizers update float32 or float64 parameters`);
    }
  }
}

/** `params + updates`, leaf by leaf, checking structure, shapes and dtypes. */
function addTrees(op: string, params: unknown, updates: unknown): unknown {
  const { skeleton, leaves } = zipTrees(op, [params, updates], ['params', 'updates']);
  const [p, u] = leaves as [AnyTensor[], AnyTensor[]];
  const fast = storages([p, u]);
  return rebuild(
    skeleton,
    p.map((x, i) => {
      if (fast === null) return lax.add(x, u[i]!);
      const o = alloc(x);
      addInto(o, fast[0]![i]!, fast[1]![i]!);
      return wrap(o, x);
    }),
  );
}

/**
 * `params + updates`, leaf by leaf (optax's `apply_updates`). The trees must
 * have the same structure, shapes and dtypes; otherwise the error names the
 * first path that differs and nothing is returned.
 *
 * @example
 * ```ts
 * const [updates, state2] = opt.update(grads, state, params);
 * const params2 = optim.applyUpdates(params, updates);
 * ```
 */
export function applyUpdates<P>(params: P, updates: NoInfer<P>): P {
  return addTrees('applyUpdates', params, updates) as P;
}

/** @internal Checks `updates` against `params` (once per chain) and returns the context for members. */
export function checkParams(ctx: UpdateContext, updates: unknown, params: unknown): void {
  if (!ctx.checked && params !== undefined) zipTrees(ctx.op, [updates, params], ['grads', 'params']);
}

/** @internal The field of a state record, or a `TreeError` naming the state path. */
export function field(ctx: UpdateContext, state: unknown, name: string): unknown {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw new TreeError(`${ctx.op}: ${ctx.statePath} is ${state === null ? 'null' : Array.isArray(state) ? 'an array' : typeof state}, expected the state of this transformation (a record with '${name}')`);
  }
  if (!Object.hasOwn(state, name)) {
    throw new TreeError(`${ctx.op}: ${ctx.statePath} has no field '${name}': is it the state of another transformation?`);
  }
  return (state as Record<string, unknown>)[name];
}

/** @internal A step counter field: a non-negative integer (for counters kept as plain numbers). */
export function countField(ctx: UpdateContext, state: unknown, name = 'count'): number {
  const v = field(ctx, state, name);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new TreeError(`${ctx.op}: ${ctx.statePath}.${name} must be a non-negative integer, got ${String(v)}`);
  }
  return v;
}

/**
 * A step count kept in a state as an int32 scalar tensor (optax's `count`),
 * so a jitted training step takes it as an input instead of fixing it into
 * the program: `value` is the count when it is known, null when it is
 * abstract (staged by `jit`), where only `tensor` may be used.
 */
export interface StepCount {
  readonly value: number | null;
  readonly tensor: AnyTensor;
}

/** @internal The initial step count: an int32 scalar 0. */
export function initCount(): AnyTensor {
  return lax.fill([], 0, 'int32');
}

/** @internal Reads a step counter field: an int32 scalar tensor (or, from older states, a plain non-negative integer). */
export function stepCount(ctx: UpdateContext, state: unknown, name = 'count'): StepCount {
  const v = field(ctx, state, name);
  if (typeof v === 'number') return { value: countField(ctx, state, name), tensor: lax.fill([], v, 'int32') };
  if (!(v instanceof Tensor) || v.dtype !== 'int32' || v.rank !== 0) {
    throw new TreeError(`${ctx.op}: ${ctx.statePath}.${name} must be an int32 scalar step count, got ${v instanceof Tensor ? `a ${v.dtype} tensor of shape ${formatShape(dimsOf(v))}` : String(v)}`);
  }
  if (isAbstract(v as AnyTensor)) return { value: null, tensor: v as AnyTensor };
  const n = (v as AnyTensor).item() as number;
  if (n < 0) throw new TreeError(`${ctx.op}: ${ctx.statePath}.${name} must be a non-negative integer, got ${n}`);
  return { value: n, tensor: v as AnyTensor };
}

/** @internal The count after `k` more steps. */
export function advance(count: StepCount, k = 1): StepCount {
  if (count.value !== null) return { value: count.value + k, tensor: lax.fill([], count.value + k, 'int32') };
  return { value: null, tensor: lax.add(count.tensor, lax.fill([], k, 'int32')) };
}

/** @internal Checks a hyperparameter: a finite number in a range. */
export function checkHyper(op: string, name: string, value: unknown, min: number, max: number, minOpen = false, maxOpen = false): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    (minOpen ? !(value > min) : !(value >= min)) ||
    (maxOpen ? !(value < max) : !(value <= max))
  ) {
    const range = `${minOpen ? '(' : '['}${min}, ${max === Infinity ? 'Infinity' : max}${maxOpen ? ')' : ']'}`;
    throw new ValueError(`${op}: ${name} must be a finite number in ${range}, got ${String(value)}`);
  }
  return value;
}

/** @internal Creates a scalar of the leaf's dtype (weak typing for constants). */
export function constant(value: number, like: AnyTensor): AnyTensor {
  return lax.scalarLike(value, like);
}
