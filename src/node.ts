/**
 * `typegrad/node`: what only Node can do. `workerMap` (an ordered pool of
 * worker threads that import a module by URL), `progressBar` (a terminal
 * progress bar), `io` with the file functions (`io.save`, `io.load`, ...; the
 * `io` of `typegrad` works on bytes), `checkpoint` (checkpoint folders) and `tune` with
 * its file and PostgreSQL stores, worker threads and report files. Importing it also installs Node's host, as `typegrad`
 * does under Node.
 *
 * @example
 * ```ts
 * import { progressBar } from 'typegrad/node';
 * const bar = progressBar({ total: 10, label: 'train', tty: false });
 * for (let i = 1; i <= 10; i++) bar.update(i);
 * bar.done();
 * ```
 */
import './platform/node.js';

export { workerMap, type WorkerMapOptions } from './data/workers.js';
export { progressBar, type ProgressBar, type ProgressOptions } from './cli/progress.js';
export { nodePlatform } from './platform/node.js';
export * as io from './io/node.js';
export * as checkpoint from './checkpoint/index.js';
export * as tune from './tune/node.js';
