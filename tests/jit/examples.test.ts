/**
 * Every example runs its training step under jit; its loss curve must equal
 * the eager one (`--eager`) within 1e-5, step by step.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FASHION_MNIST_DIR } from '../../src/data/datasets.js';

const root = join(import.meta.dirname, '../..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

function losses(script: string, ...args: string[]): number[] {
  const out = execFileSync(tsx, [join(root, 'examples', script), '--losses', ...args], { cwd: root, encoding: 'utf8', timeout: 300_000, env: { ...process.env, FORCE_COLOR: '0' } });
  return [...out.matchAll(/^loss (\d+) (\S+)$/gm)].map((m, i) => {
    expect(Number(m[1])).toBe(i + 1);
    return Number(m[2]);
  });
}

function expectSameCurve(script: string, steps: number, ...args: string[]): void {
  const staged = losses(script, ...args);
  const eager = losses(script, '--eager', ...args);
  expect(staged).toHaveLength(steps);
  expect(eager).toHaveLength(steps);
  const worst = Math.max(...staged.map((l, i) => Math.abs(l - eager[i]!)));
  expect(worst).toBeLessThanOrEqual(1e-5);
  // The curve is a training curve: it falls.
  expect(staged[steps - 1]!).toBeLessThan(staged[0]!);
}

describe('examples: the jitted training step gives the eager loss curve', () => {
  it('logistic regression (npm start): 100 epochs', () => expectSameCurve('logistic-regression.ts', 100), 300_000);

  it('two moons: 400 AdamW steps with a warmup-cosine schedule', () => expectSameCurve('two-moons.ts', 400), 300_000);

  it('MLP on Fashion-MNIST: 100 Adam steps with a cosine schedule', (ctx) => {
    const present = ['train-images-idx3-ubyte', 't10k-images-idx3-ubyte'].every(
      (name) => existsSync(join(FASHION_MNIST_DIR, `${name}.gz`)) || existsSync(join(FASHION_MNIST_DIR, name)),
    );
    if (!present) ctx.skip(`Fashion-MNIST files not found in ${FASHION_MNIST_DIR}: example not run`);
    expectSameCurve('mlp-fashion-mnist.ts', 100, '--epochs', '1', '--limit', '6400');
  }, 300_000);
});
