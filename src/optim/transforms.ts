/**
 * The building blocks optimizers are chained from. Each is a paragraph:
 * its state, its update formula (in a comment), and the few ops per leaf
 * that compute it. Formulas follow `torch.optim`, so `chain`s of them
 * reproduce PyTorch's optimizers step for step.
 */
import { TraceError, TreeError, ValueError } from '../core/errors.js';
import { Tensor, type AnyTensor, fromStorage } from '../core/tensor.js';
import { isAbstract } from '../core/trace.js';
import * as lax from '../lax/index.js';
import {
  type EmptyState,
  type EmptyStateFn,
  type GradientTransformation,
  type StateFn,
  type UpdateContext,
  checkHyper,
  checkParams,
  constant as c,
  advance,
  field,
  initCount,
  stepCount,
  transformation,
} from './base.js';
import type { LearningRate } from './schedules.js';
import { adamInto, alloc, scaleInto, storages, wrap } from './fused.js';
import { rebuild, zipTrees, type Skeleton } from './tree.js';
import { checkObject, checkOptions } from '../core/validate.js';

const EMPTY: EmptyState = Object.freeze({}) as EmptyState;

/** Zeros like every leaf of a tree (same structure, shapes and dtypes). */
function zerosTree(op: string, params: unknown, fill = 0): unknown {
  const { skeleton, leaves } = zipTrees(op, [params], ['params']);
  return rebuild(skeleton, leaves[0]!.map((p) => lax.fill(p.shape as readonly number[], fill, p.dtype)));
}

/** @internal `factor * u` for every leaf. */
export function scaleLeaves(leaves: readonly AnyTensor[], factor: number): AnyTensor[] {
  const fast = storages([leaves]);
  return leaves.map((u, i) => {
    if (fast === null) return lax.mul(u, c(factor, u));
    const o = alloc(u);
    scaleInto(o, fast[0]![i]!, factor);
    return wrap(o, u);
  });
}

/** Checks a state that should be empty. */
function checkEmpty(ctx: UpdateContext, state: unknown): void {
  if (typeof state !== 'object' || state === null || Array.isArray(state)) {
    throw new TreeError(`${ctx.op}: ${ctx.statePath} is ${state === null ? 'null' : Array.isArray(state) ? 'an array' : typeof state}, expected the empty state {}`);
  }
}

/** Walks the updates with the state buffers `names` of `state`, checking each against the updates. */
function withBuffers(
  ctx: UpdateContext,
  updates: unknown,
  state: unknown,
  names: readonly string[],
): { skeleton: Skeleton; g: AnyTensor[]; buffers: AnyTensor[][] } {
  const trees = [updates, ...names.map((n) => field(ctx, state, n))];
  const { skeleton, leaves } = zipTrees(ctx.op, trees, ['grads', ...names.map((n) => `${ctx.statePath}.${n}`)]);
  return { skeleton, g: leaves[0]!, buffers: leaves.slice(1) };
}

// ---------------------------------------------------------------------------
// scaleByAdam

/** Options of {@link scaleByAdam} (PyTorch's names and defaults). */
export interface ScaleByAdamOptions {
  /** Decay of the first moment. Default 0.9. */
  readonly b1?: number;
  /** Decay of the second moment. Default 0.999. */
  readonly b2?: number;
  /** Added to the denominator. Default 1e-8. */
  readonly eps?: number;
  /** Use the maximum of past second moments (AMSGrad). Default false. */
  readonly amsgrad?: boolean;
}

/** The state of {@link scaleByAdam}: the step count and the moment estimates. */
export interface ScaleByAdamState<P> {
  /** Steps taken (an int32 scalar, so a jitted step takes it as an input). */
  readonly count: Tensor<[], 'int32'>;
  /** First moment (mean of gradients). */
  readonly mu: P;
  /** Second moment (mean of squared gradients). */
  readonly nu: P;
  /** The running maximum of `nu` (only with `amsgrad`). */
  readonly nuMax?: P;
}

/** The {@link StateFn} of {@link scaleByAdam}. */
export interface ScaleByAdamStateFn extends StateFn {
  readonly state: ScaleByAdamState<this['P']>;
}

/**
 * Rescales updates by Adam's moment estimates (PyTorch's `Adam` without the
 * learning rate). At step t (from 1):
 * `mu = b1 mu + (1 - b1) g`, `nu = b2 nu + (1 - b2) g^2`,
 * `u = (mu / (1 - b1^t)) / (sqrt(nu) / sqrt(1 - b2^t) + eps)`.
 * @example
 * ```ts
 * const opt = optim.chain(optim.scaleByAdam({ b2: 0.99 }), optim.scaleByLearningRate(1e-3));
 * ```
 */
