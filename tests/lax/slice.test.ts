import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../../src/core/errors.js';
import { slice, unslice, type SliceParams } from '../../src/lax/index.js';
import { type Ref, arbCase, checkDerivatives, expectExact, make, pseudoRandom, ravel, runs, sizeOf, unravel, untouched } from './helpers.js';

/** Naive slice: out[i] = x[start + i * step] per axis. */
function refSlice(x: Ref, { starts, sizes, steps }: SliceParams): Ref {
  const data = Array.from({ length: sizeOf(sizes) }, (_, o) => {
    const i = unravel(o, sizes);
    return x.data[ravel(i.map((ik, k) => starts[k]! + ik * steps[k]!), x.shape)]!;
  });
  return { data, shape: sizes };
}

/** Naive unslice: zeros of `shape`, then out[start + i * step] = x[i] per axis. */
function refUnslice(x: Ref, starts: readonly number[], steps: readonly number[], shape: readonly number[]): Ref {
  const data = new Array<number>(sizeOf(shape)).fill(0);
  for (let o = 0; o < x.data.length; o++) {
    const i = unravel(o, x.shape);
    data[ravel(i.map((ik, k) => starts[k]! + ik * steps[k]!), shape)] = x.data[o]!;
  }
  return { data, shape };
}

/** A valid window of `shape`: per axis a start in [0, d], a step in [1, 3], and a count that fits. */
function arbWindow(shape: readonly number[]): fc.Arbitrary<SliceParams> {
  const axes = shape.map((d) =>
    fc.tuple(fc.integer({ min: 0, max: d }), fc.integer({ min: 1, max: 3 })).chain(([start, step]) => {
      const most = start >= d ? 0 : Math.floor((d - 1 - start) / step) + 1;
      return fc.integer({ min: 0, max: most }).map((size) => [start, size, step] as const);
    }),
  );
  return fc.tuple(...axes).map((w) => ({ starts: w.map((a) => a[0]), sizes: w.map((a) => a[1]), steps: w.map((a) => a[2]) }));
}

describe('slice', () => {
  it('matches the naive reference on random windows, shapes and dtypes', () => {
    fc.assert(
      fc.property(
        arbCase().chain((c) => arbWindow(c.ref.shape).map((p) => ({ ...c, p }))),
        ({ ref, dtype, p }) => {
          const x = make(ref.data, ref.shape, dtype);
          expectExact(untouched([x], () => slice(x, p)), refSlice(ref, p), dtype);
        },
      ),
      runs(),
    );
  });

  it('copies long rows and strided columns of large tensors', () => {
    const shape = [3, 7, 150];
    const ref = { data: pseudoRandom(sizeOf(shape), 5).map((v) => Math.round(v * 100)), shape };
    const windows: SliceParams[] = [
      { starts: [1, 0, 0], sizes: [2, 7, 150], steps: [1, 1, 1] },
      { starts: [0, 2, 10], sizes: [3, 3, 100], steps: [1, 2, 1] },
      { starts: [0, 0, 3], sizes: [3, 7, 49], steps: [1, 1, 3] },
      { starts: [2, 6, 149], sizes: [1, 1, 1], steps: [1, 1, 1] },
    ];
    for (const p of windows) {
      for (const dtype of ['float32', 'float64', 'int32'] as const) {
        const x = make(ref.data, shape, dtype);
        expectExact(untouched([x], () => slice(x, p)), refSlice(ref, p), dtype);
      }
    }
  });

  it('returns the input itself for the whole window', () => {
    const x = make([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(slice(x, { starts: [0, 0], sizes: [2, 3], steps: [1, 1] })).toBe(x);
  });

  it('rejects windows that do not fit, with the axis and shape in the message', () => {
    const x = make([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(() => slice(x, { starts: [0, 1], sizes: [2, 3], steps: [1, 1] })).toThrow(
      new ShapeError('slice: 3 elements from 1 in steps of 1 do not fit axis 1 of [2,3]'),
    );
    expect(() => slice(x, { starts: [0, 1], sizes: [2, 2], steps: [1, 2] })).toThrow(
      new ShapeError('slice: 2 elements from 1 in steps of 2 do not fit axis 1 of [2,3]'),
    );
    expect(() => slice(x, { starts: [0, 4], sizes: [2, 0], steps: [1, 1] })).toThrow(
      new ShapeError('slice: 0 elements from 4 in steps of 1 do not fit axis 1 of [2,3]'),
    );
    expect(() => slice(x, { starts: [0, 0], sizes: [2, 1], steps: [1, 0] })).toThrow(
      new ShapeError('slice: 1 elements from 0 in steps of 0 do not fit axis 1 of [2,3]'),
    );
    expect(() => slice(x, { starts: [0], sizes: [1], steps: [1] })).toThrow(
      new ShapeError('slice: expected 2 starts, sizes and steps for [2,3], got 1, 1 and 1'),
    );
  });

  it('has derivatives matching finite differences (first and second order)', () => {
    const x = make(pseudoRandom(24, 21), [2, 3, 4]);
    checkDerivatives((t) => slice(t, { starts: [0, 1, 1], sizes: [2, 2, 2], steps: [1, 1, 2] }), x);
    checkDerivatives((t) => slice(t, { starts: [1, 0, 3], sizes: [1, 3, 1], steps: [1, 1, 1] }), x);
    checkDerivatives((t) => slice(t, { starts: [0, 0, 0], sizes: [2, 0, 4], steps: [1, 1, 1] }), x);
  });
});

describe('unslice', () => {
  it('matches the naive reference on random windows, shapes and dtypes', () => {
    fc.assert(
      fc.property(
        arbCase()
          .chain((c) => arbWindow(c.ref.shape).map((p) => ({ ...c, p })))
          .chain(({ ref, dtype, p }) =>
            // Scatter a random tensor of the window's shape back into the full shape.
            fc.array(fc.integer({ min: -9, max: 9 }), { minLength: sizeOf(p.sizes), maxLength: sizeOf(p.sizes) }).map((data) => ({
              full: ref.shape,
              small: { data, shape: p.sizes },
              dtype,
              p,
            })),
          ),
        ({ full, small, dtype, p }) => {
          const x = make(small.data, small.shape, dtype);
          const out = untouched([x], () => unslice(x, { starts: p.starts, steps: p.steps, shape: full }));
          expectExact(out, refUnslice(small, p.starts, p.steps, full), dtype);
        },
      ),
      runs(),
    );
  });

  it('rejects an input that does not fit the target shape', () => {
    const x = make([1, 2, 3], [3]);
    expect(() => unslice(x, { starts: [1], steps: [2], shape: [5] })).toThrow(
      new ShapeError('unslice: 3 elements from 1 in steps of 2 do not fit axis 0 of [5]'),
    );
  });

  it('has derivatives matching finite differences (first and second order)', () => {
    const x = make(pseudoRandom(6, 31), [2, 3]);
    checkDerivatives((t) => unslice(t, { starts: [1, 0], steps: [1, 2], shape: [3, 6] }), x);
  });
});
