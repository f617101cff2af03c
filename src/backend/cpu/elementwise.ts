import type { Shape } from '../../shape/dim.js';
import { allocate, allocateOverwritten, type DType, type Storage } from '../../core/dtype.js';
import { type ArrayTensor, dimsOf, storageOf } from '../../core/tensor.js';
import { numElements, sameShape } from '../../shape/index.js';

/**
 * A row kernel: `out[o + i] = f(a[ai + i*as], b[bi + i*bs])` for `i < n`.
 * Each op supplies one tight loop; the driver calls it once per row, never
 * once per element.
 */
export type BinaryRow = (
  out: Storage,
  o: number,
  a: Storage,
  ai: number,
  as: number,
  b: Storage,
  bi: number,
  bs: number,
  n: number,
) => void;

/** Strides of `shape` aligned to the trailing dims of `outShape`, 0 where broadcast. */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const rank = outShape.length;
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let i = shape.length - 1, j = rank - 1; i >= 0; i--, j--) {
    const d = shape[i]!;
    strides[j] = d === 1 ? 0 : stride;
    stride *= d;
  }
  return strides;
}


/**
 * Applies a binary row kernel over two inputs broadcast to `outShape`.
 * Fast paths: equal shapes, and a one-element operand; otherwise rows along
 * the innermost dim with an odometer over the outer dims.
 */
export function binaryKernel(
  a: ArrayTensor<Shape, DType>,
  b: ArrayTensor<Shape, DType>,
  outShape: readonly number[],
  outDType: DType,
  row: BinaryRow,
): Storage {
  const size = numElements(outShape);
  const out = allocate(outDType, size);
  if (size === 0) return out;
  const ad = storageOf(a);
  const bd = storageOf(b);
  if (a.size === size && b.size === size && sameShape(dimsOf(a), dimsOf(b))) {
    row(out, 0, ad, 0, 1, bd, 0, 1, size);
    return out;
  }
  if (b.size === 1 && a.size === size) {
    row(out, 0, ad, 0, 1, bd, 0, 0, size);
    return out;
  }
  if (a.size === 1 && b.size === size) {
    row(out, 0, ad, 0, 0, bd, 0, 1, size);
    return out;
  }
  const as = broadcastStrides(dimsOf(a), outShape);
  const bs = broadcastStrides(dimsOf(b), outShape);
  forEachRow(outShape, as, bs, (o, ai, bi, n, sa, sb) => row(out, o, ad, ai, sa, bd, bi, sb, n));
  return out;
}

/**
 * Walks the rows of `outShape` (innermost dim), giving the offsets of each
 * row in the output and in two strided inputs. Called once per row.
 */
export function forEachRow(
  outShape: readonly number[],
  as: readonly number[],
  bs: readonly number[],
  visit: (o: number, ai: number, bi: number, n: number, sa: number, sb: number) => void,
): void {
  const rank = outShape.length;
  if (rank === 0) {
    visit(0, 0, 0, 1, 0, 0);
    return;
  }
  const n = outShape[rank - 1]!;
  const sa = as[rank - 1]!;
  const sb = bs[rank - 1]!;
  const outer = rank - 1;
  const counter = new Array<number>(outer).fill(0);
  let ai = 0;
  let bi = 0;
  let o = 0;
  const rows = n === 0 ? 0 : numElements(outShape) / n;
  for (let r = 0; r < rows; r++) {
    visit(o, ai, bi, n, sa, sb);
    o += n;
    for (let k = outer - 1; k >= 0; k--) {
      counter[k]!++;
      ai += as[k]!;
      bi += bs[k]!;
      if (counter[k]! < outShape[k]!) break;
      ai -= as[k]! * outShape[k]!;
      bi -= bs[k]! * outShape[k]!;
      counter[k] = 0;
    }
  }
}

/** Applies a unary loop over contiguous storage. */
export type UnaryLoop = (out: Storage, x: Storage, n: number) => void;

/** Runs a unary loop into freshly allocated storage. */
export function unaryKernel(x: ArrayTensor<Shape, DType>, outDType: DType, loop: UnaryLoop): Storage {
  // The loop writes every element: a float32 output need not be zeroed first.
  const out = outDType === 'float32' ? allocateOverwritten(x.size) : allocate(outDType, x.size);
  loop(out, storageOf(x), x.size);
  return out;
}
