/**
 * What the tuning benchmarks share: one run's best-so-far curve, the mean
 * and standard error of many runs at a mark, and the Markdown table they
 * print.
 */
import { tune } from '../../src/index.node.js';
import { objective, type Problem } from './problems.js';

/** The best value so far after each trial of one `trials`-trial study with `sampler`. */
export async function bestCurve(problem: Problem, sampler: tune.Sampler, trials: number): Promise<number[]> {
  const study = await tune.createStudy({ sampler });
  await study.optimize(objective(problem), { trials });
  let best = Infinity;
  return study.trials.map((t) => (best = t.value !== null ? Math.min(best, t.value) : best));
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The mean best value after `m` trials over the curves (one per seed). */
export const at = (curves: number[][], m: number): number => mean(curves.map((c) => c[m - 1]!));

/** The standard error of that mean. */
export function se(curves: number[][], m: number): number {
  const xs = curves.map((c) => c[m - 1]!);
  const mu = mean(xs);
  return xs.length < 2 ? 0 : Math.sqrt(xs.reduce((a, x) => a + (x - mu) ** 2, 0) / (xs.length - 1) / xs.length);
}

/** A value as the tables print it: one decimal from 100 up, four significant digits below. */
export const fmt = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(1) : x.toPrecision(4));

/** `mean ±se` after `m` trials, or `-` without curves. */
export const cell = (curves: number[][] | undefined, m: number): string => (curves === undefined ? '-' : `${fmt(at(curves, m))} ±${se(curves, m).toPrecision(2)}`);

/** True when `ours` trails `theirs` after `m` trials by more than twice the standard error of the difference. */
export const clearlyBehind = (ours: number[][], theirs: number[][], m: number): boolean => at(ours, m) - at(theirs, m) > 2 * Math.hypot(se(ours, m), se(theirs, m));

/** Prints a Markdown table with padded columns. */
export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}
