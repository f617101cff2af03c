/**
 * `loader(dataset, { batchSize, shuffle, key })`: the batches of a dataset,
 * as a lazy iterable whose order is a pure function of `(key, epoch)`.
 *
 * - Epoch `e` visits the items in the order `random.permutation(random.foldIn(key, e), n)`
 *   (or `0..n-1` without `shuffle`), cut into batches of `batchSize`; the
 *   last, shorter batch is kept unless `dropLast`. Nothing reads the clock.
 * - A loader is a value: iterating it twice gives the same batches. Its
 *   range is the epochs `[start.epoch, epochs)`, starting at batch
 *   `start.index`; `train.epoch(e)` is epoch `e` alone, so a training loop
 *   reshuffles by asking for the next epoch, never by hidden state.
 * - A position `{ epoch, index }` (batch `index` of epoch `epoch`) is a plain
 *   JSON value; `steps()` yields each batch with the position that follows it,
 *   and `train.from(position)` yields exactly the batches that were still to come.
 * - Tensor datasets (`fromTensors`) are batched by one gather per tensor
 *   per batch; other items are collated (see {@link Collated}).
 * - With `workers: n`, items of a `moduleDataset` load in `n` worker threads,
 *   in the same order as without workers; iterate with `for await`. Each
 *   iteration starts its own pool, so iterate one loader over all epochs
 *   (`epochs: n`) rather than `train.epoch(e)` per epoch to start it once.
 * - An iterator, once finished (or stopped by `break`), throws if iterated
 *   again: iterate the loader, or `train.epoch(e)`, for a new pass.
 *
 * @example
 * ```ts
 * import { breastCancer, fromTensors, loader, random } from 'typegrad';
 * const { x, y } = breastCancer();
 * const train = loader(fromTensors(x, y), { batchSize: 32, shuffle: true, key: random.key(0) });
 * for (let epoch = 0; epoch < 3; epoch++) {
 *   for (const [xb, yb] of train.epoch(epoch)) {
 *     xb.shape; // [32, 30] ... and [25, 30] for the last batch: Tensor<[number, 30]>
 *   }
 * }
 * ```
 *
 * @module
 */
import { allocate, type DType, type StorageOf } from '../core/dtype.js';
import { ShapeError, ValueError, formatShape } from '../core/errors.js';
import { type AnyTensor, Tensor, dimsOf, fromStorage, storageOf } from '../core/tensor.js';
import { checkMaxSize, describe } from '../random/checks.js';

/** Default `maxShuffle`: the longest dataset whose order one epoch draws whole. */
const MAX_SHUFFLE = 2 ** 24;
import { checkKey, foldIn, type Key } from '../random/key.js';
import { permutation } from '../random/permutation.js';
import type { Shape } from '../shape/dim.js';
import { checkDataset, gatherRows, isModuleDataset, isTensorDataset, type Dataset } from './dataset.js';
import { checkCount, checkPositive, checkWorkers } from './shared.js';
import { platform } from '../platform/index.js';
import { checkObject } from '../core/validate.js';

// ---------------------------------------------------------------------------
// Types

/**
 * Where a loader is: batch `index` of epoch `epoch`, both counted from 0. A
 * plain value: store it with `JSON.stringify`, resume with `train.from(position)`.
 * `index` may equal the number of batches per epoch, meaning the start of
 * the next epoch.
 *
 * @example
 * ```ts
 * const saved: LoaderPosition = JSON.parse('{"epoch":1,"index":5}');
 * ```
 */
export interface LoaderPosition {
  readonly epoch: number;
  readonly index: number;
}

/**
 * One batch and where it sits: batch `index` of epoch `epoch`; `next` is the
 * position to resume from after it.
 *
 * @example
 * ```ts
 * // hidden: let checkpoint: unknown;
 * for (const { batch, epoch, index, next } of train.steps()) { checkpoint = next; }
 * ```
 */
export interface Step<Batch> {
  readonly batch: Batch;
  readonly epoch: number;
  readonly index: number;
  readonly next: LoaderPosition;
}

