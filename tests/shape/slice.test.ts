import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AxisError, ShapeError } from '../../src/core/errors.js';
import { indexShape, oneHotShape, resolveSlice, sliceShape, takeShape, type SliceSpec } from '../../src/shape/index.js';
import { messageOf } from './helpers.js';

describe('sliceShape / resolveSlice', () => {
  it.each<[number[], SliceSpec[], number[]]>([
    [[10, 20], [[2, 5]], [3, 20]],
    [[10, 20], [], [10, 20]],
    [[10, 20], [3, [-4, -1]], [3]],
    [[10, 20], [[0, 10, 3]], [4, 20]],
    [[10, 20], [[10, 10]], [0, 20]],
    [[10, 20], [-10], [20]],
    [[10, 20], [null, [0, 20, 4]], [10, 5]],
  ])('%j sliced with %j is %j', (s, specs, out) => {
    expect(sliceShape(s, specs)).toEqual(out);
  });

  it('gives the plan for each input axis', () => {
    expect(resolveSlice([10, 20], [-1, [-20, 20, 5]]).axes).toEqual([
      { start: 9, step: 1, size: 1, drop: true },
      { start: 0, step: 5, size: 4, drop: false },
    ]);
  });

  it('rejects out-of-bounds ranges and indices (no clamping)', () => {
    expect(messageOf(() => sliceShape([10, 20], [[0, 11]]), ShapeError)).toBe(
      'slice [0, 11) is out of bounds for axis 0 with size 10 (shape [10,20])',
    );
    expect(messageOf(() => sliceShape([10, 20], [[-11, 3]]), ShapeError)).toBe(
      'slice [-11, 3) is out of bounds for axis 0 with size 10 (shape [10,20])',
    );
    expect(messageOf(() => sliceShape([10, 20], [[11, 12]]), ShapeError)).toBe(
      'slice [11, 12) is out of bounds for axis 0 with size 10 (shape [10,20])',
    );
    expect(messageOf(() => sliceShape([10, 20], [[5, 2]]), ShapeError)).toBe(
      'slice [5, 2) ends before it starts on axis 0 with size 10 (shape [10,20])',
    );
    expect(messageOf(() => sliceShape([10, 20], [10]), ShapeError)).toBe(
      'slice: index 10 is out of bounds for axis 0 with size 10 (shape [10,20])',
    );
    expect(messageOf(() => sliceShape([10, 20], [null, -21]), ShapeError)).toBe(
      'slice: index -21 is out of bounds for axis 1 with size 20 (shape [10,20])',
    );
    expect(messageOf(() => sliceShape([10, 20], [[0, 5, 0]]), ShapeError)).toBe('slice: step 0 must be >= 1 (axis 0)');
    expect(messageOf(() => sliceShape([10, 20], [null, null, null]), ShapeError)).toBe('slice: 3 specs for [10,20] of rank 2');
  });

  it('agrees with enumerating the indices of the range', () => {
    const arb = fc.integer({ min: 0, max: 12 }).chain((n) =>
      fc.tuple(fc.constant(n), fc.integer({ min: -n, max: n }), fc.integer({ min: -n, max: n }), fc.integer({ min: 1, max: 4 })),
    );
    fc.assert(
      fc.property(arb, ([n, start, end, step]) => {
        const s = start < 0 ? start + n : start;
        const e = end < 0 ? end + n : end;
        if (s > e) {
          expect(() => sliceShape([n], [[start, end, step]])).toThrow(ShapeError);
          return;
        }
        const picked: number[] = [];
        for (let i = s; i < e; i += step) picked.push(i);
        const { shape, axes } = resolveSlice([n], [[start, end, step]]);
        expect(shape).toEqual([picked.length]);
        expect(picked).toEqual(picked.map((_, j) => axes[0]!.start + j * axes[0]!.step));
      }),
    );
  });

  it('index drops the first axis', () => {
    expect(indexShape([10, 20], -1)).toEqual([20]);
    expect(indexShape([10], 0)).toEqual([]);
    expect(messageOf(() => indexShape([10, 20], 10), ShapeError)).toBe(
      'index: index 10 is out of bounds for axis 0 with size 10 (shape [10,20])',
    );
  });
});

describe('takeShape / oneHotShape', () => {
  it('replaces the axis by the index shape', () => {
    expect(takeShape([10, 20], [5])).toEqual([5, 20]);
    expect(takeShape([10, 20], [2, 3], -1)).toEqual([10, 2, 3]);
    expect(takeShape([10, 20], [], 0)).toEqual([20]);
    expect(messageOf(() => takeShape([10, 20], [5], 2), AxisError)).toBe('take: axis 2 is out of range for rank 2');
  });
  it('appends the depth', () => {
    expect(oneHotShape([32], 10)).toEqual([32, 10]);
    expect(oneHotShape([], 3)).toEqual([3]);
    expect(messageOf(() => oneHotShape([32], 0), ShapeError)).toBe('oneHot: depth must be a positive integer, got 0 (indices of shape [32])');
  });
});
