/**
 * Fault injection for atomic writes: a failure while writing, or at the
 * rename, leaves the old file byte-identical and no temporary file behind.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { tensor } from '../../src/index.js';
import { io } from '../../src/node.js';

const dir = mkdtempSync(join(tmpdir(), 'typegrad-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('io.writeFileAtomic', () => {
  it('replaces the file and leaves nothing else', () => {
    const path = join(dir, 'a.bin');
    io.writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    io.writeFileAtomic(path, [new Uint8Array([4]), new Uint8Array([5, 6])]);
    expect([...readFileSync(path)]).toEqual([4, 5, 6]);
    expect(readdirSync(dir)).toEqual(['a.bin']);
  });
  it('property: a failure after any number of chunks keeps the old file and removes the temp file', () => {
    const path = join(dir, 'b.bin');
    writeFileSync(path, 'old contents');
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 6 }), fc.nat(), (chunks, at) => {
        const k = chunks.length === 0 ? 0 : at % (chunks.length + 1);
        // A chunk that fails when read makes the write fail there, after k chunks went to the temp file.
        const failing = { get length(): number { throw new Error('injected: disk full'); } } as unknown as Uint8Array;
        const bad = [...chunks.slice(0, k), failing, ...chunks.slice(k)];
        expect(() => io.writeFileAtomic(path, bad)).toThrow('injected: disk full');
        expect(readFileSync(path, 'utf8')).toBe('old contents');
        expect(readdirSync(dir).filter((n) => n.startsWith('.b.bin'))).toEqual([]);
      }),
      { numRuns: 50 },
    );
  });
  it('a failing rename (the target is a directory) keeps the directory and removes the temp file', () => {
    const path = join(dir, 'c');
    mkdirSync(path);
    expect(() => io.writeFileAtomic(path, new Uint8Array([1]))).toThrow();
    expect(readdirSync(dir).filter((n) => n.startsWith('.c'))).toEqual([]);
  });
  it('io.save of a bad tree writes nothing', () => {
    const path = join(dir, 'm.safetensors');
    io.save(path, { w: tensor([1, 2]) });
    const before = readFileSync(path);
    expect(() => io.save(path, { w: 3 })).toThrow(/expected a tensor/);
    expect(readFileSync(path)).toEqual(before);
  });
});
