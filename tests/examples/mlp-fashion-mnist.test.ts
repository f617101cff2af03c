import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FASHION_MNIST_DIR } from '../../src/data/datasets.js';

const root = join(import.meta.dirname, '../..');
const run = (...args: string[]) => execFileSync('npx', ['tsx', 'examples/mlp-fashion-mnist.ts', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
const present = ['train-images-idx3-ubyte', 't10k-images-idx3-ubyte'].every(
  (name) => existsSync(join(FASHION_MNIST_DIR, `${name}.gz`)) || existsSync(join(FASHION_MNIST_DIR, name)),
);
const ABSENT = `Fashion-MNIST files not found in ${FASHION_MNIST_DIR} (apt-get install dataset-fashion-mnist): example not run`;
const accuracyOf = (out: string) => Number(/^Test accuracy: (\d\.\d{4})$/m.exec(out)?.[1]);

describe('examples/mlp-fashion-mnist.ts', () => {
  it('learns in a quick run (--limit 6400, two epochs), with plain progress lines outside a terminal', (ctx) => {
    if (!present) ctx.skip(ABSENT);
    const out = run('--epochs', '2', '--limit', '6400');
    expect(out).toContain('Fashion-MNIST: 6400 training and 6400 test images; 100 batches of 64 per epoch, 2 epochs');
    // Not a TTY: ten plain progress lines per epoch, no carriage returns.
    expect(out).not.toContain('\r');
    for (const e of [1, 2]) expect([...out.matchAll(new RegExp(`^epoch ${e}/2 \\d+/100 \\d+% [\\d.]+s loss [\\d.]+$`, 'gm'))]).toHaveLength(10);
    expect([...out.matchAll(/^Epoch [12]\/2: loss [\d.]+, test accuracy [\d.]+, [\d.]+s$/gm)]).toHaveLength(2);
    // Chance is 0.1; two epochs on 6400 images give about 0.77.
    expect(accuracyOf(out)).toBeGreaterThanOrEqual(0.7);
  });

  it('reaches 0.87 test accuracy in the full eight epochs (set TYPEGRAD_FULL_EXAMPLES=1; about two minutes)', (ctx) => {
    if (!present) ctx.skip(ABSENT);
    if (!process.env.TYPEGRAD_FULL_EXAMPLES) ctx.skip('full run skipped: set TYPEGRAD_FULL_EXAMPLES=1 to train for eight epochs');
    expect(accuracyOf(run())).toBeGreaterThanOrEqual(0.87);
  }, 600_000);

  it('resumes from a checkpoint bit for bit (--checkpoint, --stop-after)', (ctx) => {
    if (!present) ctx.skip(ABSENT);
    const [straight, resumed] = [mkdtempSync(join(tmpdir(), 'typegrad-mlp-a-')), mkdtempSync(join(tmpdir(), 'typegrad-mlp-b-'))];
    try {
      const args = ['--epochs', '2', '--limit', '640'];
      run(...args, '--checkpoint', straight);
      const first = run(...args, '--checkpoint', resumed, '--stop-after', '1');
      expect(first).not.toContain('Epoch 2/2');
      const second = run(...args, '--checkpoint', resumed);
      expect(second).toMatch(/^Resumed from .*ckpt-000000000010\.safetensors: epoch 1, step 10$/m);
      expect(second).not.toContain('Epoch 1/2');
      // The whole final checkpoint (parameters, Adam's moments and count, position, step) is the same file.
      const last = (dir: string) => readFileSync(join(dir, readdirSync(dir).filter((n) => n.startsWith('ckpt-')).sort().at(-1)!));
      expect(last(resumed).equals(last(straight))).toBe(true);
    } finally {
      rmSync(straight, { recursive: true, force: true });
      rmSync(resumed, { recursive: true, force: true });
    }
  });

  it('rejects bad options with a message', () => {
    expect(() => execFileSync('npx', ['tsx', 'examples/mlp-fashion-mnist.ts', '--epochs', '0'], { cwd: root, encoding: 'utf8', stdio: 'pipe' })).toThrow(
      /--epochs must be a positive integer, got 0/,
    );
  });
});

describe('examples/mlp-fashion-mnist.ts options', () => {
  const cli = (...args: string[]) => spawnSync('npx', ['tsx', 'examples/mlp-fashion-mnist.ts', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });

  it('--help prints the usage and exits 0, without loading data', () => {
    const r = cli('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: npx tsx examples\/mlp-fashion-mnist.ts/);
    expect(r.stdout).toContain('--limit N');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('an unknown option prints the message and the usage, exit 2, no stack trace', () => {
    const r = cli('--bogus');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Unknown option '--bogus'");
    expect(r.stderr).toContain('usage: npx tsx examples/mlp-fashion-mnist.ts');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
