/**
 * Worker threads that run kernels on the shared memory, driven
 * synchronously: the ops are synchronous APIs, so the calling thread posts
 * a job in a shared control block, wakes the workers with `Atomics.notify`,
 * works on the job itself, and blocks in `Atomics.wait` until the last
 * chunk is done. No message passing after startup.
 *
 * A job is a list of chunks (row or element ranges of one kernel), claimed
 * one at a time by whichever thread is free, the caller included. So a
 * worker that is slow to wake, busy elsewhere or not started yet only
 * means the caller does more chunks; the caller never waits for a chunk
 * nobody has claimed. Chunks are fixed before the job starts, and each
 * output element is computed by one chunk in a fixed order, so results do
 * not depend on which thread ran what.
 *
 * Workers start lazily (the first call that wants them) through the host's
 * `platform().threads` (Node: worker threads, `unref()`ed so they never keep
 * the process alive; the web: Web Workers where the page is cross-origin
 * isolated), and join jobs once ready. Each worker's script is a few lines
 * of plain JavaScript, so it starts without a TypeScript loader.
 *
 * Control block (int32 words): TICKET = job number << 8 | next chunk (a
 * claim is a compare-and-swap on it, so a stale claim for an old job fails;
 * while the next job's words are written it holds CLOSED as its chunk, so a
 * worker that read the old COUNT-or-new cannot claim half-written arguments),
 * COUNT chunks, FINISHED chunks, FN kernel index, FAILED, LIMIT (threads
 * allowed), then per worker its STATE (0 starting, 1 ready, 2 dead), per
 * thread its SCRATCH pointer, ARGS, 12 per chunk, and per chunk a DONE flag
 * (set before FINISHED counts the chunk, so the calling thread can collect
 * a chunk's output while others still run). An argument equal to
 * `SCRATCH_ARG` is replaced by the running thread's scratch pointer.
 *
 * Kernels are numbered: the kernel module's exports first, then modules
 * registered later (fused expressions). A worker instantiates a registered
 * module the first time a job names it, reading it from its message port
 * with `receive` (Node's `receiveMessageOnPort`, synchronous: it is never in
 * an event loop); where the host cannot (the web), such jobs run on the
 * calling thread.
 */
import { platform, type KernelThreads, type KernelWorker } from '../../platform/index.js';
import type { KernelFn, KernelModule } from './module.js';
import { wasmApi, type WasmModule } from './wasm-api.js';

const TICKET = 0, COUNT = 1, FINISHED = 2, FN = 3, FAILED = 4, LIMIT = 5;
const STATE = 8; // + worker slot
const SCRATCH = 16; // + thread (0 = caller, 1 + slot = worker)
const ARGS = 32; // + chunk · ARGS_PER_CHUNK
const ARGS_PER_CHUNK = 12;
/** Chunks per job: they must fit the low byte of TICKET. */
export const MAX_CHUNKS = 255;
/** TICKET's chunk index while a job is being written: no count reaches it, so nothing can be claimed. */
const CLOSED = 255;
const DONE = ARGS + MAX_CHUNKS * ARGS_PER_CHUNK; // + chunk
const MAX_WORKERS = 8;
const WORDS = DONE + MAX_CHUNKS;
const READY = 1, DEAD = 2;

/** In a chunk's arguments: "this thread's scratch block". */
export const SCRATCH_ARG = -1;

/** Spin this many polls (a few µs) before sleeping: back-to-back jobs skip the futex round trip. */
const SPIN = 2000;

/**
 * The worker: claim chunks of the current job until none are left, sleep
 * until the job number changes. `run(t)` is shared with the calling thread
 * (see `claimAll` below, which is the same loop in TypeScript).
 */
const WORKER_LOOP = `
const { module, memory, control, slot, names, extras, port } = workerData;
const ctl = new Int32Array(control);
const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
const fns = names.map((n) => exports[n]);
const load = (k) => { fns[k.id] = new WebAssembly.Instance(k.module, { env: { memory } }).exports[k.name]; };
extras.forEach(load);
const kernel = (id) => {
  for (let m; fns[id] === undefined && (m = receive(port)) !== undefined;) load(m.message);
  return fns[id];
};
const me = 1 + slot;
onExit(() => {
  Atomics.store(ctl, ${STATE} + slot, ${DEAD});
  Atomics.notify(ctl, ${FINISHED});
});
// Note the job number before saying READY: the first job can be posted the moment READY is visible.
let seen = Atomics.load(ctl, ${TICKET}) >> 8;
Atomics.store(ctl, ${STATE} + slot, ${READY});
Atomics.notify(ctl, ${STATE} + slot);
const arg = (v) => (v === ${SCRATCH_ARG} ? ctl[${SCRATCH} + me] : v);
for (;;) {
  let t = Atomics.load(ctl, ${TICKET});
  for (let i = 0; i < ${SPIN} && t >> 8 === seen; i++) t = Atomics.load(ctl, ${TICKET});
  if (t >> 8 === seen) {
    Atomics.wait(ctl, ${TICKET}, t);
    continue;
  }
  seen = t >> 8;
  if (me >= Atomics.load(ctl, ${LIMIT})) continue;
  for (;;) {
    t = Atomics.load(ctl, ${TICKET});
    if (t >> 8 !== seen || (t & 255) >= Atomics.load(ctl, ${COUNT})) break;
    if (Atomics.compareExchange(ctl, ${TICKET}, t, t + 1) !== t) continue;
    const a = ${ARGS} + (t & 255) * ${ARGS_PER_CHUNK};
    try {
      kernel(ctl[${FN}])(arg(ctl[a]), arg(ctl[a + 1]), arg(ctl[a + 2]), arg(ctl[a + 3]), arg(ctl[a + 4]), arg(ctl[a + 5]), arg(ctl[a + 6]), arg(ctl[a + 7]), arg(ctl[a + 8]), arg(ctl[a + 9]), arg(ctl[a + 10]), arg(ctl[a + 11]));
    } catch (e) {
      Atomics.store(ctl, ${FAILED}, 1);
    }
    Atomics.store(ctl, ${DONE} + (t & 255), 1);
    Atomics.add(ctl, ${FINISHED}, 1);
    Atomics.notify(ctl, ${FINISHED});
  }
}
`;

