/** Reading optimizer state: the current learning rate, the global norm of a tree. */
import { ValueError } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { globalNorm as normOfLeaves } from './transforms.js';
import { leavesOf } from './tree.js';
import { flatten } from '../tree/tree.js';

/**
 * The learning rate the next update will use, found in any optimizer state
 * (the first `learningRate` field, searching chains and wrappers in order).
 * Throws a `ValueError` when the state has none.
 *
 * @example
 * ```ts
 * const opt = optim.adam(optim.cosineDecay({ init: 1e-3, decaySteps: 100 }));
 * let state = opt.init(params);
 * optim.currentLearningRate(state); // 0.001
 * ```
 */
export function currentLearningRate(state: unknown): number {
  flatten(state, 'optim.currentLearningRate'); // refuses a cyclic state before the search below could recurse forever
  const found = search(state);
  if (found === undefined) throw new ValueError('currentLearningRate: the state has no learningRate field (no scaleByLearningRate in the chain?)');
  return found;
}

function search(node: unknown): number | undefined {
  if (typeof node !== 'object' || node === null || node instanceof Tensor) return undefined;
  if (!Array.isArray(node)) {
    const lr = (node as { learningRate?: unknown }).learningRate;
    if (typeof lr === 'number') return lr;
    if (lr instanceof Tensor && lr.rank === 0) return lr.item() as number;
  }
  for (const child of Array.isArray(node) ? node : Object.values(node)) {
    const v = search(child);
    if (v !== undefined) return v;
  }
  return undefined;
}

/**
 * The 2-norm of all elements of all leaves of a tree (as `clipByGlobalNorm` measures it).
 * @example
 * ```ts
 * optim.globalNorm({ a: tensor([3]), b: tensor([4]) }); // 5
 * ```
 */
export function globalNorm(tree: unknown): number {
  return normOfLeaves(leavesOf('globalNorm', tree, 'tree').leaves);
}
