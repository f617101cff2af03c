import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AxisError, ShapeError } from '../../src/core/errors.js';
import { flattenShape, numElements, reshapeShape } from '../../src/shape/index.js';
import { messageOf, posShapeArb, shapeArb } from './helpers.js';

describe('numElements', () => {
  it('multiplies the dims; a scalar has one element', () => {
    expect(numElements([60000, 784])).toBe(47040000);
    expect(numElements([])).toBe(1);
    expect(numElements([3, 0, 2])).toBe(0);
  });
});

describe('reshapeShape', () => {
  it.each([
    [[60000, 784], [-1, 28, 28], [60000, 28, 28]],
    [[784, 256], [200704], [200704]],
    [[2, 3], [-1], [6]],
    [[], [1, 1], [1, 1]],
    [[1], [], []],
    [[2, 3, 4], [2, -1], [2, 12]],
    // the common leading dim is kept, as in the type rule
    [[0, 3], [0, -1], [0, 3]],
  ])('%j to %j is %j', (s, to, out) => {
    expect(reshapeShape(s, to)).toEqual(out);
  });

  it('rejects a different number of elements', () => {
    expect(messageOf(() => reshapeShape([2, 3], [4, 2]), ShapeError)).toBe('reshape: 6 elements cannot become [4,2]');
    expect(messageOf(() => reshapeShape([2, 3], [4, -1]), ShapeError)).toBe('reshape: 6 elements cannot become [4,-1]');
    expect(messageOf(() => reshapeShape([60000, 784], [60000, 28, 29]), ShapeError)).toBe(
      'reshape: 47040000 elements cannot become [60000,28,29]',
    );
    expect(messageOf(() => reshapeShape([0, 3], [-1, 0]), ShapeError)).toBe('reshape: 0 elements cannot become [-1,0]');
  });

  it('rejects two -1s and other negative or fractional dims', () => {
    expect(messageOf(() => reshapeShape([2, 3], [-1, -1]), ShapeError)).toBe('reshape: only one -1 allowed in [-1,-1]');
    expect(messageOf(() => reshapeShape([2, 3], [-2, -3]), ShapeError)).toBe('reshape: invalid dim -2 in [-2,-3]');
    expect(messageOf(() => reshapeShape([2, 3], [1.5, 4]), ShapeError)).toBe('reshape: invalid dim 1.5 in [1.5,4]');
  });

  it('round-trips: reshaping to a shape of the same size and back gives the original', () => {
    // A target of the same size: consecutive dims multiplied together at random cuts, in shuffled order.
    const arb = shapeArb.chain((s) =>
      fc.tuple(fc.constant(s), fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }), fc.infiniteStream(fc.nat())),
    );
    fc.assert(
      fc.property(arb, ([s, cuts, stream]) => {
        const groups: number[] = [];
        s.forEach((d, i) => {
          if (i === 0 || cuts[i]) groups.push(d);
          else groups[groups.length - 1]! *= d;
        });
        const order = [...stream.take(groups.length)];
        const to = groups.map((d, i) => ({ d, k: order[i]! })).sort((a, b) => a.k - b.k).map((g) => g.d);
        expect(reshapeShape(s, to)).toEqual(to);
        expect(reshapeShape(to, s)).toEqual(s);
        expect(numElements(reshapeShape(s, [...to, 1]))).toBe(numElements(s));
      }),
    );
  });

  it('fills -1 with whatever is left', () => {
    fc.assert(
      fc.property(posShapeArb.filter((s) => s.length > 0), fc.nat(), (s, k) => {
        const i = k % s.length;
        const to = s.map((d, j) => (j === i ? -1 : d));
        expect(reshapeShape(s, to)).toEqual(s);
        expect(reshapeShape(s, [-1])).toEqual([numElements(s)]);
      }),
    );
  });
});

describe('flattenShape', () => {
  it('merges the dims from startAxis on', () => {
    expect(flattenShape([2, 3, 4])).toEqual([24]);
    expect(flattenShape([2, 3, 4], 1)).toEqual([2, 12]);
    expect(flattenShape([2, 3, 4], -1)).toEqual([2, 3, 4]);
    expect(flattenShape([])).toEqual([1]);
  });
  it('rejects an axis out of range', () => {
    expect(messageOf(() => flattenShape([2, 3], 2), AxisError)).toBe('flatten: axis 2 is out of range for rank 2');
  });
  it('keeps the number of elements', () => {
    fc.assert(
      fc.property(shapeArb.filter((s) => s.length > 0), fc.nat(), (s, k) => {
        const start = k % s.length;
        const f = flattenShape(s, start);
        expect(f.length).toBe(start + 1);
        expect(numElements(f)).toBe(numElements(s));
        expect(reshapeShape(f, s)).toEqual(s);
      }),
    );
  });
});
