/**
 * The parameters that finished trials share, for samplers that draw several
 * parameters jointly: the intersection (names with the same distribution in
 * every complete or pruned trial), or its decomposition into groups of
 * parameters that always appear together (for conditional search spaces).
 */
import { sameDistribution, type Distribution } from './distributions.js';
import type { FrozenTrial } from './frozen-trial.js';
import { checkTrials } from './checks.js';

const finished = (t: FrozenTrial) => t.state === 'complete' || t.state === 'pruned';

/**
 * Names (with distributions) present, with the same distribution, in every
 * complete or pruned trial; empty when there is none. Sorted by name.
 *
 * @example
 * ```ts
 * tune.intersectionSearchSpace(study.trials); // { lr: {...}, layers: {...} }
 * ```
 */
export function intersectionSearchSpace(trials: readonly FrozenTrial[]): Record<string, Distribution> {
  checkTrials('tune.intersectionSearchSpace', trials);
  let space: Record<string, Distribution> | null = null;
  for (const t of trials) {
    if (!finished(t)) continue;
    if (space === null) {
      space = { ...t.distributions };
      continue;
    }
    for (const name of Object.keys(space)) {
      const d = t.distributions[name];
      if (d === undefined || !sameDistribution(d, space[name]!)) delete space[name];
    }
  }
  const out: Record<string, Distribution> = {};
  for (const name of Object.keys(space ?? {}).sort()) out[name] = space![name]!;
  return out;
}

/**
 * The finest partition of the parameter names of complete or pruned trials
 * such that each trial's parameter set is a union of groups: each new trial
 * splits every group into the part it has and the part it lacks, and adds
 * its remaining names as a new group.
 *
 * @example
 * ```ts
 * tune.groupSearchSpaces(trials); // [{ classifier: ... }, { svc_c: ... }, { rf_depth: ... }]
 * ```
 */
export function groupSearchSpaces(trials: readonly FrozenTrial[]): Record<string, Distribution>[] {
  checkTrials('tune.groupSearchSpaces', trials);
  let groups: Record<string, Distribution>[] = [];
  for (const t of trials) {
    if (!finished(t)) continue;
    const remaining = new Set(Object.keys(t.distributions));
    const next: Record<string, Distribution>[] = [];
    for (const g of groups) {
      const inside: Record<string, Distribution> = {};
      const outside: Record<string, Distribution> = {};
      for (const [name, d] of Object.entries(g)) (remaining.has(name) ? inside : outside)[name] = d;
      next.push(inside, outside);
      for (const name of Object.keys(g)) remaining.delete(name);
    }
    const fresh: Record<string, Distribution> = {};
    for (const name of remaining) fresh[name] = t.distributions[name]!;
    next.push(fresh);
    groups = next.filter((g) => Object.keys(g).length > 0);
  }
  return groups;
}
