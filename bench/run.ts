/**
 * The benchmark suite: typegrad against TensorFlow.js (cpu and wasm backends)
 * and jax-js (wasm, with and without jit), same workloads, same run.
 *
 *   npm run bench                               # everything, all libraries
 *   npm run bench -- --quick --only typegrad    # CI smoke run (under a minute)
 *   npm run bench -- --workloads W1,W3 --only typegrad,jax
 *   npm run bench -- --memory                   # W2's RSS check over 3 epochs
 *
 * Flags:
 *   --quick            fewer repetitions; W2 cut to 100 steps
 *   --only LIST        libraries: typegrad, tfjs-cpu, tfjs-wasm, jax-wasm,
 *                      jax-wasm-jit, pytorch-1t, pytorch-2t, or the families tfjs, jax, torch
 *   --workloads LIST   W1..W6, V1, V2 and W2M (default W1..W6, V1, V2; with --memory, W2M)
 *   --memory           add W2M, the memory check (alone unless --workloads is given)
 *   --json PATH        where to write the results (default bench-results.json)
 *
 * Each (workload, library) pair runs in a child process of its own
 * (`bench/child.ts`); a peer that is missing or fails is reported in the
 * table and the JSON, and the run goes on.
 */
import { fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildMessage } from './child.js';
import { REGISTRY } from './registry.js';
import { judgeTargets, table, type Failure } from './report.js';
import { LIBS, WORKLOADS, familyOf, type Lib, type Result, type WorkloadId } from './workload.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');

interface Options {
  readonly quick: boolean;
  readonly libs: readonly Lib[];
  readonly workloads: readonly WorkloadId[];
  readonly json: string;
}

function usage(message: string): never {
  console.error(`bench: ${message}\nusage: tsx bench/run.ts [--quick] [--memory] [--only LIBS] [--workloads W1,W2,...] [--json PATH]`);
  process.exit(2);
}

function parse(argv: readonly string[]): Options {
  let quick = false;
  let memory = false;
  let only: string[] | undefined;
  let workloads: string[] | undefined;
  let json = join(root, 'bench-results.json');
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => argv[++i] ?? usage(`${a} needs a value`);
    if (a === '--quick') quick = true;
    else if (a === '--memory') memory = true;
    else if (a === '--only') only = value().split(',');
    else if (a === '--workloads') workloads = value().toUpperCase().split(',');
    else if (a === '--json') json = resolve(value());
    else if (a === '--help' || a === '-h') usage('help');
    else usage(`unknown argument ${a}`);
  }
  const libs = only
    ? LIBS.filter((l) => only.some((o) => o === l || o === familyOf(l)))
    : [...LIBS];
  for (const o of only ?? []) if (!LIBS.some((l) => o === l || o === familyOf(l))) usage(`unknown library ${o} (know ${LIBS.join(', ')}, tfjs, jax, torch)`);
  for (const w of workloads ?? []) if (!(WORKLOADS as readonly string[]).includes(w)) usage(`unknown workload ${w} (know ${WORKLOADS.join(', ')})`);
  const chosen = (workloads ?? (memory ? [] : ['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'V1', 'V2'])) as WorkloadId[];
  if (memory && !chosen.includes('W2M')) chosen.push('W2M');
  return { quick, libs, workloads: WORKLOADS.filter((w) => chosen.includes(w)), json };
}

/** Runs one (workload, library) in a child process and returns its message. */
function runChild(workload: WorkloadId, lib: Lib, quick: boolean): Promise<ChildMessage> {
  return new Promise((done) => {
    const args = ['--lib', lib, '--workload', workload, ...(quick ? ['--quick'] : [])];
    const child = fork(join(here, 'child.ts'), args, { cwd: root, execArgv: process.execArgv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    let message: ChildMessage | undefined;
    child.on('message', (m) => (message = m as ChildMessage));
    const limitMs = (quick ? 120 : 900) * 1000;
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (message) done(message);
      else {
        const why = signal === 'SIGKILL' ? `timed out after ${limitMs / 1000} s` : `exited with ${signal ?? code} before reporting`;
        done({ error: `${why}${output ? `; output: ${output.trim().slice(-2000)}` : ''}` });
      }
    });
  });
}

function peerVersion(name: string): string {
  try {
    return (JSON.parse(readFileSync(join(here, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

async function main(): Promise<void> {
  const opts = parse(process.argv.slice(2));
  const started = new Date();
  const loadBefore = loadavg();
  const results: Result[] = [];
  const failures: Failure[] = [];
  for (const workload of opts.workloads) {
    for (const lib of opts.libs) {
      // A family without a runner for a workload (PyTorch for W3 and V1, ...) gives no row at all.
      if (REGISTRY[workload][familyOf(lib)] === undefined) continue;
      const t0 = performance.now();
      process.stderr.write(`${workload} ${lib} ... `);
      const m = await runChild(workload, lib, opts.quick);
      const secs = ((performance.now() - t0) / 1000).toFixed(1);
      if ('error' in m) {
        failures.push({ workload, lib, error: m.error });
        process.stderr.write(`ERROR (${secs} s): ${m.error.split('\n')[0]}\n`);
      } else {
        results.push(...m.results);
        const first = m.results[0];
        process.stderr.write(`${first ? `${first.value.toPrecision(4)} ${first.unit}` : 'no rows'} (${secs} s)\n`);
      }
    }
  }
  const loadAfter = loadavg();
  const targets = judgeTargets(results, opts.quick);
  const cpu = cpus();
  const meta = {
    date: started.toISOString(),
    command: `tsx bench/run.ts ${process.argv.slice(2).join(' ')}`.trim(),
    quick: opts.quick,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: `${cpu.length} x ${cpu[0]?.model ?? 'unknown'}`,
    loadAverage: { before: loadBefore, after: loadAfter },
    peers: {
      '@tensorflow/tfjs': peerVersion('@tensorflow/tfjs'),
      '@tensorflow/tfjs-backend-wasm': peerVersion('@tensorflow/tfjs-backend-wasm'),
      '@jax-js/jax': peerVersion('@jax-js/jax'),
    },
    seconds: (Date.now() - started.getTime()) / 1000,
  };
  const la = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
  console.log(`typegrad bench  ${meta.command}`);
  console.log(`${meta.node} ${meta.platform}, ${meta.cpu}; load average ${la(loadBefore)} before, ${la(loadAfter)} after; ${meta.seconds.toFixed(0)} s`);
  console.log(`peers: ${Object.entries(meta.peers).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(table(results, failures, targets));
  writeFileSync(opts.json, JSON.stringify({ meta, results, failures, targets }, null, 2) + '\n');
  console.log(`\nwrote ${opts.json}`);
}

await main();
