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
 * Whether a call pays off depends on its size: {@link wasmThresholds}
 * holds the measured crossovers (`bench/wasm-kernels.ts`).
 *
 * @example
 * ```ts
 * import { isWasmAvailable, wasmMatmulF32 } from './index.js';
 * const out = new Float32Array(4);
 * if (isWasmAvailable()) wasmMatmulF32(new Float32Array([1, 2, 3, 4]), new Float32Array([1, 0, 0, 1]), 2, 2, 2, out);
 * out; // Float32Array [1, 2, 3, 4]
 * ```
 */
import { Arena } from './arena.js';
import { binaryName, type BinaryOp, unaryName, type UnaryOp } from './kernels/elementwise.js';
import { checkFused, FUSED_EXPORT, fusedKey, fusedModuleBytes, fusedMultiModuleBytes, fusedPhase, type FusedExpr, type FusedLayout } from './fused.js';
import { OUTER_EXPORT } from './kernels/outer.js';
import { createKernelModule, simdAvailable, type KernelFn, type KernelModule } from './module.js';
import { MAX_CHUNKS, SCRATCH_ARG, WorkerPool } from './pool.js';
import { wasmApi } from './wasm-api.js';
import { GEMV, gemvModuleBytes } from './kernels/gemv.js';
import { platform } from '../../platform/index.js';

export { binaryOps, unaryOps, type BinaryOp, type UnaryOp } from './kernels/elementwise.js';
export { compareOps, fx, fusedUnaryOps, type CompareOp, type FusedExpr, type FusedLayout, type FusedUnaryOp } from './fused.js';

/**
 * Sizes from which a wasm call beats the TypeScript kernel, single-threaded,
 * output allocation and copies included (medians from
 * `bench/wasm-kernels.ts` on a 2-core AVX2 Xeon; the crossovers are
 * flat, so the exact value matters little):
 * - `matmulMacs`: M·K·N, any shape (N = 1 included);
 * - `unary`: elements, for exp, log, tanh, sigmoid;
 * - `binary`: elements, for add, sub, mul, div, max, min (same shape or one-element operand);
 * - `sum`: elements summed, for sums over the last axis or all;
 * - `fused`: elements of a fused expression with at least one transcendental op;
 * - `outer`: elements of an outer product (matmul with K = 1).
 * @example
 * ```ts
 * if (m * k * n >= wasmThresholds.matmulMacs) wasmMatmulF32(a, b, m, k, n, out);
 * ```
 */
export const wasmThresholds = {
  matmulMacs: 1024,
  unary: 128,
  binary: 1024,
  sum: 1024,
  fused: 64,
  outer: 4096,
  pool: 4096,
} as const;

/**
 * @internal Work sizes from which a call uses the worker threads (medians
 * of 1 against 2 threads on an idle 2-core machine; the benchmark lowers
 * them to find the crossovers): matmul 1.11x at n = 128, 1.6x at 256; the
 * fused tanh-sigmoid chain 1.14x at 16k elements, 1.55x at 1M; tanh and
 * log about 1.2x from 64k. Copies in and out stay on the calling thread
 * and exp and sigmoid are bandwidth-bound: 2 threads measured 0.85-1.0x
 * for them at every size, and nothing for binary ops and sums.
 */
export const threadThresholds = {
  matmulFlops: 2 * 128 * 128 * 128,
  unary: { exp: Infinity, log: 65536, tanh: 65536, sigmoid: Infinity } as Record<UnaryOp, number>,
  fused: 16384,
  binary: Infinity,
  sum: Infinity,
  pool: 65536,
  outer: 1 << 20,
};

interface Runtime {
  readonly kernels: KernelModule;
  readonly arena: Arena;
  readonly pool: WorkerPool;
}

let runtime: Runtime | null = null;
let available: boolean | null = null;
/**
 * The thread cap; null until first needed, so that it reads the host that
 * is installed by then (a module that loads this one before `typegrad/node`
 * installs Node's host must not fix the cap at the web default of 1).
 */
let threadLimit: number | null = null;
const limit = (): number => (threadLimit ??= Math.max(1, Math.min(4, platform().cpus())));

/**
 * True where the backend can run: WebAssembly with SIMD. Cheap after the
 * first call.
 * @example
 * ```ts
 * isWasmAvailable(); // true on Node 20
 * ```
 */
export function isWasmAvailable(): boolean {
  // A browser's main thread refuses to compile large modules synchronously: the TypeScript kernels run there.
  if (available === null) available = platform().syncCompile && simdAvailable();
  return available;
}

