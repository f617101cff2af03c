/**
 * Run-time side of conv/pool: the same messages as the compile-time
 * errors (for `number` and `Sym` dims the type cannot check), option
 * validation, NaN propagation and tie routing of max pooling, and inputs
 * left unchanged.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  adaptiveAvgPool2d,
  avgPool2d,
  conv1d,
  conv2d,
  convTranspose2d,
  grad,
  maxPool2d,
  mul,
  sum,
  tensor,
  zeros,
  DTypeError,
  ShapeError,
  ValueError,
  type Tensor,
} from '../../src/index.js';
import { expectThrows, values } from './helpers.js';
import { checkGrads } from '../../src/testing/index.js';

const z = (shape: number[]): Tensor<number[]> => zeros(shape) as Tensor<number[]>;

describe('conv2d shape errors at run time', () => {
  it('names the op and both shapes, as the type does', () => {
    expectThrows(() => conv2d(z([64, 3, 28, 28]), z([32, 1, 3, 3]) as never), ShapeError, 'conv2d: channels differ: input [64,3,28,28] x weights [32,1,3,3] (groups 1)');
    expectThrows(() => conv2d(z([1, 1, 2, 2]), z([1, 1, 3, 3]) as never), ShapeError, 'conv2d: kernel larger than padded input: [1,1,2,2] x [1,1,3,3]');
    expectThrows(
      () => conv2d(z([1, 28, 28]), z([32, 1, 3, 3]) as never),
      ShapeError,
      'conv2d: needs input [N,C,H,W] and weights [O,C/groups,kH,kW], got [1,28,28] x [32,1,3,3]',
    );
    expectThrows(() => conv2d(z([1, 4, 8, 8]), z([3, 2, 3, 3]) as never, { groups: 2 }), ShapeError, 'conv2d: groups 2 do not divide the 3 output channels of weights [3,2,3,3]');
    expectThrows(() => conv1d(z([8, 4, 100]), z([16, 2, 5]) as never), ShapeError, 'conv1d: channels differ: input [8,4,100] x weights [16,2,5] (groups 1)');
    expectThrows(() => conv1d(z([8, 4, 3]), z([16, 4, 5]) as never), ShapeError, 'conv1d: kernel larger than padded input: [8,4,3] x [16,4,5]');
    expectThrows(() => maxPool2d(z([1, 1, 2, 2]) as never, 3), ShapeError, 'maxPool2d: window larger than padded input: [1,1,2,2] with kernel [3,3]');
    expectThrows(() => avgPool2d(z([1, 1, 2, 2]) as never, 3), ShapeError, 'avgPool2d: window larger than padded input: [1,1,2,2] with kernel [3,3]');
    expectThrows(() => convTranspose2d(z([1, 3, 4, 4]), z([2, 1, 3, 3]) as never), ShapeError, 'convTranspose2d: channels differ: input [1,3,4,4] x weights [2,1,3,3]');
  });

  it('checks options', () => {
    expectThrows(() => conv2d(z([1, 1, 5, 5]), z([1, 1, 3, 3]) as never, { stride: 0 }), ValueError, 'conv2d: stride must be a positive integer, got 0');
    expectThrows(() => conv2d(z([1, 1, 5, 5]), z([1, 1, 3, 3]) as never, { padding: 'same', stride: 2 }), ValueError, "conv2d: padding 'same' needs stride 1, got 2");
    expectThrows(() => conv2d(z([1, 1, 5, 5]), z([1, 1, 3, 3]) as never, { padding: -1 }), ValueError, 'conv2d: padding must be a non-negative integer, got -1');
    expectThrows(() => maxPool2d(z([1, 1, 5, 5]) as never, 2, { padding: 2 }), ValueError, 'maxPool2d: padding [2,2] must be at most half the kernel [2,2]');
    expectThrows(
      () => convTranspose2d(z([1, 1, 3, 3]), z([1, 1, 3, 3]) as never, { outputPadding: 1 }),
      ValueError,
      'convTranspose2d: outputPadding [1,1] must be smaller than the stride or the dilation',
    );
    expect(() => conv2d(zeros([1, 1, 3, 3], { dtype: 'int32' }) as never, zeros([1, 1, 1, 1], { dtype: 'int32' }) as never)).toThrow(DTypeError);
  });
});

describe('conv2d values', () => {
  it('is a cross-correlation with padding zeros', () => {
    const x = tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);
    const w = tensor([[[[1, 0], [0, -1]]]]);
    expect(conv2d(x, w).toArray()).toEqual([[[[-4, -4], [-4, -4]]]]);
    expect(conv2d(x, w, { padding: 1, stride: 2 }).toArray()).toEqual([[[[-1, -3], [-7, -4]]]]);
  });

  it('does not change its inputs', () => {
    const x = tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);
    const w = tensor([[[[1, 2], [3, 4]]]]);
    const before = [values(x), values(w)];
    grad((a: typeof x, b: typeof w) => sum(conv2d(a, b, { padding: 1 })), { argnums: [0, 1] })(x, w);
    expect([values(x), values(w)]).toEqual(before);
  });
});

describe('maxPool2d', () => {
  it('propagates NaN and sends the gradient to the first of tied maxima (as PyTorch)', () => {
    const x = tensor([[[[1, Number.NaN], [0, 2]], [[5, 5], [5, 1]]]]);
    expect(values(maxPool2d(x, 2))).toEqual([Number.NaN, 5]);
    const g = grad((v: typeof x) => sum(maxPool2d(v, 2)))(x);
    expect(values(g)).toEqual([0, 1, 0, 0, 1, 0, 0, 0]);
  });

  it('treats padding as -Infinity', () => {
    const x = tensor([[[[-1, -2], [-3, -4]]]]);
    expect(maxPool2d(x, 2, { stride: 1, padding: 1 }).toArray()).toEqual([[[[-1, -1, -2], [-1, -1, -2], [-3, -3, -4]]]]);
  });
});

describe('avgPool2d and adaptiveAvgPool2d', () => {
  it('average windows; countIncludePad: false ignores padding zeros', () => {
    const x = tensor([[[[1, 2], [3, 4]]]]);
    expect(avgPool2d(x, 2, { stride: 1, padding: 1 }).toArray()[0]![0]![0]).toEqual([0.25, 0.75, 0.5]);
    expect(avgPool2d(x, 2, { stride: 1, padding: 1, countIncludePad: false }).toArray()[0]![0]![0]).toEqual([1, 1.5, 2]);
    expect(adaptiveAvgPool2d(x, 1).toArray()).toEqual([[[[2.5]]]]);
  });
});

/** PyTorch's pooled size (`pooling_output_shape`), written out here as the test's oracle. */
function torchPoolSize(size: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const a = size + 2 * p - d * (k - 1) - 1;
  let out = Math.floor((a + (ceil ? s - 1 : 0)) / s) + 1;
  if (ceil && (out - 1) * s >= size + p) out--;
  return out;
}

