// The ask/tell core: trial states and tell rules as in Optuna, the
// define-by-run API (same name, same value; conflicts are named errors),
// failures recorded with their error, the log replay as a pure function.
import { describe, expect, it } from 'vitest';
import { ValueError, tune } from '../../src/index.js';

describe('ask and tell', () => {
  it('numbers trials 0, 1, ... and records values, params and states', async () => {
    const study = await tune.createStudy({ sampler: tune.randomSampler({ seed: 3 }) });
    const a = await study.ask();
    const b = await study.ask();
    expect([a.number, b.number]).toEqual([0, 1]);
    const x = a.float('x', -1, 1);
    await study.tell(a, x * x);
    await study.tell(b, 'fail', new RangeError('boom'));
    expect(study.trials.map((t) => t.state)).toEqual(['complete', 'fail']);
    expect(study.trials[0]!.value).toBe(x * x);
    expect(study.trials[0]!.params).toEqual({ x });
    expect(study.trials[1]!.error).toBe('RangeError: boom');
    expect(study.best).toMatchObject({ value: x * x, params: { x } });
  });

  it('fails a trial told NaN or Infinity, and says why', async () => {
    const study = await tune.createStudy();
    const t = await study.ask();
    const done = await study.tell(t, NaN);
    expect(done.state).toBe('fail');
    expect(done.error).toMatch(/returned NaN/);
    expect(() => study.best).toThrow(ValueError);
  });

  it('keeps the last finite intermediate value of a pruned trial', async () => {
    const study = await tune.createStudy();
    const t = await study.ask();
    t.report(0.9, 0);
    t.report(0.7, 1);
    const done = await study.tell(t, 'pruned');
    expect(done).toMatchObject({ state: 'pruned', value: 0.7 });
    expect([...done.intermediate]).toEqual([[0, 0.9], [1, 0.7]]);
  });

  it('refuses to tell a finished trial twice, or to use it', async () => {
    const study = await tune.createStudy();
    const t = await study.ask();
    await study.tell(t, 1);
    await expect(study.tell(t, 2)).rejects.toThrow(tune.TrialStateError);
    await expect(study.tell(t, 2)).rejects.toThrow(/trial 0 is already complete/);
    expect(() => t.float('x', 0, 1)).toThrow(tune.TrialStateError);
  });

  it('maximize picks the largest value', async () => {
    const study = await tune.createStudy({ direction: 'maximize' });
    for (const v of [1, 5, 3]) await study.tell(await study.ask(), v);
    expect(study.best.value).toBe(5);
    expect(study.best.trial.number).toBe(1);
  });

  it('keeps user attributes', async () => {
    const study = await tune.createStudy();
    const t = await study.ask();
    t.setUserAttr('accuracy', 0.87);
    await study.tell(t, 1);
    expect(study.trials[0]!.userAttrs).toEqual({ accuracy: 0.87 });
  });
});

describe('define-by-run suggestions', () => {
  it('returns the same value for the same name, and typed values in range', async () => {
    const study = await tune.createStudy({ sampler: tune.randomSampler({ seed: 1 }) });
    const t = await study.ask();
    const lr = t.float('lr', 1e-5, 1e-1, { log: true });
    expect(t.float('lr', 1e-5, 1e-1, { log: true })).toBe(lr);
    const n = t.int('n', 1, 9, { step: 2 });
    expect([1, 3, 5, 7, 9]).toContain(n);
    const o = t.categorical('opt', ['sgd', 'adam'] as const);
    expect(t.categorical('opt', ['sgd', 'adam'] as const)).toBe(o);
    expect(t.params).toEqual({ lr, n, opt: o });
  });

  it('a conflicting redefinition is a ParamConflictError naming both distributions', async () => {
    const study = await tune.createStudy();
    const t = await study.ask();
    t.float('lr', 0, 1);
    expect(() => t.int('lr', 0, 1)).toThrow(tune.ParamConflictError);
    expect(() => t.float('lr', 0, 2)).toThrow(/'lr' was float \[0, 1\] in trial 0 and is now float \[0, 2\]/);
    await study.tell(t, 1);
    const u = await study.ask();
    expect(() => u.categorical('lr', ['a'])).toThrow(/earlier trials/);
    expect(() => u.float('lr', 0, 5)).not.toThrow(); // a new range for the same kind is allowed, as in Optuna
  });

  it('checks arguments and names the parameter', async () => {
    const t = await (await tune.createStudy()).ask();
    expect(() => t.float('a', 0, 1, { log: true })).toThrow(/trial.float\('a'\): log needs low > 0/);
    expect(() => t.float('b', 1, 0)).toThrow(/need low <= high/);
    expect(() => t.int('c', 0.5, 3)).toThrow(/integers/);
    expect(() => t.float('d', 1, 2, { log: true, step: 0.1 })).toThrow(/log and step/);
    expect(() => t.categorical('e', [])).toThrow(/non-empty/);
    expect(() => t.report(1, -1)).toThrow(/step must be a non-negative integer/);
  });

  it('moves high onto the step grid', () => {
    expect(tune.floatDistribution('d', 0, 0.5, { step: 0.2 }).high).toBe(0.4);
    expect(tune.intDistribution('u', 4, 130, { step: 8 }).high).toBe(124);
    expect(tune.floatDistribution('d', 0.1, 1, { step: 0.1 }).high).toBe(1);
  });
});