export function scaleByAdam(options: ScaleByAdamOptions = {}): GradientTransformation<ScaleByAdamStateFn> {
  checkOptions('optim.scaleByAdam', options);
  const name = 'scaleByAdam';
  const b1 = checkHyper(name, 'b1', options.b1 ?? 0.9, 0, 1, false, true);
  const b2 = checkHyper(name, 'b2', options.b2 ?? 0.999, 0, 1, false, true);
  const eps = checkHyper(name, 'eps', options.eps ?? 1e-8, 0, Infinity);
  const amsgrad = options.amsgrad === true;
  const buffers = amsgrad ? ['mu', 'nu', 'nuMax'] : ['mu', 'nu'];
  return transformation(
    name,
    (params) => {
      const zeros = () => zerosTree(`${name}.init`, params);
      return amsgrad ? { count: initCount(), mu: zeros(), nu: zeros(), nuMax: zeros() } : { count: initCount(), mu: zeros(), nu: zeros() };
    },
    (updates, state, params, ctx) => {
      checkParams(ctx, updates, params);
      const count = advance(stepCount(ctx, state));
      const { skeleton, g, buffers: [mu, nu, nuMax] } = withBuffers(ctx, updates, state, buffers);
      const t = count.value ?? 1;
      const bc1 = 1 - b1 ** t;
      const bc2Sqrt = Math.sqrt(1 - b2 ** t);
      const n = g.length;
      const mu2 = new Array<AnyTensor>(n), nu2 = new Array<AnyTensor>(n), out = new Array<AnyTensor>(n);
      const max2 = amsgrad ? new Array<AnyTensor>(n) : [];
      const fast = count.value === null ? null : storages([g, mu, nu, nuMax]);
      // Under jit the count is abstract: the corrections 1 - b^t are computed as ops, per dtype.
      const corrections = new Map<string, [AnyTensor, AnyTensor]>();
      const correction = (like: AnyTensor): [AnyTensor, AnyTensor] => {
        let k = corrections.get(like.dtype);
        if (k === undefined) {
          const tf = lax.astype(count.tensor, like.dtype);
          const one = c(1, like);
          k = [lax.sub(one, lax.pow(c(b1, like), tf)), lax.sqrt(lax.sub(one, lax.pow(c(b2, like), tf)))];
          corrections.set(like.dtype, k);
        }
        return k;
      };
      for (let i = 0; i < n; i++) {
        const gi = g[i]!;
        if (fast !== null) {
          const [gd, md, vd, xd] = [fast[0]![i]!, fast[1]![i]!, fast[2]![i]!, fast[3]![i]];
          const mo = alloc(gi), vo = alloc(gi), uo = alloc(gi), xo = amsgrad ? alloc(gi) : null;
          adamInto(gd, md, vd, mo, vo, uo, b1, b2, bc1, bc2Sqrt, eps, xo === null ? undefined : xd, xo ?? undefined);
          mu2[i] = wrap(mo, gi);
          nu2[i] = wrap(vo, gi);
          out[i] = wrap(uo, gi);
          if (xo !== null) max2[i] = wrap(xo, gi);
          continue;
        }
        // mu + (1 - b1)(g - mu) is b1 mu + (1 - b1) g (PyTorch's lerp)
        const m = lax.add(mu![i]!, lax.mul(lax.sub(gi, mu![i]!), c(1 - b1, gi)));
        const v = lax.add(lax.mul(nu![i]!, c(b2, gi)), lax.mul(lax.mul(gi, gi), c(1 - b2, gi)));
        let vHat = v;
        if (amsgrad) vHat = max2[i] = lax.maximum(nuMax![i]!, v);
        if (count.value === null) {
          const [k1, k2] = correction(gi);
          out[i] = lax.div(lax.div(m, k1), lax.add(lax.div(lax.sqrt(vHat), k2), c(eps, gi)));
        } else {
          const denom = lax.add(lax.mul(lax.sqrt(vHat), c(1 / bc2Sqrt, gi)), c(eps, gi));
          out[i] = lax.div(lax.mul(m, c(1 / bc1, gi)), denom);
        }
        mu2[i] = m;
        nu2[i] = v;
      }
      const next: Record<string, unknown> = { count: count.tensor, mu: rebuild(skeleton, mu2), nu: rebuild(skeleton, nu2) };
      if (amsgrad) next.nuMax = rebuild(skeleton, max2);
      return [rebuild(skeleton, out), next];
    },
  );
}

// ---------------------------------------------------------------------------
// scaleByLearningRate

/** The longest schedule table a jitted step may index (steps up to the schedule's horizon). */
const MAX_SCHEDULE_TABLE = 1 << 22;

