/**
 * Lazy combinators over synchronous `Iterable`s.
 *
 * Convention: every combinator is **data-last and curried**, so pipelines read
 * top to bottom with fp-ts `pipe`:
 *
 * ```ts
 * import { pipe } from 'fp-ts/lib/function.js';
 * import { iter as I } from 'typegrad';
 * const batches = pipe(rows, I.filter((r) => r.ok), I.map((r) => r.x), I.batch(32));
 * ```
 *
 * Combinators that take nothing but the source (`enumerate`) are plain unary
 * functions: `pipe(xs, I.enumerate)`.
 *
 * Laziness: building a pipeline pulls nothing; each element is pulled from the
 * source only when the consumer asks for the next output (`shuffleBuffer` and
 * `batch` pull as many as they need to fill their buffer).
 *
 * Re-iteration: each call of `[Symbol.iterator]()` on a result starts afresh,
 * by calling `[Symbol.iterator]()` on its source again. Over an array, or any
 * other re-iterable source, a pipeline can be run any number of times and gives
 * the same elements each time. Over a one-shot iterator (a generator object),
 * the second run sees whatever the first left.
 *
 * The `AsyncIterable` versions, with the same names, live in `async-iter.ts`
 * (`asyncIter` in `typegrad`).
 */
import { checkCount, checkPositive, indexStream } from './shared.js';
import type { Key } from '../random/key.js';
import { checkFunction, checkIterable, checkOptions } from '../core/validate.js';

/** An iterable over `source` that runs `make` on each iteration; `source` is checked now, not at the first pull. */
function lazily<A>(op: string, source: unknown, make: () => Iterator<A>): Iterable<A> {
  checkIterable(op, 'source', source);
  return { [Symbol.iterator]: make };
}

/**
 * Applies `f` to each element (and its 0-based position).
 *
 * @example
 * ```ts
 * import { pipe } from 'fp-ts/lib/function.js';
 * [...pipe([1, 2, 3], map((x) => x * 10))]; // [10, 20, 30]
 * ```
 */
export function map<A, B>(f: (a: A, index: number) => B): (source: Iterable<A>) => Iterable<B> {
  checkFunction('iter.map', 'f', f);
  return (source) =>
    lazily('iter.map', source, function* () {
      let i = 0;
      for (const a of source) yield f(a, i++);
    });
}

/**
 * Keeps the elements for which `predicate` holds; a type guard narrows the element type.
 *
 * @example
 * ```ts
 * import { pipe } from 'fp-ts/lib/function.js';
 * [...pipe([1, 2, 3, 4], filter((x) => x % 2 === 0))]; // [2, 4]
 * ```
 */
export function filter<A, B extends A>(predicate: (a: A, index: number) => a is B): (source: Iterable<A>) => Iterable<B>;
export function filter<A>(predicate: (a: A, index: number) => boolean): (source: Iterable<A>) => Iterable<A>;
export function filter<A>(predicate: (a: A, index: number) => boolean): (source: Iterable<A>) => Iterable<A> {
  checkFunction('iter.filter', 'predicate', predicate);
  return (source) =>
    lazily('iter.filter', source, function* () {
      let i = 0;
      for (const a of source) if (predicate(a, i++)) yield a;
    });
}

/**
 * The first `count` elements. Never pulls element `count + 1` from the
 * source; closes the source after the last one. `count` must be a
 * non-negative integer (`ValueError` otherwise).
 *
 * @example
 * ```ts
 * import { pipe } from 'fp-ts/lib/function.js';
 * function* naturals() { for (let i = 0; ; i++) yield i; }
 * [...pipe({ [Symbol.iterator]: naturals }, take(3))]; // [0, 1, 2]
 * ```
 */
