/**
 * Trials in parallel worker threads, for CPU-bound objectives (JavaScript
 * runs one synchronous objective at a time per thread). The study must live
 * in a store every thread can open (a journal file or PostgreSQL): each
 * worker thread opens it and runs `optimize` for its share of the trials,
 * exactly as separate processes or machines would. The objective is named by
 * module and export, since functions cannot be sent to a thread; the module
 * may also export `studyOptions()` returning the sampler and pruner.
 */
import { Worker } from 'node:worker_threads';
import { describeValue } from '../core/describe.js';
import { ValueError } from '../core/errors.js';
import { checkObject } from '../core/validate.js';
import type { OptimizeResult } from './optimize.js';
import { standardOutput } from './optimize.js';
import { trialProgress } from './progress.js';
import type { Study } from './study.js';

/**
 * Options of {@link optimizeInWorkers}.
 * - `module`: URL or absolute path of the module exporting the objective;
 * - `exportName`: the objective's export (default `objective`);
 * - `trials`: the total, split among the workers; `parallel`: worker threads (default 2);
 * - `timeout`: seconds after which workers start no new trial;
 * - `progress`: a line per finished trial (as `optimize`).
 */
export interface WorkerOptions {
  readonly module: string | URL;
  readonly exportName?: string;
  readonly trials: number;
  readonly parallel?: number;
  readonly timeout?: number;
  readonly progress?: boolean | { write(text: string): unknown; readonly isTTY?: boolean };
}

/**
 * Runs `trials` trials of a stored study in `parallel` worker threads and
 * refreshes `study` afterwards. Rejects with the first worker's error (the
 * other workers finish their current trial first).
 *
 * @example
 * ```ts
 * // objective.ts: export const objective = (trial: tune.Trial) => train(trial.float('lr', 1e-5, 1e-1, { log: true }));
 * const study = await tune.createStudy({ studyName: 'mnist', storage: tune.journalStorage('mnist.jsonl') });
 * await tune.optimizeInWorkers(study, { module: new URL('./objective.ts', import.meta.url), trials: 20, parallel: 2 });
 * ```
 */
export async function optimizeInWorkers(study: Study, options: WorkerOptions): Promise<OptimizeResult> {
  if (typeof (study as Partial<Study> | null)?.ask !== 'function') throw new ValueError(`tune.optimizeInWorkers: study must be a Study (from tune.createStudy), got ${describeValue(study)}`);
  checkObject('tune.optimizeInWorkers', 'options', options);
  if (!(options.module instanceof URL) && typeof options.module !== 'string') throw new ValueError(`tune.optimizeInWorkers: options.module must be a URL or a path, got ${describeValue(options.module)}`);
  const parallel = options.parallel ?? 2;
  if (!(Number.isSafeInteger(parallel) && parallel >= 1)) throw new ValueError(`tune.optimizeInWorkers: parallel must be a positive integer, got ${describeValue(parallel)}`);
  if (!(Number.isSafeInteger(options.trials) && options.trials >= 0)) throw new ValueError(`tune.optimizeInWorkers: trials must be a non-negative integer, got ${describeValue(options.trials)}`);
  const location = study.storage.location;
  if (location === undefined) throw new ValueError(`optimizeInWorkers: the study's ${study.storage.kind} store cannot be opened from another thread; use tune.journalStorage(path) or tune.postgresStorage(url)`);
  const moduleUrl = options.module instanceof URL ? options.module.href : options.module.startsWith('file:') ? options.module : new URL(`file://${options.module}`).href;
  // The tune namespace module, as source (.ts, run through tsx) or built (.js).
  const libraryUrl = new URL(import.meta.url.endsWith('.ts') ? './node.ts' : './node.js', import.meta.url).href;
  const progress = options.progress === undefined || options.progress === false ? null : trialProgress({ total: options.trials, stream: options.progress === true ? standardOutput() : options.progress });
  const counts = { complete: 0, pruned: 0, failed: 0 };
  const runs = Array.from({ length: parallel }, (_, i) => {
    const share = Math.floor(options.trials / parallel) + (i < options.trials % parallel ? 1 : 0);
    return new Promise<void>((resolve, reject) => {
      if (share === 0) return resolve();
      const worker = new Worker(new URL('./worker-entry.mjs', import.meta.url), {
        workerData: { moduleUrl, exportName: options.exportName ?? 'objective', studyName: study.name, storage: location, trials: share, timeout: options.timeout, heartbeatInterval: study.heartbeatInterval ?? undefined, libraryUrl },
      });
      let settled = false;
      worker.on('message', (m: { trial?: { number: number; state: string }; done?: OptimizeResult; error?: { name: string; message: string; stack?: string } }) => {
        if (m.trial !== undefined) {
          if (m.trial.state === 'complete') counts.complete++;
          else if (m.trial.state === 'pruned') counts.pruned++;
          else counts.failed++;
          if (progress !== null) {
            void study.refresh().then(() => {
              const t = study.trials[m.trial!.number];
              if (t !== undefined) progress.trial(t, study);
            });
          }
        } else if (m.error !== undefined) {
          settled = true;
          const e = new Error(`optimizeInWorkers: worker ${i}: ${m.error.name}: ${m.error.message}`);
          e.stack = m.error.stack;
          reject(e);
        } else if (m.done !== undefined) {
          settled = true;
          resolve();
        }
      });
      worker.on('error', (e) => {
        settled = true;
        reject(e);
      });
      worker.on('exit', (code) => {
        if (!settled) reject(new Error(`optimizeInWorkers: worker ${i} exited with code ${code}`));
      });
    });
  });
  const results = await Promise.allSettled(runs);
  await study.refresh();
  progress?.done(study);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
  return counts;
}
