/**
 * Gradient accumulation: `multiSteps(opt, { everyK: 4 })` sums the
 * gradients of 4 calls and runs `opt` on their mean at every 4th call,
 * returning zero updates in between (optax's `MultiSteps`).
 */
import { ValueError } from '../core/errors.js';
import type { AnyTensor } from '../core/tensor.js';
import * as lax from '../lax/index.js';
import { type GradientTransformation, type StateFn, type StateOf, checkParams, countField, field, transformation } from './base.js';
import { alloc, storages, wrap } from './fused.js';
import { scaleLeaves } from './transforms.js';
import { rebuild, zipTrees } from './tree.js';
import { checkObject } from '../core/validate.js';

/** The state of {@link multiSteps}. */
export interface MultiStepsState<P, Inner> {
  /** Calls since the last real update (0 .. everyK - 1). */
  readonly miniStep: number;
  /** Real updates so far. */
  readonly gradientStep: number;
  /** The sum of the gradients since the last real update. */
  readonly accumulated: P;
  /** The wrapped transformation's state. */
  readonly inner: Inner;
}

/** The {@link StateFn} of {@link multiSteps}. */
export interface MultiStepsStateFn<F extends StateFn> extends StateFn {
  readonly state: MultiStepsState<this['P'], StateOf<F, this['P']>>;
}

/** Options of {@link multiSteps}. */
export interface MultiStepsOptions {
  /** Calls per real update. */
  readonly everyK: number;
  /** Pass the mean of the accumulated gradients (true, default) or their sum. */
  readonly useMean?: boolean;
}

/**
 * Accumulates gradients over `everyK` calls and applies `inner` to their
 * mean on the last one; the other calls return zero updates and leave
 * `inner`'s state alone. Training with a batch of B and `everyK: k` matches
 * a batch of `k B` for losses that average over the batch.
 *
 * @example
 * ```ts
 * const opt = optim.multiSteps(optim.adam(1e-3), { everyK: 4 });
 * let state = opt.init(params);
 * for (const batch of batches) ({ params, state } = opt.step(params, grad(loss)(params, batch), state));
 * state.gradientStep; // real updates so far
 * ```
 */
export function multiSteps<F extends StateFn, PC>(
  inner: GradientTransformation<F, PC>,
  options: MultiStepsOptions,
): GradientTransformation<MultiStepsStateFn<F>, PC> {
  checkObject('optim.multiSteps', 'options', options);
  const name = 'multiSteps';
  const k = options.everyK;
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1) throw new ValueError(`${name}: everyK must be a positive integer, got ${String(k)}`);
  const useMean = options.useMean !== false;
  const zerosLike = (leaves: readonly AnyTensor[]) => leaves.map((p) => lax.fill(p.shape as readonly number[], 0, p.dtype));
  return transformation(
    `${name}(${inner.name})`,
    (params) => {
      const { skeleton, leaves } = zipTrees(`${name}.init`, [params], ['params']);
      return { miniStep: 0, gradientStep: 0, accumulated: rebuild(skeleton, zerosLike(leaves[0]!)), inner: inner.init(params as PC) };
    },
    (updates, state, params, ctx) => {
      checkParams(ctx, updates, params);
      const mini = countField(ctx, state, 'miniStep');
      const steps = countField(ctx, state, 'gradientStep');
      const innerState = field(ctx, state, 'inner');
      const { skeleton, leaves } = zipTrees(ctx.op, [updates, field(ctx, state, 'accumulated')], ['grads', `${ctx.statePath}.accumulated`]);
      const [g, acc] = leaves as [AnyTensor[], AnyTensor[]];
      const fast = storages([g, acc]);
      const summed = g.map((gi, i) => {
        if (mini === 0) return gi;
        if (fast === null) return lax.add(acc[i]!, gi);
        const gd = fast[0]![i]!, ad = fast[1]![i]!, o = alloc(gi);
        for (let j = 0; j < gd.length; j++) o[j] = ad[j]! + gd[j]!;
        return wrap(o, gi);
      });
      if (mini + 1 < k) {
        return [rebuild(skeleton, zerosLike(g)), { miniStep: mini + 1, gradientStep: steps, accumulated: rebuild(skeleton, summed), inner: innerState }];
      }
      const mean = useMean && k > 1 ? scaleLeaves(summed, 1 / k) : summed;
      const [u, nextInner] = inner.update(rebuild<PC>(skeleton, mean), innerState as never, params as never, {
        op: ctx.op,
        statePath: `${ctx.statePath}.inner`,
        checked: true,
      });
      return [u, { miniStep: 0, gradientStep: steps + 1, accumulated: rebuild(skeleton, zerosLike(g)), inner: nextInner }];
    },
  );
}
