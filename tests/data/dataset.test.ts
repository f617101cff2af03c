import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError } from '../../src/core/errors.js';
import { tensor } from '../../src/ops/create.js';
import { concatDatasets, fromArray, fromTensors, isTensorDataset, mapDataset, moduleDataset, subset, type Dataset } from '../../src/data/dataset.js';
import { breastCancer } from '../../src/data/datasets.js';

const x = tensor([
  [0, 1],
  [2, 3],
  [4, 5],
  [6, 7],
]);
const y = tensor([10, 11, 12, 13], { dtype: 'int32' });
const rowsOf = <T>(ds: Dataset<T>): T[] => Array.from({ length: ds.length }, (_, i) => ds.get(i));
const values = (row: readonly { toArray(): unknown }[]) => row.map((t) => t.toArray());

describe('fromTensors', () => {
  it('gives row i of each tensor as item i, keeping dtypes', () => {
    const ds = fromTensors(x, y);
    expect(ds.length).toBe(4);
    const [xi, yi] = ds.get(2);
    expect(xi.toArray()).toEqual([4, 5]);
    expect(xi.shape).toEqual([2]);
    expect(yi.item()).toBe(12);
    expect(yi.dtype).toBe('int32');
    expect(yi.shape).toEqual([]);
    expect(isTensorDataset(ds)).toBe(true);
  });

  it('reads the bundled breast-cancer set as 569 rows of 30 features and a label', () => {
    const { x: bx, y: by } = breastCancer();
    const ds = fromTensors(bx, by);
    expect(ds.length).toBe(569);
    const [features, label] = ds.get(568);
    expect(features.toArray()).toEqual(bx.toArray()[568]);
    expect(label.item()).toBe(by.toArray()[568]);
  });

  it('throws on different row counts, scalars, no tensors and out-of-range indices', () => {
    expect(() => fromTensors(x, tensor([1, 2, 3]) as never)).toThrow(new ShapeError('fromTensors: row counts differ: 4 vs 3'));
    expect(() => fromTensors(tensor(3) as never)).toThrow(ShapeError);
    expect(() => (fromTensors as (...a: unknown[]) => unknown)()).toThrow(/needs at least one tensor/);
    const ds = fromTensors(x);
    expect(() => ds.get(4)).toThrow(new ValueError('dataset.get: index 4 is out of range for a dataset of length 4'));
    expect(() => ds.get(-1)).toThrow(ValueError);
    expect(() => ds.get(1.5)).toThrow(ValueError);
  });
});

describe('fromArray, mapDataset, subset, concatDatasets', () => {
  it('fromArray copies the array', () => {
    const items = [1, 2, 3];
    const ds = fromArray(items);
    items[0] = 99;
    expect(rowsOf(ds)).toEqual([1, 2, 3]);
    expect(() => ds.get(3)).toThrow(ValueError);
  });

  it('mapDataset applies f to each item and index, data-first or data-last', () => {
    const ds = fromArray(['a', 'b']);
    expect(rowsOf(mapDataset(ds, (s, i) => `${s}${i}`))).toEqual(['a0', 'b1']);
    expect(rowsOf(mapDataset((s: string) => s.toUpperCase())(ds))).toEqual(['A', 'B']);
    expect(() => mapDataset(ds, 3 as never)).toThrow(ValueError);
  });

  it('works with a user object that has length and get', () => {
    const squares: Dataset<number> = { length: 5, get: (i) => i * i };
    expect(rowsOf(subset(squares, [4, 1, 1]))).toEqual([16, 1, 1]);
    expect(rowsOf(mapDataset(squares, (v) => v + 1))).toEqual([1, 2, 5, 10, 17]);
  });

  it('subset picks items in the given order; a tensor subset is still a tensor dataset', () => {
    const ds = fromTensors(x, y);
    const sub = subset(ds, [3, 0]);
    expect(isTensorDataset(sub)).toBe(true);
    expect(rowsOf(sub).map(values)).toEqual([
      [[6, 7], 13],
      [[0, 1], 10],
    ]);
    expect(rowsOf(subset([2])(fromArray(['a', 'b', 'c'])))).toEqual(['c']);
    expect(rowsOf(subset(fromArray(['a', 'b']), tensor([1], { dtype: 'int32' })))).toEqual(['b']);
    expect(() => subset(ds, [4])).toThrow(new ValueError('subset: index 4 is out of range for a dataset of length 4'));
    expect(() => subset(ds, tensor([0.5]) as never)).toThrow(/int32 tensor of rank 1/);
  });

  it('concatDatasets chains datasets, skipping empty ones, and joins matching tensor datasets', () => {
    const ds = concatDatasets(fromArray([1, 2]), fromArray<number>([]), fromArray([3]), { length: 2, get: (i: number) => 10 + i });
    expect(ds.length).toBe(5);
    expect(rowsOf(ds)).toEqual([1, 2, 3, 10, 11]);
    expect(() => ds.get(5)).toThrow(ValueError);

    const joined = concatDatasets(fromTensors(x, y), subset(fromTensors(x, y), [1]));
    expect(isTensorDataset(joined)).toBe(true);
    expect(joined.length).toBe(5);
    expect(values(joined.get(4))).toEqual([[2, 3], 11]);
    expect(() => concatDatasets()).toThrow(/needs at least one dataset/);
  });
});

describe('moduleDataset', () => {
  it('records where workers can import the dataset and behaves as the dataset', () => {
    const ds = moduleDataset(import.meta.url, { length: 3, get: (i: number) => i * 2 }, 'squares');
    expect(ds.origin).toEqual({ url: import.meta.url, exportName: 'squares' });
    expect(rowsOf(ds)).toEqual([0, 2, 4]);
    expect(() => moduleDataset('./relative.ts', fromArray([1]))).toThrow(/file URL/);
  });
});
