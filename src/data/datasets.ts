/**
 * Classic small datasets, as tensors whose sizes are literal dims in the type.
 * `breastCancer`, `wine`, `iris` and `digits` read files bundled with the
 * library (see `src/data/bundled/PROVENANCE.md`); `fashionMnist` reads the
 * IDX files of a local Fashion-MNIST copy. Features are float32. Multiclass
 * labels are int32 class indices from 0; the binary breast-cancer labels are
 * float32 0 / 1, ready for a binary cross-entropy loss.
 *
 * Each call reads the files again and returns new tensors; nothing is cached.
 * Where there is no file system (a browser), pass the file's text or bytes
 * ({@link BundledSource}).
 */
import { platform } from '../platform/index.js';
import type { DType, StorageOf } from '../core/dtype.js';
import { fromStorage, type Tensor } from '../core/tensor.js';
import { readCsvOrThrow, type CsvTable } from './csv.js';
import { DatasetError } from './errors.js';
import { readIdx, type IdxArray } from './idx.js';
import { inOp } from '../core/errors.js';
import { checkOptions } from '../core/validate.js';

/**
 * A table of `N` samples with `F` features and one label each.
 * `featureNames[j]` names column `j` of `x`; `targetNames[c]` names class `c`.
 *
 * @example
 * ```ts
 * const ds: TabularDataset<150, 4, 'int32'> = iris();
 * ds.targetNames[ds.y.toArray()[0]]; // 'setosa'
 * ```
 */
export interface TabularDataset<N extends number, F extends number, L extends DType> {
  readonly x: Tensor<[N, F]>;
  readonly y: Tensor<[N], L>;
  readonly featureNames: readonly string[];
  readonly targetNames: readonly string[];
}

const bundled = (file: string): URL => new URL(`./bundled/${file}`, import.meta.url);

function fail(op: string, message: string): never {
  throw new DatasetError(`${op}: ${message}`);
}

/**
 * A bundled file's contents, given to a dataset function where there is no
 * file system (a browser): its text, or its bytes (gzip or not), e.g.
 * `new Uint8Array(await (await fetch('breast_cancer.csv')).arrayBuffer())`.
 * The files ship in the package under `dist/data/bundled/`.
 *
 * @example
 * ```ts
 * const source: BundledSource = 'a,b\n1,2\n';
 * ```
 */
export type BundledSource = Uint8Array | string;

/** The text of bundled `file`: from `source` when given, else read from the package (Node). */
function bundledText(op: string, file: string, source: BundledSource | undefined): string {
  if (typeof source === 'string') return source;
  let bytes: Uint8Array;
  if (source instanceof Uint8Array) bytes = source;
  else if (source === undefined) bytes = platform().readFile(bundled(file));
  else return fail(op, `source must be the file's text or bytes (Uint8Array), got ${typeof source}`);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = platform().gunzip(bytes);
  return new TextDecoder().decode(bytes);
}

/** The first line of a bundled file, split on commas (a fixed, known format). */
function firstLine(op: string, text: string): string[] {
  const end = text.search(/\r?\n/);
  if (end < 0) fail(op, 'bundled file has no first line');
  return text.slice(0, end).split(',');
}

/**
 * Splits a table into float32 features and a label column, checking its size.
 * `toLabel` maps a label cell to a class index, or returns undefined when the
 * cell is not a valid label.
 */
