/**
 * A staged program: what `jit` records when it traces a function once, and
 * what the compiler lowers. Like a jaxpr: typed inputs, constants (tensors
 * the function closed over), equations of primitives in order, outputs.
 * Every value is a {@link Var} with a concrete shape and dtype, fixed at
 * trace time by the primitive's shape and dtype rules.
 *
 * This module is the contract between the tracer (`jit`, `makeProgram`) and
 * the compiler (`compile`): the tracer builds programs, the compiler and the
 * reference interpreter below run them.
 */
import type { DType } from '../core/dtype.js';
import type { Primitive } from '../core/primitive.js';
import type { Shape } from '../shape/dim.js';
import { type ArrayTensor, dimsOf } from '../core/tensor.js';
import { evaluate } from '../core/trace.js';
import { primitives, type PrimitiveName } from '../lax/table.js';

/** A value of a program, numbered in the order it was created. */
export interface Var {
  readonly id: number;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** One primitive applied to vars: `out = prim[params](...inputs)`. */
export interface Eqn {
  readonly prim: PrimitiveName;
  /** The primitive's parameters, as `bind` received them (axes, perms, shapes, ...). */
  readonly params: unknown;
  readonly inputs: readonly Var[];
  readonly out: Var;
}

/** A tensor the traced function closed over, fixed into the program. */
export interface Const {
  readonly v: Var;
  readonly value: ArrayTensor<Shape, DType>;
}

/** A staged program. Vars are in single-assignment form: each is an input, a const or one eqn's output. */
export interface Program {
  readonly inputs: readonly Var[];
  readonly consts: readonly Const[];
  readonly eqns: readonly Eqn[];
  readonly outputs: readonly Var[];
}

/** A compiled program: takes concrete inputs in `program.inputs` order, returns `program.outputs` in order. */
export type Executable = (inputs: readonly ArrayTensor<Shape, DType>[]) => ArrayTensor<Shape, DType>[];

/**
 * The reference interpreter: runs each equation with the primitive's own
 * kernel (`evaluate`), in order. Every compiled program must give what this gives.
 */
export function interpret(program: Program, inputs: readonly ArrayTensor<Shape, DType>[]): ArrayTensor<Shape, DType>[] {
  const env = new Map<number, ArrayTensor<Shape, DType>>();
  program.inputs.forEach((v, i) => env.set(v.id, inputs[i]!));
  for (const c of program.consts) env.set(c.v.id, c.value);
  for (const e of program.eqns) {
    const args = e.inputs.map((v) => env.get(v.id)!);
    env.set(e.out.id, evaluate(primitives[e.prim] as unknown as Primitive<unknown>, args, e.params));
  }
  return program.outputs.map((v) => env.get(v.id)!);
}

const typeOf = (v: Var): string => `${v.dtype}[${v.shape.join(',')}]`;
const paramText = (p: unknown): string => (p === undefined ? '' : `[${JSON.stringify(p)}]`);

/** The program as text, one equation a line, like `jax.make_jaxpr`. */
export function formatProgram(program: Program): string {
  const name = (v: Var): string => `v${v.id}`;
  const lines = [`{ lambda ${program.consts.map((c) => `${name(c.v)}:${typeOf(c.v)}`).join(' ')} ; ${program.inputs.map((v) => `${name(v)}:${typeOf(v)}`).join(' ')} . let`];
  for (const e of program.eqns) lines.push(`    ${name(e.out)}:${typeOf(e.out)} = ${e.prim}${paramText(e.params)} ${e.inputs.map(name).join(' ')}`);
  lines.push(`  in ( ${program.outputs.map(name).join(' ')} ) }`);
  return lines.join('\n');
}

/** @internal Shape check of a concrete input against its var (used by executables). */
export function matchesVar(t: ArrayTensor<Shape, DType>, v: Var): boolean {
  const s = dimsOf(t);
  return t.dtype === v.dtype && s.length === v.shape.length && s.every((d, i) => d === v.shape[i]);
}
