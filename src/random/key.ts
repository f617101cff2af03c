/**
 * PRNG keys, the JAX way: a key is a plain immutable value (two uint32 words),
 * never a generator with hidden state. Sampling with a key does not change
 * it; to get fresh randomness, derive new keys with `split` or `foldIn` and
 * pass them on, as state in and state out.
 */
import { TraceError, ValueError } from '../core/errors.js';
import type { AnyTensor } from '../core/tensor.js';
import { checkMaxSize, describe, type SizeOptions } from './checks.js';

/** Default most keys one split makes; use foldIn(key, i) to derive keys one at a time. */
const MAX_SPLIT = 2 ** 20;
import { threefry2x32, randomBits } from './threefry.js';

const keyBrand = Symbol('typegrad.random.Key');

/**
 * A PRNG key: two uint32 words, frozen. Only `key`, `split` and `foldIn` make
 * them, so a plain `{ words: [0, 0] }` is rejected by the type checker and at
 * run time. `words[0]` holds the high and `words[1]` the low 32 bits of the
 * seed, as in JAX's `PRNGKey`.
 *
 * @example
 * ```ts
 * import { random } from 'typegrad';
 * const k: random.Key = random.key(42);
 * k.words; // [0, 42]
 * ```
 */
export interface Key {
  readonly [keyBrand]: true;
  /** The two uint32 words `[k0, k1]` that key the Threefry hash. */
  readonly words: readonly [number, number];
}

/** @internal Wraps two uint32 words as a frozen, branded key. */
export function makeKey(k0: number, k1: number): Key {
  const words = Object.freeze([k0 >>> 0, k1 >>> 0] as const);
  return Object.freeze(Object.defineProperty({ words }, keyBrand, { value: true, enumerable: false })) as Key;
}

/**
 * @internal A batch of keys inside `vmap`: one key per batch element, and
 * how to join the per-element samples into one batched value of the vmap.
 */
export interface KeyBatch {
  readonly keys: readonly Key[];
  readonly join: (parts: readonly AnyTensor[]) => AnyTensor;
}

const keyBatches = new WeakMap<object, KeyBatch>();

/**
 * @internal The key a function mapped by `vmap` sees for a batch of keys. It
 * is a key to the type checker and to `isKey`; every sampler, `split` and
 * `foldIn` act on each key of the batch, so a batch of keys gives a batch of
 * independent streams. Its `words` differ per element and cannot be read.
 */
export function batchedKey(batch: KeyBatch): Key {
  const k = Object.defineProperty({}, 'words', {
    enumerable: true,
    get: () => {
      throw new TraceError('random: this key stands for a batch of keys inside vmap; its words differ per batch element and cannot be read');
    },
  });
  Object.defineProperty(k, keyBrand, { value: true, enumerable: false });
  keyBatches.set(k, batch);
  return Object.freeze(k) as Key;
}

/** @internal The batch behind a key made by {@link batchedKey}, else undefined. */
export function keyBatchOf(key: unknown): KeyBatch | undefined {
  return typeof key === 'object' && key !== null ? keyBatches.get(key) : undefined;
}

/** @internal For a batch of keys: `sample` with every key, joined into one batched value; undefined for an ordinary key. */
export function samplePerKey<T>(key: unknown, sample: (k: Key) => T): T | undefined {
  const batch = keyBatchOf(key);
  return batch === undefined ? undefined : (batch.join(batch.keys.map((k) => sample(k) as unknown as AnyTensor)) as unknown as T);
}

/**
 * True for a key made by `key`, `split` or `foldIn`.
 *
 * @example
 * ```ts
 * import { random } from 'typegrad';
 * random.isKey(random.key(0));     // true
 * random.isKey({ words: [0, 0] }); // false
 * ```
 */
export function isKey(value: unknown): value is Key {
  return typeof value === 'object' && value !== null && (value as { [keyBrand]?: unknown })[keyBrand] === true;
}

/** @internal Throws unless `value` is a key; names the op. */
export function checkKey(op: string, value: unknown): Key {
  if (isKey(value)) return value;
  throw new ValueError(`${op}: expected a key from random.key, random.split or random.foldIn, got ${describe(value)}`);
}

/** Checks a non-negative safe integer and cuts it into its high and low uint32 words. */
function toWords(op: string, what: string, value: unknown): [number, number] {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new ValueError(`${op}: ${what} must be an integer in [0, 2^53 - 1], got ${describe(value)}`);
  }
  return [Math.floor(value / 2 ** 32), value >>> 0];
}

