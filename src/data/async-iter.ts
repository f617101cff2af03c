/**
 * Lazy combinators over `AsyncIterable`s, with the same names and the same
 * conventions as the synchronous ones in `iter.ts`: data-last and curried for
 * fp-ts `pipe`, lazy, and each `[Symbol.asyncIterator]()` call starting afresh
 * from the source. Every combinator also accepts a synchronous `Iterable` as
 * its source (an array, say), and `map` / `filter` accept async functions.
 *
 * Elements flow one at a time, in order: `map(f)` awaits `f` for one element
 * before it pulls the next. Use `prefetch(n)` to run the upstream ahead of the
 * consumer by up to `n` elements.
 *
 * ```ts
 * import { pipe } from 'fp-ts/lib/function.js';
 * import { asyncIter as AI } from 'typegrad';
 * const batches = pipe(indices, AI.map(loadItem), AI.prefetch(4), AI.batch(32));
 * for await (const b of batches) train(b);
 * ```
 */
import { checkAsyncIterable, checkFunction, checkOptions } from '../core/validate.js';
import { checkCount, checkPositive, indexStream } from './shared.js';
import type { Key } from '../random/key.js';
import type { BatchOptions } from './iter.js';

/**
 * A source the async combinators accept: async, or sync (awaited element by element).
 *
 * @example
 * ```ts
 * const sources: AnyIterable<number>[] = [[1, 2], fromIterable([3])];
 * ```
 */
export type AnyIterable<A> = AsyncIterable<A> | Iterable<A>;

function lazily<A>(make: () => AsyncIterator<A>): AsyncIterable<A> {
  return { [Symbol.asyncIterator]: make };
}

/** Throws unless `source` is an iterable or async iterable (`op` names the combinator). */
function checkSource(op: string, source: unknown): void {
  checkAsyncIterable(`asyncIter.${op}`, 'source', source, true);
}

/** {@link lazily} over `source`, checked now (when the combinator is applied), not at the first `next()`. */
function lazilyOver<A>(op: string, source: unknown, make: () => AsyncIterator<A>): AsyncIterable<A> {
  checkSource(op, source);
  return lazily(make);
}

function iteratorOf<A>(source: AnyIterable<A>): AsyncIterator<A> | Iterator<A> {
  return Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : (source as Iterable<A>)[Symbol.iterator]();
}

/**
 * The elements of a sync iterable as an async iterable.
 *
 * @example
 * ```ts
 * for await (const x of fromIterable([1, 2])) console.log(x); // 1, 2
 * ```
 */
export function fromIterable<A>(source: AnyIterable<A>): AsyncIterable<Awaited<A>> {
  checkSource('fromIterable', source);
  return lazily(async function* () {
    for await (const a of source) yield a;
  });
}

/**
 * Collects every element into an array.
 *
 * @example
 * ```ts
 * await toArray(fromIterable([1, 2, 3])); // [1, 2, 3]
 * ```
 */
export async function toArray<A>(source: AnyIterable<A>): Promise<Awaited<A>[]> {
  checkSource('toArray', source);
  const out: Awaited<A>[] = [];
  for await (const a of source) out.push(a);
  return out;
}

/**
 * Applies `f` (sync or async) to each element and its position, one element at a time.
 *
 * @example
 * ```ts
 * import { pipe } from 'fp-ts/lib/function.js';
 * await toArray(pipe([1, 2], map(async (x) => x * 10))); // [10, 20]
 * ```
 */
export function map<A, B>(f: (a: A, index: number) => B | Promise<B>): (source: AnyIterable<A>) => AsyncIterable<B> {
  checkFunction('asyncIter.map', 'f', f);
  return (source) =>
    lazilyOver('map', source, async function* () {
      let i = 0;
      for await (const a of source) yield await f(a as A, i++);
    });
}

/**
 * Keeps the elements for which `predicate` (sync or async) holds.
 *
 * @example
 * ```ts
 * import { pipe } from 'fp-ts/lib/function.js';
 * await toArray(pipe([1, 2, 3, 4], filter((x) => x % 2 === 0))); // [2, 4]
 * ```
 */
