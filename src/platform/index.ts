/**
 * The current host ({@link Platform}): the web one unless Node's was
 * installed, which `typegrad` does under Node's `node` export condition and
 * `typegrad/node` does always (`import './node.js'`, a side effect).
 */
import type { Platform } from './types.js';
import { webPlatform } from './web.js';

export type { KernelThreads, KernelWorker, KernelWorkerData, Platform } from './types.js';
export { PlatformError } from './web.js';

let current: Platform = webPlatform;

/** The host typegrad runs on. */
export function platform(): Platform {
  return current;
}

/** Installs the host (done once, by the Node entry). */
export function setPlatform(p: Platform): void {
  current = p;
}
