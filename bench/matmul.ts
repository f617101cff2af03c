/**
 * Matmul benchmark: the `matmul` primitive (packed, blocked kernel) against a
 * naive i-j-k triple loop, float32, in the same run.
 *
 *   npx tsx bench/matmul.ts
 *
 * Each timing is the best of 5 batches (a batch repeats the call for at
 * least 50 ms), so other processes on the machine inflate it less. The
 * primitive's time includes allocating its output, as a user would see it.
 */
import '../src/platform/node.js'; // Node's host: worker threads for the kernels
import { fromStorage, type AnyTensor } from '../src/core/tensor.js';
import { storageOf } from '../src/core/tensor.js';
import { matmul } from '../src/lax/index.js';

/** A deterministic float32 matrix with entries in [-0.5, 0.5). */
function randomMatrix(rows: number, cols: number, seed: number): Float32Array {
  const data = new Float32Array(rows * cols);
  let s = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s / 2 ** 32 - 0.5;
  }
  return data;
}

/** The textbook loop: C[i,j] = Σ_p A[i,p] B[p,j], B read down a column. */
function naive(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
      c[i * n + j] = s;
    }
  }
  return c;
}

/** Seconds per call: best of 5 batches of at least 50 ms (one call per batch when a call is slower). */
function time(f: () => unknown): number {
  f();
  let reps = 1;
  for (let t = 0; ; reps *= 2) {
    const start = performance.now();
    for (let r = 0; r < reps; r++) f();
    t = performance.now() - start;
    if (t >= 50) break;
  }
  let best = Infinity;
  for (let batch = 0; batch < 5; batch++) {
    const start = performance.now();
    for (let r = 0; r < reps; r++) f();
    best = Math.min(best, (performance.now() - start) / reps);
    if (best > 2000) break; // a slow naive loop: a couple of runs are enough
  }
  return best / 1000;
}

function maxAbsDiff(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < x.length; i++) d = Math.max(d, Math.abs(x[i]! - y[i]!));
  return d;
}

const cases: [string, number, number, number][] = [
  ['n=128', 128, 128, 128],
  ['n=256', 256, 256, 256],
  ['n=512', 512, 512, 512],
  ['n=1024', 1024, 1024, 1024],
  ['[64,784]x[784,128]', 64, 784, 128],
  ['[784,64]x[64,128]', 784, 64, 128],
  ['[64,128]x[128,10]', 64, 128, 10],
  ['[12544,288]x[288,64]', 12544, 288, 64],
  ['[455,30]x[30,1]', 455, 30, 1],
];

const rows: Record<string, string>[] = [];
for (const [name, m, k, n] of cases) {
  const ad = randomMatrix(m, k, 1), bd = randomMatrix(k, n, 2);
  const a: AnyTensor = fromStorage(ad, [m, k], 'float32');
  const b: AnyTensor = fromStorage(bd, [k, n], 'float32');
  const flops = 2 * m * k * n;
  const tFast = time(() => matmul(a, b));
  const tNaive = time(() => naive(ad, bd, m, k, n));
  const got = storageOf(matmul(a, b).concrete());
  rows.push({
    case: name,
    'matmul ms': (tFast * 1e3).toPrecision(3),
    'matmul GFLOP/s': (flops / tFast / 1e9).toFixed(2),
    'naive ms': (tNaive * 1e3).toPrecision(3),
    'naive GFLOP/s': (flops / tNaive / 1e9).toFixed(2),
    speedup: (tNaive / tFast).toFixed(1),
    'max |diff|': maxAbsDiff(got, naive(ad, bd, m, k, n)).toExponential(1),
  });
}
console.log(`node ${process.version}, ${process.arch}`);
console.table(rows);
