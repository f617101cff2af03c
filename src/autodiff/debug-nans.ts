import { checkFinite } from '../core/debug.js';
import { describeValue } from '../core/describe.js';
import { TraceError } from '../core/errors.js';

/**
 * Runs `body` with a check after every primitive: the first one that
 * produces NaN or Infinity throws a `TraceError` naming the primitive, the
 * flat index and the transform level (like JAX's `debug_nans`). The check is
 * scoped to this call; nothing stays switched on afterwards.
 *
 * @example
 * ```ts
 * import { debugNans, grad, log, sum } from 'typegrad';
 * debugNans(() => grad((x: Tensor<[2]>) => sum(log(x)))(tensor([0, 1])));
 * // TraceError: debugNans: div produced Infinity at flat index 0 (..., transform level 1: grad (backward pass))
 * ```
 */
export function debugNans<R>(body: () => R): R {
  if (typeof body !== 'function') throw new TraceError(`debugNans: expected a function to run, got ${describeValue(body)}`);
  const before = checkFinite.enabled;
  checkFinite.enabled = true;
  try {
    return body();
  } finally {
    checkFinite.enabled = before;
  }
}
