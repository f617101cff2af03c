/**
 * The arena: a bump allocator over the kernel memory, reset at the start of
 * every call. Kernels are synchronous, so nothing outlives its call and
 * nothing can leak; the memory keeps the high-water mark of one call (wasm
 * memory never shrinks).
 */

import type { WasmMemory } from './wasm-api.js';

const PAGE = 65536;
/** Every buffer starts on, and is padded to, a 64-byte line: kernels may touch whole vectors past the end. */
const ALIGN = 64;
/** Address 0 stays unused, so a null pointer shows up as wrong output, not as someone's data. */
const BASE = ALIGN;

export class Arena {
  private top = BASE;
  private view: Float32Array;

  constructor(private readonly memory: WasmMemory) {
    this.view = new Float32Array(memory.buffer);
  }

  /** Frees everything. */
  reset(): void {
    this.top = BASE;
  }

  /** A 64-byte-aligned block of at least `bytes` bytes (contents undefined); grows the memory when needed. */
  alloc(bytes: number): number {
    const at = this.top;
    const end = at + Math.ceil(Math.max(bytes, 1) / ALIGN) * ALIGN;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE);
      try {
        this.memory.grow(pages);
      } catch (e) {
        throw new RangeError(`wasm backend: cannot grow kernel memory to ${end} bytes (the limit is 4 GiB)`, { cause: e });
      }
    }
    this.top = end;
    return at;
  }

  /** A block holding a copy of `data`. */
  put(data: Float32Array): number {
    const at = this.alloc(data.length * 4);
    this.f32().set(data, at >> 2);
    return at;
  }

  /** The memory as float32 (a fresh view after the memory grew). */
  f32(): Float32Array {
    if (this.view.buffer.byteLength !== this.memory.buffer.byteLength) this.view = new Float32Array(this.memory.buffer);
    return this.view;
  }
}
