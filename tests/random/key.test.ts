import { describe, expect, it } from 'vitest';
import { ValueError } from '../../src/core/errors.js';
import { foldIn, isKey, key, split, uniform, type Key } from '../../src/random/index.js';

const words = (k: Key) => k.words.slice();
const id = (k: Key) => k.words.join(':');

describe('key', () => {
  it('is [0, seed] below 2^32 and [hi, lo] above', () => {
    expect(words(key(0))).toEqual([0, 0]);
    expect(words(key(42))).toEqual([0, 42]);
    expect(words(key(2 ** 32 - 1))).toEqual([0, 0xffffffff]);
    expect(words(key(2 ** 32 + 5))).toEqual([1, 5]);
    expect(words(key(Number.MAX_SAFE_INTEGER))).toEqual([0x1fffff, 0xffffffff]);
  });

  it('is a frozen, branded value', () => {
    const k = key(1);
    expect(Object.isFrozen(k)).toBe(true);
    expect(Object.isFrozen(k.words)).toBe(true);
    expect(isKey(k)).toBe(true);
    expect(isKey({ words: [0, 1] })).toBe(false);
    expect(isKey(null)).toBe(false);
    expect(isKey([0, 1])).toBe(false);
    expect(Object.keys(k)).toEqual(['words']);
  });

  it.each([
    [-1, '-1'],
    [1.5, '1.5'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [2 ** 53, '9007199254740992'],
    ['3', '"3"'],
  ])('rejects the seed %s', (seed, shown) => {
    expect(() => key(seed as number)).toThrow(ValueError);
    expect(() => key(seed as number)).toThrow(`random.key: seed must be an integer in [0, 2^53 - 1], got ${shown}`);
  });
});

describe('split', () => {
  it('gives two keys by default and n keys when asked', () => {
    const k = key(0);
    expect(split(k)).toHaveLength(2);
    expect(split(k, 5)).toHaveLength(5);
    expect(split(k, 0)).toEqual([]);
    expect(split(k, 1).every(isKey)).toBe(true);
  });

  it('is deterministic and leaves its key untouched', () => {
    const k = key(7);
    const before = words(k);
    expect(split(k, 4).map(words)).toEqual(split(key(7), 4).map(words));
    expect(words(k)).toEqual(before);
  });

  it('gives distinct keys, distinct from the parent and across parents', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 20; seed++) {
      const k = key(seed);
      seen.add(id(k));
      for (const child of split(k, 10)) seen.add(id(child));
    }
    expect(seen.size).toBe(20 * 11);
  });

  it('gives streams that differ', () => {
    const [a, b] = split(key(0));
    expect(uniform(a, [8]).toArray()).not.toEqual(uniform(b, [8]).toArray());
  });

  it.each([[-1], [1.5], [NaN], [2 ** 31]])('rejects n = %s', (n) => {
    expect(() => split(key(0), n)).toThrow(`random.split: n must be an integer in [0, 2^31 - 1], got ${n}`);
  });

  it('rejects a non-key', () => {
    expect(() => split({ words: [0, 0] } as unknown as Key)).toThrow(
      'random.split: expected a key from random.key, random.split or random.foldIn, got {"words":[0,0]}',
    );
  });
});

describe('foldIn', () => {
  it('hashes the counter pair (hi, lo) of the data under the key', () => {
    // key(0) folded with 0 is the all-zero Threefry block (the first KAT vector).
    expect(words(foldIn(key(0), 0))).toEqual([0x6b200159, 0x99ba4efe]);
  });

  it('is deterministic, pure, and distinct for distinct data', () => {
    const k = key(3);
    const before = words(k);
    expect(words(foldIn(k, 11))).toEqual(words(foldIn(key(3), 11)));
    expect(words(k)).toEqual(before);
    const seen = new Set<string>([id(k)]);
    for (let d = 0; d < 1000; d++) seen.add(id(foldIn(k, d)));
    seen.add(id(foldIn(k, 2 ** 32)));
    seen.add(id(foldIn(k, Number.MAX_SAFE_INTEGER)));
    expect(seen.size).toBe(1003);
  });

  it('differs from split of the same key', () => {
    const k = key(5);
    const folded = new Set([0, 1, 2, 3].map((d) => id(foldIn(k, d))));
    for (const child of split(k, 4)) expect(folded.has(id(child))).toBe(false);
  });

  it.each([[-1], [0.5], [NaN]])('rejects data = %s', (d) => {
    expect(() => foldIn(key(0), d)).toThrow(`random.foldIn: data must be an integer in [0, 2^53 - 1], got ${d}`);
  });
});
