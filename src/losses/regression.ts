/** Regression losses: squared error, absolute error and Huber. */
import { ValueError } from '../core/errors.js';
import * as lax from '../lax/index.js';
import { pairLoss } from './shared.js';

/**
 * Mean squared error `(prediction - target)^2` (PyTorch's `MSELoss`). The
 * shapes must be equal: `[N, 1]` against `[N]` is a compile error and a
 * run-time `ShapeError`, never a silent `[N, N]` broadcast.
 * @example
 * ```ts
 * mse(tensor([1, 2, 3]), tensor([1, 2, 5]));                        // Tensor<[]>: 4/3
 * mse(tensor([1, 2, 3]), tensor([1, 2, 5]), { reduction: 'sum' });  // 4
 * mse(tensor([1, 2, 3]), tensor([1, 2, 5]), { reduction: 'none' }); // Tensor<[3]>: [0, 0, 4]
 * ```
 */
export const mse = pairLoss('mse', (p, t) => {
  const d = lax.sub(p, t);
  return lax.mul(d, d);
});

/**
 * Mean absolute error `|prediction - target|` (PyTorch's `L1Loss`); its
 * derivative at 0 is 0.
 * @example
 * ```ts
 * l1(tensor([1, 2, 3]), tensor([1, 2, 5])); // Tensor<[]>: 2/3
 * ```
 */
export const l1 = pairLoss('l1', (p, t) => lax.abs(lax.sub(p, t)));

/**
 * Huber loss (PyTorch's `HuberLoss`, default `delta` 1): `d^2 / 2` for
 * `|d| <= delta`, `delta (|d| - delta / 2)` beyond, with `d = prediction - target`.
 * @example
 * ```ts
 * huber(tensor([0, 0]), tensor([0.5, 3]), { reduction: 'none' });  // [0.125, 2.5]
 * huber(tensor([0, 0]), tensor([0.5, 3]), { delta: 2 });           // (0.125 + 4) / 2
 * ```
 */
export const huber = pairLoss<'huber', { readonly delta: number }>('huber', (p, t, options) => {
  const delta = options.delta ?? 1;
  if (typeof delta !== 'number' || !(delta > 0) || !Number.isFinite(delta)) throw new ValueError(`huber: delta must be a positive finite number, got ${String(delta)}`);
  const a = lax.abs(lax.sub(p, t));
  // min(|d|, delta) = q: loss = q (|d| - q / 2), which is d^2/2 inside and delta (|d| - delta/2) outside
  const q = lax.minimum(a, lax.scalarLike(delta, a));
  return lax.mul(q, lax.sub(a, lax.mul(q, lax.scalarLike(0.5, q))));
});
