/**
 * Smoke test of the benchmark suite: `bench/run.ts --quick --only typegrad`
 * runs to the end and its JSON holds every workload with finite numbers and
 * a reference check on each timed row. Neither timings nor check verdicts
 * are asserted here: benchmarks are scripts, and ops have their own tests.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Failure, Target } from '../../bench/report.js';
import type { Result } from '../../bench/workload.js';
import { FASHION_MNIST_DIR } from '../../src/data/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'typegrad-bench-'));
// W2 trains on Fashion-MNIST (Debian's dataset-fashion-mnist); without the files it is left out here.
const haveFashion = existsSync(join(FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz'));
const workloads = haveFashion ? ['W1', 'W2', 'W3', 'W4', 'W5', 'V1', 'V2'] : ['W1', 'W3', 'W4', 'W5', 'V1', 'V2'];
if (!haveFashion) console.warn(`bench smoke test: no Fashion-MNIST in ${FASHION_MNIST_DIR}, W2 skipped (apt-get install dataset-fashion-mnist)`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Report {
  readonly meta: { readonly quick: boolean };
  readonly results: readonly Result[];
  readonly failures: readonly Failure[];
  readonly targets: readonly Target[];
}

describe('bench --quick --only typegrad', () => {
  it('writes every workload with finite numbers', { timeout: 300_000 }, () => {
    const json = join(dir, 'results.json');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--quick', '--only', 'typegrad', '--workloads', workloads.join(','), '--json', json], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(readFileSync(json, 'utf8')) as Report;
    expect(report.meta.quick).toBe(true);
    expect(report.failures).toEqual([]);
    for (const w of workloads) {
      const rows = report.results.filter((r) => r.workload === w);
      expect(rows.length, w).toBeGreaterThan(0);
      for (const r of rows) {
        expect(r.lib).toBe('typegrad');
        expect(Number.isFinite(r.value), `${w} ${r.case} ${r.metric}`).toBe(true);
        for (const v of [r.min, r.max, r.q1, r.q3, ...Object.values(r.extra ?? {})]) if (v !== undefined) expect(Number.isFinite(v)).toBe(true);
        if (r.metric === 'time') expect(Number.isFinite(r.check?.error), `${w} ${r.case} check`).toBe(true);
      }
    }
    expect(report.results.filter((r) => r.workload === 'W3').map((r) => r.case)).toEqual(['n=128', 'n=256', 'n=512', 'n=1024']);
    if (haveFashion) {
      expect(report.results.find((r) => r.workload === 'W2' && r.metric === 'test accuracy')).toBeDefined();
      expect(report.results.find((r) => r.workload === 'W2' && r.metric === 'peak RSS')).toBeDefined();
    }
    // The printed table names every workload that ran.
    for (const w of workloads) expect(run.stdout).toContain(`${w}  `);
  });
});