/** The state of {@link scaleByLearningRate}: the step count and the rate the next update uses. */
export interface LearningRateState {
  /** Steps taken (an int32 scalar, so a jitted step takes it as an input). */
  readonly count: Tensor<[], 'int32'>;
  /** The learning rate of the next update (`schedule(count)`), a float64 scalar: read it with `optim.currentLearningRate(state)`. */
  readonly learningRate: Tensor<[], 'float64'>;
}

/** The {@link StateFn} of {@link scaleByLearningRate}. */
export interface LearningRateStateFn extends StateFn {
  readonly state: LearningRateState;
}

/** @internal Checks a learning rate: a positive finite number, or a schedule. */
export function checkLearningRate(op: string, lr: unknown): LearningRate {
  if (typeof lr === 'function') return lr as LearningRate;
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr <= 0) {
    throw new ValueError(`${op}: the learning rate must be a positive finite number or a schedule, got ${String(lr)}`);
  }
  return lr;
}

/** @internal The rate at a step, checked: a schedule may give 0 but not a negative or non-finite value. */
export function rateAt(op: string, lr: LearningRate, step: number): number {
  if (typeof lr === 'number') return lr;
  const v = lr(step);
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new ValueError(`${op}: the learning-rate schedule gave ${String(v)} at step ${step}; expected a finite number >= 0`);
  }
  return v;
}

/**
 * Multiplies updates by `-learningRate` (a number or a schedule of the step),
 * turning descent directions into parameter updates. The state holds the
 * rate of the next update, readable as `state.learningRate`.
 * @example
 * ```ts
 * const opt = optim.chain(optim.scaleByAdam(), optim.scaleByLearningRate(optim.exponentialDecay({ init: 1e-3, transitionSteps: 1000, decayRate: 0.5 })));
 * opt.init(params)[1].learningRate; // 0.001
 * ```
 */
export function scaleByLearningRate(learningRate: LearningRate, options: { readonly flipSign?: boolean } = {}): GradientTransformation<LearningRateStateFn> {
  checkOptions('optim.scaleByLearningRate', options);
  const name = 'scaleByLearningRate';
  const lr = checkLearningRate(name, learningRate);
  const sign = options.flipSign === false ? 1 : -1;
  let table: AnyTensor | undefined;
  return transformation(
    name,
    () => ({ count: initCount(), learningRate: lax.fill([], rateAt(`${name}.init`, lr, 0), 'float64') }),
    (updates, state, params, ctx) => {
      checkParams(ctx, updates, params);
      const count = stepCount(ctx, state);
      const { skeleton, leaves } = zipTrees(ctx.op, [updates], ['grads']);
      const next = advance(count);
      if (count.value !== null) {
        const rate = rateAt(ctx.op, lr, count.value);
        return [rebuild(skeleton, scaleLeaves(leaves[0]!, sign * rate)), { count: next.tensor, learningRate: lax.fill([], rateAt(ctx.op, lr, next.value!), 'float64') }];
      }
      // Under jit the count is abstract: the rate is a constant, or the schedule's table indexed by the count.
      const rate = rateTensor(ctx.op, count.tensor);
      const out = leaves[0]!.map((u) => lax.mul(u, lax.astype(sign === 1 ? rate : lax.neg(rate), u.dtype)));
      return [rebuild(skeleton, out), { count: next.tensor, learningRate: rateTensor(ctx.op, next.tensor) }];
    },
  );

  /** The rate at an abstract step: `lr`, or `table[min(step, horizon)]` with the schedule's values up to its horizon. */
  function rateTensor(op: string, step: AnyTensor): AnyTensor {
    if (typeof lr === 'number') return lax.fill([], lr, 'float64');
    const horizon = lr.horizon;
    if (horizon === undefined || !Number.isInteger(horizon) || horizon < 0 || horizon > MAX_SCHEDULE_TABLE) {
      throw new TraceError(
        `${op}: the learning-rate schedule is a JS function of the step count, which is abstract inside jit, and it has no horizon ` +
          `(a step from which it is constant) up to ${MAX_SCHEDULE_TABLE}; use a built-in schedule that settles, set its horizon, ` +
          `use a constant learning rate inside jit, or run the optimizer step outside the jitted function`,
      );
    }
    if (table === undefined || table.size !== horizon + 1) {
      const data = new Float64Array(horizon + 1);
      for (let i = 0; i <= horizon; i++) data[i] = rateAt(op, lr, i);
      table = fromStorage(data, [horizon + 1], 'float64');
    }
    return lax.gather(table, lax.minimum(step, lax.fill([], horizon, 'int32')), 0);
  }
}

