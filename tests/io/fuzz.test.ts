/**
 * Fuzzing the parsers: random bytes and mutations of valid files must give
 * a valid result or a named TypegradError, never a TypeError or RangeError,
 * and never more output bytes than the input holds (nothing is allocated
 * from an unchecked size).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { io, nn, random, tensor, scalar, zeros } from '../../src/index.js';
import { fixture, onlyNamedErrors } from './helpers.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);

/** A mutation of a valid file: flip, set, insert or delete bytes, truncate, or rewrite the length prefix. */
const mutated = (seeds: Uint8Array[]) =>
  fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.array(
        fc.oneof(
          fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
          fc.record({ op: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 7 }) }),
          fc.record({ op: fc.constant('insert' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
          fc.record({ op: fc.constant('delete' as const), at: fc.nat(), value: fc.nat(16) }),
          fc.record({ op: fc.constant('truncate' as const), at: fc.nat(), value: fc.constant(0) }),
          fc.record({ op: fc.constant('digit' as const), at: fc.nat(), value: fc.integer({ min: 0x30, max: 0x39 }) }),
        ),
        { minLength: 1, maxLength: 4 },
      ),
    )
    .map(([seed, ops]) => {
      let b = Array.from(seed);
      for (const { op, at, value } of ops) {
        const i = b.length === 0 ? 0 : at % b.length;
        if (op === 'set') b[i] = value;
        else if (op === 'flip') b[i] = (b[i] ?? 0) ^ (1 << value);
        else if (op === 'insert') b.splice(i, 0, value);
        else if (op === 'delete') b.splice(i, value);
        else if (op === 'truncate') b = b.slice(0, i);
        else {
          // Overwrite a digit inside the header text, to reach the shape and offset checks.
          const digits = b.map((x, k) => (x >= 0x30 && x <= 0x39 ? k : -1)).filter((k) => k >= 0);
          if (digits.length > 0) b[digits[at % digits.length]!] = value;
        }
      }
      return new Uint8Array(b);
    });

function checkSafetensors(bytes: Uint8Array): void {
  onlyNamedErrors(() => {
    const { tensors } = io.parseSafetensors(bytes);
    let total = 0;
    for (const raw of tensors.values()) total += raw.bytes.length;
    expect(total).toBeLessThanOrEqual(bytes.length);
    io.fromSafetensors(bytes);
  });
}

function checkNpy(bytes: Uint8Array): void {
  onlyNamedErrors(() => {
    const raw = io.parseNpy(bytes);
    expect(raw.bytes.length).toBeLessThanOrEqual(bytes.length);
    io.fromNpy(bytes);
  });
}

const safetensorSeeds = [
  io.toSafetensors(nn.mlp([3, 4, 2]).init(random.key(0)), { note: 'seed' }),
  io.toSafetensors({ a: tensor([1, 2], { dtype: 'int32' }), b: tensor([true]), c: scalar(1, { dtype: 'float64' }), d: zeros([0, 2]) }),
  fixture('torch.safetensors'),
];
const npySeeds = [fixture('f4.npy'), fixture('i4-fortran.npy'), fixture('f8-big.npy'), fixture('scalar.npy'), fixture('v3.npy'), fixture('b1.npy'), io.toNpy(zeros([0, 2]))];

describe('fuzz: safetensors', () => {
  it('random bytes', () => fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), checkSafetensors), { numRuns: RUNS }));
  it('random bytes after a plausible length prefix', () =>
    fc.assert(
      fc.property(fc.nat(300), fc.uint8Array({ maxLength: 300 }), (n, rest) => {
        const b = new Uint8Array(8 + rest.length);
        new DataView(b.buffer).setUint32(0, n, true);
        b.set(rest, 8);
        checkSafetensors(b);
      }),
      { numRuns: RUNS },
    ));
  it('mutated valid files', () => fc.assert(fc.property(mutated(safetensorSeeds), checkSafetensors), { numRuns: RUNS * 2 }));
});

describe('fuzz: npy', () => {
  it('random bytes', () => fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), checkNpy), { numRuns: RUNS }));
  it('random text after a valid preamble', () =>
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), fc.nat(64), (text, n) => {
        const h = new TextEncoder().encode(text);
        const b = new Uint8Array(10 + h.length + n);
        b.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 255, h.length >> 8]);
        b.set(h, 10);
        checkNpy(b);
      }),
      { numRuns: RUNS },
    ));
  it('mutated valid files', () => fc.assert(fc.property(mutated(npySeeds), checkNpy), { numRuns: RUNS * 2 }));
});
