import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { breastCancer, digits, fashionMnist, iris, wine } from '../../src/data/datasets.js';
import { DatasetError } from '../../src/data/errors.js';
import { encodeIdx } from '../../src/data/idx.js';

/** How many times each label occurs, by label. */
function counts(labels: readonly number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const c of labels) out[c] = (out[c] ?? 0) + 1;
  return out;
}

const f32 = Math.fround;

describe('bundled datasets', () => {
  it('breastCancer: [569, 30] float32 features, float32 labels 0 (malignant) / 1 (benign)', () => {
    const { x, y, featureNames, targetNames } = breastCancer();
    expect([x.shape, x.dtype, y.shape, y.dtype]).toEqual([[569, 30], 'float32', [569], 'float32']);
    expect(counts(y.toArray())).toEqual({ 0: 212, 1: 357 });
    expect(targetNames).toEqual(['malignant', 'benign']);
    expect(featureNames).toHaveLength(30);
    expect([featureNames[0], featureNames[10], featureNames[29]]).toEqual(['mean radius', 'radius error', 'worst fractal dimension']);
    const first = x.toArray()[0]!;
    expect(first.slice(0, 4)).toEqual([f32(17.99), f32(10.38), f32(122.8), 1001]);
    expect(first[29]).toBe(f32(0.1189));
    expect(y.toArray()[0]).toBe(0);
  });

  it('wine: [178, 13] features, labels 0..2 from the file classes 1..3', () => {
    const { x, y, featureNames, targetNames } = wine();
    expect([x.shape, y.shape, y.dtype]).toEqual([[178, 13], [178], 'int32']);
    expect(counts(y.toArray())).toEqual({ 0: 59, 1: 71, 2: 48 });
    expect(featureNames).toHaveLength(13);
    expect([featureNames[0], featureNames[12]]).toEqual(['Alcohol', 'Proline']);
    expect(targetNames).toEqual(['1', '2', '3']);
    expect(x.toArray()[0]).toEqual([14.23, 1.71, 2.43, 15.6, 127, 2.8, 3.06, 0.28, 2.29, 5.64, 1.04, 3.92, 1065].map(f32));
  });

  it('iris: [150, 4] features, 50 of each of three species', () => {
    const { x, y, featureNames, targetNames } = iris();
    expect([x.shape, y.shape, y.dtype]).toEqual([[150, 4], [150], 'int32']);
    expect(counts(y.toArray())).toEqual({ 0: 50, 1: 50, 2: 50 });
    expect(targetNames).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(featureNames[0]).toBe('sepal length (cm)');
    expect(x.toArray()[0]).toEqual([5.1, 3.5, 1.4, 0.2].map(f32));
  });

  it('digits: [1797, 64] pixels 0..16, labels 0..9', () => {
    const { x, y, featureNames } = digits();
    expect([x.shape, y.shape, y.dtype]).toEqual([[1797, 64], [1797], 'int32']);
    const pixels = x.toTypedArray();
    expect(pixels.reduce((a, b) => Math.min(a, b))).toBe(0);
    expect(pixels.reduce((a, b) => Math.max(a, b))).toBe(16);
    const c = counts(y.toArray());
    expect(Object.keys(c).map(Number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(c[0]).toBe(178);
    expect(x.toArray()[0]!.slice(0, 8)).toEqual([0, 0, 5, 13, 9, 1, 0, 0]);
    expect(y.toArray()[0]).toBe(0);
    expect(featureNames[9]).toBe('pixel_1_1');
  });

  it('each call returns new tensors', () => {
    expect(iris().x).not.toBe(iris().x);
  });
});

describe('fashionMnist', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  /** Writes a Fashion-MNIST-shaped set (`train` x `test` images) into a new folder; pixel i of image n is (n + i) % 256. */
  function writeSet(train: number, test: number, gz: boolean): string {
    const dir = mkdtempSync(join(tmpdir(), 'typegrad-fmnist-'));
    dirs.push(dir);
    const write = (name: string, bytes: Uint8Array) =>
      gz ? writeFileSync(join(dir, `${name}.gz`), gzipSync(bytes, { level: 1 })) : writeFileSync(join(dir, name), bytes);
    for (const [prefix, n] of [['train', train], ['t10k', test]] as const) {
      const images = new Uint8Array(n * 784);
      for (let k = 0; k < n; k++) for (let i = 0; i < 784; i++) images[k * 784 + i] = (k + i) % 256;
      const labels = Uint8Array.from({ length: n }, (_, k) => k % 10);
      write(`${prefix}-images-idx3-ubyte`, encodeIdx({ dtype: 'uint8', dims: [n, 28, 28], data: images }));
      write(`${prefix}-labels-idx1-ubyte`, encodeIdx({ dtype: 'uint8', dims: [n], data: labels }));
    }
    return dir;
  }

  it('says how to get the files when they are missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'typegrad-empty-'));
    dirs.push(dir);
    expect(() => fashionMnist({ dir })).toThrow(DatasetError);
    expect(() => fashionMnist({ dir })).toThrow(/cannot find train-images-idx3-ubyte\.gz, .*apt-get install dataset-fashion-mnist.*fashionMnist\(\{ dir \}\)/);
  });

  it('reads the four files into [N, 784] pixels in [0, 1] and int32 labels', () => {
    const dir = writeSet(60000, 10000, true);
    const { train, test, targetNames } = fashionMnist({ dir });
    expect([train.x.shape, train.x.dtype, train.y.shape, train.y.dtype]).toEqual([[60000, 784], 'float32', [60000], 'int32']);
    expect([test.x.shape, test.y.shape]).toEqual([[10000, 784], [10000]]);
    const px = test.x.toTypedArray();
    // image 1, pixel 0 is byte 1; image 0, pixel 255 is byte 255
    expect([px[784], px[255], px[0], px[51]]).toEqual([f32(1 / 255), 1, 0, f32(0.2)]);
    expect(Array.from(train.y.toTypedArray().subarray(0, 12))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    expect(targetNames[9]).toBe('Ankle boot');
  });

  it('accepts uncompressed files', () => {
    const dir = writeSet(60000, 10000, false);
    expect(fashionMnist({ dir }).test.y.shape).toEqual([10000]);
  });

  it('names the file and the expected dims when a file has the wrong size', () => {
    const dir = writeSet(100, 10000, true);
    expect(() => fashionMnist({ dir })).toThrow(/fashionMnist: .*train-images-idx3-ubyte\.gz holds uint8 dims \[100,28,28\], expected uint8 dims \[60000,28,28\]/);
  });
});
