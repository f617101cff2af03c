/**
 * The tuning benchmark: typegrad's TPE and random search against Optuna's
 * (Debian's python3-optuna, run with /usr/bin/python3) in the same run, on
 * Branin, Hartmann-6, Rosenbrock-4 and a mixed int/log/categorical space.
 * Prints the mean best value (and its standard error over the seeds) after
 * 20, 40 and 60 trials, and the time per `ask` (ask plus the five
 * suggestions of the mixed problem) with 1,000 complete trials in the study.
 *
 * Our TPE runs three times: with its defaults (Optuna 5.0's algorithm with
 * categoricals drawn on their own), with `optunaVersion: '5.0'` (Optuna
 * 5.0's exactly: multivariate, categoricals in the joint draw) and with
 * `optunaVersion: '3.1'` (Optuna 3.1's, the installed peer's: univariate).
 * The verdict lines compare the default with the installed Optuna's TPE, and
 * say where it is behind by more than 2 standard errors. With `--optuna5 DIR` (an Optuna 5.0
 * source tree, e.g. `git archive v5.0.0-rc1 optuna` of optuna/optuna),
 * Optuna 5.0 runs too, from DIR on PYTHONPATH with the same Python.
 *
 *   npm run bench:tune                     # 60 trials, 20 seeds, ask timed at 1,000 trials
 *   npm run bench:tune -- --quick          # 20 trials, 3 seeds, 200 trials (CI smoke run)
 *   npm run bench:tune -- --seeds 200 --history 0   # the 200-seed comparison (no ask timing)
 *   npm run bench:tune -- --trials 60 --seeds 20 --history 1000 --json tune-results.json --optuna5 /tmp/optuna5
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { tune } from '../../src/index.node.js';
import { PROBLEMS, objective } from './problems.js';
import { at, bestCurve, cell, clearlyBehind, fmt, printTable } from './curves.js';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    trials: { type: 'string' },
    seeds: { type: 'string' },
    history: { type: 'string' },
    json: { type: 'string', default: 'tune-results.json' },
    optuna5: { type: 'string' },
  },
});
const trials = Number(args.trials ?? (args.quick ? 20 : 60));
const seeds = Number(args.seeds ?? (args.quick ? 3 : 20));
const history = Number(args.history ?? (args.quick ? 200 : 1000));
const marks = [20, 40, 60].filter((m) => m <= trials);
if (!marks.includes(trials)) marks.push(trials);

/** Seconds per ask of `sampler` (with the mixed problem's suggestions and a tell) after `n` random trials. */
async function askSeconds(n: number, sampler: tune.Sampler): Promise<number> {
  const mixed = PROBLEMS.find((p) => p.name === 'mixed')!;
  const storage = tune.memoryStorage();
  const warm = await tune.createStudy({ studyName: 'ask', storage, sampler: tune.randomSampler({ seed: 0 }) });
  await warm.optimize(objective(mixed), { trials: n });
  const study = await tune.loadStudy({ studyName: 'ask', storage, sampler });
  const reps = 10;
  const start = performance.now();
  for (let i = 0; i < reps; i++) {
    const t = await study.ask();
    await study.tell(t, objective(mixed)(t));
  }
  return (performance.now() - start) / 1000 / reps;
}


