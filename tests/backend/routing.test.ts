/**
 * The public ops route large float32 work to the WebAssembly kernels; these
 * tests pin that the routed results equal a float64 reference within float32
 * tolerance, on odd sizes above the routing thresholds (the kernels' own
 * property tests are in wasm-*.test.ts).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { abs, add, exp, log, matmul, maximum, mul, neg, relu, sigmoid, sqrt, sub, sum, tanh, tensor, div } from '../../src/index.js';
import { wasmEnabled } from '../../src/backend/accelerated.js';
import { setCallerClaimsChunks, setWasmThreads, startWasmWorkers, wasmInfo } from '../../src/backend/wasm/index.js';
import { availableParallelism } from 'node:os';
import { arbTensor } from '../../src/testing/arbitraries.js';

const close = (got: ArrayLike<number>, want: ArrayLike<number>, rtol = 1e-5, atol = 1e-6) => {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (Math.abs(got[i]! - want[i]!) > atol + rtol * Math.abs(want[i]!)) {
      throw new Error(`at ${i}: got ${got[i]}, want ${want[i]}`);
    }
  }
};

describe('routing to the WebAssembly kernels', () => {
  it('is on in this environment (so the tests below exercise it)', () => {
    expect(wasmEnabled()).toBe(true);
  });

  it('matmul above the threshold equals a float64 product', () => {
    fc.assert(
      fc.property(fc.integer({ min: 9, max: 40 }), fc.integer({ min: 9, max: 70 }), fc.integer({ min: 1, max: 37 }), (m, k, n) => {
        const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i * 0.37));
        const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.11));
        const want = new Float64Array(m * n);
        for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) want[i * n + j]! += a[i * k + p]! * b[p * n + j]!;
        close(matmul(tensor(a, [m, k]), tensor(b, [k, n])).toTypedArray(), want, 1e-4, 1e-4);
      }),
      { numRuns: 25 },
    );
  });

  it('neg, abs, relu and sqrt above the threshold give the bits of the TypeScript loops (NaN, signed zeros, infinities)', () => {
    const special = [NaN, -0, 0, Infinity, -Infinity, 1e-40, -1e-40, 3.4e38];
    for (const size of [1024, 4099, 70_001]) {
      const data = Float32Array.from({ length: size }, (_, i) => (i % 11 === 0 ? special[(i / 11) % special.length]! : Math.sin(i * 0.7) * 5));
      const x = tensor(data, [size]);
      const ops: [string, () => ArrayLike<number> & { buffer: ArrayBufferLike; byteOffset: number }, (v: number) => number][] = [
        ['neg', () => neg(x).toTypedArray(), (v) => -v],
        ['abs', () => abs(x).toTypedArray(), Math.abs],
        ['relu', () => relu(x).toTypedArray(), (v) => (v > 0 || v !== v ? v : 0)],
        ['sqrt', () => sqrt(x).toTypedArray(), Math.sqrt],
      ];
      // The largest size is threaded: with every chunk left to the workers, their chunk count proves the kernel ran.
      const proven = size === 70_001 && availableParallelism() > 1;
      for (const [name, op, ref] of ops) {
        const chunks = wasmInfo().workerChunks;
        const threads = proven ? (startWasmWorkers(), setWasmThreads(2)) : null, claims = proven ? setCallerClaimsChunks(false) : null;
        let got: ReturnType<typeof op>;
        try {
          got = op();
        } finally {
          if (claims !== null) setCallerClaimsChunks(claims);
          if (threads !== null) setWasmThreads(threads);
        }
        const want = Float32Array.from(data, ref);
        expect(new Int32Array(got.buffer, got.byteOffset, size), `${name} on ${size}`).toEqual(new Int32Array(want.buffer));
        if (proven) expect(wasmInfo().workerChunks, `${name} on ${size} ran on the WebAssembly kernel`).toBeGreaterThan(chunks);
      }
      expect(x.toTypedArray()).toEqual(data);
    }
  });

  it('unary, binary and sum kernels above the thresholds equal Math.* in float64', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1025, max: 3000 }).chain((n) => arbTensor([n], { min: -5, max: 5 })), (x) => {
        const xs = Array.from(x.toTypedArray());
        close(exp(x).toTypedArray(), xs.map(Math.exp));
        close(tanh(x).toTypedArray(), xs.map(Math.tanh));
        close(sigmoid(x).toTypedArray(), xs.map((v) => 1 / (1 + Math.exp(-v))));
        const pos = add(mul(x, x), 1);
        close(log(pos).toTypedArray(), Array.from(pos.toTypedArray(), Math.log));
        close(sub(x, 2).toTypedArray(), xs.map((v) => Math.fround(v - 2)), 0, 0);
        close(div(x, 3).toTypedArray(), xs.map((v) => Math.fround(v / 3)), 0, 0);
        close(maximum(x, 0).toTypedArray(), xs.map((v) => Math.max(v, 0)), 0, 0);
        close([sum(x).item()], [xs.reduce((s, v) => s + v, 0)], 1e-6, 1e-4);
        const rows = tensor(Float32Array.from(xs.slice(0, 1024)), [32, 32]);
        const want = Array.from({ length: 32 }, (_, r) => xs.slice(r * 32, r * 32 + 32).reduce((s, v) => s + v, 0));
        close(sum(rows, 1).toTypedArray(), want, 1e-6, 1e-5);
      }),
      { numRuns: 20 },
    );
  });

  it('matmul with K = 1 (outer products) above the threshold gives each product rounded once, batched and broadcast', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 8, max: 300 }), fc.integer({ min: 8, max: 140 }), fc.boolean(), (batch, m, n, shareB) => {
        fc.pre(batch * m * n >= 4096 && batch * m * n <= 400_000);
        const a = Float32Array.from({ length: batch * m }, (_, i) => Math.sin(i * 0.37));
        const b = Float32Array.from({ length: (shareB ? 1 : batch) * n }, (_, i) => Math.cos(i * 0.11));
        const [aCopy, bCopy] = [a.slice(), b.slice()];
        const got = matmul(tensor(a, [batch, m, 1]), tensor(b, [shareB ? 1 : batch, 1, n])).toTypedArray();
        const want = new Float64Array(batch * m * n);
        for (let t = 0; t < batch; t++) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) want[(t * m + i) * n + j] = Math.fround(a[t * m + i]! * b[(shareB ? 0 : t) * n + j]!);
        close(got, want, 0, 0);
        expect(a).toEqual(aCopy);
        expect(b).toEqual(bCopy);
      }),
      { numRuns: 15 },
    );
  });

  it('binary ops with an operand repeated along the other (a bias row) above the threshold equal the elementwise definition', () => {
    fc.assert(
      fc.property(fc.integer({ min: 32, max: 150 }), fc.integer({ min: 32, max: 60 }), fc.boolean(), (cols, rows, rowFirst) => {
        const big = tensor(Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i * 0.37) * 3), [rows, 1, cols]);
        const rowT = tensor(Float32Array.from({ length: cols }, (_, i) => Math.cos(i * 0.11) + 2), rowFirst ? [cols] : [1, cols]);
        const x = Array.from(big.toTypedArray()), r = Array.from(rowT.toTypedArray());
        const at = (i: number) => r[i % cols]!;
        close(add(big, rowT).toTypedArray(), x.map((v, i) => Math.fround(v + at(i))), 0, 0);
        close(sub(rowT, big).toTypedArray(), x.map((v, i) => Math.fround(at(i) - v)), 0, 0);
        close(mul(big, rowT).toTypedArray(), x.map((v, i) => Math.fround(v * at(i))), 0, 0);
        close(div(rowT, big).toTypedArray(), x.map((v, i) => Math.fround(at(i) / v)), 0, 0);
        close(maximum(big, rowT).toTypedArray(), x.map((v, i) => Math.max(v, at(i))), 0, 0);
        expect(Array.from(big.toTypedArray())).toEqual(x);
      }),
      { numRuns: 20 },
    );
  });
});
