/**
 * Resident arrays: blocks of kernel memory that kernels read and write in
 * place. Kernels must give the same values whether their operands and
 * outputs are resident or plain arrays, and in place over an input.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  fx, setWasmThreads, isResident, isWasmAvailable, residentAvailable, residentF32, startWasmWorkers, threadThresholds, wasmBinaryF32, wasmFusedMultiF32, wasmMatmulF32, wasmSumLastAxisF32, wasmUnaryF32,
} from '../../src/backend/wasm/index.js';

const run = isWasmAvailable() && residentAvailable() ? describe : describe.skip;

const resident = (xs: Float32Array): Float32Array => {
  const r = residentF32(xs.length);
  r.set(xs);
  return r;
};
const floats = (n: number) => fc.float32Array({ minLength: n, maxLength: n, noNaN: true, min: -100, max: 100 });

/** Runs `f` with every matmul threaded (the flop threshold at 0) when `threaded`, restoring the threshold after. */
function maybeThreaded(threaded: boolean, f: () => void): void {
  const saved = threadThresholds.matmulFlops;
  if (threaded) threadThresholds.matmulFlops = 0;
  try {
    f();
  } finally {
    threadThresholds.matmulFlops = saved;
  }
}

run('resident arrays', () => {
  it('start zeroed, are resident, and plain arrays are not', () => {
    const r = residentF32(37);
    expect(isResident(r)).toBe(true);
    expect(isResident(new Float32Array(4))).toBe(false);
    expect([...r].every((v) => v === 0)).toBe(true);
  });

  it('kernels give the same values with resident operands and outputs as with plain arrays', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 300 }).chain((n) => fc.tuple(floats(n), floats(n))), ([a, b]) => {
      const n = a.length;
      const plain = new Float32Array(n), res = residentF32(n);
      wasmBinaryF32('mul', a, b, plain);
      wasmBinaryF32('mul', resident(a), resident(b), res);
      expect(res).toEqual(plain);
      wasmUnaryF32('tanh', a, plain);
      wasmUnaryF32('tanh', resident(a), res);
      expect(res).toEqual(plain);
      const sp = new Float32Array(1), sr = residentF32(1);
      wasmSumLastAxisF32(a, 1, n, sp);
      wasmSumLastAxisF32(resident(a), 1, n, sr);
      expect(sr).toEqual(sp);
      const mp = new Float32Array(1), mr = residentF32(1);
      wasmMatmulF32(a, b, 1, n, 1, mp);
      wasmMatmulF32(resident(a), resident(b), 1, n, 1, mr);
      expect(mr).toEqual(mp);
    }), { numRuns: 40 });
  });

  it('matmul reads resident operands and writes a resident output in place, also over its own A, on any shape and thread count', () => {
    startWasmWorkers();
    const dim = fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 10, max: 140 }));
    fc.assert(fc.property(dim, dim, dim, fc.boolean(), fc.boolean(), fc.boolean(), fc.nat(), (m, k, n, ta, tb, threaded, seed) => {
      const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(seed + i)), b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(seed + i));
      maybeThreaded(threaded, () => {
        const want = new Float32Array(m * n);
        wasmMatmulF32(a, b, m, k, n, want, ta, tb);
        const out = residentF32(m * n);
        wasmMatmulF32(resident(a), resident(b), m, k, n, out, ta, tb);
        expect(out).toEqual(want);
        // The output over A: each chunk's rows would land on rows of A that other chunks still read.
        const shared = residentF32(Math.max(m * k, m * n) + 3);
        shared.set(a, 3);
        wasmMatmulF32(shared.subarray(3, 3 + m * k), b, m, k, n, shared.subarray(0, m * n), ta, tb);
        expect(shared.subarray(0, m * n)).toEqual(want);
      });
    }), { numRuns: 40, examples: [[70, 33, 16, false, false, true, 1], [70, 33, 17, true, true, true, 2]] });
  });

  it('matmul writes a resident output of whole tiles (M a multiple of 4, N of 8) as C itself, K slices included', () => {
    startWasmWorkers();
    const tiles = (unit: number) => fc.integer({ min: 1, max: 24 }).map((t) => t * unit);
    const depth = fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 500, max: 1100 }));
    fc.assert(fc.property(tiles(4), depth, tiles(8), fc.boolean(), fc.boolean(), fc.boolean(), fc.nat(), (m, k, n, ta, tb, threaded, seed) => {
      const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(seed + i)), b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(seed + i));
      maybeThreaded(threaded, () => {
        const want = new Float32Array(m * n);
        wasmMatmulF32(a, b, m, k, n, want, ta, tb);
        // Garbage in the output first: every element must be overwritten, not accumulated into.
        const out = residentF32(m * n).fill(Number.NaN);
        wasmMatmulF32(resident(a), resident(b), m, k, n, out, ta, tb);
        expect(out).toEqual(want);
        const single = setWasmThreads(1);
        const one = residentF32(m * n);
        wasmMatmulF32(resident(a), resident(b), m, k, n, one, ta, tb);
        setWasmThreads(single);
        expect(one).toEqual(want);
      });
    }), { numRuns: 30, examples: [[64, 784, 128, false, false, true, 1], [784, 64, 128, true, false, true, 2], [4, 1, 8, false, true, false, 3]] });
  });

  it('a multi-output kernel writes in place over inputs it still reads', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 200 }).chain((n) => fc.tuple(floats(n), floats(n))), ([p, m]) => {
      const { input, constant, add, sub, mul } = fx;
      // The second pair: the first output overwrites p before anything else has read it.
      for (const exprs of [
        [sub(input(0), mul(input(1), constant(0.1))), add(mul(input(1), constant(0.9)), input(0))],
        [mul(input(1), constant(0.9)), add(input(0), constant(1))],
      ]) {
        const want = [new Float32Array(p.length), new Float32Array(p.length)];
        wasmFusedMultiF32(exprs, [p, m], want);
        const rp = resident(p), rm = resident(m);
        wasmFusedMultiF32(exprs, [rp, rm], [rp, rm]);
        expect(rp).toEqual(want[0]);
        expect(rm).toEqual(want[1]);
      }
    }), { numRuns: 40 });
  });
});

describe.runIf(isWasmAvailable())('worker pool, back-to-back jobs', () => {
  it('threaded jobs posted right after one another with different chunk counts give the single-thread values', () => {
    startWasmWorkers();
    const sizes = [[128, 128, 128], [136, 130, 128], [200, 128, 160]] as const;
    const cases = sizes.map(([m, k, n]) => {
      const a = new Float32Array(m * k).map((_, i) => Math.sin(i)), b = new Float32Array(k * n).map((_, i) => Math.cos(i));
      const want = new Float32Array(m * n);
      const before = setWasmThreads(1);
      wasmMatmulF32(a, b, m, k, n, want);
      setWasmThreads(before);
      return { m, k, n, a, b, want };
    });
    // A job posted while a slow worker still looks at the previous ticket must not be claimed against the old ticket.
    for (let r = 0; r < 60; r++) {
      for (const { m, k, n, a, b, want } of cases) {
        const out = new Float32Array(m * n);
        wasmMatmulF32(a, b, m, k, n, out);
        expect(out).toEqual(want);
      }
    }
  });
});
