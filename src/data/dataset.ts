/**
 * Map-style datasets: a length and random access by index, nothing else, so
 * any object `{ length, get(i) }` is one. `fromTensors` and `fromArray` build
 * them; `mapDataset`, `subset` and `concatDatasets` derive new ones without
 * copying items (a tensor dataset's `subset` and `concatDatasets` gather its
 * rows once, so it stays a tensor dataset that `loader` batches with one
 * gather per batch). `moduleDataset` marks a dataset that worker threads can
 * import from its module file.
 *
 * @example
 * ```ts
 * import { breastCancer, fromTensors, subset } from 'typegrad';
 * const { x, y } = breastCancer();
 * const ds = fromTensors(x, y);        // Dataset<[Tensor<[30]>, Tensor<[]>]>
 * const [features, label] = ds.get(0); // Tensor<[30]>, Tensor<[]>
 * subset(ds, [0, 1, 2]).length;        // 3
 * ```
 *
 * @module
 */
import type { DType } from '../core/dtype.js';
import { ShapeError, ValueError, formatShape } from '../core/errors.js';
import { type AnyTensor, type Tensor, Tensor as TensorClass, dimsOf, fromStorage, storageOf } from '../core/tensor.js';
import * as lax from '../lax/index.js';
import { describe } from '../random/checks.js';
import type { Shape } from '../shape/dim.js';
import type { Check, ShapeMismatch } from '../shape/errors.js';

/**
 * A map-style dataset: `length` items, item `i` is `get(i)` for `i` in
 * `[0, length)`. `get` should be a pure function of `i` (the loader relies
 * on it for deterministic, resumable order). Any object of this shape is a
 * dataset; nothing needs to extend a class.
 *
 * @example
 * ```ts
 * const squares: Dataset<number> = { length: 10, get: (i) => i * i };
 * ```
 */
export interface Dataset<T> {
  readonly length: number;
  get(index: number): T;
}

/**
 * The item type of a dataset.
 *
 * @example
 * ```ts
 * type Row = ItemOf<typeof ds>; // [Tensor<[30]>, Tensor<[]>] for ds = fromTensors(x, y)
 * ```
 */
export type ItemOf<Ds> = Ds extends Dataset<infer T> ? T : never;

/**
 * One row of a tensor with a leading sample axis: `RowOf<Tensor<[569, 30]>>`
 * is `Tensor<[30]>`; a shape known only at run time (`number[]`) stays so.
 */
export type RowOf<X> =
  X extends Tensor<readonly [unknown, ...infer R extends Shape], infer D>
    ? Tensor<R, D>
    : X extends Tensor<Shape, infer D>
      ? Tensor<number[], D>
      : never;

/**
 * Rows of a tuple of tensors.
 *
 * @example
 * ```ts
 * type R = RowsOf<[Tensor<[569, 30]>, Tensor<[569]>]>; // [Tensor<[30]>, Tensor<[]>]
 * ```
 */
export type RowsOf<Ts extends readonly unknown[]> = { -readonly [K in keyof Ts]: RowOf<Ts[K]> };

/**
 * A dataset whose item `i` is row `i` of each of its tensors. `tensors`
 * holds them whole; `loader` gathers a batch from them directly.
 *
 * @example
 * ```ts
 * // hidden: declare const x: Tensor<[569, 30]>, y: Tensor<[569]>;
 * const ds: TensorDataset<[Tensor<[30]>, Tensor<[]>]> = fromTensors(x, y);
 * ds.tensors[0].shape; // [569, 30]
 * ```
 */
export interface TensorDataset<T extends readonly AnyTensor[]> extends Dataset<T> {
  readonly tensors: readonly AnyTensor[];
}

/**
 * Where worker threads find a dataset: the module's URL and the export that
 * holds it. Set by {@link moduleDataset}.
 *
 * @example
 * ```ts
 * const origin: ModuleOrigin = { url: import.meta.url, exportName: 'default' };
 * ```
 */
export interface ModuleOrigin {
  readonly url: string;
  readonly exportName: string;
}

