import { describe, expect, it } from 'vitest';
import { ResourceError, ValueError, random, fromArray, loader, tensor } from '../../src/index.js';
import { useWasm, wasmEnabled, WASM_MAX_BYTES } from '../../src/backend/accelerated.js';

describe('size limits checked before allocating', () => {
  it('random.permutation refuses n over maxSize (default 2^26) at once, and the option raises it', () => {
    expect(() => random.permutation(random.key(0), 2 ** 31 - 1)).toThrow(ResourceError);
    expect(() => random.permutation(random.key(0), 2 ** 26 + 1)).toThrow(
      /^random\.permutation: n 67108865 is more than maxSize \(67108864\); pass \{ maxSize \} to raise the limit$/,
    );
    expect(() => random.permutation(random.key(0), 10, { maxSize: 5 })).toThrow(ResourceError);
    expect(random.permutation(random.key(0), 10, { maxSize: 10 }).size).toBe(10);
    expect(() => random.permutation(random.key(0), 3, { maxSize: 'x' as never })).toThrow(ValueError);
  });

  it('random.split refuses more than 2^20 keys unless maxSize says more', () => {
    expect(() => random.split(random.key(0), 1e8)).toThrow(/^random\.split: n 100000000 is more than maxSize \(1048576\)/);
    expect(random.split(random.key(0), 3, { maxSize: 3 })).toHaveLength(3);
    expect(() => random.split(random.key(0), 4, { maxSize: 3 })).toThrow(ResourceError);
  });

  it('a shuffled loader over 1e8 items is refused when made; an unshuffled one starts at once', () => {
    const huge = { length: 1e8, get: (i: number) => tensor([i]) };
    expect(() => loader(huge, { batchSize: 2, shuffle: true, key: random.key(0) })).toThrow(/^loader: dataset length \(to shuffle\) 100000000 is more than maxSize/);
    const first = loader(huge, { batchSize: 2 })[Symbol.iterator]().next();
    expect(first.value.toArray()).toEqual([[0], [1]]);
    const small = fromArray([1, 2, 3, 4, 5]);
    expect(() => loader(small, { batchSize: 2, shuffle: true, key: random.key(0), maxShuffle: 4 })).toThrow(ResourceError);
    expect([...loader(small, { batchSize: 5, shuffle: true, key: random.key(0), maxShuffle: 5 })][0]!.shape).toEqual([5]);
  });

  it('float32 kernels whose kernel memory would pass the wasm limit run the TypeScript kernels', () => {
    expect(useWasm('unary', 6e8)).toBe(false); // exp(full([6e8], 0.5)) needs 4.8 GB of kernel memory
    expect(useWasm('binary', WASM_MAX_BYTES / 12 + 1)).toBe(false);
    expect(useWasm('unary', 1e6)).toBe(wasmEnabled());
    expect(useWasm('matmul', 1e9, 4 * 2 ** 30)).toBe(false);
  });
});
