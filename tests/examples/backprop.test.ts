import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const run = (...args: string[]) => execFileSync('npx', ['tsx', ...args], { cwd: root, encoding: 'utf8' });

describe('examples/backprop.ts', () => {
  it('prints loss 1 and gradient -2 at w = 1, then gradient descent lowers the loss', () => {
    const out = run('examples/backprop.ts');
    expect(out).toContain('loss at w = 1: 1\n');
    expect(out).toContain('dloss/dw at w = 1: -2\n');
    const losses = [...out.matchAll(/^step \d: loss ([\d.]+), w ([\d.]+)$/gm)].map((m) => Number(m[1]));
    expect(losses).toHaveLength(5);
    // lr 0.1: w_{k+1} = w_k + 0.2 (2 - w_k), so the error shrinks by 0.8 and the loss by 0.64 each step.
    losses.forEach((l, k) => expect(l).toBeCloseTo(0.64 ** k, 3));
  });
});
