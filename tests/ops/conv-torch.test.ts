/**
 * conv1d, conv2d, convTranspose2d and the pools against PyTorch 1.13 on
 * worked cases (float64): the outputs and the gradients of
 * `sum(out * r)` for a random cotangent `r`. The fixture comes from
 * `scripts/fixtures/torch-conv.py`.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adaptiveAvgPool2d, avgPool2d, conv1d, conv2d, convTranspose2d, grad, maxPool2d, mul, sum, tensor, type AnyTensor, type Tensor } from '../../src/index.js';

interface Fixture {
  name: string;
  op: string;
  options: Record<string, unknown>;
  inputs: { shape: number[]; data: number[] }[];
  out: { shape: number[]; data: number[] };
  cotangent: number[];
  grads: number[][];
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/torch-conv.json', import.meta.url), 'utf8')) as { cases: Fixture[] };

/** The op of a case applied to its inputs. */
function apply(c: Fixture, xs: AnyTensor[]): AnyTensor {
  const o = c.options as never;
  const { kernel, outputSize, ...rest } = c.options as { kernel: never; outputSize: never };
  const f = {
    conv2d: () => conv2d(xs[0] as never, xs[1] as never, o),
    conv1d: () => conv1d(xs[0] as never, xs[1] as never, o),
    convTranspose2d: () => convTranspose2d(xs[0] as never, xs[1] as never, o),
    maxPool2d: () => maxPool2d(xs[0] as never, kernel, rest as never),
    avgPool2d: () => avgPool2d(xs[0] as never, kernel, rest as never),
    adaptiveAvgPool2d: () => adaptiveAvgPool2d(xs[0] as never, outputSize),
  }[c.op];
  if (f === undefined) throw new Error(`unknown op ${c.op}`);
  return f() as AnyTensor;
}

function expectClose(actual: ArrayLike<number>, expected: readonly number[], what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!, a = actual[i]!;
    if (Math.abs(a - e) > 1e-9 + 1e-9 * Math.abs(e)) expect.fail(`${what}[${i}]: ${a} vs PyTorch ${e}`);
  }
}

describe('conv and pooling equal PyTorch 1.13', () => {
  expect(fixture.cases.length).toBeGreaterThan(0);
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const xs = c.inputs.map((t) => tensor(t.data, t.shape as number[], { dtype: 'float64' }) as unknown as AnyTensor);
    const out = apply(c, xs);
    expect(out.shape).toEqual(c.out.shape);
    expectClose(out.toTypedArray() as Float64Array, c.out.data, 'out');
    const r = tensor(c.cotangent, c.out.shape as number[], { dtype: 'float64' }) as unknown as AnyTensor;
    const argnums = xs.map((_, i) => i);
    const loss = (...args: AnyTensor[]) => sum(mul(apply(c, args) as Tensor<number[], 'float64'>, r as Tensor<number[], 'float64'>)) as never;
    const gs = (grad as unknown as (f: unknown, o: unknown) => (...a: AnyTensor[]) => AnyTensor[])(loss, { argnums })(...xs);
    gs.forEach((g, i) => expectClose(g.toTypedArray() as Float64Array, c.grads[i]!, `grad ${i}`));
  });
});