/** A parallel call: one kernel (export name or registered number), one argument list per chunk. */
export interface Job {
  readonly kernel: string | number;
  readonly chunks: readonly (readonly number[])[];
  /** Scratch pointer per thread (index 0 = the caller), for chunks that pass `SCRATCH_ARG`. */
  readonly scratch?: readonly number[];
  /**
   * Work for the calling thread once the job is posted, before it claims
   * chunks (the workers start on the chunks meanwhile): say, copying in
   * what a later job reads.
   */
  readonly before?: () => void;
  /**
   * Called on the calling thread once per chunk, after the chunk is done
   * and before `run` returns, in no fixed order: the caller takes a
   * chunk's output while the workers still compute the rest.
   */
  readonly collect?: (chunk: number) => void;
}

/** A module registered after startup: its kernel number, the module and the export to call. */
interface Extra {
  readonly id: number;
  readonly module: WasmModule;
  readonly name: string;
}

/**
 * The calling thread plus `size` workers over one kernel module and its
 * shared memory (see the module comment). One job at a time: `run` returns
 * only when every chunk is done.
 */
export class WorkerPool {
  // Shared where the host has SharedArrayBuffer (a page that is not cross-origin isolated has none, and no workers).
  private readonly ctl = new Int32Array(typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(WORDS * 4) : new ArrayBuffer(WORDS * 4));
  private readonly names: string[];
  /** This thread's kernels, by number. */
  private readonly fns: KernelFn[];
  private readonly extras: Extra[] = [];
  private workers: KernelWorker[] | null = null;
  /** The host's worker threads (null: this thread only). */
  private readonly threads: KernelThreads | null = platform().threads;
  private seq = 0;
  /** Chunks run by workers so far (for tests: proof that they ran). */
  workerChunks = 0;
  /**
   * False makes the calling thread wait instead of claiming chunks, so the
   * workers run every chunk of a threaded job. For tests that must prove the
   * workers' results without depending on which thread wins a claim.
   */
  callerClaims = true;

  constructor(private readonly kernels: KernelModule, readonly size: number) {
    if (size > MAX_WORKERS) throw new RangeError(`wasm backend: at most ${MAX_WORKERS} workers`);
    this.names = Object.keys(kernels.exports);
    this.fns = this.names.map((n) => kernels.exports[n]!);
  }

  /**
   * Adds export `name` of `module` (which imports the same memory as
   * `env.memory`) as a kernel; returns its number for {@link Job.kernel}.
   */
  register(module: WasmModule, name: string): number {
    const fn = new wasmApi!.Instance(module, { env: { memory: this.kernels.memory } }).exports[name] as KernelFn;
    const extra = { id: this.fns.push(fn) - 1, module, name };
    this.extras.push(extra);
    for (const w of this.workers ?? []) w.post(extra);
    return extra.id;
  }

  /** Starts the workers if they are not started (returns at once; they become ready in tens of ms). */
  start(): void {
    const threads = this.threads;
    if (this.workers !== null || this.size === 0 || !this.kernels.shared || threads === null) return;
    const { module, memory } = this.kernels;
    this.workers = [];
    for (let slot = 0; slot < this.size; slot++) {
      const data = { module, memory, control: this.ctl.buffer, slot, names: this.names, extras: this.extras };
      this.workers.push(threads.spawn(WORKER_LOOP, data, () => Atomics.store(this.ctl, STATE + slot, DEAD)));
    }
  }

  /** Workers ready to take chunks now. */
  ready(): number {
    let n = 0;
    for (let s = 0; s < this.size; s++) if (Atomics.load(this.ctl, STATE + s) === READY) n++;
    return n;
  }

