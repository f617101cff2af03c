/**
 * The continuous space samplers draw in. Each numeric distribution maps to
 * an interval [low, high] of the real line: log distributions to the logs of
 * their bounds, step and int grids widened by half a step on each side (so
 * every grid point owns an interval of the same width). A draw maps back by
 * `exp` and rounding to the grid, then clipping to the bounds.
 */
import type { Distribution } from './distributions.js';
import { roundLike } from './distributions.js';

/**
 * The interval of a numeric distribution and its grid width `q` (null when continuous).
 *
 * @example
 * ```ts
 * drawBounds({ kind: 'int', low: 1, high: 3, log: false, step: 1 }); // { low: 0.5, high: 3.5, q: 1 }
 * ```
 */
export function drawBounds(d: Exclude<Distribution, { kind: 'categorical' }>): { low: number; high: number; q: number | null } {
  if (d.kind === 'float') {
    if (d.log) return { low: Math.log(d.low), high: Math.log(d.high), q: null };
    if (d.step !== null) return { low: d.low - 0.5 * d.step, high: d.high + 0.5 * d.step, q: d.step };
    return { low: d.low, high: d.high, q: null };
  }
  if (d.log) return { low: Math.log(d.low - 0.5), high: Math.log(d.high + 0.5), q: null };
  return { low: d.low - 0.5 * d.step, high: d.high + 0.5 * d.step, q: d.step };
}

/**
 * A point of the draw interval as a value of the distribution: `exp` for log,
 * the nearest grid point for steps and ints, clipped to [low, high].
 *
 * @example
 * ```ts
 * fromDrawSpace({ kind: 'int', low: 1, high: 3, log: false, step: 1 }, 2.4); // 2
 * ```
 */
export function fromDrawSpace(d: Exclude<Distribution, { kind: 'categorical' }>, x: number): number {
  let v: number;
  if (d.kind === 'float') {
    if (d.log) v = Math.exp(x);
    else if (d.step !== null) v = roundLike(Math.round((x - d.low) / d.step) * d.step + d.low, d.step, d.low);
    else v = x;
  } else if (d.log) v = Math.round(Math.exp(x));
  else v = Math.round((x - d.low) / d.step) * d.step + d.low;
  return Math.min(d.high, Math.max(d.low, v));
}

/**
 * A value of the distribution in the draw space (the log for log distributions).
 *
 * @example
 * ```ts
 * toDrawSpace({ kind: 'float', low: 1, high: 100, log: true, step: null }, 10); // Math.log(10)
 * ```
 */
export function toDrawSpace(d: Exclude<Distribution, { kind: 'categorical' }>, v: number): number {
  return d.log ? Math.log(v) : v;
}
