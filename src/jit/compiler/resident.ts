/**
 * Resident buffers: where the kernel memory is shared (its views survive
 * growth), a compiled program keeps its buffers in kernel memory, so the
 * WebAssembly kernels read and write them in place (no copy in or out per
 * kernel):
 *
 * - planned intermediates are blocks of kernel memory, owned by the program;
 * - float32 inputs are staged into a block of the program once per distinct
 *   array: a tensor passed again (the data batch, a closed-over dataset) is
 *   not copied again (tensors are immutable, and in resident mode nothing
 *   writes into an array the compiler did not hand out);
 * - outputs that a donated input may alias are handed out as blocks of
 *   kernel memory; passed back in the donated position, the next call
 *   updates them in place, so a training step's parameters and optimizer
 *   state stay in kernel memory from step to step.
 *
 * A block returns to the kernel memory's heap when the last array over it
 * is collected, so users still never dispose anything.
 */
import type { Storage } from '../../core/dtype.js';
import { isResident as residentStorage, residentAvailable, residentF32 } from '../../backend/wasm/index.js';
import { wasmEnabled } from '../../backend/accelerated.js';

/** Whether compiled programs keep their buffers in kernel memory. */
export function residentMode(): boolean {
  return wasmEnabled() && residentAvailable();
}

/** A block of `n` floats of kernel memory, freed when the array is collected. */
export const residentBlock = (n: number): Float32Array => residentF32(n);

/** True when `s` is a view of kernel memory. */
export const isResident = (s: Storage): boolean => residentStorage(s);

/** Arrays handed out as outputs: the only arrays a donated call may update in place. */
const handedOut = new WeakSet<Storage>();

/** Marks `s` as handed out to a user (see {@link isHandedOut}). */
export function handOut(s: Float32Array): Float32Array {
  handedOut.add(s);
  return s;
}

/** True when `s` is an output the compiler handed out in kernel memory (not a user's own array, nor a view of one). */
export function isHandedOut(s: Storage): boolean {
  return handedOut.has(s);
}

/**
 * Per input of a program: a staging block and the array last copied into
 * it. The last array is held strongly (one per input): a `WeakRef` would
 * keep every array it ever saw alive until the event loop turns, which a
 * synchronous training loop never lets happen.
 */
export class StagedInputs {
  private readonly blocks: (Float32Array | null)[];
  private readonly last: (Storage | null)[];

  /** `sizes[i]`: elements of input i to stage, 0 for an input read where it is. */
  constructor(sizes: readonly number[]) {
    this.blocks = sizes.map((n) => (n > 0 ? residentBlock(n) : null));
    this.last = sizes.map(() => null);
  }

  /** The storage the program reads for input `i`: `s` where it is resident or not staged, else its staged copy. */
  storage(i: number, s: Storage): Storage {
    const block = this.blocks[i];
    if (block === null || block === undefined || residentStorage(s)) return s;
    if (this.last[i] !== s) {
      block.set(s as Float32Array);
      this.last[i] = s;
    }
    return block;
  }
}
