// Our pruners against Optuna's (3.1): whole studies from the fixture (24
// trials of up to 30 steps, some with skipped steps or NaN values) run
// report by report through our study with the same pruner settings and
// study name; every should-prune answer must equal Optuna's. Fixture:
// scripts/tune-fixtures.py, run with /usr/bin/python3.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tune } from '../../src/index.js';

interface Spec {
  kind: 'median' | 'percentile' | 'successiveHalving' | 'hyperband';
  percentile?: number;
  options: Record<string, number>;
}
interface Case {
  pruner: Spec;
  direction: 'minimize' | 'maximize';
  studyName: string;
  trials: { steps: number[]; values: (number | null)[]; final: number }[];
  decisions: boolean[][];
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/pruners.json', import.meta.url), 'utf8')) as { cases: Case[] };

function makePruner(spec: Spec): tune.Pruner {
  switch (spec.kind) {
    case 'median':
      return tune.medianPruner(spec.options);
    case 'percentile':
      return tune.percentilePruner(spec.percentile!, spec.options);
    case 'successiveHalving':
      return tune.successiveHalvingPruner(spec.options);
    case 'hyperband':
      return tune.hyperbandPruner(spec.options);
  }
}

describe('pruners decide as Optuna does', () => {
  it('has cases', () => expect(fixture.cases.length).toBe(20));
  fixture.cases.forEach((c, i) => {
    it(`case ${i}: ${c.pruner.kind} ${JSON.stringify(c.pruner.options)} ${c.direction}`, async () => {
      const study = await tune.createStudy({ direction: c.direction, pruner: makePruner(c.pruner), studyName: c.studyName, sampler: tune.randomSampler() });
      for (const [n, t] of c.trials.entries()) {
        const trial = await study.ask();
        const ours: boolean[] = [];
        let pruned = false;
        for (const [j, step] of t.steps.entries()) {
          trial.report(t.values[j] ?? NaN, step);
          const p = trial.shouldPrune();
          ours.push(p);
          if (p) {
            pruned = true;
            break;
          }
        }
        expect(ours, `trial ${n}`).toEqual(c.decisions[n]);
        await study.tell(trial, pruned ? 'pruned' : t.final);
      }
    });
  });
});

describe('pruner rules', () => {
  it('nanPercentile interpolates linearly and ignores NaN, as numpy.nanpercentile', () => {
    expect(tune.nanPercentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(tune.nanPercentile([4, NaN, 1, 3, 2], 25)).toBe(1.75);
    expect(tune.nanPercentile([NaN], 50)).toBeNaN();
  });
  it('crc32 is the IEEE CRC of the UTF-8 bytes (as binascii.crc32)', () => {
    expect(tune.crc32('123456789')).toBe(0xcbf43926);
    expect(tune.crc32('fixture-0_3')).toBe(3235718415); // binascii.crc32(b'fixture-0_3')
  });
  it('rejects bad options with the option named', () => {
    expect(() => tune.percentilePruner(120)).toThrow(/percentile must be in \[0, 100\]/);
    expect(() => tune.medianPruner({ intervalSteps: 0 })).toThrow(/intervalSteps/);
    expect(() => tune.successiveHalvingPruner({ reductionFactor: 1 })).toThrow(/reductionFactor/);
    expect(() => tune.hyperbandPruner({ bootstrapCount: 2 })).toThrow(/maxResource/);
  });
});
