/**
 * Kernel roots that write straight into a buffer of the memory plan, for
 * the float32 cases the eager kernels send to WebAssembly anyway (so the
 * values are the eager path's): 2-D matmul (matrix-vector products on
 * their own kernel, within float32 rounding of the eager one), sums over
 * the last axis, over all axes or around one run of kept dims (a bias
 * gradient), the three convolution products, and max pooling's three
 * loops (the argmax of 2x2 windows, `take` from a flat array and its
 * `scatterAdd`).
 * Other cases call the primitive's eager kernel.
 */
import type { Storage } from '../../core/dtype.js';
import {
  gatherF32, matmulF32, poolArgmax2F32, poolMax2F32, scatterAddBlocksF32, scatterAddF32, sumChannelsF32, sumLastAxisF32, useWasm,
} from '../../backend/accelerated.js';
import { channelSumDims } from '../../backend/cpu/reduce.js';
import { numElements, sameShape } from '../../shape/index.js';
import { wasmGemvF32 } from '../../backend/wasm/index.js';
import type { Eqn, Var } from '../program.js';
import type { ReduceParams } from '../../lax/reduce-sum.js';
import type { PoolParams } from '../../lax/pool.js';
import type { ScatterAddParams } from '../../lax/gather.js';
import { poolArgmax2Args } from '../../backend/pool-fast.js';
import { normalizedIndexArray } from '../../backend/cpu/gather.js';
import { convDims, type ConvRole } from '../../backend/cpu/conv.js';
import { convFastApplies, convFastInto } from '../../backend/conv-fast.js';
import type { ConvGeometry } from '../../shape/conv.js';

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
 * its transpose (only for a matmul where {@link matmulTakesTransposed});
 * `producerOf` names the eqn that computes a var (max pooling's gather
 * takes the window maxima straight from the image, see `poolKernel`).
 */
export function directKernel(e: Eqn, transposed: readonly boolean[] = [], producerOf: (v: Var) => Eqn | undefined = () => undefined): DirectKernel | null {
  if (e.prim === 'maxPoolArgmax2d' || e.prim === 'gather' || e.prim === 'scatterAdd') return poolKernel(e, producerOf);
  if (e.prim === 'conv2d' || e.prim === 'convTranspose2d' || e.prim === 'conv2dWeightGrad') return convKernel(e, convRoles[e.prim]);
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
    // A matrix-vector product: no packing, no tile padding (a logistic regression's x·w and its gradient).
    if (m === 1 || n === 1) return ([x, y], out) => wasmGemvF32(x as Float32Array, y as Float32Array, m, k, n, out as Float32Array, ta, tb);
    return ([x, y], out) => matmulF32(x as Float32Array, y as Float32Array, m, k, n, out as Float32Array, ta, tb);
  }
  if (e.prim === 'max') return rowMaxKernel(e);
  if (e.prim === 'sum') {
    const x = e.inputs[0]!;
    const { axes } = e.params as ReduceParams;
    const size = numElements(x.shape);
    // Sums around one run of kept dims (a conv's bias gradient): the eager kernel's WebAssembly loop.
    const around = channelSumDims(x.shape, axes);
    if (around !== null && useWasm('sum', size)) return ([xs], out) => sumChannelsF32(xs as Float32Array, ...around, out as Float32Array);
    // Size-1 dims aside, the summed dims are the trailing ones (row sums) or the leading ones (column sums).
    const dims = x.shape.map((d, i) => ({ d, summed: axes.includes(i) })).filter((a) => a.d !== 1);
    if (size === 0 || dims.length === 0) return null;
    const firstSummed = dims.findIndex((a) => a.summed);
    const lastKept = dims.map((a) => !a.summed).lastIndexOf(true);
    if (firstSummed < 0) return null;
    const count = (ds: typeof dims) => ds.reduce((n, a) => n * a.d, 1);
    if (lastKept < firstSummed) {
      // out[r] = Σ_j x[r, j], in float64 rounded once (the eager kernel's order).
      const cols = count(dims.slice(firstSummed)), rows = size / cols;
      if (useWasm('sum', size)) return ([xs], out) => sumLastAxisF32(xs as Float32Array, rows, cols, out as Float32Array);
      return ([xs], out) => {
        for (let r = 0, i = 0; r < rows; r++) {
          let acc = 0;
          for (let j = 0; j < cols; j++, i++) acc += xs![i]!;
          out[r] = acc;
        }
      };
    }
    const p = dims.findIndex((a) => !a.summed);
    if (p > 0 && dims.slice(p).every((a) => !a.summed)) {
      // out[c] = Σ_r x[r, c], row after row in float64 (the eager kernel's order): a bias gradient.
      // Four columns at a time, their running sums in locals: each column's additions in the same order.
      const rows = count(dims.slice(0, p)), cols = size / rows, cols4 = cols - (cols % 4);
      return ([xs], out) => {
        const x = xs as Float32Array;
        for (let c = 0; c < cols4; c += 4) {
          let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
          for (let i = c; i < size; i += cols) {
            s0 += x[i]!;
            s1 += x[i + 1]!;
            s2 += x[i + 2]!;
            s3 += x[i + 3]!;
          }
          out[c] = s0;
          out[c + 1] = s1;
          out[c + 2] = s2;
          out[c + 3] = s3;
        }
        for (let c = cols4; c < cols; c++) {
          let acc = 0;
          for (let i = c; i < size; i += cols) acc += x[i]!;
          out[c] = acc;
        }
      };
    }
  }
  return null;
}

