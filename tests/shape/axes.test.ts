import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AxisError, ShapeError } from '../../src/core/errors.js';
import {
  expandDimsShape,
  invertPermutation,
  normalizeAxes,
  normalizeAxis,
  normalizePermutation,
  numElements,
  permuteShape,
  reduceShape,
  squeezeShape,
  transposeShape,
} from '../../src/shape/index.js';
import { messageOf, shapeArb } from './helpers.js';

describe('normalizeAxis / normalizeAxes', () => {
  it('counts negative axes from the end', () => {
    expect(normalizeAxis('sum', -1, 3)).toBe(2);
    expect(normalizeAxis('sum', -3, 3)).toBe(0);
    expect(normalizeAxis('sum', 2, 3)).toBe(2);
    expect(normalizeAxes('sum', [0, -1], 3)).toEqual([0, 2]);
  });
  it('rejects axes out of range, fractional and repeated axes', () => {
    expect(messageOf(() => normalizeAxis('sum', 2, 2), AxisError)).toBe('sum: axis 2 is out of range for rank 2');
    expect(messageOf(() => normalizeAxis('sum', -3, 2), AxisError)).toBe('sum: axis -3 is out of range for rank 2');
    expect(messageOf(() => normalizeAxis('sum', 0, 0), AxisError)).toBe('sum: axis 0 is out of range for rank 0');
    expect(messageOf(() => normalizeAxis('sum', 1.5, 3), AxisError)).toBe('sum: axis 1.5 is not an integer');
    expect(messageOf(() => normalizeAxes('sum', [0, -2], 2), AxisError)).toBe('sum: axis 0 repeated');
  });
  it('maps [-rank, rank) onto [0, rank), one to one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: -8, max: 7 }), (rank, axis) => {
        if (axis < -rank || axis >= rank) {
          expect(() => normalizeAxis('op', axis, rank)).toThrow(AxisError);
          return;
        }
        const i = normalizeAxis('op', axis, rank);
        expect(i).toBeGreaterThanOrEqual(0);
        expect(i).toBeLessThan(rank);
        expect((i - axis) % rank).toBe(0);
      }),
    );
  });
});

describe('reduceShape', () => {
  it.each([
    [[60000, 784], -1, true, [60000, 1]],
    [[60000, 784], -1, false, [60000]],
    [[2, 3, 4], [0, 2], false, [3]],
    [[2, 3, 4], [0, 2], true, [1, 3, 1]],
    [[2, 3], undefined, false, []],
    [[2, 3], undefined, true, [1, 1]],
    [[2, 3], [], false, [2, 3]],
  ] as const)('%j over %j (keepdims %s) is %j', (s, axes, keep, out) => {
    expect(reduceShape('sum', s, axes, keep)).toEqual(out);
  });
  it('reports bad axes with the op name', () => {
    expect(messageOf(() => reduceShape('mean', [2, 3], 2, false), AxisError)).toBe('mean: axis 2 is out of range for rank 2');
    expect(messageOf(() => reduceShape('max', [2, 3], [1, -1], false), AxisError)).toBe('max: axis 1 repeated');
  });
  it('keepdims keeps the rank, and the reduced dims account for the lost elements', () => {
    fc.assert(
      fc.property(shapeArb, fc.array(fc.nat(), { maxLength: 4 }), (s, picks) => {
        const axes = [...new Set(picks.map((p) => (s.length === 0 ? -1 : p % s.length)))].filter((a) => a >= 0);
        const kept = reduceShape('sum', s, axes, true);
        const dropped = reduceShape('sum', s, axes, false);
        expect(kept.length).toBe(s.length);
        expect(dropped.length).toBe(s.length - axes.length);
        expect(kept.filter((_, i) => !axes.includes(i))).toEqual(dropped);
        expect(numElements(kept) * numElements(axes.map((a) => s[a]!))).toBe(numElements(s));
      }),
    );
  });
});

