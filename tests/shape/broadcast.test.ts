import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../src/core/errors.js';
import { broadcastShapes, broadcastToShape, matmulShape } from '../../src/shape/index.js';
import { messageOf, outcome, posShapeArb, shapeArb } from './helpers.js';

describe('broadcastShapes', () => {
  it.each([
    [[455, 30], [30], [455, 30]],
    [[2, 1], [1, 3], [2, 3]],
    [[], [3], [3]],
    [[], [], []],
    [[7, 1, 5], [4, 1], [7, 4, 5]],
    [[0, 3], [1, 3], [0, 3]],
    [[1], [0], [0]],
  ])('%j with %j is %j', (a, b, out) => {
    expect(broadcastShapes('add', a, b)).toEqual(out);
  });

  it('names the op, both shapes and the first clashing dim (from the right)', () => {
    expect(messageOf(() => broadcastShapes('add', [2, 3], [4]), ShapeError)).toBe('add: cannot broadcast [2,3] with [4]: dim 3 vs 4');
    expect(messageOf(() => broadcastShapes('mul', [5, 2, 3], [4, 3]), ShapeError)).toBe('mul: cannot broadcast [5,2,3] with [4,3]: dim 2 vs 4');
    expect(messageOf(() => broadcastShapes('add', [0], [2]), ShapeError)).toBe('add: cannot broadcast [0] with [2]: dim 0 vs 2');
  });

  it('is symmetric (same result, or both fail)', () => {
    fc.assert(
      fc.property(shapeArb, shapeArb, (a, b) => {
        const ab = outcome(() => broadcastShapes('op', a, b));
        const ba = outcome(() => broadcastShapes('op', b, a));
        expect('ok' in ab).toBe('ok' in ba);
        if ('ok' in ab && 'ok' in ba) expect(ab.ok).toEqual(ba.ok);
      }),
    );
  });

  it('agrees with the per-dim rule on shapes made compatible by construction', () => {
    // Take a target, make each input a right-aligned suffix with some dims set to 1.
    const arb = posShapeArb.chain((out) =>
      fc.tuple(fc.constant(out), fc.nat(out.length), fc.nat(out.length), fc.array(fc.boolean(), { minLength: 8, maxLength: 8 })),
    );
    fc.assert(
      fc.property(arb, ([out, da, db, ones]) => {
        const a = out.slice(da).map((d, i) => (ones[i] ? 1 : d));
        const b = out.slice(db).map((d, i) => (ones[i + 4] ? 1 : d));
        const r = broadcastShapes('op', a, b);
        expect(r.length).toBe(Math.max(a.length, b.length));
        // every result dim is the max of the aligned input dims (1 stretches)
        r.forEach((d, k) => {
          const ia = a.length - r.length + k;
          const ib = b.length - r.length + k;
          expect(d).toBe(Math.max(ia >= 0 ? a[ia]! : 1, ib >= 0 ? b[ib]! : 1));
        });
        // and both inputs broadcast to it
        expect(broadcastToShape(a, r)).toEqual(r);
        expect(broadcastToShape(b, r)).toEqual(r);
        // broadcasting is idempotent
        expect(broadcastShapes('op', r, a)).toEqual(r);
      }),
    );
  });
});

describe('broadcastToShape', () => {
  it('accepts 1s and equal dims aligned on the right', () => {
    expect(broadcastToShape([3], [2, 3])).toEqual([2, 3]);
    expect(broadcastToShape([1, 3], [4, 2, 3])).toEqual([4, 2, 3]);
    expect(broadcastToShape([], [2])).toEqual([2]);
  });
  it('rejects other dims and a higher rank', () => {
    expect(messageOf(() => broadcastToShape([2, 3], [4, 3]), ShapeError)).toBe('broadcastTo: cannot broadcast [2,3] to [4,3]');
    expect(messageOf(() => broadcastToShape([2, 3], [3]), ShapeError)).toBe('broadcastTo: cannot broadcast [2,3] to [3]');
    expect(messageOf(() => broadcastToShape([3], [3, 1]), ShapeError)).toBe('broadcastTo: cannot broadcast [3] to [3,1]');
  });
});

describe('matmulShape', () => {
  it.each([
    [[60000, 784], [784, 128], [60000, 128]],
    [[7, 1, 2, 3], [5, 3, 4], [7, 5, 2, 4]],
    [[3], [3, 4], [4]],
    [[2, 3], [3], [2]],
    [[3], [3], []],
    [[3], [5, 3, 4], [5, 4]],
    [[5, 2, 3], [3], [5, 2]],
    [[0, 3], [3, 0], [0, 0]],
  ])('%j x %j is %j', (a, b, out) => {
    expect(matmulShape(a, b)).toEqual(out);
  });

  it('rejects different inner dims, batch dims that do not broadcast, and scalars', () => {
    expect(messageOf(() => matmulShape([2, 3], [4, 5]), ShapeError)).toBe('matmul: inner dimensions differ: [2,3] x [4,5]');
    expect(messageOf(() => matmulShape([2, 3], [2]), ShapeError)).toBe('matmul: inner dimensions differ: [2,3] x [2]');
    expect(messageOf(() => matmulShape([2, 1], [3, 4]), ShapeError)).toBe('matmul: inner dimensions differ: [2,1] x [3,4]');
    expect(messageOf(() => matmulShape([7, 2, 3], [5, 3, 4]), ShapeError)).toBe('matmul: batch dimensions differ: [7,2,3] x [5,3,4]');
    expect(messageOf(() => matmulShape([], [3]), ShapeError)).toBe('matmul: needs rank >= 1, got [] x [3]');
  });

  it('2-D: [m,k] x [k,n] is [m,n], and swapping the operands of the transpose swaps m and n', () => {
    const dim = fc.integer({ min: 0, max: 9 });
    fc.assert(
      fc.property(dim, dim, dim, (m, k, n) => {
        expect(matmulShape([m, k], [k, n])).toEqual([m, n]);
        expect(matmulShape([n, k], [k, m])).toEqual([n, m]);
      }),
    );
  });
});