export function filter<A, B extends A>(predicate: (a: A, index: number) => a is B): (source: AnyIterable<A>) => AsyncIterable<B>;
export function filter<A>(predicate: (a: A, index: number) => boolean | Promise<boolean>): (source: AnyIterable<A>) => AsyncIterable<A>;
export function filter<A>(predicate: (a: A, index: number) => boolean | Promise<boolean>): (source: AnyIterable<A>) => AsyncIterable<A> {
  checkFunction('asyncIter.filter', 'predicate', predicate);
  return (source) =>
    lazilyOver('filter', source, async function* () {
      let i = 0;
      for await (const a of source) if (await predicate(a as A, i++)) yield a as A;
    });
}

/**
 * The first `count` elements; never pulls one more. `count` must be a
 * non-negative integer (`ValueError` otherwise).
 *
 * @example
 * ```ts
 * import { pipe } from 'fp-ts/lib/function.js';
 * await toArray(pipe([1, 2, 3], take(2))); // [1, 2]
 * ```
 */
export function take(count: number): <A>(source: AnyIterable<A>) => AsyncIterable<A> {
  const n = checkCount('take', 'count', count);
  return <A>(source: AnyIterable<A>) =>
    lazilyOver('take', source, async function* () {
      if (n === 0) return;
      let i = 0;
      for await (const a of source) {
        yield a as A;
        if (++i === n) return;
      }
    });
}

/**
 * All but the first `count` elements. `count` must be a non-negative integer.
 *
 * @example
 * ```ts
 * import { pipe } from 'fp-ts/lib/function.js';
 * await toArray(pipe([1, 2, 3], skip(1))); // [2, 3]
 * ```
 */
export function skip(count: number): <A>(source: AnyIterable<A>) => AsyncIterable<A> {
  const n = checkCount('skip', 'count', count);
  return <A>(source: AnyIterable<A>) =>
    lazilyOver('skip', source, async function* () {
      let i = 0;
      for await (const a of source) if (i++ >= n) yield a as A;
    });
}

/**
 * Groups consecutive elements into arrays of `size` (a positive integer);
 * `dropLast` drops a short final batch.
 *
 * @example
 * ```ts
 * import { pipe } from 'fp-ts/lib/function.js';
 * await toArray(pipe([1, 2, 3], batch(2))); // [[1, 2], [3]]
 * ```
 */
export function batch(size: number, options: BatchOptions = {}): <A>(source: AnyIterable<A>) => AsyncIterable<A[]> {
  checkOptions('asyncIter.batch', options);
  const n = checkPositive('batch', 'size', size);
  const dropLast = options.dropLast ?? false;
  return <A>(source: AnyIterable<A>) =>
    lazilyOver('batch', source, async function* () {
      let current: A[] = [];
      for await (const a of source) {
        current.push(a as A);
        if (current.length === n) {
          yield current;
          current = [];
        }
      }
      if (current.length > 0 && !dropLast) yield current;
    });
}

/**
 * Shuffles through a buffer of `size` elements; the same order as the sync
 * `shuffleBuffer` for the same key and source. Deterministic: every pass gives
 * the same order; pass `random.foldIn(key, epoch)` for a new one.
 *
 * @example
 * ```ts
 * import { pipe } from 'fp-ts/lib/function.js';
 * import { random } from 'typegrad';
 * await toArray(pipe([0, 1, 2, 3], shuffleBuffer(random.key(1), 4))); // a permutation of 0..3
 * ```
 */
export function shuffleBuffer(key: Key, size: number): <A>(source: AnyIterable<A>) => AsyncIterable<A> {
  const n = checkPositive('shuffleBuffer', 'buffer size', size);
  indexStream(key, 'shuffleBuffer');
  return <A>(source: AnyIterable<A>) =>
    lazilyOver('shuffleBuffer', source, async function* () {
      const rng = indexStream(key, 'shuffleBuffer');
      const buffer: A[] = [];
      for await (const a of source) {
        if (buffer.length < n) {
          buffer.push(a as A);
          continue;
        }
        const j = rng.below(n);
        const out = buffer[j]!;
        buffer[j] = a as A;
        yield out;
      }
      while (buffer.length > 0) {
        const j = rng.below(buffer.length);
        const out = buffer[j]!;
        buffer[j] = buffer[buffer.length - 1]!;
        buffer.pop();
        yield out;
      }
    });
}