/**
 * A dataset defined in a module file, so `loader(ds, { workers })` can load
 * its items in worker threads that import the same module.
 *
 * @example
 * ```ts
 * const ds: ModuleDataset<number> = moduleDataset(import.meta.url, { length: 3, get: (i: number) => i });
 * ds.origin.url; // this module's file URL
 * ```
 */
export interface ModuleDataset<T> extends Dataset<T> {
  readonly origin: ModuleOrigin;
}

/**
 * True for a dataset built by {@link fromTensors} (or kept one by `subset`,
 * `concatDatasets`): `loader` batches it with one gather per tensor.
 *
 * @example
 * ```ts
 * isTensorDataset(fromTensors(x, y));  // true
 * isTensorDataset(fromArray([1, 2]));  // false
 * ```
 */
export function isTensorDataset(ds: Dataset<unknown>): ds is TensorDataset<AnyTensor[]> {
  if (typeof ds !== 'object' || ds === null) return false;
  return Array.isArray((ds as Partial<TensorDataset<AnyTensor[]>>).tensors) && (ds as TensorDataset<AnyTensor[]>).tensors.every((t) => t instanceof TensorClass);
}

/** @internal Throws unless `ds` has a non-negative integer `length` and a `get` method. Not re-exported. */
export function checkDataset(op: string, ds: unknown): Dataset<unknown> {
  const d = ds as Partial<Dataset<unknown>> | null;
  if (typeof d !== 'object' || d === null || typeof d.get !== 'function') {
    throw new ValueError(`${op}: expected a dataset (an object with length and get(index)), got ${describe(ds)}`);
  }
  if (typeof d.length !== 'number' || !Number.isInteger(d.length) || d.length < 0) {
    throw new ValueError(`${op}: dataset length must be a non-negative integer, got ${describe(d.length)}`);
  }
  return d as Dataset<unknown>;
}

/** @internal Throws a ValueError unless `i` is an integer in `[0, length)`. */
export function checkIndex(op: string, i: unknown, length: number): number {
  if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= length) {
    throw new ValueError(`${op}: index ${describe(i)} is out of range for a dataset of length ${length}`);
  }
  return i;
}

// ---------------------------------------------------------------------------
// Tensors

/** The leading dim of a tensor type, when it is a literal. */
type Rows<X> = X extends Tensor<readonly [infer N, ...Shape], DType> ? (number extends N ? never : N) : never;

/**
 * The compile-time twin of the checks in {@link fromTensors}: a
 * `ShapeMismatch` with the run-time message when a tensor is a scalar or two
 * tensors have different literal row counts, else `unknown`.
 *
 * @example
 * ```ts
 * type E = SameRows<[Tensor<[569, 30]>, Tensor<[570]>]>; // ShapeMismatch<'fromTensors: row counts differ: 569 vs 570'>
 * ```
 */
export type SameRows<Ts extends readonly unknown[], First = never> = Ts extends readonly [infer X, ...infer Rest]
  ? X extends Tensor<readonly [], DType>
    ? ShapeMismatch<'fromTensors: a scalar has no sample axis; each tensor needs one'>
    : [Rows<X>] extends [never]
      ? SameRows<Rest, First>
      : [First] extends [never]
        ? SameRows<Rest, Rows<X>>
        : Rows<X> extends First
          ? SameRows<Rest, First>
          : ShapeMismatch<`fromTensors: row counts differ: ${First & number} vs ${Rows<X> & number}`>
  : unknown;

/**
 * A dataset of the rows of tensors that share their first dim (the sample
 * axis): item `i` is `[x[i], y[i], ...]`. Rows are typed from the tensors'
 * shapes. Throws `ShapeError` when the row counts differ
 * (`fromTensors: row counts differ: 569 vs 570`) or a tensor is a scalar;
 * both are compile errors too where the shapes are literal. The tensors are
 * kept, not copied.
 *
 * @example
 * ```ts
 * import { breastCancer, fromTensors } from 'typegrad';
 * const { x, y } = breastCancer();
 * const ds = fromTensors(x, y); // TensorDataset<[Tensor<[30]>, Tensor<[]>]>
 * ds.length;                    // 569
 * ds.get(3)[1].item();          // the label of sample 3
 * ```
 */
