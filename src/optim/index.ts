/**
 * Optimizers the optax way: a `GradientTransformation` is a pair of pure
 * functions `init(params) -> state` and `update(grads, state, params?) ->
 * [updates, state]`; `applyUpdates(params, updates)` adds the updates.
 * Optimizers are chains of small transformations, their formulas equal
 * `torch.optim`'s, and their state is a typed tree of tensors and numbers
 * that is never mutated.
 *
 * @example
 * ```ts
 * import { grad, optim } from 'typegrad';
 * const opt = optim.adamw(1e-3);
 * let state = opt.init(params);
 * for (let i = 0; i < 100; i++) {
 *   ({ params, state } = opt.step(params, grad(loss)(params, x, y), state));
 * }
 * optim.currentLearningRate(state); // 0.001
 * ```
 *
 * @module
 */
export {
  type StateFn,
  type StateOf,
  type EmptyState,
  type EmptyStateFn,
  type UpdateContext,
  type GradientTransformation,
  type AnyTransformation,
  transformation,
  applyUpdates,
} from './base.js';
export { chain, type Chain, type ChainState, type ChainStateFn, type StateFnOf } from './chain.js';
export {
  scaleByAdam,
  scaleByLearningRate,
  scale,
  trace,
  scaleByRms,
  scaleByRss,
  scaleByLion,
  clip,
  clipByGlobalNorm,
  addDecayedWeights,
  type Mask,
  type MaskOption,
  type ScaleByAdamOptions,
  type ScaleByAdamState,
  type ScaleByAdamStateFn,
  type LearningRateState,
  type LearningRateStateFn,
  type TraceOptions,
  type TraceState,
  type TraceStateFn,
  type ScaleByRmsOptions,
  type ScaleByRmsState,
  type ScaleByRmsStateFn,
  type ScaleByRssOptions,
  type ScaleByRssState,
  type ScaleByRssStateFn,
  type ScaleByLionOptions,
  type ScaleByLionState,
  type ScaleByLionStateFn,
  type AddDecayedWeightsOptions,
} from './transforms.js';
export { multiSteps, type MultiStepsOptions, type MultiStepsState, type MultiStepsStateFn } from './multi-steps.js';
export {
  sgd,
  adam,
  adamw,
  rmsprop,
  adagrad,
  lion,
  type Sgd,
  type Adam,
  type AdamW,
  type Rmsprop,
  type Adagrad,
  type Lion,
  type SgdOptions,
  type AdamOptions,
  type RmspropOptions,
  type AdagradOptions,
  type LionOptions,
  type WeightDecayOptions,
  type OptionalStateFn,
} from './aliases.js';
export {
  constant,
  exponentialDecay,
  cosineDecay,
  warmupCosineDecay,
  piecewiseConstant,
  linear,
  joinSchedules,
  type Schedule,
  type LearningRate,
  type ExponentialDecayOptions,
  type CosineDecayOptions,
  type WarmupCosineDecayOptions,
  type LinearScheduleOptions,
} from './schedules.js';
export { currentLearningRate, globalNorm } from './inspect.js';