function rt(): Runtime {
  if (runtime === null) {
    if (!isWasmAvailable()) throw new Error('wasm backend: WebAssembly SIMD is not available here (check isWasmAvailable() first)');
    const kernels = createKernelModule();
    runtime = { kernels, arena: new Arena(kernels.memory, kernels.shared), pool: new WorkerPool(kernels, Math.max(0, Math.min(3, platform().cpus() - 1))) };
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
  const before = limit();
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

/**
 * @internal For tests: with `false`, the calling thread leaves every chunk
 * of a threaded call to the workers (returns the previous setting).
 * @example
 * ```ts
 * const before = setCallerClaimsChunks(false);
 * setCallerClaimsChunks(before);
 * ```
 */
export function setCallerClaimsChunks(claims: boolean): boolean {
  const pool = rt().pool;
  const before = pool.callerClaims;
  pool.callerClaims = claims;
  return before;
}

/** Facts for logs and benchmarks. */
export function wasmInfo(): { relaxedSimd: boolean; sharedMemory: boolean; workersReady: number; workerChunks: number; memoryBytes: number } {
  const r = rt();
  return {
    relaxedSimd: r.kernels.matmul.relaxed,
    sharedMemory: r.kernels.shared,
    workersReady: r.pool.ready(),
    workerChunks: r.pool.workerChunks,
    memoryBytes: r.kernels.memory.buffer.byteLength,
  };
}

/**
 * Threads for a call of size `work`: 1 below `minWork`, otherwise up to the
 * cap (starting the workers on the first such call; until they are ready
 * the call runs on this thread).
 */
function threadsFor(r: Runtime, work: number, minWork: number): number {
  if (limit() <= 1 || work < minWork) return 1;
  r.pool.start();
  return Math.min(limit(), 1 + r.pool.size);
}

/** `[0, n)` in `parts` ranges (fewer if n is small) whose bounds are multiples of `unit`. */
function ranges(n: number, parts: number, unit: number): [number, number][] {
  const step = Math.max(unit, Math.ceil(n / parts / unit) * unit);
  const out: [number, number][] = [];
  for (let lo = 0; lo < n; lo += step) out.push([lo, Math.min(n, lo + step)]);
  return out;
}

/** Chunks per job when threaded: enough for the threads to balance when one is slowed down. */
const CHUNKS = 16;

function check(cond: boolean, message: string): void {
  if (!cond) throw new RangeError(message);
}

const roundUp = (x: number, to: number): number => Math.ceil(x / to) * to;

/**
 * `[0, n)` in shrinking ranges for `threads` threads (guided scheduling):
 * each takes `1 / (2·threads)` of what is left, in multiples of `unit`
 * and at least `minSize` (less where n is too small for one chunk per
 * thread), so the first chunks are large (few passes over
 * B) and the last ones small (the threads finish together).
 */
function guidedRanges(n: number, threads: number, unit: number, minSize: number): [number, number][] {
  if (threads <= 1) return [[0, n]];
  // At least one chunk per thread where n allows, at most MAX_CHUNKS.
  const floor = Math.max(unit, Math.min(roundUp(minSize, unit), roundUp(Math.ceil(n / threads), unit)), roundUp(Math.ceil(n / MAX_CHUNKS), unit));
  const out: [number, number][] = [];
  for (let lo = 0; lo < n;) {
    const step = Math.max(floor, roundUp(Math.ceil((n - lo) / (2 * threads)), unit));
    out.push([lo, Math.min(n, lo + step)]);
    lo += step;
  }
  return out;
}

/** The smallest row chunk of a threaded matmul, in micro-tile rows: each chunk streams all of packed B once. */
const MIN_ROW_TILES = 2;
/** The least work of a row chunk (flops, some 25 µs): a claim, a wake-up and a copy-out cost a few µs. */
const MIN_CHUNK_FLOPS = 2 ** 20;
/** Chunks of a threaded B packing. */
const PACK_CHUNKS = 8;
/** Packed B below this many floats is packed by the calling thread alone (a job costs more than it saves). */
const PACK_THREADED_FLOATS = 2 ** 16;

/** A matmul's kernel-memory blocks and its jobs (see `wasmMatmulF32`). */
interface MatmulPlan {
  /** A and B (the caller's own where they are resident), B packed, C padded to whole tiles (byte addresses). */
  readonly pa: number;
  readonly pb: number;
  readonly pbp: number;
  readonly pc: number;
  /** Where `mm_rows` copies C's rows compact, `[M, N]`, or 0 for nowhere (then C is read at `pc`, N floats a row; for a resident output of whole tiles, `pc` is the output itself). */
  readonly pcc: number;
  readonly threads: number;
  readonly scratch: number[];
  readonly rows: [number, number][];
  /** C is the caller's resident output itself (`pc`). */
  readonly direct: boolean;
  /**
   * Sliver ranges, one per thread, where a threaded product splits by
   * columns (`mm_cols`: at most one MC block of rows, so each thread packs
   * A once), else null (rows: `mm_pack_b` then `mm_rows`).
   */
  readonly cols: [number, number][] | null;
}

/**
 * Allocates a product's blocks. `a` and `b` (null: the caller writes
 * them) are used in place where they are resident; `out` (null: the caller
 * reads C at `pc`) gets the compact rows straight from the kernel where it
 * is resident, else they go to an arena block when C's rows are padded.
 */
function planMatmul(r: Runtime, m: number, k: number, n: number, a: Float32Array | null, b: Float32Array | null, out: Float32Array | null, byColumns = false): MatmulPlan {
  const { mr, nr, unroll, mc, kc } = r.kernels.matmul;
  const kp = roundUp(k, unroll), np = roundUp(n, nr), mp = roundUp(m, mr);
  const threads = threadsFor(r, 2 * m * k * n, threadThresholds.matmulFlops);
  const { arena } = r;
  arena.reset();
  const resident = (x: Float32Array | null): x is Float32Array => x !== null && arena.isResident(x);
  // A resident output of whole tiles is C itself: the kernel writes it in place, with no compact copy.
  const direct = resident(out) && mp === m && np === n;
  return {
    pa: resident(a) ? a.byteOffset : arena.alloc(m * k * 4),
    pb: resident(b) ? b.byteOffset : arena.alloc(k * n * 4),
    pbp: arena.alloc(kp * np * 4),
    pc: direct ? out.byteOffset : arena.alloc(mp * np * 4),
    pcc: direct ? 0 : resident(out) ? out.byteOffset : out !== null && np !== n ? arena.alloc(m * n * 4) : 0,
    threads,
    scratch: Array.from({ length: threads }, () => arena.alloc(mc * kc * 4)),
    rows: guidedRanges(m, threads, mr, Math.max(MIN_ROW_TILES * mr, Math.ceil(MIN_CHUNK_FLOPS / (2 * k * n)))),
    direct,
    cols: byColumns && threads > 1 && m <= mc && np / nr >= 2 * threads ? ranges(np / nr, threads, 1) : null,
  };
}

/** Rows `[0, m)` of the C at float offset `c` (row stride `ldc`) into the compact `[m, n]` array `out`. */
function copyRows(mem: Float32Array, c: number, ldc: number, out: Float32Array, m: number, n: number): void {
  if (ldc === n) out.set(mem.subarray(c, c + m * n));
  else for (let i = 0; i < m; i++) out.set(mem.subarray(c + i * ldc, c + i * ldc + n), i * n);
}

/**
 * Packs B (at `p.pb`; Bᵀ with `transB`) on every thread, the calling
 * thread first running `before` (it copies A in meanwhile).
 */
function packB(r: Runtime, p: MatmulPlan, k: number, n: number, transB: boolean, before: () => void): void {
  const { nr, unroll } = r.kernels.matmul;
  const kp = roundUp(k, unroll), slivers = roundUp(n, nr) / nr;
  const parts = ranges(slivers, p.threads > 1 && kp * slivers * nr >= PACK_THREADED_FLOATS ? PACK_CHUNKS : 1, 1);
  r.pool.run({ kernel: transB ? 'mm_pack_bt' : 'mm_pack_b', chunks: parts.map(([j0, j1]) => [p.pb, p.pbp, k, n, kp, j0, j1]), before }, p.threads);
}

/**
 * `out[M, N] = a[M, K] · b[K, N]`, row-major float32, summed in float32
 * (like `sgemm`; the TypeScript kernel sums in float64). `out` may be
 * longer than M·N; only the first M·N are written. With `transA`, `a`
 * holds Aᵀ as a row-major `[K, M]`; with `transB`, `b` holds Bᵀ as
 * `[N, K]`: the packers read them strided, so a transposed operand is
 * never copied into row-major order first (`sgemm`'s `'T'` flags).
 * Operands and `out` that live in the kernel memory (resident arrays) are
 * read and written in place.
 *
 * Threaded, the workers pack B while this thread copies A in, and this
 * thread copies each finished block of rows of C out while the workers
 * compute the next: only copying B in and the last block out are serial.
 * A product of at most MC (64) rows splits by columns instead, in one job:
 * each thread packs the slivers of B it multiplies (a batch of 64 through
 * a 784 x 128 layer: 1.3x faster than packing B on both threads and then
 * splitting the rows).
 * @example
 * ```ts
 * const out = new Float32Array(1);
 * wasmMatmulF32(new Float32Array([1, 2]), new Float32Array([3, 4]), 1, 2, 1, out); // out[0] = 11
 * wasmMatmulF32(new Float32Array([1, 2]), new Float32Array([3, 4]), 1, 2, 1, out, true, true); // still 11
 * ```
 */
export function wasmMatmulF32(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
  out: Float32Array,
  transA = false,
  transB = false,
): void {
  check(a.length >= m * k && b.length >= k * n && out.length >= m * n, `wasmMatmulF32: arrays too short for [${m},${k}] x [${k},${n}]`);
  if (m === 0 || n === 0) return;
  if (k === 0) {
    out.fill(0, 0, m * n);
    return;
  }
  const r = rt();
  const { arena } = r;
  // Rows of C stored while other chunks still read A: not over A itself (a resident output may alias it).
  const overA = arena.isResident(out) && arena.isResident(a) && out.buffer === a.buffer
    && out.byteOffset < a.byteOffset + m * k * 4 && a.byteOffset < out.byteOffset + m * n * 4;
  const p = planMatmul(r, m, k, n, a, b, overA ? new Float32Array(0) : out, true);
  const mem = arena.f32(); // every block is allocated: the view stays valid
  const copyIn = (x: Float32Array, size: number, at: number): void => {
    if (!arena.isResident(x)) mem.set(size === x.length ? x : x.subarray(0, size), at >> 2);
  };
  const [lda, csa] = transA ? [4, m * 4] : [k * 4, 4];
  copyIn(b, k * n, p.pb);
  if (p.cols !== null) {
    // Split by columns: one job, each thread packs the slivers of B it multiplies.
    copyIn(a, m * k, p.pa);
    r.pool.run({ kernel: transB ? 'mm_cols_t' : 'mm_cols', chunks: p.cols.map(([j0, j1]) => [p.pa, p.pb, p.pbp, p.pc, SCRATCH_ARG, j0, j1, m, k, n, lda, csa]), scratch: p.scratch }, p.threads);
    if (!p.direct) copyRows(arena.f32(), p.pc >> 2, roundUp(n, r.kernels.matmul.nr), out, m, n);
    return;
  }
  packB(r, p, k, n, transB, () => copyIn(a, m * k, p.pa));
  const res = (p.pcc || p.pc) >> 2;
  const copyOut = (m0: number, m1: number): void => out.set(mem.subarray(res + m0 * n, res + m1 * n), m0 * n);
  r.pool.run({
    kernel: 'mm_rows',
    chunks: p.rows.map(([m0, m1]) => [p.pa, p.pbp, p.pc, SCRATCH_ARG, m0, m1, k, n, lda, csa, p.pcc]),
    scratch: p.scratch,
    collect: arena.isResident(out) ? undefined : (i) => copyOut(...p.rows[i]!),
  }, p.threads);
  if (overA) copyOut(0, m);
}

/**
 * `C[M, N] = A[M, K] · B[K, N]` (row-major float32, summed in float32) with
 * the operands written straight into kernel memory and the result read
 * from it, so a caller that builds A or B on the fly (im2col, a layout
 * change) copies nothing twice. `writeA(mem, at)` stores A's `M·K` floats
 * at `mem[at...]`, `writeB` B's `K·N`; `readC(mem, at, ldc)` finds
 * `C[i, j]` at `mem[at + i·ldc + j]`. The views are valid only during the
 * callbacks. Threaded, `writeA` runs while the workers pack B.
 * @example
 * ```ts
 * const out = new Float32Array(1);
 * wasmGemmF32(1, 2, 1, (m, at) => m.set([1, 2], at), (m, at) => m.set([3, 4], at), (m, at) => { out[0] = m[at]!; }); // out[0] = 11
 * ```
 */
export function wasmGemmF32(
  m: number,
  k: number,
  n: number,
  writeA: (mem: Float32Array, at: number) => void,
  writeB: (mem: Float32Array, at: number) => void,
  readC: (mem: Float32Array, at: number, ldc: number) => void,
): void {
  check(m > 0 && k > 0 && n > 0, `wasmGemmF32: needs positive sizes, got [${m},${k}] x [${k},${n}]`);
  const r = rt();
  const p = planMatmul(r, m, k, n, null, null, null);
  const mem = r.arena.f32();
  writeB(mem, p.pb >> 2);
  packB(r, p, k, n, false, () => writeA(mem, p.pa >> 2));
  r.pool.run({ kernel: 'mm_rows', chunks: p.rows.map(([m0, m1]) => [p.pa, p.pbp, p.pc, SCRATCH_ARG, m0, m1, k, n, k * 4, 4, 0]), scratch: p.scratch }, p.threads);
  readC(r.arena.f32(), p.pc >> 2, roundUp(n, r.kernels.matmul.nr));
}

/** Floats of output per outer-product chunk (a MiB): still in cache when it is copied out, in few copies. */
const OUTER_CHUNK = 1 << 18;

/**
 * `out[t, i, j] = a[t, i] · b[t, j]` for `t < batch` (row-major float32;
 * `a` holds `batch` rows of M, `b` `batch` rows of N): a batch of matrix
 * products with K = 1. Bit-identical to the TypeScript kernel (each product
 * rounded once; `-0` products stored as `+0`). Into kernel memory, the
 * threads write the output in place; into any other array, it is computed a
 * MiB at a time and each piece copied out while it is in cache, so the
 * result is written to memory once.
 * @example
 * ```ts
 * const out = new Float32Array(6);
 * wasmOuterF32(new Float32Array([1, 2]), new Float32Array([3, 4, 5]), out); // [3, 4, 5, 6, 8, 10]
 * wasmOuterF32(new Float32Array([1, 2]), new Float32Array([3, 4]), new Float32Array(4), 2); // [3, 8]: two 1x1 products
 * ```
 */
export function wasmOuterF32(a: Float32Array, b: Float32Array, out: Float32Array, batch = 1): void {
  const m = a.length / batch, n = b.length / batch;
  check(Number.isInteger(batch) && batch > 0 && Number.isInteger(m) && Number.isInteger(n), `wasmOuterF32: lengths ${a.length} and ${b.length} are not ${batch} rows each`);
  check(out.length >= batch * m * n, `wasmOuterF32: out has ${out.length} elements, the product ${batch}x${m}x${n}`);
  if (m === 0 || n === 0) return;
  const r = rt();
  r.arena.reset();
  const pa = r.arena.put(a), pb = r.arena.put(b);
  const total = batch * m;
  // Written in place by all threads where `out` is kernel memory. Into a JavaScript array, this thread computes
  // a piece at a time and copies it out while it is in cache: the copy is this thread's work either way, and
  // with the threads writing the whole product first it crossed memory twice (1.4-2x the time, V2's product).
  const threads = n % 4 === 0 && r.arena.isResident(out) ? threadsFor(r, total * n, threadThresholds.outer) : 1;
  if (threads > 1) {
    // Whole vectors per row (no spill into the next row), the rows split into chunks.
    const po = out.byteOffset, chunks: number[][] = [];
    const per = Math.max(1, Math.ceil(total / (4 * CHUNKS)));
    for (let t = 0; t < batch; t++) {
      for (let i = t * m; i < (t + 1) * m; i += per) chunks.push([pa + i * 4, pb + t * n * 4, po + i * n * 4, Math.min(per, (t + 1) * m - i), n]);
    }
    for (let c = 0; c < chunks.length; c += MAX_CHUNKS) r.pool.run({ kernel: OUTER_EXPORT, chunks: chunks.slice(c, c + MAX_CHUNKS) }, threads);
    return;
  }
  const rows = Math.max(1, Math.min(total, Math.floor(OUTER_CHUNK / n)));
  const po = r.arena.alloc(rows * n * 4 + 16);
  const kernel = r.kernels.exports[OUTER_EXPORT]!;
  for (let r0 = 0; r0 < total; r0 += rows) {
    const r1 = Math.min(total, r0 + rows);
    // One kernel pass per batch entry in the chunk; each spills into the next one's start, which that pass overwrites.
    for (let i = r0; i < r1;) {
      const t = Math.floor(i / m), end = Math.min(r1, (t + 1) * m);
      kernel(pa + i * 4, pb + t * n * 4, po + (i - r0) * n * 4, end - i, n);
      i = end;
    }
    out.set(r.arena.f32().subarray(po >> 2, (po >> 2) + (r1 - r0) * n), r0 * n);
  }
}

/**
 * One B operand to pack for {@link KernelMemory.multiply}: the row-major
 * `[k, n]` matrix at float offset `src` (with `trans`, `src` holds Bᵀ as a
 * row-major `[n, k]`), packed to `dst` (`packedSize(k, n)` floats).
 */
export interface PackJob {
  readonly src: number;
  readonly dst: number;
  readonly k: number;
  readonly n: number;
  readonly trans?: boolean;
}

/**
 * One product for {@link KernelMemory.multiply}: `C[m, n] = A[m, k] · B`
 * with `A[i, p]` at float offset `a + i·lda + p·csa` (row-major: `lda = k,
 * csa = 1`; transposed: `lda = 1, csa = m`, or any other strides), B
 * packed at `bp` by {@link KernelMemory.pack}, and `C[i, j]` stored at
 * `c + i·cStride(n) + j` (`cRows(m)·cStride(n)` floats).
 */
export interface MultiplyJob {
  readonly a: number;
  readonly lda: number;
  readonly csa: number;
  readonly bp: number;
  readonly c: number;
  readonly m: number;
  readonly k: number;
  readonly n: number;
}

/**
 * The kernel memory during one {@link wasmWithKernelMemory} call: a bump
 * allocator (float offsets, 64-byte aligned), placement of arrays (in place
 * where they are resident), the GEMM's packing and multiplying steps, each
 * run over a list of independent jobs, one chunk per job, shared between
 * the threads, and the per-image convolution kernels. For callers that lay
 * out many products at once (a convolution over images) so that nothing is
 * copied twice and the threads split the work by jobs.
 */
export interface KernelMemory {
  /** A fresh block of `floats` floats (contents undefined); its float offset. */
  alloc(floats: number): number;
  /** The memory as float32; a later `alloc` may replace it. */
  f32(): Float32Array;
  /** Floats of a packed `[k, n]` B. */
  packedSize(k: number, n: number): number;
  /** Floats of the block a thread packs A into. */
  readonly aBlock: number;
  /** Row stride (floats) of a C with `n` columns. */
  cStride(n: number): number;
  /** Rows stored of a C with `m` rows (whole tiles). */
  cRows(m: number): number;
  /** Packs each job's B. */
  pack(jobs: readonly PackJob[]): void;
  /** Runs each product. */
  multiply(jobs: readonly MultiplyJob[]): void;
  /** `data` in the kernel memory: where it lies when it is resident, else a copy; its float offset. */
  put(data: Float32Array): number;
  /** Where to write `out.length` floats bound for `out`: `out` itself when resident, else a fresh block (then {@link KernelMemory.finish}). */
  output(out: Float32Array): number;
  /** Copies what was written at `at` into `out`, unless it was written there in place. */
  finish(out: Float32Array, at: number): void;
  /**
   * Runs a per-image convolution kernel (`conv_fwd`, `conv_bwd_input`,
   * `conv_bwd_weight` in `kernels/conv.ts`) once per chunk of arguments,
   * each thread with its own scratch block of `scratchFloats` floats (the
   * chunk's fifth argument); `flops` decides the threads.
   */
  images(kernel: 'conv_fwd' | 'conv_bwd_input' | 'conv_bwd_weight', chunks: readonly (readonly number[])[], flops: number, scratchFloats: number): void;
}

/**
 * Runs `f` with the kernel memory (see {@link KernelMemory}); everything
 * it allocated is freed when `f` returns. Sums are float32, in the same
 * order whatever the threads, as in {@link wasmMatmulF32}.
 * @example
 * ```ts
 * const c = wasmWithKernelMemory((km) => {
 *   const a = km.alloc(2), b = km.alloc(2), bp = km.alloc(km.packedSize(2, 1)), c = km.alloc(km.cRows(1) * km.cStride(1));
 *   km.f32().set([1, 2], a);
 *   km.f32().set([3, 4], b);
 *   km.pack([{ src: b, dst: bp, k: 2, n: 1 }]);
 *   km.multiply([{ a, lda: 2, csa: 1, bp, c, m: 1, k: 2, n: 1 }]);
 *   return km.f32()[c]; // 11
 * });
 * ```
 */
export function wasmWithKernelMemory<T>(f: (km: KernelMemory) => T): T {
  const r = rt();
  const { mr, nr, unroll, mc, kc } = r.kernels.matmul;
  const { arena } = r;
  arena.reset();
  const km: KernelMemory = {
    alloc: (floats) => arena.alloc(floats * 4) >> 2,
    f32: () => arena.f32(),
    packedSize: (k, n) => roundUp(k, unroll) * roundUp(n, nr),
    aBlock: mc * kc,
    cStride: (n) => roundUp(n, nr),
    cRows: (m) => roundUp(m, mr),
    pack(jobs) {
      check(jobs.every((j) => j.k > 0 && j.n > 0), 'wasmWithKernelMemory: pack needs positive sizes');
      const work = jobs.reduce((s, j) => s + j.k * j.n, 0);
      const threads = threadsFor(r, work, PACK_THREADS);
      for (const kernel of ['mm_pack_b', 'mm_pack_bt'] as const) {
        const mine = jobs.filter((j) => (kernel === 'mm_pack_bt') === (j.trans === true));
        if (mine.length === 0) continue;
        const chunks = mine.map((j) => [j.src * 4, j.dst * 4, j.k, j.n, roundUp(j.k, unroll), 0, roundUp(j.n, nr) / nr]);
        for (let i = 0; i < chunks.length; i += MAX_CHUNKS) r.pool.run({ kernel, chunks: chunks.slice(i, i + MAX_CHUNKS) }, threads);
      }
    },
    multiply(jobs) {
      check(jobs.every((j) => j.m > 0 && j.k > 0 && j.n > 0), 'wasmWithKernelMemory: multiply needs positive sizes');
      const flops = jobs.reduce((s, j) => s + 2 * j.m * j.k * j.n, 0);
      const threads = jobs.length > 1 ? threadsFor(r, flops, threadThresholds.matmulFlops) : 1;
      const scratch = Array.from({ length: threads }, () => arena.alloc(mc * kc * 4));
      const chunks = jobs.map((j) => [j.a * 4, j.bp * 4, j.c * 4, SCRATCH_ARG, 0, j.m, j.k, j.n, j.lda * 4, j.csa * 4, 0]);
      for (let i = 0; i < chunks.length; i += MAX_CHUNKS) r.pool.run({ kernel: 'mm_rows', chunks: chunks.slice(i, i + MAX_CHUNKS), scratch }, threads);
    },
    put: (data) => arena.put(data) >> 2,
    output: (out) => arena.output(out, out.length) >> 2,
    finish: (out, at) => arena.finish(out, at * 4, out.length),
    images(kernel, chunks, flops, scratchFloats) {
      const threads = chunks.length > 1 ? threadsFor(r, flops, threadThresholds.matmulFlops) : 1;
      const scratch = Array.from({ length: threads }, () => arena.alloc(scratchFloats * 4));
      const args = chunks.map((c) => c.map((v, i) => (i === 4 ? SCRATCH_ARG : v)));
      for (let i = 0; i < args.length; i += MAX_CHUNKS) r.pool.run({ kernel, chunks: args.slice(i, i + MAX_CHUNKS), scratch }, threads);
    },
  };
  return f(km);
}

/** Elements packed from which packing uses the worker threads (a copy: the second thread helps only on big jobs). */
const PACK_THREADS = 1 << 16;

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
  const po = r.arena.output(out, n);
  const nvec = Math.ceil(n / 4);
  const threads = threadsFor(r, n, threadThresholds.unary[op]);
  const parts = ranges(nvec, threads > 1 ? CHUNKS : 1, 16);
  r.pool.run({ kernel: unaryName(op), chunks: parts.map(([lo, hi]) => [px + lo * 16, po + lo * 16, hi - lo]) }, threads);
  r.arena.finish(out, po, n);
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
  const pa = r.arena.put(a), pb = r.arena.put(b), po = r.arena.output(out, n);
  const nvec = Math.ceil(n / 4);
  const threads = threadsFor(r, n, threadThresholds.binary);
  const parts = ranges(nvec, threads > 1 ? CHUNKS : 1, 16);
  r.pool.run({
    kernel: binaryName(op, form),
    chunks: parts.map(([lo, hi]) => [form === 'sv' ? pa : pa + lo * 16, form === 'vs' ? pb : pb + lo * 16, po + lo * 16, hi - lo]),
  }, threads);
  r.arena.finish(out, po, n);
}

/**
 * `out[i] = op(a[i], b[i mod L])` where `b` is shorter (length `L`, a
 * divisor of `a.length`), or `op(a[i mod L], b[i])` where `a` is: the
 * shorter operand repeats, as a `[L]` operand broadcasts against `[R, L]`
 * (a bias added to every row). Bit-identical to {@link wasmBinaryF32}. Each
 * repeat is one pass of the vector kernel; a pass spills up to three lanes
 * into the next repeat's output, which that pass overwrites.
 * @example
 * ```ts
 * const out = new Float32Array(4);
 * wasmBinaryTiledF32('add', new Float32Array([1, 2, 3, 4]), new Float32Array([10, 20]), out); // [11, 22, 13, 24]
 * ```
 */
export function wasmBinaryTiledF32(op: BinaryOp, a: Float32Array, b: Float32Array, out: Float32Array): void {
  const n = Math.max(a.length, b.length), tile = Math.min(a.length, b.length);
  check(tile > 0 && n % tile === 0 && out.length >= n, `wasmBinaryTiledF32: lengths ${a.length} and ${b.length}: the shorter must divide the longer (into out of ${out.length})`);
  const r = rt();
  r.arena.reset();
  const pa = r.arena.put(a), pb = r.arena.put(b), po = r.arena.alloc(n * 4 + 16);
  const kernel = r.kernels.exports[binaryName(op, 'vv')]!;
  const nvec = Math.ceil(tile / 4), step = tile * 4;
  const repeatA = a.length < n;
  for (let at = 0; at < n * 4; at += step) kernel(repeatA ? pa : pa + at, repeatA ? pb + at : pb, po + at, nvec);
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
  const po = r.arena.output(out, rows);
  const threads = threadsFor(r, rows * cols, threadThresholds.sum);
  const parts = ranges(rows, threads > 1 ? CHUNKS : 1, 1);
  r.pool.run({ kernel: 'sum_rows_f32', chunks: parts.map(([lo, hi]) => [px + lo * cols * 4, po + lo * 4, hi - lo, cols]) }, threads);
  r.arena.finish(out, po, rows);
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
  const threads = threadsFor(r, n, threadThresholds.sum);
  const parts = ranges(full, threads > 1 ? CHUNKS : 1, 1);
  r.pool.run({ kernel: 'sum_rows_f64', chunks: parts.map(([lo, hi]) => [px + lo * SUM_CHUNK * 4, po + lo * 8, hi - lo, SUM_CHUNK]) }, threads);
  if (tail > 0) r.kernels.exports.sum_rows_f64!(px + full * SUM_CHUNK * 4, po + full * 8, 1, tail);
  const partial = new Float64Array(r.kernels.memory.buffer, po, chunks);
  let s = 0;
  for (let i = 0; i < chunks; i++) s += partial[i]!;
  return s;
}

/** Compiled fused expressions: kernel numbers in the pool, by expression and broadcast pattern. */
const fusedKernels = new Map<string, number>();
/** Past this many distinct expressions, new ones still run, compiled per call and on this thread only. */
const MAX_FUSED = 256;

/**
 * `out[i] = expr(inputs...)[i]`: a tree of elementwise ops evaluated in one
 * pass (each input read once, no temporaries). Inputs have the output's
 * length or length 1 (broadcast); the element count is the longest input's
 * (`out.length` when the expression reads none). Each distinct expression
 * is compiled once (about a millisecond) and cached.
 * @example
 * ```ts
 * const { input, constant, add, mul, tanh, sigmoid } = fx;
 * const x = new Float32Array([0, 1, 2]), out = new Float32Array(3);
 * wasmFusedF32(mul(tanh(add(mul(input(0), constant(1.5)), constant(0.5))), sigmoid(input(0))), [x], out);
 * ```
 */
export function wasmFusedF32(expr: FusedExpr, inputs: readonly Float32Array[], out: Float32Array): void {
  const arity = checkFused(expr);
  check(inputs.length >= arity, `wasmFusedF32: the expression reads ${arity} inputs, got ${inputs.length}`);
  const used = inputs.slice(0, arity);
  const lengths = new Set(used.map((x) => x.length).filter((l) => l !== 1));
  check(lengths.size <= 1, `wasmFusedF32: input lengths ${used.map((x) => x.length).join(', ')} neither match nor broadcast a single element`);
  const n = arity === 0 ? out.length : lengths.size === 0 ? 1 : [...lengths][0]!;
  check(out.length >= n, `wasmFusedF32: out has ${out.length} elements, the inputs ${n}`);
  if (n === 0) return;
  const r = rt();
  const scalar = used.map((x) => x.length === 1 && n > 1);
  const key = `${fusedKey(expr)}|${scalar.map(Number).join('')}`;
  let kernel: number | KernelFn | undefined = fusedKernels.get(key);
  if (kernel === undefined) {
    const module = new wasmApi!.Module(fusedModuleBytes(expr, scalar, r.kernels.shared));
    if (fusedKernels.size < MAX_FUSED) {
      kernel = r.pool.register(module, FUSED_EXPORT);
      fusedKernels.set(key, kernel);
    } else {
      kernel = new wasmApi!.Instance(module, { env: { memory: r.kernels.memory } }).exports[FUSED_EXPORT] as KernelFn;
    }
  }
  r.arena.reset();
  const ptrs = used.map((x) => r.arena.put(x));
  const po = r.arena.output(out, n);
  const nvec = Math.ceil(n / 4);
  if (typeof kernel === 'function') {
    kernel(...ptrs, po, nvec);
  } else {
    const threads = threadsFor(r, n, threadThresholds.fused);
    const parts = ranges(nvec, threads > 1 ? CHUNKS : 1, 16);
    r.pool.run({ kernel, chunks: parts.map(([lo, hi]) => [...ptrs.map((p, i) => (scalar[i] ? p : p + lo * 16)), po + lo * 16, hi - lo]) }, threads);
  }
  r.arena.finish(out, po, n);
}

/** Multi-output kernels with too many arguments for the pool: run on this thread only. */
const localFused = new Map<string, KernelFn>();

/** Past this many arguments a multi-output call runs on this thread only (the pool passes 12 per chunk). */
const POOL_ARGS = 12;

/**
 * `outs[j][i] = exprs[j](inputs...)[i]` for every j in one pass: several
 * fused expressions over the same inputs, with their shared subtrees
 * computed once (an optimizer update writes the new parameter and both
 * moments at once). Inputs have the outputs' length `n` or length 1.
 * @example
 * ```ts
 * const { input, constant, add, mul } = fx;
 * const x = new Float32Array([1, 2]), a = new Float32Array(2), b = new Float32Array(2);
 * wasmFusedMultiF32([add(input(0), constant(1)), mul(input(0), input(0))], [x], [a, b]); // a = [2, 3], b = [1, 4]
 * ```
 */
export function wasmFusedMultiF32(exprs: readonly FusedExpr[], inputs: readonly Float32Array[], outs: readonly Float32Array[]): void {
  check(exprs.length === outs.length && exprs.length > 0, `wasmFusedMultiF32: ${exprs.length} expressions for ${outs.length} outputs`);
  const arity = Math.max(...exprs.map(checkFused));
  check(inputs.length >= arity, `wasmFusedMultiF32: the expressions read ${arity} inputs, got ${inputs.length}`);
  const n = outs[0]!.length;
  const used = inputs.slice(0, arity);
  check(used.every((x) => x.length === n || x.length === 1) && outs.every((o) => o.length === n), `wasmFusedMultiF32: input lengths ${used.map((x) => x.length).join(', ')} neither match the outputs' ${n} nor broadcast a single element`);
  if (n === 0) return;
  const r = rt();
  const scalar = used.map((x) => x.length === 1 && n > 1);
  const key = `${exprs.map(fusedKey).join(';')}|${scalar.map(Number).join('')}`;
  let kernel: number | KernelFn | undefined = fusedKernels.get(key) ?? localFused.get(key);
  if (kernel === undefined) {
    const module = new wasmApi!.Module(fusedMultiModuleBytes(exprs, scalar, r.kernels.shared));
    if (fusedKernels.size < MAX_FUSED && arity + outs.length + 1 <= POOL_ARGS) {
      kernel = r.pool.register(module, FUSED_EXPORT);
      fusedKernels.set(key, kernel);
    } else {
      kernel = new wasmApi!.Instance(module, { env: { memory: r.kernels.memory } }).exports[FUSED_EXPORT] as KernelFn;
      if (localFused.size < MAX_FUSED) localFused.set(key, kernel);
    }
  }
  r.arena.reset();
  const ptrs = used.map((x) => r.arena.put(x));
  const pos = outs.map((o) => r.arena.output(o, n));
  const nvec = Math.ceil(n / 4);
  if (typeof kernel === 'function') {
    kernel(...ptrs, ...pos, nvec);
  } else {
    const threads = threadsFor(r, n, threadThresholds.fused);
    const parts = ranges(nvec, threads > 1 ? CHUNKS : 1, 16);
    r.pool.run({ kernel, chunks: parts.map(([lo, hi]) => [...ptrs.map((p, i) => (scalar[i] ? p : p + lo * 16)), ...pos.map((p) => p + lo * 16), hi - lo]) }, threads);
  }
  outs.forEach((o, j) => r.arena.finish(o, pos[j]!, n));
}

/** Frees a resident block once no array views it. */
const residentBlocks = new FinalizationRegistry<{ at: number; bytes: number }>(({ at, bytes }) => runtime?.arena.release(at, bytes));

/**
 * @internal Whether {@link residentF32} can be used: the backend runs and
 * its memory is shared (so views of it survive growth).
 * @example
 * ```ts
 * if (residentAvailable()) residentF32(4);
 * ```
 */
export function residentAvailable(): boolean {
  return isWasmAvailable() && rt().kernels.shared;
}

/**
 * @internal A float32 array that lives in kernel memory: kernels read it
 * and write it in place, with no copy in or out. Its block returns to the
 * kernel memory's heap when the array is collected. After
 * {@link residentAvailable} only.
 * @example
 * ```ts
 * const a = residentF32(1024); // zeros
 * isResident(a); // true
 * ```
 */
export function residentF32(n: number): Float32Array {
  const r = rt();
  const bytes = n * 4;
  const at = r.arena.reserve(bytes);
  const view = new Float32Array(r.kernels.memory.buffer, at, n);
  view.fill(0);
  residentBlocks.register(view, { at, bytes });
  return view;
}

/**
 * @internal True when `data` is a view of kernel memory that kernels use in place.
 * @example
 * ```ts
 * isResident(new Float32Array(4)); // false
 * ```
 */
export function isResident(data: ArrayBufferView): boolean {
  return runtime !== null && runtime.arena.isResident(data);
}

/**
 * @internal Bytes the kernel memory's heap of resident blocks spans (for memory tests).
 * @example
 * ```ts
 * residentHeapBytes(); // 0 before any resident array
 * ```
 */
export function residentHeapBytes(): number {
  return runtime === null ? 0 : runtime.arena.heapBytes();
}

/**
 * @internal {@link wasmFusedMultiF32} prepared once for a fixed shape: the
 * module is compiled (or found) now, and each call only places its arrays
 * (in place where they are resident) and runs. `layout[i]` says how input
 * i is read: 0 whole (`n` floats), -1 one element broadcast, `p > 0`
 * periodic (`p` floats, a multiple of 4 dividing `n`, read again for every
 * block of `p` outputs: a bias row over a batch), `{ count, repeat }` a
 * channel input (`count` floats, each broadcast over `repeat` consecutive
 * outputs, a multiple of 4, again and again: a per-channel bias over NCHW
 * images). Chunks for the threads start where every periodic and channel
 * input is back at its start. With `flushSubnormals`, every
 * subnormal result is stored as a zero of its sign (flush to zero: off by
 * less than 2^-126 each; subnormal arithmetic costs x86 cores some 100
 * cycles an operation, and the next loop reading a flushed value pays nothing).
 * @example
 * ```ts
 * const { input, add } = fx;
 * const addBias = wasmFusedPreparedF32([add(input(0), input(1))], [0, 4], 8);
 * const out = new Float32Array(8);
 * addBias([new Float32Array(8), new Float32Array([1, 2, 3, 4])], [out]); // out = [1, 2, 3, 4, 1, 2, 3, 4]
 * const perChannel = new Float32Array(8);
 * wasmFusedPreparedF32([add(input(0), input(1))], [0, { count: 2, repeat: 4 }], 8)([new Float32Array(8), new Float32Array([1, 2])], [perChannel]); // [1, 1, 1, 1, 2, 2, 2, 2]
 * const tiny = new Float32Array(4);
 * wasmFusedPreparedF32([fx.mul(input(0), fx.constant(0.5))], [0], 4, true)([new Float32Array([1, 2e-38, -2e-38, 4])], [tiny]); // tiny = [0.5, 0, -0, 2]
 * ```
 */
export function wasmFusedPreparedF32(exprs: readonly FusedExpr[], layout: readonly FusedLayout[], n: number, flushSubnormals = false): (inputs: readonly Float32Array[], outs: readonly Float32Array[]) => void {
  const arity = Math.max(0, ...exprs.map(checkFused));
  check(layout.length >= arity, `wasmFusedPreparedF32: the expressions read ${arity} inputs, the layout has ${layout.length}`);
  const shown = () => layout.map((l) => (typeof l === 'number' ? String(l) : `{count: ${l.count}, repeat: ${l.repeat}}`)).join(', ');
  check(layout.every((l) => typeof l !== 'number' || l <= 0 || (l % 4 === 0 && n % l === 0)), `wasmFusedPreparedF32: a periodic input's length must be a multiple of 4 that divides ${n}, got ${shown()}`);
  check(layout.every((l) => typeof l === 'number' || (Number.isInteger(l.count) && l.count > 0 && Number.isInteger(l.repeat) && l.repeat > 0 && l.repeat % 4 === 0 && n % (l.count * l.repeat) === 0)),
    `wasmFusedPreparedF32: a channel input's repeat must be a multiple of 4, and count·repeat must divide ${n}, got ${shown()}`);
  const r = rt();
  const used = layout.slice(0, arity);
  const scalar = used.map((l) => l === -1);
  const periods = used.map((l) => (typeof l === 'number' ? Math.max(0, l) : l.count));
  const repeats = used.map((l) => (typeof l === 'number' ? 0 : l.repeat));
  const phase = fusedPhase(periods, repeats);
  const key = `${exprs.map(fusedKey).join(';')}|${scalar.map(Number).join('')}|${periods.join(',')}|${repeats.join(',')}${flushSubnormals ? '|ftz' : ''}`;
  let kernel: number | KernelFn | undefined = fusedKernels.get(key) ?? localFused.get(key);
  if (kernel === undefined) {
    const module = new wasmApi!.Module(fusedMultiModuleBytes(exprs, scalar, r.kernels.shared, periods, flushSubnormals, repeats));
    if (fusedKernels.size < MAX_FUSED && arity + exprs.length + 1 <= POOL_ARGS) {
      kernel = r.pool.register(module, FUSED_EXPORT);
      fusedKernels.set(key, kernel);
    } else {
      kernel = new wasmApi!.Instance(module, { env: { memory: r.kernels.memory } }).exports[FUSED_EXPORT] as KernelFn;
      if (localFused.size < MAX_FUSED) localFused.set(key, kernel);
    }
  }
  const fn = kernel;
  const nvec = Math.ceil(n / 4);
  // Periodic and channel inputs start every chunk at their own start: only the whole ones move with the chunk.
  const moves = used.map((l) => l === 0);
  const ptrs = new Array<number>(arity), pos = new Array<number>(exprs.length);
  return (inputs, outs) => {
    if (n === 0) return;
    r.arena.reset();
    for (let i = 0; i < arity; i++) ptrs[i] = r.arena.put(inputs[i]!);
    for (let j = 0; j < pos.length; j++) pos[j] = r.arena.output(outs[j]!, n);
    if (typeof fn === 'function') {
      fn(...ptrs, ...pos, nvec);
    } else {
      const threads = threadsFor(r, n, threadThresholds.fused);
      const parts = ranges(nvec, threads > 1 ? CHUNKS : 1, phase * Math.ceil(16 / phase));
      r.pool.run({ kernel: fn, chunks: parts.map(([lo, hi]) => [...ptrs.map((p, i) => (moves[i] ? p + lo * 16 : p)), ...pos.map((p) => p + lo * 16), hi - lo]) }, threads);
    }
    for (let j = 0; j < pos.length; j++) r.arena.finish(outs[j]!, pos[j]!, n);
  };
}

/** A float32 view of an int32 array's bytes (the arena places float32 arrays; the kernels read the bits as int32). */
const bitsOf = (a: Int32Array): Float32Array => new Float32Array(a.buffer, a.byteOffset, a.length);

/**
 * Max pooling's argmax for 2x2 windows at column stride 2, row stride
 * `sh`, no padding: for each of `planes` planes of x (`h·w` floats each),
 * `out[plane, i, j]` is the flat index into x of the first largest element
 * of the window at rows `i·sh + [0, 1]` and columns `2j + [0, 1]` (a NaN
 * counts as largest: the first NaN wins). The same indices as the
 * reference loop (`cpu/conv.ts`); the planes are shared by the threads.
 * @example
 * ```ts
 * const out = new Int32Array(1);
 * wasmPoolArgmax2F32(new Float32Array([1, 4, 3, 2]), out, 1, 2, 2, 1, 1, 2); // out = [1]
 * ```
 */
export function wasmPoolArgmax2F32(x: Float32Array, out: Int32Array, planes: number, h: number, w: number, oh: number, ow: number, sh: number): void {
  pool2('wasmPoolArgmax2F32', 'pool_argmax2', x, bitsOf(out), planes, h, w, oh, ow, sh);
}

/** Runs `pool_argmax2` or `pool_max2` (`out` holds their int32 or float32 results) after checking the geometry. */
function pool2(op: string, kernel: 'pool_argmax2' | 'pool_max2', x: Float32Array, out: Float32Array, planes: number, h: number, w: number, oh: number, ow: number, sh: number): void {
  check(oh > 0 && ow > 0 && (oh - 1) * sh + 2 <= h && 2 * ow <= w, `${op}: ${oh}x${ow} windows at row stride ${sh} do not fit a ${h}x${w} plane`);
  check(x.length >= planes * h * w && out.length >= planes * oh * ow, `${op}: arrays too short for ${planes} planes of ${h}x${w}`);
  check(planes * h * w < 2 ** 31, `${op}: ${planes * h * w} elements do not fit int32 indices`);
  if (planes === 0) return;
  const r = rt();
  r.arena.reset();
  const px = r.arena.put(x.length === planes * h * w ? x : x.subarray(0, planes * h * w));
  const n = planes * oh * ow;
  const po = r.arena.output(out, n);
  const threads = threadsFor(r, planes * h * w, threadThresholds.pool);
  const parts = ranges(planes, threads > 1 ? CHUNKS : 1, 1);
  r.pool.run({ kernel, chunks: parts.map(([lo, hi]) => [px, po, lo, hi, h, w, oh, ow, sh]) }, threads);
  r.arena.finish(out, po, n);
}

/**
 * Max pooling's values for the windows of {@link wasmPoolArgmax2F32}: each
 * window's first maximum (or its first NaN), the value at the index that
 * function picks; the planes are shared by the threads.
 * @example
 * ```ts
 * const out = new Float32Array(1);
 * wasmPoolMax2F32(new Float32Array([1, 4, 3, 2]), out, 1, 2, 2, 1, 1, 2); // out = [4]
 * ```
 */
export function wasmPoolMax2F32(x: Float32Array, out: Float32Array, planes: number, h: number, w: number, oh: number, ow: number, sh: number): void {
  pool2('wasmPoolMax2F32', 'pool_max2', x, out, planes, h, w, oh, ow, sh);
}

/** Throws a RangeError naming `op` unless every index lies in `[0, n)`. */
function checkIndexRange(op: string, idx: Int32Array, n: number): void {
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i]!;
    if (v < 0 || v >= n) throw new RangeError(`${op}: index ${v} at position ${i} is outside [0, ${n})`);
  }
}

