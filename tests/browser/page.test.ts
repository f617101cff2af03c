/**
 * The tutorial page (examples/browser/) in headless Chromium: bundled with
 * esbuild, served from 127.0.0.1, once cross-origin isolated (COOP/COEP:
 * WebAssembly kernels with shared memory and a kernel Web Worker) and once
 * not (the same results on one thread). Reads the printed results from the
 * page and saves a screenshot to .browser-test/tutorial.png.
 * Skips (with a note) where no Chromium is installed; `.ci/run` installs it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPage, serve } from '../../scripts/browser-page.mjs';
import { chromiumPath, parseResults, runPage } from './chromium.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'typegrad-page-'));
if (chromiumPath === undefined) console.warn('browser test: no chromium installed (apt-get install chromium); skipped');

describe.skipIf(chromiumPath === undefined)('the tutorial page in headless Chromium', () => {
  beforeAll(async () => buildPage(dir), 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const isolated of [true, false]) {
    it(`trains and prints its results (${isolated ? 'cross-origin isolated: kernel workers' : 'not isolated: one thread'})`, { timeout: 180_000 }, async () => {
      const { server, url } = await serve(dir, { isolated });
      try {
        const run = await runPage(url, 150_000);
        const shots = join(root, '.browser-test');
        mkdirSync(shots, { recursive: true });
        writeFileSync(join(shots, isolated ? 'tutorial.png' : 'tutorial-not-isolated.png'), run.png);
        const r = parseResults(run.results);
        expect(run.status, `${run.log}\n${run.console.join('\n')}`).toBe('done');
        expect(run.png.subarray(1, 4).toString()).toBe('PNG');
        expect(r['crossOriginIsolated']).toBe(isolated);
        // The tutorial's backprop section: loss 1, gradient -2.
        expect(r['backpropLoss']).toBe(1);
        expect(r['backpropGrad']).toBe(-2);
        // The logistic regression: 100 epochs, the loss falls, the test accuracy is the tutorial's.
        expect(r['epochs']).toBe(100);
        expect(r['lastLoss']).toBeLessThan(0.5 * (r['firstLoss'] as number));
        expect(r['testAccuracy']).toBeGreaterThanOrEqual(0.9);
        expect(run.log).toContain('Epoch 100: Loss:');
        // The 512 x 512 matmul runs in WebAssembly, with a kernel worker on shared memory only when isolated.
        expect(r['matmul.wasm']).toBe(true);
        expect(r['matmul.maxError']).toBeLessThan(1e-3);
        expect(r['matmul.sharedMemory']).toBe(isolated);
        if (!isolated) expect(r['matmul.workerChunks']).toBe(0);
        else expect(r['matmul.workersReady']).toBeGreaterThan(0);
      } finally {
        server.close();
      }
    });
  }
});
