/**
 * @internal Argument checks and the keyed index stream shared by the sync and
 * async iterator combinators. Not part of the public API.
 */
import { platform } from '../platform/index.js';
import { ValueError } from '../core/errors.js';
import { checkKey, foldIn, type Key } from '../random/key.js';
import { randomBits } from '../random/threefry.js';

/** @internal Throws a ValueError unless `n` is an integer >= 1. `checkPositive('batch', 0)` throws. */
export function checkPositive(op: string, what: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
    throw new ValueError(`${op}: ${what} must be a positive integer, got ${describeNumber(n)}`);
  }
  return n;
}

/** @internal Throws a ValueError unless `n` is an integer >= 0. `checkCount('take', -1)` throws. */
export function checkCount(op: string, what: string, n: unknown): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    throw new ValueError(`${op}: ${what} must be a non-negative integer, got ${describeNumber(n)}`);
  }
  return n;
}

function describeNumber(n: unknown): string {
  return typeof n === 'string' ? JSON.stringify(n) : String(n);
}

/** Words drawn per derived block key. */
const BLOCK = 256;

/**
 * @internal A deterministic source of uniform integers for one pass of a
 * shuffle: the words of block `b` are `randomBits(foldIn(key, b), 256)`, so
 * the stream depends only on the key. `below(m)` is uniform on `[0, m)`
 * (rejection sampling, no modulo bias).
 *
 * @example
 * ```ts
 * const r = indexStream(random.key(0), 'example');
 * r.below(10); // the same first value for key 0 on every run
 * ```
 */
export function indexStream(key: Key, op: string): { below(m: number): number } {
  const k = checkKey(op, key);
  let block = 0;
  let words: Uint32Array = new Uint32Array(0);
  let at = 0;
  const next = (): number => {
    if (at === words.length) {
      const bk = foldIn(k, block++);
      words = randomBits(bk.words[0], bk.words[1], BLOCK);
      at = 0;
    }
    return words[at++]!;
  };
  return {
    below(m: number): number {
      // Accept words below the largest multiple of m that fits in 2^32.
      const limit = 2 ** 32 - (2 ** 32 % m);
      for (;;) {
        const w = next();
        if (w < limit) return w % m;
      }
    },
  };
}

/**
 * The most worker threads a loader or `workerMap` may start: 4 per core
 * (`4 * availableParallelism()`, at least 8). Each thread is a whole
 * JavaScript engine (tens of MB and tens of ms to start), so beyond a few
 * per core more threads only cost memory and start-up time.
 *
 * @example
 * ```ts
 * import { maxWorkers } from 'typegrad';
 * maxWorkers() >= 8; // true
 * ```
 */
export function maxWorkers(): number {
  return Math.max(8, 4 * platform().cpus());
}

/** @internal Throws a ValueError when `n` worker threads is more than {@link maxWorkers}. */
export function checkWorkers(op: string, n: number): number {
  const max = maxWorkers();
  if (n > max) {
    throw new ValueError(`${op}: workers ${n} is more than the useful maximum ${max} (4 per core: maxWorkers()); each worker thread is a whole JavaScript engine`);
  }
  return n;
}
