/**
 * Models as pairs of pure functions. A layer's `init(key)` returns a typed
 * parameter tree and its `apply(params, x, options?)` maps a typed input to
 * a typed output; `sequential` composes them, with the widths checked at
 * compile time. Hand-written models are plain functions and need nothing
 * from here but the activations.
 *
 * @example
 * ```ts
 * import { grad, nn, optim, random, softmaxCrossEntropy } from 'typegrad';
 * const model = nn.sequential(nn.linear(784, 128), nn.relu, nn.linear(128, 10));
 * let params = model.init(random.key(0));
 * const loss = (p: typeof params, x: Tensor<[32, 784]>, y: Tensor<[32], 'int32'>) => softmaxCrossEntropy(model.apply(p, x), y);
 * const opt = optim.adam(1e-3);
 * let state = opt.init(params);
 * ({ params, state } = opt.step(params, grad(loss)(params, x, y), state));
 * ```
 *
 * @module
 */
export {
  relu,
  sigmoid,
  tanh,
  gelu,
  softmax,
  logSoftmax,
  leakyRelu,
  elu,
  silu,
  type Activation,
  type GeluOptions,
} from './activations.js';
export {
  type Layer,
  type StatefulLayer,
  type AnyLayer,
  type ParamsOf,
  type Mode,
  type ApplyOptions,
  type ModeOptions,
  type ApplyArgs,
  type OutDType,
  type ShapedLayer,
  type ShapedStatefulLayer,
  type ShapeFn,
  type ApplyShapeFn,
} from './layer.js';
export { linear, mlp, type LinearParams, type LinearOptions, type MlpParams, type MlpOptions, type LastOf } from './linear.js';
export { dropout } from './dropout.js';
export { embedding, type EmbeddingParams, type EmbeddingOptions } from './embedding.js';
export {
  layerNorm,
  batchNorm,
  type NormParams,
  type FeatureShape,
  type LayerNormOptions,
  type BatchNormState,
  type BatchNormOptions,
} from './norm.js';
export {
  conv2d,
  maxPool2d,
  avgPool2d,
  flatten,
  unflatten,
  batchNorm2d,
  type Conv2dParams,
  type Conv2dLayerOptions,
  type Conv2dFn,
  type Pool2dFn,
  type FlattenFn,
  type SameFn,
} from './conv.js';
export {
  sequential,
  type Sequential,
  type SequentialItem,
  type SequentialParams,
  type SequentialState,
  type CheckSequential,
  type PassThrough,
} from './sequential.js';
export * as init from './init-namespace.js';
export { summary } from './summary.js';
