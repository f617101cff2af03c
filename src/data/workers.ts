/**
 * An ordered parallel map over `node:worker_threads`, for loading dataset
 * items. Workers fetch items by index, so which worker loads which item never
 * changes the result: items come out in the order of the indices.
 */
import { availableParallelism } from 'node:os';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ValueError } from '../core/errors.js';
import { WorkerError } from './errors.js';
import { checkPositive, checkWorkers } from './shared.js';
import { describeValue } from '../core/describe.js';
import { checkOptions } from '../core/validate.js';

/**
 * Options of {@link workerMap}.
 *
 * - `workers`: threads to start, default `min(4, availableParallelism())`,
 *   at most {@link maxWorkers}`()` (4 per core): more threads only add
 *   start-up time and memory (each is a whole JavaScript engine).
 * - `exportName`: the module export to call, default `'default'`.
 * - `buffer`: most items requested ahead of the consumer (loading or loaded,
 *   not yet delivered), default `2 * workers`; bounds memory when the
 *   consumer is slower than the workers.
 *
 * @example
 * ```ts
 * const opts: WorkerMapOptions = { workers: 2, exportName: 'loadItem', buffer: 8 };
 * ```
 */
export interface WorkerMapOptions {
  readonly workers?: number;
  readonly exportName?: string;
  readonly buffer?: number;
}

/** A worker's answer for one item. */
type Reply<T> = { ok: true; value: T } | { ok: false; error: { name: string; message: string; stack: string } };

interface Slot<T> {
  index: number;
  result: Promise<Reply<T>>;
  settle: (r: Reply<T>) => void;
}

/** Longest wait for worker threads to stop once an iteration ends (they are stopping; this only bounds the wait). */
const TERMINATE_MS = 30_000;

const ENTRY = new URL('./worker-entry.mjs', import.meta.url);

function moduleUrl(module: URL | string): string {
  if (module instanceof URL) return module.href;
  if (typeof module === 'string' && module.startsWith('file:')) return new URL(module).href;
  if (typeof module === 'string' && isAbsolute(module)) return pathToFileURL(module).href;
  throw new ValueError(
    `workerMap: module must be a URL or an absolute path, such as new URL('./items.ts', import.meta.url); got ${JSON.stringify(module)}`,
  );
}

function rebuildError(e: { name: string; message: string; stack: string }): Error {
  const err = new Error(e.message);
  err.name = e.name;
  if (e.stack) err.stack = e.stack;
  return err;
}

/**
 * Loads items in worker threads and yields them in the order of `indices`.
 *
 * `module` is a file URL (or absolute path) of a module whose export
 * (`default` unless `exportName` says otherwise) is either a function
 * `(index) => item | Promise<item>` or a dataset object with a
 * `get(index)` method. Each worker imports it once. TypeScript modules
 * (`.ts`, `.mts`, `.cts`, `.tsx`) are loaded through `tsx` (a
 * devDependency); JavaScript modules are imported directly.
 *
 * Items cross threads by structured clone, so return plain data: numbers,
 * strings, arrays, plain objects, typed arrays. A `Tensor` does not survive
 * the trip; build tensors in the main thread.
 *
 * Nothing starts until iteration starts; each `[Symbol.asyncIterator]()` call
 * starts its own workers and iterates `indices` afresh. When an item fails,
 * the items before it are delivered, then the iteration throws a
 * {@link WorkerError} whose `index` names the failed item and whose `cause`
 * holds the worker's error. The workers are terminated when the iteration
 * ends, fails, or is abandoned (`break`, `return()`); the workers of an
 * iterator that is merely dropped do not keep the process alive, and are
 * terminated once it is garbage collected, so no worker outlives its iterator.
 *
 * @example
 * ```ts
 * // items.ts: export default function load(i: number) { return { i, pixels: new Float32Array(784) }; }
 * import { workerMap } from 'typegrad/node';
 * for await (const item of workerMap<{ i: number }>(new URL('./items.ts', import.meta.url), [3, 1, 2], { workers: 2 })) {
 *   console.log(item.i); // 3, then 1, then 2
 * }
 * ```
 */
export function workerMap<T>(module: URL | string, indices: Iterable<number>, options: WorkerMapOptions = {}): AsyncIterable<T> {
  checkOptions('workerMap', options);
  const url = moduleUrl(module);
  const count = checkWorkers('workerMap', checkPositive('workerMap', 'workers', options.workers ?? Math.min(4, availableParallelism())));
  const ahead = checkPositive('workerMap', 'buffer', options.buffer ?? 2 * count);
  const exportName = options.exportName ?? 'default';
  if (typeof exportName !== 'string' || exportName === '') {
    throw new ValueError(`workerMap: exportName must be a non-empty string, got ${describeValue(exportName)}`);
  }
  return {
    [Symbol.asyncIterator]: () => {
      const workers: Worker[] = [];
      const iterator = run<T>(url, exportName, indices, count, ahead, workers);
      // An iterator dropped unfinished (no break, no return(): just let go)
      // never runs its finally; its workers go when it is garbage collected.
      dropped.register(iterator, workers, workers);
      return iterator;
    },
  };
}