/**
 * Multiplies updates by a constant factor (no sign flip).
 * @example
 * ```ts
 * optim.scale(0.5); // halves every update
 * ```
 */
export function scale(factor: number): GradientTransformation<EmptyStateFn> {
  const name = 'scale';
  checkHyper(name, 'factor', factor, -Infinity, Infinity);
  return transformation(
    name,
    () => EMPTY,
    (updates, state, params, ctx) => {
      checkEmpty(ctx, state);
      checkParams(ctx, updates, params);
      const { skeleton, leaves } = zipTrees(ctx.op, [updates], ['grads']);
      return [rebuild(skeleton, scaleLeaves(leaves[0]!, factor)), EMPTY];
    },
  );
}

// ---------------------------------------------------------------------------
// trace (momentum)

/** Options of {@link trace}. */
export interface TraceOptions {
  /** The momentum factor. */
  readonly decay: number;
  /** Dampening of new updates after the first step (PyTorch's `dampening`). Default 0. */
  readonly dampening?: number;
  /** Nesterov momentum. Default false. */
  readonly nesterov?: boolean;
}

/** The state of {@link trace}: the step count and the momentum buffer. */
export interface TraceState<P> {
  /** Steps taken (an int32 scalar, so a jitted step takes it as an input). */
  readonly count: Tensor<[], 'int32'>;
  readonly momentum: P;
}

/** The {@link StateFn} of {@link trace}. */
export interface TraceStateFn extends StateFn {
  readonly state: TraceState<this['P']>;
}

/**
 * Momentum, as PyTorch's SGD computes it: the buffer is `b = g` at the first
 * step and `b = decay b + (1 - dampening) g` after; the update is `b`, or
 * `g + decay b` with `nesterov`.
 * @example
 * ```ts
 * const sgdMomentum = optim.chain(optim.trace({ decay: 0.9 }), optim.scaleByLearningRate(0.01));
 * ```
 */
export function trace(options: TraceOptions): GradientTransformation<TraceStateFn> {
  checkObject('optim.trace', 'options', options);
  const name = 'trace';
  const decay = checkHyper(name, 'decay', options.decay, 0, Infinity);
  const dampening = checkHyper(name, 'dampening', options.dampening ?? 0, 0, 1);
  const nesterov = options.nesterov === true;
  if (nesterov && (decay <= 0 || dampening !== 0)) throw new ValueError(`${name}: nesterov momentum needs decay > 0 and dampening 0 (as in PyTorch)`);
  return transformation(
    name,
    (params) => ({ count: initCount(), momentum: zerosTree(`${name}.init`, params) }),
    (updates, state, params, ctx) => {
      checkParams(ctx, updates, params);
      const steps = stepCount(ctx, state);
      const count = steps.value;
      const { skeleton, g, buffers: [buf] } = withBuffers(ctx, updates, state, ['momentum']);
      const n = g.length;
      const buf2 = new Array<AnyTensor>(n), out = new Array<AnyTensor>(n);
      const fast = count === null ? null : storages([g, buf]);
      // Under jit the count is abstract: the first-step choice b_1 = g is a `where`.
      const first = count === null ? lax.eq(steps.tensor, lax.fill([], 0, 'int32')) : null;
      for (let i = 0; i < n; i++) {
        const gi = g[i]!;
        if (fast !== null) {
          const gd = fast[0]![i]!, bd = fast[1]![i]!;
          const bo = alloc(gi), uo = nesterov ? alloc(gi) : bo;
          for (let j = 0; j < gd.length; j++) {
            const gj = gd[j]!;
            const b = count === 0 ? gj : decay * bd[j]! + (1 - dampening) * gj;
            bo[j] = b;
            if (nesterov) uo[j] = gj + decay * b;
          }
          buf2[i] = wrap(bo, gi);
          out[i] = nesterov ? wrap(uo, gi) : buf2[i]!;
          continue;
        }
        // b_1 = g; b_t = decay b_{t-1} + (1 - dampening) g
        const later = (): AnyTensor => lax.add(lax.mul(buf![i]!, c(decay, gi)), dampening === 0 ? gi : lax.mul(gi, c(1 - dampening, gi)));
        const b = first !== null ? lax.where(first, gi, later()) : count === 0 ? gi : later();
        buf2[i] = b;
        out[i] = nesterov ? lax.add(gi, lax.mul(b, c(decay, gi))) : b;
      }
      return [rebuild(skeleton, out), { count: advance(steps).tensor, momentum: rebuild(skeleton, buf2) }];
    },
  );
}

// ---------------------------------------------------------------------------
// scaleByRms (RMSprop)

