// Augmentation: randomCrop and randomHorizontalFlip are shifts and mirrors
// drawn from the key (same key, same result; inputs unchanged), and augment
// transforms a loader's batches lazily with a key per (epoch, index).
import { describe, expect, it } from 'vitest';
import { ShapeError, ValueError, augment, fromTensors, loader, random, randomCrop, randomHorizontalFlip, tensor, zeros } from '../../src/index.js';

const images = (n: number, h: number, w: number) => tensor(Array.from({ length: n * 2 * h * w }, (_, i) => i + 1), [n, 2, h, w]);

/** The image shifted by (dy, dx) with zeros coming in: out[r][q] = x[r + dy][q + dx]. */
function shifted(x: number[][], dy: number, dx: number): number[][] {
  return x.map((row, r) => row.map((_, q) => x[r + dy]?.[q + dx] ?? 0));
}

describe('randomCrop', () => {
  it('shifts each image by offsets in [-padding, padding], the same for its channels, zeros coming in', () => {
    const x = images(16, 5, 4);
    const before = x.toArray();
    const y = randomCrop(random.key(0), x, { padding: 2 });
    expect(y.shape).toEqual([16, 2, 5, 4]);
    const shifts = new Set<string>();
    y.toArray().forEach((img, n) => {
      const src = before[n]!;
      const match: [number, number][] = [];
      for (let dy = -2; dy <= 2; dy++) for (let dx = -2; dx <= 2; dx++) if (img.every((ch, c) => JSON.stringify(ch) === JSON.stringify(shifted(src[c]!, dy, dx)))) match.push([dy, dx]);
      expect(match.length, `image ${n}`).toBe(1);
      shifts.add(String(match[0]));
    });
    expect(shifts.size).toBeGreaterThan(3);
    expect(x.toArray()).toEqual(before);
    expect(randomCrop(random.key(0), x, { padding: 2 }).toArray()).toEqual(y.toArray());
    expect(randomCrop(random.key(1), x, { padding: 0 }).toArray()).toEqual(before);
  });

  it('checks its arguments', () => {
    expect(() => randomCrop(random.key(0), zeros([2, 3]), { padding: 1 })).toThrow(ShapeError);
    expect(() => randomCrop(random.key(0), zeros([1, 1, 2, 2]), { padding: -1 })).toThrow(ValueError);
  });
});

describe('randomHorizontalFlip', () => {
  it('mirrors the images it draws (all with p = 1, none with p = 0)', () => {
    const x = images(3, 2, 3);
    const mirrored = x.toArray().map((img) => img.map((ch) => ch.map((row) => row.slice().reverse())));
    expect(randomHorizontalFlip(random.key(0), x, 1).toArray()).toEqual(mirrored);
    expect(randomHorizontalFlip(random.key(0), x, 0).toArray()).toEqual(x.toArray());
    const some = randomHorizontalFlip(random.key(3), images(32, 2, 3)).toArray();
    const flipped = some.filter((img, n) => JSON.stringify(img) !== JSON.stringify(images(32, 2, 3).toArray()[n])).length;
    expect(flipped).toBeGreaterThan(4);
    expect(flipped).toBeLessThan(28);
  });
});

describe('augment', () => {
  it('transforms each batch with the key of its (epoch, index), lazily and repeatably', () => {
    const ds = fromTensors(images(10, 3, 3), zeros([10]));
    const base = loader(ds, { batchSize: 4, shuffle: true, key: random.key(0) });
    let calls = 0;
    const aug = augment(base, random.key(9), (k, [x, y]) => {
      calls++;
      return [randomHorizontalFlip(k, x as never), y] as const;
    });
    expect(calls).toBe(0);
    expect(aug.length).toBe(base.length);
    const first = [...aug.epoch(1)].map(([x]) => x.toArray());
    expect(calls).toBe(3);
    const again = [...aug.epoch(1)].map(([x]) => x.toArray());
    expect(again).toEqual(first);
    expect(aug.at({ epoch: 1, index: 2 })[0].toArray()).toEqual(first[2]);
    const epoch0 = [...aug.epoch(0)].map(([x]) => x.toArray());
    expect(epoch0).not.toEqual(first);
    const steps = [...aug.from({ epoch: 0, index: 1 }).steps()];
    expect(steps[0]!.batch[0].toArray()).toEqual(epoch0[1]);
    expect(steps[0]!.index).toBe(1);
  });
});