/**
 * The batch dim: the literal batch size when the last short batch is
 * dropped, else `number`.
 *
 * @example
 * ```ts
 * type A = BatchDim<32, true>;  // 32
 * type B = BatchDim<32, false>; // number
 * ```
 */
export type BatchDim<B extends number, DropLast extends boolean> = DropLast extends true ? B : number;

type IntegerArray = Int8Array | Int16Array | Int32Array | Uint8Array | Uint8ClampedArray | Uint16Array;

/**
 * The batch of items of type `T`, with batch dim `B`, built by the default
 * collation:
 * - a `Tensor<S, D>` stacks into `Tensor<[B, ...S], D>`;
 * - numbers give a float32 `Tensor<[B]>`, booleans a bool `Tensor<[B]>`;
 * - a typed array is one row of a `Tensor<[B, number]>`: float32 for
 *   `Float32Array`, float64 for `Float64Array` and `Uint32Array`, int32 for
 *   the other integer arrays;
 * - arrays (tuples) and plain objects are structure: each position or key is
 *   collated on its own.
 *
 * @example
 * ```ts
 * type A = Collated<[Tensor<[30]>, Tensor<[]>], 32>;          // [Tensor<[32, 30]>, Tensor<[32]>]
 * type B = Collated<{ x: Float32Array; y: number }, number>; // { x: Tensor<[number, number]>; y: Tensor<[number]> }
 * ```
 */
export type Collated<T, B extends number> =
  T extends Tensor<infer S extends Shape, infer D>
    ? Tensor<[B, ...S], D>
    : T extends number
      ? Tensor<[B], 'float32'>
      : T extends boolean
        ? Tensor<[B], 'bool'>
        : T extends Float32Array
          ? Tensor<[B, number], 'float32'>
          : T extends Float64Array | Uint32Array
            ? Tensor<[B, number], 'float64'>
            : T extends IntegerArray
              ? Tensor<[B, number], 'int32'>
              : T extends readonly unknown[]
                ? { -readonly [K in keyof T]: Collated<T[K], B> }
                : T extends object
                  ? { -readonly [K in keyof T]: Collated<T[K], B> }
                  : never;

/**
 * `shuffle: true` needs a key: the order is a function of `(key, epoch)`.
 *
 * @example
 * ```ts
 * const opts: ShuffleOptions = { shuffle: true, key: random.key(0) };
 * ```
 */
export type ShuffleOptions = { readonly shuffle: true; readonly key: Key } | { readonly shuffle?: false; readonly key?: Key };

/**
 * Options of {@link loader}.
 *
 * - `batchSize`: items per batch, a positive integer.
 * - `shuffle`, `key`: a new order each epoch, `permutation(foldIn(key, epoch), n)`.
 * - `dropLast`: drop the last batch when it is short (then the batch dim is typed as `batchSize`).
 * - `epochs`: iterate epochs up to, not including, this one (default: `start.epoch + 1`, one epoch).
 * - `start`: the first batch, default `{ epoch: 0, index: 0 }`.
 * - `collate`: builds a batch from its items (and their dataset indices) instead of the default {@link Collated}.
 * - `workers`: load items in this many worker threads (a `moduleDataset` only; 0 = none; at most `maxWorkers()`).
 * - `prefetch`: with workers, most items requested ahead (default `2 * batchSize`, at least `2 * workers`).
 * - `maxShuffle`: the longest dataset `shuffle: true` may permute, default 2^24 (16M items): each
 *   epoch's order is drawn whole (12 bytes per item while drawn, 4 kept), before the first batch.
 *
 * @example
 * ```ts
 * const opts: LoaderOptions<[Tensor<[30]>, Tensor<[]>], 32, true> = { batchSize: 32, shuffle: true, key: random.key(0), dropLast: true };
 * ```
 */
export type LoaderOptions<T, B extends number, DL extends boolean = false, C = Collated<T, BatchDim<B, DL>>> = {
  readonly batchSize: B;
  readonly dropLast?: DL;
  readonly epochs?: number;
  readonly start?: LoaderPosition;
  readonly collate?: (items: T[], indices: readonly number[]) => C;
  readonly workers?: number;
  readonly prefetch?: number;
  readonly maxShuffle?: number;
} & ShuffleOptions;