export function take(count: number): <A>(source: Iterable<A>) => Iterable<A> {
  const n = checkCount('take', 'count', count);
  return <A>(source: Iterable<A>) =>
    lazily('take', source, function* () {
      if (n === 0) return;
      let i = 0;
      for (const a of source) {
        yield a;
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
 * [...pipe([1, 2, 3, 4], skip(2))]; // [3, 4]
 * ```
 */
export function skip(count: number): <A>(source: Iterable<A>) => Iterable<A> {
  const n = checkCount('skip', 'count', count);
  return <A>(source: Iterable<A>) =>
    lazily('skip', source, function* () {
      let i = 0;
      for (const a of source) if (i++ >= n) yield a;
    });
}

/**
 * Options of `batch`: `dropLast` drops a final batch shorter than the size.
 *
 * @example
 * ```ts
 * const opts: BatchOptions = { dropLast: true };
 * ```
 */
export interface BatchOptions {
  readonly dropLast?: boolean;
}

/**
 * Groups consecutive elements into arrays of `size` (a positive integer,
 * `ValueError` otherwise). The last batch is shorter when the length is not a
 * multiple of `size`, unless `dropLast` is set. Each batch is a new array.
 *
 * @example
 * ```ts
 * import { pipe } from 'fp-ts/lib/function.js';
 * [...pipe([1, 2, 3, 4, 5], batch(2))];                     // [[1, 2], [3, 4], [5]]
 * [...pipe([1, 2, 3, 4, 5], batch(2, { dropLast: true }))]; // [[1, 2], [3, 4]]
 * ```
 */
export function batch(size: number, options: BatchOptions = {}): <A>(source: Iterable<A>) => Iterable<A[]> {
  checkOptions('batch', options);
  const n = checkPositive('batch', 'size', size);
  const dropLast = options.dropLast ?? false;
  return <A>(source: Iterable<A>) =>
    lazily('batch', source, function* () {
      let current: A[] = [];
      for (const a of source) {
        current.push(a);
        if (current.length === n) {
          yield current;
          current = [];
        }
      }
      if (current.length > 0 && !dropLast) yield current;
    });
}

/**
 * Shuffles through a buffer of `size` elements, as `tf.data`'s `shuffle`
 * does: fill the buffer, then for each new element emit a random buffered one
 * and put the new one in its place; at the end, emit the rest in random order.
 * A buffer at least as long as the source gives a uniform shuffle; a smaller
 * one only mixes nearby elements. `size` must be a positive integer.
 *
 * Deterministic: the order depends only on `key` and the source, and every
 * pass over the result gives the same order. For a new order each epoch, pass
 * `random.foldIn(key, epoch)`.
 *
 * @example
 * ```ts
 * import { pipe } from 'fp-ts/lib/function.js';
 * import { random } from 'typegrad';
 * [...pipe([0, 1, 2, 3, 4, 5], shuffleBuffer(random.key(0), 6))]; // a permutation, the same on every run
 * ```
 */
export function shuffleBuffer(key: Key, size: number): <A>(source: Iterable<A>) => Iterable<A> {
  const n = checkPositive('shuffleBuffer', 'buffer size', size);
  indexStream(key, 'shuffleBuffer'); // checks the key now, not at the first pull
  return <A>(source: Iterable<A>) =>
    lazily('shuffleBuffer', source, function* () {
      const rng = indexStream(key, 'shuffleBuffer');
      const buffer: A[] = [];
      for (const a of source) {
        if (buffer.length < n) {
          buffer.push(a);
          continue;
        }
        const j = rng.below(n);
        const out = buffer[j]!;
        buffer[j] = a;
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
 * Pairs the source with `other`, element by element, stopping at the shorter
 * one (and closing the other).
 *
 * @example
 * ```ts
 * import { pipe } from 'fp-ts/lib/function.js';
 * [...pipe([1, 2, 3], zip(['a', 'b']))]; // [[1, 'a'], [2, 'b']]
 * ```
 */
export function zip<B>(other: Iterable<B>): <A>(source: Iterable<A>) => Iterable<[A, B]> {
  checkIterable('iter.zip', 'other', other);
  return <A>(source: Iterable<A>) =>
    lazily('iter.zip', source, function* () {
      const bs = other[Symbol.iterator]();
      let bDone = false;
      try {
        for (const a of source) {
          const b = bs.next();
          if (b.done) {
            bDone = true;
            return;
          }
          yield [a, b.value] as [A, B];
        }
      } finally {
        if (!bDone) bs.return?.();
      }
    });
}

/**
 * Pairs each element with its 0-based position. A plain unary function: use
 * it in `pipe` without calling it.
 *
 * @example
 * ```ts
 * import { pipe } from 'fp-ts/lib/function.js';
 * [...pipe(['a', 'b'], enumerate)]; // [[0, 'a'], [1, 'b']]
 * ```
 */
export function enumerate<A>(source: Iterable<A>): Iterable<[number, A]> {
  return lazily('iter.enumerate', source, function* () {
    let i = 0;
    for (const a of source) yield [i++, a] as [number, A];
  });
}
