/**
 * Classification losses: binary cross-entropy on probabilities and on
 * logits, softmax cross-entropy (integer or one-hot labels) and negative
 * log-likelihood. Each is written to stay finite at the extremes: probabilities
 * of exactly 0 and 1, and logits up to |1e4|.
 */
import type { DType, FloatDType } from '../core/dtype.js';
import { DTypeError, ShapeError, ValueError, formatShape } from '../core/errors.js';
import { type AnyTensor, Tensor, dimsOf, storageOf } from '../core/tensor.js';
import type { Dim } from '../shape/dim.js';
import type { FormatShape } from '../shape/format.js';
import * as lax from '../lax/index.js';
import { logSoftmax } from '../nn/activations.js';
import { type CheckSameShape, type Init, type LossOptions, type LossResult, type Reduction, checkRange, floatInput, knownValues, pairLoss, reduce } from './shared.js';

const c = (v: number, like: AnyTensor): AnyTensor => lax.scalarLike(v, like);

/** log(p) clamped below at -100, with a zero (not NaN) derivative where p = 0. */
function clampedLog(p: AnyTensor): AnyTensor {
  // log(p) where log(p) > -100, else -100 (and derivative 0 there). The log
  // reads 1 where it is not used, so no -Infinity (or 0 * Infinity = NaN in
  // the derivative) is ever formed.
  const keep = lax.gt(p, c(Math.exp(-100), p));
  return lax.where(keep, lax.log(lax.where(keep, p, c(1, p))), c(-100, p));
}

/**
 * Binary cross-entropy on probabilities, `-(y log p + (1 - y) log(1 - p))`,
 * with each log clamped at -100 as PyTorch's `BCELoss` does, so a
 * saturated sigmoid (p exactly 0 or 1) gives a loss of at most 100, not
 * NaN or Infinity. Targets may be float, int or bool, in [0, 1]. Prefer
 * {@link bceWithLogits} when the probabilities come from a sigmoid.
 * @example
 * ```ts
 * bce(tensor([0.9, 0.2]), tensor([1, 0]));  // Tensor<[]>: (-log 0.9 - log 0.8) / 2
 * bce(tensor([0, 1]), tensor([1, 1]));      // 50: the log of 0 counts as -100
 * ```
 */
export const bce = pairLoss(
  'bce',
  (p, y) => {
    const one = c(1, p);
    return lax.neg(lax.add(lax.mul(y, clampedLog(p)), lax.mul(lax.sub(one, y), clampedLog(lax.sub(one, p)))));
  },
  (p, y) => {
    // The clamp would turn NaN or a value outside [0, 1] into a finite loss with a zero derivative.
    checkRange('bce', 'prediction', p, 0, 1);
    checkRange('bce', 'target', y, 0, 1);
  },
);

/**
 * Binary cross-entropy on logits, `softplus(x) - x y`, computed as
 * `max(x, 0) - x y + log(1 + e^-|x|)` so that it is exact and finite for
 * any |x| (1e4 included) and its derivative is `sigmoid(x) - y` (0.5 - y at
 * x = 0). PyTorch's `BCEWithLogitsLoss`, optax's `sigmoid_binary_cross_entropy`.
 * @example
 * ```ts
 * bceWithLogits(tensor([0]), tensor([1]));         // log 2
 * bceWithLogits(tensor([1e4, -1e4]), tensor([1, 1]), { reduction: 'none' }); // [0, 1e4]
 * ```
 */
export const bceWithLogits = pairLoss(
  'bceWithLogits',
  (x, y) => {
    // y softplus(-x) + (1 - y) softplus(x), softplus(x) = max(x, 0) + log(1 + e^-|x|).
    // A weight of 0 contributes 0 (not 0 * ∞ = NaN), so x = ±∞ gives 0 or ∞.
    // maximum(x, 0) splits its derivative at the tie x = 0, which gives sigmoid'(0)-correct 1/2.
    const zero = c(0, x);
    const tail = lax.log1p(lax.exp(lax.neg(lax.abs(x))));
    const softplusPos = lax.add(lax.maximum(x, zero), tail);
    const softplusNeg = lax.add(lax.maximum(lax.neg(x), zero), tail);
    const weighted = (w: AnyTensor, v: AnyTensor): AnyTensor => lax.where(lax.eq(w, c(0, w)), c(0, v), lax.mul(w, v));
    return lax.add(weighted(y, softplusNeg), weighted(lax.sub(c(1, y), y), softplusPos));
  },
  (_x, y) => checkRange('bceWithLogits', 'target', y, 0, 1),
);