/**
 * A loader that can only be iterated with `for await` (one with workers).
 * See {@link Loader}.
 *
 * @example
 * ```ts
 * // hidden: type WineBatch = unknown;
 * const train: AsyncLoader<WineBatch> = loader(wineDataset, { batchSize: 4, workers: 2 });
 * for await (const batch of train) {}
 * ```
 */
export interface AsyncLoader<Batch> extends AsyncIterable<Batch> {
  /** Items per batch. */
  readonly batchSize: number;
  /** Batches per epoch. */
  readonly length: number;
  /** The first position this loader yields. */
  readonly start: LoaderPosition;
  /** Iteration stops before this epoch. */
  readonly epochs: number;
  /** Epoch `e` alone, from its first batch. */
  epoch(e: number): AsyncLoader<Batch>;
  /** The batches from `position` to the end of this loader's last epoch. */
  from(position: LoaderPosition): AsyncLoader<Batch>;
  /** The batches with their positions. */
  steps(): AsyncIterable<Step<Batch>>;
  /** A new iterator from `start`; once finished, iterating it again throws. */
  [Symbol.asyncIterator](): AsyncIterableIterator<Batch>;
}

/**
 * The batches of a dataset over a range of epochs: iterable with `for ... of`
 * and `for await`, as often as wanted, always with the same batches.
 *
 * @example
 * ```ts
 * const train = loader(fromTensors(x, y), { batchSize: 64, shuffle: true, key, epochs: 10 });
 * train.length;                             // batches per epoch
 * for (const [xb, yb] of train.epoch(3)) {} // epoch 3 alone
 * const batch = train.at({ epoch: 3, index: 0 }); // random access
 * ```
 */
export interface Loader<Batch> extends AsyncLoader<Batch>, Iterable<Batch> {
  epoch(e: number): Loader<Batch>;
  from(position: LoaderPosition): Loader<Batch>;
  steps(): Iterable<Step<Batch>> & AsyncIterable<Step<Batch>>;
  /** The batch at `position`, computed from `(key, epoch, index)` alone. */
  at(position: LoaderPosition): Batch;
  /** A new iterator from `start`; once finished, iterating it again throws. */
  [Symbol.iterator](): IterableIterator<Batch>;
}

// ---------------------------------------------------------------------------
// loader

/**
 * The batches of `dataset`; see the module comment for the order and
 * {@link LoaderOptions} for the options. Throws `ValueError` for a batch
 * size that is not a positive integer, an empty dataset, `dropLast` with a
 * batch size above the dataset length (no batch would be left), `shuffle`
 * without a key, a position outside the loader's epochs, and `workers` on a
 * dataset that is not a `moduleDataset`.
 *
 * With `workers`, a failing item makes the iteration throw a `WorkerError`
 * naming its dataset index, after the batches before it.
 *
 * @example
 * ```ts
 * import { fromTensors, loader, random, zeros } from 'typegrad';
 * const ds = fromTensors(zeros([10, 3]), zeros([10]));
 * const train = loader(ds, { batchSize: 4, shuffle: true, key: random.key(0), dropLast: true });
 * for (const [x, y] of train) x.shape; // [4, 3], twice: Tensor<[4, 3]>
 * ```
 */
export function loader<T, const B extends number, const DL extends boolean = false, C = Collated<Awaited<T>, BatchDim<B, DL>>>(
  dataset: Dataset<T>,
  options: LoaderOptions<Awaited<T>, B, DL, C> & { readonly workers: number },
): AsyncLoader<C>;
export function loader<T, const B extends number, const DL extends boolean = false, C = Collated<T, BatchDim<B, DL>>>(
  dataset: Dataset<T>,
  options: LoaderOptions<T, B, DL, C> & { readonly workers?: undefined },
): Loader<C>;
export function loader(dataset: Dataset<unknown>, options: LoaderOptions<unknown, number, boolean, unknown>): Loader<unknown> {
  checkObject('loader', 'options', options);
  const plan = makePlan(dataset, options);
  const startEpoch = checkCount('loader', 'start.epoch', options.start?.epoch ?? 0);
  const epochs = checkCount('loader', 'epochs', options.epochs ?? startEpoch + 1);
  return makeLoader(plan, options.start ?? { epoch: 0, index: 0 }, epochs);
}

