/**
 * The static memory plan: every intermediate buffer's lifetime over the
 * step order (first write to last read), and an assignment of intermediates
 * to a few reusable blocks, first fit by size, as tinygrad's memory planner
 * does. Two vars share a block only when their lifetimes do not overlap, so
 * a step never reads a block it writes.
 */
import { BYTES_PER_ELEMENT, type DType } from '../../core/dtype.js';

/** A planned intermediate: its size and the steps that write and last read it. */
export interface Lifetime {
  readonly id: number;
  readonly bytes: number;
  readonly first: number;
  readonly last: number;
}

/** The plan: block sizes in bytes, and the block of every planned var. */
export interface MemoryPlan {
  readonly blocks: readonly number[];
  readonly blockOf: ReadonlyMap<number, number>;
}

/** Bytes of `size` elements of `dtype`, rounded up to 8 (every typed array view stays aligned). */
export function bytesOf(dtype: DType, size: number): number {
  return Math.ceil((size * BYTES_PER_ELEMENT[dtype]) / 8) * 8;
}

/**
 * Assigns blocks: vars in order of their first step; a var takes the
 * smallest free block that fits (or grows the largest free one, or opens a
 * new one); a block is free again after its var's last read.
 * @example
 * ```ts
 * planMemory([{ id: 1, bytes: 8, first: 0, last: 1 }, { id: 2, bytes: 8, first: 2, last: 3 }]).blocks; // [8]: one block, reused
 * ```
 */
export function planMemory(lifetimes: readonly Lifetime[]): MemoryPlan {
  const sorted = [...lifetimes].sort((a, b) => a.first - b.first || a.id - b.id);
  const blocks: number[] = [];
  const freeAt: number[] = []; // the step after which each block is free
  const blockOf = new Map<number, number>();
  for (const l of sorted) {
    let best = -1;
    for (let b = 0; b < blocks.length; b++) {
      if (freeAt[b]! >= l.first) continue;
      if (best === -1) best = b;
      else {
        const fits = blocks[b]! >= l.bytes, bestFits = blocks[best]! >= l.bytes;
        // Prefer the smallest block that fits; else the largest (it grows least).
        if ((fits && (!bestFits || blocks[b]! < blocks[best]!)) || (!fits && !bestFits && blocks[b]! > blocks[best]!)) best = b;
      }
    }
    if (best === -1) {
      best = blocks.push(l.bytes) - 1;
      freeAt.push(l.last);
    } else {
      blocks[best] = Math.max(blocks[best]!, l.bytes);
      freeAt[best] = l.last;
    }
    blockOf.set(l.id, best);
  }
  return { blocks, blockOf };
}
