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
  wasmMatmulF32,
  wasmSumAllF32,
  wasmSumLastAxisF32,
  wasmThresholds,
  wasmUnaryF32,
  type BinaryOp,
  type UnaryOp,
} from './wasm/index.js';

let enabled: boolean | null = null;

/** Whether float32 kernels may use WebAssembly (decided once, on first use). */
export function wasmEnabled(): boolean {
  if (enabled === null) enabled = process.env['TYPEGRAD_WASM'] !== '0' && isWasmAvailable();
  return enabled;
}

/** `out = a · b` for row-major float32 `[m,k] x [k,n]`; false when the TypeScript kernel should run. */
export function matmulF32(a: Float32Array, b: Float32Array, m: number, k: number, n: number, out: Float32Array): boolean {
  if (m * k * n < wasmThresholds.matmulMacs || !wasmEnabled()) return false;
  wasmMatmulF32(a, b, m, k, n, out);
  return true;
}

/** `out = op(x)` elementwise for float32; false when the TypeScript kernel should run. */
export function unaryF32(op: UnaryOp, x: Float32Array, out: Float32Array): boolean {
  if (x.length < wasmThresholds.unary || !wasmEnabled()) return false;
  wasmUnaryF32(op, x, out);
  return true;
}

/** `out = a op b` for equal lengths or a one-element operand; false when the TypeScript kernel should run. */
export function binaryF32(op: BinaryOp, a: Float32Array, b: Float32Array, out: Float32Array): boolean {
  const n = out.length;
  if (n < wasmThresholds.binary || !((a.length === n || a.length === 1) && (b.length === n || b.length === 1)) || !wasmEnabled()) return false;
  wasmBinaryF32(op, a, b, out);
  return true;
}

/** Row sums of a float32 `[rows, cols]` (or the sum of all when rows = 1), summed in float64; false to fall back. */
export function sumLastAxisF32(x: Float32Array, rows: number, cols: number, out: Float32Array): boolean {
  if (x.length < wasmThresholds.sum || !wasmEnabled()) return false;
  if (rows === 1) out[0] = wasmSumAllF32(x);
  else wasmSumLastAxisF32(x, rows, cols, out);
  return true;
}