/** Everything about a loader but its range of epochs. */
interface Plan {
  readonly n: number;
  readonly batchSize: number;
  /** Batches per epoch. */
  readonly length: number;
  /** The dataset indices of batch `b` of epoch `e`. */
  indicesOf(e: number, b: number): Int32Array;
  /** The batch of the items at `indices` (main thread). */
  build(indices: Int32Array): unknown;
  /** The batch of items loaded elsewhere (by workers). */
  collate(items: unknown[], indices: Int32Array): unknown;
  readonly workers: { count: number; url: string; exportName: string; prefetch: number } | undefined;
}

function makePlan(dataset: Dataset<unknown>, options: LoaderOptions<unknown, number, boolean, unknown>): Plan {
  const op = 'loader';
  if (typeof options !== 'object' || options === null) throw new ValueError(`${op}: expected options { batchSize, shuffle?, key?, dropLast? }, got ${describe(options)}`);
  const ds = checkDataset(op, dataset);
  const batchSize = checkPositive(op, 'batchSize', options.batchSize);
  const n = ds.length;
  if (n === 0) throw new ValueError(`${op}: the dataset is empty (length 0); there is nothing to batch`);
  const dropLast = options.dropLast ?? false;
  if (typeof dropLast !== 'boolean') throw new ValueError(`${op}: dropLast must be true or false, got ${describe(dropLast)}`);
  if (dropLast && batchSize > n) {
    throw new ValueError(`${op}: dropLast with batchSize ${batchSize} > dataset length ${n} leaves no batch; use a smaller batchSize or dropLast: false`);
  }
  const shuffle = options.shuffle ?? false;
  if (typeof shuffle !== 'boolean') throw new ValueError(`${op}: shuffle must be true or false, got ${describe(shuffle)}`);
  if (shuffle && options.key === undefined) {
    throw new ValueError(`${op}: shuffle: true needs a key, such as random.key(0): the order is a function of (key, epoch), never of the clock`);
  }
  const key = options.key === undefined ? undefined : checkKey(op, options.key);
  const length = dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);

  // One permutation per epoch, remembered for the last two epochs read (with
  // workers, the indices sent ahead may be an epoch ahead of the batches built).
  // Without shuffle a batch's indices are a range, made per batch (nothing of size n).
  if (shuffle) checkMaxSize(op, 'dataset length (to shuffle)', n, { maxSize: options.maxShuffle ?? MAX_SHUFFLE }, MAX_SHUFFLE);
  const cache = new Map<number, Int32Array>();
  const orderOf = (e: number): Int32Array => {
    let order = cache.get(e);
    if (order === undefined) {
      order = permutation(foldIn(key!, e), n, { maxSize: n }).toTypedArray();
      if (cache.size === 2) cache.delete(cache.keys().next().value!);
      cache.set(e, order);
    }
    return order;
  };
  const indicesOf = (e: number, b: number): Int32Array => {
    const lo = b * batchSize, hi = Math.min((b + 1) * batchSize, n);
    if (!shuffle) return Int32Array.from({ length: hi - lo }, (_, i) => lo + i);
    return orderOf(e).subarray(lo, hi);
  };

  const custom = options.collate;
  if (custom !== undefined && typeof custom !== 'function') throw new ValueError(`${op}: collate must be a function, got ${describe(custom)}`);
  const collate = (items: unknown[], indices: Int32Array): unknown =>
    custom ? custom(items, Array.from(indices)) : collateItems(op, items, indices, '');
  const build =
    isTensorDataset(ds) && !custom
      ? (indices: Int32Array) => ds.tensors.map((t) => gatherRows(t, indices.slice()))
      : (indices: Int32Array) => collate(Array.from(indices, (i) => ds.get(i)), indices);

  const count = checkCount(op, 'workers', options.workers ?? 0);
  if (count > 0) checkWorkers(op, count);
  let workers: Plan['workers'];
  if (count > 0) {
    if (platform().workerMap === null) throw new ValueError(`${op}: workers need worker threads that import modules by URL, which only Node has here; leave workers out`);
    if (!isModuleDataset(ds)) {
      throw new ValueError(
        `${op}: workers need a dataset that worker threads can import: define it in a module file with moduleDataset(import.meta.url, { length, get }) and export it`,
      );
    }
    const prefetch = checkPositive(op, 'prefetch', options.prefetch ?? Math.max(2 * batchSize, 2 * count));
    workers = { count, url: ds.origin.url, exportName: ds.origin.exportName, prefetch };
  }
  return { n, batchSize, length, indicesOf, build, collate, workers };
}