/** Max and average pooling of one [H, W] plane by their definitions (PyTorch's loops): windows clipped to the input. */
function naivePool(x: Float64Array, h: number, w: number, k: number, s: number, p: number, d: number, ceil: boolean, includePad: boolean) {
  const oh = torchPoolSize(h, k, s, p, d, ceil), ow = torchPoolSize(w, k, s, p, d, ceil);
  const max: number[] = [], avg: number[] = [];
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      let m = -Infinity;
      for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) {
        const r = i * s - p + a * d, c = j * s - p + b * d;
        if (r >= 0 && r < h && c >= 0 && c < w) m = Math.max(m, x[r * w + c]!);
      }
      max.push(m);
      // Average pooling has no dilation: the window [start, min(start + k, size + p)), clipped to the input.
      const r0 = i * s - p, c0 = j * s - p, r1 = Math.min(r0 + k, h + p), c1 = Math.min(c0 + k, w + p);
      const pool = (r1 - r0) * (c1 - c0);
      let sum = 0, n = 0;
      for (let r = Math.max(r0, 0); r < Math.min(r1, h); r++) for (let c = Math.max(c0, 0); c < Math.min(c1, w); c++) (sum += x[r * w + c]!), n++;
      avg.push(sum / (includePad ? pool : n));
    }
  }
  return { oh, ow, max, avg };
}

