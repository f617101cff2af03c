/**
 * `trainTestSplit`: a random split of samples into a training and a test
 * set, the same for the same key on every run.
 *
 * @module
 */
import type { DType } from '../core/dtype.js';
import { ShapeError, ValueError, formatShape } from '../core/errors.js';
import { Tensor, dimsOf } from '../core/tensor.js';
import { describe } from '../random/checks.js';
import type { Key } from '../random/key.js';
import { permutation } from '../random/permutation.js';
import type { Shape } from '../shape/dim.js';
import { gatherRows } from './dataset.js';

/**
 * What {@link trainTestSplit} splits: tensors with a leading sample axis, or
 * plain arrays of samples.
 */
export type Splittable = Tensor<Shape, DType> | readonly unknown[];

/**
 * A split array: a tensor keeps its row shape with `number` samples (a shape
 * known only at run time stays `number[]`); an array stays an array.
 */
export type SplitPart<X> =
  X extends Tensor<readonly [unknown, ...infer R extends Shape], infer D>
    ? Tensor<[number, ...R], D>
    : X extends Tensor<Shape, infer D>
      ? Tensor<number[], D>
      : X extends readonly (infer E)[]
        ? E[]
        : never;

/** A tuple or record of arrays, each split. */
export type SplitParts<A> = { -readonly [K in keyof A]: SplitPart<A[K]> };

/**
 * Options of {@link trainTestSplit}.
 * - `testSize`: a fraction in (0, 1) (the test set gets `ceil(testSize * n)`
 *   samples, as in scikit-learn), or a whole number of test samples.
 * - `stratify`: class labels, one per sample (a rank-1 tensor or an array);
 *   each class then has (nearly) the same share in both sets.
 *
 * @example
 * ```ts
 * const opts: TrainTestSplitOptions = { testSize: 0.2, stratify: y };
 * ```
 */
export interface TrainTestSplitOptions {
  readonly testSize: number;
  readonly stratify?: Tensor<[number], DType> | readonly (number | string | boolean)[];
}

/**
 * Splits samples at random into a training and a test set: one permutation
 * under `key` decides, so the same key gives the same split on every run.
 * `arrays` is a tuple (or a record) of tensors, split along their first
 * axis, and plain arrays; all must hold the same number of samples. The
 * result has the same structure for `train` and for `test`. Both sets
 * follow the permutation's order.
 *
 * With `stratify`, test counts per class are the class sizes times the test
 * fraction, rounded so they add up (largest remainders first), and each
 * class's test samples are a random choice among its samples.
 *
 * Throws `ValueError` for a `testSize` that leaves either set empty and
 * `ShapeError` when sample counts differ.
 *
 * @example
 * ```ts
 * import { breastCancer, random, trainTestSplit } from 'typegrad';
 * const { x, y } = breastCancer();
 * const { train: [xTrain, yTrain], test: [xTest, yTest] } = trainTestSplit(random.key(42), [x, y], { testSize: 0.2 });
 * xTrain.shape; // [455, 30]: Tensor<[number, 30]>
 * xTest.shape;  // [114, 30]
 * ```
 */
export function trainTestSplit<A extends readonly [Splittable, ...Splittable[]] | { readonly [name: string]: Splittable }>(
  key: Key,
  arrays: A,
  options: TrainTestSplitOptions,
): { train: SplitParts<A>; test: SplitParts<A> } {
  const op = 'trainTestSplit';
  if (typeof arrays !== 'object' || arrays === null) throw new ValueError(`${op}: expected a tuple or record of tensors and arrays, got ${describe(arrays)}`);
  const entries = Object.entries(arrays) as [string, Splittable][];
  if (entries.length === 0) throw new ValueError(`${op}: nothing to split`);
  const counts = entries.map(([name, a]) => [name, samplesOf(op, name, a)] as const);
  const n = counts[0]![1];
  for (const [name, m] of counts) {
    if (m !== n) throw new ShapeError(`${op}: sample counts differ: ${counts[0]![0]} has ${n}, ${name} has ${m}`);
  }
  const nTest = testCount(op, options?.testSize, n);
  const order = permutation(key, n).toTypedArray();
  const [trainIdx, testIdx] =
    options.stratify === undefined ? [order.subarray(nTest), order.subarray(0, nTest)] : stratified(op, order, labelsOf(op, options.stratify, n), nTest);
  const pick = (idx: Int32Array): unknown => {
    const parts = entries.map(([name, a]) => [name, a instanceof Tensor ? gatherRows(a, idx.slice()) : Array.from(idx, (i) => a[i])] as const);
    return Array.isArray(arrays) ? parts.map(([, p]) => p) : Object.fromEntries(parts);
  };
  return { train: pick(trainIdx) as SplitParts<A>, test: pick(testIdx) as SplitParts<A> };
}

