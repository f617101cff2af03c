import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const run = (...args: string[]) => execFileSync('npx', ['tsx', 'examples/dataloader.ts', ...args], { cwd: root, encoding: 'utf8' });

describe('examples/dataloader.ts', () => {
  it('prints every fifth step of two epochs of 45 batches, loading with two workers', () => {
    const out = run();
    const lines = out.trim().split('\n');
    expect(lines[0]).toBe('178 samples, 45 batches of 4 per epoch, 2 worker threads');
    expect(lines[1]).toMatch(/^first batch: features \[4,13\], labels \[[123],[123],[123],[123]\]$/);
    const steps = lines.slice(2);
    expect(steps).toHaveLength(18);
    expect(steps[0]).toBe('epoch 1/2, step 5/45, inputs: 4 samples');
    expect(steps[9]).toBe('epoch 2/2, step 5/45, inputs: 4 samples');
    expect(steps[17]).toBe('epoch 2/2, step 45/45, inputs: 2 samples'); // 178 = 44 * 4 + 2: the short last batch is kept
  });

  it('gives the same batches with workers as without', () => {
    const withWorkers = run('--workers', '3').split('\n').slice(1);
    const without = run('--workers', '0').split('\n').slice(1);
    expect(withWorkers).toEqual(without);
  });
});
