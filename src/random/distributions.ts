/**
 * Samplers: each turns a key and a shape into a new tensor, purely. Element i
 * is built from the Threefry words at fixed positions of the key's stream
 * (`randomBits`), so results depend only on the key, the shape and the
 * options, never on call order.
 *
 * Floats take one word per float32 element and two (high word from the first
 * half of the stream, low word from the second) per float64 element.
 */
import type { FloatDType, StorageOf } from '../core/dtype.js';
import { ValueError } from '../core/errors.js';
import { fromStorage, type Tensor } from '../core/tensor.js';
import type { Shape } from '../shape/dim.js';
import { atLeast, atMost, below, checkFinite, checkFloatDType, checkShape, describe, roundTo } from './checks.js';
import { checkKey, samplePerKey, type Key } from './key.js';
import { ndtr, ndtriLower } from './special.js';
import { randomBits } from './threefry.js';

const TWO_POW_32 = 2 ** 32;

/** @internal The 64-bit word `hi * 2^32 + lo` modulo m (m <= 2^32), in 16-bit steps so every product stays below 2^53. */
export function wordsMod(hi: number, lo: number, m: number): number {
  const r = ((hi % m) * 65536 + (lo >>> 16)) % m;
  return (r * 65536 + (lo & 0xffff)) % m;
}

/** Storage for n floats of the dtype. */
function floats<D extends FloatDType>(dtype: D, n: number): StorageOf[D] {
  return (dtype === 'float32' ? new Float32Array(n) : new Float64Array(n)) as StorageOf[D];
}

/** Options of {@link uniform}. */
export interface UniformOptions<D extends FloatDType = 'float32'> {
  /** Inclusive lower bound, default 0. */
  readonly min?: number;
  /** Exclusive upper bound, default 1. */
  readonly max?: number;
  /** `float32` (default) or `float64`. */
  readonly dtype?: D;
}

/**
 * Uniform floats in [min, max) (default [0, 1)). A float32 is built from the
 * top 23 bits of one word (`u = (w >>> 9) / 2^23`), a float64 from the top 52
 * bits of two words, then scaled to `min + u (max - min)`, rounded to the dtype
 * and kept inside [min, max). With the default bounds, float32 results equal
 * JAX's original Threefry `uniform` bit for bit.
 *
 * @example
 * ```ts
 * import { random } from 'typegrad';
 * const x = random.uniform(random.key(0), [2, 3]);                  // Tensor<[2, 3], 'float32'>
 * const y = random.uniform(random.key(1), [4], { min: -1, max: 1, dtype: 'float64' }); // Tensor<[4], 'float64'>
 * random.uniform(random.key(0), []).item(); // 0.41845703125
 * ```
 */
export function uniform<const S extends Shape, D extends FloatDType = 'float32'>(
  key: Key,
  shape: S,
  options: UniformOptions<D> = {},
): Tensor<[...S], D> {
  const batched = samplePerKey(key, (k) => uniform(k, shape, options));
  if (batched !== undefined) return batched;
  const op = 'uniform';
  const [k0, k1] = checkKey(op, key).words;
  const { dims, size } = checkShape(op, shape);
  const dtype = checkFloatDType(op, options.dtype) as D;
  const min = checkFinite(op, 'min', options.min ?? 0);
  const max = checkFinite(op, 'max', options.max ?? 1);
  const span = max - min;
  if (!(span > 0) || !Number.isFinite(span)) {
    throw new ValueError(`${op}: need min < max with a finite difference, got min=${min}, max=${max}`);
  }
  const lo = atLeast(dtype, min);
  const hi = below(dtype, max);
  if (!(lo <= hi)) throw new ValueError(`${op}: no ${dtype} value lies in [${min}, ${max})`);
  const out = floats(dtype, size);
  if (dtype === 'float32') {
    const bits = randomBits(k0, k1, size);
    for (let i = 0; i < size; i++) {
      const v = Math.fround(min + (bits[i]! >>> 9) * 2 ** -23 * span);
      out[i] = v < lo ? lo : v > hi ? hi : v;
    }
  } else {
    const bits = randomBits(k0, k1, 2 * size);
    for (let i = 0; i < size; i++) {
      const u = (bits[i]! * 2 ** 20 + (bits[size + i]! >>> 12)) * 2 ** -52;
      const v = min + u * span;
      out[i] = v < lo ? lo : v > hi ? hi : v;
    }
  }
  return fromStorage<[...S], D>(out, dims, dtype);
}

