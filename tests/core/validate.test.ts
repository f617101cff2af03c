/**
 * The argument checks of the public boundary (src/core/validate.ts): each
 * returns its argument when it is of the right kind, and otherwise throws a
 * TypegradError whose message starts with the op, names the argument and
 * shows the bad value. Nothing is coerced.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Tensor, TypegradError, ValueError, tensor } from '../../src/index.js';
import {
  checkArray,
  checkAsyncIterable,
  checkBytes,
  checkFunction,
  checkIterable,
  checkObject,
  checkOneOf,
  checkString,
} from '../../src/core/validate.js';
import { describeValue } from '../../src/core/describe.js';

/** Every kind of value a caller might pass by mistake. */
const anything = fc.oneof(
  fc.anything(),
  fc.constantFrom<unknown>(() => 1, tensor([1, 2]), new Uint8Array(2), new Map(), new Set([1]), (async function* () {})(), 10n, Symbol('s')),
);

type Check = (op: string, name: string, v: unknown) => unknown;

/** Which values each check accepts: the oracle the checks are held to. */
const cases: [string, Check, (v: unknown) => boolean][] = [
  ['checkFunction', checkFunction, (v) => typeof v === 'function'],
  ['checkString', (op, n, v) => checkString(op, n, v), (v) => typeof v === 'string'],
  ['checkString (non-empty)', (op, n, v) => checkString(op, n, v, true), (v) => typeof v === 'string' && v !== ''],
  ['checkArray', checkArray, (v) => Array.isArray(v)],
  ['checkObject', checkObject, (v) => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Tensor)],
  ['checkIterable', checkIterable, (v) => typeof v === 'object' && v !== null && typeof (v as Iterable<unknown>)[Symbol.iterator] === 'function'],
  ['checkAsyncIterable', (op, n, v) => checkAsyncIterable(op, n, v), (v) => typeof v === 'object' && v !== null && typeof (v as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'],
  [
    'checkAsyncIterable (or sync)',
    (op, n, v) => checkAsyncIterable(op, n, v, true),
    (v) => typeof v === 'object' && v !== null && (typeof (v as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function' || typeof (v as Iterable<unknown>)[Symbol.iterator] === 'function'),
  ],
  ['checkBytes', checkBytes, (v) => v instanceof Uint8Array],
  ['checkOneOf', (op, n, v) => checkOneOf(op, n, v, ['a', 1, null]), (v) => v === 'a' || v === 1 || v === null],
];

describe('validate: the argument checks of the public boundary', () => {
  for (const [name, check, accepts] of cases) {
    it(`${name} returns what it accepts and refuses the rest with a message naming the op, the argument and the value`, () => {
      fc.assert(
        fc.property(anything, (v) => {
          if (accepts(v)) {
            expect(check('myOp', 'thing', v)).toBe(v);
            return;
          }
          let error: unknown;
          try {
            check('myOp', 'thing', v);
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(TypegradError);
          const message = (error as Error).message;
          expect(message.startsWith('myOp: thing must be')).toBe(true);
          expect(message.endsWith(`got ${describeValue(v)}`)).toBe(true);
        }),
        { numRuns: 300 },
      );
    });
  }

  it('messages are safe on cyclic values', () => {
    const o: Record<string, unknown> = { a: 1 };
    o['self'] = o;
    expect(() => checkArray('myOp', 'xs', o)).toThrow(new ValueError('myOp: xs must be an array, got {a: 1, self: <cycle>}'));
    expect(() => checkString('myOp', 's', [o])).toThrow(/^myOp: s must be a string, got \[\{a: 1, self: <cycle>\}\]$/);
  });

  it('the iterable checks do not start the iteration (a one-shot generator is still whole)', () => {
    const gen = (function* () {
      yield 1;
      yield 2;
    })();
    checkIterable('myOp', 'xs', gen);
    checkAsyncIterable('myOp', 'xs', gen, true);
    expect([...gen]).toEqual([1, 2]);
  });
});
