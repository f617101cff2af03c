/**
 * Scalar random numbers for samplers, from explicit keys. A sampler never
 * holds a generator: the key of a draw is a pure function of the study key,
 * the trial number and the parameter name, so the same history and key give
 * the same suggestions in any process.
 */
import { foldIn, type Key } from '../random/key.js';
import { randomBits } from '../random/threefry.js';

/**
 * `n` uniform doubles in [0, 1) under `key`: each from 53 bits of two
 * Threefry words, `(hi >>> 5) * 2^26 + (lo >>> 6)` over 2^53.
 *
 * @example
 * ```ts
 * uniforms(random.key(0), 3); // Float64Array of 3 numbers in [0, 1), the same every run
 * ```
 */
export function uniforms(key: Key, n: number): Float64Array {
  const [k0, k1] = key.words;
  const bits = randomBits(k0, k1, 2 * n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = ((bits[i]! >>> 5) * 67108864 + (bits[n + i]! >>> 6)) / 9007199254740992;
  return out;
}

/**
 * The 32-bit FNV-1a hash of a string (its UTF-16 code units), to fold a
 * parameter name into a key.
 *
 * @example
 * ```ts
 * nameHash('lr'); // the same integer in every process
 * ```
 */
export function nameHash(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * The key of one draw: `foldIn(foldIn(foldIn(studyKey, purpose), trialNumber), hash(name))`.
 * `purpose` separates independent uses (0: independent sampling, 1: relative sampling, 2: grid).
 *
 * @example
 * ```ts
 * drawKey(random.key(0), 0, 7, 'lr'); // the key trial 7 uses for 'lr'
 * ```
 */
export function drawKey(studyKey: Key, purpose: number, trialNumber: number, name: string): Key {
  return foldIn(foldIn(foldIn(studyKey, purpose), trialNumber), nameHash(name));
}