/**
 * Pairs the source with `other`, stopping at the shorter (and closing the other).
 *
 * @example
 * ```ts
 * import { pipe } from 'fp-ts/lib/function.js';
 * await toArray(pipe([1, 2, 3], zip(['a', 'b']))); // [[1, 'a'], [2, 'b']]
 * ```
 */
export function zip<B>(other: AnyIterable<B>): <A>(source: AnyIterable<A>) => AsyncIterable<[A, B]> {
  checkAsyncIterable('asyncIter.zip', 'other', other, true);
  return <A>(source: AnyIterable<A>) =>
    lazilyOver('zip', source, async function* () {
      const bs = iteratorOf(other);
      let bDone = false;
      try {
        for await (const a of source) {
          const b = await bs.next();
          if (b.done) {
            bDone = true;
            return;
          }
          yield [a as A, (await b.value) as B] as [A, B];
        }
      } finally {
        if (!bDone) await bs.return?.();
      }
    });
}

/**
 * Pairs each element with its 0-based position. A plain unary function.
 *
 * @example
 * ```ts
 * import { pipe } from 'fp-ts/lib/function.js';
 * await toArray(pipe(['a', 'b'], enumerate)); // [[0, 'a'], [1, 'b']]
 * ```
 */
export function enumerate<A>(source: AnyIterable<A>): AsyncIterable<[number, A]> {
  checkSource('enumerate', source);
  return lazily(async function* () {
    let i = 0;
    for await (const a of source) yield [i++, a as A] as [number, A];
  });
}

const ignore = (): void => {};

/**
 * Runs the source ahead of the consumer: up to `size` elements (a positive
 * integer) are requested before they are asked for, so slow loading overlaps
 * with the consumer's work. The source is still called one `next()` at a
 * time, in order, and elements come out in source order. An error from the
 * source comes out at the position it happened: every element before it is
 * delivered first, and nothing after it is requested. Stopping early (break,
 * return) waits for the request in flight, starts no other, then closes
 * the source.
 *
 * @example
 * ```ts
 * import { pipe } from 'fp-ts/lib/function.js';
 * const slow = map(async (i: number) => { await new Promise((r) => setTimeout(r, 10)); return i; });
 * await toArray(pipe([1, 2, 3], slow, prefetch(2))); // [1, 2, 3]
 * ```
 */
export function prefetch(size: number): <A>(source: AnyIterable<A>) => AsyncIterable<A> {
  const n = checkPositive('prefetch', 'size', size);
  return <A>(source: AnyIterable<A>) =>
    lazilyOver('prefetch', source, async function* () {
      const it = iteratorOf(source);
      // `last` is the newest request; each request starts when the one before
      // it has settled, so the source sees one next() at a time.
      let last: Promise<IteratorResult<A>> = Promise.resolve({ done: false, value: undefined as A });
      let finished = false; // the source ended or threw
      let stopped = false; // the consumer stopped early: start no new request
      const queue: Promise<IteratorResult<A>>[] = [];
      const request = (): void => {
        last = last.then((r) => (r.done || stopped ? { done: true, value: undefined } : it.next()));
        last.catch(ignore); // rejections are delivered in order, when their turn comes
        queue.push(last);
      };
      try {
        for (;;) {
          while (queue.length < n) request();
          let r: IteratorResult<A>;
          try {
            r = await queue.shift()!;
          } catch (e) {
            finished = true;
            throw e;
          }
          if (r.done) {
            finished = true;
            return;
          }
          request(); // keep `size` requests in flight while the consumer works
          yield (await r.value) as A;
        }
      } finally {
        if (!finished) {
          stopped = true;
          await last.catch(ignore);
          await it.return?.();
        }
      }
    });
}