function splitTable<N extends number, F extends number, L extends 'float32' | 'int32'>(
  op: string,
  table: CsvTable<'float64'>,
  rows: N,
  features: F,
  labelColumn: 'first' | 'last',
  labelDType: L,
  toLabel: (cell: number) => number | undefined,
): { x: Tensor<[N, F]>; y: Tensor<[N], L> } {
  if (table.rows !== rows || table.cols !== features + 1) {
    fail(op, `bundled file has ${table.rows} rows of ${table.cols} columns, expected ${rows} rows of ${features + 1}`);
  }
  const x = new Float32Array(rows * features);
  const y = (labelDType === 'int32' ? new Int32Array(rows) : new Float32Array(rows)) as StorageOf[L];
  const cols = features + 1;
  const firstFeature = labelColumn === 'first' ? 1 : 0;
  const label = labelColumn === 'first' ? 0 : features;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < features; j++) x[i * features + j] = table.data[i * cols + firstFeature + j]!;
    const cell = table.data[i * cols + label]!;
    const c = toLabel(cell);
    if (c === undefined) fail(op, `row ${i + 1} has label ${cell}, which is not a class of this dataset`);
    y[i] = c;
  }
  return {
    x: fromStorage<[N, F], 'float32'>(x, [rows, features], 'float32'),
    y: fromStorage<[N], L>(y, [rows], labelDType),
  };
}

/** A label that must be an integer in [lo, hi]; `shift` is added to it. */
const classIndex =
  (lo: number, hi: number, shift = 0) =>
  (cell: number): number | undefined =>
    Number.isInteger(cell) && cell >= lo && cell <= hi ? cell + shift : undefined;

const BREAST_CANCER_FEATURES = ['radius', 'texture', 'perimeter', 'area', 'smoothness', 'compactness', 'concavity', 'concave points', 'symmetry', 'fractal dimension'];

/**
 * Breast Cancer Wisconsin (Diagnostic): 569 tumours, 30 features each (mean,
 * standard error and worst value of ten cell-nucleus measurements, unscaled).
 * Labels are **float32** 0 / 1 (0 = malignant, 1 = benign, as in
 * scikit-learn), so they feed a binary cross-entropy loss directly.
 *
 * @example
 * ```ts
 * import { breastCancer } from 'typegrad';
 * const { x, y, targetNames } = breastCancer(); // x: Tensor<[569, 30]>, y: Tensor<[569]>
 * targetNames; // ['malignant', 'benign']
 * ```
 */
export function breastCancer(source?: BundledSource): TabularDataset<569, 30, 'float32'> {
  try {
    const op = 'breastCancer';
    const text = bundledText(op, 'breast_cancer.csv', source);
    const [n, f, ...targetNames] = firstLine(op, text);
    if (n !== '569' || f !== '30') fail(op, `bundled file says ${n} x ${f}, expected 569 x 30`);
    const table = readCsvOrThrow({ text }, { header: false, skipRows: 1, dtype: 'float64' });
    const { x, y } = splitTable(op, table, 569, 30, 'last', 'float32', classIndex(0, 1));
    const featureNames = [
      ...BREAST_CANCER_FEATURES.map((s) => `mean ${s}`),
      ...BREAST_CANCER_FEATURES.map((s) => `${s} error`),
      ...BREAST_CANCER_FEATURES.map((s) => `worst ${s}`),
    ];
    return { x, y, featureNames, targetNames };
  } catch (e) {
    throw inOp('breastCancer', e);
  }
}

/**
 * The UCI Wine data of the classic PyTorch `DataLoader` tutorial: 178 wines,
 * 13 chemical measurements each. The file labels the three cultivars 1, 2, 3;
 * `y` holds **0, 1, 2** (the file's class minus 1) as int32, and
 * `targetNames[c]` is the file's name for class `c` (`'1'`, `'2'`, `'3'`).
 * `featureNames` come from the file's header (`Alcohol`, `Malic.acid`, ...).
 *
 * @example
 * ```ts
 * import { wine } from 'typegrad';
 * const { x, y } = wine(); // x: Tensor<[178, 13]>, y: Tensor<[178], 'int32'>
 * y.toArray()[0]; // 0 (class 1 in the file)
 * ```
 */
export function wine(source?: BundledSource): TabularDataset<178, 13, 'int32'> {
  try {
    const op = 'wine';
    const table = readCsvOrThrow({ text: bundledText(op, 'wine.csv', source) }, { header: true, dtype: 'float64' });
    const { x, y } = splitTable(op, table, 178, 13, 'first', 'int32', classIndex(1, 3, -1));
    return { x, y, featureNames: table.header!.slice(1), targetNames: ['1', '2', '3'] };
  } catch (e) {
    throw inOp('wine', e);
  }
}