export function fromTensors<const Ts extends readonly Tensor<Shape, DT>[], DT extends DType = DType>(
  ...tensors: Ts & Check<SameRows<Ts>>
): TensorDataset<RowsOf<Ts>> {
  const op = 'fromTensors';
  const list = tensors as unknown as readonly AnyTensor[];
  if (list.length === 0) throw new ValueError(`${op}: needs at least one tensor`);
  for (const [k, t] of list.entries()) {
    if (!(t instanceof TensorClass)) throw new ValueError(`${op}: argument ${k} is not a tensor: ${describe(t)}`);
    if (t.rank === 0) throw new ShapeError(`${op}: a scalar has no sample axis; each tensor needs one (argument ${k})`);
  }
  const n = dimsOf(list[0]!)[0]!;
  for (const t of list) {
    const m = dimsOf(t)[0]!;
    if (m !== n) throw new ShapeError(`${op}: row counts differ: ${n} vs ${m}`);
  }
  return tensorDataset<RowsOf<Ts>>(list.slice(), n);
}

/** Row `i` of `t`, copied out of its storage. */
function rowOf(t: AnyTensor, i: number): AnyTensor {
  const c = t.concrete();
  const dims = dimsOf(c);
  const inner = c.size / dims[0]!;
  const data = storageOf(c).slice(i * inner, (i + 1) * inner);
  return fromStorage(data, dims.slice(1), c.dtype);
}

function tensorDataset<T extends readonly AnyTensor[]>(tensors: readonly AnyTensor[], length: number): TensorDataset<T> {
  const frozen = Object.freeze(tensors.slice());
  return Object.freeze({
    length,
    tensors: frozen,
    get(index: number): T {
      checkIndex('dataset.get', index, length);
      return frozen.map((t) => rowOf(t, index)) as unknown as T;
    },
  });
}

/** @internal `t[indices]` along axis 0: one gather. Not re-exported. */
export function gatherRows(t: AnyTensor, indices: Int32Array): AnyTensor {
  return lax.gather(t, fromStorage(indices, [indices.length], 'int32'), 0);
}

// ---------------------------------------------------------------------------
// Arrays, map, subset, concat

/**
 * A dataset over the elements of an array (copied, so later changes to the
 * array do not show). Items are whatever the array holds; `loader` batches
 * numbers, booleans, typed arrays and tensors, and arrays or objects of them.
 *
 * @example
 * ```ts
 * import { fromArray } from 'typegrad';
 * const ds = fromArray([{ x: new Float32Array([1, 2]), y: 0 }, { x: new Float32Array([3, 4]), y: 1 }]);
 * ds.get(1).y; // 1
 * ```
 */
export function fromArray<T>(items: readonly T[]): Dataset<T> {
  if (!Array.isArray(items)) throw new ValueError(`fromArray: expected an array, got ${describe(items)}`);
  const copy = Object.freeze(items.slice());
  const length = copy.length;
  return Object.freeze({
    length,
    get: (index: number): T => copy[checkIndex('dataset.get', index, length)]!,
  });
}

/**
 * A dataset whose item `i` is `f(ds.get(i), i)`, computed on each `get`
 * (nothing is cached). Data-first `mapDataset(ds, f)` or, for `pipe`,
 * data-last `mapDataset(f)(ds)`. For randomness per item, derive a key
 * from the index: `random.foldIn(key, i)`.
 *
 * @example
 * ```ts
 * import { fromArray, mapDataset } from 'typegrad';
 * const doubled = mapDataset(fromArray([1, 2, 3]), (x) => 2 * x);
 * doubled.get(2); // 6
 * ```
 */
