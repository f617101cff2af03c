/**
 * The standard normal CDF `ndtr` and its inverse `ndtri`, accurate to about
 * double precision: the inverse-CDF samplers (`normal`, `truncatedNormal`)
 * are built on them. `ndtri(p)` is `sqrt(2) * erfinv(2p - 1)`.
 */

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** Below this |x| the series is used; above it the continued fraction. */
const SERIES_LIMIT = 3;

/**
 * Phi(x) given `e = exp(-x^2 / 2)`, for finite x.
 *
 * Near zero: Phi(x) = 1/2 + phi(x) * sum_{n>=0} x^(2n+1) / (1*3*...*(2n+1)),
 * a series of terms of one sign (no cancellation inside the sum).
 * In the tails: 1 - Phi(t) = phi(t) * R(t) for t > 0, with Mills' ratio
 * R(t) = 1/(t + 1/(t + 2/(t + 3/(t + ...)))) evaluated by Lentz's method.
 */
function cdfGivenDensityFactor(x: number, e: number): number {
  const density = e / SQRT_2PI;
  const t = Math.abs(x);
  if (t < SERIES_LIMIT) {
    const x2 = x * x;
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= x2 / (2 * n + 1);
      sum += term;
      if (Math.abs(term) <= 1e-17 * Math.abs(sum)) break;
    }
    return 0.5 + density * sum;
  }
  // Lentz: f = t + 1/(t + 2/(t + ...)), and R = 1/f.
  const tiny = 1e-300;
  let f = t;
  let c = t;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    d = t + k * d;
    d = 1 / (d === 0 ? tiny : d);
    c = t + k / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  const tail = density / f;
  return x < 0 ? tail : 1 - tail;
}

/**
 * The standard normal CDF, Phi(x) = P(Z <= x) for Z ~ N(0, 1), to about
 * double precision (relative precision in the lower tail).
 *
 * @example
 * ```ts
 * ndtr(0);  // 0.5
 * ndtr(-2); // 0.02275013194817921
 * ```
 */
export function ndtr(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === -Infinity) return 0;
  if (x === Infinity) return 1;
  return cdfGivenDensityFactor(x, Math.exp(-0.5 * x * x));
}

/**
 * x <= 0 with Phi(x) = q, for 0 < q <= 1/2.
 *
 * Start from the Hastings rational approximation (Abramowitz and Stegun
 * 26.2.23, absolute error below 4.5e-4), then take Halley steps on
 * f(x) = Phi(x) - q, where f' = phi and f'' = -x phi:
 *   u = f / f',  x <- x - u / (1 + x u / 2).
 * Convergence is cubic: one step reaches about 1e-10, two reach double precision.
 */
function lowerQuantile(q: number, steps: number): number {
  const t = Math.sqrt(-2 * Math.log(q));
  let x = -(t - (2.515517 + t * (0.802853 + t * 0.010328)) / (1 + t * (1.432788 + t * (0.189269 + t * 0.001308))));
  for (let s = 0; s < steps; s++) {
    const e = Math.exp(-0.5 * x * x);
    if (!(e > 0)) break;
    const u = ((cdfGivenDensityFactor(x, e) - q) * SQRT_2PI) / e;
    x -= u / (1 + 0.5 * x * u);
  }
  return x;
}

/**
 * @internal Inverse normal CDF for samplers: `q` in (0, 1/2], result <= 0.
 * `steps` Halley steps: 1 is ample for float32 output, 2 for float64.
 */
export function ndtriLower(q: number, steps: number): number {
  return lowerQuantile(q, steps);
}

/**
 * The inverse of {@link ndtr}: the x with Phi(x) = p, so `ndtri(0.975)` is
 * 1.959963984540054. Returns -Infinity at 0, Infinity at 1 and NaN outside
 * [0, 1]. Equal to `sqrt(2) * erfinv(2p - 1)`.
 *
 * @example
 * ```ts
 * ndtri(0.5);   // 0
 * ndtri(0.025); // -1.959963984540054
 * ```
 */
export function ndtri(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  return p < 0.5 ? lowerQuantile(p, 2) : -lowerQuantile(1 - p, 2);
}
