/**
 * Forward mode as an interpreter: a `ForwardTrace` carries a tangent beside
 * each primal and applies each primitive's `jvp` rule. A `null` tangent is a
 * symbolic zero, so constants cost nothing.
 */
import type { MaybeTensor, Primitive } from '../core/primitive.js';
import { Trace, Tracer, bind } from '../core/trace.js';
import type { AnyTensor } from '../core/tensor.js';

/** A value inside a forward-mode trace. */
export class ForwardTracer extends Tracer {
  readonly tangent: AnyTensor;

  constructor(trace: ForwardTrace, primal: AnyTensor, tangent: AnyTensor) {
    super(trace, primal);
    this.tangent = tangent;
    Object.freeze(this);
  }
}

export class ForwardTrace extends Trace {
  process<P>(prim: Primitive<P>, args: readonly AnyTensor[], params: P): AnyTensor {
    const primals = new Array<AnyTensor>(args.length);
    const tangents = new Array<MaybeTensor>(args.length);
    let anyTangent = false;
    for (let i = 0; i < args.length; i++) {
      const a = args[i]!;
      if (a instanceof ForwardTracer && a.trace === this) {
        primals[i] = a.primal;
        tangents[i] = a.tangent;
        anyTangent = true;
      } else {
        primals[i] = a;
        tangents[i] = null;
      }
    }
    const out = bind(prim, primals, params);
    if (!anyTangent) return out;
    const t = prim.jvp(tangents, primals, out, params);
    return t === null ? out : new ForwardTracer(this, out, t);
  }

  /** The primal and tangent of `x` (zero tangent when `x` is not this trace's). */
  split(x: AnyTensor): [AnyTensor, AnyTensor | null] {
    return x instanceof ForwardTracer && x.trace === this ? [x.primal, x.tangent] : [x, null];
  }
}
