/**
 * inOp, the error context of a public function (src/core/errors.ts): a
 * TypegradError from something the function called gets the public name in
 * front, once; anything else passes untouched.
 */
import { describe, expect, it } from 'vitest';
import { ShapeError, TypegradError, ValueError, inOp } from '../../src/core/errors.js';
import { dot, gather, nn, softplus, square, tensor, zeros } from '../../src/index.js';

const thrown = (f: () => unknown): unknown => {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
};

describe('inOp', () => {
  it('puts the public name in front of a callee\'s message, keeping the error object, its class and the stack\'s first line in step', () => {
    const e = new ValueError('astype: argument 1 must be a tensor, got 5');
    expect(inOp('softplus', e)).toBe(e);
    expect(e).toBeInstanceOf(ValueError);
    expect(e.message).toBe('softplus: astype: argument 1 must be a tensor, got 5');
    expect(e.stack!.split('\n')[0]).toBe('ValueError: softplus: astype: argument 1 must be a tensor, got 5');
    const bare = new ValueError('expected a tensor, got 5');
    expect((inOp('broadcastTo', bare) as Error).message).toBe('broadcastTo: expected a tensor, got 5');
  });

  it('leaves a message that already starts with the name (or its last segment) as it is, so nesting names it once', () => {
    for (const [op, message] of [
      ['square', 'square: x must be a tensor'],
      ['nn.softmax', 'softmax: axis 3 is out of range'],
      ['nn.softmax', 'nn.softmax: axis 3 is out of range'],
      ['tune.floatDistribution', "tune.floatDistribution('lr'): bounds must be finite numbers, got [NaN, 1]"],
    ] as const) {
      const e = new ShapeError(message);
      expect((inOp(op, inOp(op, e)) as Error).message).toBe(message);
    }
    // A name that is only a prefix of another word is not the name.
    expect((inOp('sum', new ValueError('summary: bad')) as Error).message).toBe('sum: summary: bad');
  });

  it('passes anything that is not a TypegradError untouched (a user callback\'s own error)', () => {
    const t = new TypeError('mine');
    expect(inOp('tree.map', t)).toBe(t);
    expect(t.message).toBe('mine');
    expect(inOp('tree.map', 'a string')).toBe('a string');
    expect(inOp('tree.map', undefined)).toBe(undefined);
  });

  it('names the function the user called in the ops that use it', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => square(5 as never), /^square: mul: argument 1 must be a tensor, got 5$/],
      [() => softplus(5 as never), /^softplus: x must be a tensor, got 5$/],
      [() => dot(zeros([3] as number[]), zeros([4] as number[]) as never), /^dot: matmul: inner dimensions differ: \[3\] x \[4\]$/],
      [() => gather(tensor([1, 2]), tensor([0], { dtype: 'int32' }), 3 as never), /^gather: take: axis 3 is out of range for rank 1/],
      [() => nn.silu('a' as never), /^nn\.silu: sigmoid: argument 1 must be a tensor, got "a"$/],
    ];
    for (const [call, message] of cases) {
      const e = thrown(call);
      expect(e).toBeInstanceOf(TypegradError);
      expect((e as Error).message).toMatch(message);
    }
  });
});
