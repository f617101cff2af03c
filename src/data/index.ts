/**
 * Data: readers (CSV, IDX), lazy iterator combinators (sync `iter`, async
 * `asyncIter`), an ordered worker-thread pool, and bundled datasets.
 *
 * @example
 * ```ts
 * import { pipe } from 'fp-ts/lib/function.js';
 * import { breastCancer, iter } from 'typegrad';
 * const { x, y } = breastCancer(); // Tensor<[569, 30]>, Tensor<[569]>
 * const firstTen = [...pipe(x.toArray(), iter.take(10))];
 * ```
 */
export { CsvError, DatasetError, IdxError, WorkerError } from './errors.js';
export { csvToTensor, loadtxt, readCsv, readCsvOrThrow, type CsvDType, type CsvOptions, type CsvSource, type CsvTable } from './csv.js';
export { encodeIdx, readIdx, readIdxOrThrow, type IdxArray, type IdxDType, type IdxOptions, type IdxStorageOf } from './idx.js';
export * as iter from './iter.js';
export * as asyncIter from './async-iter.js';
export type { BatchOptions } from './iter.js';
export type { AnyIterable } from './async-iter.js';
export { maxWorkers } from './shared.js';
export {
  FASHION_MNIST_DIR,
  breastCancer,
  digits,
  fashionMnist,
  iris,
  wine,
  type FashionMnist,
  type FashionMnistOptions,
  type FashionMnistSplit,
  type BundledSource,
  type TabularDataset,
} from './datasets.js';
export {
  concatDatasets,
  fromArray,
  fromTensors,
  isModuleDataset,
  isTensorDataset,
  mapDataset,
  moduleDataset,
  subset,
  type Dataset,
  type Indices,
  type ItemOf,
  type ModuleDataset,
  type ModuleOrigin,
  type RowOf,
  type RowsOf,
  type SameRows,
  type TensorDataset,
} from './dataset.js';
export {
  loader,
  type AsyncLoader,
  type BatchDim,
  type Collated,
  type Loader,
  type LoaderOptions,
  type LoaderPosition,
  type ShuffleOptions,
  type Step,
} from './loader.js';
export { trainTestSplit, type SplitPart, type SplitParts, type Splittable, type TrainTestSplitOptions } from './split.js';
export { minMaxScaler, standardScaler, type MinMaxScaler, type MinMaxScalerOptions, type StandardScaler } from './preprocessing.js';
export { augment, randomCrop, randomHorizontalFlip } from './augment.js';