describe('transpose / permute', () => {
  it('swaps the last two dims', () => {
    expect(transposeShape([2, 3])).toEqual([3, 2]);
    expect(transposeShape([5, 2, 3])).toEqual([5, 3, 2]);
    expect(messageOf(() => transposeShape([3]), ShapeError)).toBe('transpose: needs rank >= 2, got [3]');
  });
  it('permutes with negative axes allowed', () => {
    expect(permuteShape([2, 3, 4], [2, 0, 1])).toEqual([4, 2, 3]);
    expect(permuteShape([2, 3, 4], [-1, 0, 1])).toEqual([4, 2, 3]);
    expect(normalizePermutation([2, 3, 4], [-1, 0, -2])).toEqual([2, 0, 1]);
    expect(invertPermutation([2, 0, 1])).toEqual([1, 2, 0]);
  });
  it('rejects repeated axes, axes out of range and a wrong length', () => {
    expect(messageOf(() => permuteShape([2, 3, 4], [0, 0, 1]), AxisError)).toBe('permute: axis 0 repeated in permutation of [2,3,4]');
    expect(messageOf(() => permuteShape([2, 3, 4], [0, 1, 3]), AxisError)).toBe('permute: axis 3 is out of range for rank 3');
    expect(messageOf(() => permuteShape([2, 3, 4], [0, 1]), ShapeError)).toBe('permute: [0,1] has 2 axes for [2,3,4] of rank 3');
  });
  it('transposing twice, or permuting then inverting, is the identity', () => {
    const arb = shapeArb.chain((s) => fc.tuple(fc.constant(s), fc.shuffledSubarray([...s.keys()], { minLength: s.length })));
    fc.assert(
      fc.property(arb, ([s, perm]) => {
        expect(permuteShape(permuteShape(s, perm), invertPermutation(perm))).toEqual(s);
        expect(invertPermutation(invertPermutation(perm))).toEqual(perm);
        if (s.length >= 2) expect(transposeShape(transposeShape(s))).toEqual(s);
      }),
    );
  });
});

describe('expandDims / squeeze', () => {
  it('inserts a 1 at a position of the result', () => {
    expect(expandDimsShape([2, 3], 0)).toEqual([1, 2, 3]);
    expect(expandDimsShape([2, 3], 2)).toEqual([2, 3, 1]);
    expect(expandDimsShape([2, 3], -1)).toEqual([2, 3, 1]);
    expect(expandDimsShape([2, 3], -3)).toEqual([1, 2, 3]);
    expect(messageOf(() => expandDimsShape([2, 3], 3), AxisError)).toBe('expandDims: axis 3 is out of range for rank 2 (a new axis goes at -3..2)');
    expect(messageOf(() => expandDimsShape([2, 3], -4), AxisError)).toBe('expandDims: axis -4 is out of range for rank 2 (a new axis goes at -3..2)');
  });
  it('removes one axis of size 1, or all of them', () => {
    expect(squeezeShape([2, 1, 3, 1])).toEqual([2, 3]);
    expect(squeezeShape([2, 1, 3, 1], 1)).toEqual([2, 3, 1]);
    expect(squeezeShape([2, 1, 3, 1], -1)).toEqual([2, 1, 3]);
    expect(messageOf(() => squeezeShape([2, 3], 1), ShapeError)).toBe('squeeze: cannot squeeze axis 1 of size 3 in [2,3]');
    expect(messageOf(() => squeezeShape([2, 3], -1), ShapeError)).toBe('squeeze: cannot squeeze axis 1 of size 3 in [2,3]');
    expect(messageOf(() => squeezeShape([2, 3], 2), AxisError)).toBe('squeeze: axis 2 is out of range for rank 2');
  });
  it('squeeze undoes expandDims at every valid axis', () => {
    fc.assert(
      fc.property(shapeArb, fc.integer({ min: -5, max: 4 }), (s, axis) => {
        if (axis < -(s.length + 1) || axis > s.length) return;
        const e = expandDimsShape(s, axis);
        expect(e.length).toBe(s.length + 1);
        expect(squeezeShape(e, axis)).toEqual(s);
        expect(squeezeShape(e)).toEqual(squeezeShape(s));
      }),
    );
  });
});