export function mapDataset<T, U>(ds: Dataset<T>, f: (item: T, index: number) => U): Dataset<U>;
export function mapDataset<T, U>(f: (item: T, index: number) => U): (ds: Dataset<T>) => Dataset<U>;
export function mapDataset<T, U>(a: Dataset<T> | ((item: T, index: number) => U), b?: (item: T, index: number) => U): unknown {
  if (typeof a === 'function') return (ds: Dataset<T>) => mapDataset(ds, a);
  const ds = checkDataset('mapDataset', a) as Dataset<T>;
  if (typeof b !== 'function') throw new ValueError(`mapDataset: expected a function, got ${describe(b)}`);
  const length = ds.length;
  return Object.freeze({ length, get: (index: number): U => b(ds.get(checkIndex('dataset.get', index, length)), index) });
}

/**
 * Index lists accepted by {@link subset}.
 *
 * @example
 * ```ts
 * const picks: Indices = [0, 5, 2]; // or an Int32Array, or an int32 tensor of rank 1
 * ```
 */
export type Indices = readonly number[] | Int32Array | Tensor<[number], 'int32'>;

/** @internal Checks indices into a dataset of `length` items and returns them as an Int32Array. Not re-exported. */
export function indexArray(op: string, indices: Indices, length: number): Int32Array {
  const raw: ArrayLike<number> =
    indices instanceof TensorClass ? (indices.rank === 1 && indices.dtype === 'int32' ? indices.toTypedArray() : badIndices(op, indices)) : indices;
  if (!Array.isArray(raw) && !(raw instanceof Int32Array)) badIndices(op, indices);
  const out = new Int32Array(raw.length);
  for (let k = 0; k < raw.length; k++) out[k] = checkIndex(op, raw[k], length);
  return out;
}

function badIndices(op: string, indices: unknown): never {
  const what = indices instanceof TensorClass ? `a ${indices.dtype} tensor of shape ${formatShape(dimsOf(indices))}` : describe(indices);
  throw new ValueError(`${op}: indices must be an array of integers, an Int32Array or an int32 tensor of rank 1, got ${what}`);
}

/**
 * The items of `ds` at `indices`, in that order (repeats allowed): item `k`
 * is `ds.get(indices[k])`. A tensor dataset gives a tensor dataset (its
 * rows gathered now, once); any other dataset gives a view. Throws
 * `ValueError` for an index outside `[0, ds.length)`. Data-first or, for
 * `pipe`, data-last `subset(indices)(ds)`.
 *
 * @example
 * ```ts
 * import { fromArray, subset } from 'typegrad';
 * subset(fromArray(['a', 'b', 'c']), [2, 0]).get(0); // 'c'
 * ```
 */
export function subset<Ds extends Dataset<unknown>>(ds: Ds, indices: Indices): Ds extends TensorDataset<infer T> ? TensorDataset<T> : Dataset<ItemOf<Ds>>;
export function subset(indices: Indices): <Ds extends Dataset<unknown>>(ds: Ds) => Ds extends TensorDataset<infer T> ? TensorDataset<T> : Dataset<ItemOf<Ds>>;
export function subset(a: Dataset<unknown> | Indices, b?: Indices): unknown {
  if (b === undefined && !isDatasetLike(a)) return (ds: Dataset<unknown>) => subset(ds, a as Indices);
  const ds = checkDataset('subset', a);
  const idx = indexArray('subset', b as Indices, ds.length);
  if (isTensorDataset(ds)) return tensorDataset(ds.tensors.map((t) => gatherRows(t, idx)), idx.length);
  const length = idx.length;
  return Object.freeze({ length, get: (index: number) => ds.get(idx[checkIndex('dataset.get', index, length)]!) });
}

function isDatasetLike(x: unknown): boolean {
  return typeof x === 'object' && x !== null && typeof (x as { get?: unknown }).get === 'function' && !(x instanceof TensorClass);
}

/**
 * The items of each dataset in turn: `concatDatasets(a, b).get(a.length)`
 * is `b.get(0)`. Tensor datasets of the same arity and row shapes give a
 * tensor dataset (their tensors joined now); otherwise a view that finds
 * the dataset of an index by binary search.
 *
 * @example
 * ```ts
 * import { concatDatasets, fromArray } from 'typegrad';
 * const ds = concatDatasets(fromArray([1, 2]), fromArray([3]));
 * ds.length; // 3
 * ds.get(2); // 3
 * ```
 */
