/**
 * Data augmentation with explicit keys: `randomCrop` and
 * `randomHorizontalFlip` on image batches `[N, C, H, W]`, and `augment`,
 * which wraps a loader so each batch is transformed lazily, as it is
 * produced, with the key `foldIn(foldIn(key, epoch), index)`. The same
 * `(key, epoch, index)` always gives the same batch, so resuming from a
 * position or reading `at(position)` repeats it exactly.
 *
 * These are data transforms, not differentiable ops: they read the
 * values of their input and make new tensors.
 *
 * @example
 * ```ts
 * import { augment, loader, random, randomCrop, randomHorizontalFlip } from 'typegrad';
 * // hidden: declare const images: TensorDataset<[Tensor<[1, 28, 28]>, Tensor<[], 'int32'>]>; declare const key: ReturnType<typeof random.key>;
 * const train = augment(loader(images, { batchSize: 64, shuffle: true, key }), random.key(1), (k, [x, y]) => {
 *   const [kc, kf] = random.split(k);
 *   return [randomHorizontalFlip(kf, randomCrop(kc, x, { padding: 2 })), y];
 * });
 * ```
 *
 * @module
 */
import type { DType } from '../core/dtype.js';
import { ShapeError, ValueError, formatShape, inOp } from '../core/errors.js';
import { type Tensor, dimsOf, fromStorage, storageOf } from '../core/tensor.js';
import { bernoulli, randint } from '../random/distributions.js';
import { checkKey, foldIn, type Key } from '../random/key.js';
import type { Shape } from '../shape/dim.js';
import type { Loader, LoaderPosition, Step } from './loader.js';

function images(op: string, x: Tensor<Shape, DType>): [number, number, number, number] {
  const s = dimsOf(x);
  if (s.length !== 4) throw new ShapeError(`${op}: needs images [N,C,H,W], got ${formatShape(s)}`);
  return s as [number, number, number, number];
}

/**
 * Random crops of the same size as the input from each image padded with
 * `padding` zeros on every side (torchvision's `RandomCrop(size, padding)`
 * with the size of the input): image `n` is shifted by offsets drawn
 * uniformly from `[-padding, padding]` in each direction, one pair per image.
 *
 * @example
 * ```ts
 * randomCrop(random.key(0), zeros([64, 1, 28, 28]), { padding: 2 }); // Tensor<[64, 1, 28, 28]>
 * ```
 */
export function randomCrop<S extends Shape, D extends DType>(key: Key, x: Tensor<S, D>, options: { readonly padding: number }): Tensor<S, D> {
  const op = 'randomCrop';
  checkKey(op, key);
  const [n, c, h, w] = images(op, x);
  const pad = options?.padding;
  if (typeof pad !== 'number' || !Number.isInteger(pad) || pad < 0) throw new ValueError(`${op}: padding must be a non-negative integer, got ${String(pad)}`);
  const shifts = storageOf(randint(key, [n, 2], -pad, pad + 1).concrete());
  const src = storageOf(x.concrete());
  const out = new (src.constructor as new (n: number) => typeof src)(src.length);
  const plane = h * w;
  for (let i = 0; i < n; i++) {
    const dy = shifts[2 * i]!, dx = shifts[2 * i + 1]!;
    for (let ch = 0; ch < c; ch++) {
      const base = (i * c + ch) * plane;
      // out[r, q] = x[r + dy, q + dx], zero outside the image
      for (let r = 0; r < h; r++) {
        const sr = r + dy;
        if (sr < 0 || sr >= h) continue;
        for (let q = Math.max(0, -dx); q < Math.min(w, w - dx); q++) out[base + r * w + q] = src[base + sr * w + q + dx]!;
      }
    }
  }
  return fromStorage(out, dimsOf(x), x.dtype);
}

/**
 * Mirrors each image left to right with probability `p` (default 0.5),
 * one draw per image.
 *
 * @example
 * ```ts
 * randomHorizontalFlip(random.key(0), zeros([64, 1, 28, 28])); // Tensor<[64, 1, 28, 28]>
 * ```
 */
export function randomHorizontalFlip<S extends Shape, D extends DType>(key: Key, x: Tensor<S, D>, p = 0.5): Tensor<S, D> {
  try {
    const op = 'randomHorizontalFlip';
    const [n, c, h, w] = images(op, x);
    const flip = storageOf(bernoulli(key, p, [n]).concrete());
    const src = storageOf(x.concrete());
    const out = src.slice();
    for (let i = 0; i < n; i++) {
      if (flip[i] === 0) continue;
      for (let row = (i * c) * h; row < (i + 1) * c * h; row++) {
        const base = row * w;
        for (let q = 0; q < w; q++) out[base + q] = src[base + w - 1 - q]!;
      }
    }
    return fromStorage(out, dimsOf(x), x.dtype);
  } catch (e) {
    throw inOp('randomHorizontalFlip', e);
  }
}

/**
 * A loader whose batches are `f(foldIn(foldIn(key, epoch), index), batch)`:
 * the transform runs lazily, once per batch produced, and is a pure
 * function of the key and the batch's position. Everything else (length,
 * epochs, positions, `at`, `from`) is the inner loader's.
 *
 * @example
 * ```ts
 * // hidden: declare const train: Loader<[Tensor<[64, 784]>, Tensor<[64], 'int32'>]>;
 * const noisy = augment(train, random.key(1), (k, [x, y]) => [add(x, random.normal(k, x.shape, { std: 0.1 })), y]);
 * ```
 */
export function augment<B, C>(inner: Loader<B>, key: Key, f: (key: Key, batch: B) => C): Loader<C> {
  checkKey('augment', key);
  if (typeof f !== 'function') throw new ValueError('augment: the transform must be a function (key, batch) => batch');
  const keyAt = (p: LoaderPosition) => foldIn(foldIn(key, p.epoch), p.index);
  const step = (s: Step<B>): Step<C> => ({ batch: f(keyAt(s), s.batch), epoch: s.epoch, index: s.index, next: s.next });
  const wrap = (l: Loader<B>): Loader<C> => {
    const steps = () => {
      const sync = l.steps();
      return {
        *[Symbol.iterator]() {
          for (const s of sync) yield step(s);
        },
        async *[Symbol.asyncIterator]() {
          for await (const s of sync) yield step(s);
        },
      };
    };
    return {
      batchSize: l.batchSize,
      length: l.length,
      start: l.start,
      epochs: l.epochs,
      epoch: (e) => wrap(l.epoch(e)),
      from: (p) => wrap(l.from(p)),
      steps,
      at: (p) => f(keyAt(p), l.at(p)),
      [Symbol.iterator]: function* () {
        for (const s of steps()) yield s.batch;
      },
      [Symbol.asyncIterator]: async function* () {
        for await (const s of steps()) yield s.batch;
      },
    } as Loader<C>;
  };
  return wrap(inner);
}
