/**
 * The CMA-ES benchmark: typegrad's `tune.cmaEs` against Optuna's
 * `CmaEsSampler` (Debian's python3-optuna with python3-cmaes, run with
 * /usr/bin/python3) in the same run, with random search for scale, on the
 * problems of the tuning benchmark (Branin, Hartmann-6, Rosenbrock-4, and
 * the mixed space, whose categorical both samplers leave to random search).
 * Prints the mean best value ± its standard error over the seeds after
 * each mark, and flags a cell where typegrad is behind by more than two
 * standard errors of the difference. A quality measure, not a timing one.
 *
 *   npm run bench:cmaes                           # 100 trials, 20 seeds
 *   npx tsx bench/tune/cmaes.ts --trials 60 --seeds 5
 */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { tune } from '../../src/index.node.js';
import { PROBLEMS } from './problems.js';
import { bestCurve, cell, clearlyBehind, printTable } from './curves.js';

const { values: args } = parseArgs({ options: { trials: { type: 'string', default: '100' }, seeds: { type: 'string', default: '20' } } });
const trials = Number(args.trials), seeds = Number(args.seeds);
const marks = [25, 50, 100, 200].filter((m) => m < trials).concat([trials]);

console.log(`CMA-ES benchmark: ${trials} trials x ${seeds} seeds; ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
let peer: { version: string; results: Record<string, number[][]> } | null = null;
try {
  const t0 = performance.now();
  peer = JSON.parse(execFileSync('/usr/bin/python3', [new URL('./cmaes_peer.py', import.meta.url).pathname, String(trials), String(seeds)], { encoding: 'utf8', maxBuffer: 1 << 28 }));
  console.log(`Optuna ${peer!.version} CmaEsSampler: ${((performance.now() - t0) / 1000).toFixed(1)}s`);
} catch (e) {
  console.log(`Optuna peer failed (${(e as Error).message.split('\n')[0]}): is python3-cmaes installed?`);
}
const t1 = performance.now();
const rows: string[][] = [];
const flags: string[] = [];
for (const problem of PROBLEMS) {
  const ours: number[][] = [], rnd: number[][] = [];
  for (let s = 0; s < seeds; s++) {
    ours.push(await bestCurve(problem, tune.cmaEs({ seed: s }), trials));
    rnd.push(await bestCurve(problem, tune.randomSampler({ seed: s }), trials));
  }
  const theirs = peer?.results[problem.name];
  for (const m of marks) {
    rows.push([m === marks[0] ? `${problem.name} (min ${problem.optimum})` : '', String(m), cell(ours, m), cell(theirs, m), cell(rnd, m)]);
    if (theirs !== undefined && clearlyBehind(ours, theirs, m)) flags.push(`${problem.name} after ${m}: typegrad behind by more than 2 standard errors`);
  }
}
console.log(`typegrad: ${((performance.now() - t1) / 1000).toFixed(1)}s\n`);
console.log(`mean best value ± standard error over ${seeds} seeds (lower is better)`);
printTable(['problem', 'trials', 'typegrad CMA-ES', `Optuna ${peer?.version ?? '-'} CMA-ES`, 'typegrad random'], rows);
console.log(flags.length === 0 ? '\nno cell where typegrad is behind by more than 2 standard errors' : `\n${flags.join('\n')}`);
