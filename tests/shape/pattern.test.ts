import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../src/core/errors.js';
import { formatPattern, matchesShape, matchShape } from '../../src/shape/index.js';
import { messageOf, shapeArb } from './helpers.js';

describe('matchShape', () => {
  it('returns the size of each named dim', () => {
    expect(matchShape('assertShape', [455, 30], ['rows', 30])).toEqual({ rows: 455 });
    expect(matchShape('assertShape', [455, 30, 455], ['rows', null, 'rows'])).toEqual({ rows: 455 });
    expect(matchShape('assertShape', [], [])).toEqual({});
  });
  it('rejects a different size or rank, and a name with two sizes', () => {
    expect(messageOf(() => matchShape('assertShape', [455, 31], ['rows', 30]), ShapeError)).toBe(
      'assertShape: expected [rows,30], got [455,31]',
    );
    expect(messageOf(() => matchShape('assertShape', [455], ['rows', 30]), ShapeError)).toBe('assertShape: expected [rows,30], got [455]');
    expect(messageOf(() => matchShape('assertShape', [455, 30, 454], ['rows', null, 'rows']), ShapeError)).toBe(
      'assertShape: dim rows is 455 at axis 0 but 454 at axis 2',
    );
  });
  it('formats patterns with ? for any size', () => {
    expect(formatPattern(['rows', 30, null])).toBe('[rows,30,?]');
  });
  it('a shape matches itself, all-null, and consistent names; a changed dim does not', () => {
    fc.assert(
      fc.property(shapeArb, fc.nat(), (s, k) => {
        expect(matchesShape(s, s)).toBe(true);
        expect(matchesShape(s, s.map(() => null))).toBe(true);
        expect(matchShape('op', s, s.map((d) => `d${d}`))).toEqual(Object.fromEntries(s.map((d) => [`d${d}`, d])));
        if (s.length > 0) {
          const i = k % s.length;
          expect(matchesShape(s, s.map((d, j) => (j === i ? d + 1 : d)))).toBe(false);
          expect(matchesShape(s, [...s, 1])).toBe(false);
        }
      }),
    );
  });
});
