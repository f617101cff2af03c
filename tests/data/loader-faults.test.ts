import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ValueError } from '../../src/core/errors.js';
import { loader } from '../../src/data/loader.js';
import { maxWorkers } from '../../src/data/shared.js';
import { workerMap } from '../../src/data/workers.js';

/**
 * Each scenario runs RUNS times in one child process (fixtures/loader-faults.ts),
 * which prints `after <scenario> ...` once the code after its last loop has
 * run, and how many worker threads are still running then (none may be). Before the fix, the event loop could empty while the workers were
 * being terminated, and the process exited with code 0 (or 13, "unsettled
 * top-level await") without that line, in a few runs out of ten.
 */
const RUNS = 50;
const program = fileURLToPath(new URL('./fixtures/loader-faults.ts', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));

const scenarios: [string, string, string][] = [
  ['break', 'a break out of for await over workerMap', 'ok'],
  ['throw', 'an exception in the loop body', 'body'],
  ['item', 'an item that fails in its worker', 'WorkerError'],
  ['clone', 'an item that cannot be cloned to the main thread', 'WorkerError'],
  ['missing', 'a module URL that does not exist', 'WorkerError'],
  ['loader-break', 'a break out of a loader with workers', 'ok'],
  ['loader-throw', 'an exception in the body of a loop over a loader with workers', 'body'],
  ['loader-item', 'a failing item in a shuffled loader with workers', 'WorkerError'],
  ['drop', 'a workerMap iterator dropped after one item (never returned)', 'ok'],
  ['loader-drop', 'a loader iterator with workers dropped after one batch (never returned)', 'ok'],
];

describe('loader and workerMap faults, in child processes', () => {
  for (const [scenario, what, outcome] of scenarios) {
    it(`${what}: the code after the loop runs, ${RUNS} times out of ${RUNS}, no worker thread is left, and the process exits 0`, () => {
      const r = spawnSync(process.execPath, [tsx, program, scenario, String(RUNS)], { encoding: 'utf8', timeout: 540_000 });
      expect(r.stderr).toBe('');
      // Every run gave the same outcome: the error (if any) reached the caller.
      // `live 0`: no worker thread outlives its loop (a dropped iterator's, once it is garbage).
      expect(r.stdout).toMatch(new RegExp(`^after ${scenario} ${RUNS} ${outcome} 0 live 0\\n$`));
      expect(r.status).toBe(0);
    }, 600_000);
  }
});

describe('worker counts', () => {
  const items = new URL('./fixtures/faulty-items.mjs', import.meta.url);
  const dataset = { length: 16, get: (i: number) => i, origin: { url: items.href, exportName: 'default' } };

  it('refuses more workers than maxWorkers(), before starting any', () => {
    expect(maxWorkers()).toBeGreaterThanOrEqual(8);
    expect(() => workerMap(items, [1], { workers: 1000 })).toThrow(ValueError);
    expect(() => workerMap(items, [1], { workers: maxWorkers() + 1 })).toThrow(/workerMap: workers \d+ is more than the useful maximum/);
    expect(() => loader(dataset, { batchSize: 2, workers: 1000 })).toThrow(/loader: workers 1000 is more than the useful maximum/);
  });
});