/**
 * A key from an integer seed in [0, 2^53 - 1]: the words are the seed's high
 * and low 32 bits, so `key(s)` is `[0, s]` for seeds below 2^32, like JAX's
 * `PRNGKey(s)`. The same seed gives the same numbers on every run and machine.
 *
 * @example
 * ```ts
 * import { random } from 'typegrad';
 * const k = random.key(0);
 * random.uniform(k, [3]).toArray(); // three floats in [0, 1), the same every run
 * ```
 */
export function key(seed: number): Key {
  const [hi, lo] = toWords('random.key', 'seed', seed);
  return makeKey(hi, lo);
}

/** `n` keys as a tuple when `n` is a literal (up to 64), else `Key[]`. */
export type KeyTuple<N extends number> = N extends unknown ? (number extends N ? Key[] : BuildKeys<N, []>) : never;
type BuildKeys<N extends number, Acc extends Key[]> = Acc['length'] extends N
  ? Acc
  : Acc['length'] extends 64
    ? Key[]
    : BuildKeys<N, [...Acc, Key]>;

/**
 * `n` new keys (2 by default), independent of each other and of `key`, which
 * stays usable and unchanged. As in JAX's Threefry `split`: hash the counters
 * `0 .. 2n-1` under `key` (paired first half with second half, see
 * `randomBits`) and read the `2n` words as `n` pairs. `split(k)` is typed
 * `[Key, Key]`, `split(k, 3)` is `[Key, Key, Key]`. At most 2^20 keys per
 * call unless `options.maxSize` says more (each key is an object); for many
 * keys, derive them one at a time with `foldIn(key, i)`.
 *
 * @example
 * ```ts
 * import { random } from 'typegrad';
 * let k = random.key(0);
 * const [next, sub] = random.split(k);
 * const x = random.normal(sub, [2]);
 * k = next; // carry `next` on; never sample twice with `sub`
 * ```
 */
export function split<const N extends number = 2>(key: Key, n?: N, options: SizeOptions = {}): KeyTuple<N> {
  const batch = keyBatchOf(key);
  if (batch !== undefined) {
    // Each element's key splits into its own n keys: key j of the result is the batch of every element's j-th key.
    const parts = batch.keys.map((k) => split(k, n, options) as Key[]);
    const count = parts[0]?.length ?? split(makeKey(0, 0), n).length;
    return Array.from({ length: count }, (_, j) => batchedKey({ ...batch, keys: parts.map((p) => p[j]!) })) as KeyTuple<N>;
  }
  const [k0, k1] = checkKey('random.split', key).words;
  const count: unknown = n === undefined ? 2 : n;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 0 || count > 2 ** 31 - 1) {
    throw new ValueError(`random.split: n must be an integer in [0, 2^31 - 1], got ${describe(count)}`);
  }
  // Each key is an object (~100 bytes): 1e8 of them would exhaust the heap.
  checkMaxSize('random.split', 'n', count, options, MAX_SPLIT);
  const bits = randomBits(k0, k1, 2 * count);
  const keys: Key[] = new Array(count);
  for (let i = 0; i < count; i++) keys[i] = makeKey(bits[2 * i]!, bits[2 * i + 1]!);
  return keys as KeyTuple<N>;
}

/**
 * A new key that mixes `data` (an integer in [0, 2^53 - 1], such as a step
 * number or a layer index) into `key`: the Threefry hash of the counter pair
 * (high word, low word) of `data` under `key`, as JAX's `fold_in` does for
 * 32-bit data. Different data give independent keys.
 *
 * @example
 * ```ts
 * import { random } from 'typegrad';
 * const base = random.key(0);
 * const perStep = (step: number) => random.foldIn(base, step);
 * random.uniform(perStep(7), [2]); // the same two numbers whenever step is 7
 * ```
 */
export function foldIn(key: Key, data: number): Key {
  const batch = keyBatchOf(key);
  if (batch !== undefined) return batchedKey({ ...batch, keys: batch.keys.map((k) => foldIn(k, data)) });
  const [k0, k1] = checkKey('random.foldIn', key).words;
  const [hi, lo] = toWords('random.foldIn', 'data', data);
  const x0 = Uint32Array.of(hi);
  const x1 = Uint32Array.of(lo);
  threefry2x32(k0, k1, x0, x1);
  return makeKey(x0[0]!, x1[0]!);
}