/** Checks a position against the plan and moves `index === length` to the next epoch. */
function normalize(plan: Plan, p: LoaderPosition, what: string): LoaderPosition {
  const op = 'loader';
  if (typeof p !== 'object' || p === null) throw new ValueError(`${op}: ${what} must be { epoch, index }, got ${describe(p)}`);
  const epoch = checkCount(op, `${what}.epoch`, p.epoch);
  const index = checkCount(op, `${what}.index`, p.index);
  if (index > plan.length) {
    throw new ValueError(`${op}: ${what}.index ${index} is out of range: an epoch has ${plan.length} batches (index 0 to ${plan.length})`);
  }
  return index === plan.length ? { epoch: epoch + 1, index: 0 } : { epoch, index };
}

function makeLoader(plan: Plan, rawStart: LoaderPosition, epochs: number): Loader<unknown> {
  const start = normalize(plan, rawStart, 'start');
  if (start.epoch > epochs) throw new ValueError(`loader: start epoch ${start.epoch} is after the last epoch (epochs: ${epochs})`);

  /** The positions of this loader's batches, in order. */
  function* positions(): Generator<LoaderPosition> {
    for (let e = start.epoch; e < epochs; e++) {
      for (let b = e === start.epoch ? start.index : 0; b < plan.length; b++) yield { epoch: e, index: b };
    }
  }
  const after = (p: LoaderPosition): LoaderPosition => normalize(plan, { epoch: p.epoch, index: p.index + 1 }, 'next');
  const stepOf = (p: LoaderPosition, batch: unknown): Step<unknown> => ({ batch, epoch: p.epoch, index: p.index, next: after(p) });

  function* syncSteps(): Generator<Step<unknown>> {
    if (plan.workers) throw new ValueError('loader: a loader with workers loads asynchronously: iterate it with for await');
    for (const p of positions()) yield stepOf(p, plan.build(plan.indicesOf(p.epoch, p.index)));
  }

  async function* asyncSteps(): AsyncGenerator<Step<unknown>> {
    const w = plan.workers;
    if (!w) {
      yield* syncSteps();
      return;
    }
    const indices = { [Symbol.iterator]: () => allIndices() };
    function* allIndices(): Generator<number> {
      for (const p of positions()) yield* plan.indicesOf(p.epoch, p.index);
    }
    const items = platform().workerMap!<unknown>(w.url, indices, { workers: w.count, exportName: w.exportName, buffer: w.prefetch })[Symbol.asyncIterator]();
    try {
      for (const p of positions()) {
        const idx = plan.indicesOf(p.epoch, p.index);
        const got: unknown[] = [];
        for (let k = 0; k < idx.length; k++) {
          const r = await items.next();
          if (r.done) throw new ValueError('loader: the worker pool ended early'); // workerMap yields one item per index
          got.push(r.value);
        }
        yield stepOf(p, plan.collate(got, idx));
      }
    } finally {
      await items.return?.();
    }
  }

  const self: Loader<unknown> = {
    batchSize: plan.batchSize,
    length: plan.length,
    start,
    epochs,
    epoch: (e) => makeLoader(plan, { epoch: checkCount('loader', 'epoch', e), index: 0 }, e + 1),
    from: (position) => makeLoader(plan, position, epochs),
    at: (position) => {
      if (plan.workers) throw new ValueError('loader: at() loads in the main thread; it is not available with workers');
      const p = normalize(plan, position, 'position');
      if (position.index === plan.length) {
        throw new ValueError(`loader: position.index ${position.index} is out of range: an epoch has ${plan.length} batches (index 0 to ${plan.length - 1})`);
      }
      return plan.build(plan.indicesOf(p.epoch, p.index));
    },
    steps: () => ({
      [Symbol.iterator]: () => once(syncSteps()),
      [Symbol.asyncIterator]: () => onceAsync(asyncSteps()),
    }),
    [Symbol.iterator]: () => once(map(syncSteps(), (s) => s.batch)),
    [Symbol.asyncIterator]: () => onceAsync(mapAsync(asyncSteps(), (s) => s.batch)),
  };
  return Object.freeze(self);
}

