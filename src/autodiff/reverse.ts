/**
 * Reverse mode as an interpreter: a `ReverseTrace` wraps each value that
 * depends on the inputs in a tracer that remembers the primitive that made
 * it. The backward pass walks those records newest first and applies each
 * primitive's `vjp` rule. Rules are written with the public ops, so the
 * backward pass is itself traced by any outer transform: `grad(grad(f))`.
 */
import { isFloat } from '../core/dtype.js';
import type { MaybeTensor, Primitive } from '../core/primitive.js';
import { Trace, Tracer, bind } from '../core/trace.js';
import type { AnyTensor } from '../core/tensor.js';
import { add } from '../lax/index.js';

interface Record_ {
  readonly prim: Primitive<unknown>;
  readonly params: unknown;
  readonly primals: readonly AnyTensor[];
  readonly parents: readonly (ReverseTracer | null)[];
}

/** A value inside a reverse-mode trace. */
export class ReverseTracer extends Tracer {
  /** How it was made; null for the inputs of the transform. */
  readonly record: Record_ | null;
  /** Position on the trace's tape. */
  readonly index: number;

  constructor(trace: ReverseTrace, primal: AnyTensor, record: Record_ | null, index: number) {
    super(trace, primal);
    this.record = record;
    this.index = index;
    Object.freeze(this);
  }
}

export class ReverseTrace extends Trace {
  readonly tape: ReverseTracer[] = [];

  /** Makes an input of the transform. */
  input(primal: AnyTensor): ReverseTracer {
    const t = new ReverseTracer(this, primal, null, this.tape.length);
    this.tape.push(t);
    return t;
  }

  process<P>(prim: Primitive<P>, args: readonly AnyTensor[], params: P): AnyTensor {
    let anyParent = false;
    const primals = new Array<AnyTensor>(args.length);
    const parents = new Array<ReverseTracer | null>(args.length);
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a instanceof ReverseTracer && a.trace === this) {
        primals[i] = a.primal;
        parents[i] = a;
        anyParent = true;
      } else {
        primals[i] = a;
        parents[i] = null;
      }
    }
    const out = bind(prim, primals, params);
    // Integer and bool results (comparisons, argmax) carry no derivative.
    if (!anyParent || !isFloat(out.dtype)) return out;
    const t = new ReverseTracer(this, out, { prim: prim as Primitive<unknown>, params, primals, parents }, this.tape.length);
    this.tape.push(t);
    return t;
  }

  /** The primal of `x` if it is one of this trace's tracers. */
  lower(x: AnyTensor): AnyTensor {
    return x instanceof ReverseTracer && x.trace === this ? x.primal : x;
  }

  /**
   * Propagates `seed` (the cotangent of `out`) back to every tracer on the
   * tape; returns the cotangents of the tape entries that received one.
   */
  backward(out: AnyTensor, seed: AnyTensor): Map<ReverseTracer, AnyTensor> {
    const result = new Map<ReverseTracer, AnyTensor>();
    if (!(out instanceof ReverseTracer) || out.trace !== this) return result;
    // Cotangents indexed by tape position: parents always precede children.
    const cts = new Array<AnyTensor | undefined>(out.index + 1);
    cts[out.index] = seed;
    for (let i = out.index; i >= 0; i--) {
      const ct = cts[i];
      if (ct === undefined) continue;
      const node = this.tape[i]!;
      const record = node.record;
      if (record === null) {
        result.set(node, ct);
        continue;
      }
      cts[i] = undefined;
      const parents = record.parents;
      const wanted = new Array<boolean>(parents.length);
      for (let j = 0; j < parents.length; j++) wanted[j] = parents[j] !== null;
      const inCts: readonly MaybeTensor[] = record.prim.vjp(ct, record.primals, node.primal, record.params, wanted);
      for (let j = 0; j < parents.length; j++) {
        const parent = parents[j];
        const c = inCts[j];
        if (parent === null || parent === undefined || c === null || c === undefined) continue;
        const prev = cts[parent.index];
        cts[parent.index] = prev === undefined ? c : add(prev, c);
      }
    }
    return result;
  }
}
