/**
 * The benchmark harness's paired measurement: both bodies sampled in
 * alternation, round by round (the ratio of the two is what the V
 * workloads report). No timing is asserted: only what was called, in which
 * order, and the shape of the result.
 */
import { describe, expect, it } from 'vitest';
import { measurePaired } from '../../bench/harness.js';

describe('measurePaired', () => {
  it('takes one sample of each body per round, alternating which goes first, and reports the median per-round ratio', async () => {
    const log: string[] = [];
    const body = (name: string) => () => {
      log.push(name);
    };
    const { a, b, ratio } = await measurePaired(body('a'), body('b'), { samples: 5, inner: 2, warmupCalls: 1, warmupMs: 0 });
    expect(a.samples).toBe(5);
    expect(b.samples).toBe(5);
    expect(a.inner).toBe(2);
    expect(b.inner).toBe(2);
    expect(Number.isFinite(ratio) && ratio > 0).toBe(true);
    // After warm-up, the last 20 calls are the 5 rounds of 2 + 2 calls: a a b b, b b a a, a a b b, ...
    const rounds = log.slice(-20).join('');
    expect(rounds).toBe('aabbbbaaaabbbbaaaabb');
  });
});
