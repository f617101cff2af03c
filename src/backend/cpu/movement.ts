/**
 * Data-movement kernels: transpose, slice, unslice (the slice's transpose)
 * and concat. All of them are one strided copy, `copyStrided`, which merges
 * dims that are contiguous in both arrays, then copies row by row (the
 * innermost dim) with an odometer over the outer dims, or tile by tile when
 * the copy swaps the two innermost dims (a transpose).
 */
import { allocate, type DType, type Storage } from '../../core/dtype.js';
import { type ArrayTensor, dimsOf, storageOf } from '../../core/tensor.js';
import { numElements } from '../../shape/index.js';

/** Row-major strides of `shape`. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    strides[k] = s;
    s *= shape[k]!;
  }
  return strides;
}


/** Rows at least this long are copied with `set(subarray)` (a memmove) instead of a loop. */
const BULK = 64;
/** Tile edge of the blocked transpose: a 32x32 tile of float64 is 8 KiB, well inside L1. */
const TILE = 32;

/** `dst[d + i] = src[s + i]` for `i < n`. */
export function copyRun(dst: Storage, d: number, src: Storage, s: number, n: number): void {
  if (n >= BULK) dst.set(src.subarray(s, s + n), d);
  else for (let i = 0; i < n; i++) dst[d + i] = src[s + i]!;
}

/**
 * `dst[dOff + Σ i_k dStr[k]] = src[sOff + Σ i_k sStr[k]]` over every index `i`
 * of `shape`. The two arrays must not overlap.
 */
export function copyStrided(
  dst: Storage,
  dOff: number,
  dStrides: readonly number[],
  src: Storage,
  sOff: number,
  sStrides: readonly number[],
  shape: readonly number[],
): void {
  // Coalesce: drop unit dims, merge a dim into the next when both arrays
  // step over it contiguously.
  const dims: number[] = [];
  const ds: number[] = [];
  const ss: number[] = [];
  for (let k = 0; k < shape.length; k++) {
    const n = shape[k]!;
    if (n === 0) return;
    if (n === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && ds[last] === dStrides[k]! * n && ss[last] === sStrides[k]! * n) {
      dims[last]! *= n;
      ds[last] = dStrides[k]!;
      ss[last] = sStrides[k]!;
    } else {
      dims.push(n);
      ds.push(dStrides[k]!);
      ss.push(sStrides[k]!);
    }
  }
  const rank = dims.length;
  if (rank === 0) {
    dst[dOff] = src[sOff]!;
    return;
  }
  // A transpose: dst's rows are contiguous but read src with a stride, while
  // another dim `a` is contiguous in src. Visit (a, innermost) in tiles; the
  // order of the outer dims does not matter, so `a` is moved next to last.
  const a = ds[rank - 1] === 1 && ss[rank - 1] !== 1 ? ss.indexOf(1) : -1;
  if (a >= 0 && a < rank - 1 && dims[a]! >= 8 && dims[rank - 1]! >= 8) {
    for (const arr of [dims, ds, ss]) arr.splice(rank - 2, 0, arr.splice(a, 1)[0]!);
    forEachOuter(dims, ds, ss, 2, dOff, sOff, (d, s) => transposeTiles(dst, d, ds[rank - 2]!, src, s, ss[rank - 1]!, dims[rank - 2]!, dims[rank - 1]!));
    return;
  }
  const n = dims[rank - 1]!;
  const dStep = ds[rank - 1]!;
  const sStep = ss[rank - 1]!;
  if (dStep === 1 && sStep === 1) {
    forEachOuter(dims, ds, ss, 1, dOff, sOff, (d, s) => copyRun(dst, d, src, s, n));
  } else {
    forEachOuter(dims, ds, ss, 1, dOff, sOff, (d, s) => {
      for (let i = 0; i < n; i++, d += dStep, s += sStep) dst[d] = src[s]!;
    });
  }
}

/**
 * Calls `visit(d, s)` once for every index of the outer `dims.length - inner`
 * dims, with the matching offsets in both arrays (an odometer, no per-element work).
 */
