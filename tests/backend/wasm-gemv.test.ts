/**
 * Matrix-vector products on their own kernel: the same values as the
 * float64 reference within float32 rounding, for every transpose flag,
 * odd sizes and resident or plain arrays.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isWasmAvailable, wasmGemvF32 } from '../../src/backend/wasm/index.js';

/** `A · B` in float64 from row-major A [m, k], B [k, n]. */
function reference(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) out[i * n + j]! += a[i * k + p]! * b[p * n + j]!;
  return out;
}
/** The row-major transpose of a [r, c] array. */
const transpose = (x: Float32Array, r: number, c: number): Float32Array => {
  const t = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = x[i * c + j]!;
  return t;
};

describe.runIf(isWasmAvailable())('wasmGemvF32', () => {
  it('computes M = 1 and N = 1 products, with either operand stored transposed', () => {
    fc.assert(fc.property(fc.boolean(), fc.integer({ min: 1, max: 70 }), fc.integer({ min: 0, max: 45 }), fc.boolean(), fc.boolean(), (rowVec, other, k, ta, tb) => {
      const [m, n] = rowVec ? [1, other] : [other, 1];
      const a = new Float32Array(m * k).map((_, i) => Math.sin(i * 0.9) * 3);
      const b = new Float32Array(k * n).map((_, i) => Math.cos(i * 0.4) * 2);
      const want = reference(a, b, m, k, n);
      const out = new Float32Array(m * n).fill(NaN);
      wasmGemvF32(ta ? transpose(a, m, k) : a, tb ? transpose(b, k, n) : b, m, k, n, out, ta, tb);
      const scale = a.reduce((s, v) => s + Math.abs(v), 0) * 3 + 1;
      out.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThanOrEqual(1e-6 * scale));
    }), { numRuns: 80, examples: [[false, 455, 30, false, false], [true, 30, 455, false, false], [true, 1, 1, true, true], [false, 3, 0, false, false]] });
  });

  it('refuses a product that is not a matrix-vector product', () => {
    expect(() => wasmGemvF32(new Float32Array(4), new Float32Array(4), 2, 2, 2, new Float32Array(4))).toThrow(/one of M and N must be 1/);
  });
});
