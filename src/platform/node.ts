/**
 * Node's host: worker threads for the kernels, the file system, zlib.
 * Importing this module installs it (`typegrad` under Node's `node` export
 * condition and `typegrad/node` import it); nothing else in the main entry
 * imports a `node:` module.
 */
import { closeSync, existsSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Buffer, kMaxLength } from 'node:buffer';
import { setFlagsFromString } from 'node:v8';
import { MessageChannel, Worker } from 'node:worker_threads';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
import { workerMap } from '../data/workers.js';
import { setPlatform } from './index.js';
import type { KernelThreads, Platform } from './types.js';

/** Worker threads from source (`eval`), unref()ed so they never keep the process alive. */
const nodeThreads: KernelThreads = {
  lateKernels: true,
  spawn(loop, data, onError) {
    const { port1, port2 } = new MessageChannel();
    const source = `const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const receive = (port) => receiveMessageOnPort(port);
const onExit = (fn) => process.on('exit', fn);
${loop}`;
    const worker = new Worker(source, { eval: true, execArgv: [], workerData: { ...data, port: port2 }, transferList: [port2] });
    worker.on('error', onError);
    worker.unref();
    port1.unref();
    return { post: (message) => port1.postMessage(message) };
  },
};

/** The Node platform. */
export const nodePlatform: Platform = {
  name: 'node',
  cpus: () => availableParallelism(),
  env: (name) => process.env[name],
  canBlock: true,
  syncCompile: true,
  threads: nodeThreads,
  readFile: (path, maxBytes) => {
    if (maxBytes === undefined) return readFileSync(path);
    const fd = openSync(path, 'r');
    try {
      const size = fstatSync(fd).size;
      if (size > maxBytes) throw Object.assign(new Error(`${String(path)} is ${size} bytes, more than ${maxBytes}`), { code: 'ERR_FILE_TOO_LARGE', size });
      return readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  },
  exists: (path) => existsSync(path),
  displayPath: (path) => (path instanceof URL ? fileURLToPath(path) : path),
  joinPath: (...parts) => join(...parts),
  gunzip: (bytes, options = {}) =>
    gunzipSync(bytes, {
      ...(options.partial ? { finishFlush: zlibConstants.Z_SYNC_FLUSH } : {}),
      ...(options.maxOutputLength !== undefined ? { maxOutputLength: options.maxOutputLength } : {}),
    }),
  workerMap,
  maxBufferBytes: kMaxLength,
  // Node 20 ships relaxed SIMD (the fused multiply-add of the matmul) behind
  // this flag; Node 22 and Chromium have it on. It only adds instructions that
  // validate (the kernels ask only when TYPEGRAD_RELAXED_SIMD is not 0).
  enableWasmFeature: (feature) => {
    if (feature !== 'relaxed-simd') return false;
    setFlagsFromString('--experimental-wasm-relaxed-simd');
    return true;
  },
  uninitialized: (bytes) => {
    // allocUnsafeSlow never hands out a slice of the shared pool: its buffer is its own, from offset 0.
    const b = Buffer.allocUnsafeSlow(bytes);
    return b.byteOffset === 0 && b.buffer.byteLength === bytes ? (b.buffer as ArrayBuffer) : new ArrayBuffer(bytes);
  },
};

setPlatform(nodePlatform);
