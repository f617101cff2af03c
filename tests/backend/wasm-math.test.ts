/**
 * The vectorised exp, log, tanh and sigmoid against `Math.*` in float64.
 *
 * Errors are in ulps of the exact value (a correctly rounded float32 result
 * is within 0.5). Maxima over EVERY float32 of each range (2.1-2.2 billion
 * inputs per function, `npx tsx bench/wasm-kernels.ts --errors-all`):
 * exp on [-104, 89] 0.989 (at -27.379), log on [0, FLT_MAX] 0.929 (at
 * 0.70708, subnormals included), tanh on [-10, 10] 1.332 (at -0.63104, just
 * past the switch to the exp form), sigmoid on [-104, 20] 2.402 (at
 * -4.1573). The bounds below are those maxima rounded up; this test checks
 * 200k inputs per function spread over the range.
 */
import { describe, expect, it } from 'vitest';
import { isWasmAvailable, wasmUnaryF32, type UnaryOp } from '../../src/backend/wasm/index.js';

const cases: { op: UnaryOp; ref: (x: number) => number; range: [number, number]; maxUlp: number }[] = [
  { op: 'exp', ref: Math.exp, range: [-104, 89], maxUlp: 1 },
  { op: 'log', ref: Math.log, range: [0, 3.4e38], maxUlp: 1 },
  { op: 'tanh', ref: Math.tanh, range: [-10, 10], maxUlp: 1.5 },
  { op: 'sigmoid', ref: (x) => 1 / (1 + Math.exp(-x)), range: [-104, 20], maxUlp: 2.5 },
];

const bits = new Uint32Array(1);
const float = new Float32Array(bits.buffer);

function bitsOf(v: number): number {
  float[0] = Math.abs(v);
  return bits[0]!;
}

/** `count` float32s spread evenly by bit pattern over [lo, hi] (both signs when lo < 0). */
function sweep(lo: number, hi: number, count: number): Float32Array {
  const out = new Float32Array(count);
  const neg = lo < 0 ? bitsOf(lo) : 0;
  const from = lo < 0 ? 0 : bitsOf(lo), to = bitsOf(hi);
  const span = neg + (to - from);
  for (let i = 0; i < count; i++) {
    const t = Math.floor((i * span) / count);
    bits[0] = t < neg ? (neg - t) | 0x80000000 : from + (t - neg);
    out[i] = float[0]!;
  }
  return out;
}

/** One float32 ulp at the magnitude of `y` (subnormal spacing below 2^-126). */
const ulp = (y: number): number => 2 ** Math.max(Math.floor(Math.log2(Math.abs(y))) - 23, -149);

describe.runIf(isWasmAvailable())('wasm math functions', () => {
  it.each(cases)('$op is within $maxUlp ulp of Math.* in float64', ({ op, ref, range, maxUlp }) => {
    const x = sweep(range[0], range[1], 200_000);
    const out = new Float32Array(x.length);
    wasmUnaryF32(op, x, out);
    let worst = 0, at = 0;
    for (let i = 0; i < x.length; i++) {
      const want = ref(x[i]!);
      const wantF32 = Math.fround(want);
      if (!Number.isFinite(wantF32) || want === 0) {
        expect(out[i]).toBe(wantF32); // overflow to ±Infinity, or exactly 0
        continue;
      }
      const e = Math.abs(out[i]! - want) / ulp(want);
      if (e > worst) [worst, at] = [e, x[i]!];
    }
    expect(worst, `worst at x = ${at}`).toBeLessThanOrEqual(maxUlp);
  });

  it('gets the special values right', () => {
    const specials = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 1e-45, -1e-45, 3.4028234663852886e38, -3.4028234663852886e38, 88.72283, 88.72284, -103.97, -104];
    const x = new Float32Array(specials);
    const run = (op: UnaryOp) => { const o = new Float32Array(x.length); wasmUnaryF32(op, x, o); return Array.from(o); };
    const want = (f: (v: number) => number) => Array.from(x, (v) => Math.fround(f(v)));
    const sameSpecial = (got: number[], expected: number[]) => got.forEach((g, i) => {
      const e = expected[i]!;
      if (Number.isNaN(e) || !Number.isFinite(e) || e === 0 || Math.abs(e) === 1) expect(Object.is(g, e), `x = ${x[i]}: got ${g}, want ${e}`).toBe(true);
    });
    sameSpecial(run('exp'), want(Math.exp));
    sameSpecial(run('log'), want(Math.log));
    sameSpecial(run('tanh'), want(Math.tanh));
    sameSpecial(run('sigmoid'), want((v) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)))));
  });
});