describe('optimize', () => {
  it('records a pruned trial, and records then rethrows an objective error', async () => {
    const study = await tune.createStudy({ sampler: tune.randomSampler() });
    let calls = 0;
    await expect(
      study.optimize((trial) => {
        calls++;
        if (trial.number === 0) throw new tune.TrialPruned();
        if (trial.number === 1) throw new Error('diverged');
        return 1;
      }, { trials: 5 }),
    ).rejects.toThrow('diverged');
    expect(calls).toBe(2);
    expect(study.trials.map((t) => t.state)).toEqual(['pruned', 'fail']);
    expect(study.trials[1]!.error).toBe('Error: diverged');
  });

  it('with catch: true goes on after failures, and never loses one', async () => {
    const study = await tune.createStudy({ sampler: tune.randomSampler() });
    const r = await study.optimize((trial) => {
      if (trial.number % 3 === 0) throw new Error(`bad ${trial.number}`);
      return trial.number;
    }, { trials: 9, catch: true, parallel: 3 });
    expect(r).toEqual({ complete: 6, pruned: 0, failed: 3 });
    expect(study.trials.filter((t) => t.state === 'fail').map((t) => t.error).sort()).toEqual(['Error: bad 0', 'Error: bad 3', 'Error: bad 6']);
  });

  it('runs async objectives concurrently with parallel', async () => {
    const study = await tune.createStudy({ sampler: tune.randomSampler() });
    let inFlight = 0;
    let most = 0;
    await study.optimize(async (trial) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return trial.float('x', 0, 1);
    }, { trials: 8, parallel: 4 });
    expect(study.trials.length).toBe(8);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(4);
  });

  it('writes a progress line per finished trial when not a TTY', async () => {
    const study = await tune.createStudy({ sampler: tune.randomSampler() });
    const lines: string[] = [];
    await study.optimize((t) => {
      if (t.number === 1) throw new tune.TrialPruned();
      return t.float('x', 0, 1);
    }, { trials: 3, progress: { write: (s: string) => lines.push(s) } });
    expect(lines.length).toBe(3);
    expect(lines[1]).toMatch(/^trial 2\/3 pruned best [\d.]+ \(#0\) pruned 1 failed 0/);
  });

  it('redraws one line in place on a TTY', async () => {
    const study = await tune.createStudy({ sampler: tune.randomSampler() });
    let text = '';
    await study.optimize((t) => t.float('x', 0, 1), { trials: 3, progress: { isTTY: true, write: (s: string) => (text += s) } });
    expect(text.match(/\r/g)!.length).toBe(3);
    expect(text).toMatch(/\rtrial 3\/3  best [\d.]+ \(#\d\)  pruned 0  failed 0  [\d.]+s\x1b\[K\n$/);
  });

  it('prints a table with the best trial marked', async () => {
    const study = await tune.createStudy({ sampler: tune.randomSampler() });
    for (const v of [3, 1, 2]) {
      const t = await study.ask();
      t.categorical('opt', ['sgd', 'adam']);
      await study.tell(t, v);
    }
    const rows = study.table().split('\n');
    expect(rows[0]).toMatch(/^#\s+state\s+value\s+opt\s+last step$/);
    expect(rows[2]).toMatch(/^1\*\s+complete\s+1\s/);
  });
});

describe('the log replay', () => {
  it('is pure: applying an op never changes the input state', () => {
    const s0 = tune.emptyState('minimize');
    const s1 = tune.applyOp(s0, { op: 'create', uid: 'a', worker: 'w', at: 0 });
    const s2 = tune.applyOp(s1, { op: 'report', n: 0, step: 0, value: 1 });
    const s3 = tune.applyOp(s2, { op: 'finish', n: 0, state: 'complete', value: 1, error: null, at: 1 });
    expect(s0.trials).toEqual([]);
    expect(s1.trials[0]!.intermediate.size).toBe(0);
    expect(s2.trials[0]!.state).toBe('running');
    expect(s3.trials[0]!.state).toBe('complete');
  });
  it('the first finish wins, so a trial declared dead stays failed', () => {
    const s = tune.replay('minimize', [
      { op: 'create', uid: 'a', worker: 'w', at: 0 },
      { op: 'finish', n: 0, state: 'fail', value: null, error: 'no heartbeat', at: 5 },
      { op: 'finish', n: 0, state: 'complete', value: 1, error: null, at: 6 },
    ]);
    expect(s.trials[0]).toMatchObject({ state: 'fail', error: 'no heartbeat' });
  });
  it('numbers trials by their place in the log; a replayed create is ignored', () => {
    const create = (uid: string) => ({ op: 'create', uid, worker: 'w', at: 0 }) as const;
    const s = tune.replay('minimize', [create('x'), create('y'), create('x')]);
    expect(s.trials.length).toBe(2);
    expect(s.numbers.get('y')).toBe(1);
  });
});
