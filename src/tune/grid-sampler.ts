/**
 * Grid search: every combination of the listed values, each tried once, in
 * an order drawn from the key (as Optuna's GridSampler picks a random
 * unvisited point). The point of a trial is recorded as its system attribute
 * `grid_id`; `optimize` stops when every point has a trial. Workers racing
 * for the last points may try one twice, as in Optuna.
 */
import { ValueError } from '../core/errors.js';
import type { Choice } from './distributions.js';
import { describeDistribution } from './distributions.js';
import type { FrozenTrial } from './frozen-trial.js';
import { samplerKey } from './random-sampler.js';
import { drawKey, uniforms } from './rng.js';
import type { Sampler, SeedOptions } from './sampler.js';
import { describeValue } from '../core/describe.js';
import { checkObject, checkOptions } from '../core/validate.js';

/**
 * The grid sampler over `grid` (parameter name to the values to try).
 *
 * @example
 * ```ts
 * import { tune } from 'typegrad';
 * const study = await tune.createStudy({ sampler: tune.grid({ lr: [1e-3, 1e-2], optimizer: ['sgd', 'adam'] }) });
 * await study.optimize((t) => t.float('lr', 1e-4, 1) * (t.categorical('optimizer', ['sgd', 'adam']) === 'adam' ? 1 : 2), { trials: 100 }); // runs 4
 * ```
 */
export function grid(space: Readonly<Record<string, readonly Choice[]>>, options: SeedOptions = {}): Sampler {
  checkObject('tune.grid', 'space', space);
  checkOptions('tune.grid', options);
  const key = samplerKey(options);
  const names = Object.keys(space).sort();
  for (const n of names) if (!Array.isArray(space[n]) || space[n]!.length === 0) throw new ValueError(`tune.grid: '${n}' needs a non-empty list of values`);
  const size = names.reduce((p, n) => p * space[n]!.length, 1);
  /** Point `id` in mixed radix, the last name varying fastest. */
  const point = (id: number): Record<string, Choice> => {
    const out: Record<string, Choice> = {};
    for (let i = names.length - 1; i >= 0; i--) {
      const values = space[names[i]!]!;
      out[names[i]!] = values[id % values.length]!;
      id = Math.floor(id / values.length);
    }
    return out;
  };
  const visited = (history: readonly FrozenTrial[]) => new Set(history.map((t) => t.systemAttrs['grid_id']).filter((v): v is number => typeof v === 'number'));
  return {
    name: 'grid',
    relative(ctx) {
      const seen = visited(ctx.history);
      const free = Array.from({ length: size }, (_, i) => i).filter((i) => !seen.has(i));
      const pool = free.length > 0 ? free : Array.from({ length: size }, (_, i) => i);
      const u = uniforms(drawKey(key, 2, ctx.trial.number, 'grid'), 1)[0]!;
      const id = pool[Math.min(pool.length - 1, Math.floor(u * pool.length))]!;
      return { params: point(id), systemAttrs: { grid_id: id } };
    },
    independent(ctx, name, dist) {
      if (!(name in space)) throw new ValueError(`tune.grid: trial ${ctx.trial.number} asks for '${name}', which is not in the grid (${names.join(', ')})`);
      const id = ctx.trial.systemAttrs['grid_id'];
      const v = typeof id === 'number' ? point(id)[name] : undefined;
      throw new ValueError(`tune.grid: the grid value ${describeValue(v)} of '${name}' is outside ${describeDistribution(dist)}`);
    },
    exhausted: (history) => visited(history).size >= size,
  };
}
