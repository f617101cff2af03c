/**
 * The WebAssembly SIMD backend: float32 kernels over plain typed arrays.
 *
 * Each call copies its inputs into the kernel memory (a per-call arena),
 * runs the kernel, possibly on several threads, and copies the result into
 * `out`. Nothing stays allocated between calls and there is nothing to
 * dispose. The module is assembled and compiled on first use (a few ms);
 * worker threads start on the first call big enough to want them and help
 * once they are ready.
 *
 * Whether a call pays off depends on its size: the `wasmWins*` predicates
 * hold the measured crossovers (`bench/wasm-kernels.ts`).
 *
 * @example
 * ```ts
 * import { isWasmAvailable, wasmMatmulF32 } from './backend/wasm/index.js';
 * const out = new Float32Array(4);
 * if (isWasmAvailable()) wasmMatmulF32(new Float32Array([1, 2, 3, 4]), new Float32Array([1, 0, 0, 1]), 2, 2, 2, out);
 * out; // Float32Array [1, 2, 3, 4]
 * ```
 */
import { availableParallelism } from 'node:os';
import { Arena } from './arena.js';
import { binaryName, type BinaryOp, unaryName, type UnaryOp } from './kernels/elementwise.js';
import { createKernelModule, simdAvailable, type KernelModule } from './module.js';
import { type Job, WorkerPool } from './pool.js';

export { binaryOps, unaryOps, type BinaryOp, type UnaryOp } from './kernels/elementwise.js';

/** Work sizes below which a call stays on one thread (measured crossovers, see the benchmark). */
const THREADS_MIN_MATMUL_FLOPS = 2 * 96 * 96 * 96;
const THREADS_MIN_UNARY = 32768;
const THREADS_MIN_BINARY = 1 << 30; // memory-bound: the copies dominate, threads do not help
const THREADS_MIN_SUM = 1 << 30;

interface Runtime {
  readonly kernels: KernelModule;
  readonly arena: Arena;
  readonly pool: WorkerPool;
}

let runtime: Runtime | null = null;
let available: boolean | null = null;
let threadLimit = Math.max(1, Math.min(4, availableParallelism()));

/**
 * True where the backend can run: WebAssembly with SIMD. Cheap after the
 * first call.
 * @example
 * ```ts
 * isWasmAvailable(); // true on Node 20
 * ```
 */
export function isWasmAvailable(): boolean {
  if (available === null) available = simdAvailable();
  return available;
}

function rt(): Runtime {
  if (runtime === null) {
    if (!isWasmAvailable()) throw new Error('wasm backend: WebAssembly SIMD is not available here (check isWasmAvailable() first)');
    const kernels = createKernelModule();
    runtime = { kernels, arena: new Arena(kernels.memory), pool: new WorkerPool(kernels, Math.max(0, Math.min(3, availableParallelism() - 1))) };
  }
  return runtime;
}

/**
 * Caps the threads a call may use (1 = this thread only); returns the
 * previous cap. The default is the machine's cores, at most 4.
 * @example
 * ```ts
 * const before = setWasmThreads(1); // single-threaded from here
 * setWasmThreads(before);
 * ```
 */
export function setWasmThreads(n: number): number {
  const before = threadLimit;
  threadLimit = Math.max(1, Math.floor(n));
  return before;
}

/**
 * Starts the worker threads now and blocks until they are ready (normally
 * they start on the first large call, and that call runs without them).
 * Returns the number of ready workers. For tests and benchmarks.
 * @example
 * ```ts
 * startWasmWorkers(); // 1 on a two-core machine
 * ```
 */
export function startWasmWorkers(): number {
  return rt().pool.startAndWait();
}

/** Facts for logs and benchmarks. */
export function wasmInfo(): { relaxedSimd: boolean; sharedMemory: boolean; workersReady: number; workerJobs: number; memoryBytes: number } {
  const r = rt();
  return {
    relaxedSimd: r.kernels.matmul.relaxed,
    sharedMemory: r.kernels.shared,
    workersReady: r.pool.ready(),
    workerJobs: r.pool.workerJobs,
    memoryBytes: r.kernels.memory.buffer.byteLength,
  };
}

