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

  it('keep the meaning of random programs', () => {
    fc.assert(
      fc.property(programArb, (spec) => {
        const built = build(spec);
        fc.pre(built !== null);
        const { program, inputs } = built!;
        sameOutputs(program, eliminateDeadCode(program), inputs);
        sameOutputs(program, eliminateCommonSubexpressions(program), inputs);
      }),
      { numRuns: 100 },
    );
  });
});