function* map<A, B>(it: Iterator<A>, f: (a: A) => B): Generator<B> {
  try {
    for (let r = it.next(); !r.done; r = it.next()) yield f(r.value);
  } finally {
    it.return?.();
  }
}

async function* mapAsync<A, B>(it: AsyncIterator<A>, f: (a: A) => B): AsyncGenerator<B> {
  try {
    for (let r = await it.next(); !r.done; r = await it.next()) yield f(r.value);
  } finally {
    await it.return?.();
  }
}

const EXHAUSTED =
  'loader: this iterator is finished (it ran to the end or was stopped); iterate the loader itself again, ' +
  'or ask it for the next epoch with loader.epoch(e), instead of reusing the old iterator';

/**
 * An iterator that refuses to be iterated again once finished: `for (const b
 * of it)` over a used-up iterator throws instead of silently doing nothing.
 */
function once<T>(it: Generator<T>): IterableIterator<T> {
  let finished = false;
  return {
    next: () => {
      const r = it.next();
      if (r.done) finished = true;
      return r;
    },
    return: (value?: unknown) => {
      finished = true;
      return it.return(value as never);
    },
    [Symbol.iterator]() {
      if (finished) throw new ValueError(EXHAUSTED);
      return this;
    },
  };
}

function onceAsync<T>(it: AsyncGenerator<T>): AsyncIterableIterator<T> {
  let finished = false;
  return {
    next: async () => {
      const r = await it.next();
      if (r.done) finished = true;
      return r;
    },
    return: async (value?: unknown) => {
      finished = true;
      return it.return(value as never);
    },
    [Symbol.asyncIterator]() {
      if (finished) throw new ValueError(EXHAUSTED);
      return this;
    },
  };
}

// ---------------------------------------------------------------------------
// Collation

const TYPED_DTYPE: ReadonlyArray<[new (n: number) => ArrayLike<number>, DType]> = [
  [Float32Array, 'float32'],
  [Float64Array, 'float64'],
  [Uint32Array, 'float64'],
  [Int32Array, 'int32'],
  [Int16Array, 'int32'],
  [Int8Array, 'int32'],
  [Uint16Array, 'int32'],
  [Uint8Array, 'int32'],
  [Uint8ClampedArray, 'int32'],
];

function typedDType(x: unknown): DType | undefined {
  for (const [ctor, d] of TYPED_DTYPE) if (x instanceof ctor) return d;
  return undefined;
}

function kindOf(x: unknown): string {
  if (x instanceof Tensor) return 'tensor';
  if (typeof x === 'number') return 'number';
  if (typeof x === 'boolean') return 'boolean';
  if (typedDType(x) !== undefined) return (x as object).constructor.name;
  if (Array.isArray(x)) return 'array';
  if (typeof x === 'object' && x !== null && typeof (x as { then?: unknown }).then === 'function') return 'promise';
  if (typeof x === 'object' && x !== null && (Object.getPrototypeOf(x) === Object.prototype || Object.getPrototypeOf(x) === null)) return 'object';
  if (x === null) return 'null';
  return typeof x === 'object' ? `a ${(x as object).constructor?.name ?? 'class instance'}` : `a ${typeof x}`;
}

/**
 * The default collation (see {@link Collated}) of the items loaded from
 * dataset `indices`; `path` locates the field in the item for messages.
 */
