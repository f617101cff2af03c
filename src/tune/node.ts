/**
 * The `tune` namespace of `typegrad/node`: everything of the platform-neutral
 * `tune`, plus what needs Node: the journal-file and PostgreSQL stores,
 * trials in worker threads, and writing the plots to files.
 *
 * @example
 * ```ts
 * import { tune } from 'typegrad/node';
 * const study = await tune.createStudy({ studyName: 'mnist', storage: tune.journalStorage('mnist.jsonl'), loadIfExists: true });
 * ```
 */
export * from './index.js';
export { journalStorage, type JournalOptions } from './journal-storage.js';
export { postgresStorage, type PostgresOptions } from './postgres-storage.js';
export { optimizeInWorkers, type WorkerOptions } from './optimize-workers.js';
export { writeReport } from './plots/report.js';
