/**
 * A training state as one safetensors file: the tensors go into the data
 * section under their dotted paths, and everything else (numbers, strings,
 * booleans, PRNG keys, loader positions, the tree's shape) into a JSON
 * "skeleton" in the metadata, where each tensor is `{"$tensor": path}`.
 * Numbers survive exactly: JSON's shortest round-trip decimal for finite
 * values, `{"$number": "NaN" | "Infinity" | "-Infinity" | "-0"}` for the rest.
 */
import { DTypeError, ShapeError, formatShape } from '../core/errors.js';
import { type AnyTensor, Tensor, dimsOf } from '../core/tensor.js';
import { isKey, makeKey } from '../random/key.js';
import { CheckpointError } from '../io/errors.js';
import { isSpec, type Loaded } from '../io/spec.js';
import { isJsonObject, type Json } from '../io/json.js';

/** The metadata key holding the skeleton. */
export const STATE_KEY = 'typegrad.state';

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

const join = (prefix: string, key: string | number): string => (prefix === '' ? String(key) : `${prefix}.${key}`);
const at = (path: string): string => (path === '' ? 'the root' : path);

/** Splits a state into its tensors (by dotted path) and its JSON skeleton. */
export function encodeState(state: unknown): { tensors: Map<string, AnyTensor>; skeleton: string } {
  const tensors = new Map<string, AnyTensor>();
  const walk = (v: unknown, path: string): Json => {
    if (v instanceof Tensor) {
      tensors.set(path, v as AnyTensor);
      return { $tensor: path };
    }
    if (isKey(v)) return { $key: [...v.words] };
    if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0) ? v : { $number: Object.is(v, -0) ? '-0' : String(v) };
    if (typeof v === 'string' || typeof v === 'boolean' || v === null) return v;
    if (v === undefined) return { $undefined: true };
    if (Array.isArray(v)) return v.map((c, i) => walk(c, join(path, i)));
    if (isPlainObject(v)) {
      const out: Record<string, Json> = {};
      for (const k of Object.keys(v).sort()) {
        if (k === '' || k.includes('.')) throw new CheckpointError(`checkpoint.save: key ${JSON.stringify(k)} at ${at(path)} is empty or contains '.'`);
        out[k] = walk(v[k], join(path, k));
      }
      // An object that looks like one of our markers is wrapped, so it reads back as itself.
      const keys = Object.keys(out);
      return keys.length === 1 && keys[0]!.startsWith('$') ? { $object: out } : out;
    }
    throw new CheckpointError(`checkpoint.save: ${at(path)} is ${typeof v === 'object' ? `a ${Object.getPrototypeOf(v)?.constructor?.name ?? 'null-prototype'} object` : typeof v}; a state holds tensors, numbers, strings, booleans, null, keys, arrays and plain objects`);
  };
  const skeleton = walk(state, '');
  return { tensors, skeleton: JSON.stringify(skeleton) };
}

const NUMBERS: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity, '-0': -0 };

/**
 * Rebuilds a state from its skeleton and tensors, checking it against the
 * template `like`: the same structure, and tensors of the template's shapes
 * and dtypes. Under a key named `metadata` anything goes (user metadata).
 */
export function decodeState<T>(skeleton: Json, tensors: ReadonlyMap<string, AnyTensor>, like: T, where: string): Loaded<T> {
  const kind = (v: unknown): string =>
    v instanceof Tensor || isSpec(v) ? 'a tensor' : isKey(v) ? 'a key' : Array.isArray(v) ? 'an array' : v === null ? 'null' : typeof v === 'object' ? 'an object' : typeof v;
  const mismatch = (path: string, saved: string, want: unknown): never => {
    throw new CheckpointError(`${where}: ${at(path)} is ${saved} in the checkpoint but ${kind(want)} in the template`);
  };
  const free = (s: Json, path: string): unknown => build(s, path, undefined, true);
  const build = (s: Json, path: string, t: unknown, anything: boolean): unknown => {
    if (isJsonObject(s)) {
      const keys = Object.keys(s);
      const marker = keys.length === 1 && keys[0]!.startsWith('$') ? keys[0] : undefined;
      if (marker === '$tensor') {
        const name = s.$tensor;
        const got = typeof name === 'string' ? tensors.get(name) : undefined;
        if (got === undefined) throw new CheckpointError(`${where}: the tensor of ${at(path)} is missing from the file`);
        if (!anything) {
          if (!(t instanceof Tensor) && !isSpec(t)) return mismatch(path, 'a tensor', t);
          const want = t as { shape: readonly number[]; dtype: string };
          const gs = dimsOf(got);
          if (gs.length !== want.shape.length || gs.some((d, i) => d !== want.shape[i])) {
            throw new ShapeError(`${where}: ${at(path)} has shape ${formatShape(gs)} in the checkpoint but ${formatShape(want.shape)} in the template`);
          }
          if (got.dtype !== want.dtype) throw new DTypeError(`${where}: ${at(path)} is ${got.dtype} in the checkpoint but ${want.dtype} in the template`);
        }
        return got;
      }
      if (marker === '$key') {
        const w = s.$key;
        if (!Array.isArray(w) || w.length !== 2 || !w.every((x) => typeof x === 'number' && x >>> 0 === x)) throw new CheckpointError(`${where}: ${at(path)}: a malformed key`);
        if (!anything && !isKey(t)) mismatch(path, 'a key', t);
        return makeKey(w[0] as number, w[1] as number);
      }
      if (marker === '$number') {
        const v = NUMBERS[String(s.$number)];
        if (v === undefined) throw new CheckpointError(`${where}: ${at(path)}: a malformed number`);
        if (!anything && typeof t !== 'number') mismatch(path, 'a number', t);
        return v;
      }
      if (marker === '$undefined') {
        if (!anything && t !== undefined) mismatch(path, 'undefined', t);
        return undefined;
      }
      const obj = (marker === '$object' && isJsonObject(s.$object) ? s.$object : s) as Record<string, Json>;
      if (!anything) {
        if (!isPlainObject(t) || t instanceof Tensor || isSpec(t) || isKey(t)) return mismatch(path, 'an object', t);
        const ks = Object.keys(obj).sort(), kt = Object.keys(t).sort();
        if (ks.join('\u0000') !== kt.join('\u0000')) {
          throw new CheckpointError(`${where}: ${at(path)} has keys [${ks.join(',')}] in the checkpoint but [${kt.join(',')}] in the template`);
        }
      }
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(obj)) {
        const p = join(path, k);
        out[k] = anything || k === 'metadata' ? free(obj[k]!, p) : build(obj[k]!, p, (t as Record<string, unknown>)[k], false);
      }
      return out;
    }
    if (Array.isArray(s)) {
      if (!anything) {
        if (!Array.isArray(t)) return mismatch(path, 'an array', t);
        if (t.length !== s.length) throw new CheckpointError(`${where}: ${at(path)} has ${s.length} elements in the checkpoint but ${t.length} in the template`);
      }
      return s.map((c, i) => build(c, join(path, i), anything ? undefined : (t as unknown[])[i], anything));
    }
    if (!anything && (s === null ? t !== null : typeof s !== typeof t)) mismatch(path, s === null ? 'null' : typeof s, t);
    return s;
  };
  return build(skeleton, '', like, false) as Loaded<T>;
}
