/**
 * A minimal staging helper for the compiler's tests: runs `f` eagerly with
 * recording tracers (each carries its concrete value) and returns the
 * program of primitives it applied. Tensors `f` closes over (and scalar
 * literals the ops turn into tensors) become consts.
 */
import type { Primitive } from '../../src/core/primitive.js';
import { Trace, Tracer, bind, withTrace } from '../../src/core/trace.js';
import { type AnyTensor, type ArrayTensor, dimsOf } from '../../src/core/tensor.js';
import type { DType } from '../../src/core/dtype.js';
import type { Shape } from '../../src/shape/dim.js';
import { primitives, type PrimitiveName } from '../../src/lax/table.js';
import type { Const, Eqn, Program, Var } from '../../src/jit/program.js';

const nameOf = new Map<unknown, PrimitiveName>(Object.entries(primitives).map(([k, p]) => [p, k as PrimitiveName]));

class RecordTracer extends Tracer {
  constructor(trace: RecordTrace, primal: AnyTensor, readonly v: Var) {
    super(trace, primal);
  }
}

class RecordTrace extends Trace {
  next = 0;
  eqns: Eqn[] = [];
  consts: Const[] = [];
  constOf = new Map<AnyTensor, Var>();

  newVar(t: AnyTensor): Var {
    return { id: this.next++, shape: [...dimsOf(t)], dtype: t.dtype };
  }

  process<P>(prim: Primitive<P>, args: readonly AnyTensor[], params: P): AnyTensor {
    const vars = args.map((a) => {
      if (a instanceof RecordTracer && a.trace === this) return a.v;
      let v = this.constOf.get(a);
      if (v === undefined) {
        v = this.newVar(a);
        this.constOf.set(a, v);
        this.consts.push({ v, value: a.concrete() as ArrayTensor<Shape, DType> });
      }
      return v;
    });
    const primals = args.map((a) => (a instanceof RecordTracer && a.trace === this ? a.primal : a));
    const out = bind(prim, primals, params);
    const v = this.newVar(out);
    const name = nameOf.get(prim);
    if (name === undefined) throw new Error(`record: ${prim.name} is not in the primitive table`);
    this.eqns.push({ prim: name, params, inputs: vars, out: v });
    return new RecordTracer(this, out, v);
  }
}

/** The program `f` applies to inputs shaped like `examples` (values are only used to run it). */
export function record(f: (...xs: AnyTensor[]) => AnyTensor | AnyTensor[], examples: readonly AnyTensor[]): Program {
  return withTrace((level) => new RecordTrace(level, 'record'), (trace) => {
    const inputs = examples.map((x) => trace.newVar(x));
    const tracers = examples.map((x, i) => new RecordTracer(trace, x, inputs[i]!));
    const res = f(...tracers);
    const outs = Array.isArray(res) ? res : [res];
    const outputs = outs.map((o) => {
      if (o instanceof RecordTracer && o.trace === trace) return o.v;
      // An output that does not depend on the inputs: a const.
      let v = trace.constOf.get(o);
      if (v === undefined) {
        v = trace.newVar(o);
        trace.constOf.set(o, v);
        trace.consts.push({ v, value: o.concrete() as ArrayTensor<Shape, DType> });
      }
      return v;
    });
    return { inputs, consts: trace.consts, eqns: trace.eqns, outputs };
  });
}
