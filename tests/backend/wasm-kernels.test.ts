import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { describe, expect, it, onTestFinished } from 'vitest';
import {
  binaryOps, isWasmAvailable, residentF32, setCallerClaimsChunks, setWasmThreads, startWasmWorkers, unaryOps, wasmBinaryF32, wasmBinaryTiledF32, wasmGemmF32, wasmInfo, wasmMatmulF32,
  wasmOuterF32, wasmSumAllF32,
  wasmSumLastAxisF32, wasmUnaryF32, threadThresholds, type BinaryOp,
} from '../../src/backend/wasm/index.js';
import { pseudoRandom } from '../lax/helpers.js';

/** Deterministic float32 values in [-1, 1) (the LCG of the lax tests). */
const values = (n: number, seed: number): Float32Array => Float32Array.from(pseudoRandom(n, seed));

/** C = A B in float64, and Σ_p |A[i,p] B[p,j]| per element (the scale of float32 rounding error). */
function matmulRef(a: Float32Array, b: Float32Array, m: number, k: number, n: number): { c: Float64Array; scale: Float64Array } {
  const c = new Float64Array(m * n), scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const x = a[i * k + p]!;
      for (let j = 0; j < n; j++) {
        const t = x * b[p * n + j]!;
        c[i * n + j] += t;
        scale[i * n + j] += Math.abs(t);
      }
    }
  }
  return { c, scale };
}

/** Float32 sums of k products: |error| <= (k + 1) u Σ|a b| with u = 2^-24 (plus slack for the last rounding). */
function expectMatmulClose(got: Float32Array, m: number, k: number, n: number, a: Float32Array, b: Float32Array): void {
  const { c, scale } = matmulRef(a, b, m, k, n);
  for (let i = 0; i < m * n; i++) {
    const bound = (k + 2) * 2 ** -24 * scale[i]! + 1e-30;
    if (!(Math.abs(got[i]! - c[i]!) <= bound)) {
      throw new Error(`[${m},${k}]x[${k},${n}]: element ${i} is ${got[i]}, want ${c[i]} within ${bound}`);
    }
  }
}

/**
 * `product(out)` on one thread, then (after `between`) on two with the caller
 * claiming chunks or not; both outputs have one NaN element past M·N.
 */
function oneThenTwo(size: number, claims: boolean, product: (out: Float32Array) => void, between: () => void = () => {}): [Float32Array, Float32Array] {
  const one = new Float32Array(size + 1).fill(NaN), two = new Float32Array(size + 1).fill(NaN);
  const before = setWasmThreads(1);
  try {
    product(one);
    between();
    setWasmThreads(2);
    const saveClaims = setCallerClaimsChunks(claims);
    try {
      product(two);
    } finally {
      setCallerClaimsChunks(saveClaims);
    }
  } finally {
    setWasmThreads(before);
  }
  return [one, two];
}

/** Dims that exercise the edges: 0, 1, sizes below a vector or a tile, and across the 64-row and 512-deep blocks. */
const dim = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 9 }) },
  { weight: 3, arbitrary: fc.integer({ min: 10, max: 70 }) },
  { weight: 1, arbitrary: fc.constantFrom(63, 64, 65, 129, 255, 256, 257, 300, 511, 513) },
);

