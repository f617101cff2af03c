/**
 * `typegrad/testing/vitest`: registers the `toBeAllclose` matcher with
 * vitest's `expect` and declares it on vitest's `Matchers`, so
 * `expect(t).toBeAllclose(...)` type-checks. Import it once, from a vitest
 * setup file; the rest of `typegrad/testing` does not load vitest.
 * @example
 * ```ts
 * // vitest.config.ts: test: { setupFiles: ['./setup.ts'] }; setup.ts:
 * import 'typegrad/testing/vitest';
 * ```
 */
import { expect } from 'vitest';
import { allcloseMatchers, type AllcloseOptions } from './matchers.js';

expect.extend(allcloseMatchers);

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- must match vitest's declaration
  interface Matchers<T = any> {
    /** Elementwise closeness: `|got - want| <= atol + rtol * |want|`. */
    toBeAllclose(expected: unknown, opts?: AllcloseOptions): T;
  }
}
