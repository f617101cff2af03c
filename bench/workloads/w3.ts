/**
 * W3: float32 matmul C = A B of two n x n matrices (entries uniform in
 * [-0.5, 0.5)) at n = 128, 256, 512, 1024, reported in GFLOP/s (2 n^3 flops
 * per product). A timed call produces C as a user would get it, allocation
 * included. Checked at 4096 sampled entries (all entries for n <= 64)
 * against a float64 dot product, within float32's worst-case bound.
 */
import { uniformArray, type F32 } from '../data.js';
import { measure } from '../harness.js';
import { checkMatmul } from '../reference.js';
import { timeRow, type Context, type Result } from '../workload.js';

export const SIZES = [128, 256, 512, 1024] as const;

/** C = A B in one library. */
export interface W3Model {
  /** Computes C (and releases it, for libraries that need that). */
  run(): unknown;
  /** C, row-major. */
  result(): ArrayLike<number>;
}

export async function runW3(ctx: Context, make: (a: F32, b: F32, n: number) => W3Model): Promise<Result[]> {
  const rows: Result[] = [];
  for (const n of SIZES) {
    const a = uniformArray(n * n, -0.5, 0.5, 1);
    const b = uniformArray(n * n, -0.5, 0.5, 2);
    const model = make(a, b, n);
    const check = checkMatmul(a, b, model.result(), n);
    const stats = await measure(() => model.run(), {
      samples: ctx.quick ? 3 : 11,
      inner: 'auto',
      sampleMs: ctx.quick ? 10 : 50,
      warmupCalls: ctx.quick ? 1 : 2,
      warmupMs: ctx.quick ? 0 : 200,
      budgetMs: ctx.quick ? 1_500 : 10_000,
    });
    const gflops = (2 * n ** 3) / (stats.median * 1e-3) / 1e9;
    rows.push(timeRow({ workload: 'W3', case: `n=${n}`, lib: ctx.lib }, stats, 'ms', { check, extra: { gflops }, note: `${gflops.toFixed(1)} GFLOP/s` }));
  }
  return rows;
}