/** Options of {@link softmaxCrossEntropy}. */
export interface CrossEntropyOptions<R extends Reduction = 'mean'> extends LossOptions<R> {
  /** Mixes the labels with the uniform distribution: `(1 - s) y + s / C` (PyTorch's `label_smoothing`). Default 0. */
  readonly labelSmoothing?: number;
}

/** The message when labels fit neither integer nor one-hot use of `logits`. */
type CheckLabels<A, B, DL, Op extends string> = [A] extends [never]
  ? unknown
  : [DL] extends ['int32']
    ? CheckSameShape<Init<A>, B, Op> extends string
      ? `${Op}: integer labels ${FormatShape<B>} must have the shape of the logits ${FormatShape<A>} without the class axis, ${FormatShape<Init<A>>}`
      : unknown
    : CheckSameShape<A, B, Op> extends string
      ? `${Op}: one-hot labels ${FormatShape<B>} must have the shape of the logits ${FormatShape<A>}`
      : unknown;

/**
 * The signature of {@link softmaxCrossEntropy}: integer labels (int32, the
 * logits' shape without the class axis) or one-hot / probability labels
 * (float, the logits' shape). The last overload carries the message for
 * labels of the wrong shape.
 */
export interface CrossEntropyLoss<Op extends string, Opts> {
  <P extends Dim[], C extends Dim, D extends FloatDType, const R extends Reduction = 'mean'>(
    logits: Tensor<[...P, C], D>,
    labels: Tensor<P, 'int32'>,
    options?: Opts & LossOptions<R>,
  ): LossResult<P, D, R>;
  <P extends Dim[], C extends Dim, D extends FloatDType, const R extends Reduction = 'mean'>(
    logits: Tensor<[...P, C], D>,
    labels: Tensor<[...P, NoInfer<C>], FloatDType>,
    options?: Opts & LossOptions<R>,
  ): LossResult<P, D, R>;
  <A extends readonly number[], B extends readonly number[], D extends FloatDType, DL extends DType, const R extends Reduction = 'mean'>(
    logits: Tensor<A, D>,
    labels: Tensor<B, DL> & CheckLabels<A, B, DL, Op>,
    options?: Opts & LossOptions<R>,
  ): LossResult<Init<A>, D, R>;
}

/** @internal The labels as float weights over the classes of `logp`: one-hot of int labels, or the labels themselves. */
function labelWeights(op: string, logp: AnyTensor, labels: unknown, intOnly: boolean): AnyTensor {
  if (!(labels instanceof Tensor)) throw new DTypeError(`${op}: labels must be a tensor, got ${labels === null ? 'null' : typeof labels}`);
  const ls = labels as AnyTensor;
  const shape = dimsOf(logp), lshape = dimsOf(ls);
  const classes = shape[shape.length - 1]!;
  if (ls.dtype === 'int32') {
    const want = shape.slice(0, -1);
    if (lshape.length !== want.length || lshape.some((d, i) => d !== want[i])) {
      throw new ShapeError(`${op}: integer labels ${formatShape(lshape)} must have the shape of the logits ${formatShape(shape)} without the class axis, ${formatShape(want)}`);
    }
    // Inside jit the labels are abstract (no known values): the range is checked eagerly only.
    const values = knownValues(ls) ?? [];
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v < 0 || v >= classes) throw new ValueError(`${op}: label ${v} at flat index ${i} is out of range for ${classes} classes (expected 0..${classes - 1})`);
    }
    const ks = lax.fill([classes], 0, 'int32');
    const kd = storageOf(ks);
    for (let k = 0; k < classes; k++) kd[k] = k;
    return lax.astype(lax.eq(lax.reshape(ls, [...lshape, 1]), ks), logp.dtype);
  }
  if (intOnly) throw new DTypeError(`${op}: labels must be int32 class indices, got ${ls.dtype}`);
  if (ls.dtype !== 'float32' && ls.dtype !== 'float64') throw new DTypeError(`${op}: labels must be int32 class indices or float one-hot/probabilities, got ${ls.dtype}`);
  if (lshape.length !== shape.length || lshape.some((d, i) => d !== shape[i])) {
    throw new ShapeError(`${op}: one-hot labels ${formatShape(lshape)} must have the shape of the logits ${formatShape(shape)}`);
  }
  // Probabilities: a negative (or NaN) weight would reward a wrong class.
  checkRange(op, 'labels', ls, 0, 1);
  return lax.astype(ls, logp.dtype);
}

