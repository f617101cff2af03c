/**
 * Storage allocation: `allocate` gives zeroed storage; `allocateOverwritten`
 * gives float32 storage of the right length that the caller fills in full
 * (large buffers skip the zeroing, so their contents start unspecified).
 */
import { describe, expect, it } from 'vitest';
import { allocate, allocateOverwritten } from '../../src/core/dtype.js';
import { ResourceError } from '../../src/core/errors.js';
import { platform } from '../../src/platform/index.js';

describe('allocateOverwritten', () => {
  it('gives float32 storage of exactly the asked length, small (zeroed) or large (its own buffer)', () => {
    for (const n of [0, 1, 17, 4096, (1 << 18) + 3, 3_000_001]) {
      const s = allocateOverwritten(n);
      expect(s).toBeInstanceOf(Float32Array);
      expect(s.length).toBe(n);
      if (n * 4 > 1 << 20) {
        expect(s.byteOffset).toBe(0);
        expect(s.buffer.byteLength).toBe(n * 4);
      } else {
        expect(Array.from(s).every((v) => v === 0)).toBe(true);
      }
      s.fill(2.5);
      expect(s[n - 1] ?? 2.5).toBe(2.5);
    }
  });

  it('two large allocations never share memory', () => {
    const a = allocateOverwritten(400_000), b = allocateOverwritten(400_000);
    a.fill(1);
    b.fill(2);
    expect(a.buffer).not.toBe(b.buffer);
    expect(a[399_999]).toBe(1);
  });

  it('rejects sizes no tensor may hold, as allocate does', () => {
    expect(() => allocateOverwritten(2 ** 31)).toThrow(ResourceError);
    expect(() => allocate('float32', 2 ** 31)).toThrow(ResourceError);
  });

  it('the host gives an unzeroed buffer of the asked size', () => {
    expect(platform().name).toBe('node');
    expect(platform().uninitialized(3 << 20).byteLength).toBe(3 << 20);
  });
});
