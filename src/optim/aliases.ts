/**
 * The usual optimizers, each a `chain` of building blocks whose update
 * equals `torch.optim`'s for the same hyperparameters (PyTorch's names and
 * defaults). Weight decay is PyTorch's: added to the gradient (L2) in `sgd`,
 * `adam`, `rmsprop` and `adagrad`, decoupled in `adamw` and `lion`.
 */
import { ValueError } from '../core/errors.js';
import type { EmptyState, EmptyStateFn, GradientTransformation, StateFn, StateOf } from './base.js';
import { transformation } from './base.js';
import { namedChain, type Chain } from './chain.js';
import type { LearningRate } from './schedules.js';
import {
  type LearningRateStateFn,
  type Mask,
  type ScaleByAdamStateFn,
  type ScaleByLionStateFn,
  type ScaleByRmsStateFn,
  type ScaleByRssStateFn,
  type TraceStateFn,
  addDecayedWeights,
  checkLearningRate,
  rateAt,
  scaleByAdam,
  scaleByLearningRate,
  scaleByLion,
  scaleByRms,
  scaleByRss,
  trace,
} from './transforms.js';
import { checkOptions } from '../core/validate.js';

/** Options shared by optimizers with weight decay. */
export interface WeightDecayOptions<P> {
  /** The weight-decay coefficient. */
  readonly weightDecay?: number;
  /** Which parameters are decayed (default all), typed over the parameter tree. */
  readonly mask?: Mask<NoInfer<P>> | ((params: P) => Mask<P>);
}

/** The {@link StateFn} of a stage that may be switched off: its state, or `EmptyState`. */
export interface OptionalStateFn<F extends StateFn> extends StateFn {
  readonly state: StateOf<F, this['P']> | EmptyState;
}

const EMPTY = Object.freeze({}) as EmptyState;

/** `t` when `enabled`, else a pass-through with an empty state. */
function optional<F extends StateFn>(t: GradientTransformation<F>, enabled: boolean): GradientTransformation<OptionalStateFn<F>> {
  if (enabled) return t as GradientTransformation<OptionalStateFn<F>>;
  return transformation<OptionalStateFn<F>>(t.name, () => EMPTY, (updates) => [updates, EMPTY]);
}

function decay<P>(options: WeightDecayOptions<P>): GradientTransformation<EmptyStateFn, P> {
  return addDecayedWeights<P>(options.weightDecay ?? 0, options.mask === undefined ? {} : { mask: options.mask as Mask<P> });
}

/** Options of {@link sgd} (PyTorch's `SGD`). */
export interface SgdOptions<P> extends WeightDecayOptions<P> {
  /** Momentum factor. Default 0 (plain SGD; the momentum stage's state is then empty). */
  readonly momentum?: number;
  /** Dampening of the momentum. Default 0. */
  readonly dampening?: number;
  /** Nesterov momentum. Default false. */
  readonly nesterov?: boolean;
}

/** The transformation {@link sgd} returns; its state is `[EmptyState, TraceState<P> | EmptyState, LearningRateState]`. */
export type Sgd<P> = Chain<[GradientTransformation<EmptyStateFn, P>, GradientTransformation<OptionalStateFn<TraceStateFn>>, GradientTransformation<LearningRateStateFn>]>;

/**
 * Stochastic gradient descent, with PyTorch's momentum, dampening, Nesterov
 * and (L2) weight decay: `g += wd p`; `b = g` at the first step, then
 * `b = momentum b + (1 - dampening) g`; `p -= lr (nesterov ? g + momentum b : b)`.
 * @example
 * ```ts
 * import { optim } from 'typegrad';
 * const opt = optim.sgd(0.1, { momentum: 0.9, nesterov: true });
 * let state = opt.init(params);
 * ({ params, state } = opt.step(params, grads, state));
 * ```
 */
export function sgd<P = unknown>(learningRate: LearningRate, options: SgdOptions<P> = {}): Sgd<P> {
  checkOptions('optim.sgd', options);
  const lr = checkLearningRate('sgd', learningRate);
  const momentum = options.momentum ?? 0;
  const stage = momentum === 0 && !options.nesterov && (options.dampening ?? 0) === 0 ? null : trace({ decay: momentum, dampening: options.dampening ?? 0, nesterov: options.nesterov ?? false });
  return namedChain('sgd', [decay(options), optional(stage ?? trace({ decay: 0 }), stage !== null), scaleByLearningRate(lr)] as const);
}

