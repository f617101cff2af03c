// The script each `workerMap` worker thread runs. Plain JavaScript on purpose:
// a worker must start before any TypeScript loader is in place, so this file
// loads one (tsx) itself, and only when the item module is TypeScript.
//
// Protocol. workerData: { moduleUrl, exportName }. The main thread sends
// { seq, index }; the worker answers { seq, ok: true, value } or
// { seq, ok: false, error: { name, message, stack } }, one item at a time.
import { parentPort, workerData } from 'node:worker_threads';

const { moduleUrl, exportName } = workerData;

const TS_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx'];

async function importModule(url) {
  const path = new URL(url).pathname;
  if (!TS_EXTENSIONS.some((ext) => path.endsWith(ext))) return import(url);
  let api;
  try {
    api = await import('tsx/esm/api');
  } catch (e) {
    throw new Error(
      `cannot load the TypeScript module ${url}: tsx is not installed (npm install --save-dev tsx), or point workerMap at compiled JavaScript (${e.message})`,
    );
  }
  return api.tsImport(url, import.meta.url);
}

/** The item function: the export itself, or the `get` method of a dataset object. */
async function loadItemFunction() {
  let mod;
  try {
    mod = await importModule(moduleUrl);
  } catch (e) {
    throw new Error(`cannot load module ${moduleUrl}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const target = mod[exportName];
  if (typeof target === 'function') return target;
  if (target !== null && typeof target === 'object' && typeof target.get === 'function') return (index) => target.get(index);
  throw new Error(
    `module ${moduleUrl} has no export ${JSON.stringify(exportName)} that is a function or an object with get(index); its exports are: ${Object.keys(mod).join(', ') || '(none)'}`,
  );
}

const itemFunction = loadItemFunction();
itemFunction.catch(() => {}); // reported with each item instead

function serialise(e) {
  if (e instanceof Error) return { name: e.name, message: e.message, stack: e.stack ?? '' };
  return { name: 'Error', message: `non-Error value thrown: ${String(e)}`, stack: '' };
}

parentPort.on('message', async ({ seq, index }) => {
  let value;
  try {
    const f = await itemFunction;
    value = await f(index);
  } catch (e) {
    parentPort.postMessage({ seq, ok: false, error: serialise(e) });
    return;
  }
  try {
    parentPort.postMessage({ seq, ok: true, value });
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    parentPort.postMessage({
      seq,
      ok: false,
      error: serialise(new Error(`the item cannot be sent to the main thread (it must be structured-cloneable: plain objects, arrays, typed arrays): ${why}`)),
    });
  }
});
