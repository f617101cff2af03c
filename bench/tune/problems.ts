/**
 * The test problems of the tuning benchmark (definitions in problems.json,
 * shared with the Optuna side), as objectives over a typegrad trial. All are
 * minimised: Branin (2-d, minimum 0.397887), Hartmann-6 (6-d in [0,1]^6,
 * minimum -3.32237), Rosenbrock-4 (4-d in [-2,2]^4, minimum 0), and a mixed
 * space (log float, log int, int, stepped float, categorical; minimum 0).
 */
import { readFileSync } from 'node:fs';
import type { tune } from '../../src/index.node.js';

/** One parameter of a problem, as problems.json writes it. */
export type ParamSpec =
  | { readonly name: string; readonly kind: 'float'; readonly low: number; readonly high: number; readonly log?: boolean; readonly step?: number }
  | { readonly name: string; readonly kind: 'int'; readonly low: number; readonly high: number; readonly log?: boolean }
  | { readonly name: string; readonly kind: 'categorical'; readonly choices: readonly string[] };

/** A problem: its name, known optimum and parameters. */
export interface Problem {
  readonly name: string;
  readonly optimum: number;
  readonly params: readonly ParamSpec[];
}

export const PROBLEMS: readonly Problem[] = (JSON.parse(readFileSync(new URL('./problems.json', import.meta.url), 'utf8')) as { problems: Problem[] }).problems;

const A6 = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]];
const P6 = [[1312, 1696, 5569, 124, 8283, 5886], [2329, 4135, 8307, 3736, 1004, 9991], [2348, 1451, 3522, 2883, 3047, 6650], [4047, 8828, 8732, 5743, 1091, 381]];
const ALPHA6 = [1.0, 1.2, 3.0, 3.2];
const OPT_COST: Record<string, number> = { sgd: 1.0, adam: 0.0, rmsprop: 0.3, adagrad: 0.8 };

/** The value of a problem at a point (the same formulas as optuna_peer.py). */
export function problemValue(name: string, p: Record<string, tune.Choice>): number {
  const n = (k: string) => p[k] as number;
  switch (name) {
    case 'branin': {
      const [x1, x2] = [n('x1'), n('x2')];
      const b = 5.1 / (4 * Math.PI ** 2);
      const c = 5 / Math.PI;
      const t = 1 / (8 * Math.PI);
      return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
    }
    case 'hartmann6': {
      const x = [0, 1, 2, 3, 4, 5].map((i) => n(`x${i}`));
      let s = 0;
      for (let i = 0; i < 4; i++) {
        let inner = 0;
        for (let j = 0; j < 6; j++) inner += A6[i]![j]! * (x[j]! - P6[i]![j]! * 1e-4) ** 2;
        s -= ALPHA6[i]! * Math.exp(-inner);
      }
      return s;
    }
    case 'rosenbrock4': {
      const x = [0, 1, 2, 3].map((i) => n(`x${i}`));
      let s = 0;
      for (let i = 0; i < 3; i++) s += 100 * (x[i + 1]! - x[i]! ** 2) ** 2 + (1 - x[i]!) ** 2;
      return s;
    }
    case 'mixed':
      return (Math.log10(n('lr')) + 3) ** 2 / 4 + (Math.log2(n('units')) - 7) ** 2 / 9 + (n('layers') - 3) ** 2 / 4 + 10 * (n('dropout') - 0.2) ** 2 + OPT_COST[p['optimizer'] as string]!;
  }
  throw new Error(`unknown problem ${name}`);
}

/** Suggests one parameter of a problem from a trial. */
export function suggest(trial: tune.Trial, s: ParamSpec): tune.Choice {
  if (s.kind === 'float') return trial.float(s.name, s.low, s.high, s.log === true ? { log: true } : s.step !== undefined ? { step: s.step } : {});
  if (s.kind === 'int') return trial.int(s.name, s.low, s.high, { log: s.log === true });
  return trial.categorical(s.name, s.choices);
}

/** The objective of a problem. */
export function objective(problem: Problem): (trial: tune.Trial) => number {
  return (trial) => {
    const p: Record<string, tune.Choice> = {};
    for (const s of problem.params) p[s.name] = suggest(trial, s);
    return problemValue(problem.name, p);
  };
}
