/**
 * The staging trace: the interpreter behind `jit` and `makeProgram`. Its
 * tracers are abstract (a shape and a dtype, no elements); applying a
 * primitive to them computes the output's shape and dtype with the
 * primitive's own `shape` and `dtype` rules (an abstract evaluation) and
 * records one equation. Running a function on such tracers therefore writes
 * down its program. Concrete tensors the function closed over become
 * constants; an operation whose arguments are all concrete is evaluated at
 * trace time (constant folding for free) and only its result is recorded.
 */
import type { DType } from '../core/dtype.js';
import { TraceError, formatShape } from '../core/errors.js';
import type { Primitive } from '../core/primitive.js';
import { type AbstractValue, Trace, Tracer, withTrace } from '../core/trace.js';
import { type AnyTensor, type ArrayTensor, Tensor, dimsOf } from '../core/tensor.js';
import { primitives, type PrimitiveName } from '../lax/table.js';
import type { Const, Eqn, Program, Var } from './program.js';
import type { Shape } from '../shape/dim.js';

/** The table's name of each primitive (the record's `name` is for messages and may differ). */
const NAMES = new Map<Primitive<never>, PrimitiveName>(
  (Object.keys(primitives) as PrimitiveName[]).map((k) => [primitives[k] as Primitive<never>, k]),
);

/** A value inside a staging trace: the var it will be in the program. */
export class StagingTracer extends Tracer {
  readonly v: Var;

  constructor(trace: StagingTrace, v: Var) {
    super(trace, v);
    this.v = v;
    Object.freeze(this);
  }

  /** Inside `jit` a value has no elements yet: say which read failed and what to do instead. */
  override concrete(op = 'concrete()'): never {
    const name = /^[a-zA-Z]+$/.test(op) ? `.${op}()` : op;
    throw new TraceError(
      `${this.trace.transform}: ${name} reads the value of a traced tensor (${this.dtype}${formatShape(dimsOf(this))}), but inside ${this.trace.transform} ` +
        `values are abstract (only shapes and dtypes are known while the function is staged). ` +
        `If the value decides control flow, mark that argument static (jit(f, { static: [i] })); ` +
        `for an if on a tensor use where(cond, a, b); or read the value outside the jitted function.`,
    );
  }
}

/**
 * Thrown (and caught by `jit`) when the staged function touches a tracer of
 * an enclosing transform through a closure, e.g. `grad((x) => jit((y) => mul(x, y))(c))`:
 * that value cannot be a constant of the program, so `jit` runs the function
 * unstaged instead, under the enclosing transform.
 */
export class ClosedOverTracer extends Error {
  constructor() {
    super('jit: the function closed over a value of an enclosing transform');
  }
}

/** A trace that records equations instead of computing. */
export class StagingTrace extends Trace {
  #next = 0;
  readonly inputs: Var[] = [];
  readonly consts: Const[] = [];
  readonly eqns: Eqn[] = [];
  readonly #constVars = new Map<AnyTensor, Var>();

  newVar(shape: readonly number[], dtype: DType): Var {
    return { id: this.#next++, shape, dtype };
  }

  /** A new input of the program. */
  input(aval: AbstractValue): StagingTracer {
    const v = this.newVar(aval.shape, aval.dtype);
    this.inputs.push(v);
    return new StagingTracer(this, v);
  }

  /** The var of `x` in the program: its own, or a constant (one var per distinct tensor). */
  varOf(x: AnyTensor): Var {
    if (x instanceof StagingTracer && x.trace === this) return x.v;
    if (x instanceof Tracer) throw new ClosedOverTracer();
    let v = this.#constVars.get(x);
    if (v === undefined) {
      v = this.newVar(x.shape as readonly number[], x.dtype);
      this.#constVars.set(x, v);
      this.consts.push({ v, value: x as ArrayTensor<Shape, DType> });
    }
    return v;
  }

  process<P>(prim: Primitive<P>, args: readonly AnyTensor[], params: P): AnyTensor {
    const name = NAMES.get(prim as Primitive<never>);
    if (name === undefined) throw new TraceError(`${this.transform}: primitive '${prim.name}' is not in the primitive table, so it cannot be staged`);
    const n = args.length;
    const inputs = new Array<Var>(n);
    const shapes = new Array<readonly number[]>(n);
    const dtypes = new Array<DType>(n);
    for (let i = 0; i < n; i++) {
      const v = this.varOf(args[i]!);
      inputs[i] = v;
      shapes[i] = v.shape;
      dtypes[i] = v.dtype;
    }
    // Abstract evaluation: the primitive's own rules give the output's type (and throw its errors).
    const out = this.newVar(Object.freeze(prim.shape(shapes, params).slice()), prim.dtype(dtypes, params));
    this.eqns.push({ prim: name, params, inputs, out });
    return new StagingTracer(this, out);
  }
}

/** Where each output leaf of a staged function comes from: a program output, or a plain value fixed at trace time. */
export type OutputSlot = { readonly output: number } | { readonly value: unknown };

/** A staged function: its program and how to rebuild the output leaves from the program's outputs. */
export interface Staged {
  readonly program: Program;
  readonly slots: readonly OutputSlot[];
}

/**
 * Runs `body` on one abstract tracer per input type and records what it
 * computes. `body` returns the output leaves: tensors (staged, or concrete,
 * which become constants) and plain values (kept as they are).
 */
export function stage(transform: string, avals: readonly AbstractValue[], body: (inputs: readonly AnyTensor[]) => readonly unknown[]): Staged {
  return withTrace(
    (level) => new StagingTrace(level, transform),
    (trace) => {
      const tracers = avals.map((a) => trace.input(a));
      const leaves = body(tracers);
      const outputs: Var[] = [];
      const slots = leaves.map((leaf): OutputSlot => {
        if (!(leaf instanceof Tensor)) return { value: leaf };
        outputs.push(trace.varOf(leaf as AnyTensor));
        return { output: outputs.length - 1 };
      });
      return { program: { inputs: trace.inputs, consts: trace.consts, eqns: trace.eqns, outputs }, slots };
    },
  );
}