/** Options of {@link scaleByRms} (PyTorch's names and defaults). */
export interface ScaleByRmsOptions {
  /** Decay of the mean of squared gradients. Default 0.99. */
  readonly alpha?: number;
  /** Added to the denominator, outside the square root. Default 1e-8. */
  readonly eps?: number;
  /** Divide by the centered second moment (an estimate of the variance). Default false. */
  readonly centered?: boolean;
}

/** The state of {@link scaleByRms}. */
export interface ScaleByRmsState<P> {
  /** Mean of squared gradients. */
  readonly nu: P;
  /** Mean of gradients (only with `centered`). */
  readonly gradAvg?: P;
}

/** The {@link StateFn} of {@link scaleByRms}. */
export interface ScaleByRmsStateFn extends StateFn {
  readonly state: ScaleByRmsState<this['P']>;
}

/**
 * RMSprop's rescaling (PyTorch's formula): `nu = alpha nu + (1 - alpha) g^2`,
 * `u = g / (sqrt(nu) + eps)`; with `centered`, `m = alpha m + (1 - alpha) g`
 * and `u = g / (sqrt(nu - m^2) + eps)`.
 * @example
 * ```ts
 * optim.chain(optim.scaleByRms({ centered: true }), optim.scaleByLearningRate(1e-2));
 * ```
 */
export function scaleByRms(options: ScaleByRmsOptions = {}): GradientTransformation<ScaleByRmsStateFn> {
  checkOptions('optim.scaleByRms', options);
  const name = 'scaleByRms';
  const alpha = checkHyper(name, 'alpha', options.alpha ?? 0.99, 0, 1);
  const eps = checkHyper(name, 'eps', options.eps ?? 1e-8, 0, Infinity);
  const centered = options.centered === true;
  const buffers = centered ? ['nu', 'gradAvg'] : ['nu'];
  return transformation(
    name,
    (params) =>
      centered ? { nu: zerosTree(`${name}.init`, params), gradAvg: zerosTree(`${name}.init`, params) } : { nu: zerosTree(`${name}.init`, params) },
    (updates, state, params, ctx) => {
      checkParams(ctx, updates, params);
      const { skeleton, g, buffers: [nu, avg] } = withBuffers(ctx, updates, state, buffers);
      const n = g.length;
      const nu2 = new Array<AnyTensor>(n), avg2 = new Array<AnyTensor>(n), out = new Array<AnyTensor>(n);
      const fast = storages([g, nu, avg]);
      for (let i = 0; i < n; i++) {
        const gi = g[i]!;
        if (fast !== null) {
          const gd = fast[0]![i]!, vd = fast[1]![i]!, ad = fast[2]![i];
          const vo = alloc(gi), uo = alloc(gi), ao = centered ? alloc(gi) : null;
          for (let j = 0; j < gd.length; j++) {
            const gj = gd[j]!;
            const v = alpha * vd[j]! + (1 - alpha) * gj * gj;
            vo[j] = v;
            let variance = v;
            if (ao !== null) {
              const m = ad![j]! + (1 - alpha) * (gj - ad![j]!);
              ao[j] = m;
              variance = v - m * m;
            }
            uo[j] = gj / (Math.sqrt(variance) + eps);
          }
          nu2[i] = wrap(vo, gi);
          out[i] = wrap(uo, gi);
          if (ao !== null) avg2[i] = wrap(ao, gi);
          continue;
        }
        const v = lax.add(lax.mul(nu![i]!, c(alpha, gi)), lax.mul(lax.mul(gi, gi), c(1 - alpha, gi)));
        nu2[i] = v;
        let variance = v;
        if (centered) {
          const m = lax.add(avg![i]!, lax.mul(lax.sub(gi, avg![i]!), c(1 - alpha, gi)));
          avg2[i] = m;
          variance = lax.sub(v, lax.mul(m, m));
        }
        out[i] = lax.div(gi, lax.add(lax.sqrt(variance), c(eps, gi)));
      }
      const next: Record<string, unknown> = { nu: rebuild(skeleton, nu2) };
      if (centered) next.gradAvg = rebuild(skeleton, avg2);
      return [rebuild(skeleton, out), next];
    },
  );
}

// ---------------------------------------------------------------------------
// scaleByRss (Adagrad)

/** Options of {@link scaleByRss} (PyTorch's Adagrad names and defaults). */
export interface ScaleByRssOptions {
  /** The starting value of the sum of squares. Default 0. */
  readonly initialAccumulatorValue?: number;
  /** Added to the denominator. Default 1e-10. */
  readonly eps?: number;
}

/** The state of {@link scaleByRss}: the running sum of squared gradients. */
export interface ScaleByRssState<P> {
  readonly sum: P;
}

