/**
 * The slice of the `WebAssembly` global this backend uses, typed locally:
 * the project's `lib` (ES2023, no DOM) and `@types/node` 20 do not declare
 * it, and a local type keeps the global namespace untouched.
 */

/** A compiled module (opaque; it can be sent to worker threads). */
export interface WasmModule {
  readonly __wasmModule?: never;
}

/** A linear memory; `buffer` is a `SharedArrayBuffer` when created shared. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
  grow(pages: number): number;
}

export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: Record<string, Record<string, unknown>>) => WasmInstance;
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

/** `globalThis.WebAssembly`, or undefined where there is none. */
export const wasmApi: WasmApi | undefined = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
