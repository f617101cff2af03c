/**
 * Metrics: `accuracy` (binary by threshold, multiclass by argmax) and
 * `confusionMatrix`. They read values (no derivatives) and return plain
 * numbers or int32 tensors.
 */
import { describeValue } from '../core/describe.js';
import type { DType, FloatDType } from '../core/dtype.js';
import { DTypeError, ShapeError, ValueError, formatShape } from '../core/errors.js';
import { type AnyTensor, Tensor, dimsOf, fromStorage, storageOf } from '../core/tensor.js';
import type { Dim, Shape } from '../shape/dim.js';
import type { FormatShape } from '../shape/format.js';
import type { CheckSameShape, Init } from './shared.js';

/** Options of binary {@link accuracy}. */
export interface AccuracyOptions {
  /** The predictions are logits (default threshold 0) rather than probabilities (default threshold 0.5). */
  readonly logits?: boolean;
  /** A prediction above it counts as class 1. Default 0.5, or 0 with `logits`. */
  readonly threshold?: number;
}

type CheckAccuracy<A, B, DL> = [A] extends [never]
  ? unknown
  : CheckSameShape<A, B, 'accuracy'> extends string
    ? [DL] extends ['int32']
      ? CheckSameShape<Init<A>, B, 'accuracy'> extends string
        ? `accuracy: target ${FormatShape<B>} must have the shape of the prediction ${FormatShape<A>} (binary) or that shape without its last axis, ${FormatShape<Init<A>>} (int32 class labels)`
        : A extends readonly [...unknown[], 1]
          ? `accuracy: prediction ${FormatShape<A>} has one class; for binary accuracy the target must have the same shape, ${FormatShape<A>}`
          : unknown
      : `accuracy: prediction ${FormatShape<A>} and target ${FormatShape<B>} must have the same shape`
    : unknown;

/**
 * The signature of {@link accuracy}: binary when the target has the
 * prediction's shape, multiclass when the target holds int32 labels of the
 * prediction's shape without its class axis.
 */
export interface Accuracy {
  <S, D extends FloatDType>(prediction: Tensor<S, D>, target: Tensor<NoInfer<S>, DType>, options?: AccuracyOptions): number;
  <P extends Dim[], C extends Dim, D extends FloatDType>(
    scores: Tensor<[...P, C], D>,
    labels: Tensor<P, 'int32'> & ([C] extends [1] ? 'accuracy: scores with one class cannot be compared with int32 labels by argmax; give binary targets of the same shape' : unknown),
  ): number;
  <A extends Shape, B extends Shape, D extends FloatDType, DL extends DType>(prediction: Tensor<A, D>, target: Tensor<B, DL> & CheckAccuracy<A, B, DL>, options?: AccuracyOptions): number;
}

function floatValues(op: string, x: unknown, name: string): { data: ArrayLike<number>; shape: readonly number[] } {
  if (!(x instanceof Tensor)) throw new DTypeError(`${op}: ${name} must be a tensor, got ${describeValue(x)}`);
  return { data: storageOf((x as AnyTensor).concrete()), shape: dimsOf(x) };
}

/**
 * The fraction of correct predictions, as a number.
 * - Binary: `prediction` and `target` have the same shape; a prediction above
 *   `threshold` (0.5, or 0 with `logits: true`) means class 1, and a target
 *   counts as 1 when it is above 0.5 (float), nonzero (int) or true (bool).
 * - Multiclass: `scores` `[...B, C]` and int32 `labels` `[...B]`; the
 *   predicted class is the argmax (first at ties).
 * Shapes are checked as the losses check them: `[N, 1]` against `[N]` is an
 * error, not a silent broadcast.
 * @example
 * ```ts
 * accuracy(tensor([0.9, 0.4, 0.6]), tensor([1, 0, 0]));                     // 2/3
 * accuracy(tensor([2.1, -0.3]), tensor([1, 1]), { logits: true });          // 0.5
 * accuracy(tensor([[0.1, 0.9], [0.8, 0.2]]), tensor([1, 1], { dtype: 'int32' })); // 0.5
 * ```
 */