/**
 * `out[i] = x[idx[i]]` for float32 `x` and int32 indices, each in
 * `[0, x.length)` (checked first: a RangeError otherwise; `indicesChecked`
 * is the caller's word that it checked them, as the kernels of `take` do
 * when they normalise negative indices); the indices are shared by the
 * threads.
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * wasmGatherF32(new Float32Array([5, 6, 7]), new Int32Array([2, 0]), out); // [7, 5]
 * ```
 */
export function wasmGatherF32(x: Float32Array, idx: Int32Array, out: Float32Array, indicesChecked = false): void {
  const m = idx.length;
  check(out.length >= m, `wasmGatherF32: out has ${out.length} elements for ${m} indices`);
  if (!indicesChecked) checkIndexRange('wasmGatherF32', idx, x.length);
  if (m === 0) return;
  const r = rt();
  r.arena.reset();
  const px = r.arena.put(x), pi = r.arena.put(bitsOf(idx)), po = r.arena.output(out, m);
  const threads = threadsFor(r, m, threadThresholds.pool);
  const parts = ranges(m, threads > 1 ? CHUNKS : 1, 64);
  r.pool.run({ kernel: 'gather_f32', chunks: parts.map(([lo, hi]) => [px, pi + lo * 4, po + lo * 4, hi - lo]) }, threads);
  r.arena.finish(out, po, m);
}

