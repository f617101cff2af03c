/**
 * Random orderings by Fisher–Yates: for i = n-1 down to 1, swap position i
 * with a position j drawn from [0, i]. Draw number s (s = 0, 1, ...) reduces
 * the word pair (w[s], w[(n-1) + s]) of the key's stream modulo i + 1, so the
 * whole permutation costs 2(n-1) Threefry words and no rejection; each swap's
 * probabilities differ from uniform by a factor of at most n / 2^64.
 */
import { ValueError } from '../core/errors.js';
import { fromStorage, type Tensor } from '../core/tensor.js';
import { checkMaxSize, describe, type SizeOptions } from './checks.js';

/** Default most elements of a permutation (12 bytes each while drawing: 800 MB). */
const MAX_PERMUTATION = 2 ** 26;
import { wordsMod } from './distributions.js';
import { checkKey, keyBatchOf, samplePerKey, type Key } from './key.js';
import { randomBits } from './threefry.js';

/** The indices 0..n-1 shuffled under the key (n already checked). */
function shuffledIndices(k0: number, k1: number, n: number): Int32Array {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  if (n < 2) return perm;
  const draws = n - 1;
  const bits = randomBits(k0, k1, 2 * draws);
  for (let i = n - 1, s = 0; i > 0; i--, s++) {
    const j = wordsMod(bits[s]!, bits[draws + s]!, i + 1);
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  return perm;
}

/**
 * A random permutation of 0..n-1 as an int32 tensor of shape [n]. It takes
 * 12 bytes per element while it is drawn, so n is limited to 2^26 (67M)
 * unless `options.maxSize` raises the limit (a `ResourceError` otherwise).
 *
 * @example
 * ```ts
 * import { random } from 'typegrad';
 * const order = random.permutation(random.key(0), 5); // Tensor<[5], 'int32'>
 * order.toArray().slice().sort(); // [0, 1, 2, 3, 4]
 * ```
 */
export function permutation<const N extends number>(key: Key, n: N, options: SizeOptions = {}): Tensor<[N], 'int32'> {
  const batched = samplePerKey(key, (k) => permutation(k, n, options));
  if (batched !== undefined) return batched;
  const op = 'random.permutation';
  const [k0, k1] = checkKey(op, key).words;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 2 ** 31 - 1) {
    throw new ValueError(`${op}: n must be an integer in [0, 2^31 - 1], got ${describe(n)}`);
  }
  checkMaxSize(op, 'n', n, options, MAX_PERMUTATION);
  return fromStorage<[N], 'int32'>(shuffledIndices(k0, k1, n), Object.freeze([n]), 'int32');
}

/**
 * A new array holding the elements of `xs` in random order; `xs` is left as
 * it was. `shuffle(k, xs)[i]` is `xs[permutation(k, xs.length)[i]]`.
 *
 * @example
 * ```ts
 * import { random } from 'typegrad';
 * const batches = random.shuffle(random.key(0), ['a', 'b', 'c', 'd']); // string[], same order every run
 * ```
 */
export function shuffle<T>(key: Key, xs: readonly T[]): T[] {
  const op = 'shuffle';
  if (keyBatchOf(key) !== undefined) {
    throw new ValueError(`${op}: cannot shuffle a JavaScript array with a batch of keys inside vmap; use permutation and take instead`);
  }
  const [k0, k1] = checkKey(op, key).words;
  if (!Array.isArray(xs)) throw new ValueError(`${op}: expected an array, got ${describe(xs)}`);
  const n = xs.length;
  checkMaxSize(op, 'xs.length', n, {}, MAX_PERMUTATION);
  const perm = shuffledIndices(k0, k1, n);
  const out = new Array<T>(n);
  for (let i = 0; i < n; i++) out[i] = xs[perm[i]!] as T;
  return out;
}