/** -sum_k w_k logp_k over the last axis, with 0 (not NaN) where w_k = 0 and logp_k = -inf. */
function crossEntropyOf(logp: AnyTensor, w: AnyTensor): AnyTensor {
  const r = dimsOf(logp).length;
  const terms = lax.where(lax.eq(w, c(0, w)), c(0, logp), lax.mul(w, logp));
  return lax.neg(lax.reduceSum(terms, [r - 1], false));
}

/**
 * Cross-entropy of softmax(logits) against labels, over the last axis
 * (PyTorch's `CrossEntropyLoss` with class-last logits, optax's
 * `softmax_cross_entropy` and `..._with_integer_labels`). Labels are int32
 * class indices of shape `[...B]`, or float one-hot (or probability) rows of
 * shape `[...B, C]`. Stable for large logits; derivative `softmax - y`.
 * @example
 * ```ts
 * const logits = tensor([[2, 0, 0], [0, 0, 5]]);            // Tensor<[2, 3]>
 * softmaxCrossEntropy(logits, tensor([0, 2], { dtype: 'int32' }));
 * softmaxCrossEntropy(logits, tensor([[1, 0, 0], [0, 0, 1]])); // the same
 * softmaxCrossEntropy(logits, tensor([0, 2], { dtype: 'int32' }), { labelSmoothing: 0.1, reduction: 'none' }); // Tensor<[2]>
 * ```
 */
export const softmaxCrossEntropy = ((logits: unknown, labels: unknown, options: CrossEntropyOptions<Reduction> = {}) => {
  const op = 'softmaxCrossEntropy';
  const x = floatInput(op, 'logits', logits);
  if (x.rank < 1) throw new ShapeError(`${op}: logits must have a class axis, got shape []`);
  const logp = logSoftmax(x as Tensor<number[], FloatDType>) as unknown as AnyTensor;
  let w = labelWeights(op, logp, labels, false);
  const s = options.labelSmoothing ?? 0;
  if (typeof s !== 'number' || !(s >= 0 && s <= 1)) throw new ValueError(`${op}: labelSmoothing must be in [0, 1], got ${String(s)}`);
  if (s > 0) {
    const classes = dimsOf(x)[x.rank - 1]!;
    w = lax.add(lax.mul(w, c(1 - s, w)), c(s / classes, w));
  }
  return reduce(op, crossEntropyOf(logp, w), options.reduction);
}) as unknown as CrossEntropyLoss<'softmaxCrossEntropy', CrossEntropyOptions<Reduction>>;

/** The signature of {@link nll}: log-probabilities `[...B, C]` and int32 labels `[...B]`. */
export interface NllLoss {
  <P extends Dim[], C extends Dim, D extends FloatDType, const R extends Reduction = 'mean'>(
    logProbs: Tensor<[...P, C], D>,
    labels: Tensor<P, 'int32'>,
    options?: LossOptions<R>,
  ): LossResult<P, D, R>;
  <A extends readonly number[], B extends readonly number[], D extends FloatDType, const R extends Reduction = 'mean'>(
    logProbs: Tensor<A, D>,
    labels: Tensor<B, 'int32'> & CheckLabels<A, B, 'int32', 'nll'>,
    options?: LossOptions<R>,
  ): LossResult<Init<A>, D, R>;
}

/**
 * Negative log-likelihood of int32 class labels under log-probabilities
 * (PyTorch's `NLLLoss`): `-logProbs[..., label]`. Use it after `logSoftmax`;
 * `softmaxCrossEntropy` does both in one.
 * @example
 * ```ts
 * // hidden: declare const logits: Tensor<[2, 3]>;
 * nll(nn.logSoftmax(logits), tensor([0, 2], { dtype: 'int32' })); // = softmaxCrossEntropy(logits, labels)
 * ```
 */
export const nll = ((logProbs: unknown, labels: unknown, options: LossOptions<Reduction> = {}) => {
  const op = 'nll';
  const logp = floatInput(op, 'logProbs', logProbs);
  if (logp.rank < 1) throw new ShapeError(`${op}: log-probabilities must have a class axis, got shape []`);
  return reduce(op, crossEntropyOf(logp, labelWeights(op, logp, labels, true)), options.reduction);
}) as unknown as NllLoss;