/**
 * `out` set to zeros, then `out[idx[i]] += u[i]` in the order of i, for
 * float32 `u` and int32 indices in `[0, out.length)` (checked first: a
 * RangeError otherwise, unless `indicesChecked`: the caller's word). Two
 * indices may name one element: each thread owns a range of `out`.
 * @example
 * ```ts
 * const out = new Float32Array(3);
 * wasmScatterAddF32(new Float32Array([1, 2, 4]), new Int32Array([2, 0, 2]), out); // [2, 0, 5]
 * ```
 */
export function wasmScatterAddF32(u: Float32Array, idx: Int32Array, out: Float32Array, indicesChecked = false): void {
  const m = idx.length;
  check(u.length >= m, `wasmScatterAddF32: ${u.length} updates for ${m} indices`);
  if (!indicesChecked) checkIndexRange('wasmScatterAddF32', idx, out.length);
  // Each thread owns a range of the output (and reads every index): one chunk per thread.
  scatterAdd(u, idx, out, (threads) => ranges(out.length, threads, 16).map(([lo, hi]) => [0, m, lo, hi]));
}

/**
 * Runs `scatter_add_f32` over `parts(threads)`: per chunk, the updates
 * `[u0, u1)` it reads and the output range `[lo, hi)` it owns (zeroes, then
 * adds into).
 */
