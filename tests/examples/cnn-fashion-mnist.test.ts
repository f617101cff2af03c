import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FASHION_MNIST_DIR } from '../../src/data/datasets.js';

const root = join(import.meta.dirname, '../..');
const run = (...args: string[]) => execFileSync('npx', ['tsx', 'examples/cnn-fashion-mnist.ts', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
const present = ['train-images-idx3-ubyte', 't10k-images-idx3-ubyte'].every(
  (name) => existsSync(join(FASHION_MNIST_DIR, `${name}.gz`)) || existsSync(join(FASHION_MNIST_DIR, name)),
);
const accuracyOf = (out: string) => Number(/^Test accuracy: (\d\.\d{4})$/m.exec(out)?.[1]);

describe('examples/cnn-fashion-mnist.ts', () => {
  it('learns in --quick mode (one epoch of 2048 images, augmented), printing progress and the epoch time', (ctx) => {
    if (!present) ctx.skip(`Fashion-MNIST files not found in ${FASHION_MNIST_DIR} (apt-get install dataset-fashion-mnist): example not run`);
    const out = run('--quick', '--augment');
    expect(out).toContain('Fashion-MNIST CNN: 2048 training and 1000 test images; 32 batches of 64 per epoch, 1 epochs, augmented');
    expect(out).not.toContain('\r');
    expect([...out.matchAll(/^epoch 1\/1 \d+\/32 \d+% [\d.]+s loss [\d.]+$/gm)].length).toBeGreaterThan(0);
    expect(out).toMatch(/^Epoch 1\/1: loss [\d.]+, test accuracy [\d.]+, [\d.]+s$/m);
    expect(out).toMatch(/^Epoch times: [\d.]+s$/m);
    // Chance is 0.1; 32 steps reach about 0.6.
    expect(accuracyOf(out)).toBeGreaterThanOrEqual(0.35);
  }, 300_000);

  it('rejects bad options with a message', () => {
    expect(() => execFileSync('npx', ['tsx', 'examples/cnn-fashion-mnist.ts', '--epochs', '0'], { cwd: root, encoding: 'utf8', stdio: 'pipe' })).toThrow(
      /--epochs must be a positive integer, got 0/,
    );
  });
});
