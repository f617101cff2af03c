import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AxisError, ShapeError } from '../../src/core/errors.js';
import { concatShapes, splitShapes, splitSizes, stackShapes, squeezeShape } from '../../src/shape/index.js';
import { messageOf, shapeArb } from './helpers.js';

describe('concatShapes', () => {
  it('adds up the sizes along the axis', () => {
    expect(concatShapes([[60000, 784], [10000, 784]], 0)).toEqual([70000, 784]);
    expect(concatShapes([[2, 3], [2, 3], [2, 4]], 1)).toEqual([2, 10]);
    expect(concatShapes([[2, 3], [2, 4]], -1)).toEqual([2, 7]);
    expect(concatShapes([[2, 3]])).toEqual([2, 3]);
  });
  it('rejects other dims that differ, a rank mismatch, no tensors and a bad axis', () => {
    expect(messageOf(() => concatShapes([[2, 3], [2, 4]], 0), ShapeError)).toBe('concat: [2,3] and [2,4] differ at axis 1 (3 vs 4)');
    expect(messageOf(() => concatShapes([[2, 3], [2]]), ShapeError)).toBe('concat: [2,3] and [2] differ in rank');
    expect(messageOf(() => concatShapes([]), ShapeError)).toBe('concat: needs at least one tensor');
    expect(messageOf(() => concatShapes([[2, 3]], 2), AxisError)).toBe('concat: axis 2 is out of range for rank 2');
  });
});

describe('stackShapes', () => {
  it('inserts the count at the new axis', () => {
    expect(stackShapes([[2, 3], [2, 3], [2, 3]])).toEqual([3, 2, 3]);
    expect(stackShapes([[2, 3], [2, 3]], -1)).toEqual([2, 3, 2]);
    expect(stackShapes([[2, 3], [2, 3]], 1)).toEqual([2, 2, 3]);
  });
  it('rejects different shapes, no tensors and a bad axis', () => {
    expect(messageOf(() => stackShapes([[2, 3], [2, 4]]), ShapeError)).toBe('stack: [2,3] and [2,4] differ');
    expect(messageOf(() => stackShapes([[2, 3], [2]]), ShapeError)).toBe('stack: [2,3] and [2] differ');
    expect(messageOf(() => stackShapes([]), ShapeError)).toBe('stack: needs at least one tensor');
    expect(messageOf(() => stackShapes([[2, 3]], 3), AxisError)).toBe('stack: axis 3 is out of range for rank 2 (a new axis goes at -3..2)');
  });
  it('stacking n copies then squeezing a count of 1 gives the shape back', () => {
    fc.assert(
      fc.property(shapeArb, fc.integer({ min: 1, max: 4 }), fc.nat(), (s, n, k) => {
        const axis = k % (s.length + 1);
        const st = stackShapes(new Array(n).fill(s), axis);
        expect(st[axis]).toBe(n);
        expect(squeezeShape(stackShapes([s], axis), axis)).toEqual(s);
      }),
    );
  });
});

describe('splitShapes / splitSizes', () => {
  it('splits into equal parts or given sizes', () => {
    expect(splitShapes([6, 3], 2)).toEqual([
      [3, 3],
      [3, 3],
    ]);
    expect(splitShapes([5, 3], [2, 3])).toEqual([
      [2, 3],
      [3, 3],
    ]);
    expect(splitShapes([2, 6], 3, -1)).toEqual([
      [2, 2],
      [2, 2],
      [2, 2],
    ]);
    expect(splitSizes(6, 3)).toEqual([2, 2, 2]);
  });
  it('rejects sizes that do not fit', () => {
    expect(messageOf(() => splitShapes([5, 3], 2), ShapeError)).toBe('split: axis of size 5 cannot be split into 2 equal parts');
    expect(messageOf(() => splitShapes([5, 3], [2, 2]), ShapeError)).toBe('split: sizes [2,2] do not add up to 5 (axis 0 of [5,3])');
    expect(messageOf(() => splitShapes([5, 3], [-1, 6]), ShapeError)).toBe('split: invalid size -1 in [-1,6] (axis 0 of [5,3])');
    expect(messageOf(() => splitShapes([5, 3], 0), ShapeError)).toBe('split: cannot split into 0 parts');
    expect(messageOf(() => splitShapes([5, 3], 0, 2), AxisError)).toBe('split: axis 2 is out of range for rank 2');
  });
  it('undoes concat along the same axis', () => {
    const arb = fc
      .tuple(shapeArb.filter((s) => s.length > 0), fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 4 }), fc.nat())
      .map(([base, sizes, k]) => {
        const axis = k % base.length;
        return { axis, sizes, parts: sizes.map((n) => base.map((d, i) => (i === axis ? n : d))) };
      });
    fc.assert(
      fc.property(arb, ({ axis, sizes, parts }) => {
        const whole = concatShapes(parts, axis);
        expect(splitShapes(whole, sizes, axis)).toEqual(parts);
        expect(splitShapes(whole, sizes, axis - whole.length)).toEqual(parts);
      }),
    );
  });
});
