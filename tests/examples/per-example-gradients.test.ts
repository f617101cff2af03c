import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');

describe('examples/per-example-gradients.ts', () => {
  let out = '';
  beforeAll(() => {
    out = execFileSync('npx', ['tsx', 'examples/per-example-gradients.ts'], { cwd: root, encoding: 'utf8' });
  });

  it('trains with clipped, noised per-example gradients: the train loss falls every 5 epochs', () => {
    const losses = [...out.matchAll(/^Epoch +(\d+): train loss (\d\.\d{3})$/gm)].map((m) => Number(m[2]));
    expect(losses).toHaveLength(4);
    expect(losses[3]!).toBeLessThan(losses[0]!);
    expect(losses[0]!).toBeLessThan(0.3);
  });

  it('clips some but not all per-example gradients', () => {
    const m = /^Clipped (\d+\.\d)% of the per-example gradients to norm 1$/m.exec(out);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(0);
    expect(Number(m![1])).toBeLessThan(100);
  });

  it('reaches a test accuracy of at least 0.93', () => {
    const m = /^Test accuracy: (\d\.\d{3})$/m.exec(out);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(0.93);
  });
});