function scatterAdd(u: Float32Array, idx: Int32Array, out: Float32Array, parts: (threads: number) => [number, number, number, number][]): void {
  const m = idx.length, n = out.length;
  const r = rt();
  r.arena.reset();
  const pu = r.arena.put(u.length === m ? u : u.subarray(0, m)), pi = r.arena.put(bitsOf(idx)), po = r.arena.output(out, n);
  const threads = threadsFor(r, n + m, threadThresholds.pool);
  r.pool.run({ kernel: 'scatter_add_f32', chunks: parts(threads).map(([u0, u1, lo, hi]) => [pu + u0 * 4, pi + u0 * 4, po, u1 - u0, lo, hi]) }, threads);
  r.arena.finish(out, po, n);
}

/**
 * {@link wasmScatterAddF32} where the updates and the output split into
 * `blocks` equal blocks and block b's indices all fall in output block b
 * (the caller's word, unchecked: max pooling's gradient, whose window
 * argmax stays in its own image plane): the threads share the blocks, and
 * none reads another's updates.
 * @example
 * ```ts
 * const out = new Float32Array(4);
 * wasmScatterAddBlocksF32(new Float32Array([1, 2]), new Int32Array([1, 2]), out, 2); // [0, 1, 2, 0]
 * ```
 */
