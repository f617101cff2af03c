/**
 * Batching as an interpreter (`vmap`): a `BatchTrace` carries, beside each
 * value that differs between batch elements, the axis along which it holds
 * them (its batch dim). The traced function sees one element: a tracer's
 * shape is its value's shape without the batch axis. Each primitive's
 * `batch` rule turns one primitive call on one element into one call on the
 * whole batch; unbatched values are never wrapped, so constants cost nothing.
 */
import { TraceError, formatShape } from '../core/errors.js';
import type { BatchDim, Primitive } from '../core/primitive.js';
import { Trace, Tracer, bind } from '../core/trace.js';
import type { DType } from '../core/dtype.js';
import { type AnyTensor, type ElementOf, type NestedArray, dimsOf } from '../core/tensor.js';
import type { StorageOf } from '../core/dtype.js';
import { sameShape } from '../shape/index.js';
import { unbatchedShape } from '../lax/batching.js';

/** A value inside a `vmap`: the whole batch (`primal`), seen as one element. */
export class BatchTracer extends Tracer {
  /** The axis of `primal` that runs over the batch. */
  readonly dim: number;

  constructor(trace: BatchTrace, primal: AnyTensor, dim: number) {
    super(trace, primal, unbatchedShape(dimsOf(primal), dim));
    this.dim = dim;
    Object.freeze(this);
  }

  #unreadable(what: string): never {
    throw new TraceError(
      `vmap: cannot read ${what} of a batched tensor inside the mapped function: it has one value per batch element; return it from the function instead`,
    );
  }

  override toArray(): NestedArray<unknown, ElementOf<DType>> {
    return this.#unreadable('the elements (toArray)');
  }

  override item(): ElementOf<DType> {
    return this.#unreadable('the value (item)');
  }

  override toTypedArray(): StorageOf[DType] {
    return this.#unreadable('the elements (toTypedArray)');
  }
}

export class BatchTrace extends Trace {
  /** The length of the batch axis. */
  readonly size: number;

  constructor(level: number, size: number) {
    super(level, 'vmap');
    this.size = size;
  }

  /** Wraps a batched value (`dim` is its batch axis). */
  wrap(value: AnyTensor, dim: number): BatchTracer {
    return new BatchTracer(this, value, dim);
  }

  /** The whole batch behind `x` and its batch dim (`null` when `x` is not this trace's). */
  split(x: AnyTensor): [AnyTensor, BatchDim] {
    return x instanceof BatchTracer && x.trace === this ? [x.primal, x.dim] : [x, null];
  }

  process<P>(prim: Primitive<P>, args: readonly AnyTensor[], params: P): AnyTensor {
    const n = args.length;
    const vals = new Array<AnyTensor>(n);
    const dims = new Array<BatchDim>(n);
    const shapes = new Array<readonly number[]>(n);
    const dtypes = new Array<DType>(n);
    let batched = false;
    for (let i = 0; i < n; i++) {
      const a = args[i]!;
      [vals[i], dims[i]] = this.split(a);
      if (dims[i] !== null) batched = true;
      shapes[i] = dimsOf(a);
      dtypes[i] = a.dtype;
    }
    if (!batched) return bind(prim, vals, params);
    // Check the call as the function wrote it, on one element, so errors name its shapes.
    const want = prim.shape(shapes, params);
    prim.dtype(dtypes, params);
    const [out, dim] = prim.batch(vals, dims, params, this.size);
    if (dim === null) return out;
    const t = new BatchTracer(this, out, dim);
    if (!sameShape(dimsOf(t), want) || dimsOf(out)[dim] !== this.size) {
      throw new TraceError(
        `vmap: the batching rule of ${prim.name} gave ${formatShape(dimsOf(out))} with batch axis ${dim} for an element of shape ${formatShape(want)} and a batch of ${this.size}`,
      );
    }
    return t;
  }
}
