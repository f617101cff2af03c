/**
 * The web host (browsers, web workers, and any host without Node's
 * modules): Web Workers and `SharedArrayBuffer` for the kernels where the
 * page is cross-origin isolated, one thread otherwise; no file system, so
 * data comes as bytes (from `fetch`, a file input, ...).
 */
import { TypegradError } from '../core/errors.js';
import type { KernelThreads, KernelWorkerData, Platform } from './types.js';

/** Thrown where a feature needs Node: reading files, gunzip. */
export class PlatformError extends TypegradError {
  override name = 'PlatformError';
}

interface WebGlobals {
  readonly navigator?: { readonly hardwareConcurrency?: number };
  readonly document?: unknown;
  readonly window?: unknown;
  readonly crossOriginIsolated?: boolean;
  readonly SharedArrayBuffer?: unknown;
  readonly Worker?: new (url: string, options?: { name?: string }) => WebWorker;
  readonly Blob?: new (parts: string[], options: { type: string }) => unknown;
  readonly URL: { createObjectURL?(blob: unknown): string };
}

interface WebWorker {
  postMessage(message: unknown): void;
  onerror: ((event: unknown) => void) | null;
}

const g = globalThis as unknown as WebGlobals;
const mainThread = g.document !== undefined && g.window !== undefined;

/** Web Workers from a Blob URL; each gets its data in its first message. */
function webThreads(): KernelThreads | null {
  const { Worker, Blob } = g;
  if (Worker === undefined || Blob === undefined || g.URL.createObjectURL === undefined) return null;
  if (g.SharedArrayBuffer === undefined || g.crossOriginIsolated === false) return null;
  return {
    lateKernels: false,
    spawn(loop: string, data: KernelWorkerData, onError: () => void) {
      // The loop never returns to the event loop, so later messages never arrive: `receive` finds none.
      const source = `self.onmessage = (event) => { self.onmessage = null; const workerData = event.data; const receive = () => undefined; const onExit = () => {}; ${loop}\n};`;
      const url = g.URL.createObjectURL!(new Blob([source], { type: 'text/javascript' }));
      const worker = new Worker(url, { name: 'typegrad-kernels' });
      worker.onerror = onError;
      worker.postMessage(data);
      return { post: () => {} };
    },
  };
}

const needsNode = (what: string): never => {
  throw new PlatformError(`${what} needs Node (no file system or synchronous zlib here): pass the bytes instead, e.g. new Uint8Array(await (await fetch(url)).arrayBuffer())`);
};

/** The web platform. */
export const webPlatform: Platform = {
  name: 'web',
  cpus: () => Math.max(1, g.navigator?.hardwareConcurrency ?? 1),
  env: () => undefined,
  canBlock: !mainThread,
  syncCompile: !mainThread,
  threads: webThreads(),
  readFile: (path) => needsNode(`reading ${String(path)}`),
  exists: () => false,
  displayPath: (path) => String(path),
  joinPath: (...parts) => parts.join('/').replace(/\/+/g, '/'),
  gunzip: () => needsNode('gunzip'),
  workerMap: null,
  maxBufferBytes: 2 ** 31 - 1,
  uninitialized: (bytes) => new ArrayBuffer(bytes),
};