/** Options of {@link normal}. */
export interface NormalOptions<D extends FloatDType = 'float32'> {
  /** Default 0. */
  readonly mean?: number;
  /** Standard deviation, default 1; must be >= 0. */
  readonly std?: number;
  /** `float32` (default) or `float64`. */
  readonly dtype?: D;
}

/**
 * Normal samples with the given mean and standard deviation, by inverting
 * the CDF: one bit picks the sign, the rest give a lower-tail probability
 * `q = (m + 1/2) / 2^k` in (0, 1/2), and the sample is `+-ndtri(q)`. Exactly
 * one word (float32) or two words (float64) per element, no rejection. The
 * tails reach about 6.0 std (float32, 31 bits) and 8.2 std (float64, 52 bits).
 *
 * @example
 * ```ts
 * import { random } from 'typegrad';
 * const w = random.normal(random.key(0), [3, 4], { std: 0.02 }); // Tensor<[3, 4], 'float32'>
 * ```
 */
export function normal<const S extends Shape, D extends FloatDType = 'float32'>(
  key: Key,
  shape: S,
  options: NormalOptions<D> = {},
): Tensor<[...S], D> {
  const batched = samplePerKey(key, (k) => normal(k, shape, options));
  if (batched !== undefined) return batched;
  const op = 'normal';
  const [k0, k1] = checkKey(op, key).words;
  const { dims, size } = checkShape(op, shape);
  const dtype = checkFloatDType(op, options.dtype) as D;
  const mean = checkFinite(op, 'mean', options.mean ?? 0);
  const std = checkFinite(op, 'std', options.std ?? 1);
  if (std < 0) throw new ValueError(`${op}: std must be >= 0, got ${std}`);
  const out = floats(dtype, size);
  if (dtype === 'float32') {
    const bits = randomBits(k0, k1, size);
    for (let i = 0; i < size; i++) {
      const w = bits[i]!;
      const z = ndtriLower(((w & 0x7fffffff) + 0.5) * 2 ** -32, 1);
      out[i] = mean + std * (w >= 0x80000000 ? -z : z);
    }
  } else {
    const bits = randomBits(k0, k1, 2 * size);
    for (let i = 0; i < size; i++) {
      const w = bits[i]!;
      const m = (w & 0x7fffffff) * 2 ** 21 + (bits[size + i]! >>> 11);
      const z = ndtriLower((m + 0.5) * 2 ** -53, 2);
      out[i] = mean + std * (w >= 0x80000000 ? -z : z);
    }
  }
  return fromStorage<[...S], D>(out, dims, dtype);
}

/** Options of {@link truncatedNormal}. */
export interface TruncatedNormalOptions<D extends FloatDType = 'float32'> {
  /** Lower bound in standard deviations, default -2; may be -Infinity. */
  readonly lower?: number;
  /** Upper bound in standard deviations, default 2; may be Infinity. */
  readonly upper?: number;
  /** `float32` (default) or `float64`. */
  readonly dtype?: D;
}

/**
 * Standard normal samples conditioned on [lower, upper] (default [-2, 2]),
 * by the inverse-CDF method: `x = ndtri(Phi(lower) + u (Phi(upper) - Phi(lower)))`
 * for uniform u, one word (float32) or two (float64) per element, no
 * rejection. The interval is mirrored into the lower half when it lies
 * mostly above 0, so far-tail intervals such as [5, 6] keep their precision.
 * Results lie in [lower, upper] (bounds rounded inward to the dtype).
 *
 * @example
 * ```ts
 * import { random } from 'typegrad';
 * const w = random.truncatedNormal(random.key(0), [256, 128]); // every |w| <= 2
 * ```
 */
