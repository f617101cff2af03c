import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, ValueError } from '../../src/core/errors.js';
import { breastCancer } from '../../src/data/datasets.js';
import { minMaxScaler, standardScaler } from '../../src/data/preprocessing.js';
import { trainTestSplit } from '../../src/data/split.js';
import { tensor } from '../../src/ops/create.js';
import { oneHot } from '../../src/ops/gather.js';
import { key, permutation } from '../../src/random/index.js';

const count = <T>(xs: readonly T[], v: T) => xs.filter((x) => x === v).length;

describe('trainTestSplit', () => {
  it('puts the first ceil(testSize * n) samples of permutation(key, n) in the test set and the rest in training', () => {
    const x = tensor(Array.from({ length: 10 }, (_, i) => [i, 10 * i]));
    const ids = Array.from({ length: 10 }, (_, i) => `s${i}`);
    const order = permutation(key(4), 10).toArray();
    const { train, test } = trainTestSplit(key(4), [x, ids], { testSize: 0.25 }); // ceil(2.5) = 3
    expect(test[1]).toEqual(order.slice(0, 3).map((i) => `s${i}`));
    expect(train[1]).toEqual(order.slice(3).map((i) => `s${i}`));
    expect(test[0].toArray()).toEqual(order.slice(0, 3).map((i) => [i, 10 * i]));
    expect(train[0].shape).toEqual([7, 2]);
    // The same key gives the same split; another key another one.
    expect(trainTestSplit(key(4), [ids], { testSize: 0.25 }).test[0]).toEqual(test[1]);
    expect(trainTestSplit(key(5), [ids], { testSize: 0.25 }).test[0]).not.toEqual(test[1]);
  });

  it('splits breast cancer 80/20 into 455 and 114 samples, as scikit-learn and the PyTorch tutorial do', () => {
    const { x, y } = breastCancer();
    const { train, test } = trainTestSplit(key(1234), [x, y], { testSize: 0.2 });
    expect(train[0].shape).toEqual([455, 30]);
    expect(train[1].shape).toEqual([455]);
    expect(test[0].shape).toEqual([114, 30]);
    // Rows stay paired with their labels.
    const all = new Map(x.toArray().map((row, i) => [row.join(','), y.toArray()[i]]));
    test[0].toArray().forEach((row, i) => expect(all.get(row.join(','))).toBe(test[1].toArray()[i]));
  });

  it('takes a record and a whole number of test samples', () => {
    const { train, test } = trainTestSplit(key(0), { a: [1, 2, 3, 4, 5], b: ['a', 'b', 'c', 'd', 'e'] }, { testSize: 2 });
    expect(test.a.length).toBe(2);
    expect(train.a.length).toBe(3);
    expect(test.b).toEqual(test.a.map((v) => 'abcde'[v - 1]));
    expect([...train.a, ...test.a].sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('stratifies: each class gets its share of the test set, rounded by largest remainders', () => {
    // Classes of 5, 3 and 2 samples; 3 test samples: exact shares 1.5, 0.9, 0.6 -> floors 1, 0, 0 ->
    // the two left over go to the largest remainders (0.9, 0.6): 1, 1, 1.
    const labels = ['a', 'a', 'a', 'a', 'a', 'b', 'b', 'b', 'c', 'c'];
    const idx = labels.map((_, i) => i);
    for (const seed of [0, 1, 2, 3]) {
      const { train, test } = trainTestSplit(key(seed), [idx], { testSize: 0.3, stratify: labels });
      const testLabels = test[0].map((i) => labels[i]!);
      expect([count(testLabels, 'a'), count(testLabels, 'b'), count(testLabels, 'c')]).toEqual([1, 1, 1]);
      expect([...train[0], ...test[0]].sort((p, q) => p - q)).toEqual(idx);
    }
    // Breast cancer: 212 malignant, 357 benign; 114 test samples -> shares 42.47 and 71.53 ->
    // floors 42 + 71, and the spare one goes to the larger remainder (0.53): 42 + 72.
    const { x, y } = breastCancer();
    const { test } = trainTestSplit(key(9), [x, y], { testSize: 0.2, stratify: y });
    const testY = test[1].toArray();
    expect([count(testY, 0), count(testY, 1)]).toEqual([42, 72]);
  });

  it('throws for test sizes that leave a set empty, differing sample counts and bad labels', () => {
    const xs = [1, 2, 3, 4];
    for (const bad of [0, -0.5, 4, 5, 1.5, Number.NaN]) {
      expect(() => trainTestSplit(key(0), [xs], { testSize: bad })).toThrow(ValueError);
    }
    expect(() => trainTestSplit(key(0), [xs], { testSize: 4 })).toThrow(new ValueError('trainTestSplit: testSize 4 leaves no training samples out of 4'));
    expect(() => trainTestSplit(key(0), [xs, [1, 2, 3]], { testSize: 0.5 })).toThrow(new ShapeError('trainTestSplit: sample counts differ: 0 has 4, 1 has 3'));
    expect(() => trainTestSplit(key(0), [xs], { testSize: 0.5, stratify: [0, 1] })).toThrow(/2 labels for 4 samples/);
    expect(() => trainTestSplit(key(0), [tensor(1)] as never, { testSize: 0.5 })).toThrow(/scalar/);
  });
});

describe('standardScaler', () => {
  const x = tensor([
    [1, 10],
    [3, 10],
    [5, 10],
  ]);

  it('fits per-feature mean and population std (a constant feature keeps scale 1) as plain numbers', () => {
    const s = standardScaler.fit(x);
    expect(s.mean).toEqual([3, 10]);
    expect(s.scale[0]).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(s.scale[1]).toBe(1);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('transforms with the fitted statistics, purely, and inverts', () => {
    const s = standardScaler.fit(x);
    const z = standardScaler.transform(s, x);
    const r = 2 / Math.sqrt(8 / 3); // 1.2247...
    expect(z).toBeAllclose(
      tensor([
        [-r, 0],
        [0, 0],
        [r, 0],
      ]),
      { rtol: 1e-6, atol: 1e-6 },
    );
    expect(z.dtype).toBe('float32');
    // Test data use the training statistics, not their own.
    expect(standardScaler.transform(s, tensor([[3 + Math.sqrt(8 / 3), 12]])).toArray()[0]).toEqual([expect.closeTo(1, 6), 2]);
    expect(standardScaler.inverseTransform(s, z)).toBeAllclose(x, { rtol: 1e-6, atol: 1e-6 });
    expect(x.toArray()[0]).toEqual([1, 10]); // input untouched
  });

  it('standardises breast cancer to mean 0 and std 1 per column', () => {
    const { x: bx } = breastCancer();
    const z = standardScaler.fit(standardScaler.transform(standardScaler.fit(bx), bx));
    for (const m of z.mean) expect(Math.abs(m)).toBeLessThan(1e-6);
    for (const sd of z.scale) expect(sd).toBeCloseTo(1, 5);
  });

  it('keeps float64, and rejects other feature counts, int tensors and bad statistics', () => {
    const x64 = tensor([[1], [2]], { dtype: 'float64' });
    expect(standardScaler.transform(standardScaler.fit(x64), x64).dtype).toBe('float64');
    expect(() => standardScaler.transform(standardScaler.fit(x), tensor([[1, 2, 3]]))).toThrow(
      new ShapeError('standardScaler.transform: x of shape [1,3] has 3 features per sample, the statistics were fit on 2'),
    );
    expect(() => standardScaler.fit(tensor([[1, 2]], { dtype: 'int32' }) as never)).toThrow(DTypeError);
    expect(() => standardScaler.transform({ mean: [0] } as never, x)).toThrow(/expected statistics \{ mean, scale \}/);
  });
});

describe('minMaxScaler', () => {
  const x = tensor([
    [0, 5],
    [10, 5],
    [5, 5],
  ]);

  it('maps each feature onto [0, 1] by its training min and max (a constant feature to 0)', () => {
    const s = minMaxScaler.fit(x);
    expect(s).toEqual({ min: [0, 5], max: [10, 5], range: [0, 1] });
    expect(minMaxScaler.transform(s, x).toArray()).toEqual([
      [0, 0],
      [1, 0],
      [0.5, 0],
    ]);
    // Test values may fall outside the range.
    expect(minMaxScaler.transform(s, tensor([[20, 6]])).toArray()).toEqual([[2, 1]]);
  });

  it('maps onto another range', () => {
    const s = minMaxScaler.fit(x, { range: [-1, 1] });
    expect(minMaxScaler.transform(s, x).toArray()).toEqual([
      [-1, -1],
      [1, -1],
      [0, -1],
    ]);
    expect(() => minMaxScaler.fit(x, { range: [1, 1] })).toThrow(ValueError);
  });
});

describe('oneHot (the ops one, for labels)', () => {
  it('turns int32 class indices into one-hot rows', () => {
    expect(oneHot(tensor([2, 0, 1], { dtype: 'int32' }), 3).toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
      [0, 1, 0],
    ]);
  });
});