/**
 * A float32 `max` over the trailing dims (size-1 dims aside): each row's
 * largest element, NaN where the row holds one, the first of equal
 * elements (so `max(-0, 0)` is -0): the eager kernel's comparisons on the
 * same float32 values, so the same result. Null for other reductions.
 */
function rowMaxKernel(e: Eqn): DirectKernel | null {
  const x = e.inputs[0]!;
  const { axes } = e.params as ReduceParams;
  const size = numElements(x.shape);
  const dims = x.shape.map((d, i) => ({ d, reduced: axes.includes(i) })).filter((a) => a.d !== 1);
  const first = dims.findIndex((a) => a.reduced);
  if (size === 0 || first < 0 || dims.slice(first).some((a) => !a.reduced)) return null;
  const cols = dims.slice(first).reduce((n, a) => n * a.d, 1), rows = size / cols;
  return ([xs], out) => {
    const v = xs as Float32Array;
    for (let r = 0, i = 0; r < rows; r++) {
      let m = -Infinity;
      for (const end = i + cols; i < end; i++) {
        const y = v[i]!;
        if (y > m || y !== y) m = y;
      }
      out[r] = m;
    }
  };
}

const convRoles = { conv2d: 'conv', convTranspose2d: 'transpose', conv2dWeightGrad: 'weightGrad' } as const;

/** A float32 convolution product on the fast kernel (`conv-fast.ts`), written where it belongs: in place in kernel memory. */
function convKernel(e: Eqn, role: ConvRole): DirectKernel | null {
  const [a, b] = e.inputs as [Var, Var];
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || e.out.dtype !== 'float32') return null;
  const g = e.params as ConvGeometry;
  const d = convDims(role, a.shape, b.shape, e.out.shape, g.groups);
  if (!convFastApplies(d, g.groups)) return null;
  return ([as, bs], out) => convFastInto(role, as as Float32Array, bs as Float32Array, d, g, out as Float32Array);
}

/**
 * Max pooling's loops on their WebAssembly kernels, where the eager kernels
 * take them too: the argmax of 2x2 windows (`pool-fast.ts`), and `take` /
 * `scatterAdd` along a flat float32 array (negative indices counted from
 * the end, out-of-range ones a `ValueError`, as the eager kernels do). A
 * `take` of a flattened image at its own window argmax is the windows'
 * maxima, computed from the image (the same values); a `scatterAdd` at a
 * window argmax (max pooling's gradient) splits by image planes.
 */
function poolKernel(e: Eqn, producerOf: (v: Var) => Eqn | undefined): DirectKernel | null {
  if (e.prim === 'maxPoolArgmax2d') {
    const x = e.inputs[0]!, p = e.params as PoolParams;
    const args = x.dtype === 'float32' ? poolArgmax2Args(x.shape, p.kernel, p, e.out.shape) : null;
    if (args === null) return null;
    return ([xs], out) => poolArgmax2F32(xs as Float32Array, out as Int32Array, ...args);
  }
  const [v, i] = e.inputs as [Var, Var];
  if (v.dtype !== 'float32' || i.dtype !== 'int32' || e.out.dtype !== 'float32') return null;
  if (e.prim === 'gather') {
    const n = v.shape[0]!;
    // Max pooling's values, take(reshape(x, [-1]), maxPoolArgmax2d(x)): each window's first maximum read off x
    // (the value at the index the argmax picks), without the gather's random reads.
    const argmax = producerOf(i), flat = producerOf(v);
    if (argmax?.prim === 'maxPoolArgmax2d' && flat?.prim === 'reshape' && flat.inputs[0]!.id === argmax.inputs[0]!.id && v.shape.length === 1 && e.params === 0) {
      const p = argmax.params as PoolParams;
      const args = poolArgmax2Args(argmax.inputs[0]!.shape, p.kernel, p, argmax.out.shape);
      if (args !== null) return ([xs], out) => poolMax2F32(xs as Float32Array, out as Float32Array, ...args);
    }
    if (v.shape.length !== 1 || e.params !== 0 || !useWasm('pool', numElements(i.shape))) return null;
    return ([xs, is], out) => gatherF32(xs as Float32Array, normalizedIndexArray('take', is as Int32Array, 0, n), out as Float32Array, true);
  }
  const n = e.out.shape[0]!;
  if (e.out.shape.length !== 1 || (e.params as ScatterAddParams).axis !== 0 || !useWasm('pool', n)) return null;
  // Max pooling's gradient, scatterAdd(g, maxPoolArgmax2d(x)) into x's size: each plane's indices stay in its plane.
  const argmax = producerOf(i);
  if (argmax?.prim === 'maxPoolArgmax2d' && numElements(argmax.inputs[0]!.shape) === n && sameShape(v.shape, argmax.out.shape)) {
    const [nn, c] = argmax.inputs[0]!.shape as [number, number];
    return ([us, is], out) => scatterAddBlocksF32(us as Float32Array, is as Int32Array, out as Float32Array, nn * c);
  }
  return ([us, is], out) => scatterAddF32(us as Float32Array, normalizedIndexArray('scatterAdd', is as Int32Array, 0, n), out as Float32Array, true);
}
