/**
 * The WebAssembly kernels against the TypeScript ones, in the same run.
 *
 *   npx tsx bench/wasm-kernels.ts            # everything (about a minute)
 *   npx tsx bench/wasm-kernels.ts --errors   # also sweep the math functions' ulp errors (every 7th float32, minutes)
 *   npx tsx bench/wasm-kernels.ts --errors-all   # every float32 of each range (about 10 minutes)
 *
 * Each timing is the median of 7 batches, a batch repeating the call for at
 * least 20 ms, after a warm-up; every wasm time includes copying inputs into
 * the kernel memory and the result out, and allocating the output, as a
 * caller sees it. "2 threads" needs a second core: on a busy machine it
 * measures the contention too, so rerun when quiet.
 */
import '../src/platform/node.js'; // Node's host: worker threads for the kernels
import { availableParallelism, cpus, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { fromStorage } from '../src/core/tensor.js';
import { matmulKernel } from '../src/backend/cpu/matmul.js';
import {
  fx, setWasmThreads, startWasmWorkers, threadThresholds, unaryOps, wasmBinaryF32, wasmFusedF32, wasmInfo, wasmMatmulF32, wasmSumAllF32, wasmSumLastAxisF32,
  wasmUnaryF32, type UnaryOp,
} from '../src/backend/wasm/index.js';

const args = new Set(process.argv.slice(2));

function randomArray(n: number, seed: number, lo = -0.5, hi = 0.5): Float32Array {
  const data = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = lo + (s / 2 ** 32) * (hi - lo);
  }
  return data;
}

/** Median seconds per call over 7 batches of at least 20 ms. */
function time(f: () => unknown): number {
  f();
  let reps = 1;
  for (;;) {
    const start = performance.now();
    for (let r = 0; r < reps; r++) f();
    if (performance.now() - start >= 20) break;
    reps *= 2;
  }
  const runs: number[] = [];
  for (let b = 0; b < 7; b++) {
    const start = performance.now();
    for (let r = 0; r < reps; r++) f();
    runs.push((performance.now() - start) / reps);
  }
  runs.sort((x, y) => x - y);
  return runs[3]! / 1000;
}

/** Both thread settings: 1 (this thread only) and all the machine's cores. */
function withThreads<T>(n: number, f: () => T): T {
  const before = setWasmThreads(n);
  try {
    return f();
  } finally {
    setWasmThreads(before);
  }
}

/**
 * How much work `threads` busy threads get done against one, over 300 ms:
 * about `threads` on an idle machine, about 1 when other processes hold the
 * other cores (then the multi-threaded numbers below say little).
 */
async function parallelCapacity(threads: number): Promise<number> {
  const src = `const t = Date.now(); let x = 0; while (Date.now() - t < 300) x++; require('node:worker_threads').parentPort.postMessage(x);`;
  const spin = (k: number) => Promise.all(Array.from({ length: k }, () => new Promise<number>((done) => {
    const w = new Worker(src, { eval: true });
    w.on('message', (x: number) => { done(x); void w.terminate(); });
  })));
  const [one] = await spin(1), many = await spin(threads);
  return many.reduce((s, x) => s + x, 0) / one!;
}

