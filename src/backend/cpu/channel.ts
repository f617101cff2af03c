/**
 * Float32 binary ops where one operand holds one value per channel and the
 * other is full size: `[N, C, H, W]` against a `[C, 1, 1]` bias, and any
 * shape whose small operand is `[..., 1, mid, 1, ..., 1]` against it. The
 * output is `outer` x `mid` runs of `inner` elements, each run combining
 * the full operand with one value of the small one. The generic kernel
 * walks such a broadcast one short row at a time through loops shared with
 * every dtype; these loops see float32 only, and run per channel. Results
 * are bit-identical: each element is the same single float32 operation.
 */

/** The ops with a per-channel loop. */
export type ChannelOp = 'add' | 'sub' | 'mul' | 'div';

/** Runs shorter than this take the generic kernel (a run's setup costs about this many elements). */
const MIN_INNER = 16;

/**
 * `[outer, mid, inner]` when `small`, broadcast to `outShape`, holds one
 * value per run of `inner` consecutive output elements, `mid` values
 * repeated `outer` times; `null` otherwise (or when runs are short).
 *
 * @example
 * ```ts
 * channelRuns([32, 1, 1], [64, 32, 28, 28]); // [64, 32, 784]
 * channelRuns([1, 28], [64, 28]);           // null (a row repeated: not one value per run)
 * ```
 */
export function channelRuns(small: readonly number[], outShape: readonly number[]): [number, number, number] | null {
  const off = outShape.length - small.length;
  if (off < 0) return null;
  let first = 0;
  while (first < small.length && small[first] === 1) first++;
  let last = small.length;
  while (last > first && small[last - 1] === 1) last--;
  let outer = 1, mid = 1, inner = 1;
  for (let i = 0; i < outShape.length; i++) {
    const s = i - off;
    if (s >= first && s < last) {
      if (small[s] !== outShape[i]) return null;
      mid *= outShape[i]!;
    } else if (s < first) outer *= outShape[i]!;
    else inner *= outShape[i]!;
  }
  return inner >= MIN_INNER && mid > 1 ? [outer, mid, inner] : null;
}

/**
 * `out = big op small` (or `small op big` when `!bigFirst`) over the runs of {@link channelRuns}.
 *
 * @example
 * ```ts
 * const out = new Float32Array(32);
 * channelF32('add', new Float32Array(32), new Float32Array([1, 2]), true, [1, 2, 16], out); // 16 ones, then 16 twos
 * ```
 */
export function channelF32(op: ChannelOp, big: Float32Array, small: Float32Array, bigFirst: boolean, [outer, mid, inner]: readonly [number, number, number], out: Float32Array): void {
  for (let o = 0, k = 0; o < outer; o++) {
    for (let c = 0; c < mid; c++, k += inner) {
      const v = small[c]!, end = k + inner;
      if (op === 'add') for (let i = k; i < end; i++) out[i] = big[i]! + v;
      else if (op === 'mul') for (let i = k; i < end; i++) out[i] = big[i]! * v;
      else if (op === 'sub') {
        if (bigFirst) for (let i = k; i < end; i++) out[i] = big[i]! - v;
        else for (let i = k; i < end; i++) out[i] = v - big[i]!;
      } else if (bigFirst) for (let i = k; i < end; i++) out[i] = big[i]! / v;
      else for (let i = k; i < end; i++) out[i] = v / big[i]!;
    }
  }
}
