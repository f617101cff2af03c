/**
 * `makeProgram`: stage a function once and look at the program, like
 * `jax.make_jaxpr`. `jit` stages through the same `stageCall`.
 */
import { TraceError } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { flatten, unflatten, type TreeDef } from '../tree/tree.js';
import { formatProgram, type Const, type Eqn, type Program, type Var } from './program.js';
import { Aval, type Reading, type Signature, readCall } from './signature.js';
import { type OutputSlot, stage } from './staging.js';
import { checkFunction, checkOptions } from '../core/validate.js';

/** Which argument positions are static, as a list of flags. */
export function staticFlags(op: string, positions: readonly number[] | undefined, what = 'static'): boolean[] {
  const flags: boolean[] = [];
  for (const i of positions ?? []) {
    if (!Number.isInteger(i) || i < 0) throw new TraceError(`${op}: ${what} position ${String(i)} is not an argument index (a non-negative integer)`);
    flags[i] = true;
  }
  return flags;
}

/** A call staged into a program, with what is needed to rebuild its output tree. */
export interface StagedCall {
  readonly sig: Signature;
  readonly program: Program;
  readonly slots: readonly OutputSlot[];
  readonly outDef: TreeDef;
}

/**
 * Stages `f` on the abstract values of a call (read by `readCall`): static
 * arguments are passed as they are, every tensor leaf becomes an input.
 */
export function stageCall(op: string, f: (...args: never[]) => unknown, args: readonly unknown[], reading: Exclude<Reading, 'traced'>): StagedCall {
  const { sig } = reading;
  let outDef: TreeDef | undefined;
  const avals = sig.leaves.filter((l): l is Aval => l instanceof Aval);
  const staged = stage(op, avals, (tracers) => {
    let k = 0;
    const callArgs = args.map((arg, i) => {
      const def = sig.defs[i];
      if (def === null || def === undefined) return arg;
      const [leaves] = flatten(arg);
      return unflatten(def, leaves.map((leaf) => (leaf instanceof Tensor ? tracers[k++] : leaf)));
    });
    const [outLeaves, def] = flatten((f as (...a: unknown[]) => unknown)(...callArgs));
    outDef = def;
    return outLeaves;
  });
  return { sig, program: staged.program, slots: staged.slots, outDef: outDef! };
}

/**
 * A staged program with its text: `toString()` prints it one equation a line.
 */
export class StagedProgram implements Program {
  readonly inputs: readonly Var[];
  readonly consts: readonly Const[];
  readonly eqns: readonly Eqn[];
  readonly outputs: readonly Var[];

  constructor(program: Program) {
    this.inputs = program.inputs;
    this.consts = program.consts;
    this.eqns = program.eqns;
    this.outputs = program.outputs;
  }

  /** The program as text, like `jax.make_jaxpr`'s output. */
  toString(): string {
    return formatProgram(this);
  }
}

/**
 * Stages `f` on the shapes and dtypes of the given arguments and returns the
 * program it computes, like `jax.make_jaxpr`: inputs are the tensor leaves of
 * the non-static arguments in tree order, constants are tensors `f` closed
 * over, and every primitive applied is one equation.
 *
 * @example
 * ```ts
 * import { makeProgram, mul, sin, tensor } from 'typegrad';
 * const p = makeProgram((x: Tensor<[3]>) => mul(sin(x), 2))(tensor([1, 2, 3]));
 * console.log(p.toString());
 * // { lambda v2:float32[] ; v0:float32[3] . let
 * //     v1:float32[3] = sin v0
 * //     v3:float32[3] = mul v1 v2
 * //   in ( v3 ) }
 * ```
 */
export function makeProgram<A extends unknown[]>(f: (...args: A) => unknown, opts: { readonly static?: readonly number[] } = {}): (...args: A) => StagedProgram {
  checkFunction('makeProgram', 'f (the function to stage)', f);
  const flags = staticFlags('makeProgram', checkOptions<{ readonly static?: readonly number[] }>('makeProgram', opts).static);
  return (...args) => {
    const reading = readCall('makeProgram', args, flags);
    if (reading === 'traced') throw new TraceError('makeProgram: an argument is a tracer of a transform; call makeProgram outside transforms');
    return new StagedProgram(stageCall('makeProgram', f as never, args, reading).program);
  };
}