/** The {@link StateFn} of {@link scaleByRss}. */
export interface ScaleByRssStateFn extends StateFn {
  readonly state: ScaleByRssState<this['P']>;
}

/**
 * Adagrad's rescaling by the root of the sum of squares:
 * `s = s + g^2`, `u = g / (sqrt(s) + eps)`.
 * @example
 * ```ts
 * optim.chain(optim.scaleByRss(), optim.scaleByLearningRate(1e-2));
 * ```
 */
export function scaleByRss(options: ScaleByRssOptions = {}): GradientTransformation<ScaleByRssStateFn> {
  checkOptions('optim.scaleByRss', options);
  const name = 'scaleByRss';
  const initial = checkHyper(name, 'initialAccumulatorValue', options.initialAccumulatorValue ?? 0, 0, Infinity);
  const eps = checkHyper(name, 'eps', options.eps ?? 1e-10, 0, Infinity);
  return transformation(
    name,
    (params) => ({ sum: zerosTree(`${name}.init`, params, initial) }),
    (updates, state, params, ctx) => {
      checkParams(ctx, updates, params);
      const { skeleton, g, buffers: [sum] } = withBuffers(ctx, updates, state, ['sum']);
      const fast = storages([g, sum]);
      const sum2 = new Array<AnyTensor>(g.length), out = new Array<AnyTensor>(g.length);
      g.forEach((gi, i) => {
        if (fast !== null) {
          const gd = fast[0]![i]!, sd = fast[1]![i]!;
          const so = alloc(gi), uo = alloc(gi);
          for (let j = 0; j < gd.length; j++) {
            const gj = gd[j]!;
            const t = sd[j]! + gj * gj;
            so[j] = t;
            uo[j] = gj / (Math.sqrt(t) + eps);
          }
          sum2[i] = wrap(so, gi);
          out[i] = wrap(uo, gi);
          return;
        }
        sum2[i] = lax.add(sum![i]!, lax.mul(gi, gi));
        out[i] = lax.div(gi, lax.add(lax.sqrt(sum2[i]!), c(eps, gi)));
      });
      return [rebuild(skeleton, out), { sum: rebuild(skeleton, sum2) }];
    },
  );
}

// ---------------------------------------------------------------------------
// scaleByLion

/** Options of {@link scaleByLion}. */
export interface ScaleByLionOptions {
  /** Interpolation between momentum and gradient for the update's sign. Default 0.9. */
  readonly b1?: number;
  /** Decay of the momentum. Default 0.99. */
  readonly b2?: number;
}

/** The state of {@link scaleByLion}: the momentum. */
export interface ScaleByLionState<P> {
  readonly mu: P;
}

/** The {@link StateFn} of {@link scaleByLion}. */
export interface ScaleByLionStateFn extends StateFn {
  readonly state: ScaleByLionState<this['P']>;
}

/**
 * Lion's sign update (Chen et al. 2023): `u = sign(b1 mu + (1 - b1) g)`,
 * then `mu = b2 mu + (1 - b2) g`.
 * @example
 * ```ts
 * optim.chain(optim.scaleByLion(), optim.scaleByLearningRate(1e-4));
 * ```
 */
export function scaleByLion(options: ScaleByLionOptions = {}): GradientTransformation<ScaleByLionStateFn> {
  checkOptions('optim.scaleByLion', options);
  const name = 'scaleByLion';
  const b1 = checkHyper(name, 'b1', options.b1 ?? 0.9, 0, 1);
  const b2 = checkHyper(name, 'b2', options.b2 ?? 0.99, 0, 1);
  return transformation(
    name,
    (params) => ({ mu: zerosTree(`${name}.init`, params) }),
    (updates, state, params, ctx) => {
      checkParams(ctx, updates, params);
      const { skeleton, g, buffers: [mu] } = withBuffers(ctx, updates, state, ['mu']);
      const n = g.length;
      const mu2 = new Array<AnyTensor>(n), out = new Array<AnyTensor>(n);
      const fast = storages([g, mu]);
      for (let i = 0; i < n; i++) {
        const gi = g[i]!, m = mu![i]!;
        if (fast !== null) {
          const gd = fast[0]![i]!, md = fast[1]![i]!;
          const mo = alloc(gi), uo = alloc(gi);
          for (let j = 0; j < gd.length; j++) {
            const gj = gd[j]!, mj = md[j]!;
            const d = mj + (1 - b1) * (gj - mj);
            uo[j] = d > 0 ? 1 : d < 0 ? -1 : d;
            mo[j] = mj + (1 - b2) * (gj - mj);
          }
          mu2[i] = wrap(mo, gi);
          out[i] = wrap(uo, gi);
          continue;
        }
        const diff = lax.sub(gi, m);
        out[i] = lax.sign(lax.add(m, lax.mul(diff, c(1 - b1, gi))));
        mu2[i] = lax.add(m, lax.mul(diff, c(1 - b2, gi)));
      }
      return [rebuild(skeleton, out), { mu: rebuild(skeleton, mu2) }];
    },
  );
}