export function truncatedNormal<const S extends Shape, D extends FloatDType = 'float32'>(
  key: Key,
  shape: S,
  options: TruncatedNormalOptions<D> = {},
): Tensor<[...S], D> {
  const batched = samplePerKey(key, (k) => truncatedNormal(k, shape, options));
  if (batched !== undefined) return batched;
  const op = 'truncatedNormal';
  const [k0, k1] = checkKey(op, key).words;
  const { dims, size } = checkShape(op, shape);
  const dtype = checkFloatDType(op, options.dtype) as D;
  const lower: unknown = options.lower ?? -2;
  const upper: unknown = options.upper ?? 2;
  if (typeof lower !== 'number' || typeof upper !== 'number' || !(lower < upper)) {
    throw new ValueError(`${op}: need lower < upper, got lower=${describe(lower)}, upper=${describe(upper)}`);
  }
  const lo = atLeast(dtype, lower);
  const hi = atMost(dtype, upper);
  if (!(lo <= hi)) throw new ValueError(`${op}: no ${dtype} value lies in [${lower}, ${upper}]`);
  // Mirror so that the interval [l, u] leans below 0, where Phi keeps relative precision.
  const flip = lower + upper > 0;
  const l = flip ? -upper : lower;
  const u = flip ? -lower : upper;
  const a = ndtr(l);
  const mass = ndtr(u) - a;
  if (!(mass > 0)) throw new ValueError(`${op}: [${lower}, ${upper}] lies so far in the tail that its probability underflows`);
  const steps = dtype === 'float32' ? 1 : 2;
  const out = floats(dtype, size);
  const bits = randomBits(k0, k1, dtype === 'float32' ? size : 2 * size);
  for (let i = 0; i < size; i++) {
    // v in (0, 1): the word(s) plus one half, over 2^32 (float32) or 2^52 (float64).
    const v = dtype === 'float32' ? (bits[i]! + 0.5) * 2 ** -32 : (bits[i]! * 2 ** 20 + (bits[size + i]! >>> 12) + 0.5) * 2 ** -52;
    const p = a + v * mass;
    let x = !(p > 0) ? l : !(p < 1) ? u : p <= 0.5 ? ndtriLower(p, steps) : -ndtriLower(1 - p, steps);
    if (flip) x = -x;
    const r = roundTo(dtype, x);
    out[i] = r < lo ? lo : r > hi ? hi : r;
  }
  return fromStorage<[...S], D>(out, dims, dtype);
}

/**
 * Booleans that are true with probability p, in [0, 1]: element i is
 * `w_i < p 2^32` for its word w_i, so the rate is p to within 2^-32, exactly
 * 0 for p = 0 and exactly 1 for p = 1.
 *
 * @example
 * ```ts
 * import { random } from 'typegrad';
 * const keep = random.bernoulli(random.key(0), 0.9, [128]); // Tensor<[128], 'bool'>, a dropout mask
 * ```
 */
export function bernoulli<const S extends Shape = []>(key: Key, p: number, shape?: S): Tensor<[...S], 'bool'> {
  const batched = samplePerKey(key, (k) => bernoulli(k, p, shape));
  if (batched !== undefined) return batched;
  const op = 'bernoulli';
  const [k0, k1] = checkKey(op, key).words;
  const { dims, size } = checkShape(op, shape ?? []);
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new ValueError(`${op}: p must be a probability in [0, 1], got ${describe(p)}`);
  const threshold = p * TWO_POW_32;
  const bits = randomBits(k0, k1, size);
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = bits[i]! < threshold ? 1 : 0;
  return fromStorage<[...S], 'bool'>(out, dims, 'bool');
}

/**
 * Integers in [minval, maxval), as int32. Each element reduces a 64-bit word
 * pair modulo the range `r = maxval - minval` (at most 2^32): no rejection,
 * and no value's probability differs from 1/r by more than a factor 2^-32.
 *
 * @example
 * ```ts
 * import { random } from 'typegrad';
 * const dice = random.randint(random.key(0), [10], 1, 7); // Tensor<[10], 'int32'>, values 1..6
 * ```
 */
export function randint<const S extends Shape>(key: Key, shape: S, minval: number, maxval: number): Tensor<[...S], 'int32'> {
  const batched = samplePerKey(key, (k) => randint(k, shape, minval, maxval));
  if (batched !== undefined) return batched;
  const op = 'randint';
  const [k0, k1] = checkKey(op, key).words;
  const { dims, size } = checkShape(op, shape);
  if (!Number.isSafeInteger(minval) || !Number.isSafeInteger(maxval)) {
    throw new ValueError(`${op}: minval and maxval must be integers, got minval=${describe(minval)}, maxval=${describe(maxval)}`);
  }
  if (!(minval < maxval)) throw new ValueError(`${op}: need minval < maxval, got minval=${minval}, maxval=${maxval}`);
  if (minval < -(2 ** 31) || maxval > 2 ** 31) {
    throw new ValueError(`${op}: [minval, maxval) must lie within the int32 range [-2^31, 2^31), got [${minval}, ${maxval})`);
  }
  const range = maxval - minval;
  const bits = randomBits(k0, k1, 2 * size);
  const out = new Int32Array(size);
  for (let i = 0; i < size; i++) out[i] = minval + wordsMod(bits[i]!, bits[size + i]!, range);
  return fromStorage<[...S], 'int32'>(out, dims, 'int32');
}
