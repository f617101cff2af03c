/**
 * A vitest matcher `toBeAllclose(expected, { rtol, atol })` with readable
 * diffs: the first mismatching indices, with the values got and expected.
 */
import { Tensor, dimsOf, storageOf } from '../core/tensor.js';

/** Tolerances: `|got - want| <= atol + rtol * |want|`. Defaults 1e-5 and 1e-8. */
export interface AllcloseOptions {
  readonly rtol?: number;
  readonly atol?: number;
}

type Flat = { values: ArrayLike<number>; shape: readonly number[] };

function flatOf(x: unknown): Flat {
  if (x instanceof Tensor) {
    const c = x.concrete();
    return { values: storageOf(c), shape: dimsOf(c) };
  }
  if (typeof x === 'number') return { values: [x], shape: [] };
  if (Array.isArray(x)) {
    const shape: number[] = [];
    for (let v: unknown = x; Array.isArray(v); v = v[0]) shape.push(v.length);
    return { values: (x as unknown[]).flat(Infinity) as number[], shape };
  }
  throw new TypeError(`toBeAllclose: cannot compare ${typeof x}`);
}

function unravel(i: number, shape: readonly number[]): string {
  const idx: number[] = [];
  for (let k = shape.length - 1; k >= 0; k--) {
    idx.unshift(i % shape[k]!);
    i = Math.floor(i / shape[k]!);
  }
  return `[${idx.join(',')}]`;
}

/**
 * Compares a tensor (or nested arrays/numbers) with an expected value.
 * @example
 * ```ts
 * import { allcloseMatchers } from 'typegrad/testing';
 * expect.extend(allcloseMatchers);
 * expect(tensor([1, 2])).toBeAllclose([1, 2.0000001]);
 * ```
 */
export const allcloseMatchers = {
  toBeAllclose(received: unknown, expected: unknown, opts: AllcloseOptions = {}) {
    const { rtol = 1e-5, atol = 1e-8 } = opts;
    const got = flatOf(received);
    const want = flatOf(expected);
    if (got.shape.join(',') !== want.shape.join(',')) {
      return { pass: false, message: () => `expected shape [${want.shape.join(',')}], got shape [${got.shape.join(',')}]` };
    }
    const bad: string[] = [];
    let count = 0;
    for (let i = 0; i < got.values.length; i++) {
      const g = got.values[i]!, w = want.values[i]!;
      const ok = (Number.isNaN(g) && Number.isNaN(w)) || g === w || Math.abs(g - w) <= atol + rtol * Math.abs(w);
      if (!ok) {
        count++;
        if (bad.length < 5) bad.push(`  at ${unravel(i, got.shape)}: got ${g}, expected ${w}`);
      }
    }
    return {
      pass: count === 0,
      message: () =>
        count === 0
          ? `expected values not to be allclose (rtol ${rtol}, atol ${atol})`
          : `${count} of ${got.values.length} elements differ (rtol ${rtol}, atol ${atol}):\n${bad.join('\n')}`,
    };
  },
};

/**
 * Registers {@link allcloseMatchers} with vitest's `expect` (passed in, so
 * this module does not load vitest itself). Call once in a setup file.
 * @example
 * ```ts
 * import { expect } from 'vitest';
 * installAllclose(expect);
 * ```
 */
export function installAllclose(expect: { extend(matchers: typeof allcloseMatchers): void }): void {
  expect.extend(allcloseMatchers);
}
