import { pipe } from 'fp-ts/lib/function.js';
import { describe, expect, it } from 'vitest';
import { ValueError } from '../../src/core/errors.js';
import * as AI from '../../src/data/async-iter.js';
import * as I from '../../src/data/iter.js';
import { key } from '../../src/random/index.js';

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `condition` holds (polling), failing after 5 s. */
async function until(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('until: condition not met within 5 s');
    await tick(2);
  }
}

/**
 * An async source 0, 1, 2, ... (up to `length`), whose next() takes `delay` ms,
 * throws at `failAt`, and records pulls, closes, and the most next() calls in
 * flight at once.
 */
function source(options: { length?: number; delay?: number; failAt?: number } = {}) {
  const { length = Infinity, delay = 1, failAt = -1 } = options;
  const stats = { pulled: 0, closed: 0, active: 0, maxActive: 0 };
  const iterable: AsyncIterable<number> = {
    [Symbol.asyncIterator]() {
      let i = 0;
      return {
        async next() {
          stats.active++;
          stats.maxActive = Math.max(stats.maxActive, stats.active);
          stats.pulled++;
          await tick(delay);
          stats.active--;
          if (i === failAt) throw new Error(`source failed at ${i}`);
          return i < length ? { done: false, value: i++ } : { done: true, value: undefined };
        },
        async return() {
          stats.closed++;
          return { done: true, value: undefined };
        },
      };
    },
  };
  return { iterable, stats };
}

describe('async combinators', () => {
  it('map (async f), filter (async predicate), skip, take, enumerate, in order', async () => {
    const out = await AI.toArray(
      pipe(
        [1, 2, 3, 4, 5, 6, 7],
        AI.filter(async (x) => x % 2 === 1),
        AI.map(async (x, i) => {
          await tick(10 - x); // later elements finish sooner; order must still hold
          return x * 10 + i;
        }),
        AI.skip(1),
        AI.take(2),
        AI.enumerate,
      ),
    );
    expect(out).toEqual([[0, 31], [1, 52]]);
  });

  it('pull nothing until iterated; take never pulls one more and closes the source', async () => {
    const { iterable, stats } = source();
    const pipeline = pipe(iterable, AI.map((x) => x), AI.take(3));
    await tick(5);
    expect(stats.pulled).toBe(0);
    expect(await AI.toArray(pipeline)).toEqual([0, 1, 2]);
    expect(stats.pulled).toBe(3);
    expect(stats.closed).toBe(1);
  });

  it('batch and zip', async () => {
    expect(await AI.toArray(pipe(AI.fromIterable([1, 2, 3, 4, 5]), AI.batch(2)))).toEqual([[1, 2], [3, 4], [5]]);
    expect(await AI.toArray(pipe([1, 2, 3], AI.batch(2, { dropLast: true })))).toEqual([[1, 2]]);
    const { iterable, stats } = source();
    expect(await AI.toArray(pipe(['a', 'b'], AI.zip(iterable)))).toEqual([['a', 0], ['b', 1]]);
    expect(stats.closed).toBe(1);
  });

  it('shuffleBuffer gives the same order as the sync version', async () => {
    const xs = Array.from({ length: 30 }, (_, i) => i);
    expect(await AI.toArray(pipe(xs, AI.shuffleBuffer(key(5), 8)))).toEqual([...pipe(xs, I.shuffleBuffer(key(5), 8))]);
  });

  it('reject bad sizes with a ValueError', () => {
    expect(() => AI.batch(0)).toThrow(ValueError);
    expect(() => AI.take(-1)).toThrow('take: count must be a non-negative integer, got -1');
    expect(() => AI.prefetch(0)).toThrow('prefetch: size must be a positive integer, got 0');
    expect(() => AI.prefetch(2.5)).toThrow('prefetch: size must be a positive integer, got 2.5');
  });

  it('start afresh on each iteration', async () => {
    const p = pipe([1, 2], AI.map(async (x) => x * 2));
    expect(await AI.toArray(p)).toEqual([2, 4]);
    expect(await AI.toArray(p)).toEqual([2, 4]);
  });
});

describe('prefetch', () => {
  it('keeps the order of a source whose items finish out of order', async () => {
    const slow = AI.map(async (i: number) => {
      await tick((i * 7) % 5);
      return i;
    });
    const xs = Array.from({ length: 40 }, (_, i) => i);
    expect(await AI.toArray(pipe(xs, slow, AI.prefetch(4)))).toEqual(xs);
  });

  it('runs ahead of the consumer by exactly `size` elements, one next() at a time', async () => {
    const { iterable, stats } = source();
    const it = pipe(iterable, AI.prefetch(3))[Symbol.asyncIterator]();
    expect(stats.pulled).toBe(0);
    expect((await it.next()).value).toBe(0);
    // The consumer is slow: the prefetcher fills its buffer (the element delivered + 3 ahead), then waits.
    await until(() => stats.pulled >= 4);
    await tick(30);
    expect(stats.pulled).toBe(4);
    expect(stats.maxActive).toBe(1);
    expect((await it.next()).value).toBe(1);
    await until(() => stats.pulled >= 5);
    await tick(30);
    expect(stats.pulled).toBe(5);
    await it.return!();
  });

  it('delivers the elements before an error, then the error, and requests nothing after it', async () => {
    const { iterable, stats } = source({ failAt: 3 });
    const seen: number[] = [];
    const run = (async () => {
      for await (const x of pipe(iterable, AI.prefetch(5))) {
        seen.push(x);
        await tick(5);
      }
    })();
    await expect(run).rejects.toThrow('source failed at 3');
    expect(seen).toEqual([0, 1, 2]);
    expect(stats.pulled).toBe(4);
    expect(stats.closed).toBe(0);
  });

  it('passes through an error thrown by a sync source', async () => {
    const xs = { *[Symbol.iterator]() { yield 1; throw new Error('sync source broke'); } };
    const seen: number[] = [];
    await expect((async () => { for await (const x of pipe(xs, AI.prefetch(2))) seen.push(x); })()).rejects.toThrow('sync source broke');
    expect(seen).toEqual([1]);
  });

  it('on early exit waits for the request in flight, starts no other, and closes the source', async () => {
    const { iterable, stats } = source({ delay: 5 });
    for await (const x of pipe(iterable, AI.prefetch(4))) {
      if (x === 1) break;
    }
    expect(stats.active).toBe(0);
    expect(stats.closed).toBe(1);
    // Elements 0 and 1 delivered, the request for 2 in flight at the break; 3.. never requested.
    expect(stats.pulled).toBe(3);
    await tick(30);
    expect(stats.pulled).toBe(3);
  });

  it('ends cleanly on a finite source and does not close it', async () => {
    const { iterable, stats } = source({ length: 3 });
    expect(await AI.toArray(pipe(iterable, AI.prefetch(8)))).toEqual([0, 1, 2]);
    expect(stats.pulled).toBe(4); // three elements and the final done
    expect(stats.closed).toBe(0);
  });
});
