/**
 * Kernel roots that write straight into a buffer of the memory plan, for
 * the float32 cases the eager kernels send to WebAssembly anyway (so the
 * values are the eager path's): 2-D matmul, and sums over the last axis or
 * over all axes. Other cases call the primitive's eager kernel.
 */
import type { Storage } from '../../core/dtype.js';
import { matmulF32, sumLastAxisF32, useWasm } from '../../backend/accelerated.js';
import { numElements } from '../../shape/index.js';
import type { Eqn } from '../program.js';
import type { ReduceParams } from '../../lax/reduce-sum.js';

/** Writes the eqn's result into `out` from its operands' storages (exact lengths). */
export type DirectKernel = (inputs: readonly Storage[], out: Storage) => void;

/** `[m, k, n]` of a 2-D float32 matmul that runs on the wasm kernel, else null. */
function wasmMatmulDims(e: Eqn): [number, number, number] | null {
  if (e.prim !== 'matmul' || e.out.dtype !== 'float32' || !e.inputs.every((v) => v.dtype === 'float32')) return null;
  const [a, b] = e.inputs;
  if (a!.shape.length !== 2 || b!.shape.length !== 2) return null;
  const m = a!.shape[0]!, k = a!.shape[1]!, n = b!.shape[1]!;
  if (m * n === 0 || k === 0 || !useWasm('matmul', m * k * n)) return null;
  return [m, k, n];
}

/**
 * Whether `e` is a matmul whose direct kernel can read an operand given as
 * a transposed view (Aᵀ stored `[k, m]`, Bᵀ stored `[n, k]`) in place.
 */
export function matmulTakesTransposed(e: Eqn): boolean {
  return wasmMatmulDims(e) !== null;
}

/**
 * The direct kernel of `e`, or null where the eager kernel runs.
 * `transposed[i]` says that operand i arrives as the contiguous storage of
 * its transpose (only for a matmul where {@link matmulTakesTransposed}).
 */
export function directKernel(e: Eqn, transposed: readonly boolean[] = []): DirectKernel | null {
  const f32 = e.out.dtype === 'float32' && e.inputs.every((v) => v.dtype === 'float32');
  if (!f32) return null;
  if (e.prim === 'matmul') {
    const dims = wasmMatmulDims(e);
    if (dims === null) {
      if (transposed.some((t) => t)) throw new Error('jit: internal error: a transposed matmul operand off the wasm path');
      return null;
    }
    const [m, k, n] = dims;
    const ta = transposed[0] === true, tb = transposed[1] === true;
    return ([x, y], out) => matmulF32(x as Float32Array, y as Float32Array, m, k, n, out as Float32Array, ta, tb);
  }
  if (e.prim === 'sum') {
    const x = e.inputs[0]!;
    const { axes } = e.params as ReduceParams;
    const rank = x.shape.length;
    const lastOnly = axes.length === 1 && axes[0] === rank - 1;
    const size = numElements(x.shape);
    const cols = lastOnly ? x.shape[rank - 1]! : size;
    if (rank === 0 || !(lastOnly || axes.length === rank) || cols === 0 || !useWasm('sum', size)) return null;
    const rows = size / cols;
    return ([xs], out) => sumLastAxisF32(xs as Float32Array, rows, cols, out as Float32Array);
  }
  return null;
}
