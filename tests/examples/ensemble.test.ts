import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

describe('examples/ensemble.ts', () => {
  let out = '';
  beforeAll(() => {
    out = execFileSync('npx', ['tsx', 'examples/ensemble.ts'], { cwd: root, encoding: 'utf8' });
  });

  it('trains 8 members at once: 8 train losses every 100 steps, falling', () => {
    const rows = [...out.matchAll(/^Step (\d+): train loss per member ((?:\d\.\d{3} ?){8})$/gm)].map((m) => m[2]!.trim().split(' ').map(Number));
    expect(rows).toHaveLength(3);
    for (let k = 0; k < 8; k++) expect(rows[2]![k]!).toBeLessThan(rows[0]![k]!);
    expect(new Set(rows[0]).size).toBeGreaterThan(1); // independently initialised: the members differ
  });

  it('reports 8 different members whose accuracies spread around a good mean', () => {
    const accs = /^Member test accuracies: (.*)$/m.exec(out)![1]!.split(' ').map(Number);
    expect(accs).toHaveLength(8);
    for (const a of accs) expect(a).toBeGreaterThanOrEqual(0.9);
    const m = /^Spread: min (\d\.\d{3}), max (\d\.\d{3}), mean (\d\.\d{3}), std (\d\.\d{3})$/m.exec(out);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBe(Math.min(...accs));
    expect(Number(m![2])).toBe(Math.max(...accs));
    expect(Number(m![3])).toBeGreaterThanOrEqual(0.93);
    expect(Number(/^Averaged ensemble test accuracy: (\d\.\d{3})$/m.exec(out)![1])).toBeGreaterThanOrEqual(0.93);
  });
});