console.log(`tuning benchmark: ${trials} trials x ${seeds} seeds; ask timed with ${history} trials; ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
type PeerResult = { version: string; results: Record<string, { tpe: number[][]; random: number[][] }>; askSeconds: number | null };
/** Runs optuna_peer.py with /usr/bin/python3 (and `pythonPath` first on PYTHONPATH); null when it fails. */
function runPeer(label: string, pythonPath?: string): PeerResult | null {
  try {
    const t0 = performance.now();
    const env = pythonPath === undefined ? process.env : { ...process.env, PYTHONPATH: pythonPath };
    const out = JSON.parse(execFileSync('/usr/bin/python3', [new URL('./optuna_peer.py', import.meta.url).pathname, String(trials), String(seeds), String(history)], { encoding: 'utf8', maxBuffer: 1 << 28, env })) as PeerResult;
    console.log(`Optuna ${out.version} (${label}): ${((performance.now() - t0) / 1000).toFixed(1)}s`);
    return out;
  } catch (e) {
    console.log(`Optuna peer (${label}) failed (${(e as Error).message.split('\n')[0]})`);
    return null;
  }
}
const peer = runPeer('installed');
const peer5 = args.optuna5 === undefined ? null : runPeer(args.optuna5, args.optuna5);

const t1 = performance.now();
const ours: Record<string, { tpe: number[][]; tpe50: number[][]; tpe31: number[][]; random: number[][] }> = {};
for (const problem of PROBLEMS) {
  const tpeRuns: number[][] = [];
  const tpe50Runs: number[][] = [];
  const tpe31Runs: number[][] = [];
  const randomRuns: number[][] = [];
  for (let s = 0; s < seeds; s++) {
    tpeRuns.push(await bestCurve(problem, tune.tpe({ seed: s }), trials));
    tpe50Runs.push(await bestCurve(problem, tune.tpe({ seed: s, optunaVersion: '5.0' }), trials));
    tpe31Runs.push(await bestCurve(problem, tune.tpe({ seed: s, optunaVersion: '3.1' }), trials));
    randomRuns.push(await bestCurve(problem, tune.randomSampler({ seed: s }), trials));
  }
  ours[problem.name] = { tpe: tpeRuns, tpe50: tpe50Runs, tpe31: tpe31Runs, random: randomRuns };
}
console.log(`typegrad: ${((performance.now() - t1) / 1000).toFixed(1)}s\n`);

const v = (p: PeerResult | null) => p?.version ?? '-';
const header = ['problem', 'trials', 'typegrad TPE', `Optuna ${v(peer)} TPE`, "typegrad TPE '3.1'", "typegrad TPE '5.0'", ...(peer5 ? [`Optuna ${v(peer5)} TPE`] : []), 'typegrad random', 'Optuna random'];
const rows: string[][] = [];
const verdicts: string[] = [];
for (const problem of PROBLEMS) {
  const o = ours[problem.name]!;
  const p = peer?.results[problem.name];
  const p5 = peer5?.results[problem.name];
  for (const m of marks) rows.push([m === marks[0] ? `${problem.name} (min ${problem.optimum})` : '', String(m), cell(o.tpe, m), cell(p?.tpe, m), cell(o.tpe31, m), cell(o.tpe50, m), ...(peer5 ? [cell(p5?.tpe, m)] : []), cell(o.random, m), cell(p?.random, m)]);
  const regret = (curves: number[][], m: number) => at(curves, m) - problem.optimum;
  const worse = p ? marks.filter((m) => regret(o.tpe, m) > regret(p.tpe, m)) : [];
  // Behind by more than twice the standard error of the difference of the two means.
  const clearlyWorse = p ? marks.filter((m) => clearlyBehind(o.tpe, p.tpe, m)) : [];
  const last = marks[marks.length - 1]!;
  verdicts.push(
    `${problem.name}: regret after ${marks.join('/')} trials: typegrad TPE ${marks.map((m) => fmt(regret(o.tpe, m))).join('/')}, ` +
      `Optuna ${v(peer)} TPE ${p ? marks.map((m) => fmt(regret(p.tpe, m))).join('/') : '-'} ` +
      `(${p ? (worse.length === 0 ? 'as good or better at every mark' : `worse after ${worse.join(', ')}; by more than 2 standard errors after ${clearlyWorse.length === 0 ? 'none' : clearlyWorse.join(', ')}`) : 'no peer'}); ` +
      `typegrad random ${fmt(regret(o.random, last))} at ${last} (TPE ${(regret(o.random, last) / Math.max(regret(o.tpe, last), 1e-12)).toFixed(1)}x smaller)`,
  );
}
console.log(`mean best value ± standard error over ${seeds} seeds (lower is better)`);
printTable(header, rows);
console.log('');
for (const verdict of verdicts) console.log(verdict);

const ask = history > 0 ? await askSeconds(history, tune.tpe({ seed: 0 })) : null;
const ask50 = history > 0 ? await askSeconds(history, tune.tpe({ seed: 0, optunaVersion: '5.0' })) : null;
const ask31 = history > 0 ? await askSeconds(history, tune.tpe({ seed: 0, optunaVersion: '3.1' })) : null;
if (ask !== null) {
  const theirs = peer?.askSeconds ?? null;
  const theirs5 = peer5?.askSeconds ?? null;
  console.log(`\ntime per ask (TPE, mixed space, 5 parameters) with ${history} trials: typegrad ${(ask * 1000).toFixed(1)} ms ('5.0' mode ${(ask50! * 1000).toFixed(1)} ms, '3.1' mode ${(ask31! * 1000).toFixed(1)} ms), Optuna ${v(peer)} ${theirs === null ? '-' : `${(theirs * 1000).toFixed(1)} ms`}${theirs === null ? '' : ` (typegrad ${(theirs / ask).toFixed(1)}x faster)`}${theirs5 === null ? '' : `, Optuna ${v(peer5)} ${(theirs5 * 1000).toFixed(1)} ms`}`);
}
writeFileSync(args.json!, JSON.stringify({ trials, seeds, history, load: loadavg(), typegrad: ours, optuna: peer, optuna5: peer5, askSeconds: { typegrad: ask, typegrad50: ask50, typegrad31: ask31, optuna: peer?.askSeconds ?? null, optuna5: peer5?.askSeconds ?? null } }));