function collateItems(op: string, items: readonly unknown[], indices: Int32Array, path: string): unknown {
  const where = path === '' ? 'items' : `field ${path} of items`;
  const first = items[0];
  const kind = kindOf(first);
  for (let k = 1; k < items.length; k++) {
    const other = kindOf(items[k]);
    if (other !== kind) throw new ValueError(`${op}: cannot batch ${where} ${indices[0]} and ${indices[k]}: ${kind} vs ${other}`);
  }
  const m = items.length;
  switch (kind) {
    case 'tensor':
      return stackTensors(op, items as AnyTensor[], indices, where);
    case 'number':
      return fromStorage(Float32Array.from(items as number[]), [m], 'float32');
    case 'boolean':
      return fromStorage(Uint8Array.from(items as boolean[], (b) => (b ? 1 : 0)), [m], 'bool');
    case 'array': {
      const arrays = items as unknown[][];
      const len = arrays[0]!.length;
      arrays.forEach((a, k) => {
        if (a.length !== len) throw new ValueError(`${op}: cannot batch ${where} ${indices[0]} and ${indices[k]}: arrays of length ${len} vs ${a.length}`);
      });
      return Array.from({ length: len }, (_, j) =>
        collateItems(
          op,
          arrays.map((a) => a[j]),
          indices,
          `${path}[${j}]`,
        ),
      );
    }
    case 'object': {
      const objects = items as Record<string, unknown>[];
      const keys = Object.keys(objects[0]!);
      const sameKeys = (o: Record<string, unknown>) => Object.keys(o).length === keys.length && keys.every((key) => key in o);
      objects.forEach((o, k) => {
        if (!sameKeys(o)) {
          throw new ValueError(`${op}: cannot batch ${where} ${indices[0]} and ${indices[k]}: keys {${keys.join(', ')}} vs {${Object.keys(o).join(', ')}}`);
        }
      });
      const out: Record<string, unknown> = {};
      for (const key of keys) out[key] = collateItems(op, objects.map((o) => o[key]), indices, path === '' ? `.${key}` : `${path}.${key}`);
      return out;
    }
    case 'promise':
      throw new ValueError(`${op}: dataset.get(${indices[0]}) returned a Promise; a dataset loaded in the main thread must return items, not promises`);
    default: {
      const dtype = typedDType(first);
      if (dtype !== undefined) return stackRows(op, items as ArrayLike<number>[], dtype, indices, where);
      throw new ValueError(
        `${op}: cannot batch ${where} ${indices[0]}: ${describe(first)} is ${kind}; items must be tensors, numbers, booleans, typed arrays, or arrays and plain objects of them (or pass collate)`,
      );
    }
  }
}

/** Rows of equal length as the rows of a `[m, len]` tensor. */
function stackRows(op: string, rows: ArrayLike<number>[], dtype: DType, indices: Int32Array, where: string): AnyTensor {
  const len = rows[0]!.length;
  const out = allocate(dtype, rows.length * len);
  rows.forEach((r, k) => {
    if (r.length !== len) throw new ValueError(`${op}: cannot batch ${where} ${indices[0]} and ${indices[k]}: typed arrays of length ${len} vs ${r.length}`);
    (out as StorageOf['float64']).set(r, k * len);
  });
  return fromStorage(out, [rows.length, len], dtype);
}

/** Tensors of one shape and dtype, stacked along a new first axis. */
function stackTensors(op: string, ts: AnyTensor[], indices: Int32Array, where: string): AnyTensor {
  const first = ts[0]!.concrete();
  const shape = dimsOf(first);
  const out = allocate(first.dtype, ts.length * first.size);
  ts.forEach((t, k) => {
    const c = t.concrete();
    const s = dimsOf(c);
    if (c.dtype !== first.dtype) throw new ValueError(`${op}: cannot batch ${where} ${indices[0]} and ${indices[k]}: dtypes ${first.dtype} vs ${c.dtype}`);
    if (s.length !== shape.length || s.some((d, j) => d !== shape[j])) {
      throw new ShapeError(`${op}: cannot batch ${where} ${indices[0]} and ${indices[k]}: shapes ${formatShape(shape)} vs ${formatShape(s)}`);
    }
    (out as StorageOf['float64']).set(storageOf(c), k * first.size);
  });
  return fromStorage(out, [ts.length, ...shape], first.dtype);
}
