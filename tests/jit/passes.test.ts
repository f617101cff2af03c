/**
 * Each pass on its own: the program after it gives what the program before
 * it gives (under the reference interpreter), and the pass fired.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as lax from '../../src/lax/index.js';
import { storageOf } from '../../src/core/tensor.js';
import { interpret, type Program } from '../../src/jit/program.js';
import { eliminateCommonSubexpressions, eliminateDeadCode } from '../../src/jit/compiler/passes.js';
import { foldConstants, simplifyAlgebra } from '../../src/jit/compiler/simplify.js';
import { record } from './record.js';
import { build, programArb, tensorOf } from './random-programs.js';

function sameOutputs(a: Program, b: Program, inputs: Parameters<typeof interpret>[1]): void {
  const x = interpret(a, inputs), y = interpret(b, inputs);
  expect(y.length).toBe(x.length);
  x.forEach((t, i) => expect(storageOf(y[i]!)).toEqual(storageOf(t)));
}

describe('passes', () => {
  it('dead code elimination drops what no output needs', () => {
    const x = tensorOf([1, 2, 3], [3], 'float32');
    const p = record((a) => {
      lax.exp(a); // unused
      const b = lax.add(a, a);
      lax.log(b); // unused
      return lax.mul(b, b);
    }, [x]);
    const q = eliminateDeadCode(p);
    expect(q.eqns.map((e) => e.prim)).toEqual(['add', 'mul']);
    sameOutputs(p, q, [x]);
  });

  it('common subexpression elimination keeps one eqn per (primitive, params, inputs)', () => {
    const x = tensorOf([1, 2, 3], [3], 'float32');
    const p = record((a) => lax.add(lax.reduceSum(lax.exp(a), [0], false), lax.reduceSum(lax.exp(a), [0], false)), [x]);
    const q = eliminateCommonSubexpressions(p);
    expect(p.eqns.filter((e) => e.prim === 'exp').length).toBe(2);
    expect(q.eqns.filter((e) => e.prim === 'exp').length).toBe(1);
    expect(q.eqns.filter((e) => e.prim === 'sum').length).toBe(1);
    sameOutputs(p, q, [x]);
  });

  it('constant folding evaluates eqns of consts at compile time', () => {
    const x = tensorOf([1, 2, 3], [3], 'float32');
    // mul(x, 1 - c) with c and 1 consts (the recorder would evaluate 1 - c at once, so the program is written out).
    const one = tensorOf([1], [], 'float32'), c = tensorOf([0.9], [], 'float32');
    const v = (id: number, shape: number[]) => ({ id, shape, dtype: 'float32' as const });
    const p: Program = {
      inputs: [v(0, [3])],
      consts: [{ v: v(1, []), value: one }, { v: v(2, []), value: c }],
      eqns: [
        { prim: 'sub', params: undefined, inputs: [v(1, []), v(2, [])], out: v(3, []) },
        { prim: 'mul', params: undefined, inputs: [v(0, [3]), v(3, [])], out: v(4, [3]) },
      ],
      outputs: [v(4, [3])],
    };
    const q = foldConstants(p);
    expect(p.eqns.map((e) => e.prim)).toEqual(['sub', 'mul']);
    expect(q.eqns.map((e) => e.prim)).toEqual(['mul']);
    sameOutputs(p, q, [x]);
  });

  it('algebraic identities drop x*1, x/1, x-0, -(-x), identity views, and compose transposes and reshapes', () => {
    const x = tensorOf([1, -2, 3, 4, 5, 6], [2, 3], 'float32');
    const p = record((a) => {
      const one = lax.scalarLike(1, a), zero = lax.scalarLike(0, a);
      const b = lax.sub(lax.div(lax.mul(lax.mul(one, a), one), one), zero);
      const t = lax.transpose(lax.transpose(lax.neg(lax.neg(b)), [1, 0]), [1, 0]);
      return lax.reshape(lax.reshape(t, [3, 2]), [6]);
    }, [x]);
    const q = eliminateDeadCode(simplifyAlgebra(p));
    expect(q.eqns.map((e) => e.prim)).toEqual(['reshape']);
    sameOutputs(p, q, [x]);
  });

  it('x + 0 stays (it is not x at -0)', () => {
    const x = tensorOf([-0, 1], [2], 'float32');
    const p = record((a) => lax.add(a, lax.scalarLike(0, a)), [x]);
    expect(simplifyAlgebra(p).eqns.length).toBe(1);
  });

  it('keep the meaning of random programs', () => {
    fc.assert(
      fc.property(programArb, (spec) => {
        const built = build(spec);
        fc.pre(built !== null);
        const { program, inputs } = built!;
        sameOutputs(program, eliminateDeadCode(program), inputs);
        sameOutputs(program, eliminateCommonSubexpressions(program), inputs);
        sameOutputs(program, foldConstants(program), inputs);
        sameOutputs(program, simplifyAlgebra(program), inputs);
      }),
      { numRuns: 100 },
    );
  });
});