// ---------------------------------------------------------------------------
// clipping

/**
 * Limits every element of the updates to `[-maxDelta, maxDelta]` (PyTorch's
 * `clip_grad_value_`).
 * @example
 * ```ts
 * optim.chain(optim.clip(1), optim.sgd(0.1));
 * ```
 */
export function clip(maxDelta: number): GradientTransformation<EmptyStateFn> {
  const name = 'clip';
  const max = checkHyper(name, 'maxDelta', maxDelta, 0, Infinity);
  return transformation(
    name,
    () => EMPTY,
    (updates, state, params, ctx) => {
      checkEmpty(ctx, state);
      checkParams(ctx, updates, params);
      const { skeleton, leaves } = zipTrees(ctx.op, [updates], ['grads']);
      const fast = storages([leaves[0]]);
      const out = leaves[0]!.map((u, i) => {
        if (fast === null) return lax.minimum(lax.maximum(u, c(-max, u)), c(max, u));
        const ud = fast[0]![i]!, o = alloc(u);
        for (let j = 0; j < ud.length; j++) {
          const v = ud[j]!;
          o[j] = v > max ? max : v < -max ? -max : v;
        }
        return wrap(o, u);
      });
      return [rebuild(skeleton, out), EMPTY];
    },
  );
}

/**
 * Scales the updates by `maxNorm / norm` when their global norm (the 2-norm
 * of all elements of all leaves) exceeds `maxNorm`, as optax's
 * `clip_by_global_norm` (PyTorch's `clip_grad_norm_` adds 1e-6 to the norm).
 * @example
 * ```ts
 * optim.chain(optim.clipByGlobalNorm(1), optim.adam(1e-3));
 * ```
 */
export function clipByGlobalNorm(maxNorm: number): GradientTransformation<EmptyStateFn> {
  const name = 'clipByGlobalNorm';
  const max = checkHyper(name, 'maxNorm', maxNorm, 0, Infinity, true);
  return transformation(
    name,
    () => EMPTY,
    (updates, state, params, ctx) => {
      checkEmpty(ctx, state);
      checkParams(ctx, updates, params);
      const { skeleton, leaves } = zipTrees(ctx.op, [updates], ['grads']);
      const us = leaves[0]!;
      if (us.some(isAbstract)) {
        // Under jit the norm is abstract: scale by where(norm > max, max / norm, 1).
        const ref = us[0]!;
        let sq: AnyTensor = c(0, ref);
        for (const u of us) if (u.size > 0) sq = lax.add(sq, lax.astype(lax.reduceSum(lax.mul(u, u), (u.shape as readonly number[]).map((_, i) => i), false), ref.dtype));
        const norm = lax.sqrt(sq);
        const factor = lax.where(lax.gt(norm, c(max, ref)), lax.div(c(max, ref), norm), c(1, ref));
        return [rebuild(skeleton, us.map((u) => lax.mul(u, lax.astype(factor, u.dtype)))), EMPTY];
      }
      const norm = globalNorm(us);
      if (!(norm > max)) return [updates, EMPTY];
      return [rebuild(skeleton, scaleLeaves(leaves[0]!, max / norm)), EMPTY];
    },
  );
}

/** @internal The 2-norm of all elements of all leaves, as a JS number. */
export function globalNorm(leaves: readonly AnyTensor[]): number {
  let s = 0;
  const fast = storages([leaves]);
  if (fast !== null) {
    for (const d of fast[0]!) for (let j = 0; j < d.length; j++) s += d[j]! * d[j]!;
    return Math.sqrt(s);
  }
  for (const u of leaves) {
    if (u.size === 0) continue;
    s += lax.reduceSum(lax.mul(u, u), (u.shape as readonly number[]).map((_, i) => i), false).item() as number;
  }
  return Math.sqrt(s);
}

// ---------------------------------------------------------------------------
// addDecayedWeights

/**
 * Which leaves a transformation applies to: `true`/`false` for a whole
 * subtree, or a tree of the parameters' structure (a prefix is enough).
 * @example
 * ```ts
 * type P = { dense: { w: Tensor<[4, 2]>; b: Tensor<[2]> } };
 * const mask: optim.Mask<P> = { dense: { w: true, b: false } };
 * ```
 */
