import { describe, expect, it } from 'vitest';
import { progressBar } from '../../src/cli/progress.js';
import { ValueError } from '../../src/core/errors.js';

/** A stream that records what is written, and a clock the test moves. */
function fakes(isTTY: boolean) {
  const chunks: string[] = [];
  let t = 0;
  return { stream: { isTTY, write: (s: string) => chunks.push(s) }, chunks, now: () => t, tick: (ms: number) => (t += ms) };
}

describe('progressBar (used by the examples)', () => {
  it('writes ten plain lines and a final one outside a terminal', () => {
    const f = fakes(false);
    const bar = progressBar({ total: 200, label: 'epoch 1/2', stream: f.stream, now: f.now });
    for (let i = 1; i <= 200; i++) {
      f.tick(10);
      bar.update(i, `loss ${(1 / i).toFixed(2)}`);
    }
    expect(bar.done('done')).toBeCloseTo(2, 6);
    const lines = f.chunks.join('').split('\n').filter(Boolean);
    expect(lines).toHaveLength(10); // nine marks (10%..90%) and the final line
    expect(lines[0]).toBe('epoch 1/2 20/200 10% 0.2s loss 0.05');
    expect(lines[9]).toBe('epoch 1/2 200/200 100% 2.0s done');
    expect(f.chunks.join('')).not.toContain('\r');
  });

  it('redraws one line in a terminal, at most every 100 ms, and ends it', () => {
    const f = fakes(true);
    const bar = progressBar({ total: 10, label: 'train', stream: f.stream, width: 10, now: f.now });
    bar.update(1); // first draw
    f.tick(50);
    bar.update(2); // too soon: skipped
    f.tick(60);
    bar.update(5, 'loss 0.5');
    bar.update(10); // the end is always drawn
    bar.done();
    expect(f.chunks.filter((c) => c.startsWith('\r'))).toHaveLength(4);
    expect(f.chunks[1]).toBe('\rtrain [#####.....] 5/10  50%  0.1s  loss 0.5\x1b[K');
    expect(f.chunks.at(-1)).toBe('\n');
  });

  it('rejects a bad total', () => {
    expect(() => progressBar({ total: -1 })).toThrow(ValueError);
    expect(() => progressBar({ total: 1.5 })).toThrow(ValueError);
  });
});
