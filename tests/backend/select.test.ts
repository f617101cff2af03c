/**
 * The float32 loops of comparisons and `where` (`cpu/select.ts`): the same
 * masks and picks as the generic loops give for the same values in
 * float64 (comparing float32 values is exact in either), for full-size
 * and single-element operands in every position, NaN and signed zeros
 * included; inputs are left alone.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { astype, eq, ge, gt, le, lt, ne, where, type AnyTensor } from '../../src/index.js';
import { fromStorage } from '../../src/core/tensor.js';

const compares = { eq, ne, lt, le, gt, ge } as unknown as Record<string, (a: AnyTensor, b: AnyTensor) => AnyTensor>;
const value = fc.oneof(fc.float({ noDefaultInfinity: false }), fc.constantFrom(0, -0, NaN, 1, -1));
const f32 = (v: number[], shape: number[]) => fromStorage(Float32Array.from(v), shape, 'float32') as AnyTensor;
const f64 = (t: AnyTensor) => astype(t, 'float64') as AnyTensor;

describe('float32 comparison and where loops', () => {
  it('compare like the generic loops, full size against full size or one element (64 elements and more)', () => {
    fc.assert(
      // From 64 elements (smaller outputs take the generic loop on purpose).
      fc.property(fc.array(value, { minLength: 64, maxLength: 130 }), value, fc.constantFrom(...Object.keys(compares)), fc.nat(2), (xs, s, op, form) => {
        const full = f32(xs, [xs.length]), one = f32([s], []), other = f32(xs.map((_, i) => xs[(i * 7) % xs.length]!), [xs.length]);
        const [a, b] = form === 0 ? [full, one] : form === 1 ? [one, full] : [full, other];
        const before = [a.toTypedArray().slice(), b.toTypedArray().slice()];
        expect(compares[op]!(a, b).toTypedArray()).toEqual(compares[op]!(f64(a), f64(b)).toTypedArray());
        expect([a.toTypedArray(), b.toTypedArray()]).toEqual(before);
      }),
      { numRuns: 200, seed: 2 },
    );
  });

  it('where picks like the generic loop, with each operand full size or one element', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), value, value), { minLength: 1, maxLength: 40 }), fc.tuple(fc.boolean(), fc.boolean(), fc.boolean()), (rows, [cOne, aOne, bOne]) => {
        const n = rows.length;
        const c = fromStorage(Uint8Array.from(rows.map((r) => (r[0] ? 1 : 0))).subarray(0, cOne ? 1 : n), cOne ? [] : [n], 'bool') as AnyTensor;
        const a = f32(rows.map((r) => r[1]).slice(0, aOne ? 1 : n), aOne ? [] : [n]);
        const b = f32(rows.map((r) => r[2]).slice(0, bOne ? 1 : n), bOne ? [] : [n]);
        const got = where(c as never, a, b).toTypedArray();
        const want = Float32Array.from(where(c as never, f64(a), f64(b)).toTypedArray() as Float64Array);
        expect(got).toEqual(want);
      }),
      { numRuns: 200, seed: 4 },
    );
  });
});