export function wasmScatterAddBlocksF32(u: Float32Array, idx: Int32Array, out: Float32Array, blocks: number): void {
  const m = idx.length, n = out.length;
  check(blocks > 0 && m % blocks === 0 && n % blocks === 0 && u.length >= m, `wasmScatterAddBlocksF32: ${m} updates and ${n} outputs do not split into ${blocks} blocks`);
  const mb = m / blocks, nb = n / blocks;
  scatterAdd(u, idx, out, (threads) => ranges(blocks, threads > 1 ? CHUNKS : 1, 1).map(([lo, hi]) => [lo * mb, hi * mb, lo * nb, hi * nb]));
}

/**
 * `out[c] = Σ_n Σ_i x[n, c, i]` for x viewed as `[outer, mid, inner]`
 * float32: summed in float64 in that order and rounded once, so the bits
 * of the TypeScript reduction (a bias gradient over NCHW images); the
 * threads share the channels.
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * wasmSumChannelsF32(new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]), 2, 2, 2, out); // [1 + 2 + 5 + 6, 3 + 4 + 7 + 8] = [14, 22]
 * ```
 */
export function wasmSumChannelsF32(x: Float32Array, outer: number, mid: number, inner: number, out: Float32Array): void {
  const n = outer * mid * inner;
  check(x.length >= n && out.length >= mid, `wasmSumChannelsF32: arrays too short for [${outer}, ${mid}, ${inner}]`);
  if (mid === 0) return;
  const r = rt();
  r.arena.reset();
  const px = r.arena.put(x.length === n ? x : x.subarray(0, n)), po = r.arena.output(out, mid);
  const threads = mid >= 8 ? threadsFor(r, n, threadThresholds.pool) : 1;
  const parts = ranges(mid, threads > 1 ? Math.min(CHUNKS, Math.ceil(mid / 4)) : 1, 4);
  r.pool.run({ kernel: 'sum_channels', chunks: parts.map(([lo, hi]) => [px, po, lo, hi, outer, mid, inner]) }, threads);
  r.arena.finish(out, po, mid);
}

