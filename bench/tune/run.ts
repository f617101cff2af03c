/**
 * The tuning benchmark: typegrad's TPE and random search against Optuna's
 * (Debian's python3-optuna, run with /usr/bin/python3) in the same run, on
 * Branin, Hartmann-6, Rosenbrock-4 and a mixed int/log/categorical space.
 * Prints the mean best value after 20, 40 and 60 trials over the seeds, and
 * the time per `ask` (ask plus the five suggestions of the mixed problem)
 * with 1,000 complete trials in the study.
 *
 *   npm run bench:tune                     # 60 trials, 20 seeds, ask timed at 1,000 trials
 *   npm run bench:tune -- --quick          # 20 trials, 3 seeds, 200 trials (CI smoke run)
 *   npm run bench:tune -- --trials 60 --seeds 20 --history 1000 --json tune-results.json
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { tune } from '../../src/index.node.js';
import { PROBLEMS, objective, type Problem } from './problems.js';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    trials: { type: 'string' },
    seeds: { type: 'string' },
    history: { type: 'string' },
    json: { type: 'string', default: 'tune-results.json' },
  },
});
const trials = Number(args.trials ?? (args.quick ? 20 : 60));
const seeds = Number(args.seeds ?? (args.quick ? 3 : 20));
const history = Number(args.history ?? (args.quick ? 200 : 1000));
const marks = [20, 40, 60].filter((m) => m <= trials);
if (!marks.includes(trials)) marks.push(trials);

/** Best value so far after each trial, for one run. */
async function bestCurve(problem: Problem, sampler: tune.Sampler): Promise<number[]> {
  const study = await tune.createStudy({ sampler });
  await study.optimize(objective(problem), { trials });
  let best = Infinity;
  return study.trials.map((t) => (best = t.value !== null ? Math.min(best, t.value) : best));
}

/** Seconds per ask (with the mixed problem's suggestions and a tell) after `n` random trials. */
async function askSeconds(n: number): Promise<number> {
  const mixed = PROBLEMS.find((p) => p.name === 'mixed')!;
  const storage = tune.memoryStorage();
  const warm = await tune.createStudy({ studyName: 'ask', storage, sampler: tune.randomSampler({ seed: 0 }) });
  await warm.optimize(objective(mixed), { trials: n });
  const study = await tune.loadStudy({ studyName: 'ask', storage, sampler: tune.tpe({ seed: 0 }) });
  const reps = 10;
  const start = performance.now();
  for (let i = 0; i < reps; i++) {
    const t = await study.ask();
    await study.tell(t, objective(mixed)(t));
  }
  return (performance.now() - start) / 1000 / reps;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const at = (curves: number[][], m: number) => mean(curves.map((c) => c[m - 1]!));
const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(1) : x.toPrecision(4));

console.log(`tuning benchmark: ${trials} trials x ${seeds} seeds; ask timed with ${history} trials; ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
let peer: { version: string; results: Record<string, { tpe: number[][]; random: number[][] }>; askSeconds: number | null } | null = null;
try {
  const t0 = performance.now();
  peer = JSON.parse(execFileSync('/usr/bin/python3', [new URL('./optuna_peer.py', import.meta.url).pathname, String(trials), String(seeds), String(history)], { encoding: 'utf8', maxBuffer: 1 << 28 }));
  console.log(`Optuna ${peer!.version}: ${((performance.now() - t0) / 1000).toFixed(1)}s`);
} catch (e) {
  console.log(`Optuna peer failed (${(e as Error).message.split('\n')[0]}); typegrad only`);
}

const t1 = performance.now();
const ours: Record<string, { tpe: number[][]; random: number[][] }> = {};
for (const problem of PROBLEMS) {
  const tpeRuns: number[][] = [];
  const randomRuns: number[][] = [];
  for (let s = 0; s < seeds; s++) {
    tpeRuns.push(await bestCurve(problem, tune.tpe({ seed: s })));
    randomRuns.push(await bestCurve(problem, tune.randomSampler({ seed: s })));
  }
  ours[problem.name] = { tpe: tpeRuns, random: randomRuns };
}
console.log(`typegrad: ${((performance.now() - t1) / 1000).toFixed(1)}s\n`);

const header = ['problem', 'trials', 'typegrad TPE', 'Optuna TPE', 'typegrad random', 'Optuna random'];
const rows: string[][] = [];
const verdicts: string[] = [];
for (const problem of PROBLEMS) {
  const o = ours[problem.name]!;
  const p = peer?.results[problem.name];
  for (const m of marks) rows.push([m === marks[0] ? `${problem.name} (min ${problem.optimum})` : '', String(m), fmt(at(o.tpe, m)), p ? fmt(at(p.tpe, m)) : '-', fmt(at(o.random, m)), p ? fmt(at(p.random, m)) : '-']);
  const last = marks[marks.length - 1]!;
  const ourRegret = at(o.tpe, last) - problem.optimum;
  const theirRegret = p ? at(p.tpe, last) - problem.optimum : NaN;
  const randomRegret = at(o.random, last) - problem.optimum;
  verdicts.push(`${problem.name}: regret at ${last} trials: typegrad TPE ${fmt(ourRegret)}, Optuna TPE ${p ? fmt(theirRegret) : '-'} (${p ? (ourRegret <= theirRegret ? 'as good or better' : `worse by ${fmt(ourRegret - theirRegret)}`) : 'no peer'}); random ${fmt(randomRegret)} (TPE ${(randomRegret / Math.max(ourRegret, 1e-12)).toFixed(1)}x smaller)`);
}
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
console.log(`mean best value over ${seeds} seeds (lower is better)`);
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) console.log(line(r));
console.log('');
for (const v of verdicts) console.log(v);

const ask = history > 0 ? await askSeconds(history) : null;
if (ask !== null) {
  const theirs = peer?.askSeconds ?? null;
  console.log(`\ntime per ask (TPE, mixed space, 5 parameters) with ${history} trials: typegrad ${(ask * 1000).toFixed(1)} ms, Optuna ${theirs === null ? '-' : `${(theirs * 1000).toFixed(1)} ms`}${theirs === null ? '' : ` (typegrad ${(theirs / ask).toFixed(1)}x faster)`}`);
}
writeFileSync(args.json!, JSON.stringify({ trials, seeds, history, load: loadavg(), typegrad: ours, optuna: peer, askSeconds: { typegrad: ask, optuna: peer?.askSeconds ?? null } }));
