import { pipe } from 'fp-ts/lib/function.js';
import { describe, expect, it } from 'vitest';
import { ValueError } from '../../src/core/errors.js';
import { batch, enumerate, filter, map, shuffleBuffer, skip, take, zip } from '../../src/data/iter.js';
import { foldIn, key } from '../../src/random/index.js';

/** 0, 1, 2, ... (up to `length`), counting pulls and closes. Re-iterable. */
function counted(length = Infinity) {
  const stats = { pulled: 0, started: 0, closed: 0 };
  const iterable: Iterable<number> = {
    [Symbol.iterator]() {
      stats.started++;
      let i = 0;
      return {
        next: () => (i < length ? (stats.pulled++, { done: false, value: i++ }) : { done: true, value: undefined }),
        return: () => (stats.closed++, { done: true, value: undefined }),
      };
    },
  };
  return { iterable, stats };
}

describe('sync combinators', () => {
  it('map, filter, skip, take, enumerate, in order', () => {
    const out = [...pipe([1, 2, 3, 4, 5, 6, 7], filter((x) => x % 2 === 1), map((x, i) => x * 10 + i), skip(1), take(2), enumerate)];
    expect(out).toEqual([[0, 31], [1, 52]]);
  });

  it('pull nothing until iterated, then one element per output', () => {
    const { iterable, stats } = counted();
    const pipeline = pipe(iterable, map((x) => x * 2), filter(() => true), enumerate);
    expect(stats).toEqual({ pulled: 0, started: 0, closed: 0 });
    const it = pipeline[Symbol.iterator]();
    expect(it.next().value).toEqual([0, 0]);
    expect(stats.pulled).toBe(1);
    expect(it.next().value).toEqual([1, 2]);
    expect(stats.pulled).toBe(2);
  });

  it('take never pulls one more than it needs, and closes the source', () => {
    const { iterable, stats } = counted();
    expect([...pipe(iterable, take(3))]).toEqual([0, 1, 2]);
    expect(stats).toEqual({ pulled: 3, started: 1, closed: 1 });
    const zero = counted();
    expect([...pipe(zero.iterable, take(0))]).toEqual([]);
    expect(zero.stats.pulled).toBe(0);
  });

  it('batch groups elements, keeps or drops the short last batch, and pulls only one batch ahead', () => {
    expect([...pipe([1, 2, 3, 4, 5], batch(2))]).toEqual([[1, 2], [3, 4], [5]]);
    expect([...pipe([1, 2, 3, 4, 5], batch(2, { dropLast: true }))]).toEqual([[1, 2], [3, 4]]);
    expect([...pipe([1, 2, 3, 4], batch(2, { dropLast: true }))]).toEqual([[1, 2], [3, 4]]);
    expect([...pipe([], batch(3))]).toEqual([]);
    const { iterable, stats } = counted();
    const it = pipe(iterable, batch(3))[Symbol.iterator]();
    expect(it.next().value).toEqual([0, 1, 2]);
    expect(stats.pulled).toBe(3);
  });

  it('reject bad sizes with a ValueError naming the op and the value', () => {
    expect(() => batch(0)).toThrow(ValueError);
    expect(() => batch(0)).toThrow('batch: size must be a positive integer, got 0');
    expect(() => batch(-2)).toThrow('batch: size must be a positive integer, got -2');
    expect(() => batch(1.5)).toThrow('batch: size must be a positive integer, got 1.5');
    expect(() => take(-1)).toThrow('take: count must be a non-negative integer, got -1');
    expect(() => take(0.5)).toThrow('take: count must be a non-negative integer, got 0.5');
    expect(() => skip(NaN)).toThrow('skip: count must be a non-negative integer, got NaN');
    expect(() => shuffleBuffer(key(0), 0)).toThrow('shuffleBuffer: buffer size must be a positive integer, got 0');
    expect(() => shuffleBuffer({ words: [0, 0] } as never, 4)).toThrow(/^shuffleBuffer: expected a key/);
  });

  it('start afresh on each iteration over a re-iterable source; a one-shot source is used up', () => {
    const pipeline = pipe([1, 2, 3], map((x) => x + 1));
    expect([...pipeline]).toEqual([2, 3, 4]);
    expect([...pipeline]).toEqual([2, 3, 4]);
    const once = pipe((function* () { yield 1; yield 2; })(), map((x) => x));
    expect([...once]).toEqual([1, 2]);
    expect([...once]).toEqual([]);
  });

  it('pass an error from the source or a function through at its position', () => {
    const source = { *[Symbol.iterator]() { yield 1; yield 2; throw new Error('source broke at 3'); } };
    const seen: number[] = [];
    expect(() => { for (const x of pipe(source, map((x) => x))) seen.push(x); }).toThrow('source broke at 3');
    expect(seen).toEqual([1, 2]);
    const f = map((x: number) => { if (x === 2) throw new Error('f failed on 2'); return x; });
    expect(() => [...f([1, 2, 3])]).toThrow('f failed on 2');
  });

  it('zip stops at the shorter and closes the other', () => {
    expect([...pipe([1, 2, 3], zip(['a', 'b']))]).toEqual([[1, 'a'], [2, 'b']]);
    const { iterable, stats } = counted();
    expect([...pipe(['a', 'b'], zip(iterable))]).toEqual([['a', 0], ['b', 1]]);
    expect(stats).toEqual({ pulled: 2, started: 1, closed: 1 });
    const left = counted();
    expect([...pipe(left.iterable, zip([7]))]).toEqual([[0, 7]]);
    expect(left.stats.closed).toBe(1);
  });
});

describe('shuffleBuffer (sync)', () => {
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);

  it('emits a permutation, the same for the same key on every pass, another for another key', () => {
    const s = pipe(range(50), shuffleBuffer(key(0), 50));
    const first = [...s];
    expect([...first].sort((a, b) => a - b)).toEqual(range(50));
    expect(first).not.toEqual(range(50));
    expect([...s]).toEqual(first);
    expect([...pipe(range(50), shuffleBuffer(key(0), 50))]).toEqual(first);
    expect([...pipe(range(50), shuffleBuffer(key(1), 50))]).not.toEqual(first);
  });

  it('a buffer of one keeps the order; a buffer of b keeps every element within b - 1 places of its start', () => {
    expect([...pipe(range(20), shuffleBuffer(key(3), 1))]).toEqual(range(20));
    for (const b of [2, 5]) {
      const out = [...pipe(range(200), shuffleBuffer(key(b), b))];
      expect([...out].sort((x, y) => x - y)).toEqual(range(200));
      out.forEach((x, p) => expect(x).toBeLessThanOrEqual(p + b - 1));
    }
  });

  it('pulls only the buffer (plus the element that frees a slot) before the first output', () => {
    const { iterable, stats } = counted();
    const it = pipe(iterable, shuffleBuffer(key(0), 4))[Symbol.iterator]();
    it.next();
    expect(stats.pulled).toBe(5);
  });

  it('is uniform over permutations when the buffer holds everything', () => {
    // 3 elements, 6 orders, 1200 fixed keys: each order ~200 times.
    const counts = new Map<string, number>();
    const base = key(7);
    for (let e = 0; e < 1200; e++) {
      const order = [...pipe([0, 1, 2], shuffleBuffer(foldIn(base, e), 3))].join('');
      counts.set(order, (counts.get(order) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const c of counts.values()) expect(c).toBeGreaterThan(140);
    for (const c of counts.values()) expect(c).toBeLessThan(260);
  });
});
