/**
 * The per-channel float32 loops (`cpu/channel.ts`) behind add, sub, mul and
 * div of a full operand with one value per channel (a conv bias): the same
 * float32 result, element for element, as the generic kernel gives in
 * float64 and rounds once (one float32 operation is exactly that), in both
 * operand orders, and the inputs are left alone.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { channelF32, channelRuns } from '../../src/backend/cpu/channel.js';
import { add, astype, div, mul, sub, type AnyTensor } from '../../src/index.js';
import { fromStorage } from '../../src/core/tensor.js';

const ops = { add, sub, mul, div } as unknown as Record<string, (a: AnyTensor, b: AnyTensor) => AnyTensor>;

function values(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 1073741824 - 1;
  });
}

/** A full shape and a per-channel shape inside it: ones around one run of its dims, leading ones dropped at random. */
const problem = fc
  .record({
    dims: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 2, maxLength: 4 }),
    lo: fc.nat(), len: fc.nat(), drop: fc.nat(), inner: fc.integer({ min: 16, max: 40 }),
    op: fc.constantFrom('add', 'sub', 'mul', 'div'), bigFirst: fc.boolean(), seed: fc.integer({ min: 1, max: 1e6 }),
  })
  .map((r) => {
    const full = [...r.dims, r.inner];
    const lo = r.lo % r.dims.length, hi = lo + 1 + (r.len % (r.dims.length - lo));
    const small = full.map((d, i) => (i >= lo && i < hi ? d : 1)).slice(Math.min(r.drop % (lo + 1), lo));
    return { ...r, full, small };
  });

describe('per-channel float32 binary ops', () => {
  it('equal the float64 generic kernel rounded once, in both operand orders', () => {
    let fast = 0;
    fc.assert(
      fc.property(problem, (r) => {
        const big = values(r.full.reduce((a, b) => a * b, 1), r.seed), small = values(r.small.reduce((a, b) => a * b, 1), r.seed + 7);
        const before = [big.slice(), small.slice()];
        const tb = fromStorage(big, r.full, 'float32') as AnyTensor, ts = fromStorage(small, r.small, 'float32') as AnyTensor;
        const [x, y] = r.bigFirst ? [tb, ts] : [ts, tb];
        const got = ops[r.op]!(x, y).toTypedArray();
        const want = Float32Array.from(ops[r.op]!(astype(x, 'float64') as AnyTensor, astype(y, 'float64') as AnyTensor).toTypedArray() as Float64Array);
        expect(got).toEqual(want);
        expect([big, small]).toEqual(before);
        if (channelRuns(r.small, r.full) !== null) fast++;
      }),
      { numRuns: 150, seed: 5 },
    );
    // Most problems take the per-channel path (the others have a single channel, or are the plain repeat case).
    expect(fast).toBeGreaterThan(50);
  });

  it('channelRuns finds the runs of a conv bias and nothing else', () => {
    expect(channelRuns([32, 1, 1], [64, 32, 28, 28])).toEqual([64, 32, 784]);
    expect(channelRuns([1, 32, 1, 1], [64, 32, 28, 28])).toEqual([64, 32, 784]);
    expect(channelRuns([64, 32, 1, 1], [64, 32, 28, 28])).toEqual([1, 2048, 784]);
    expect(channelRuns([28, 28], [64, 32, 28, 28])).toBeNull(); // a repeated block, not one value per run
    expect(channelRuns([32, 1, 28], [64, 32, 28, 28])).toBeNull(); // not contiguous
    expect(channelRuns([32, 1], [64, 32, 4])).toBeNull(); // runs too short to pay
    expect(channelRuns([1, 1, 1], [64, 32, 28])).toBeNull(); // a single value
  });

  it('channelF32 computes runs in place of the generic walk', () => {
    const out = new Float32Array(32);
    channelF32('sub', new Float32Array(32).fill(1), new Float32Array([1, 2]), false, [1, 2, 16], out);
    expect(Array.from(out)).toEqual([...new Array(16).fill(0), ...new Array(16).fill(1)]);
  });
});
