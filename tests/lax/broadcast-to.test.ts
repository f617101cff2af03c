import fc from 'fast-check';
import { describe, it } from 'vitest';
import { broadcastTo } from '../../src/lax/index.js';
import { type Ref, arbDType, arbValues, expectExact, make, ravel, runs, sizeOf, unravel, untouched } from './helpers.js';

/** Naive broadcast: out[i] = x[j], j the trailing part of i with broadcast (size-1) axes at 0. */
function refBroadcast(x: Ref, to: readonly number[]): Ref {
  const off = to.length - x.shape.length;
  const data = Array.from({ length: sizeOf(to) }, (_, o) => {
    const i = unravel(o, to);
    return x.data[ravel(x.shape.map((d, k) => (d === 1 ? 0 : i[off + k]!)), x.shape)]!;
  });
  return { data, shape: [...to] };
}

/**
 * A target shape and a shape that broadcasts to it: some axes set to 1 and
 * some leading ones dropped. Dims reach past 16, so rows are long enough for
 * the block-copy path, and whole-block repeats (`[1, ...s]` to `[B, ...s]`) are common.
 */
const arbBroadcastCase = fc
  .array(fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 16, max: 40 })), { minLength: 0, maxLength: 4 })
  .chain((to) =>
    fc.tuple(fc.constant(to), fc.array(fc.boolean(), { minLength: to.length, maxLength: to.length }), fc.integer({ min: 0, max: to.length }), arbDType),
  )
  .filter(([to]) => sizeOf(to) <= 20_000)
  .chain(([to, ones, drop, dtype]) => {
    const shape = to.map((d, i) => (ones[i] ? 1 : d)).slice(drop);
    return arbValues(sizeOf(shape), dtype).map((data) => ({ ref: { data, shape }, to, dtype }));
  });

describe('broadcastTo', () => {
  it('matches the naive reference on random shapes (repeated blocks, long rows, broadcast axes anywhere) and dtypes', () => {
    fc.assert(
      fc.property(arbBroadcastCase, ({ ref, to, dtype }) => {
        const x = make(ref.data, ref.shape, dtype);
        expectExact(untouched([x], () => broadcastTo(x, to)), refBroadcast(ref, to), dtype);
      }),
      runs(200),
    );
  });

  it('matches the reference on each kernel path: whole repeats, long unbroadcast rows, element loops', () => {
    const cases: [number[], number[]][] = [
      [[1, 3], [5, 7, 3]], // whole repeat, 35 copies
      [[2, 1, 20], [2, 3, 20]], // rows of 20 copied as blocks, broadcast in the middle
      [[3, 1, 1, 17], [3, 2, 4, 17]],
      [[1, 40, 1], [2, 40, 16]], // broadcast innermost: element loop
      [[5, 1], [5, 30]],
      [[16], [0, 16]], // empty output
    ];
    for (const [shape, to] of cases) {
      for (const dtype of ['float32', 'float64', 'int32'] as const) {
        const data = Array.from({ length: sizeOf(shape) }, (_, i) => (i * 7) % 23 - 11);
        const x = make(data, shape, dtype);
        expectExact(untouched([x], () => broadcastTo(x, to)), refBroadcast({ data, shape }, to), dtype);
      }
    }
  });

  it('repeats a block whose count is not a power of two, and a bool tensor', () => {
    const x = make([1, 2, 3], [1, 3], 'float32');
    expectExact(broadcastTo(x, [5, 7, 3]), refBroadcast({ data: [1, 2, 3], shape: [1, 3] }, [5, 7, 3]), 'float32');
    const b = make([1, 0], [2], 'bool');
    expectExact(broadcastTo(b, [3, 2]), { data: [1, 0, 1, 0, 1, 0], shape: [3, 2] }, 'bool');
  });
});
