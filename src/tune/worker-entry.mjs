// The script each `optimizeInWorkers` worker thread runs. Plain JavaScript on
// purpose: a worker must start before a TypeScript loader is in place, so it
// loads tsx itself when the objective's module (or this library) is TypeScript.
//
// workerData: { moduleUrl, exportName, studyName, storage: { journal } | { postgres }, trials, timeout, heartbeatInterval }.
// The worker opens the shared study, runs `optimize` for its share of trials,
// posts { trial: { number, state, value } } for each finished trial, then
// { done: counts } or { error: { name, message, stack } }.
import { parentPort, workerData } from 'node:worker_threads';

const TS = ['.ts', '.mts', '.cts', '.tsx'];
async function load(url) {
  if (!TS.some((ext) => new URL(url).pathname.endsWith(ext))) return import(url);
  const api = await import('tsx/esm/api');
  return api.tsImport(url, import.meta.url);
}

const { moduleUrl, exportName, studyName, storage, trials, timeout, heartbeatInterval, libraryUrl } = workerData;
try {
  const tune = await load(libraryUrl);
  const mod = await load(moduleUrl);
  const objective = mod[exportName];
  if (typeof objective !== 'function') throw new TypeError(`optimizeInWorkers: ${moduleUrl} has no function export '${exportName}'`);
  const config = typeof mod.studyOptions === 'function' ? await mod.studyOptions() : {};
  const store = storage.journal !== undefined ? tune.journalStorage(storage.journal) : tune.postgresStorage(storage.postgres);
  try {
    const study = await tune.createStudy({ ...config, studyName, storage: store, loadIfExists: true, heartbeatInterval });
    const counts = await study.optimize(objective, {
      trials,
      timeout,
      catch: true,
      onTrial: (t) => parentPort.postMessage({ trial: { number: t.number, state: t.state, value: t.value } }),
    });
    parentPort.postMessage({ done: counts });
  } finally {
    await store.close();
  }
} catch (e) {
  parentPort.postMessage({ error: { name: e?.name ?? 'Error', message: e?.message ?? String(e), stack: e?.stack } });
}
