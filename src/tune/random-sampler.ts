/**
 * Random search: each parameter drawn uniformly in its draw space (so
 * log-uniform for log distributions, every int and grid point equally
 * likely), independently of the history.
 */
import { key as makeKey, type Key } from '../random/key.js';
import type { Distribution } from './distributions.js';
import { drawKey, uniforms } from './rng.js';
import type { Sampler, SeedOptions } from './sampler.js';
import { drawBounds, fromDrawSpace } from './space.js';
import { checkObject, checkOptions } from '../core/validate.js';

/** The key of a sampler's options: `key`, else `random.key(seed ?? 0)`. */
export function samplerKey(options: SeedOptions): Key {
  checkObject('tune.samplerKey', 'options', options);
  return options.key ?? makeKey(options.seed ?? 0);
}

/**
 * One uniform draw from a distribution, as an internal value, given u in [0, 1).
 *
 * @example
 * ```ts
 * uniformDraw({ kind: 'categorical', choices: ['a', 'b'] }, 0.7); // 1
 * ```
 */
export function uniformDraw(dist: Distribution, u: number): number {
  if (dist.kind === 'categorical') return Math.min(dist.choices.length - 1, Math.floor(u * dist.choices.length));
  const { low, high } = drawBounds(dist);
  return fromDrawSpace(dist, low + u * (high - low));
}

/**
 * The random sampler. The draw of parameter `name` in trial `n` depends only
 * on the key, `n` and `name`.
 *
 * @example
 * ```ts
 * import { tune } from 'typegrad';
 * const study = await tune.createStudy({ sampler: tune.randomSampler({ seed: 1 }) });
 * ```
 */
export function randomSampler(options: SeedOptions = {}): Sampler {
  checkOptions('tune.randomSampler', options);
  const key = samplerKey(options);
  return {
    name: 'random',
    independent: (ctx, name, dist) => uniformDraw(dist, uniforms(drawKey(key, 0, ctx.trial.number, name), 1)[0]!),
  };
}