/** Options of {@link adam} (PyTorch's `Adam`). */
export interface AdamOptions<P> extends WeightDecayOptions<P> {
  /** Default 0.9. */
  readonly b1?: number;
  /** Default 0.999. */
  readonly b2?: number;
  /** Default 1e-8. */
  readonly eps?: number;
  /** AMSGrad variant. Default false. */
  readonly amsgrad?: boolean;
}

/** The transformation {@link adam} returns; its state is `[EmptyState, ScaleByAdamState<P>, LearningRateState]`. */
export type Adam<P> = Chain<[GradientTransformation<EmptyStateFn, P>, GradientTransformation<ScaleByAdamStateFn>, GradientTransformation<LearningRateStateFn>]>;

/**
 * Adam (Kingma and Ba), as PyTorch's `Adam`: `g += wd p` (L2, default 0),
 * `mu = b1 mu + (1 - b1) g`, `nu = b2 nu + (1 - b2) g^2`,
 * `p -= lr (mu / (1 - b1^t)) / (sqrt(nu) / sqrt(1 - b2^t) + eps)`.
 * @example
 * ```ts
 * const opt = optim.adam(1e-3);
 * const state = opt.init(params);
 * state[1].mu;           // zeros like params
 * optim.currentLearningRate(state); // 0.001
 * ```
 */
export function adam<P = unknown>(learningRate: LearningRate, options: AdamOptions<P> = {}): Adam<P> {
  checkOptions('optim.adam', options);
  const lr = checkLearningRate('adam', learningRate);
  return namedChain('adam', [decay(options), scaleByAdam(options), scaleByLearningRate(lr)] as const);
}

/** The transformation {@link adamw} returns; its state is `[ScaleByAdamState<P>, EmptyState, LearningRateState]`. */
export type AdamW<P> = Chain<[GradientTransformation<ScaleByAdamStateFn>, GradientTransformation<EmptyStateFn, P>, GradientTransformation<LearningRateStateFn>]>;

/**
 * AdamW (Loshchilov and Hutter), as PyTorch's `AdamW`: Adam's update plus
 * decoupled weight decay, `p -= lr (adam(g) + wd p)`, with PyTorch's default
 * `weightDecay: 1e-2`. Use `mask` to exempt biases and norms.
 * @example
 * ```ts
 * type P = { w: Tensor<[30, 1]>; b: Tensor<[1]> };
 * const opt = optim.adamw<P>(1e-3, { weightDecay: 0.05, mask: { w: true, b: false } });
 * ```
 */
export function adamw<P = unknown>(learningRate: LearningRate, options: AdamOptions<P> = {}): AdamW<P> {
  checkOptions('optim.adamw', options);
  const lr = checkLearningRate('adamw', learningRate);
  return namedChain('adamw', [scaleByAdam(options), decay({ weightDecay: options.weightDecay ?? 1e-2, ...(options.mask === undefined ? {} : { mask: options.mask }) }), scaleByLearningRate(lr)] as const);
}

/** Options of {@link rmsprop} (PyTorch's `RMSprop`). */
export interface RmspropOptions<P> extends WeightDecayOptions<P> {
  /** Smoothing constant of the mean square. Default 0.99. */
  readonly alpha?: number;
  /** Default 1e-8 (added outside the square root, as in PyTorch). */
  readonly eps?: number;
  /** Normalise by the variance estimate instead of the mean square. Default false. */
  readonly centered?: boolean;
  /** Momentum factor. Default 0. */
  readonly momentum?: number;
}

/** The transformation {@link rmsprop} returns; its state is `[EmptyState, ScaleByRmsState<P>, TraceState<P> | EmptyState, LearningRateState]`. */
export type Rmsprop<P> = Chain<
  [
    GradientTransformation<EmptyStateFn, P>,
    GradientTransformation<ScaleByRmsStateFn>,
    GradientTransformation<OptionalStateFn<TraceStateFn>>,
    GradientTransformation<LearningRateStateFn>,
  ]