/** How many shares to cut `work` into: 1 unless it is big enough, then up to the ready workers + 1. */
function shares(r: Runtime, work: number, minWork: number): number {
  if (threadLimit <= 1 || work < minWork) return 1;
  r.pool.start();
  return Math.min(threadLimit, 1 + r.pool.ready());
}

/** `[0, n)` cut into `parts` ranges whose bounds are multiples of `unit`. */
function split(n: number, parts: number, unit: number): [number, number][] {
  const step = Math.ceil(n / parts / unit) * unit;
  const out: [number, number][] = [];
  for (let lo = 0; lo < n; lo += step) out.push([lo, Math.min(n, lo + step)]);
  return out;
}

function check(cond: boolean, message: string): void {
  if (!cond) throw new RangeError(message);
}

const roundUp = (x: number, to: number): number => Math.ceil(x / to) * to;

/**
 * `out[M, N] = a[M, K] · b[K, N]`, row-major float32, summed in float32
 * (like `sgemm`; the TypeScript kernel sums in float64). `out` may be
 * longer than M·N; only the first M·N are written.
 * @example
 * ```ts
 * const out = new Float32Array(1);
 * wasmMatmulF32(new Float32Array([1, 2]), new Float32Array([3, 4]), 1, 2, 1, out); // out[0] = 11
 * ```
 */
export function wasmMatmulF32(a: Float32Array, b: Float32Array, m: number, k: number, n: number, out: Float32Array): void {
  check(a.length >= m * k && b.length >= k * n && out.length >= m * n, `wasmMatmulF32: arrays too short for [${m},${k}] x [${k},${n}]`);
  if (m === 0 || n === 0) return;
  if (k === 0) {
    out.fill(0, 0, m * n);
    return;
  }
  const r = rt();
  const { mr, nr, unroll, mc, kc } = r.kernels.matmul;
  const kp = roundUp(k, unroll), np = roundUp(n, nr), mp = roundUp(m, mr);
  const parts = shares(r, 2 * m * k * n, THREADS_MIN_MATMUL_FLOPS);
  const rows = split(m, parts, mr);
  const { arena } = r;
  arena.reset();
  const pa = arena.put(m * k === a.length ? a : a.subarray(0, m * k));
  const pb = arena.put(k * n === b.length ? b : b.subarray(0, k * n));
  const pbp = arena.alloc(kp * np * 4);
  const pc = arena.alloc(mp * np * 4);
  const scratch = rows.map(() => arena.alloc(mc * kc * 4));
  r.kernels.exports.mm_pack_b!(pb, pbp, k, n, kp, 0, np / nr);
  r.pool.run(rows.map(([m0, m1], t): Job => ({ kernel: 'mm_rows', args: [pa, pbp, pc, scratch[t]!, m0, m1, k, kp, np] })));
  const heap = arena.f32();
  const c = pc >> 2;
  if (np === n) out.set(heap.subarray(c, c + m * n));
  else for (let i = 0; i < m; i++) out.set(heap.subarray(c + i * np, c + i * np + n), i * n);
}

/**
 * `out[i] = op(x[i])` for `op` in exp, log, tanh, sigmoid: polynomial
 * approximations within a few float32 ulps of `Math.*` (bounds in
 * `tests/backend/wasm-math.test.ts`), with IEEE special values.
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * wasmUnaryF32('exp', new Float32Array([0, 1]), out); // [1, 2.7182817]
 * ```
 */
export function wasmUnaryF32(op: UnaryOp, x: Float32Array, out: Float32Array): void {
  check(out.length >= x.length, `wasmUnaryF32: out has ${out.length} elements, x has ${x.length}`);
  const n = x.length;
  if (n === 0) return;
  const r = rt();
  r.arena.reset();
  const px = r.arena.put(x);
  const po = r.arena.alloc(n * 4);
  const nvec = Math.ceil(n / 4);
  const kernel = unaryName(op);
  const parts = split(nvec, shares(r, n, THREADS_MIN_UNARY), 16);
  r.pool.run(parts.map(([lo, hi]): Job => ({ kernel, args: [px + lo * 16, po + lo * 16, hi - lo] })));
  out.set(r.arena.f32().subarray(po >> 2, (po >> 2) + n));
}

