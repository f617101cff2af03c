// The two-moons example runs, quickly, and reaches at least 95% test accuracy.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('examples/two-moons.ts', () => {
  it('trains an MLP to >= 95% accuracy in a few seconds', () => {
    const root = join(import.meta.dirname, '..', '..');
    const out = execFileSync(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'examples', 'two-moons.ts')], { cwd: root, encoding: 'utf8', timeout: 300_000 });
    const m = /test accuracy ([\d.]+)%/.exec(out);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(95);
    const secs = Number(/in ([\d.]+) s/.exec(out)![1]);
    expect(secs).toBeLessThan(20);
  });
});