function forEachOuter(
  dims: readonly number[],
  ds: readonly number[],
  ss: readonly number[],
  inner: number,
  d: number,
  s: number,
  visit: (d: number, s: number) => void,
): void {
  const outer = dims.length - inner;
  let count = 1;
  for (let k = 0; k < outer; k++) count *= dims[k]!;
  const counter = new Array<number>(outer).fill(0);
  for (let r = 0; r < count; r++) {
    visit(d, s);
    for (let k = outer - 1; k >= 0; k--) {
      counter[k]!++;
      d += ds[k]!;
      s += ss[k]!;
      if (counter[k]! < dims[k]!) break;
      d -= ds[k]! * dims[k]!;
      s -= ss[k]! * dims[k]!;
      counter[k] = 0;
    }
  }
}

/**
 * `dst[d + i*dRow + j] = src[s + i + j*sCol]` for `i < rows`, `j < cols`, in
 * TILE x TILE blocks so that both the reads and the writes stay in cache.
 */
function transposeTiles(dst: Storage, d: number, dRow: number, src: Storage, s: number, sCol: number, rows: number, cols: number): void {
  for (let i0 = 0; i0 < rows; i0 += TILE) {
    const i1 = Math.min(i0 + TILE, rows);
    for (let j0 = 0; j0 < cols; j0 += TILE) {
      const j1 = Math.min(j0 + TILE, cols);
      for (let i = i0; i < i1; i++) {
        let o = d + i * dRow + j0;
        let x = s + i + j0 * sCol;
        for (let j = j0; j < j1; j++, o++, x += sCol) dst[o] = src[x]!;
      }
    }
  }
}

/** Output dim `k` is input dim `perm[k]`. */
export function transposeKernel(x: ArrayTensor<unknown, DType>, perm: readonly number[], outShape: readonly number[], outDType: DType): Storage {
  const out = allocate(outDType, numElements(outShape));
  const inStrides = contiguousStrides(dimsOf(x));
  const sStrides = perm.map((p) => inStrides[p]!);
  copyStrided(out, 0, contiguousStrides(outShape), storageOf(x), 0, sStrides, outShape);
  return out;
}

/** `out[i] = x[starts + i * steps]` per axis; `outShape` holds the counts. */
export function sliceKernel(
  x: ArrayTensor<unknown, DType>,
  starts: readonly number[],
  steps: readonly number[],
  outShape: readonly number[],
  outDType: DType,
): Storage {
  const out = allocate(outDType, numElements(outShape));
  const inStrides = contiguousStrides(dimsOf(x));
  let offset = 0;
  const sStrides = inStrides.map((s, k) => {
    offset += starts[k]! * s;
    return s * steps[k]!;
  });
  copyStrided(out, 0, contiguousStrides(outShape), storageOf(x), offset, sStrides, outShape);
  return out;
}

/** Zeros of `outShape` with `out[starts + i * steps] = x[i]` per axis. */
export function unsliceKernel(
  x: ArrayTensor<unknown, DType>,
  starts: readonly number[],
  steps: readonly number[],
  outShape: readonly number[],
  outDType: DType,
): Storage {
  const out = allocate(outDType, numElements(outShape));
  const outStrides = contiguousStrides(outShape);
  let offset = 0;
  const dStrides = outStrides.map((s, k) => {
    offset += starts[k]! * s;
    return s * steps[k]!;
  });
  const shape = dimsOf(x);
  copyStrided(out, offset, dStrides, storageOf(x), 0, contiguousStrides(shape), shape);
  return out;
}

/**
 * Concatenation along `axis`: for each index of the dims before the axis,
 * every input contributes one contiguous run, copied in order.
 */
export function concatKernel(xs: readonly ArrayTensor<unknown, DType>[], axis: number, outShape: readonly number[], outDType: DType): Storage {
  const out = allocate(outDType, numElements(outShape));
  if (out.length === 0) return out;
  let outer = 1;
  for (let k = 0; k < axis; k++) outer *= outShape[k]!;
  const outRun = out.length / outer;
  let at = 0;
  for (const x of xs) {
    const xd = storageOf(x);
    const run = xd.length / outer;
    if (run > 0) for (let o = 0; o < outer; o++) copyRun(out, o * outRun + at, xd, o * run, run);
    at += run;
  }
  return out;
}