describe('ceilMode (PyTorch\'s ceil_mode)', () => {
  const geometry = fc.record({
    h: fc.integer({ min: 1, max: 11 }),
    w: fc.integer({ min: 1, max: 11 }),
    k: fc.integer({ min: 1, max: 4 }),
    s: fc.integer({ min: 1, max: 3 }),
    pHalf: fc.nat(2),
    d: fc.integer({ min: 1, max: 2 }),
    includePad: fc.boolean(),
    seed: fc.nat(),
  });

  it('pools partial last windows as PyTorch does, in float64 and float32, without changing the input', () => {
    fc.assert(fc.property(geometry, ({ h, w, k, s, pHalf, d, includePad, seed }) => {
      const p = Math.min(pHalf, Math.floor(k / 2));
      fc.pre(h + 2 * p >= d * (k - 1) + 1 && w + 2 * p >= d * (k - 1) + 1);
      const data = Float64Array.from({ length: 2 * h * w }, (_, i) => Math.round(Math.sin(seed + i * 1.7) * 1e4) / 1e4);
      for (const dtype of ['float64', 'float32'] as const) {
        const x = tensor(Array.from(data), [1, 2, h, w], { dtype }) as Tensor<[number, number, number, number]>;
        const before = values(x);
        const want = [0, 1].map((c) => naivePool(Float64Array.from(values(x)).subarray(c * h * w, (c + 1) * h * w), h, w, k, s, p, d, true, includePad));
        const options = { stride: s, padding: p, dilation: d, ceilMode: true };
        if (want[0]!.max.includes(-Infinity)) {
          // A dilated window whose taps all fall into the padding (PyTorch gives -Infinity): a named error, ceil mode or not.
          expect(() => maxPool2d(x, k, options)).toThrow(ValueError);
        } else {
          const mp = maxPool2d(x, k, options) as Tensor<number[]>;
          expect(mp.shape).toEqual([1, 2, want[0]!.oh, want[0]!.ow]);
          expect(values(mp)).toEqual(want.flatMap((o) => o.max));
        }
        const ap = d === 1 ? (avgPool2d(x, k, { stride: s, padding: p, ceilMode: true, countIncludePad: includePad }) as Tensor<number[]>) : undefined;
        if (ap !== undefined) {
          expect(ap.shape).toEqual([1, 2, want[0]!.oh, want[0]!.ow]);
          const got = values(ap), exp = want.flatMap((o) => o.avg);
          const tol = dtype === 'float32' ? 1e-6 : 1e-12;
          got.forEach((v, i) => expect(Math.abs(v - exp[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(exp[i]!))));
        }
        expect(values(x)).toEqual(before);
      }
    }), { numRuns: 150, examples: [[{ h: 7, w: 6, k: 2, s: 2, pHalf: 0, d: 1, includePad: true, seed: 1 }], [{ h: 5, w: 4, k: 2, s: 2, pHalf: 1, d: 1, includePad: true, seed: 2 }]] });
  });

  it('changes nothing when every window fits; floor mode stays the default', () => {
    const x = tensor(Array.from({ length: 36 }, (_, i) => i), [1, 1, 6, 6]);
    expect(maxPool2d(x, 2, { ceilMode: true }).toArray()).toEqual(maxPool2d(x, 2).toArray());
    const odd = tensor(Array.from({ length: 49 }, (_, i) => i), [1, 1, 7, 7]);
    expect(maxPool2d(odd, 2).shape).toEqual([1, 1, 3, 3]);
    expect(maxPool2d(odd, 2, { ceilMode: true }).shape).toEqual([1, 1, 4, 4]);
    expect(values(avgPool2d(odd, 2, { ceilMode: true })).slice(0, 4)).toEqual([4, 6, 8, 9.5]);
  });

  it('has first and second derivatives equal to finite differences (float64, forward and reverse)', () => {
    fc.assert(fc.property(fc.integer({ min: 3, max: 6 }), fc.integer({ min: 3, max: 6 }), fc.boolean(), fc.nat(), (h, w, includePad, seed) => {
      // Distinct values, so that no max-pool window has a tie a small step could flip.
      const data = Array.from({ length: 2 * h * w }, (_, i) => ((seed + i * 7919) % 997) / 997 + i * 1e-3);
      const x = tensor(data, [1, 2, h, w], { dtype: 'float64' }) as Tensor<[number, number, number, number], 'float64'>;
      checkGrads((v: typeof x) => sum(mul(avgPool2d(v, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: includePad }), v.size)), [x], { order: 2 });
      checkGrads((v: typeof x) => sum(mul(maxPool2d(v, 2, { ceilMode: true }), maxPool2d(v, 2, { ceilMode: true }))), [x], { order: 2 });
    }), { numRuns: 8 });
  });

  it('refuses a ceilMode that is not a boolean, naming the op', () => {
    const x = zeros([1, 1, 4, 4]);
    expectThrows(() => maxPool2d(x, 2, { ceilMode: 1 as never }), ValueError, 'maxPool2d: ceilMode must be a boolean, got 1');
    expectThrows(() => avgPool2d(x, 2, { ceilMode: 'yes' as never }), ValueError, 'avgPool2d: ceilMode must be a boolean, got "yes"');
  });
});
