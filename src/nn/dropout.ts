/**
 * Dropout: in `'train'` mode, zeroes each element with probability `rate`
 * (drawn from an explicit key) and scales the rest by `1 / (1 - rate)`; in
 * `'eval'` mode, the identity. The mode is a required argument.
 */
import type { FloatDType } from '../core/dtype.js';
import { DTypeError, ValueError } from '../core/errors.js';
import { type AnyTensor, Tensor, dimsOf } from '../core/tensor.js';
import * as lax from '../lax/index.js';
import { bernoulli } from '../random/distributions.js';
import { isKey } from '../random/key.js';
import { type Layer, type ModeOptions, modeOf } from './layer.js';

/**
 * A dropout layer (inverted dropout, as PyTorch's `nn.Dropout`). Its
 * parameter tree is empty (`[]`); `apply` needs `{ mode }`, and a `key` in
 * `'train'` mode. Inside `sequential`, pass one key to the whole model.
 *
 * @example
 * ```ts
 * const drop = nn.dropout(0.5);
 * drop.apply([], h, { mode: 'train', key: random.key(1) }); // about half zeroed, the rest doubled
 * drop.apply([], h, { mode: 'eval' });                       // h
 * ```
 */
export function dropout(rate: number): Layer<[], [], [], FloatDType, 'same', true> {
  const name = `dropout(${rate})`;
  if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) throw new ValueError(`dropout: rate must be in [0, 1], got ${String(rate)}`);
  return Object.freeze({
    kind: 'layer',
    name,
    inFeatures: Object.freeze([]) as unknown as [],
    outFeatures: Object.freeze([]) as unknown as [],
    needsMode: true,
    usesKey: true,
    init: () => [] as [],
    apply(_params: unknown, x: unknown, options?: ModeOptions) {
      const mode = modeOf(name, options, true);
      if (!(x instanceof Tensor) || (x.dtype !== 'float32' && x.dtype !== 'float64')) {
        throw new DTypeError(`${name}: the input must be a float tensor, got ${x instanceof Tensor ? x.dtype : typeof x}`);
      }
      const t = x as AnyTensor;
      if (mode === 'eval' || rate === 0) return t as never;
      const key = options?.key;
      if (!isKey(key)) throw new ValueError(`${name}: mode 'train' needs a key: apply(params, x, { mode: 'train', key })`);
      if (rate === 1) return lax.mul(t, lax.scalarLike(0, t)) as never;
      const keep = bernoulli(key, 1 - rate, dimsOf(t)) as unknown as AnyTensor;
      // kept elements scaled by 1 / (1 - rate), so the expectation is unchanged
      return lax.where(keep, lax.mul(t, lax.scalarLike(1 / (1 - rate), t)), lax.scalarLike(0, t)) as never;
    },
  }) as unknown as Layer<[], [], [], FloatDType, 'same', true>;
}
