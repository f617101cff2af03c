/**
 * What typegrad needs from its host, in one interface that Node
 * (`./node.ts`) and the web (`./web.ts`) implement. The main entry reaches
 * the host only through {@link Platform}, so its import graph holds no
 * `node:` module and no `process`.
 */

import type { workerMap } from '../data/workers.js';

/** Data a kernel worker starts with (see `backend/wasm/pool.ts`). */
export interface KernelWorkerData {
  readonly [key: string]: unknown;
}

/** A started kernel worker: a way to send it kernels registered later. */
export interface KernelWorker {
  /** Sends a late-registered kernel (ignored where {@link KernelThreads.lateKernels} is false). */
  post(message: unknown): void;
}

/** Threads for the WebAssembly kernels, driven through shared memory. */
export interface KernelThreads {
  /**
   * Starts a worker that runs `loop`, a JavaScript function body that sees
   * `workerData`, `receive(port)` (a message from its port, or undefined,
   * without waiting) and `onExit(fn)`. `onError` runs if the worker dies.
   */
  spawn(loop: string, data: KernelWorkerData, onError: () => void): KernelWorker;
  /** Whether a started worker can pick up kernels registered after it started. */
  readonly lateKernels: boolean;
}

/** The host. */
export interface Platform {
  /** `'node'` or `'web'` (browsers, web workers, other hosts). */
  readonly name: 'node' | 'web';
  /** Logical processors available to this process. */
  cpus(): number;
  /** An environment variable (Node), or undefined. */
  env(name: string): string | undefined;
  /** Whether this thread may block in `Atomics.wait` (not a browser's main thread). */
  readonly canBlock: boolean;
  /** Whether large WebAssembly modules compile synchronously here (not a browser's main thread). */
  readonly syncCompile: boolean;
  /** Kernel threads, where the host has workers and shared memory; null otherwise. */
  readonly threads: KernelThreads | null;
  /**
   * Reads a whole file; throws where there is no file system. With
   * `maxBytes`, the size is checked first (on the open file, before any
   * byte is read): a larger file throws an error with code
   * `ERR_FILE_TOO_LARGE` and its `size`.
   */
  readFile(path: string | URL, maxBytes?: number): Uint8Array;
  /** Whether a file exists (false where there is no file system). */
  exists(path: string | URL): boolean;
  /** A path for messages: file URLs as paths. */
  displayPath(path: string | URL): string;
  /** Joins path segments with the host's separator. */
  joinPath(...parts: string[]): string;
  /**
   * gunzip, synchronously. With `partial`, a stream cut short inflates as far
   * as it goes; output over `maxOutputLength` throws an error whose `code` is
   * `ERR_BUFFER_TOO_LARGE`, a truncated stream one with `Z_BUF_ERROR`.
   * Throws where the host has no synchronous zlib.
   */
  gunzip(bytes: Uint8Array, options?: { readonly partial?: boolean; readonly maxOutputLength?: number }): Uint8Array;
  /** `workerMap` (worker threads that import a module by URL), or null where the host has none. */
  readonly workerMap: typeof workerMap | null;
  /** The largest byte buffer the host allocates. */
  readonly maxBufferBytes: number;
  /**
   * Turns on a WebAssembly feature this host has only behind a flag (Node
   * 20's relaxed SIMD), before the kernels are compiled; returns whether it
   * tried. Absent where there is nothing to turn on.
   */
  readonly enableWasmFeature?: (feature: 'relaxed-simd') => boolean;
  /**
   * A buffer of `bytes` whose contents are unspecified: Node skips zeroing
   * it (and so the page faults of fresh memory, when freed memory is reused).
   * Only for storage a kernel writes in full before anyone can read it.
   */
  uninitialized(bytes: number): ArrayBuffer;
}
