import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import type { AnyTensor } from '../../src/core/tensor.js';
import { fromArray, fromTensors, moduleDataset, type Dataset, type TensorDataset } from '../../src/data/dataset.js';
import { WorkerError } from '../../src/data/errors.js';
import { loader, type LoaderPosition } from '../../src/data/loader.js';
import { arange, tensor } from '../../src/ops/create.js';
import { reshape } from '../../src/ops/reshape.js';
import { foldIn, key, permutation } from '../../src/random/index.js';
import wineDataset from '../../examples/wine-dataset.js';

/** A dataset whose items are their own indices: batches show the order directly. */
const indices = (n: number): Dataset<number> => fromArray(Array.from({ length: n }, (_, i) => i));
const ids = (b: AnyTensor) => Array.from(b.toTypedArray() as ArrayLike<number>);
const k0 = key(0);

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

describe('loader: order', () => {
  it('visits 0..n-1 in order without shuffle, keeping the last short batch', () => {
    const batches = [...loader(indices(10), { batchSize: 4 })].map(ids);
    expect(batches).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
    expect(loader(indices(10), { batchSize: 4 }).length).toBe(3);
  });

  it('drops the last short batch with dropLast, and only then', () => {
    const train = loader(indices(10), { batchSize: 4, dropLast: true });
    expect([...train].map(ids)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
    ]);
    expect(train.length).toBe(2);
    // An exact multiple loses nothing.
    expect([...loader(indices(8), { batchSize: 4, dropLast: true })].map(ids).flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('shuffles epoch e by permutation(foldIn(key, e), n)', () => {
    const train = loader(indices(23), { batchSize: 5, shuffle: true, key: k0, epochs: 3 });
    for (const e of [0, 1, 2]) {
      expect([...train.epoch(e)].map(ids).flat()).toEqual(permutation(foldIn(k0, e), 23).toArray());
    }
  });

  it('gives the same batches for the same key, and iterating a loader twice gives the same batches', () => {
    const a = [...loader(indices(50), { batchSize: 8, shuffle: true, key: key(7), epochs: 2 })].map(ids);
    const b = [...loader(indices(50), { batchSize: 8, shuffle: true, key: key(7), epochs: 2 })].map(ids);
    expect(a).toEqual(b);
    const train = loader(indices(50), { batchSize: 8, shuffle: true, key: key(7) });
    expect([...train].map(ids)).toEqual([...train].map(ids));
    expect([...loader(indices(50), { batchSize: 8, shuffle: true, key: key(8) })].map(ids)).not.toEqual([...train].map(ids));
  });

  it('reshuffles each epoch, and each epoch visits every item once', () => {
    const train = loader(indices(100), { batchSize: 10, shuffle: true, key: k0, epochs: 4 });
    const epochs = [0, 1, 2, 3].map((e) => [...train.epoch(e)].map(ids).flat());
    for (const order of epochs) expect([...order].sort((p, q) => p - q)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    for (let e = 1; e < 4; e++) expect(epochs[e]).not.toEqual(epochs[e - 1]);
    // A multi-epoch loader is the epochs one after the other.
    expect([...train].map(ids).flat()).toEqual(epochs.flat());
  });

  it('gives the same batches in a fresh process (no clock, no global state)', () => {
    const script = [
      "import { fromArray, loader, random } from './src/index.ts';",
      'const ds = fromArray(Array.from({ length: 30 }, (_, i) => i));',
      'const train = loader(ds, { batchSize: 7, shuffle: true, key: random.key(123), epochs: 2 });',
      'console.log(JSON.stringify([...train].map((b) => b.toArray())));',
    ].join('\n');
    const out = execFileSync('npx', ['tsx', '--input-type=module', '-e', script], { cwd: join(import.meta.dirname, '../..'), encoding: 'utf8' });
    const here = [...loader(indices(30), { batchSize: 7, shuffle: true, key: key(123), epochs: 2 })].map((b) => b.toArray());
    expect(JSON.parse(out.trim())).toEqual(here);
  });
});

describe('loader: tensor datasets', () => {
  const x = reshape(arange(26), [13, 2]);
  const y = arange(13, { dtype: 'int32' });

  it('batches rows of the tensors, typed and shaped [B, ...]', () => {
    const train = loader(fromTensors(x, y), { batchSize: 5, shuffle: true, key: k0 });
    const order = permutation(foldIn(k0, 0), 13).toArray();
    const batches = [...train];
    expect(batches.map(([xb]) => xb.shape)).toEqual([
      [5, 2],
      [5, 2],
      [3, 2],
    ]);
    expect(batches.map(([, yb]) => yb.dtype)).toEqual(['int32', 'int32', 'int32']);
    expect(batches.flatMap(([, yb]) => yb.toArray())).toEqual(order);
    expect(batches.flatMap(([xb]) => xb.toArray())).toEqual(order.map((i) => [2 * i, 2 * i + 1]));
  });

  it('gathers rows directly: the same batches as stacking the rows, without calling get', () => {
    const base = fromTensors(x, y);
    const noGet: TensorDataset<[AnyTensor, AnyTensor]> = {
      length: base.length,
      tensors: base.tensors,
      get: () => {
        throw new Error('the tensor path must not load rows one by one');
      },
    };
    const rows = fromArray(Array.from({ length: 13 }, (_, i) => base.get(i)));
    const opts = { batchSize: 4, shuffle: true, key: key(3), epochs: 2 } as const;
    const fast = [...loader(noGet, opts)].map((b) => b.map((t) => t.toArray()));
    const slow = [...loader(rows, opts)].map((b) => b.map((t) => t.toArray()));
    expect(fast).toEqual(slow);
  });
});

describe('loader: positions and resumption', () => {
  const opts = { batchSize: 3, shuffle: true, key: key(11), epochs: 3 } as const;
  const train = loader(indices(10), opts); // 4 batches per epoch, 12 in all

  it('steps() reports each batch with its position and the position after it', () => {
    const steps = [...train.steps()];
    expect(steps.map((s) => [s.epoch, s.index])).toEqual([0, 1, 2].flatMap((e) => [0, 1, 2, 3].map((b) => [e, b])));
    expect(steps[3]!.next).toEqual({ epoch: 1, index: 0 });
    expect(steps[4]!.next).toEqual({ epoch: 1, index: 1 });
    expect(steps[11]!.next).toEqual({ epoch: 3, index: 0 });
  });

  it('resuming at step k (through JSON) yields exactly the batches that would have followed', () => {
    const all = [...train].map(ids);
    const steps = [...train.steps()];
    for (let k = 0; k <= all.length; k++) {
      const saved: LoaderPosition = k === 0 ? { epoch: 0, index: 0 } : JSON.parse(JSON.stringify(steps[k - 1]!.next));
      expect([...train.from(saved)].map(ids)).toEqual(all.slice(k));
      // The same with a fresh loader built from the options and the saved position.
      expect([...loader(indices(10), { ...opts, start: saved })].map(ids)).toEqual(all.slice(k));
    }
  });

  it('at(position) is the batch that iteration yields there', () => {
    const steps = [...train.steps()];
    for (const s of steps) expect(ids(train.at({ epoch: s.epoch, index: s.index }))).toEqual(ids(s.batch));
    expect(() => train.at({ epoch: 0, index: 4 })).toThrow(/out of range/);
  });

  it('accepts index = batches per epoch as the start of the next epoch, and rejects positions outside', () => {
    expect([...train.from({ epoch: 0, index: 4 })].map(ids)).toEqual([...train.from({ epoch: 1, index: 0 })].map(ids));
    expect([...train.from({ epoch: 3, index: 0 })]).toEqual([]);
    expect(() => train.from({ epoch: 0, index: 5 })).toThrow(new ValueError('loader: start.index 5 is out of range: an epoch has 4 batches (index 0 to 4)'));
    expect(() => train.from({ epoch: 4, index: 0 })).toThrow(/after the last epoch/);
    expect(() => train.from({ epoch: -1, index: 0 })).toThrow(ValueError);
    expect(() => train.from({ epoch: 0, index: 1.5 })).toThrow(ValueError);
  });
});

describe('loader: edge cases', () => {
  it('rejects batch sizes that are not positive integers', () => {
    for (const bad of [0, -1, 1.5, Number.NaN, Infinity, '4']) {
      expect(() => loader(indices(5), { batchSize: bad as number })).toThrow(ValueError);
    }
    expect(() => loader(indices(5), { batchSize: 0 })).toThrow(new ValueError('loader: batchSize must be a positive integer, got 0'));
  });

  it('rejects an empty dataset and dropLast with a batch larger than the dataset', () => {
    expect(() => loader(fromArray([]), { batchSize: 2 })).toThrow(/the dataset is empty/);
    expect(() => loader(indices(3), { batchSize: 4, dropLast: true })).toThrow(/leaves no batch/);
    // Without dropLast a batch larger than the dataset is one short batch.
    expect([...loader(indices(3), { batchSize: 4 })].map(ids)).toEqual([[0, 1, 2]]);
  });

  it('needs a key to shuffle, and never falls back to the clock', () => {
    expect(() => loader(indices(5), { batchSize: 2, shuffle: true } as never)).toThrow(/needs a key/);
    expect(() => loader(indices(5), { batchSize: 2, shuffle: true, key: { words: [0, 0] } } as never)).toThrow(ValueError);
  });

  it('refuses to reuse a finished iterator, rather than silently yielding nothing', () => {
    const train = loader(indices(4), { batchSize: 2 });
    const it = train[Symbol.iterator]();
    expect([...it].length).toBe(2);
    expect(() => [...it]).toThrow(/iterator is finished/);
    // next() keeps to the iterator protocol: done stays done.
    expect(it.next().done).toBe(true);
    // Stopping early also finishes it.
    const it2 = train[Symbol.iterator]();
    for (const _ of it2) break;
    expect(() => [...it2]).toThrow(/iterator is finished/);
    // The loader itself can be iterated again.
    expect([...train].length).toBe(2);
  });

  it('collates plain items: numbers, booleans, typed arrays, tuples and objects', () => {
    const ds = fromArray([
      { x: Float32Array.of(1, 2), label: 0, ok: true, pair: [Int32Array.of(5), 0.5] as const },
      { x: Float32Array.of(3, 4), label: 2, ok: false, pair: [Int32Array.of(6), 1.5] as const },
    ]);
    const [b] = [...loader(ds, { batchSize: 2 })];
    expect(b!.x.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(b!.x.dtype).toBe('float32');
    expect(b!.label.toArray()).toEqual([0, 2]);
    expect(b!.ok.toArray()).toEqual([true, false]);
    expect(b!.pair[0].dtype).toBe('int32');
    expect(b!.pair[0].toArray()).toEqual([[5], [6]]);
    expect(b!.pair[1].toArray()).toEqual([0.5, 1.5]);
  });

  it('stacks tensor items and names the items that do not fit', () => {
    const ok = fromArray([tensor([1, 2]), tensor([3, 4])]);
    expect([...loader(ok, { batchSize: 2 })][0]!.toArray()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    const ragged = fromArray([tensor([1, 2]), tensor([3])]);
    expect(() => [...loader(ragged, { batchSize: 2 })]).toThrow(new ShapeError('loader: cannot batch items 0 and 1: shapes [2] vs [1]'));
    const mixed = fromArray([{ a: 1 }, { b: 2 }]);
    expect(() => [...loader(mixed, { batchSize: 2 })]).toThrow(/keys \{a\} vs \{b\}/);
    const nested = fromArray([{ a: [Float32Array.of(1)] }, { a: [Float32Array.of(1, 2)] }]);
    expect(() => [...loader(nested, { batchSize: 2 })]).toThrow(/field \.a\[0\] of items 0 and 1: typed arrays of length 1 vs 2/);
    const strings = fromArray(['a', 'b']);
    expect(() => [...loader(strings, { batchSize: 2 })]).toThrow(/or pass collate/);
    const promises = fromArray([Promise.resolve(1)]);
    expect(() => [...loader(promises, { batchSize: 1 })]).toThrow(/returned a Promise/);
  });

  it('uses a custom collate with the items and their dataset indices', () => {
    const train = loader(fromArray(['a', 'b', 'c']), { batchSize: 2, collate: (items, idx) => `${items.join('')}@${idx.join(',')}` });
    expect([...train]).toEqual(['ab@0,1', 'c@2']);
  });

  it('iterates with for await as well, with the same batches', async () => {
    const train = loader(indices(9), { batchSize: 4, shuffle: true, key: k0, epochs: 2 });
    expect((await collect(train)).map(ids)).toEqual([...train].map(ids));
    expect((await collect(train.steps())).map((s) => s.next)).toEqual([...train.steps()].map((s) => s.next));
  });
});

describe('loader: workers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'typegrad-loader-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A plain JavaScript dataset module whose item 7 fails to load. */
  function failingModule(): URL {
    const file = join(dir, 'failing.mjs');
    writeFileSync(
      file,
      'export default { length: 12, get(i) { if (i === 7) throw new RangeError(`sample ${i} is corrupt`); return { x: Float32Array.of(i, -i), y: i }; } };\n',
    );
    return pathToFileURL(file);
  }

  it('loads a module dataset in worker threads, in the same order as without workers', async () => {
    const opts = { batchSize: 4, shuffle: true, key: key(5), epochs: 2 } as const;
    const main = [...loader(wineDataset, opts)];
    const parallel = await collect(loader(wineDataset, { ...opts, workers: 2 }));
    expect(parallel.length).toBe(90); // two epochs of ceil(178 / 4)
    expect(parallel.map((b) => [b.features.toArray(), b.label.toArray()])).toEqual(main.map((b) => [b.features.toArray(), b.label.toArray()]));
    // Resuming with workers gives the rest of the same sequence.
    const resumed = await collect(loader(wineDataset, { ...opts, workers: 2, start: { epoch: 1, index: 40 } }));
    expect(resumed.map((b) => b.label.toArray())).toEqual(main.slice(85).map((b) => b.label.toArray()));
  });

  it('surfaces a failing item in the main thread as a WorkerError naming its index, after the batches before it', async () => {
    const url = failingModule();
    const local = { length: 12, get: (i: number) => ({ x: Float32Array.of(i, -i), y: i }) };
    const ds = moduleDataset(url, local);
    const got: number[][] = [];
    let error: unknown;
    try {
      for await (const b of loader(ds, { batchSize: 3, workers: 2 })) got.push(ids(b.y));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WorkerError);
    expect((error as WorkerError).index).toBe(7);
    expect((error as WorkerError).message).toMatch(/index 7 failed: sample 7 is corrupt/);
    expect(((error as WorkerError).cause as Error).name).toBe('RangeError');
    expect(got).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
  });

  it('needs a module dataset, and for await', () => {
    expect(() => loader(indices(4), { batchSize: 2, workers: 2 })).toThrow(/moduleDataset\(import\.meta\.url/);
    expect(() => loader(wineDataset, { batchSize: 2, workers: -1 })).toThrow(ValueError);
    const parallel = loader(wineDataset, { batchSize: 2, workers: 1 });
    expect(() => [...(parallel as unknown as Iterable<unknown>)]).toThrow();
  });
});