/**
 * Terminates the worker threads of an iterator that was dropped before it
 * finished, once the iterator is garbage: no worker outlives its iterator
 * (its idle workers are also unref()'d, so they never keep the process alive
 * meanwhile).
 */
const dropped = new FinalizationRegistry<Worker[]>((workers) => {
  for (const w of workers) void w.terminate();
});

/** Worker threads started here that have not exited yet. */
let alive = 0;

/** @internal How many worker threads of `workerMap` are running (for the tests that check none outlives its iterator). */
export function liveWorkerThreads(): number {
  return alive;
}

async function* run<T>(url: string, exportName: string, indices: Iterable<number>, count: number, ahead: number, workers: Worker[]): AsyncGenerator<T> {
  const source = indices[Symbol.iterator]();
  let sourceDone = false;
  const slots: Slot<T>[] = []; // by sequence number; delivered slots are deleted
  let dispatched = 0;
  let delivered = 0;
  const idle: Worker[] = [];
  const busy = new Map<Worker, number>(); // worker -> sequence number in flight
  let stopping = false;

  const newSlot = (index: number): Slot<T> => {
    let settle!: (r: Reply<T>) => void;
    const result = new Promise<Reply<T>>((resolve) => (settle = resolve));
    return { index, result, settle };
  };

  /** Hands out indices to idle workers, keeping at most `ahead` undelivered items. */
  const dispatch = (): void => {
    while (!stopping && idle.length > 0 && !sourceDone && dispatched - delivered < ahead) {
      const next = source.next();
      if (next.done) {
        sourceDone = true;
        return;
      }
      const index = next.value;
      const seq = dispatched++;
      slots[seq] = newSlot(index);
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) {
        slots[seq]!.settle({ ok: false, error: { name: 'ValueError', message: `indices must be non-negative integers, got ${String(index)}`, stack: '' } });
        continue;
      }
      const w = idle.pop()!;
      busy.set(w, seq);
      w.ref(); // a pending item keeps the process alive
      w.postMessage({ seq, index });
    }
  };

  const onMessage = (w: Worker, msg: { seq: number } & Reply<T>): void => {
    busy.delete(w);
    w.unref();
    idle.push(w);
    const slot = slots[msg.seq];
    slot?.settle(msg.ok ? { ok: true, value: msg.value } : { ok: false, error: msg.error });
    dispatch();
  };

  /** A worker died (uncaught error, exit, out of memory): fail its item and drop it from the pool. */
  const onDeath = (w: Worker, why: { name: string; message: string; stack: string }): void => {
    const seq = busy.get(w);
    busy.delete(w);
    const k = idle.indexOf(w);
    if (k >= 0) idle.splice(k, 1);
    const at = workers.indexOf(w);
    if (at >= 0) workers.splice(at, 1);
    if (seq !== undefined) slots[seq]?.settle({ ok: false, error: why });
    if (workers.length === 0 && !stopping) {
      // Nobody is left to load the rest: fail everything not yet settled.
      for (let s = delivered; s < dispatched; s++) slots[s]?.settle({ ok: false, error: why });
      sourceDone = true;
    }
  };

  try {
    for (let k = 0; k < count; k++) {
      const w = new Worker(ENTRY, { workerData: { moduleUrl: url, exportName } });
      alive++;
      w.once('exit', () => alive--);
      w.unref();
      w.on('message', (msg) => onMessage(w, msg));
      w.on('error', (e: Error) => onDeath(w, { name: e.name, message: `the worker thread failed: ${e.message}`, stack: e.stack ?? '' }));
      w.on('exit', (code) => onDeath(w, { name: 'Error', message: `the worker thread exited with code ${code}`, stack: '' }));
      workers.push(w);
      idle.push(w);
    }
    for (;;) {
      dispatch();
      if (delivered === dispatched) {
        if (sourceDone) return;
        if (workers.length === 0) throw new WorkerError('workerMap: no worker threads are left', undefined);
      }
      const slot = slots[delivered]!;
      const reply = await slot.result;
      delete slots[delivered];
      delivered++;
      if (!reply.ok) {
        throw new WorkerError(`workerMap: index ${slot.index} failed: ${reply.error.message}`, slot.index, { cause: rebuildError(reply.error) });
      }
      yield reply.value;
    }
  } finally {
    stopping = true;
    // A worker being terminated does not hold the event loop open (even
    // ref()'d), so without this timer the loop can empty while we wait here
    // and the process exits with code 0 before the code after the caller's
    // loop runs (a lost checkpoint, a lost error). The timer keeps the
    // process alive until every worker is gone, or at most TERMINATE_MS.
    let keepAlive: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => (keepAlive = setTimeout(resolve, TERMINATE_MS)));
    try {
      await Promise.race([Promise.all(workers.map((w) => w.terminate())), bound]);
    } finally {
      clearTimeout(keepAlive);
      dropped.unregister(workers);
    }
  }
}
