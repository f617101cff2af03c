/**
 * Inputs shared by every library: the datasets as plain typed arrays, the
 * train/test split, the shuffles and the initial parameters, all from seeded
 * plain-JS generators, so each library trains on identical numbers and its
 * results can be checked against one plain-JS reference.
 */
import { storageOf } from '../src/core/tensor.js';
import { breastCancer, fashionMnist, type FashionMnist } from '../src/data/index.js';

/** Typed arrays over a plain `ArrayBuffer`, as every library accepts them. */
export type F32 = Float32Array<ArrayBuffer>;
export type I32 = Int32Array<ArrayBuffer>;

/** A seeded generator of floats in [0, 1) (mulberry32). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** `n` floats uniform in [lo, hi), rounded to float32. */
export function uniformArray(n: number, lo: number, hi: number, seed: number): F32 {
  const next = rng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * next();
  return out;
}

/** A seeded Fisher-Yates permutation of 0..n-1. */
export function permutation(n: number, seed: number): I32 {
  const next = rng(seed);
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

// ---------------------------------------------------------------------------
// Breast cancer (W1)

/** A standardised train/test split of a tabular dataset, row-major. */
export interface TabularSplit {
  readonly features: number;
  readonly trainX: F32;
  readonly trainY: F32;
  readonly testX: F32;
  readonly testY: F32;
}

/**
 * Breast cancer, shuffled with a fixed seed and split 80/20 (455 train, 114
 * test rows, as scikit-learn's `train_test_split(test_size=0.2)` sizes it),
 * each feature standardised with the training rows' mean and (population)
 * standard deviation.
 */
export function breastCancerSplit(): TabularSplit {
  const ds = breastCancer();
  const x = storageOf(ds.x.concrete());
  const y = storageOf(ds.y.concrete());
  const n = 569;
  const f = 30;
  const nTest = Math.ceil(n * 0.2);
  const nTrain = n - nTest;
  const order = permutation(n, 42);
  const take = (from: number, count: number): [F32, F32] => {
    const xs = new Float32Array(count * f);
    const ys = new Float32Array(count);
    for (let r = 0; r < count; r++) {
      const src = order[from + r]!;
      xs.set(x.subarray(src * f, src * f + f), r * f);
      ys[r] = y[src]!;
    }
    return [xs, ys];
  };
  const [trainX, trainY] = take(0, nTrain);
  const [testX, testY] = take(nTrain, nTest);
  for (let j = 0; j < f; j++) {
    let mean = 0;
    for (let r = 0; r < nTrain; r++) mean += trainX[r * f + j]!;
    mean /= nTrain;
    let v = 0;
    for (let r = 0; r < nTrain; r++) v += (trainX[r * f + j]! - mean) ** 2;
    const sd = Math.sqrt(v / nTrain) || 1;
    for (const xs of [trainX, testX]) for (let r = 0; r < xs.length / f; r++) xs[r * f + j] = (xs[r * f + j]! - mean) / sd;
  }
  return { features: f, trainX, trainY, testX, testY };
}

// ---------------------------------------------------------------------------
// Fashion-MNIST (W2)

/**
 * Fashion-MNIST as flat arrays: pixels in [0, 1], labels 0..9. The arrays
 * are the storage of typegrad's tensors in `tensors` (no copy), so every
 * library's process holds the data once.
 */
export interface FashionArrays {
  readonly trainX: F32; // [60000 * 784]
  readonly trainY: I32; // [60000]
  readonly testX: F32; // [10000 * 784]
  readonly testY: I32; // [10000]
  readonly tensors: FashionMnist;
}

/** Reads the installed Fashion-MNIST with typegrad's reader (untimed). */
export function fashionArrays(): FashionArrays {
  const fm = fashionMnist();
  return {
    tensors: fm,
    trainX: storageOf(fm.train.x.concrete()) as F32,
    trainY: storageOf(fm.train.y.concrete()) as I32,
    testX: storageOf(fm.test.x.concrete()) as F32,
    testY: storageOf(fm.test.y.concrete()) as I32,
  };
}

/** The MLP of W2: sizes and batch. */
export const MLP = { input: 784, hidden: 128, classes: 10, batch: 64 } as const;

/** Initial MLP parameters as flat arrays, PyTorch's default: U(-1/sqrt(fan_in), 1/sqrt(fan_in)). */
export interface MlpArrays {
  readonly w1: F32; // [784, 128]
  readonly b1: F32; // [128]
  readonly w2: F32; // [128, 10]
  readonly b2: F32; // [10]
}

export function mlpInit(seed = 7): MlpArrays {
  const { input, hidden, classes } = MLP;
  const a1 = 1 / Math.sqrt(input);
  const a2 = 1 / Math.sqrt(hidden);
  return {
    w1: uniformArray(input * hidden, -a1, a1, seed),
    b1: uniformArray(hidden, -a1, a1, seed + 1),
    w2: uniformArray(hidden * classes, -a2, a2, seed + 2),
    b2: uniformArray(classes, -a2, a2, seed + 3),
  };
}

/**
 * The minibatches of one epoch: a seeded shuffle cut into batches of 64; the
 * last batch holds the remainder (60000 = 937 * 64 + 32, so 938 steps).
 * `fill(k)` copies batch k's rows into reused buffers and returns views of
 * the right length; every library pays this same copy.
 */
export class Batches {
  readonly steps: number;
  readonly #order: I32;
  readonly #x: F32;
  readonly #y: I32;

  constructor(
    readonly data: FashionArrays,
    readonly epoch: number,
    readonly batch: number = MLP.batch,
  ) {
    const n = data.trainY.length;
    this.steps = Math.ceil(n / batch);
    this.#order = permutation(n, 1000 + epoch);
    this.#x = new Float32Array(batch * MLP.input);
    this.#y = new Int32Array(batch);
  }

  /** Rows in batch k. */
  size(k: number): number {
    return Math.min(this.batch, this.data.trainY.length - k * this.batch);
  }

  fill(k: number): { x: F32; y: I32; rows: number } {
    const rows = this.size(k);
    const d = MLP.input;
    for (let r = 0; r < rows; r++) {
      const src = this.#order[k * this.batch + r]!;
      this.#x.set(this.data.trainX.subarray(src * d, src * d + d), r * d);
      this.#y[r] = this.data.trainY[src]!;
    }
    return { x: this.#x.subarray(0, rows * d), y: this.#y.subarray(0, rows), rows };
  }
}

/** Fraction of rows whose largest logit is at the label. */
export function accuracy(logits: ArrayLike<number>, labels: ArrayLike<number>, classes: number): number {
  let hits = 0;
  for (let r = 0; r < labels.length; r++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (logits[r * classes + c]! > logits[r * classes + best]!) best = c;
    if (best === labels[r]) hits++;
  }
  return hits / labels.length;
}