>;

/**
 * RMSprop, as PyTorch's `RMSprop`: `nu = alpha nu + (1 - alpha) g^2`,
 * `u = g / (sqrt(nu) + eps)` (centered: `sqrt(nu - m^2)`), then momentum
 * `b = momentum b + u` if set, and `p -= lr b`.
 * @example
 * ```ts
 * const opt = optim.rmsprop(1e-2, { centered: true, momentum: 0.9 });
 * ```
 */
export function rmsprop<P = unknown>(learningRate: LearningRate, options: RmspropOptions<P> = {}): Rmsprop<P> {
  checkOptions('optim.rmsprop', options);
  const lr = checkLearningRate('rmsprop', learningRate);
  const momentum = options.momentum ?? 0;
  return namedChain('rmsprop', [
    decay(options),
    scaleByRms(options),
    optional(trace({ decay: momentum }), momentum !== 0),
    scaleByLearningRate(lr),
  ] as const);
}

/** Options of {@link adagrad} (PyTorch's `Adagrad`). */
export interface AdagradOptions<P> extends WeightDecayOptions<P> {
  /** The learning rate at step t is `lr / (1 + t lrDecay)`. Default 0. */
  readonly lrDecay?: number;
  /** Default 0. */
  readonly initialAccumulatorValue?: number;
  /** Default 1e-10. */
  readonly eps?: number;
}

/** The transformation {@link adagrad} returns; its state is `[EmptyState, ScaleByRssState<P>, LearningRateState]`. */
export type Adagrad<P> = Chain<[GradientTransformation<EmptyStateFn, P>, GradientTransformation<ScaleByRssStateFn>, GradientTransformation<LearningRateStateFn>]>;

/**
 * Adagrad, as PyTorch's `Adagrad`: `s = s + g^2`,
 * `p -= lr / (1 + t lrDecay) * g / (sqrt(s) + eps)` (t from 0).
 * @example
 * ```ts
 * const opt = optim.adagrad(0.1, { lrDecay: 1e-3 });
 * ```
 */
export function adagrad<P = unknown>(learningRate: LearningRate, options: AdagradOptions<P> = {}): Adagrad<P> {
  checkOptions('optim.adagrad', options);
  const lr = checkLearningRate('adagrad', learningRate);
  const lrDecay = options.lrDecay ?? 0;
  if (typeof lrDecay !== 'number' || !Number.isFinite(lrDecay) || lrDecay < 0) {
    throw new ValueError(`adagrad: lrDecay must be a finite number >= 0, got ${String(lrDecay)}`);
  }
  const rate: LearningRate = lrDecay === 0 ? lr : (step: number) => rateAt('adagrad', lr, step) / (1 + step * lrDecay);
  return namedChain('adagrad', [decay(options), scaleByRss(options), scaleByLearningRate(rate)] as const);
}

/** Options of {@link lion}. */
export interface LionOptions<P> extends WeightDecayOptions<P> {
  /** Default 0.9. */
  readonly b1?: number;
  /** Default 0.99. */
  readonly b2?: number;
}

/** The transformation {@link lion} returns; its state is `[ScaleByLionState<P>, EmptyState, LearningRateState]`. */
export type Lion<P> = Chain<[GradientTransformation<ScaleByLionStateFn>, GradientTransformation<EmptyStateFn, P>, GradientTransformation<LearningRateStateFn>]>;

/**
 * Lion (Chen et al. 2023; PyTorch has no built-in, this follows the paper
 * and the `lion-pytorch` reference): `p -= lr (sign(b1 mu + (1 - b1) g) + wd p)`,
 * then `mu = b2 mu + (1 - b2) g`. Use a learning rate 3-10x smaller than Adam's.
 * @example
 * ```ts
 * const opt = optim.lion(1e-4, { weightDecay: 1e-2 });
 * ```
 */
export function lion<P = unknown>(learningRate: LearningRate, options: LionOptions<P> = {}): Lion<P> {
  checkOptions('optim.lion', options);
  const lr = checkLearningRate('lion', learningRate);
  return namedChain('lion', [scaleByLion(options), decay(options), scaleByLearningRate(lr)] as const);
}
