import type { Shape } from '../shape/dim.js';
import type { DType, Storage } from './dtype.js';
import type { AnyTensor, ArrayTensor } from './tensor.js';
import type { Lowering } from './lowering.js';

/** Tangents and cotangents may be symbolic zeros (`null`): nothing to propagate. */
export type MaybeTensor = AnyTensor | null;

/** The axis of a value that `vmap` maps over, or `null` for a value that is the same for every batch element. */
export type BatchDim = number | null;

/**
 * A primitive: an operation that is not a composition of others. Its record
 * holds everything the library knows about it, on consecutive lines: the
 * run-time shape and dtype rules, the CPU reference kernel, the forward-
 * and reverse-mode derivative rules, and the compiler's lowering. Every other op is derived from these.
 *
 * Derivative rules are written with the public ops, so they are themselves
 * differentiable: that is what makes `grad(grad(f))` exact.
 */
export interface Primitive<Params = void> {
  /** The name users see in error messages and in debug-NaN reports. */
  readonly name: string;
  /** Output shape from input shapes; throws `ShapeError`/`AxisError` naming the op. */
  shape(shapes: readonly (readonly number[])[], params: Params): readonly number[];
  /** Output dtype from input dtypes; throws `DTypeError`. */
  dtype(dtypes: readonly DType[], params: Params): DType;
  /**
   * CPU reference kernel: reads the inputs' storage, returns new storage for
   * the output (or an input's storage, unchanged, for views like reshape).
   */
  kernel(inputs: readonly ArrayTensor<Shape, DType>[], params: Params, outShape: readonly number[], outDType: DType): Storage;
  /**
   * Forward mode: the output tangent, given input tangents (null = zero),
   * the primal inputs and the primal output. `null` means a zero tangent.
   */
  jvp(tangents: readonly MaybeTensor[], primals: readonly AnyTensor[], out: AnyTensor, params: Params): MaybeTensor;
  /**
   * Reverse mode: the input cotangents, given the output cotangent, the
   * primal inputs and the primal output. `null` means a zero cotangent.
   * Only called for inputs that need one (`wanted[i]`).
   */
  vjp(cotangent: AnyTensor, primals: readonly AnyTensor[], out: AnyTensor, params: Params, wanted: readonly boolean[]): readonly MaybeTensor[];
  /**
   * Vectorising map (`vmap`): the output and its batch axis, given inputs of
   * which some carry a batch axis of length `size` (`dims[i]`; `null` for an
   * unbatched input, at least one is not null). `f(x)` batched is one call of
   * the primitive on the whole batch, not a loop. Written with the primitive
   * layer's ops, so it composes with every other transform.
   */
  batch(args: readonly AnyTensor[], dims: readonly BatchDim[], params: Params, size: number): readonly [AnyTensor, BatchDim];
  /**
   * How `jit`'s compiler lowers it: an elementwise expression that fuses
   * into loops, a strided view, or a kernel root (see `core/lowering.ts`).
   */
  readonly lower: Lowering<Params>;
}

/** Declares a primitive (an identity function that fixes the Params type). */
export function definePrimitive<Params = void>(spec: Primitive<Params>): Primitive<Params> {
  return spec;
}
