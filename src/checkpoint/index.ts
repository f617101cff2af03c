/**
 * Training checkpoints (Node only): `save` a whole training state (params,
 * optimizer state, loader position, PRNG key, epoch, step, metadata) to a
 * directory atomically, `restore` the latest into a typed template, and
 * resume bit for bit.
 *
 * @example
 * ```ts
 * import { checkpoint } from 'typegrad/node';
 * checkpoint.save('runs/a', { params, optState, position, key, epoch, step });
 * const state = checkpoint.restore('runs/a', { params, optState, position, key, epoch, step }); // same type
 * ```
 *
 * @module
 */
export { save, restore, latest, list, type CheckpointInfo, type CheckpointSaveOptions, type RestoreOptions } from './dir.js';
