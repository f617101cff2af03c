/**
 * Losses and metrics. Every loss takes `reduction: 'mean' | 'sum' | 'none'`
 * and checks shapes exactly, at compile time and at run time: a
 * prediction `[N, 1]` against a target `[N]` is an error, never a silent
 * `[N, N]` broadcast.
 *
 * @example
 * ```ts
 * import { bceWithLogits, accuracy, tensor } from 'typegrad';
 * const logits = tensor([[2.1], [-0.3]]);   // Tensor<[2, 1]>
 * const y = tensor([[1], [1]]);             // Tensor<[2, 1]>
 * bceWithLogits(logits, y);                 // Tensor<[]>
 * accuracy(logits, y, { logits: true });    // 0.5
 * ```
 *
 * @module
 */
export { type Reduction, type LossOptions, type LossResult, type CheckSameShape, type PairLoss } from './shared.js';
export { mse, l1, huber } from './regression.js';
export { bce, bceWithLogits, softmaxCrossEntropy, nll, type CrossEntropyOptions, type CrossEntropyLoss, type NllLoss } from './classification.js';
export { accuracy, confusionMatrix, type AccuracyOptions, type Accuracy } from './metrics.js';
