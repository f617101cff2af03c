/**
 * The probe suite's machinery: the public functions (from the export list of
 * src/index.ts, so a new export is probed without a change here), the
 * classes of bad values, and the classification of one call's outcome.
 */
import fc from 'fast-check';
import * as api from '../../src/index.js';
import { TypegradError } from '../../src/index.js';

/** A public function and its path in the export list (`optim.adam`, `nn.linear`). */
export interface PublicFunction {
  readonly path: string;
  /** The last segment: what a message should start with or contain. */
  readonly name: string;
  readonly fn: (...args: unknown[]) => unknown;
}

const isModule = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && (Object.prototype.toString.call(v) === '[object Module]' || Object.getPrototypeOf(v) === null);

/** Every exported function (classes and constants left out), namespaces walked. */
export function publicFunctions(): PublicFunction[] {
  const out: PublicFunction[] = [];
  const walk = (ns: Record<string, unknown>, prefix: string, depth: number): void => {
    for (const [key, value] of Object.entries(ns)) {
      if (typeof value === 'function') {
        if (/^[A-Z]/.test(key)) continue; // a class (Tensor, the errors)
        out.push({ path: prefix + key, name: key, fn: value as PublicFunction['fn'] });
      } else if (depth < 3 && isModule(value)) walk(value, `${prefix}${key}.`, depth + 1);
    }
  };
  walk(api as unknown as Record<string, unknown>, '', 0);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/** A cyclic object and a cyclic array. */
function cyclic(): unknown[] {
  const o: Record<string, unknown> = { a: 1 };
  o['self'] = o;
  const a: unknown[] = [1];
  a.push(a);
  return [o, a];
}

/** The classes of bad values, each a short list of values of that class (the probe test tries every one). */
export const BAD_VALUES: Readonly<Record<string, readonly unknown[]>> = {
  'non-tensor': [5, 'a', null, undefined, {}, [1, 2], true, 10n, () => 1],
  'wrong dtype': [
    api.tensor([1, 2], { dtype: 'int32' }),
    api.tensor([true, false]),
    api.scalar(3, { dtype: 'int32' }),
  ],
  'NaN/Inf tensor': [api.tensor([NaN, Infinity, -Infinity]), api.scalar(NaN), api.tensor([[Infinity]], { dtype: 'float64' })],
  'NaN/Inf number': [NaN, Infinity, -Infinity],
  'negative size': [-1, -7, [-1], [2, -3]],
  'huge size': [2 ** 31, 2 ** 40, 1e300, [2 ** 20, 2 ** 20], [2 ** 31]],
  'fractional size': [1.5, 0.25, [1.5], [2, 0.5]],
  'string for number': ['3', '0.5', '', ['2']],
  'wrong-shaped tree': [
    { w: api.tensor([1, 2]) },
    [[api.tensor([1])], api.tensor([1, 2])],
    { w: null },
    [api.tensor([1, 2]), api.tensor([[1, 2]])],
  ],
  cyclic: [...cyclic()],
};

/** The same classes as fast-check arbitraries (for sampling: `run-probes.ts <seed> <runs>`). */
export const BAD_CLASSES: Readonly<Record<string, fc.Arbitrary<unknown>>> = Object.fromEntries(
  Object.entries(BAD_VALUES).map(([cls, values]) => [cls, fc.constantFrom<unknown>(...values)]),
);

/** Plausible values for the other arguments: a small float tensor, a number, nothing. */
export const FILLERS: readonly unknown[] = [api.tensor([[1, 2], [3, 4]]), 2, undefined];

export type Outcome =
  | 'returned'
  | 'named error' // a TypegradError whose message names the function
  | 'named error, other op' // a TypegradError naming something else (the primitive, a helper)
  | 'raw error'; // anything else escaped: TypeError, RangeError, a stack overflow, a string

/** An iterable that computes on demand (a generator, an `iter` pipeline), not a container already filled. */
function isLazyIterable(r: unknown): boolean {
  return r !== null && typeof r === 'object' && !Array.isArray(r) && !ArrayBuffer.isView(r) && !(r instanceof Map) && !(r instanceof Set)
    && typeof (r as Iterable<unknown>)[Symbol.iterator] === 'function' && !(r instanceof api.Tensor);
}

/** Calls `f` with `args`; classifies what happened. Async results are awaited. */
export async function probe(f: PublicFunction, args: readonly unknown[]): Promise<{ outcome: Outcome; detail: string; value?: unknown }> {
  try {
    let r = f.fn(...args);
    // A returned function (grad, a transformation's update) or iterable is lazy: call or start it once.
    if (typeof r === 'function' && !/^[A-Z]/.test(f.name)) r = (r as (...a: unknown[]) => unknown)(...args.slice(1));
    if (r !== null && typeof r === 'object' && typeof (r as { then?: unknown }).then === 'function') r = await r;
    if (r !== null && typeof r === 'object' && typeof (r as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
      await (r as AsyncIterable<unknown>)[Symbol.asyncIterator]().next();
    } else if (isLazyIterable(r)) (r as Iterable<unknown>)[Symbol.iterator]().next();
    return { outcome: 'returned', detail: '', value: r };
  } catch (e) {
    if (e instanceof TypegradError) {
      const names = e.message.includes(f.name) || e.message.includes(f.path);
      return { outcome: names ? 'named error' : 'named error, other op', detail: `${e.name}: ${e.message.slice(0, 160)}` };
    }
    const what = e instanceof Error ? `${e.constructor.name}: ${e.message}` : `non-Error ${String(e)}`;
    return { outcome: 'raw error', detail: what.slice(0, 160) };
  }
}