  private anyDead(): boolean {
    for (let s = 0; s < this.size; s++) if (Atomics.load(this.ctl, STATE + s) === DEAD) return true;
    return false;
  }

  /** Starts the workers and blocks until all are ready (or `timeoutMs` passes); returns how many are. */
  startAndWait(timeoutMs = 10_000): number {
    this.start();
    if (this.workers === null) return 0;
    const end = Date.now() + timeoutMs;
    for (let s = 0; s < this.size; s++) {
      while (Atomics.load(this.ctl, STATE + s) === 0 && Date.now() < end) Atomics.wait(this.ctl, STATE + s, 0, 50);
    }
    return this.ready();
  }

  /**
   * Runs every chunk of `job` on this thread and on up to `threads - 1`
   * ready workers; returns when all chunks are done.
   */
  run(job: Job, threads: number): void {
    const { chunks } = job;
    const id = typeof job.kernel === 'number' ? job.kernel : this.names.indexOf(job.kernel);
    const fn = this.fns[id];
    if (fn === undefined) throw new Error(`wasm backend: no kernel ${job.kernel}`);
    if (chunks.length > MAX_CHUNKS) throw new RangeError(`wasm backend: at most ${MAX_CHUNKS} chunks per job`);
    // A kernel registered after the workers started reaches them only where the host can deliver it (Node).
    const workersHaveIt = id < this.names.length || this.threads?.lateKernels === true;
    if (threads <= 1 || chunks.length <= 1 || this.ready() === 0 || !workersHaveIt) {
      job.before?.();
      chunks.forEach((c, i) => {
        fn(...c.map((v) => (v === SCRATCH_ARG ? job.scratch![0]! : v)));
        job.collect?.(i);
      });
      return;
    }
    const ctl = this.ctl;
    // Close the previous job first: a worker still in its claim loop may have read
    // the old ticket; with the chunk index at CLOSED its check fails, and its
    // compare-and-swap on the old ticket fails, so it can never claim a chunk
    // of this job from the arguments being written below.
    Atomics.store(ctl, TICKET, (this.seq << 8) | CLOSED);
    ctl[FN] = id;
    Atomics.store(ctl, COUNT, chunks.length);
    ctl[FAILED] = 0;
    ctl[LIMIT] = threads;
    job.scratch?.forEach((p, t) => { ctl[SCRATCH + t] = p; });
    chunks.forEach((c, i) => c.forEach((v, j) => { ctl[ARGS + i * ARGS_PER_CHUNK + j] = v; }));
    ctl.fill(0, DONE, DONE + chunks.length);
    Atomics.store(ctl, FINISHED, 0);
    this.seq = (this.seq + 1) & 0x7fffff;
    const seq = this.seq;
    Atomics.store(ctl, TICKET, seq << 8); // publishes everything written above
    Atomics.notify(ctl, TICKET, threads - 1);

    let mine = 0;
    let error: unknown = null;
    // Chunks whose output the caller took (only with `collect`); `sweep` takes those finished since.
    const collected = job.collect === undefined ? null : new Uint8Array(chunks.length);
    const take = (i: number): void => {
      collected![i] = 1;
      if (error !== null) return;
      try {
        job.collect!(i);
      } catch (e) {
        error = e;
      }
    };
    const sweep = (): void => {
      for (let i = 0; i < chunks.length; i++) if (collected![i] === 0 && Atomics.load(ctl, DONE + i) === 1) take(i);
    };
    try {
      job.before?.();
    } catch (e) {
      error = e;
    }
    for (;;) {
      if (!this.callerClaims) break;
      const t = Atomics.load(ctl, TICKET);
      if ((t & 255) >= chunks.length) break;
      if (Atomics.compareExchange(ctl, TICKET, t, t + 1) !== t) continue;
      // After a failure, claim the rest without running it: the job must end before the arena is reused.
      if (error === null) {
        try {
          fn(...chunks[t & 255]!.map((v) => (v === SCRATCH_ARG ? job.scratch![0]! : v)));
        } catch (e) {
          error = e;
        }
      }
      mine++;
      Atomics.add(ctl, FINISHED, 1);
      if (collected !== null) {
        take(t & 255);
        sweep();
      }
    }
    for (;;) {
      if (collected !== null) sweep();
      const done = Atomics.load(ctl, FINISHED);
      if (done >= chunks.length) break;
      let moved = false;
      for (let i = 0; i < SPIN && !moved; i++) moved = Atomics.load(ctl, FINISHED) !== done;
      // A second without progress while a worker is dead: it died holding a chunk.
      if (!moved && Atomics.wait(ctl, FINISHED, done, 1000) === 'timed-out' && this.ready() < this.size && this.anyDead()) {
        throw new Error('wasm backend: a worker thread died during a kernel');
      }
    }
    if (collected !== null) sweep();
    this.workerChunks += chunks.length - mine;
    if (error !== null) throw error;
    if (ctl[FAILED] !== 0) throw new Error(`wasm backend: ${job.kernel} failed in a worker thread`);
  }
}