export function concatDatasets<T extends readonly AnyTensor[]>(...datasets: readonly TensorDataset<T>[]): TensorDataset<T>;
export function concatDatasets<T>(...datasets: readonly Dataset<T>[]): Dataset<T>;
export function concatDatasets(...datasets: readonly Dataset<unknown>[]): Dataset<unknown> {
  const op = 'concatDatasets';
  if (datasets.length === 0) throw new ValueError(`${op}: needs at least one dataset`);
  datasets.forEach((d) => checkDataset(op, d));
  const joined = joinTensors(datasets);
  if (joined) return joined;
  const starts: number[] = [];
  let length = 0;
  for (const d of datasets) {
    starts.push(length);
    length += d.length;
  }
  const get = (index: number): unknown => {
    checkIndex('dataset.get', index, length);
    // The last dataset whose start is <= index (empty datasets share starts: skip them).
    let lo = 0;
    let hi = datasets.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return datasets[lo]!.get(index - starts[lo]!);
  };
  return Object.freeze({ length, get });
}

/** Tensor datasets with matching tensors, joined along the sample axis; else undefined. */
function joinTensors(datasets: readonly Dataset<unknown>[]): TensorDataset<AnyTensor[]> | undefined {
  if (!datasets.every(isTensorDataset)) return undefined;
  const first = datasets[0]!.tensors;
  const fits = (t: AnyTensor, u: AnyTensor): boolean =>
    t.dtype === u.dtype && t.rank === u.rank && dimsOf(t).every((d, k) => k === 0 || d === dimsOf(u)[k]);
  if (!datasets.every((d) => d.tensors.length === first.length && d.tensors.every((t, k) => fits(t, first[k]!)))) return undefined;
  const tensors = first.map((_, k) => lax.concat(datasets.map((d) => d.tensors[k]!), 0));
  return tensorDataset(tensors, datasets.reduce((n, d) => n + d.length, 0));
}

// ---------------------------------------------------------------------------
// Module datasets (for worker threads)

/**
 * Marks `ds` as defined in the module at `moduleUrl` (pass
 * `import.meta.url`) under `exportName` (default `'default'`), so
 * `loader(ds, { workers })` can load items in worker threads: each worker
 * imports that module and calls `get` on the export. Items cross threads by
 * structured clone, so `get` should return plain data (numbers, typed
 * arrays, arrays and objects of them), not tensors; the loader builds the
 * batch tensors in the main thread.
 *
 * @example
 * ```ts
 * // squares.ts
 * import { moduleDataset } from 'typegrad';
 * export default moduleDataset(import.meta.url, { length: 100, get: (i: number) => ({ x: new Float32Array([i]), y: i * i }) });
 * ```
 */
export function moduleDataset<T>(moduleUrl: string | URL, ds: Dataset<T>, exportName = 'default'): ModuleDataset<T> {
  const op = 'moduleDataset';
  const d = checkDataset(op, ds) as Dataset<T>;
  const url = String(moduleUrl);
  if (!url.startsWith('file:')) throw new ValueError(`${op}: moduleUrl must be a file URL (pass import.meta.url), got ${JSON.stringify(url)}`);
  if (typeof exportName !== 'string' || exportName === '') throw new ValueError(`${op}: exportName must be a non-empty string, got ${describe(exportName)}`);
  const length = d.length;
  return Object.freeze({ length, get: (index: number): T => d.get(checkIndex('dataset.get', index, length)), origin: Object.freeze({ url, exportName }) });
}

/**
 * True for a dataset made by {@link moduleDataset}.
 *
 * @example
 * ```ts
 * isModuleDataset(fromArray([1])); // false
 * ```
 */
export function isModuleDataset(ds: Dataset<unknown>): ds is ModuleDataset<unknown> {
  if (typeof ds !== 'object' || ds === null) return false;
  const o = (ds as Partial<ModuleDataset<unknown>>).origin;
  return typeof o === 'object' && o !== null && typeof o.url === 'string' && typeof o.exportName === 'string';
}