export const accuracy = ((prediction: unknown, target: unknown, options: AccuracyOptions = {}): number => {
  const op = 'accuracy';
  if (typeof options !== 'object' || options === null) throw new ValueError(`${op}: options must be an object, got ${describeValue(options)}`);
  const p = floatValues(op, prediction, 'prediction');
  if ((prediction as AnyTensor).dtype !== 'float32' && (prediction as AnyTensor).dtype !== 'float64') {
    throw new DTypeError(`${op}: prediction must be float32 or float64, got ${(prediction as AnyTensor).dtype}`);
  }
  const t = floatValues(op, target, 'target');
  const targetDType = (target as AnyTensor).dtype;
  const same = p.shape.length === t.shape.length && p.shape.every((d, i) => d === t.shape[i]);
  if (same) {
    const threshold = options.threshold ?? (options.logits ? 0 : 0.5);
    if (typeof threshold !== 'number' || Number.isNaN(threshold)) throw new ValueError(`${op}: threshold must be a number, got ${String(threshold)}`);
    const n = p.data.length;
    if (n === 0) return NaN;
    let correct = 0;
    const floatTarget = targetDType === 'float32' || targetDType === 'float64';
    for (let i = 0; i < n; i++) {
      const pv = p.data[i]!;
      // NaN compares false with the threshold and would count as class 0.
      if (Number.isNaN(pv)) throw new ValueError(`${op}: prediction is NaN at flat index ${i}`);
      const tv = t.data[i]!;
      if (floatTarget ? !(tv >= 0 && tv <= 1) : targetDType !== 'bool' && tv !== 0 && tv !== 1) {
        throw new ValueError(`${op}: binary target must be 0 or 1${floatTarget ? ' (or a probability in [0, 1])' : ''}, got ${tv} at flat index ${i}`);
      }
      const y = floatTarget ? tv > 0.5 : tv !== 0;
      if (pv > threshold === y) correct++;
    }
    return correct / n;
  }
  const classes = p.shape[p.shape.length - 1];
  const want = p.shape.slice(0, -1);
  const fitsLabels = targetDType === 'int32' && t.shape.length === want.length && t.shape.every((d, i) => d === want[i]);
  if (!fitsLabels || classes === undefined) {
    throw new ShapeError(
      targetDType === 'int32'
        ? `${op}: target ${formatShape(t.shape)} must have the shape of the prediction ${formatShape(p.shape)} (binary) or that shape without its last axis, ${formatShape(want)} (int32 class labels)`
        : `${op}: prediction ${formatShape(p.shape)} and target ${formatShape(t.shape)} must have the same shape`,
    );
  }
  if (classes === 1) {
    throw new ShapeError(`${op}: prediction ${formatShape(p.shape)} has one class; for binary accuracy the target must have the same shape, ${formatShape(p.shape)}`);
  }
  const rows = t.data.length;
  if (rows === 0) return NaN;
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    const label = t.data[r]!;
    if (!(label >= 0 && label < classes)) {
      throw new ValueError(`${op}: label ${label} at flat index ${r} is out of range for ${classes} classes (expected 0..${classes - 1})`);
    }
    for (let k = 0; k < classes; k++) {
      if (Number.isNaN(p.data[r * classes + k]!)) throw new ValueError(`${op}: prediction is NaN at row ${r}, class ${k}`);
    }
    let best = 0;
    let bestValue = p.data[r * classes]!;
    for (let k = 1; k < classes; k++) {
      const v = p.data[r * classes + k]!;
      if (v > bestValue || (Number.isNaN(v) && !Number.isNaN(bestValue))) {
        best = k;
        bestValue = v;
      }
    }
    if (best === t.data[r]) correct++;
  }
  return correct / rows;
}) as unknown as Accuracy;

/**
 * The confusion matrix of class predictions against targets: entry
 * `[i, j]` counts the elements whose target is class i and prediction class
 * j (scikit-learn's layout). Both are int32 class indices (or bool for two
 * classes) of the same shape, in `[0, numClasses)`.
 * @example
 * ```ts
 * const pred = tensor([0, 1, 1, 2], { dtype: 'int32' });
 * const truth = tensor([0, 1, 2, 2], { dtype: 'int32' });
 * confusionMatrix(pred, truth, 3).toArray(); // [[1, 0, 0], [0, 1, 0], [0, 1, 1]]: Tensor<[3, 3], 'int32'>
 * ```
 */
export function confusionMatrix<S, const C extends number>(
  prediction: Tensor<S, 'int32' | 'bool'>,
  target: Tensor<NoInfer<S>, 'int32' | 'bool'>,
  numClasses: C,
): Tensor<[C, C], 'int32'> {
  const op = 'confusionMatrix';
  if (typeof numClasses !== 'number' || !Number.isInteger(numClasses) || numClasses < 1) {
    throw new ValueError(`${op}: numClasses must be a positive integer, got ${String(numClasses)}`);
  }
  for (const [x, name] of [[prediction, 'prediction'], [target, 'target']] as const) {
    if (!(x instanceof Tensor) || (x.dtype !== 'int32' && x.dtype !== 'bool')) {
      throw new DTypeError(`${op}: ${name} must be an int32 (or bool) tensor of class indices, got ${x instanceof Tensor ? x.dtype : typeof x}`);
    }
  }
  const p = floatValues(op, prediction, 'prediction');
  const t = floatValues(op, target, 'target');
  if (p.shape.length !== t.shape.length || p.shape.some((d, i) => d !== t.shape[i])) {
    throw new ShapeError(`${op}: prediction ${formatShape(p.shape)} and target ${formatShape(t.shape)} must have the same shape`);
  }
  const out = new Int32Array(numClasses * numClasses);
  for (let i = 0; i < p.data.length; i++) {
    const yhat = p.data[i]!, y = t.data[i]!;
    if (y < 0 || y >= numClasses || yhat < 0 || yhat >= numClasses) {
      throw new ValueError(`${op}: class ${y < 0 || y >= numClasses ? y : yhat} at flat index ${i} is out of range for ${numClasses} classes`);
    }
    out[y * numClasses + yhat]!++;
  }
  return fromStorage<[C, C], 'int32'>(out, [numClasses, numClasses], 'int32');
}
