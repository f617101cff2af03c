import { describe, expect, it } from 'vitest';
import { randomBits, threefry2x32 } from '../../src/random/threefry.js';
import { key, split, uniform } from '../../src/random/index.js';

/** One Threefry block: key (k0, k1), counter (c0, c1). */
function block(k0: number, k1: number, c0: number, c1: number): [number, number] {
  const x0 = Uint32Array.of(c0);
  const x1 = Uint32Array.of(c1);
  threefry2x32(k0, k1, x0, x1);
  return [x0[0]!, x1[0]!];
}

describe('threefry2x32', () => {
  // Random123 known-answer vectors for threefry2x32_20: [key, counter, result].
  const kat: [[number, number], [number, number], [number, number]][] = [
    [[0x00000000, 0x00000000], [0x00000000, 0x00000000], [0x6b200159, 0x99ba4efe]],
    [[0xffffffff, 0xffffffff], [0xffffffff, 0xffffffff], [0x1cb996fc, 0xbb002be7]],
    [[0x13198a2e, 0x03707344], [0x243f6a88, 0x85a308d3], [0xc4923a9c, 0x483df7a0]],
  ];
  it.each(kat)('key %j counter %j -> %j', (k, c, want) => {
    expect(block(k[0], k[1], c[0], c[1])).toEqual(want);
  });

  it('hashes many counters in place, each pair independently', () => {
    const x0 = Uint32Array.of(0, 0xffffffff, 0x243f6a88);
    const x1 = Uint32Array.of(0, 0xffffffff, 0x85a308d3);
    threefry2x32(0, 0, x0, x1);
    expect([x0[0], x1[0]]).toEqual([0x6b200159, 0x99ba4efe]);
    expect([x0[1], x1[1]]).toEqual(block(0, 0, 0xffffffff, 0xffffffff));
    expect([x0[2], x1[2]]).toEqual(block(0, 0, 0x243f6a88, 0x85a308d3));
  });

  it('rejects counter halves of different lengths', () => {
    expect(() => threefry2x32(0, 0, new Uint32Array(2), new Uint32Array(3))).toThrow(/differ in length: 2 vs 3/);
  });
});

describe('randomBits', () => {
  it('pairs the first half of the counters with the second half', () => {
    const bits = randomBits(7, 9, 4);
    expect([bits[0], bits[2]]).toEqual(block(7, 9, 0, 2));
    expect([bits[1], bits[3]]).toEqual(block(7, 9, 1, 3));
  });

  it('pads an odd count with a zero counter', () => {
    expect(Array.from(randomBits(0, 0, 1))).toEqual([0x6b200159]);
    const bits = randomBits(3, 4, 3); // counters [0, 1 | 2, 0]
    expect([bits[0], bits[2]]).toEqual(block(3, 4, 0, 2));
    expect(bits[1]).toBe(block(3, 4, 1, 0)[0]);
    expect(bits.length).toBe(3);
  });

  it('handles a count of zero', () => {
    expect(randomBits(1, 2, 0).length).toBe(0);
  });
});

describe('agreement with JAX (original Threefry PRNG)', () => {
  // Values as printed in JAX tutorials for the original (jax_threefry_partitionable=False) PRNG.
  it('split(PRNGKey(0))', () => {
    expect(split(key(0)).map((k) => k.words)).toEqual([
      [4146024105, 967050713],
      [2718843009, 1272950319],
    ]);
  });

  it('uniform(PRNGKey(0)) is 0.41845703', () => {
    expect(uniform(key(0), []).item()).toBe(0.41845703125);
  });
});
