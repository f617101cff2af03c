/**
 * Vectorised float32 `exp`, `log`, `tanh` and `sigmoid` for four lanes at a
 * time. Each emitter reads an f32x4 from a local and leaves the result on
 * the stack. Polynomials were fitted (near-minimax, relative error, in
 * float64) for this file; their fit error is far below a float32 ulp, so the
 * error left is rounding: the bounds measured against `Math.*` over every
 * float32 of the tested ranges are in `tests/backend/wasm-math.test.ts`.
 */
import type { FunctionBuilder } from '../assembler.js';

/** Horner's rule `((c[n]·x + c[n-1])·x + ...)·x + c[0]` on the f32x4 in local `x`. */
function horner(f: FunctionBuilder, x: number, c: readonly number[]): void {
  f.f32x4(c[c.length - 1]!);
  for (let i = c.length - 2; i >= 0; i--) f.get(x).op('f32x4.mul').f32x4(c[i]!).op('f32x4.add');
}

/** `ln 2` split so that `n · LN2_HI` is exact for |n| < 2^15. */
const LN2_HI = 0.693359375;
const LN2_LO = -2.12194440e-4;
const LOG2E = 1.44269504088896341;

/** (exp(r) - 1 - r) / r² on |r| <= ln2/2: relative fit error 3.1e-9 in exp. */
const EXP_Q = [0.49999994, 0.16666521, 0.041668389, 0.0083687101, 0.0013814612];

/**
 * `exp(x)`: `x = n ln2 + r`, |r| <= ln2/2, `exp(r) = 1 + r + r² Q(r)`, then
 * scaled by 2^n in two halves, so that results in the subnormal range and
 * just below FLT_MAX come out right. Over 88.73 gives +Infinity, under
 * -103.98 gives 0, NaN stays NaN.
 */
export function emitExp(f: FunctionBuilder, x: number): void {
  const xc = f.local('v128'), t = f.local('v128'), n = f.local('v128'), r = f.local('v128'), i = f.local('v128');
  // Clamp (pmin/pmax return their first operand, so NaN passes through).
  f.get(x).f32x4(89).op('f32x4.pmin').f32x4(-104).op('f32x4.pmax').set(xc);
  // t = x·log2e + 1.5·2^23 rounds x·log2e to an integer n in t's low mantissa bits.
  f.get(xc).f32x4(LOG2E).op('f32x4.mul').f32x4(12582912).op('f32x4.add').tee(t)
    .f32x4(12582912).op('f32x4.sub').set(n);
  f.get(t).i32x4(0x4b400000).op('i32x4.sub').set(i);
  // r = x - n ln2, in two steps (Cody and Waite)
  f.get(xc).get(n).f32x4(LN2_HI).op('f32x4.mul').op('f32x4.sub')
    .get(n).f32x4(LN2_LO).op('f32x4.mul').op('f32x4.sub').set(r);
  // p = 1 + (r + r² Q(r))
  horner(f, r, EXP_Q);
  f.get(r).get(r).op('f32x4.mul').op('f32x4.mul').get(r).op('f32x4.add').f32x4(1).op('f32x4.add');
  // · 2^(n >> 1) · 2^(n - (n >> 1)), each a biased exponent shifted into place
  f.get(i).i32(1).op('i32x4.shr_s').tee(t).i32x4(127).op('i32x4.add').i32(23).op('i32x4.shl').op('f32x4.mul');
  f.get(i).get(t).op('i32x4.sub').i32x4(127).op('i32x4.add').i32(23).op('i32x4.shl').op('f32x4.mul');
}

/** (log(1+f) - f + f²/2) / f³ on [√½ - 1, √2 - 1]: relative fit error 5.8e-9 in log. */
const LOG_P = [0.33333331, -0.25000823, 0.20001227, -0.16623357, 0.14201759, -0.13160191, 0.12761573, -0.076344669];

/**
 * `log(x)`: `x = 2^e · m` with m in [√½, √2), `f = m - 1`,
 * `log(x) = e ln2 + f - f²/2 + f³ P(f)`. Subnormals are scaled by 2^23
 * first. log(0) = -Infinity, log(+Infinity) = +Infinity, log(x < 0) and
 * log(NaN) are NaN.
 */
