/**
 * Value-level passes: constant folding and algebraic identities. Each maps
 * a program to one with the same outputs under the reference interpreter.
 */
import type { DType } from '../../core/dtype.js';
import type { Primitive } from '../../core/primitive.js';
import { type ArrayTensor, storageOf } from '../../core/tensor.js';
import { evaluate } from '../../core/trace.js';
import { primitives } from '../../lax/table.js';
import type { Shape } from '../../shape/dim.js';
import { sameShape } from '../../shape/index.js';
import type { Const, Eqn, Program, Var } from '../program.js';

/** Results larger than this many elements are not folded (the program would carry them as data). */
const FOLD_LIMIT = 1 << 16;

/**
 * Evaluates at compile time every eqn whose inputs are all consts (and whose
 * result is at most 65536 elements): its result becomes a const.
 * @example
 * ```ts
 * foldConstants(program); // `sub(1, b1)` of a closed-over b1 is now a const
 * ```
 */
export function foldConstants(program: Program): Program {
  const known = new Map<number, ArrayTensor<Shape, DType>>(program.consts.map((c) => [c.v.id, c.value]));
  const consts: Const[] = [...program.consts];
  const eqns: Eqn[] = [];
  let folded = false;
  for (const e of program.eqns) {
    const size = e.out.shape.reduce((a, b) => a * b, 1);
    if (e.inputs.length > 0 && size <= FOLD_LIMIT && e.inputs.every((v) => known.has(v.id))) {
      const value = evaluate(primitives[e.prim] as unknown as Primitive<unknown>, e.inputs.map((v) => known.get(v.id)!), e.params);
      known.set(e.out.id, value);
      consts.push({ v: e.out, value });
      folded = true;
    } else eqns.push(e);
  }
  return folded ? { ...program, consts, eqns } : program;
}

/** The one value every element of a const has, or undefined. */
function uniform(c: ArrayTensor<Shape, DType> | undefined): number | undefined {
  if (c === undefined) return undefined;
  const d = storageOf(c);
  if (d.length === 0) return undefined;
  const x = d[0]!;
  for (let i = 1; i < d.length; i++) if (!Object.is(d[i], x)) return undefined;
  return x;
}

/**
 * Algebraic identities, where the result has the operand's shape and dtype:
 * `x * 1`, `1 * x`, `x / 1`, `x - 0`, `x + -0`, `-0 + x` are `x`; `-(-x)` is
 * `x`; a reshape of a reshape is one reshape; a transpose of a transpose is
 * one transpose (or none); a reshape or broadcast to the same shape is the
 * operand. (`x + 0` is not `x` at `x = -0`, so it stays.)
 * @example
 * ```ts
 * simplifyAlgebra(program); // mul(x, ones) is gone
 * ```
 */
export function simplifyAlgebra(program: Program): Program {
  const constOf = new Map(program.consts.map((c) => [c.v.id, c.value]));
  const rename = new Map<number, Var>();
  const r = (v: Var): Var => rename.get(v.id) ?? v;
  const def = new Map<number, Eqn>();
  const eqns: Eqn[] = [];
  let changed = false;
  const same = (x: Var, out: Var): boolean => x.dtype === out.dtype && sameShape(x.shape, out.shape);
  for (const e0 of program.eqns) {
    const inputs = e0.inputs.map(r);
    let e: Eqn = inputs.some((v, i) => v !== e0.inputs[i]) ? { ...e0, inputs } : e0;
    if (e !== e0) changed = true;
    const [a, b] = e.inputs;
    const ua = a && uniform(constOf.get(a.id)), ub = b && uniform(constOf.get(b.id));
    let to: Var | undefined;
    switch (e.prim) {
      case 'mul':
        if (ub === 1 && same(a!, e.out)) to = a;
        else if (ua === 1 && same(b!, e.out)) to = b;
        break;
      case 'div':
        if (ub === 1 && same(a!, e.out)) to = a;
        break;
      case 'sub':
        if (ub === 0 && same(a!, e.out)) to = a;
        break;
      case 'add':
        if (Object.is(ub, -0) && same(a!, e.out)) to = a;
        else if (Object.is(ua, -0) && same(b!, e.out)) to = b;
        break;
      case 'neg': {
        const d = def.get(a!.id);
        if (d?.prim === 'neg') to = d.inputs[0];
        break;
      }
      case 'reshape':
      case 'broadcastTo': {
        if (same(a!, e.out)) to = a;
        else if (e.prim === 'reshape') {
          const d = def.get(a!.id);
          if (d?.prim === 'reshape') e = { ...e, inputs: [d.inputs[0]!] };
          if (same(e.inputs[0]!, e.out)) to = e.inputs[0];
        }
        break;
      }
      case 'transpose': {
        const d = def.get(a!.id);
        if (d?.prim === 'transpose') {
          // transpose(transpose(x, p), q): output axis k is x's axis p[q[k]].
          const p = d.params as readonly number[], q = e.params as readonly number[];
          const perm = q.map((k) => p[k]!);
          if (perm.every((k, i) => k === i)) to = d.inputs[0];
          else e = { ...e, inputs: [d.inputs[0]!], params: perm };
        } else if ((e.params as readonly number[]).every((k, i) => k === i)) to = a;
        break;
      }
    }
    if (to !== undefined) {
      rename.set(e.out.id, to);
      changed = true;
      continue;
    }
    if (e !== e0) changed = true;
    def.set(e.out.id, e);
    eqns.push(e);
  }
  return changed ? { ...program, eqns, outputs: program.outputs.map(r) } : program;
}
