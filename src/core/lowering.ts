/**
 * How the compiler (`src/jit/compile.ts`) lowers a primitive. Every
 * primitive names one of three families in its `lower` rule:
 *
 * - `elementwise`: a scalar JavaScript expression of the input elements.
 *   The compiler inlines such expressions into the loop of the kernel that
 *   reads them, so a chain of elementwise ops becomes one loop. Operands are
 *   plain identifiers (they may be repeated); the compiler rounds the result
 *   to the output dtype (float32: `Math.fround`, int32: `| 0`), which is what
 *   storing into the eager kernel's typed array does, so a fused loop gives
 *   the eager JavaScript kernels' values bit for bit. `wasm` names the
 *   float32 WebAssembly fused-expression op, when there is one.
 * - `view`: the output reads the input through a strided view (reshape,
 *   broadcast, transpose, slice): `view` maps the input's view to the
 *   output's, or returns null where no strided view can express it (the
 *   compiler then materialises the input). Views never copy.
 * - `kernel`: a kernel root (reductions, matmul, gather, concat, ...): the
 *   compiler calls the primitive's own eager kernel.
 */
import type { DType } from './dtype.js';

/** A strided view of a row-major buffer: element `i` (a multi-index) is at `offset + Σ i[k]·strides[k]`. */
export interface StridedView {
  readonly offset: number;
  readonly strides: readonly number[];
}

/** The float32 ops of the WebAssembly fused-expression kernel (`src/backend/wasm/fused.ts`). */
export type WasmFusedOp = 'exp' | 'log' | 'tanh' | 'sigmoid' | 'neg' | 'abs' | 'relu' | 'sqrt' | 'add' | 'sub' | 'mul' | 'div' | 'max' | 'min';

/** An elementwise primitive: `out = expr(args)`, one element at a time. */
export interface ElementwiseLowering<Params> {
  readonly kind: 'elementwise';
  /** A JavaScript expression over the operand identifiers (see {@link jsHelpers} for the functions it may call). */
  readonly js: (args: readonly string[], params: Params, inDTypes: readonly DType[], outDType: DType) => string;
  /** The float32 WebAssembly fused op computing the same function, if any. */
  readonly wasm?: WasmFusedOp;
}

/** A movement primitive whose output is a strided view of its input. */
export interface ViewLowering<Params> {
  readonly kind: 'view';
  readonly view: (input: StridedView, inShape: readonly number[], params: Params, outShape: readonly number[]) => StridedView | null;
}

/** A kernel root: the compiler calls the primitive's eager kernel. */
export interface KernelLowering {
  readonly kind: 'kernel';
}

/** A primitive's lowering rule (see the module comment). */
export type Lowering<Params> = ElementwiseLowering<Params> | ViewLowering<Params> | KernelLowering;

/** The lowering of every kernel root. */
export const kernelLowering: KernelLowering = { kind: 'kernel' };

/**
 * Functions a lowered expression may call by name, besides `Math`: the
 * eager kernels' own formulas where they are more than one expression.
 * @example
 * ```ts
 * jsHelpers.sigmoid(0); // 0.5
 * jsHelpers.roundHalfEven(2.5); // 2
 * ```
 */
export const jsHelpers = {
  /** 1 / (1 + e^-x), never exponentiating a large positive number. */
  sigmoid(v: number): number {
    if (v >= 0) return 1 / (1 + Math.exp(-v));
    const e = Math.exp(v);
    return e / (1 + e);
  },
  /** Round half to even (NumPy and PyTorch). */
  roundHalfEven(v: number): number {
    const r = Math.round(v);
    return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
  },
  /** maximum: NaN wins, at ties the second operand (the eager kernel's rule). */
  max(x: number, y: number): number {
    return x > y || x !== x ? x : y;
  },
  /** minimum: NaN wins, at ties the second operand. */
  min(x: number, y: number): number {
    return x < y || x !== x ? x : y;
  },
};

/** Row-major strides of a contiguous buffer of `shape`. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let k = shape.length - 1; k >= 0; k--) {
    strides[k] = s;
    s *= shape[k]!;
  }
  return strides;
}

/**
 * The view of `shape` reshaped to `to`, when the view is contiguous over
 * `shape` (strides of size-1 dims do not matter); null otherwise.
 */
export function reshapeView(v: StridedView, shape: readonly number[], to: readonly number[]): StridedView | null {
  const c = contiguousStrides(shape);
  for (let k = 0; k < shape.length; k++) if (shape[k] !== 1 && v.strides[k] !== c[k]) return null;
  return { offset: v.offset, strides: contiguousStrides(to) };
}

/** The view of `shape` broadcast to `to` (new leading dims and size-1 dims get stride 0). */
export function broadcastView(v: StridedView, shape: readonly number[], to: readonly number[]): StridedView {
  const lead = to.length - shape.length;
  const strides = to.map((d, k) => (k < lead || (shape[k - lead] === 1 && d !== 1) ? 0 : v.strides[k - lead]!));
  return { offset: v.offset, strides };
}