export type Mask<P> = boolean | (P extends Tensor<infer _S, infer _D> ? boolean : { readonly [K in keyof P]: Mask<P[K]> });

/** A mask, or a function of the parameters that gives one. */
export type MaskOption<P> = Mask<NoInfer<P>> | ((params: P) => Mask<P>);

/** @internal The mask value of every leaf of `ref`, in `zipTrees` order. */
export function maskLeaves(op: string, mask: unknown, ref: unknown, params: unknown): boolean[] {
  const m = typeof mask === 'function' ? (mask as (p: unknown) => unknown)(params) : mask;
  const out: boolean[] = [];
  const walk = (node: unknown, mk: unknown, path: string): void => {
    if (typeof mk === 'boolean') {
      const n = zipTrees(op, [node], ['grads'])!.leaves[0]!.length;
      for (let i = 0; i < n; i++) out.push(mk);
      return;
    }
    if (Array.isArray(node)) {
      if (!Array.isArray(mk) || mk.length !== node.length) throw new TreeError(`${op}: ${path} should be a boolean or an array of ${node.length}, got ${describeMask(mk)}`);
      node.forEach((child, i) => walk(child, mk[i], `${path}[${i}]`));
      return;
    }
    if (typeof node === 'object' && node !== null && !(node instanceof Tensor)) {
      if (typeof mk !== 'object' || mk === null || Array.isArray(mk)) throw new TreeError(`${op}: ${path} should be a boolean or an object, got ${describeMask(mk)}`);
      const keys = Object.keys(node);
      const extra = Object.keys(mk).filter((k) => !keys.includes(k));
      if (extra.length > 0) throw new TreeError(`${op}: ${path} has keys [${extra.join(',')}] that the parameters do not have`);
      for (const k of keys) {
        if (!Object.hasOwn(mk, k)) throw new TreeError(`${op}: ${path} has no entry for '${k}'`);
        walk((node as Record<string, unknown>)[k], (mk as Record<string, unknown>)[k], `${path}.${k}`);
      }
      return;
    }
    throw new TreeError(`${op}: ${path} should be a boolean for a tensor, got ${describeMask(mk)}`);
  };
  walk(ref, m, 'mask');
  return out;
}

function describeMask(x: unknown): string {
  return Array.isArray(x) ? `an array of ${x.length}` : x === null ? 'null' : typeof x;
}

/** Options of {@link addDecayedWeights}. */
export interface AddDecayedWeightsOptions<P> {
  /** Which parameters are decayed (default all). */
  readonly mask?: MaskOption<P>;
}

/**
 * Adds `weightDecay * params` to the updates (for the leaves the mask
 * selects). Before `scaleByAdam` this is PyTorch's L2 penalty (`Adam`'s
 * `weight_decay`); after it, decoupled weight decay (`AdamW`). Needs the
 * parameters in `update`.
 * @example
 * ```ts
 * type P = { w: Tensor<[3, 1]>; b: Tensor<[1]> };
 * const decay = optim.addDecayedWeights<P>(1e-4, { mask: { w: true, b: false } });
 * ```
 */
export function addDecayedWeights<P = unknown>(
  weightDecay: number,
  options: { readonly mask?: Mask<NoInfer<P>> | ((params: P) => Mask<P>) } = {},
): GradientTransformation<EmptyStateFn, P> {
  checkOptions('optim.addDecayedWeights', options);
  const name = 'addDecayedWeights';
  const wd = checkHyper(name, 'weightDecay', weightDecay, 0, Infinity);
  const mask = options.mask;
  return transformation(
    name,
    () => EMPTY,
    (updates, state, params, ctx) => {
      checkEmpty(ctx, state);
      if (wd === 0 || mask === false) {
        checkParams(ctx, updates, params);
        return [updates, EMPTY];
      }
      if (params === undefined) throw new ValueError(`${ctx.op}: weight decay reads the parameters: call update(grads, state, params)`);
      const { skeleton, leaves } = zipTrees(ctx.op, [updates, params], ['grads', 'params']);
      const [u, p] = leaves as [AnyTensor[], AnyTensor[]];
      const selected = mask === undefined || mask === true ? null : maskLeaves(ctx.op, mask, updates, params);
      const fast = storages([u, p]);
      const out = u.map((ui, i) => {
        if (selected !== null && !selected[i]) return ui;
        if (fast === null) return lax.add(ui, lax.mul(p[i]!, c(wd, ui)));
        const ud = fast[0]![i]!, pd = fast[1]![i]!, o = alloc(ui);
        for (let j = 0; j < ud.length; j++) o[j] = ud[j]! + wd * pd[j]!;
        return wrap(o, ui);
      });
      return [rebuild(skeleton, out), EMPTY];
    },
  );
}
