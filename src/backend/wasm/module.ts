/**
 * The kernel module: assembled once, on first use, and instantiated over one
 * shared, growable `WebAssembly.Memory` that the worker threads share too.
 */
import { ModuleBuilder } from './assembler.js';
import { platform } from '../../platform/index.js';
import { wasmApi, type WasmMemory, type WasmModule } from './wasm-api.js';
import { defaultMatmulConfig, emitMatmul, type MatmulConfig } from './kernels/matmul.js';
import { emitElementwise } from './kernels/elementwise.js';
import { emitOuter } from './kernels/outer.js';
import { emitConv } from './kernels/conv.js';
import { emitPool } from './kernels/pool.js';
import { emitReduce } from './kernels/reduce.js';

/** 64 KiB pages: the memory's initial size and its ceiling (4 GiB, the wasm32 limit). */
const INITIAL_PAGES = 32;
export const MAX_PAGES = 65536;

/** A kernel export: every kernel takes i32 arguments (pointers, counts) and returns nothing. */
export type KernelFn = (...args: number[]) => void;

export interface KernelModule {
  readonly module: WasmModule;
  readonly memory: WasmMemory;
  readonly exports: Readonly<Record<string, KernelFn>>;
  readonly matmul: MatmulConfig;
  /** Whether the memory is a `SharedArrayBuffer` that worker threads can use. */
  readonly shared: boolean;
}

/** Whether a module with one function written by `emit` validates. */
function probe(emit: (m: ModuleBuilder) => void): boolean {
  try {
    const m = new ModuleBuilder({ memory: { min: 1, max: 1, shared: false } });
    emit(m);
    return wasmApi !== undefined && wasmApi.validate(m.bytes());
  } catch {
    return false;
  }
}

/** True where baseline SIMD (f32x4) validates. */
export function simdAvailable(): boolean {
  return probe((m) => m.func('p', [], ['f32'], (f) => {
    f.f32x4(1).f32x4(2).op('f32x4.add').lane('f32x4.extract_lane', 0);
  }));
}

/**
 * True where `f32x4.relaxed_madd` validates without flags (not in Node 20,
 * where it needs `--experimental-wasm-relaxed-simd`).
 */
export function relaxedSimdAvailable(): boolean {
  return probe((m) => m.func('p', [], ['f32'], (f) => {
    f.f32x4(1).f32x4(2).f32x4(3).op('f32x4.relaxed_madd').lane('f32x4.extract_lane', 0);
  }));
}

/**
 * Whether the matmul may use `f32x4.relaxed_madd`: where it validates, or
 * once the host has turned the feature on (Node 20's flag, see the platform's
 * `enableWasmFeature`), unless `TYPEGRAD_RELAXED_SIMD=0`.
 */
function useRelaxedSimd(): boolean {
  if (platform().env('TYPEGRAD_RELAXED_SIMD') === '0') return false;
  if (relaxedSimdAvailable()) return true;
  return platform().enableWasmFeature?.('relaxed-simd') === true && relaxedSimdAvailable();
}

function sharedMemoryAvailable(): boolean {
  try {
    return new wasmApi!.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

/** Assembles the module bytes (exported for tests and the benchmark). */
export function kernelBytes(matmul: MatmulConfig, shared: boolean): Uint8Array {
  const mod = new ModuleBuilder({ memory: { min: INITIAL_PAGES, max: MAX_PAGES, shared } });
  const mm = emitMatmul(mod, matmul);
  emitElementwise(mod);
  emitOuter(mod);
  emitConv(mod, mm, matmul);
  emitPool(mod);
  emitReduce(mod);
  return mod.bytes();
}

/** Assembles, compiles and instantiates the kernels (synchronously). */
export function createKernelModule(matmul: MatmulConfig = { ...defaultMatmulConfig, relaxed: useRelaxedSimd() }): KernelModule {
  const api = wasmApi!;
  const shared = sharedMemoryAvailable();
  const module = new api.Module(kernelBytes(matmul, shared));
  const memory = new api.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES, shared });
  const instance = new api.Instance(module, { env: { memory } });
  return { module, memory, exports: instance.exports as Record<string, KernelFn>, matmul, shared };
}
