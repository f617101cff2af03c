/**
 * The element-wise public ops against their scalar definitions
 * (tests/probe/returns.ts, the references the probe checks returned results
 * with), on arrays fast-check draws from the IEEE special values (NaN, the
 * infinities, signed zeros, subnormals) mixed with ordinary float32 values:
 * NaN and the infinities must propagate as IEEE 754 and the Array API say.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import { APPROXIMATE, BINARY, TENSOR_REFERENCES, UNARY, compareTensor } from './returns.js';

const SPECIAL = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 2 ** -140, 0.5, 2.5, -2.5];
const value = fc.oneof(fc.constantFrom(...SPECIAL), fc.float({ min: -30, max: 30, noNaN: true }));
const values = fc.array(value, { minLength: 1, maxLength: 40 });
const dtype = fc.constantFrom('float32' as const, 'float64' as const);

/** The public function at `path` (`nn.silu`), from the export list. */
function op(path: string): (...args: unknown[]) => unknown {
  return path.split('.').reduce<unknown>((ns, k) => (ns as Record<string, unknown>)[k], api) as (...args: unknown[]) => unknown;
}

describe('element-wise ops propagate NaN and the infinities per IEEE (fast-check)', () => {
  it.each(Object.keys(UNARY))('%s', (path) => {
    fc.assert(
      fc.property(values, dtype, (xs, dt) => {
        const x = api.tensor(xs, { dtype: dt });
        expect(compareTensor(op(path)(x), TENSOR_REFERENCES[path]!([x]) as never, APPROXIMATE[path])).toBeUndefined();
      }),
      { seed: 15, numRuns: 25 },
    );
  });

  it.each(Object.keys(BINARY))('%s', (path) => {
    fc.assert(
      fc.property(values, values, dtype, (xs, ys, dt) => {
        const n = Math.min(xs.length, ys.length);
        const [a, b] = [api.tensor(xs.slice(0, n), { dtype: dt }), api.tensor(ys.slice(0, n), { dtype: dt })];
        expect(compareTensor(op(path)(a, b), TENSOR_REFERENCES[path]!([a, b]) as never)).toBeUndefined();
      }),
      { seed: 15, numRuns: 25 },
    );
  });
});