const threads = Math.min(availableParallelism(), 4);
const capacity = await parallelCapacity(threads);
const workers = startWasmWorkers();
console.log(`node ${process.version}, ${cpus()[0]?.model ?? '?'} x ${availableParallelism()}, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(`${threads} busy threads do ${capacity.toFixed(2)}x the work of one right now (${threads} on an idle machine)`);
console.log(`wasm: ${JSON.stringify(wasmInfo())}, ${workers} worker(s) ready`);

// ------------------------------------------------------------------ matmul

const ms = (s: number) => (s * 1e3).toPrecision(3);
const gflops = (flops: number, s: number) => (flops / s / 1e9).toFixed(1);

const matmulCases: [string, number, number, number][] = [
  ['n=8', 8, 8, 8],
  ['n=16', 16, 16, 16],
  ['n=32', 32, 32, 32],
  ['n=64', 64, 64, 64],
  ['n=128', 128, 128, 128],
  ['n=256', 256, 256, 256],
  ['n=512', 512, 512, 512],
  ['n=1024', 1024, 1024, 1024],
  ['[64,784]x[784,128]', 64, 784, 128],
  ['[784,64]x[64,128]', 784, 64, 128],
  ['[64,128]x[128,10]', 64, 128, 10],
  ['[64,10]x[10,128]', 64, 10, 128],
  ['[455,30]x[30,1]', 455, 30, 1],
  ['[455,30]x[30,2]', 455, 30, 2],
  ['[455,30]x[30,4]', 455, 30, 4],
  ['[64,784]x[784,1]', 64, 784, 1],
  ['[1,784]x[784,128]', 1, 784, 128],
];
const matmulRows: Record<string, string>[] = [];
for (const [name, m, k, n] of matmulCases) {
  const a = randomArray(m * k, 1), b = randomArray(k * n, 2);
  const at = fromStorage(a, [m, k], 'float32'), bt = fromStorage(b, [k, n], 'float32');
  const flops = 2 * m * k * n;
  const tTs = time(() => matmulKernel(at, bt, [m, n], 'float32'));
  const run = () => { const out = new Float32Array(m * n); wasmMatmulF32(a, b, m, k, n, out); return out; };
  const t1 = withThreads(1, () => time(run));
  const tN = withThreads(threads, () => time(run));
  // The copies alone: A and B in, C out (what a call pays besides packing and the kernel).
  const heapLike = new Float32Array(m * k + k * n + m * n);
  const tCopy = time(() => { heapLike.set(a, 0); heapLike.set(b, m * k); new Float32Array(m * n).set(heapLike.subarray(0, m * n)); });
  const ref = matmulKernel(at, bt, [m, n], 'float32') as Float32Array;
  const got = run();
  let diff = 0;
  for (let i = 0; i < got.length; i++) diff = Math.max(diff, Math.abs(got[i]! - ref[i]!));
  matmulRows.push({
    case: name,
    'TS GFLOP/s': gflops(flops, tTs),
    'wasm 1T GFLOP/s': gflops(flops, t1),
    [`wasm ${threads}T GFLOP/s`]: gflops(flops, tN),
    'wasm 1T ms': ms(t1),
    'copy ms': ms(tCopy),
    'copy %': ((tCopy / t1) * 100).toFixed(0),
    'x TS (best)': (tTs / Math.min(t1, tN)).toFixed(1),
    'max |diff|': diff.toExponential(1),
  });
}
console.log('\nmatmul, float32 (TS = src/backend/cpu/matmul.ts, float64 sums; wasm = float32 sums)');
console.table(matmulRows);

// ------------------------------------------------------------- elementwise

const unaryTs: Record<UnaryOp, (o: Float32Array, x: Float32Array) => void> = {
  exp: (o, x) => { for (let i = 0; i < x.length; i++) o[i] = Math.exp(x[i]!); },
  log: (o, x) => { for (let i = 0; i < x.length; i++) o[i] = Math.log(x[i]!); },
  tanh: (o, x) => { for (let i = 0; i < x.length; i++) o[i] = Math.tanh(x[i]!); },
  sigmoid: (o, x) => {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      if (v >= 0) o[i] = 1 / (1 + Math.exp(-v));
      else { const e = Math.exp(v); o[i] = e / (1 + e); }
    }
  },
};

const sizes = [64, 256, 1024, 4096, 16384, 65536, 262144, 1 << 20];
const us = (s: number) => (s * 1e6).toPrecision(3);
const elemRows: Record<string, string>[] = [];
for (const n of sizes) {
  const x = randomArray(n, 3, 0.01, 4), y = randomArray(n, 4);
  const row: Record<string, string> = { n: String(n) };
  for (const op of unaryOps) {
    const tTs = time(() => unaryTs[op](new Float32Array(n), x));
    const t1 = withThreads(1, () => time(() => wasmUnaryF32(op, x, new Float32Array(n))));
    const tN = withThreads(threads, () => time(() => wasmUnaryF32(op, x, new Float32Array(n))));
    row[`${op} TS/1T/${threads}T µs`] = `${us(tTs)} / ${us(t1)} / ${us(tN)}`;
  }
  const tAdd = time(() => { const o = new Float32Array(n); for (let i = 0; i < n; i++) o[i] = x[i]! + y[i]!; return o; });
  const tAddW = withThreads(1, () => time(() => wasmBinaryF32('add', x, y, new Float32Array(n))));
  row['add TS/wasm µs'] = `${us(tAdd)} / ${us(tAddW)}`;
  const tCopy = time(() => { const heap = new Float32Array(3 * n); heap.set(x); heap.set(y, n); new Float32Array(n).set(heap.subarray(0, n)); });
  row['copy 2 in + 1 out µs'] = us(tCopy);
  elemRows.push(row);
}
console.log('\nelementwise, float32 (µs per call, output allocation included; TS / wasm 1 thread / wasm all threads)');
console.table(elemRows);

// --------------------------------------------------------- the chain, 1M

{
  const n = 1 << 20;
  const x = randomArray(n, 5, -4, 4);
  const one = new Float32Array([1.5]), half = new Float32Array([0.5]);
  // tanh(x * 1.5 + 0.5) * sigmoid(x), one pass per op as the primitives run today
  const ts = () => {
    const a = new Float32Array(n); for (let i = 0; i < n; i++) a[i] = x[i]! * 1.5;
    const b = new Float32Array(n); for (let i = 0; i < n; i++) b[i] = a[i]! + 0.5;
    const c = new Float32Array(n); unaryTs.tanh(c, b);
    const d = new Float32Array(n); unaryTs.sigmoid(d, x);
    const e = new Float32Array(n); for (let i = 0; i < n; i++) e[i] = c[i]! * d[i]!;
    return e;
  };
  const wasm = () => {
    const a = new Float32Array(n); wasmBinaryF32('mul', x, one, a);
    const b = new Float32Array(n); wasmBinaryF32('add', a, half, b);
    const c = new Float32Array(n); wasmUnaryF32('tanh', b, c);
    const d = new Float32Array(n); wasmUnaryF32('sigmoid', x, d);
    const e = new Float32Array(n); wasmBinaryF32('mul', c, d, e);
    return e;
  };
  // One fused pass: x copied in once, the result out once, no temporaries.
  const { input, constant, add, mul, tanh, sigmoid } = fx;
  const chain = mul(tanh(add(mul(input(0), constant(1.5)), constant(0.5))), sigmoid(input(0)));
  const fused = () => { const e = new Float32Array(n); wasmFusedF32(chain, [x], e); return e; };
  const reused = new Float32Array(n);
  const rows = [
    { path: 'TS loops, 5 passes', ms: ms(time(ts)) },
    { path: 'wasm, 5 calls, 1 thread', ms: ms(withThreads(1, () => time(wasm))) },
    { path: `wasm, 5 calls, ${threads} threads`, ms: ms(withThreads(threads, () => time(wasm))) },
    { path: 'wasm fused, 1 thread', ms: ms(withThreads(1, () => time(fused))) },
    { path: `wasm fused, ${threads} threads`, ms: ms(withThreads(threads, () => time(fused))) },
    { path: `wasm fused, ${threads} threads, into a reused output`, ms: ms(withThreads(threads, () => time(() => wasmFusedF32(chain, [x], reused)))) },
    { path: 'for scale: allocate 4 MB and write it', ms: ms(time(() => new Float32Array(n).fill(1))) },
  ];
  console.log('\nchain tanh(x*1.5+0.5)*sigmoid(x) over 1M float32');
  console.table(rows);
}

// -------------------------------------------------------------- reductions

{
  const rowsN = 1024, cols = 1024;
  const x = randomArray(rowsN * cols, 6);
  const tsRows = () => { const o = new Float32Array(rowsN); for (let r = 0; r < rowsN; r++) { let s = 0; for (let j = 0; j < cols; j++) s += x[r * cols + j]!; o[r] = s; } return o; };
  const tsAll = () => { let s = 0; for (let i = 0; i < x.length; i++) s += x[i]!; return s; };
  console.log('\nsums over [1024, 1024] float32 (float64 accumulation in both)');
  console.table([
    { op: 'sum last axis', 'TS ms': ms(time(tsRows)), 'wasm ms': ms(time(() => wasmSumLastAxisF32(x, rowsN, cols, new Float32Array(rowsN)))) },
    { op: 'sum all', 'TS ms': ms(time(tsAll)), 'wasm ms': ms(time(() => wasmSumAllF32(x))) },
  ]);
}

// ---------------------------------------------------- thread crossovers

{
  // Every call threaded, to see where 2 threads start to pay.
  const saved = structuredClone(threadThresholds);
  Object.assign(threadThresholds, { matmulFlops: 0, fused: 0, unary: { exp: 0, log: 0, tanh: 0, sigmoid: 0 } });
  const { input, constant, add, mul, tanh, sigmoid } = fx;
  const chain = mul(tanh(add(mul(input(0), constant(1.5)), constant(0.5))), sigmoid(input(0)));
  const rows: Record<string, string>[] = [];
  const compare = (name: string, f: () => unknown) => {
    const t1 = withThreads(1, () => time(f)), tN = withThreads(threads, () => time(f));
    rows.push({ call: name, '1 thread µs': us(t1), [`${threads} threads µs`]: us(tN), speedup: (t1 / tN).toFixed(2) });
  };
  for (const n of [64, 96, 128, 192, 256]) {
    const a = randomArray(n * n, 7), b = randomArray(n * n, 8), out = new Float32Array(n * n);
    compare(`matmul n=${n}`, () => wasmMatmulF32(a, b, n, n, n, out));
  }
  for (const n of [16384, 65536, 262144, 1 << 20]) {
    const x = randomArray(n, 9, -4, 4), out = new Float32Array(n);
    compare(`exp n=${n}`, () => wasmUnaryF32('exp', x, out));
    compare(`tanh n=${n}`, () => wasmUnaryF32('tanh', x, out));
    compare(`fused chain n=${n}`, () => wasmFusedF32(chain, [x], out));
  }
  Object.assign(threadThresholds, saved);
  console.log(`\nthreads: 1 against ${threads}, every call threaded (outputs reused)`);
  console.table(rows);
}

// ------------------------------------------------- math errors (optional)

if (args.has('--errors') || args.has('--errors-all')) {
  const ref: Record<UnaryOp, (v: number) => number> = { exp: Math.exp, log: Math.log, tanh: Math.tanh, sigmoid: (v) => 1 / (1 + Math.exp(-v)) };
  const ranges: Record<UnaryOp, [number, number]> = { exp: [-104, 89], log: [0, 3.4e38], tanh: [-10, 10], sigmoid: [-104, 20] };
  const STRIDE = args.has('--errors-all') ? 1 : 7;
  const bits = new Uint32Array(1), fl = new Float32Array(bits.buffer);
  const bitsOf = (v: number) => { fl[0] = Math.abs(v); return bits[0]!; };
  const ulp = (y: number) => 2 ** Math.max(Math.floor(Math.log2(Math.abs(y))) - 23, -149);
  const rows: Record<string, string>[] = [];
  for (const op of unaryOps) {
    const [lo, hi] = ranges[op];
    // Every STRIDE-th float32 of the range by bit pattern: negative patterns (as offsets below 0) then positive ones.
    const neg = lo < 0 ? Math.floor(bitsOf(lo) / STRIDE) + 1 : 0;
    const from = lo < 0 ? 0 : bitsOf(lo), count = neg + Math.floor((bitsOf(hi) - from) / STRIDE) + 1;
    let worst = 0, at = 0;
    const CHUNK = 1 << 22;
    const x = new Float32Array(CHUNK), o = new Float32Array(CHUNK);
    for (let start = 0; start < count; start += CHUNK) {
      const len = Math.min(CHUNK, count - start);
      for (let i = 0; i < len; i++) {
        const t = start + i;
        bits[0] = t < neg ? (t * STRIDE) | 0x80000000 : from + (t - neg) * STRIDE;
        x[i] = fl[0]!;
      }
      wasmUnaryF32(op, x.subarray(0, len), o);
      for (let i = 0; i < len; i++) {
        const r = ref[op](x[i]!);
        if (!Number.isFinite(Math.fround(r)) || r === 0) continue;
        const e = Math.abs(o[i]! - r) / ulp(r);
        if (e > worst) { worst = e; at = x[i]!; }
      }
    }
    rows.push({ op, range: `[${lo}, ${hi}]`, inputs: String(count), 'max error (ulp of the exact value)': worst.toFixed(2), at: String(at) });
  }
  console.log(`\nmath functions against Math.* in float64 (every ${STRIDE}th float32 of each range)`);
  console.table(rows);
}