let gemvKernels: { dotRows: KernelFn; axpyRows: KernelFn } | null = null;

/**
 * `out[M, N] = a[M, K] · b[K, N]` for M = 1 or N = 1 (a matrix-vector
 * product), row-major float32 summed in float32, on this thread, with no
 * packing (`transA` / `transB` as in {@link wasmMatmulF32}). The sums run
 * in another order than the matmul kernel's, so results differ from it by
 * float32 rounding.
 * @example
 * ```ts
 * const out = new Float32Array(2);
 * wasmGemvF32(new Float32Array([1, 2, 3, 4]), new Float32Array([1, 1]), 2, 2, 1, out); // [3, 7]
 * ```
 */
export function wasmGemvF32(a: Float32Array, b: Float32Array, m: number, k: number, n: number, out: Float32Array, transA = false, transB = false): void {
  check(m === 1 || n === 1, `wasmGemvF32: one of M and N must be 1, got [${m},${k}] x [${k},${n}]`);
  check(a.length >= m * k && b.length >= k * n && out.length >= m * n, `wasmGemvF32: arrays too short for [${m},${k}] x [${k},${n}]`);
  if (m * n === 0) return;
  if (k === 0) {
    out.fill(0, 0, m * n);
    return;
  }
  const r = rt();
  if (gemvKernels === null) {
    const module = new wasmApi!.Module(gemvModuleBytes(r.kernels.shared));
    const ex = new wasmApi!.Instance(module, { env: { memory: r.kernels.memory } }).exports;
    gemvKernels = { dotRows: ex[GEMV.dotRows] as KernelFn, axpyRows: ex[GEMV.axpyRows] as KernelFn };
  }
  const { arena } = r;
  arena.reset();
  const pa = arena.put(m * k === a.length ? a : a.subarray(0, m * k));
  const pb = arena.put(k * n === b.length ? b : b.subarray(0, k * n));
  const size = m * n;
  const po = arena.output(out, size);
  // N = 1: rows of A (or columns of a stored Aᵀ) against b. M = 1: a against columns of B (or rows of a stored Bᵀ).
  if (n === 1) {
    if (transA) gemvKernels.axpyRows(pb, pa, po, k, m);
    else gemvKernels.dotRows(pa, pb, po, m, k);
  } else if (transB) gemvKernels.dotRows(pb, pa, po, n, k);
  else gemvKernels.axpyRows(pa, pb, po, k, n);
  arena.finish(out, po, size);
}