/**
 * Fisher's Iris: 150 flowers, 4 measurements in cm (sepal length, sepal
 * width, petal length, petal width), three species as int32 labels 0, 1, 2.
 *
 * @example
 * ```ts
 * import { iris } from 'typegrad';
 * const { x, y, targetNames } = iris(); // x: Tensor<[150, 4]>, y: Tensor<[150], 'int32'>
 * targetNames; // ['setosa', 'versicolor', 'virginica']
 * ```
 */
export function iris(source?: BundledSource): TabularDataset<150, 4, 'int32'> {
  try {
    const op = 'iris';
    const text = bundledText(op, 'iris.csv', source);
    const [n, f, ...targetNames] = firstLine(op, text);
    if (n !== '150' || f !== '4') fail(op, `bundled file says ${n} x ${f}, expected 150 x 4`);
    const table = readCsvOrThrow({ text }, { header: false, skipRows: 1, dtype: 'float64' });
    const { x, y } = splitTable(op, table, 150, 4, 'last', 'int32', classIndex(0, 2));
    const featureNames = ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'];
    return { x, y, featureNames, targetNames };
  } catch (e) {
    throw inOp('iris', e);
  }
}

/**
 * The 8 x 8 handwritten digits: 1797 images flattened row by row to 64
 * pixels with values 0..16 (not rescaled: divide by 16 for [0, 1]), and
 * int32 labels 0..9. `featureNames[8 * r + c]` is `pixel_r_c`.
 *
 * @example
 * ```ts
 * import { digits } from 'typegrad';
 * const { x, y } = digits(); // x: Tensor<[1797, 64]>, y: Tensor<[1797], 'int32'>
 * ```
 */
export function digits(source?: BundledSource): TabularDataset<1797, 64, 'int32'> {
  try {
    const op = 'digits';
    const table = readCsvOrThrow({ text: bundledText(op, 'digits.csv.gz', source) }, { header: false, dtype: 'float64' });
    const { x, y } = splitTable(op, table, 1797, 64, 'last', 'int32', classIndex(0, 9));
    const featureNames = Array.from({ length: 64 }, (_, k) => `pixel_${Math.floor(k / 8)}_${k % 8}`);
    const targetNames = Array.from({ length: 10 }, (_, k) => String(k));
    return { x, y, featureNames, targetNames };
  } catch (e) {
    throw inOp('digits', e);
  }
}

// ---------------------------------------------------------------------------
// Fashion-MNIST

/**
 * One split of Fashion-MNIST: `N` images of 28 x 28 pixels flattened to 784
 * float32 values in [0, 1] (the byte divided by 255), and int32 labels 0..9.
 *
 * @example
 * ```ts
 * const { x, y }: FashionMnistSplit<10000> = fashionMnist().test;
 * ```
 */
export interface FashionMnistSplit<N extends number> {
  readonly x: Tensor<[N, 784]>;
  readonly y: Tensor<[N], 'int32'>;
}

/**
 * Fashion-MNIST: the training and test splits and the ten class names.
 *
 * @example
 * ```ts
 * const fm: FashionMnist = fashionMnist();
 * fm.targetNames[fm.test.y.toArray()[0]]; // 'Ankle boot'
 * ```
 */
export interface FashionMnist {
  readonly train: FashionMnistSplit<60000>;
  readonly test: FashionMnistSplit<10000>;
  readonly targetNames: readonly string[];
}

/**
 * Options of {@link fashionMnist}: `dir` is the folder that holds the four
 * IDX files, default `/usr/share/datasets/fashion-mnist`.
 *
 * @example
 * ```ts
 * const opts: FashionMnistOptions = { dir: '/data/fashion-mnist' };
 * ```
 */
export interface FashionMnistOptions {
  readonly dir?: string | URL;
}