export function emitLog(f: FunctionBuilder, x: number): void {
  const xs = f.local('v128'), sub = f.local('v128'), e = f.local('v128'), m = f.local('v128'), z = f.local('v128'), res = f.local('v128');
  // Subnormal (and non-positive) lanes: xs = x · 2^23, and 23 comes off the exponent.
  f.get(x).f32x4(1.17549435e-38).op('f32x4.lt').set(sub);
  f.get(x).f32x4(8388608).op('f32x4.mul').get(x).get(sub).op('v128.bitselect').set(xs);
  // e = (bits - bits(√½)) >> 23 puts m = bits - (e << 23) in [√½, √2).
  f.get(xs).i32x4(0x3f3504f3).op('i32x4.sub').i32(23).op('i32x4.shr_s').set(e);
  f.get(xs).get(e).i32(23).op('i32x4.shl').op('i32x4.sub').f32x4(1).op('f32x4.sub').set(m); // m := f
  f.get(e).get(sub).i32x4(23).op('v128.and').op('i32x4.sub').op('f32x4.convert_i32x4_s').set(e);
  f.get(m).get(m).op('f32x4.mul').set(z);
  // y = f³ P(f) - f²/2; log = e·LN2_HI + ((y + e·LN2_LO) + f)
  horner(f, m, LOG_P);
  f.get(z).get(m).op('f32x4.mul').op('f32x4.mul').get(z).f32x4(0.5).op('f32x4.mul').op('f32x4.sub')
    .get(e).f32x4(LN2_LO).op('f32x4.mul').op('f32x4.add').get(m).op('f32x4.add')
    .get(e).f32x4(LN2_HI).op('f32x4.mul').op('f32x4.add').set(res);
  // Special values: +Infinity, ±0, then negatives and NaN.
  f.f32x4(Infinity).get(res).get(x).f32x4(Infinity).op('f32x4.eq').op('v128.bitselect').set(res);
  f.f32x4(-Infinity).get(res).get(x).f32x4(0).op('f32x4.eq').op('v128.bitselect').set(res);
  f.get(res).f32x4(NaN).get(x).f32x4(0).op('f32x4.ge').op('v128.bitselect');
}

/** (tanh(x) - x) / x³ as a polynomial in x² on [0, 0.625]: relative fit error 4.4e-9. */
const TANH_P = [-0.33333281, 0.13331442, -0.053739712, 0.020639079, -0.0057049785];
const TANH_SMALL = 0.625;

/**
 * `tanh(x)`: for |x| < 0.625 `x + x³ P(x²)`; otherwise
 * `1 - 2 / (exp(2|x|) + 1)`, which is exactly 1 once exp overflows; the sign
 * of x is copied on (so tanh(-0) = -0).
 */
export function emitTanh(f: FunctionBuilder, x: number): void {
  const ax = f.local('v128'), z = f.local('v128'), small = f.local('v128'), big = f.local('v128');
  f.get(x).op('f32x4.abs').tee(ax).get(ax).op('f32x4.mul').set(z);
  horner(f, z, TANH_P);
  f.get(z).get(ax).op('f32x4.mul').op('f32x4.mul').get(ax).op('f32x4.add').set(small);
  f.get(ax).get(ax).op('f32x4.add').set(big);
  f.f32x4(1).f32x4(2);
  emitExp(f, big);
  f.f32x4(1).op('f32x4.add').op('f32x4.div').op('f32x4.sub').set(big);
  // |tanh| from the right branch, then x's sign bit
  f.get(small).get(big).get(ax).f32x4(TANH_SMALL).op('f32x4.lt').op('v128.bitselect')
    .get(x).i32x4(0x7fffffff).op('v128.bitselect');
}

/**
 * `sigmoid(x) = 1 / (1 + e)` for x >= 0 and `e / (1 + e)` for x < 0, with
 * `e = exp(-|x|)` <= 1: neither tail overflows, and the left tail keeps its
 * relative accuracy down to the subnormals.
 */
export function emitSigmoid(f: FunctionBuilder, x: number): void {
  const e = f.local('v128'), nax = f.local('v128');
  f.get(x).op('f32x4.abs').op('f32x4.neg').set(nax);
  emitExp(f, nax);
  f.set(e);
  f.f32x4(1).get(e).get(x).f32x4(0).op('f32x4.ge').op('v128.bitselect')
    .get(e).f32x4(1).op('f32x4.add').op('f32x4.div');
}