/**
 * `out[i] = op(a[i], b[i])` for add, sub, mul, div, max, min on equal
 * lengths, or with a one-element `a` or `b` broadcast. Bit-identical to the
 * TypeScript kernels (max/min: NaN wins, at ±0 ties `b` wins).
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * wasmBinaryF32('mul', new Float32Array([1, 2]), new Float32Array([3]), out); // [3, 6]
 * ```
 */
export function wasmBinaryF32(op: BinaryOp, a: Float32Array, b: Float32Array, out: Float32Array): void {
  const n = Math.max(a.length, b.length);
  check(
    (a.length === n || a.length === 1) && (b.length === n || b.length === 1) && out.length >= n,
    `wasmBinaryF32: lengths ${a.length} and ${b.length} neither match nor broadcast a single element into out of ${out.length}`,
  );
  if (n === 0) return;
  const form = a.length === n && b.length === n ? 'vv' : a.length === n ? 'vs' : 'sv';
  const r = rt();
  r.arena.reset();
  const pa = r.arena.put(a), pb = r.arena.put(b), po = r.arena.alloc(n * 4);
  const nvec = Math.ceil(n / 4);
  const kernel = binaryName(op, form);
  const parts = split(nvec, shares(r, n, THREADS_MIN_BINARY), 16);
  r.pool.run(parts.map(([lo, hi]): Job => ({
    kernel,
    args: [form === 'sv' ? pa : pa + lo * 16, form === 'vs' ? pb : pb + lo * 16, po + lo * 16, hi - lo],
  })));
  out.set(r.arena.f32().subarray(po >> 2, (po >> 2) + n));
}

/**
 * `out[r] = Σ_j x[r, j]` over a row-major `[rows, cols]` array, summed in
 * float64 and rounded once to float32.
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * wasmSumLastAxisF32(new Float32Array([1, 2, 3, 4, 5, 6]), 2, 3, out); // [6, 15]
 * ```
 */
export function wasmSumLastAxisF32(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
  check(x.length >= rows * cols && out.length >= rows, `wasmSumLastAxisF32: arrays too short for [${rows},${cols}]`);
  if (rows === 0) return;
  if (cols === 0) {
    out.fill(0, 0, rows);
    return;
  }
  const r = rt();
  r.arena.reset();
  const px = r.arena.put(rows * cols === x.length ? x : x.subarray(0, rows * cols));
  const po = r.arena.alloc(rows * 4);
  const parts = split(rows, shares(r, rows * cols, THREADS_MIN_SUM), 1);
  r.pool.run(parts.map(([lo, hi]): Job => ({ kernel: 'sum_rows_f32', args: [px + lo * cols * 4, po + lo * 4, hi - lo, cols] })));
  out.set(r.arena.f32().subarray(po >> 2, (po >> 2) + rows));
}

/** Elements per partial sum of {@link wasmSumAllF32}: the order of the sum never depends on the threads. */
const SUM_CHUNK = 4096;

/**
 * `Σ x[i]` in float64 (partial sums over fixed chunks of 4096, added in
 * order); store it into a Float32Array to round it once.
 * @example
 * ```ts
 * wasmSumAllF32(new Float32Array([0.5, 0.25])); // 0.75
 * ```
 */
export function wasmSumAllF32(x: Float32Array): number {
  const n = x.length;
  if (n === 0) return 0;
  const r = rt();
  r.arena.reset();
  const px = r.arena.put(x);
  const full = Math.floor(n / SUM_CHUNK), tail = n - full * SUM_CHUNK;
  const chunks = full + (tail > 0 ? 1 : 0);
  const po = r.arena.alloc(chunks * 8);
  const parts = split(full, shares(r, n, THREADS_MIN_SUM), 1);
  const jobs = parts.map(([lo, hi]): Job => ({ kernel: 'sum_rows_f64', args: [px + lo * SUM_CHUNK * 4, po + lo * 8, hi - lo, SUM_CHUNK] }));
  if (jobs.length > 0) r.pool.run(jobs);
  if (tail > 0) r.kernels.exports.sum_rows_f64!(px + full * SUM_CHUNK * 4, po + full * 8, 1, tail);
  const partial = new Float64Array(r.kernels.memory.buffer, po, chunks);
  let s = 0;
  for (let i = 0; i < chunks; i++) s += partial[i]!;
  return s;
}
