/**
 * Parameter importances by one-way analysis of variance, a simpler method
 * than Optuna's default fANOVA (which fits a random forest): for each
 * parameter, how much of the spread of the objective its value alone
 * explains.
 *
 * 1. Replace the objective values of complete trials by their ranks scaled
 *    to [0, 1] (average ranks for ties), so one huge value (Rosenbrock far
 *    from the valley) cannot dominate.
 * 2. Group the trials by the parameter: one group per choice of a
 *    categorical; for a number, B = clamp(floor(sqrt(n)), 2, 10) groups of
 *    equal size in the order of its value (so log or linear does not matter).
 * 3. The effect size omega^2 = (SSB - (B - 1) MSW) / (SST + MSW), with SSB the
 *    between-group and SST the total sum of squares and MSW the within-group
 *    mean square; it corrects the between-group share for what noise alone
 *    would give, and is clipped at 0.
 * 4. Normalise the effects to sum to 1 (all 0 when none explains anything).
 *
 * It sees main effects only, not interactions.
 */
import type { FrozenTrial } from './frozen-trial.js';
import { checkTrials } from './checks.js';

/**
 * Importances of the parameters of complete trials, summing to 1 (or all 0),
 * sorted from most to least important.
 *
 * @example
 * ```ts
 * tune.paramImportances(study.trials); // [{ name: 'lr', importance: 0.71 }, { name: 'optimizer', importance: 0.2 }, ...]
 * ```
 */
export function paramImportances(trials: readonly FrozenTrial[]): { name: string; importance: number }[] {
  checkTrials('tune.paramImportances', trials);
  const complete = trials.filter((t) => t.state === 'complete' && t.value !== null && Number.isFinite(t.value));
  const names = [...new Set(complete.flatMap((t) => Object.keys(t.params)))].sort();
  const rank = ranks(complete.map((t) => t.value!));
  const effects = names.map((name) => {
    const rows: { key: number; y: number; cat: boolean }[] = [];
    complete.forEach((t, i) => {
      if (!(name in t.internal)) return;
      rows.push({ key: t.internal[name]!, y: rank[i]!, cat: t.distributions[name]!.kind === 'categorical' });
    });
    return { name, effect: omegaSquared(rows) };
  });
  const total = effects.reduce((s, e) => s + e.effect, 0);
  return effects.map((e) => ({ name: e.name, importance: total > 0 ? e.effect / total : 0 })).sort((a, b) => b.importance - a.importance || a.name.localeCompare(b.name));
}

/** Ranks of values scaled to [0, 1], ties sharing their average rank. */
function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const r = (i + j) / 2 / Math.max(1, values.length - 1);
    for (let k = i; k <= j; k++) out[order[k]![1]] = r;
    i = j + 1;
  }
  return out;
}

/** omega^2 of y grouped by key (see the module comment); 0 with fewer than 3 rows or one group. */
function omegaSquared(rows: readonly { key: number; y: number; cat: boolean }[]): number {
  const n = rows.length;
  if (n < 3) return 0;
  let groups: number[][];
  if (rows[0]!.cat) {
    const by = new Map<number, number[]>();
    for (const r of rows) by.set(r.key, [...(by.get(r.key) ?? []), r.y]);
    groups = [...by.values()];
  } else {
    const sorted = [...rows].sort((a, b) => a.key - b.key);
    const b = Math.min(10, Math.max(2, Math.floor(Math.sqrt(n))));
    groups = Array.from({ length: b }, (_, g) => sorted.slice(Math.floor((g * n) / b), Math.floor(((g + 1) * n) / b)).map((r) => r.y)).filter((g) => g.length > 0);
  }
  if (groups.length < 2 || n <= groups.length) return 0;
  const mean = rows.reduce((s, r) => s + r.y, 0) / n;
  const sst = rows.reduce((s, r) => s + (r.y - mean) ** 2, 0);
  if (sst === 0) return 0;
  let ssb = 0;
  let ssw = 0;
  for (const g of groups) {
    const m = g.reduce((s, y) => s + y, 0) / g.length;
    ssb += g.length * (m - mean) ** 2;
    for (const y of g) ssw += (y - m) ** 2;
  }
  const msw = ssw / (n - groups.length);
  return Math.max(0, (ssb - (groups.length - 1) * msw) / (sst + msw));
}
