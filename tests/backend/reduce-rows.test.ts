/**
 * The sum kernel after merging neighbouring reduced (or kept) dims and with
 * its float32 rows: the same float64 sums, added in memory order, as a
 * naive walk over every element, rounded once to float32; on random shapes
 * with size-1 and size-0 dims and any set of axes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sum, type AnyTensor } from '../../src/index.js';
import { fromStorage } from '../../src/core/tensor.js';

const problem = fc
  .record({ shape: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 4 }), mask: fc.nat(15), seed: fc.integer({ min: 1, max: 1e6 }) })
  .map((r) => ({ ...r, axes: r.shape.map((_, i) => i).filter((i) => (r.mask >> i) & 1) }));

describe('sum over axes', () => {
  it('adds in memory order in float64 and rounds once, for float32 input', () => {
    fc.assert(
      fc.property(problem, ({ shape, axes, seed }) => {
        const size = shape.reduce((a, b) => a * b, 1);
        let s = seed;
        const data = Float32Array.from({ length: size }, () => ((s = (s * 1103515245 + 12345) % 2147483648), s / 1073741824 - 1));
        const got = sum(fromStorage(data, shape, 'float32') as AnyTensor, axes as never).toTypedArray();
        // The naive walk: each element's output slot, in memory order.
        const kept = shape.map((_, i) => !axes.includes(i));
        const outShape = shape.filter((_, i) => kept[i]);
        const want = new Float64Array(outShape.reduce((a, b) => a * b, 1));
        const idx = new Array<number>(shape.length).fill(0);
        for (let e = 0; e < size; e++) {
          let o = 0;
          shape.forEach((d, i) => { if (kept[i]) o = o * d + idx[i]!; });
          want[o] += data[e]!;
          for (let k = shape.length - 1; k >= 0; k--) if (++idx[k]! < shape[k]!) break; else idx[k] = 0;
        }
        expect(got).toEqual(Float32Array.from(want));
      }),
      { numRuns: 300, seed: 8 },
    );
  });
});
