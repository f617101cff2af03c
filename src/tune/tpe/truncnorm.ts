/**
 * The standard normal truncated to [a, b]: its log mass, log density and
 * inverse-CDF sampling, in log space where the tails would underflow (a
 * Parzen kernel may sit 100 bandwidths from an edge).
 */
import { ndtr, ndtri } from '../../random/special.js';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * log Phi(z). For z < -20, Phi underflows: use the asymptotic series
 * log Phi(z) = -z^2/2 - log(-z) - log sqrt(2 pi) + log(1 - 1/z^2 + 3/z^4 - 15/z^6 + ...).
 * For z > 6, log Phi(z) = log(1 - Phi(-z)) ~ -Phi(-z).
 *
 * @example
 * ```ts
 * logNdtr(0); // Math.log(0.5)
 * ```
 */
export function logNdtr(z: number): number {
  if (z > 6) return -ndtr(-z);
  if (z > -20) return Math.log(ndtr(z));
  const inv2 = 1 / (z * z);
  let sum = 1;
  let term = 1;
  for (let i = 1; i < 30; i++) {
    const next = -term * (2 * i - 1) * inv2;
    if (Math.abs(next) >= Math.abs(term)) break;
    term = next;
    sum += term;
    if (Math.abs(term) < 1e-17) break;
  }
  return -0.5 * z * z - Math.log(-z) - LOG_SQRT_2PI + Math.log(sum);
}

/** log(e^p - e^q) for p >= q. */
function logDiff(p: number, q: number): number {
  return p + Math.log1p(-Math.exp(q - p));
}

/** log(e^p + e^q). */
function logAdd(p: number, q: number): number {
  const m = Math.max(p, q);
  if (m === -Infinity) return -Infinity;
  return m + Math.log(Math.exp(p - m) + Math.exp(q - m));
}

/**
 * log(Phi(b) - Phi(a)) for a <= b: computed in the left tail (mirrored for a
 * right-tail interval) so far tails keep their precision; an interval around
 * 0 uses log1p(-Phi(a) - Phi(-b)), which keeps masses near 1 exact.
 *
 * @example
 * ```ts
 * logGaussMass(-1, 1); // Math.log(0.6826894921370859)
 * ```
 */
export function logGaussMass(a: number, b: number): number {
  if (b <= 0) return logDiff(logNdtr(b), logNdtr(a));
  if (a > 0) return logDiff(logNdtr(-a), logNdtr(-b));
  return Math.log1p(-ndtr(a) - ndtr(-b));
}

/** The z with log Phi(z) = y: `ndtri(e^y)` while e^y is a normal double, else bisection on logNdtr. */
function ndtriExp(y: number): number {
  if (y > -700) return ndtri(Math.exp(y));
  let lo = -1e3;
  let hi = -20;
  for (let i = 0; i < 100; i++) {
    const m = 0.5 * (lo + hi);
    if (logNdtr(m) < y) lo = m;
    else hi = m;
  }
  return 0.5 * (lo + hi);
}

/**
 * The u-quantile of the standard normal truncated to [a, b]:
 * Phi^{-1}(Phi(a) + u (Phi(b) - Phi(a))), evaluated in the tail nearer the
 * interval (for a >= 0 by the mirror z -> -z).
 *
 * @example
 * ```ts
 * truncnormPpf(0.5, -1, 1); // 0
 * ```
 */
export function truncnormPpf(u: number, a: number, b: number): number {
  if (u <= 0) return a;
  if (u >= 1) return b;
  const mass = logGaussMass(a, b);
  const z = a < 0 ? ndtriExp(logAdd(logNdtr(a), Math.log(u) + mass)) : -ndtriExp(logAdd(logNdtr(-b), Math.log1p(-u) + mass));
  return Math.min(b, Math.max(a, z));
}

/**
 * log density at z of the standard normal truncated to [a, b] (-Infinity outside).
 *
 * @example
 * ```ts
 * truncnormLogPdf(0, -Infinity, Infinity); // -0.9189385332046727
 * ```
 */
export function truncnormLogPdf(z: number, a: number, b: number): number {
  if (z < a || z > b) return -Infinity;
  return -0.5 * z * z - LOG_SQRT_2PI - logGaussMass(a, b);
}
