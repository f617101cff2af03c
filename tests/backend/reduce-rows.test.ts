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
import { isWasmAvailable, setCallerClaimsChunks, setWasmThreads, startWasmWorkers, wasmSumChannelsF32 } from '../../src/backend/wasm/index.js';
import { availableParallelism } from 'node:os';

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

  it.runIf(isWasmAvailable())('sums around a run of kept dims (a bias gradient) with the same bits on the WebAssembly kernel, on any thread', () => {
    const valueArb = fc.oneof({ weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, -0, 3e38, -3e38) }, { weight: 20, arbitrary: fc.float({ noNaN: true, min: -1e4, max: 1e4 }) });
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 11 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 40 }), fc.array(valueArb, { minLength: 1, maxLength: 64 }), fc.boolean(),
      (n, c, h, w, values, threaded) => {
        const shape = [n, c, h, w], size = n * c * h * w;
        const data = Float32Array.from({ length: size }, (_, i) => values[(i * 7 + (i >> 4)) % values.length]!);
        const copy = data.slice();
        const want = new Float64Array(c);
        for (let e = 0; e < size; e++) want[Math.floor(e / (h * w)) % c]! += data[e]!;
        expect(sum(fromStorage(data, shape, 'float32') as AnyTensor, [0, 2, 3] as never).toTypedArray()).toEqual(Float32Array.from(want));
        const out = new Float32Array(c);
        const two = threaded && availableParallelism() > 1;
        const prev = setWasmThreads(two ? 2 : 1);
        const claims = two ? (startWasmWorkers(), setCallerClaimsChunks(false)) : null;
        try {
          wasmSumChannelsF32(data, n, c, h * w, out);
        } finally {
          if (claims !== null) setCallerClaimsChunks(claims);
          setWasmThreads(prev);
        }
        expect(out).toEqual(Float32Array.from(want));
        expect(data).toEqual(copy);
      }), { numRuns: 60, examples: [[64, 32, 28, 28, [0.5, -1.25, 3], true]] });
  });
});
