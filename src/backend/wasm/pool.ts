/**
 * Worker threads that run kernels on the shared memory, driven
 * synchronously: the ops are synchronous APIs, so the main thread posts a
 * job in a shared control block, wakes the worker with `Atomics.notify`,
 * runs its own share of the work, and blocks in `Atomics.wait` until the
 * worker's share is done. No message passing after startup.
 *
 * Workers start lazily (the first call that wants them), are `unref()`ed
 * so they never keep the process alive, and are used only once they have
 * reported ready: until then, and if one dies, the calling thread does the
 * work itself. Each worker's script is a few lines of plain JavaScript
 * (`eval: true`), so it starts without a TypeScript loader.
 *
 * Control block, one 16-int slot per worker: SEQ (job number, written by
 * the main thread), DONE (last job finished), STATE (0 starting, 1 ready,
 * 2 dead), FN (kernel index), ARGS (up to 9 i32 arguments), FAILED.
 */
import { Worker } from 'node:worker_threads';
import type { KernelModule } from './module.js';

const SLOT = 16;
const SEQ = 0, DONE = 1, STATE = 2, FN = 3, ARGS = 4, MAX_ARGS = 9, FAILED = 13;
const READY = 1, DEAD = 2;

/** Spin this long (about µs) before sleeping, so that back-to-back jobs skip the futex round trip. */
const SPIN = 2000;

const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, slot, names } = workerData;
const ctl = new Int32Array(control);
const base = slot * ${SLOT};
const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
const fns = names.map((n) => exports[n]);
process.on('exit', () => {
  Atomics.store(ctl, base + ${STATE}, ${DEAD});
  Atomics.notify(ctl, base + ${DONE});
});
Atomics.store(ctl, base + ${STATE}, ${READY});
Atomics.notify(ctl, base + ${STATE});
let seen = Atomics.load(ctl, base + ${SEQ});
for (;;) {
  for (let i = 0; i < ${SPIN} && Atomics.load(ctl, base + ${SEQ}) === seen; i++);
  Atomics.wait(ctl, base + ${SEQ}, seen);
  const seq = Atomics.load(ctl, base + ${SEQ});
  if (seq === seen) continue;
  seen = seq;
  let failed = 0;
  try {
    const a = base + ${ARGS};
    fns[ctl[base + ${FN}]](ctl[a], ctl[a + 1], ctl[a + 2], ctl[a + 3], ctl[a + 4], ctl[a + 5], ctl[a + 6], ctl[a + 7], ctl[a + 8]);
  } catch (e) {
    failed = 1;
  }
  Atomics.store(ctl, base + ${FAILED}, failed);
  Atomics.store(ctl, base + ${DONE}, seq);
  Atomics.notify(ctl, base + ${DONE});
}
`;

/** One share of a parallel call: a kernel and its arguments. */
export interface Job {
  readonly kernel: string;
  readonly args: readonly number[];
}

export class WorkerPool {
  private readonly ctl: Int32Array;
  private readonly names: string[];
  private workers: Worker[] | null = null;
  /** Jobs the workers have finished (for tests: proof that they ran). */
  workerJobs = 0;

  constructor(private readonly kernels: KernelModule, readonly size: number) {
    this.ctl = new Int32Array(new SharedArrayBuffer(Math.max(size, 1) * SLOT * 4));
    this.names = Object.keys(kernels.exports);
  }

  /** Starts the workers if they are not started (returns at once; they become ready in tens of ms). */
  start(): void {
    if (this.workers !== null || this.size === 0 || !this.kernels.shared) return;
    const { module, memory } = this.kernels;
    this.workers = [];
    for (let slot = 0; slot < this.size; slot++) {
      const w = new Worker(WORKER_SOURCE, {
        eval: true,
        execArgv: [],
        workerData: { module, memory, control: this.ctl.buffer, slot, names: this.names },
      });
      w.on('error', () => Atomics.store(this.ctl, slot * SLOT + STATE, DEAD));
      w.unref();
      this.workers.push(w);
    }
  }

  /** Workers ready to take a job now. */
  ready(): number {
    let n = 0;
    for (let s = 0; s < this.size; s++) if (Atomics.load(this.ctl, s * SLOT + STATE) === READY) n++;
    return n;
  }

  /** Starts the workers and blocks until all are ready (or `timeoutMs` passes); returns how many are. */
  startAndWait(timeoutMs = 10_000): number {
    this.start();
    if (this.workers === null) return 0;
    const end = Date.now() + timeoutMs;
    for (let s = 0; s < this.size; s++) {
      const at = s * SLOT + STATE;
      while (Atomics.load(this.ctl, at) === 0 && Date.now() < end) Atomics.wait(this.ctl, at, 0, 50);
    }
    return this.ready();
  }

  /**
   * Runs `jobs[0]` on this thread and the others on ready workers, and
   * returns when all are done. At most `1 + ready()` jobs.
   */
  run(jobs: readonly Job[]): void {
    const ex = this.kernels.exports;
    const slots: number[] = [];
    for (let s = 0; s < this.size && slots.length < jobs.length - 1; s++) {
      if (Atomics.load(this.ctl, s * SLOT + STATE) === READY) slots.push(s);
    }
    const local = jobs.slice(slots.length + 1);
    slots.forEach((s, i) => this.post(s, jobs[i + 1]!));
    ex[jobs[0]!.kernel]!(...jobs[0]!.args);
    // Shares without a ready worker run here.
    for (const j of local) ex[j.kernel]!(...j.args);
    let failed = false;
    slots.forEach((s, i) => {
      if (!this.await(s)) ex[jobs[i + 1]!.kernel]!(...jobs[i + 1]!.args);
      else if (this.ctl[s * SLOT + FAILED] !== 0) failed = true;
      else this.workerJobs++;
    });
    if (failed) throw new Error('wasm backend: a kernel failed in a worker thread');
  }

  private post(s: number, job: Job): void {
    const base = s * SLOT;
    if (job.args.length > MAX_ARGS) throw new Error(`wasm backend: ${job.kernel} takes at most ${MAX_ARGS} arguments`);
    this.ctl[base + FN] = this.names.indexOf(job.kernel);
    job.args.forEach((a, i) => { this.ctl[base + ARGS + i] = a; });
    Atomics.add(this.ctl, base + SEQ, 1);
    Atomics.notify(this.ctl, base + SEQ);
  }

  /** Waits for worker `s`'s job; false if the worker died instead (its share must be redone). */
  private await(s: number): boolean {
    const base = s * SLOT;
    const seq = Atomics.load(this.ctl, base + SEQ);
    for (let i = 0; i < SPIN && Atomics.load(this.ctl, base + DONE) !== seq; i++);
    for (;;) {
      const done = Atomics.load(this.ctl, base + DONE);
      if (done === seq) return true;
      if (Atomics.load(this.ctl, base + STATE) === DEAD) return false;
      Atomics.wait(this.ctl, base + DONE, done, 1000);
    }
  }
}
