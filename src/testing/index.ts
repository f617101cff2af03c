/**
 * `typegrad/testing`: gradient checks and the `toBeAllclose` matcher for
 * users' own test suites. Needs neither vitest nor fast-check: the
 * fast-check arbitraries live in `typegrad/testing/arbitraries`, and
 * `typegrad/testing/vitest` registers the matcher with vitest.
 * @example
 * ```ts
 * import { checkGrads } from 'typegrad/testing';
 * import { scalar, square, sum, type Scalar } from 'typegrad';
 * checkGrads((x: Scalar<'float64'>) => sum(square(x)), [scalar(3, { dtype: 'float64' })]);
 * ```
 */
export { checkGrads, GradCheckError, type CheckGradsOptions } from './check-grads.js';
export { allcloseMatchers, installAllclose, type AllcloseOptions } from './matchers.js';
