/**
 * Threefry-2x32 with 20 rounds: the counter-based hash behind every key and
 * every sample in `random` (Salmon, Moraes, Dror and Shaw, "Parallel random
 * numbers: as easy as 1, 2, 3", SC 2011, whose Random123 library defines it).
 *
 * A counter-based generator has no state to advance: the bits at position `i`
 * are `threefry(key, i)`, so a sample depends only on its key and its index,
 * on any machine, in any order of evaluation.
 *
 * All arithmetic is on uint32 words held in plain numbers: sums of two int32
 * values are exact in a double and `| 0` wraps them modulo 2^32.
 */

/** Key-schedule parity constant: the third key word is `k0 ^ k1 ^ 0x1BD11BDA`. */
const PARITY = 0x1bd11bda;

/**
 * Hashes each counter pair `(x0[i], x1[i])` under the key `(k0, k1)`, in place.
 * One Threefry block: 20 rounds of (add, rotate, xor), with the key injected
 * before the first round and after every fourth.
 *
 * @example
 * ```ts
 * const x0 = Uint32Array.of(0), x1 = Uint32Array.of(0);
 * threefry2x32(0, 0, x0, x1);
 * [x0[0], x1[0]]; // [0x6b200159, 0x99ba4efe], the Random123 known answer
 * ```
 */
export function threefry2x32(k0: number, k1: number, x0: Uint32Array, x1: Uint32Array): void {
  const n = x0.length;
  if (x1.length !== n) throw new RangeError(`threefry2x32: counter halves differ in length: ${n} vs ${x1.length}`);
  const ks0 = k0 | 0;
  const ks1 = k1 | 0;
  const ks2 = (k0 ^ k1 ^ PARITY) | 0;
  for (let i = 0; i < n; i++) {
    let a = (x0[i]! + ks0) | 0;
    let b = (x1[i]! + ks1) | 0;
    // Each round: a += b; b = rotl(b, r) ^ a. Rotations cycle 13 15 26 6 | 17 29 16 24.
    a = (a + b) | 0; b = (b << 13) | (b >>> 19); b ^= a;
    a = (a + b) | 0; b = (b << 15) | (b >>> 17); b ^= a;
    a = (a + b) | 0; b = (b << 26) | (b >>> 6); b ^= a;
    a = (a + b) | 0; b = (b << 6) | (b >>> 26); b ^= a;
    // Injection s adds (ks[s mod 3], ks[(s+1) mod 3] + s).
    a = (a + ks1) | 0; b = (b + ks2 + 1) | 0;
    a = (a + b) | 0; b = (b << 17) | (b >>> 15); b ^= a;
    a = (a + b) | 0; b = (b << 29) | (b >>> 3); b ^= a;
    a = (a + b) | 0; b = (b << 16) | (b >>> 16); b ^= a;
    a = (a + b) | 0; b = (b << 24) | (b >>> 8); b ^= a;
    a = (a + ks2) | 0; b = (b + ks0 + 2) | 0;
    a = (a + b) | 0; b = (b << 13) | (b >>> 19); b ^= a;
    a = (a + b) | 0; b = (b << 15) | (b >>> 17); b ^= a;
    a = (a + b) | 0; b = (b << 26) | (b >>> 6); b ^= a;
    a = (a + b) | 0; b = (b << 6) | (b >>> 26); b ^= a;
    a = (a + ks0) | 0; b = (b + ks1 + 3) | 0;
    a = (a + b) | 0; b = (b << 17) | (b >>> 15); b ^= a;
    a = (a + b) | 0; b = (b << 29) | (b >>> 3); b ^= a;
    a = (a + b) | 0; b = (b << 16) | (b >>> 16); b ^= a;
    a = (a + b) | 0; b = (b << 24) | (b >>> 8); b ^= a;
    a = (a + ks1) | 0; b = (b + ks2 + 4) | 0;
    a = (a + b) | 0; b = (b << 13) | (b >>> 19); b ^= a;
    a = (a + b) | 0; b = (b << 15) | (b >>> 17); b ^= a;
    a = (a + b) | 0; b = (b << 26) | (b >>> 6); b ^= a;
    a = (a + b) | 0; b = (b << 6) | (b >>> 26); b ^= a;
    a = (a + ks2) | 0; b = (b + ks0 + 5) | 0;
    x0[i] = a;
    x1[i] = b;
  }
}

/**
 * `count` random uint32 words under the key `(k0, k1)`, laid out as JAX's
 * original (non-partitionable) Threefry generator lays them out: the counters
 * `0, 1, ..., count-1` (an odd count padded with one more 0) are cut into a first and a
 * second half, word `i` of the first half is paired with word `i` of the
 * second, and the hashed halves are written back in place.
 *
 * @example
 * ```ts
 * randomBits(0, 0, 4); // Uint32Array of 4 words; the same 4 on every run
 * ```
 */
export function randomBits(k0: number, k1: number, count: number): Uint32Array {
  const padded = count + (count & 1);
  const words = new Uint32Array(padded);
  for (let i = 0; i < count; i++) words[i] = i;
  const half = padded / 2;
  threefry2x32(k0, k1, words.subarray(0, half), words.subarray(half));
  return padded === count ? words : words.subarray(0, count);
}
