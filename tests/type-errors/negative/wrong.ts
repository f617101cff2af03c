// Negative control for scripts/check-type-errors.mjs: every case below must
// be reported as a failure (tests/shape/check-type-errors.test.ts checks it).
import { add, zeros } from '../ops.js';

const x = zeros([2, 3]);
// A marker that matches: counted as passed.
// @expect-error add: cannot broadcast [2,3] with [4]: dim 3 vs 4
add(x, zeros([4]));
// A marker whose text does not match the error (and so the error is unmatched too).
// @expect-error add: cannot broadcast [2,3] with [5]: dim 3 vs 4
add(x, zeros([4]));
// An error without a marker.
add(x, zeros([6]));
// A marker on a line that compiles.
// @expect-error add: cannot broadcast
add(x, zeros([3]));
