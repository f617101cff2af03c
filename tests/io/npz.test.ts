import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deflateRawSync } from 'node:zlib';
import { FormatError, io, tensor, zeros, scalar } from '../../src/index.js';
import { inflateRaw } from '../../src/io/inflate.js';
import { expected, fixture, onlyNamedErrors, throwsNamed } from './helpers.js';

describe('.npz files written by NumPy', () => {
  it.each(['stored.npz', 'deflated.npz'])('%s reads every array with its values', (name) => {
    const arrays = io.fromNpz(fixture(name), { name });
    const want = expected[name] as Record<string, { shape: number[]; values: unknown }>;
    expect([...arrays.keys()].sort()).toEqual(Object.keys(want).sort());
    for (const [k, w] of Object.entries(want)) {
      expect(arrays.get(k)!.shape).toEqual(w.shape);
      expect(arrays.get(k)!.toArray()).toEqual(w.values);
    }
  });
});

describe('.npz round trips', () => {
  const tree = { a: tensor([[1, -0], [NaN, 3]]), b: { c: tensor([1, 2], { dtype: 'int32' }), d: scalar(true) }, e: zeros([0, 2], { dtype: 'float64' }) };
  it.each([['stored', {}], ['deflated', { deflate: (d: Uint8Array) => new Uint8Array(deflateRawSync(d)) }]] as const)('%s, bit for bit', (_what, opts) => {
    const back = io.fromNpz(io.toNpz(tree, opts));
    expect([...back.keys()].sort()).toEqual(['a', 'b.c', 'b.d', 'e']);
    expect(io.tensorToRaw(back.get('a')!).bytes).toEqual(io.tensorToRaw(tree.a).bytes);
    expect(back.get('b.d')!.item()).toBe(true);
    expect(back.get('e')!.shape).toEqual([0, 2]);
  });
});

describe('inflate', () => {
  it('property: agrees with zlib on random and repetitive data, at every level', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 3000 }), fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 5000 }).map((a) => new Uint8Array(a))), fc.integer({ min: 0, max: 9 }), (data, level) => {
        const z = new Uint8Array(deflateRawSync(data, { level }));
        expect(inflateRaw(z, data.length)).toEqual(data);
      }),
      { numRuns: 200 },
    );
  });
  it('refuses to inflate past the declared size (zip bomb) or short of it', () => {
    const z = new Uint8Array(deflateRawSync(new Uint8Array(100000)));
    expect(() => inflateRaw(z, 1000)).toThrow(/more than the declared 1000/);
    expect(() => inflateRaw(z, 200000)).toThrow(/not the declared 200000/);
  });
});

describe('.npz: malformed archives are named errors', () => {
  const good = io.toNpz({ x: tensor([1, 2, 3]) });
  it('not a zip', () => throwsNamed(() => io.fromNpz(new Uint8Array(40), { name: 'x.npz' }), FormatError, 'npz: x.npz', 'no end-of-central-directory'));
  it('truncated', () => throwsNamed(() => io.fromNpz(good.subarray(0, good.length - 30), { name: 'x.npz' }), FormatError, 'npz: x.npz'));
  it('corrupt data (CRC)', () => {
    const b = good.slice();
    b[120] ^= 1;
    throwsNamed(() => io.fromNpz(b, { name: 'x.npz' }), FormatError, /CRC|npy/);
  });
  it('a declared size no deflate stream can reach', () => {
    const b = io.toNpz({ x: tensor([1, 2, 3]) }, { deflate: (d) => new Uint8Array(deflateRawSync(d)) });
    const dv = new DataView(b.buffer);
    const cd = dv.getUint32(b.length - 6, true);
    dv.setUint32(cd + 24, 2 ** 31, true);
    throwsNamed(() => io.fromNpz(b, { name: 'bomb.npz' }), FormatError, 'more than deflate can produce');
  });
  it('an entry that is not .npy', () => {
    throwsNamed(() => io.fromNpz(io.writeZip([['a.txt', new Uint8Array(1)]]), { name: 'x.npz' }), FormatError, '"a.txt" is not a .npy file');
  });
  it('a malformed .npy inside names the archive and the entry', () => {
    throwsNamed(() => io.fromNpz(io.writeZip([['a.npy', new Uint8Array(12)]]), { name: 'x.npz' }), FormatError, 'npy: x.npz/a.npy', 'bad magic');
  });
  it('fuzz: mutated archives give arrays or named errors', () => {
    const seeds = [good, fixture('stored.npz'), fixture('deflated.npz')];
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 3 }), fc.option(fc.nat()), (seed, sets, cut) => {
        let b = seed.slice();
        for (const [at, v] of sets) b[at % b.length] = v;
        if (cut !== null) b = b.subarray(0, cut % b.length);
        onlyNamedErrors(() => io.fromNpz(b));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('crc32', () => {
  it('gives the standard check value for "123456789"', () => {
    expect(io.crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });
});