describe.runIf(isWasmAvailable())('wasm kernels', () => {
  describe('wasmMatmulF32', () => {
    it('matches a float64 product within float32 rounding, on any shape', () => {
      fc.assert(fc.property(dim, dim, dim, fc.nat(), (m, k, n, seed) => {
        fc.pre(m * k * n <= 2_000_000);
        const a = values(m * k, seed), b = values(k * n, seed + 1);
        const out = new Float32Array(m * n).fill(NaN);
        wasmMatmulF32(a, b, m, k, n, out);
        expectMatmulClose(out, m, k, n, a, b);
      }), {
        numRuns: 80,
        // Always: a single element, a deep K (several 512-deep slices), many row blocks, wide N.
        examples: [[1, 1, 1, 0], [3, 1100, 5, 1], [130, 257, 9, 2], [5, 3, 300, 3], [65, 256, 17, 4]],
      });
    });

    it('transA / transB read Aᵀ [K,M] and Bᵀ [N,K] strided: bit-identical to the product of the transposed copies', () => {
      const transpose = (x: Float32Array, r: number, c: number): Float32Array => {
        const t = new Float32Array(r * c);
        for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = x[i * c + j]!;
        return t;
      };
      fc.assert(fc.property(dim, dim, dim, fc.boolean(), fc.boolean(), fc.nat(), (m, k, n, ta, tb, seed) => {
        fc.pre(m * k * n <= 2_000_000);
        const a = values(m * k, seed), b = values(k * n, seed + 1);
        const want = new Float32Array(m * n).fill(NaN);
        wasmMatmulF32(a, b, m, k, n, want);
        const got = new Float32Array(m * n + 1).fill(NaN);
        wasmMatmulF32(ta ? transpose(a, m, k) : a, tb ? transpose(b, k, n) : b, m, k, n, got, ta, tb);
        expect(Array.from(got.subarray(0, m * n))).toEqual(Array.from(want));
        expect(got[m * n]).toBeNaN(); // nothing written past M·N
      }), {
        numRuns: 60,
        // Always: one element, size-0 dims, K past two 512-deep slices, odd tiles, many row blocks.
        examples: [[1, 1, 1, true, true, 0], [0, 3, 4, true, true, 1], [3, 0, 4, true, false, 1], [4, 3, 0, false, true, 1], [3, 1100, 5, true, true, 1], [130, 257, 9, true, false, 2], [5, 3, 300, false, true, 3], [65, 256, 17, true, true, 4]],
      });
    });

    it('uses fused multiply-adds where relaxed SIMD validates; Node\'s platform turns Node 20\'s flag on, TYPEGRAD_RELAXED_SIMD=0 keeps it off (child processes)', () => {
      const index = new URL('../../src/backend/wasm/index.ts', import.meta.url).href;
      const node = new URL('../../src/platform/node.ts', import.meta.url).href;
      const script = `
        import '${node}';
        import { wasmInfo, wasmMatmulF32 } from '${index}';
        const [m, k, n] = [37, 300, 21];
        const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i)), b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i));
        const out = new Float32Array(m * n);
        wasmMatmulF32(a, b, m, k, n, out);
        let worst = 0;
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
          let c = 0, scale = 0;
          for (let p = 0; p < k; p++) { c += a[i * k + p] * b[p * n + j]; scale += Math.abs(a[i * k + p] * b[p * n + j]); }
          worst = Math.max(worst, Math.abs(out[i * n + j] - c) / ((k + 2) * 2 ** -24 * scale));
        }
        console.log(JSON.stringify({ relaxed: wasmInfo().relaxedSimd, worst }));`;
      const run = (env: Record<string, string | undefined>) => {
        const stdout = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, ...env } });
        return JSON.parse(stdout.trim().split('\n').pop()!) as { relaxed: boolean; worst: number };
      };
      const on = run({ TYPEGRAD_RELAXED_SIMD: undefined });
      expect(on.relaxed).toBe(true);
      expect(on.worst).toBeLessThanOrEqual(1);
      const off = run({ TYPEGRAD_RELAXED_SIMD: '0' });
      expect(off.relaxed).toBe(false);
      expect(off.worst).toBeLessThanOrEqual(1);
    });

    it('uses the worker threads when the kernels\' module loaded before Node\'s host was installed (child process)', () => {
      // The thread cap used to be read when wasm/index loaded: a program whose first
      // import reached it before typegrad/node (a deep import, typegrad/testing) ran
      // every kernel on one thread. With the caller claiming nothing, a threaded
      // call's chunks all go to the workers, so the count does not depend on a race.
      const index = new URL('../../src/backend/wasm/index.ts', import.meta.url).href;
      const node = new URL('../../src/platform/node.ts', import.meta.url).href;
      const script = `
        const wasm = await import('${index}');
        await import('${node}');
        const n = 256;
        const a = new Float32Array(n * n).fill(1), b = new Float32Array(n * n).fill(2), out = new Float32Array(n * n);
        const ready = wasm.startWasmWorkers();
        wasm.setCallerClaimsChunks(false);
        wasm.wasmMatmulF32(a, b, n, n, n, out);
        console.log(JSON.stringify({ ready, chunks: wasm.wasmInfo().workerChunks, value: out[0] }));`;
      const stdout = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
      const got = JSON.parse(stdout.trim().split('\n').pop()!) as { ready: number; chunks: number; value: number };
      expect(got.ready).toBeGreaterThan(0);
      expect(got.chunks).toBeGreaterThan(0);
      expect(got.value).toBe(512);
    });

    it('wasmGemmF32 (operands written and C read through callbacks) is bit-identical to wasmMatmulF32, threaded too', () => {
      startWasmWorkers();
      const saved = threadThresholds.matmulFlops;
      onTestFinished(() => { threadThresholds.matmulFlops = saved; });
      fc.assert(fc.property(dim, dim, dim, fc.boolean(), fc.nat(), (m, k, n, threaded, seed) => {
        fc.pre(m * k * n > 0 && m * k * n <= 2_000_000);
        threadThresholds.matmulFlops = threaded ? 0 : saved;
        const a = values(m * k, seed), b = values(k * n, seed + 1);
        const want = new Float32Array(m * n);
        wasmMatmulF32(a, b, m, k, n, want);
        const got = new Float32Array(m * n).fill(NaN);
        wasmGemmF32(m, k, n, (mem, at) => mem.set(a, at), (mem, at) => mem.set(b, at), (mem, at, ldc) => {
          for (let i = 0; i < m; i++) got.set(mem.subarray(at + i * ldc, at + i * ldc + n), i * n);
        });
        expect(Array.from(got)).toEqual(Array.from(want));
      }), { numRuns: 30, examples: [[70, 300, 17, true, 1], [5, 513, 129, true, 2]] });
    });

    it('writes zeros when K = 0 and nothing past M·N', () => {
      const out = new Float32Array(7).fill(5);
      wasmMatmulF32(new Float32Array(0), new Float32Array(0), 2, 0, 3, out);
      expect(Array.from(out)).toEqual([0, 0, 0, 0, 0, 0, 5]);
    });

    it('reads subarrays at an offset and keeps Infinity and NaN in their own rows and columns', () => {
      const m = 5, k = 3, n = 6;
      const a = values(m * k + 2, 7).subarray(2), b = values(k * n, 8);
      b[1 * n + 2] = Infinity; // column 2 only
      a[3 * k + 1] = NaN; // row 3 only
      const out = new Float32Array(m * n);
      wasmMatmulF32(a, b, m, k, n, out);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          const v = out[i * n + j]!;
          if (i === 3) expect(v).toBeNaN();
          else if (j === 2) expect(Math.abs(v)).toBe(Infinity);
          else expect(Number.isFinite(v)).toBe(true);
        }
      }
    });
  });

  describe('wasmBinaryF32', () => {
    /** The TypeScript kernels' results, rounded once to float32. */
    const reference: Record<BinaryOp, (x: number, y: number) => number> = {
      add: (x, y) => x + y,
      sub: (x, y) => x - y,
      mul: (x, y) => x * y,
      div: (x, y) => x / y,
      max: (x, y) => (x > y || x !== x ? x : y),
      min: (x, y) => (x < y || x !== x ? x : y),
    };
    const f32s = fc.float32Array({ maxLength: 70 });
    const special = fc.constantFrom(NaN, 0, -0, Infinity, -Infinity, 1e-45, -3.5);

    it.each(binaryOps)('%s is bit-identical to the TypeScript kernel, same shape and broadcast', (op) => {
      fc.assert(fc.property(f32s, f32s, fc.oneof(fc.float({ noDefaultInfinity: false }), special), (xs, ys, s) => {
        const n = Math.min(xs.length, ys.length);
        const a = xs.subarray(0, n), b = ys.subarray(0, n), scalar = new Float32Array([Math.fround(s)]);
        for (const [x, y] of [[a, b], [a, scalar], [scalar, b]] as const) {
          const len = Math.max(x.length, y.length);
          if (x.length !== y.length && len === 1) continue;
          const out = new Float32Array(len);
          wasmBinaryF32(op, x, y, out);
          for (let i = 0; i < len; i++) {
            const want = Math.fround(reference[op](x.length === 1 ? x[0]! : x[i]!, y.length === 1 ? y[0]! : y[i]!));
            expect(Object.is(out[i], want) || (Number.isNaN(out[i]) && Number.isNaN(want))).toBe(true);
          }
        }
      }), { numRuns: 60 });
    });

    it('rejects lengths that neither match nor broadcast', () => {
      expect(() => wasmBinaryF32('add', new Float32Array(3), new Float32Array(2), new Float32Array(3))).toThrow(/neither match/);
    });
  });

  describe('wasmBinaryTiledF32', () => {
    const sameBits = (x: number, y: number) => Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y));

    it.each(binaryOps)('%s equals wasmBinaryF32 on the repeated operand written out, either side repeating', (op) => {
      const tileAndTimes = fc.tuple(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 9 }));
      fc.assert(fc.property(tileAndTimes, fc.nat(), fc.constantFrom(NaN, -0, Infinity), ([tile, times], seed, special) => {
        const n = tile * times;
        const long = values(n, seed), short = values(tile, seed + 1);
        short[seed % tile] = special;
        const [longCopy, shortCopy] = [long.slice(), short.slice()];
        const full = Float32Array.from({ length: n }, (_, i) => short[i % tile]!);
        for (const repeatA of [false, true]) {
          const [a, b] = repeatA ? [short, long] : [long, short];
          const out = new Float32Array(n + 1).fill(7), want = new Float32Array(n);
          wasmBinaryTiledF32(op, a, b, out);
          wasmBinaryF32(op, repeatA ? full : long, repeatA ? long : full, want);
          for (let i = 0; i < n; i++) if (!sameBits(out[i]!, want[i]!)) throw new Error(`${op} tile ${tile} x ${times} (repeatA ${repeatA}): element ${i} is ${out[i]}, want ${want[i]}`);
          expect(out[n]).toBe(7);
        }
        expect(long).toEqual(longCopy);
        expect(short).toEqual(shortCopy);
      }), { numRuns: 40 });
    });

    it('rejects a shorter length that does not divide the longer', () => {
      expect(() => wasmBinaryTiledF32('add', new Float32Array(5), new Float32Array(2), new Float32Array(5))).toThrow(/must divide/);
    });
  });

  describe('wasmOuterF32', () => {
    it('is bit-identical to a[t, i] * b[t, j] + 0 rounded once, on any shape and batch, across output chunks', () => {
      const len = fc.oneof(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 10, max: 300 }), fc.constantFrom(1023, 4097, 70_000));
      fc.assert(fc.property(fc.integer({ min: 1, max: 5 }), len, len, fc.nat(), (batch, m, n, seed) => {
        fc.pre(batch * m * n <= 600_000);
        const a = values(batch * m, seed), b = values(batch * n, seed + 1);
        if (m > 0) a[seed % (batch * m)] = [NaN, -0, Infinity][seed % 3]!;
        if (n > 0) b[(seed >> 2) % (batch * n)] = -0;
        const [aCopy, bCopy] = [a.slice(), b.slice()];
        const out = new Float32Array(batch * m * n + 1).fill(7);
        wasmOuterF32(a, b, out, batch);
        for (let t = 0; t < batch; t++) {
          for (let i = 0; i < m; i++) {
            for (let j = 0; j < n; j++) {
              const got = out[(t * m + i) * n + j]!, want = Math.fround(a[t * m + i]! * b[t * n + j]!) + 0;
              if (!(Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want)))) throw new Error(`${batch}x${m}x${n}: [${t},${i},${j}] is ${got}, want ${want}`);
            }
          }
        }
        expect(out[batch * m * n]).toBe(7);
        expect(a).toEqual(aCopy);
        expect(b).toEqual(bCopy);
      }), { numRuns: 40 });
    });

    it('splits large products into kernel memory between the threads (every chunk left to the workers), bit-identical to one thread into a plain array', () => {
      for (const [batch, m, n] of [[8, 401, 512], [64, 784, 128], [1, 9000, 120]] as const) {
        const a = values(batch * m, 3), b = values(batch * n, 4);
        a[5] = NaN;
        b[7] = -0;
        const one = new Float32Array(batch * m * n + 1).fill(NaN);
        const before = setWasmThreads(1);
        try {
          wasmOuterF32(a, b, one, batch); // one thread, a piece at a time through the arena
        } finally {
          setWasmThreads(before);
        }
        expect(one[batch * m * n]).toBeNaN(); // nothing past the product
        for (const k of [0, 7, 262_143, 262_144, batch * m * n - 1]) {
          const t = Math.floor(k / (m * n)), i = Math.floor(k / n) % m, j = k % n;
          expect(Object.is(one[k], Math.fround(a[t * m + i]! * b[t * n + j]!) + 0) || Number.isNaN(one[k]!)).toBe(true);
        }
        const resident = residentF32(batch * m * n);
        const workers = availableParallelism() > 1 ? startWasmWorkers() : 0;
        if (availableParallelism() > 1) expect(workers).toBeGreaterThan(0);
        const chunks = wasmInfo().workerChunks;
        const threads = setWasmThreads(2), claims = setCallerClaimsChunks(false);
        try {
          wasmOuterF32(a, b, resident, batch);
        } finally {
          setCallerClaimsChunks(claims);
          setWasmThreads(threads);
        }
        expect(resident).toEqual(one.subarray(0, batch * m * n));
        if (workers > 0) expect(wasmInfo().workerChunks).toBeGreaterThan(chunks);
      }
    });

    it('rejects lengths that are not whole rows per batch entry', () => {
      expect(() => wasmOuterF32(new Float32Array(3), new Float32Array(4), new Float32Array(12), 2)).toThrow(/not 2 rows each/);
    });

    it('rejects an output that is too short', () => {
      expect(() => wasmOuterF32(new Float32Array(2), new Float32Array(3), new Float32Array(5))).toThrow(/out has 5 elements/);
    });
  });

  describe('sums', () => {
    /** Float64 sums rounded once; wasm sums in float64 in another order, so allow one float32 ulp. */
    const close = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(2 ** -23 * Math.abs(want) + 1e-40);

    it('wasmSumLastAxisF32 sums every row, for any row length', () => {
      fc.assert(fc.property(fc.integer({ min: 0, max: 12 }), dim, fc.nat(), (rows, cols, seed) => {
        const x = values(rows * cols, seed);
        const out = new Float32Array(rows + 1).fill(9);
        wasmSumLastAxisF32(x, rows, cols, out);
        for (let r = 0; r < rows; r++) {
          let s = 0;
          for (let j = 0; j < cols; j++) s += x[r * cols + j]!;
          close(out[r]!, Math.fround(s));
        }
        expect(out[rows]).toBe(9);
      }), { numRuns: 60 });
    });

    it('wasmSumAllF32 sums in float64 across chunks', () => {
      for (const n of [0, 1, 5, 4095, 4096, 4097, 50_000]) {
        const x = values(n, n);
        let s = 0;
        for (let i = 0; i < n; i++) s += x[i]!;
        expect(Math.abs(wasmSumAllF32(x) - s)).toBeLessThanOrEqual(1e-12 * n);
      }
    });
  });

  it('grows its memory for large inputs', () => {
    const n = 3_000_001;
    const x = values(n, 3), out = new Float32Array(n);
    wasmBinaryF32('mul', x, new Float32Array([2]), out);
    expect(out[n - 1]).toBe(x[n - 1]! * 2);
    expect(out[12345]).toBe(x[12345]! * 2);
  });

  describe.runIf(availableParallelism() > 1)('worker threads', () => {
    it('give bit-identical results to one thread', () => {
      expect(startWasmWorkers()).toBeGreaterThan(0);
      // Thread every call, however small, so that chunking sees odd sizes too.
      const saved = structuredClone(threadThresholds);
      Object.assign(threadThresholds, { matmulFlops: 0, fused: 0, binary: 0, sum: 0, unary: { exp: 0, log: 0, tanh: 0, sigmoid: 0 } });
      onTestFinished(() => { Object.assign(threadThresholds, saved); });
      const run = (threads: number, f: () => Float32Array): Float32Array => {
        const before = setWasmThreads(threads);
        try {
          return f();
        } finally {
          setWasmThreads(before);
        }
      };
      // Chunks go to whichever thread claims them first; to prove the workers' results
      // without racing, the calling thread leaves every chunk of the two-thread runs to them.
      const cases: [string, () => Float32Array][] = [];
      for (const [m, k, n] of [[131, 97, 77], [257, 300, 33], [5, 3, 2], [70, 1, 9]] as const) {
        const a = values(m * k, m), b = values(k * n, n);
        cases.push([`matmul ${m}x${k}x${n}`, () => { const o = new Float32Array(m * n); wasmMatmulF32(a, b, m, k, n, o); return o; }]);
      }
      const x = values(100_003, 5), y = values(100_003, 6);
      for (const op of unaryOps) cases.push([op, () => { const o = new Float32Array(x.length); wasmUnaryF32(op, x, o); return o; }]);
      for (const op of binaryOps) cases.push([op, () => { const o = new Float32Array(x.length); wasmBinaryF32(op, x, y, o); return o; }]);
      cases.push(['sum rows', () => { const o = new Float32Array(1001); wasmSumLastAxisF32(x, 1001, 99, o); return o; }]);
      cases.push(['sum all', () => new Float32Array([wasmSumAllF32(x)])]);
      for (const [name, f] of cases) {
        const one = run(1, f);
        const before = wasmInfo().workerChunks;
        const claims = setCallerClaimsChunks(false);
        try {
          expect(run(2, f), name).toEqual(one);
        } finally {
          setCallerClaimsChunks(claims);
        }
        expect(wasmInfo().workerChunks, name).toBeGreaterThan(before);
      }
    });

    it('back-to-back jobs whose chunk count grows never let a worker claim a chunk of a job still being written', () => {
      // A worker finishing the last chunk of one job may re-read the control block while the
      // next job's words are being written; before the ticket was closed first, it could claim
      // a chunk of the new job from half-written arguments (a trap, or a wrong product).
      expect(startWasmWorkers()).toBeGreaterThan(0);
      const saved = threadThresholds.matmulFlops;
      threadThresholds.matmulFlops = 0;
      onTestFinished(() => { threadThresholds.matmulFlops = saved; });
      const shapes = [[3, 5, 2], [257, 31, 33], [9, 4, 7], [130, 17, 65]] as const;
      const inputs = shapes.map(([m, k, n], i) => ({ m, k, n, a: values(m * k, 11 + i), b: values(k * n, 21 + i) }));
      const product = ({ m, k, n, a, b }: (typeof inputs)[number]): Float32Array => {
        const o = new Float32Array(m * n);
        wasmMatmulF32(a, b, m, k, n, o);
        return o;
      };
      const before = setWasmThreads(1);
      let want: Float32Array[];
      try {
        want = inputs.map(product);
      } finally {
        setWasmThreads(before);
      }
      setWasmThreads(2);
      try {
        for (let round = 0; round < 1500; round++) {
          const i = round % inputs.length;
          const got = product(inputs[i]!);
          if (!want[i]!.every((v, j) => Object.is(v, got[j]))) throw new Error(`round ${round}: the ${shapes[i]!.join('x')} product differs from one thread`);
        }
      } finally {
        setWasmThreads(before);
      }
    });

    it('matmul split by columns (at most 64 rows: each thread packs its own slivers of B) is bit-identical to one thread and the workers run it', () => {
      expect(startWasmWorkers()).toBeGreaterThan(0);
      const saved = threadThresholds.matmulFlops;
      threadThresholds.matmulFlops = 0;
      onTestFinished(() => { threadThresholds.matmulFlops = saved; });
      const rows = fc.oneof(fc.constantFrom(0, 1, 4, 63, 64), fc.integer({ min: 0, max: 64 }));
      const depth = fc.oneof(fc.constantFrom(0, 1, 3, 512, 513), fc.integer({ min: 1, max: 80 }), fc.integer({ min: 500, max: 900 }));
      // 4 slivers of 8 or more (else the rows path runs), odd widths and a partial last sliver included.
      const cols = fc.oneof(fc.constantFrom(25, 32, 33, 128, 129), fc.integer({ min: 25, max: 300 }));
      fc.assert(fc.property(rows, depth, cols, fc.boolean(), fc.boolean(), fc.boolean(), fc.nat(), (m, k, n, ta, tb, claims, seed) => {
        const a = values(m * k, seed), b = values(k * n, seed + 1);
        const chunks = wasmInfo().workerChunks;
        // Another product of the same shape in between: a part of C the split leaves unwritten would show its values.
        const [one, two] = oneThenTwo(m * n, claims, (out) => wasmMatmulF32(a, b, m, k, n, out, ta, tb), () => {
          wasmMatmulF32(values(m * k, seed + 2), values(k * n, seed + 3), m, k, n, new Float32Array(m * n), ta, tb);
        });
        expect(Array.from(two)).toEqual(Array.from(one));
        expect(two[m * n]).toBeNaN(); // nothing written past M·N
        // Without the caller claiming, the workers computed every column.
        if (!claims && m > 0 && k > 0) expect(wasmInfo().workerChunks).toBeGreaterThan(chunks);
        if (m * k * n > 0) {
          const av = ta ? Float32Array.from({ length: m * k }, (_, i) => a[(i % k) * m + Math.floor(i / k)]!) : a;
          const bv = tb ? Float32Array.from({ length: k * n }, (_, i) => b[(i % n) * k + Math.floor(i / n)]!) : b;
          expectMatmulClose(two.subarray(0, m * n), m, k, n, av, bv);
        }
      }), { numRuns: 40, examples: [[64, 784, 128, false, false, false, 1], [1, 1, 25, true, true, false, 2], [63, 513, 129, true, false, false, 3], [64, 0, 33, false, false, true, 4]] });
    });

    it('matmul: threaded B packing, guided row chunks and per-chunk copy-out are bit-identical to one thread, transposed operands too', () => {
      expect(startWasmWorkers()).toBeGreaterThan(0);
      const saved = threadThresholds.matmulFlops;
      threadThresholds.matmulFlops = 0;
      onTestFinished(() => { threadThresholds.matmulFlops = saved; });
      const transpose = (x: Float32Array, r: number, c: number): Float32Array => {
        const t = new Float32Array(r * c);
        for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = x[i * c + j]!;
        return t;
      };
      fc.assert(fc.property(dim, dim, dim, fc.boolean(), fc.boolean(), fc.boolean(), fc.nat(), (m, k, n, ta, tb, claims, seed) => {
        fc.pre(m * k * n <= 2_000_000);
        const a = values(m * k, seed), b = values(k * n, seed + 1);
        const av = ta ? transpose(a, m, k) : a, bv = tb ? transpose(b, k, n) : b;
        // Without the caller claiming chunks, every chunk is a worker's and every copy-out waits for one.
        const [one, two] = oneThenTwo(m * n, claims, (out) => wasmMatmulF32(av, bv, m, k, n, out, ta, tb));
        expect(Array.from(two)).toEqual(Array.from(one));
        expect(two[m * n]).toBeNaN(); // nothing written past M·N
        if (m * k * n > 0) expectMatmulClose(two.subarray(0, m * n), m, k, n, a, b);
      }), {
        numRuns: 40,
        // Always: rows that do not fill a tile, N past a sliver (the compact copy), K mod 4 tails, many guided chunks,
        // and B large enough to be packed by both threads (slivers split between them, groups of 4 and leftovers).
        examples: [
          [5, 3, 2, false, false, false, 0], [70, 7, 9, true, true, false, 1], [257, 300, 33, false, true, true, 2], [300, 65, 129, true, false, false, 3],
          [1, 257, 1, true, true, false, 4], [5, 513, 129, false, true, false, 5], [3, 300, 257, false, false, false, 6],
        ],
      });
    });
  });
});
