/**
 * `typegrad` under Node (the `node` export condition): installs Node's host
 * (worker threads for the kernels, the file system, zlib), then exports the
 * same API as the platform-neutral entry. Node-only extras are in
 * `typegrad/node`.
 *
 * @example
 * ```ts
 * import { breastCancer } from 'typegrad'; // in Node, reads the bundled CSV file
 * const { x } = breastCancer(); // Tensor<[569, 30]>
 * ```
 */
import './platform/node.js';

export * from './index.js';