/**
 * Where the Debian package `dataset-fashion-mnist` installs the files: the
 * default `dir` of {@link fashionMnist}.
 *
 * @example
 * ```ts
 * fashionMnist({ dir: FASHION_MNIST_DIR }); // the same as fashionMnist()
 * ```
 */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/** Reads one IDX file of the set, gzip or raw, and checks its dims. */
function readPart(op: string, path: string, dims: readonly number[]): IdxArray & { dtype: 'uint8' } {
  const r = readIdx(path);
  if (r._tag === 'Left') fail(op, `${path}: ${r.left.message}`);
  const a = r.right;
  if (a.dtype !== 'uint8' || a.dims.length !== dims.length || a.dims.some((d, k) => d !== dims[k])) {
    fail(op, `${path} holds ${a.dtype} dims [${a.dims.join(',')}], expected uint8 dims [${dims.join(',')}]`);
  }
  return a;
}

function readSplit<N extends number>(op: string, dir: string, prefix: 'train' | 't10k', n: N): FashionMnistSplit<N> {
  const find = (name: string): string => {
    const gz = platform().joinPath(dir, `${name}.gz`);
    return platform().exists(gz) ? gz : platform().joinPath(dir, name);
  };
  const images = readPart(op, find(`${prefix}-images-idx3-ubyte`), [n, 28, 28]);
  const labels = readPart(op, find(`${prefix}-labels-idx1-ubyte`), [n]);
  const x = new Float32Array(n * 784);
  for (let i = 0; i < x.length; i++) x[i] = images.data[i]! / 255;
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = labels.data[i]!;
    if (c > 9) fail(op, `${prefix} label ${i} is ${c}, expected 0..9`);
    y[i] = c;
  }
  return { x: fromStorage<[N, 784], 'float32'>(x, [n, 784], 'float32'), y: fromStorage<[N], 'int32'>(y, [n], 'int32') };
}

/**
 * Fashion-MNIST (Zalando Research, MIT licence): 60,000 training and 10,000
 * test images of clothing, 28 x 28 grey pixels scaled to [0, 1] float32 and
 * flattened to 784, with int32 labels 0..9 (`targetNames[c]` names class `c`).
 *
 * Not bundled (30 MB): the four IDX files (`train-images-idx3-ubyte.gz`,
 * `train-labels-idx1-ubyte.gz`, `t10k-images-idx3-ubyte.gz`,
 * `t10k-labels-idx1-ubyte.gz`; the `.gz` may be absent) are read from `dir`,
 * by default where `apt-get install dataset-fashion-mnist` puts them. Throws a
 * {@link DatasetError} that says how to get them when they are missing, and
 * one naming the file when a file is not the expected size.
 *
 * @example
 * ```ts
 * import { fashionMnist } from 'typegrad';
 * const { train, test } = fashionMnist(); // train.x: Tensor<[60000, 784]>, test.y: Tensor<[10000], 'int32'>
 * ```
 */
export function fashionMnist(options: FashionMnistOptions = {}): FashionMnist {
  checkOptions('fashionMnist', options);
  const op = 'fashionMnist';
  const dirOption = options.dir ?? FASHION_MNIST_DIR;
  const dir = dirOption instanceof URL ? platform().displayPath(dirOption) : dirOption;
  const names = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];
  const missing = names.filter((name) => !platform().exists(platform().joinPath(dir, `${name}.gz`)) && !platform().exists(platform().joinPath(dir, name)));
  if (missing.length > 0) {
    fail(
      op,
      `cannot find ${missing.map((m) => `${m}.gz`).join(', ')} in ${dir}. ` +
        'Install them with `apt-get install dataset-fashion-mnist` (Debian / Ubuntu; files go to /usr/share/datasets/fashion-mnist), ' +
        'or download them from https://github.com/zalandoresearch/fashion-mnist and pass fashionMnist({ dir })',
    );
  }
  return {
    train: readSplit(op, dir, 'train', 60000),
    test: readSplit(op, dir, 't10k', 10000),
    targetNames: FASHION_MNIST_CLASSES,
  };
}
