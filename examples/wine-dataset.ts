/**
 * The wine data of the PyTorch `DataLoader` tutorial (178 wines, 13
 * chemical measurements, three cultivars), as a dataset defined in a module
 * file: `loader(wineDataset, { workers: 2 })` starts two worker threads that
 * each import this file and call `get(i)`. Items cross threads by structured
 * clone, so they are plain data, not tensors; the loader stacks them into
 * batch tensors in the main thread.
 *
 * As in the tutorial, the whole CSV is read when the module loads, and
 * `get(i)` slices row `i`: column 0 is the class (1, 2 or 3), the other 13
 * columns are the features.
 */
import { moduleDataset, readCsvOrThrow } from '../src/index.node.js';

/** One wine: its 13 features and its class as written in the file (1, 2 or 3). */
export interface WineItem {
  readonly features: Float32Array;
  readonly label: number;
}

const table = readCsvOrThrow({ path: new URL('../src/data/bundled/wine.csv', import.meta.url) }, { header: true });
const cols = table.cols; // 14: the class, then 13 features

const wineDataset = moduleDataset(import.meta.url, {
  length: table.rows,
  get: (i: number): WineItem => ({ features: table.data.slice(i * cols + 1, (i + 1) * cols), label: table.data[i * cols]! }),
});

export default wineDataset;
