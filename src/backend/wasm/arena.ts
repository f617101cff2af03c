/**
 * The kernel memory's two allocators.
 *
 * - The **arena**: a bump allocator for one call's copies and scratch,
 *   reset at the start of every call. Kernels are synchronous, so nothing
 *   in it outlives its call; it keeps the high-water mark of one call
 *   (wasm memory never shrinks).
 * - The **heap**: persistent blocks below the arena, for data that stays
 *   in kernel memory between calls (a compiled program's buffers and the
 *   tensors it hands out; see `resident.ts`). Freed blocks are kept in
 *   free lists by size and reused; the arena starts above the highest
 *   block.
 *
 * A typed array over kernel memory (a heap block, where the memory is
 * shared and its views survive growth) is *resident*: `put` passes it to a
 * kernel in place, and `output` lets a kernel write into it, with no copy.
 */

import type { WasmMemory } from './wasm-api.js';

const PAGE = 65536;
/** Every buffer starts on, and is padded to, a 64-byte line: kernels may touch whole vectors past the end. */
const ALIGN = 64;
/** Address 0 stays unused, so a null pointer shows up as wrong output, not as someone's data. */
const BASE = ALIGN;

const padded = (bytes: number): number => Math.ceil(Math.max(bytes, 1) / ALIGN) * ALIGN;

export class Arena {
  private top = BASE;
  /** End of the heap: the arena starts here. */
  private heapTop = BASE;
  /** Free heap blocks by padded size. */
  private readonly free = new Map<number, number[]>();
  private view: Float32Array;
  /** Every buffer object the memory has had (a shared memory's buffer changes identity when it grows). */
  private readonly buffers = new WeakSet<ArrayBufferLike>();

  constructor(private readonly memory: WasmMemory, private readonly shared: boolean) {
    this.view = new Float32Array(memory.buffer);
    this.buffers.add(memory.buffer);
  }

  /** Frees everything in the arena (heap blocks stay). */
  reset(): void {
    this.top = this.heapTop;
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const pages = Math.ceil((end - have) / PAGE);
    try {
      this.memory.grow(pages);
    } catch (e) {
      throw new RangeError(`wasm backend: cannot grow kernel memory to ${end} bytes (the limit is 4 GiB)`, { cause: e });
    }
    this.buffers.add(this.memory.buffer);
  }

  /** A 64-byte-aligned block of at least `bytes` bytes (contents undefined); grows the memory when needed. */
  alloc(bytes: number): number {
    const at = this.top;
    const end = at + padded(bytes);
    this.ensure(end);
    this.top = end;
    return at;
  }

  /** A block holding `data`: `data` itself where it is resident, else a copy. */
  put(data: Float32Array): number {
    if (this.isResident(data)) return data.byteOffset;
    const at = this.alloc(data.length * 4);
    this.f32().set(data, at >> 2);
    return at;
  }

  /** Where a kernel writes `n` floats bound for `out`: `out` itself where it is resident, else an arena block (then call {@link Arena.finish}). */
  output(out: Float32Array, n: number): number {
    return this.isResident(out) ? out.byteOffset : this.alloc(n * 4);
  }

  /** Copies `n` floats a kernel wrote at `at` into `out`, unless it wrote them in place. */
  finish(out: Float32Array, at: number, n: number): void {
    if (this.isResident(out) && out.byteOffset === at) return;
    out.set(this.f32().subarray(at >> 2, (at >> 2) + n));
  }

  /** True when `data` is a view of the kernel memory that survives growth (the memory is shared). */
  isResident(data: ArrayBufferView): boolean {
    return this.shared && this.buffers.has(data.buffer);
  }

  /**
   * A persistent block of at least `bytes` bytes, outside every call's
   * arena, until {@link Arena.release}. Only between kernel calls (it moves
   * the arena's start).
   */
  reserve(bytes: number): number {
    const size = padded(bytes);
    const list = this.free.get(size);
    if (list !== undefined && list.length > 0) return list.pop()!;
    const at = this.heapTop;
    this.ensure(at + size);
    this.heapTop = at + size;
    if (this.top < this.heapTop) this.top = this.heapTop;
    return at;
  }

  /** Returns a block from {@link Arena.reserve} (of the same `bytes`) to the heap. */
  release(at: number, bytes: number): void {
    const size = padded(bytes);
    let list = this.free.get(size);
    if (list === undefined) this.free.set(size, (list = []));
    list.push(at);
  }

  /** Bytes the heap spans (blocks in use and free). */
  heapBytes(): number {
    return this.heapTop - BASE;
  }

  /** The memory as float32 (a fresh view after the memory grew). */
  f32(): Float32Array {
    if (this.view.buffer.byteLength !== this.memory.buffer.byteLength) this.view = new Float32Array(this.memory.buffer);
    return this.view;
  }
}
