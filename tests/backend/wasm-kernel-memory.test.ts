/**
 * `wasmWithKernelMemory`: lists of independent products laid out by the
 * caller, with A read through any strides and B packed from B or Bᵀ, give
 * exactly what `wasmMatmulF32` gives for the same operands (the same
 * micro-kernel and the same order of sums), on one thread or several.
 */
import fc from 'fast-check';
import { describe, expect, it, onTestFinished } from 'vitest';
import { isWasmAvailable, setWasmThreads, startWasmWorkers, wasmMatmulF32, wasmWithKernelMemory } from '../../src/backend/wasm/index.js';
import { pseudoRandom } from '../lax/helpers.js';

/** Deterministic float32 values in [-1, 1) (the LCG of the lax tests). */
const values = (n: number, seed: number): Float32Array => Float32Array.from(pseudoRandom(n, seed));

/** One product: A `[m, k]` (stored transposed when `ta`), B `[k, n]` (stored as Bᵀ when `tb`). */
const product = fc.record({
  m: fc.integer({ min: 1, max: 70 }), k: fc.integer({ min: 1, max: 300 }), n: fc.integer({ min: 1, max: 40 }),
  ta: fc.boolean(), tb: fc.boolean(), seed: fc.integer({ min: 1, max: 1e6 }),
});

/** Every product of `list` through the kernel memory, as row-major `[m, n]` arrays. */
function viaKernelMemory(list: readonly { m: number; k: number; n: number; ta: boolean; tb: boolean; a: Float32Array; b: Float32Array }[]): Float32Array[] {
  return wasmWithKernelMemory((km) => {
    const at = list.map((p) => ({ a: km.alloc(p.m * p.k), b: km.alloc(p.k * p.n), bp: km.alloc(km.packedSize(p.k, p.n)), c: km.alloc(km.cRows(p.m) * km.cStride(p.n)) }));
    const mem = km.f32();
    list.forEach((p, i) => {
      mem.set(p.a, at[i]!.a);
      mem.set(p.b, at[i]!.b);
    });
    km.pack(list.map((p, i) => ({ src: at[i]!.b, dst: at[i]!.bp, k: p.k, n: p.n, trans: p.tb })));
    km.multiply(list.map((p, i) => ({ a: at[i]!.a, lda: p.ta ? 1 : p.k, csa: p.ta ? p.m : 1, bp: at[i]!.bp, c: at[i]!.c, m: p.m, k: p.k, n: p.n })));
    const res = km.f32();
    return list.map((p, i) => {
      const out = new Float32Array(p.m * p.n);
      for (let r = 0; r < p.m; r++) out.set(res.subarray(at[i]!.c + r * km.cStride(p.n), at[i]!.c + r * km.cStride(p.n) + p.n), r * p.n);
      return out;
    });
  });
}

describe.runIf(isWasmAvailable())('wasmWithKernelMemory', () => {
  it('computes each product exactly as wasmMatmulF32 does, for strided A and packed B or Bᵀ', () => {
    fc.assert(
      fc.property(fc.array(product, { minLength: 1, maxLength: 5 }), (ps) => {
        const list = ps.map((p) => ({ ...p, a: values(p.m * p.k, p.seed), b: values(p.k * p.n, p.seed + 1) }));
        const a0 = list.map((p) => p.a.slice()), b0 = list.map((p) => p.b.slice());
        const got = viaKernelMemory(list);
        list.forEach((p, i) => {
          const want = new Float32Array(p.m * p.n);
          wasmMatmulF32(p.a, p.b, p.m, p.k, p.n, want, p.ta, p.tb);
          expect(got[i]).toEqual(want);
          expect(p.a).toEqual(a0[i]);
          expect(p.b).toEqual(b0[i]);
        });
      }),
      { numRuns: 30, seed: 3 },
    );
  });

  it('gives bit-identical results on one thread and on several', () => {
    startWasmWorkers();
    const list = Array.from({ length: 6 }, (_, i) => ({ m: 64, k: 200 + i, n: 48, ta: i % 2 === 0, tb: i % 3 === 0, a: values(64 * (200 + i), i + 1), b: values((200 + i) * 48, i + 9) }));
    const threaded = viaKernelMemory(list);
    const before = setWasmThreads(1);
    onTestFinished(() => { setWasmThreads(before); });
    expect(viaKernelMemory(list)).toEqual(threaded);
  });

  it('rejects empty products', () => {
    expect(() => wasmWithKernelMemory((km) => km.multiply([{ a: 0, lda: 1, csa: 1, bp: 0, c: 0, m: 0, k: 1, n: 1 }]))).toThrow(/positive sizes/);
  });
});
