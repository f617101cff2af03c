/**
 * Routes float32 kernels to the WebAssembly SIMD backend when the work is
 * large enough to pay for copying in and out (thresholds measured in
 * `bench/wasm-kernels.ts`); the TypeScript kernels stay the fallback and the
 * reference the fast ones are tested against. `TYPEGRAD_WASM=0` in the
 * environment turns the routing off (for comparisons and debugging).
 */
import {
  isWasmAvailable,
  wasmBinaryF32,
  wasmBinaryTiledF32,
  wasmGemmF32,
  wasmMatmulF32,
  wasmFusedF32,
  wasmGatherF32,
  wasmOuterF32,
  wasmPoolArgmax2F32,
  wasmPoolMax2F32,
  wasmScatterAddBlocksF32,
  wasmScatterAddF32,
  wasmSumAllF32,
  wasmSumChannelsF32,
  wasmSumLastAxisF32,
  wasmThresholds,
  wasmUnaryF32,
  wasmWithKernelMemory,
  type BinaryOp,
  type FusedUnaryOp,
  type UnaryOp,
} from './wasm/index.js';

export type { KernelMemory, MultiplyJob, PackJob } from './wasm/index.js';
import { platform } from '../platform/index.js';

let enabled: boolean | null = null;

/** Whether float32 kernels may use WebAssembly (decided once, on first use). */
export function wasmEnabled(): boolean {
  if (enabled === null) enabled = platform().env('TYPEGRAD_WASM') !== '0' && isWasmAvailable();
  return enabled;
}

/** The kinds of routed kernel, with the size each threshold applies to. */
export type RoutedKernel = 'matmul' | 'unary' | 'binary' | 'sum' | 'outer' | 'pool';

const thresholdOf: Readonly<Record<RoutedKernel, number>> = {
  matmul: wasmThresholds.matmulMacs, // m * k * n
  unary: wasmThresholds.unary, // elements
  binary: wasmThresholds.binary, // elements
  sum: wasmThresholds.sum, // elements read
  outer: wasmThresholds.outer, // elements written
  pool: wasmThresholds.pool, // elements read (pooling's argmax, gathers and scatter-adds)
};

/**
 * Whether `work` (see {@link RoutedKernel}) is large enough for the
 * WebAssembly kernel, and its `bytes` of kernel memory small enough (see
 * {@link WASM_MAX_BYTES}). Kernels ask before allocating anything, so small
 * ops pay one comparison.
 */
export function useWasm(kind: RoutedKernel, work: number, bytes = work * bytesPerElement[kind]): boolean {
  return work >= thresholdOf[kind] && bytes <= WASM_MAX_BYTES && wasmEnabled();
}

/**
 * Kernel memory one call may use: the wasm32 ceiling (4 GiB) less room for
 * alignment, scratch and the packed copies. Larger calls run the TypeScript
 * kernels, so an op never fails because the kernel memory cannot grow.
 */
export const WASM_MAX_BYTES = 3 * 2 ** 30;

/** Kernel-memory bytes per element of work: inputs and output copied in (matmul passes its own count). */
const bytesPerElement: Readonly<Record<RoutedKernel, number>> = { matmul: 0, unary: 8, binary: 12, sum: 4, outer: 0, pool: 12 };

/**
 * `out = a · b` for row-major float32 `[m,k] x [k,n]` (after {@link useWasm});
 * `transA` / `transB` say that `a` holds Aᵀ (`[k,m]`) / `b` holds Bᵀ (`[n,k]`).
 */
export const matmulF32: (a: Float32Array, b: Float32Array, m: number, k: number, n: number, out: Float32Array, transA?: boolean, transB?: boolean) => void =
  wasmMatmulF32;

/** `C = A · B` with A and B written into, and C read from, kernel memory by callbacks (after {@link useWasm}). */
export const gemmF32Views: typeof wasmGemmF32 = wasmGemmF32;

/** `out[t, i, j] = a[t, i] · b[t, j]` over `batch` entries, float32 (after {@link useWasm}; the kernel memory holds a, b and a chunk of out). */
export const outerF32: (a: Float32Array, b: Float32Array, out: Float32Array, batch?: number) => void = wasmOuterF32;
/** Runs a callback with the kernel memory and the GEMM's packing and multiplying steps (after {@link useWasm}). */
export const withKernelMemory: typeof wasmWithKernelMemory = wasmWithKernelMemory;

/** `out[c] = Σ_n Σ_i x[n, c, i]` in float64, rounded once: the TypeScript reduction's bits (after {@link useWasm} and `channelSumDims` of `cpu/reduce.ts`). */
export const sumChannelsF32: typeof wasmSumChannelsF32 = wasmSumChannelsF32;

/** Max pooling's argmax over 2x2 windows at column stride 2, no padding (after {@link useWasm}); see `wasmPoolArgmax2F32`. */
export const poolArgmax2F32: typeof wasmPoolArgmax2F32 = wasmPoolArgmax2F32;

/** Max pooling's values for those windows: each window's first maximum (or first NaN) (after {@link useWasm}); see `wasmPoolMax2F32`. */
export const poolMax2F32: typeof wasmPoolMax2F32 = wasmPoolMax2F32;

/** `out[i] = x[idx[i]]`, float32 values, int32 indices in range (after {@link useWasm}). */
export const gatherF32: typeof wasmGatherF32 = wasmGatherF32;

/** `out = 0`, then `out[idx[i]] += u[i]` in order, float32 values, int32 indices in range (after {@link useWasm}). */
export const scatterAddF32: typeof wasmScatterAddF32 = wasmScatterAddF32;

/** `out = 0`, then `out[idx[i]] += u[i]`, where update block b lands in output block b (after {@link useWasm}); see `wasmScatterAddBlocksF32`. */
export const scatterAddBlocksF32: typeof wasmScatterAddBlocksF32 = wasmScatterAddBlocksF32;

/** `out = op(x)` elementwise for float32 (after {@link useWasm}). */
export const unaryF32: (op: UnaryOp, x: Float32Array, out: Float32Array) => void = wasmUnaryF32;

/** `out = op(x)` for an op of the fused-expression kernel (neg, abs, relu, sqrt: exact, as the TypeScript loops), float32 (after {@link useWasm}). */
export function fusedUnaryF32(op: FusedUnaryOp, x: Float32Array, out: Float32Array): void {
  wasmFusedF32({ kind: 'unary', op, x: { kind: 'input', index: 0 } }, [x], out);
}

/** `out = a op b` for equal lengths or a one-element operand (after {@link useWasm}). */
export const binaryF32: (op: BinaryOp, a: Float32Array, b: Float32Array, out: Float32Array) => void = wasmBinaryF32;

/** `out = a op b` where the shorter of `a`, `b` repeats along the longer (after {@link useWasm}). */
export const binaryTiledF32: (op: BinaryOp, a: Float32Array, b: Float32Array, out: Float32Array) => void = wasmBinaryTiledF32;

/** Row sums of a float32 `[rows, cols]` (the sum of all when rows = 1), summed in float64 (after {@link useWasm}). */
export function sumLastAxisF32(x: Float32Array, rows: number, cols: number, out: Float32Array): void {
  if (rows === 1) out[0] = wasmSumAllF32(x);
  else wasmSumLastAxisF32(x, rows, cols, out);
}
