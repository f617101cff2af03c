import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

describe('examples/logistic-regression.ts', () => {
  let out = '';
  beforeAll(() => {
    out = execFileSync('npx', ['tsx', 'examples/logistic-regression.ts'], { cwd: root, encoding: 'utf8' });
  });

  it('splits 455 / 114 and prints the loss every 10 epochs, falling', () => {
    expect(out).toContain('train: 455 samples, test: 114 samples, 30 features');
    const lines = [...out.matchAll(/^Epoch +(\d+): Loss: (0\.\d{3})$/gm)];
    expect(lines.map((m) => Number(m[1]))).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    const losses = lines.map((m) => Number(m[2]));
    for (let k = 1; k < losses.length; k++) expect(losses[k]).toBeLessThan(losses[k - 1]!);
    expect(out).toMatch(/^Epoch  10: Loss: 0\.\d{3}$/m); // the tutorial's layout
  });

  it('reaches a test accuracy of at least 0.94 (PyTorch: 0.947)', () => {
    const m = /^Test accuracy: (\d\.\d{3})$/m.exec(out);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(0.94);
  });

  it('is what npm start runs', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe('tsx examples/logistic-regression.ts');
  });
});