function samplesOf(op: string, name: string, a: unknown): number {
  if (a instanceof Tensor) {
    if (a.rank === 0) throw new ShapeError(`${op}: ${name} is a scalar; tensors need a leading sample axis`);
    return dimsOf(a)[0]!;
  }
  if (Array.isArray(a)) return a.length;
  throw new ValueError(`${op}: ${name} must be a tensor or an array, got ${describe(a)}`);
}

/** The number of test samples for `testSize` out of `n`. */
function testCount(op: string, testSize: unknown, n: number): number {
  if (typeof testSize !== 'number' || !Number.isFinite(testSize) || testSize <= 0) {
    throw new ValueError(`${op}: testSize must be a fraction in (0, 1) or a positive whole number of samples, got ${describe(testSize)}`);
  }
  const nTest = testSize < 1 ? Math.ceil(testSize * n) : testSize;
  if (!Number.isInteger(nTest)) throw new ValueError(`${op}: testSize ${testSize} is above 1 but not a whole number of samples`);
  if (nTest >= n) throw new ValueError(`${op}: testSize ${testSize} leaves no training samples out of ${n}`);
  return nTest;
}

/** Class labels as strings (so 1 and 1.0 agree, and strings work too). */
function labelsOf(op: string, stratify: unknown, n: number): string[] {
  let values: unknown[];
  if (stratify instanceof Tensor) {
    if (stratify.rank !== 1) throw new ShapeError(`${op}: stratify must be rank 1, got shape ${formatShape(dimsOf(stratify))}`);
    values = Array.from(stratify.toTypedArray() as ArrayLike<number>);
  } else if (Array.isArray(stratify)) values = stratify;
  else throw new ValueError(`${op}: stratify must be a rank-1 tensor or an array of labels, got ${describe(stratify)}`);
  if (values.length !== n) throw new ShapeError(`${op}: stratify has ${values.length} labels for ${n} samples`);
  return values.map(String);
}

/**
 * Train and test indices with per-class test counts in proportion: class
 * `c` of size `n_c` gets `floor(n_c * nTest / n)` test samples, and the ones
 * left over go to the classes with the largest remainders (ties: the class
 * seen first in the permutation). A class's test samples are its first
 * ones in `order`.
 */
function stratified(op: string, order: Int32Array, labels: string[], nTest: number): [Int32Array, Int32Array] {
  const n = order.length;
  const classes = new Map<string, number>(); // label -> class size, in order of first appearance in `order`
  for (const i of order) classes.set(labels[i]!, (classes.get(labels[i]!) ?? 0) + 1);
  const quota = new Map<string, number>();
  const remainders: [string, number][] = [];
  let given = 0;
  for (const [label, size] of classes) {
    const exact = (size * nTest) / n;
    quota.set(label, Math.floor(exact));
    given += Math.floor(exact);
    remainders.push([label, exact - Math.floor(exact)]);
  }
  remainders.sort((a, b) => b[1] - a[1]); // stable: ties keep first-seen order
  for (let k = 0; given < nTest; k++, given++) {
    const label = remainders[k]![0];
    quota.set(label, quota.get(label)! + 1);
  }
  const train: number[] = [];
  const test: number[] = [];
  for (const i of order) {
    const label = labels[i]!;
    const left = quota.get(label)!;
    if (left > 0) {
      test.push(i);
      quota.set(label, left - 1);
    } else train.push(i);
  }
  if (train.length === 0 || test.length === 0) throw new ValueError(`${op}: the stratified split leaves an empty set`);
  return [Int32Array.from(train), Int32Array.from(test)];
}
