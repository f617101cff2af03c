/**
 * Initialisers, as `nn.init.*`: each takes its hyperparameters and returns
 * a function `(key, shape, dtype?) => Tensor`.
 * @example
 * ```ts
 * nn.linear(784, 128, { kernelInit: nn.init.heNormal(), biasInit: nn.init.zeros() });
 * ```
 * @module
 */
export {
  glorotUniform,
  glorotNormal,
  heUniform,
  heNormal,
  zeros,
  normal,
  uniform,
  constant,
  torchLinearDefault,
  fans,
  type Initializer,
  type GainOptions,
} from './init.js';
