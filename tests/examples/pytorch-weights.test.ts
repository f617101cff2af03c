import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'typegrad-ptw-'));
const out = join(dir, 'logreg.safetensors');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PYTHON = '/usr/bin/python3';
const probe = spawnSync(PYTHON, ['-c', 'import numpy, torch'], { encoding: 'utf8' });
if (probe.status !== 0) console.warn(`examples/pytorch-weights: the PyTorch side is skipped: ${PYTHON} with numpy and torch is not available`);

describe('examples/pytorch-weights.ts', () => {
  let text = '';
  beforeAll(() => {
    text = execFileSync('npx', ['tsx', 'examples/pytorch-weights.ts', '--out', out], { cwd: root, encoding: 'utf8' });
  });
  it('trains, exports linear.weight [1, 30] and linear.bias [1], and reads them back identically', () => {
    expect(text).toMatch(/^typegrad test accuracy: 0\.9\d\d$/m);
    expect(text).toContain('(linear.bias [1], linear.weight [1, 30])');
    expect(text).toContain('read back into typegrad: identical parameters');
    expect(text).toMatch(/^total +31 {2}\(124 B\)$/m);
  });
  it.skipIf(probe.status !== 0)('PyTorch loads the state dict (strict) and predicts what typegrad predicts', () => {
    const py = spawnSync(PYTHON, [join(root, 'examples/pytorch-weights.py'), out], { encoding: 'utf8' });
    expect(py.stderr).toBe('');
    const { accuracy, max_abs_diff } = JSON.parse(py.stdout) as { accuracy: number; max_abs_diff: number };
    const ours = Number(/^typegrad test accuracy: (0\.\d+)$/m.exec(text)![1]);
    expect(accuracy.toFixed(3)).toBe(ours.toFixed(3));
    expect(max_abs_diff).toBeLessThan(1e-6);
  });
});
