/**
 * The `io` namespace with its file-system functions (Node only): everything
 * in `index.ts` (bytes in, bytes out; runs anywhere) plus `save`, `load`,
 * `loadAll`, `loadMetadata` and `writeFileAtomic`.
 *
 * @example
 * ```ts
 * import { nn, random } from 'typegrad';
 * import { io } from 'typegrad/node';
 * const params = nn.mlp([4, 8, 2]).init(random.key(0));
 * io.save('/tmp/mlp.safetensors', params);
 * const back = io.load('/tmp/mlp.safetensors', params); // typeof params
 * ```
 *
 * @module
 */
export * from './index.js';
export { save, load, loadAll, loadMetadata, saveTorch, loadTorch, type SaveOptions } from './fs.js';
export { writeFileAtomic } from './atomic.js';
