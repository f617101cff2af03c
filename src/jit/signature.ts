/**
 * Call signatures: what selects a staged program. A call's signature is, per
 * argument, either its static value or its tree structure, and per leaf of
 * the non-static arguments either the tensor's shape and dtype or, for a
 * plain leaf (a number, a string), its value. Two calls with equal
 * signatures run the same program.
 *
 * Matching a call against a known signature is the hot path of every jitted
 * call, so it walks the arguments once beside the stored structure, compares
 * numbers and strings, and allocates only the list of input tensors.
 */
import type { DType } from '../core/dtype.js';
import { TraceError } from '../core/errors.js';
import { Tracer } from '../core/trace.js';
import { type AnyTensor, Tensor, dimsOf } from '../core/tensor.js';
import { flatten, type TreeDef } from '../tree/tree.js';

/** The abstract value of a tensor leaf: its shape and dtype. */
export class Aval {
  constructor(
    readonly shape: readonly number[],
    readonly dtype: DType,
  ) {}
}

/** A signature: see the module comment. */
export interface Signature {
  readonly arity: number;
  /** Per argument: its tree structure, or null for a static argument. */
  readonly defs: readonly (TreeDef | null)[];
  /** Per argument: a snapshot of the static value (undefined for the others). */
  readonly statics: readonly unknown[];
  /** Per leaf of the non-static arguments, in order: an {@link Aval} for a tensor, the value otherwise. */
  readonly leaves: readonly unknown[];
}

/** The outcome of reading a call: its signature and its tensor leaves, or 'traced' when a leaf is a tracer of a transform. */
export type Reading = { readonly sig: Signature; readonly inputs: AnyTensor[] } | 'traced';

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** A copy of a static value that later mutation of the caller's object cannot change. */
function snapshot(x: unknown): unknown {
  if (Array.isArray(x)) return Object.freeze(x.map(snapshot));
  if (isPlainObject(x)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(x)) out[k] = snapshot(x[k]);
    return Object.freeze(out);
  }
  return x;
}

/** Equality of static values: by value for arrays, plain objects and primitives, by identity otherwise. */
export function staticEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!staticEqual(a[i], b[i])) return false;
    return true;
  }
  if (isPlainObject(a)) {
    if (!isPlainObject(b)) return false;
    let n = 0;
    for (const k in b) {
      if (!Object.hasOwn(a, k) || !staticEqual(a[k], b[k])) return false;
      n++;
    }
    return n === Object.keys(a).length;
  }
  return false;
}

/** Reads a call from scratch (a cache miss): flattens each non-static argument. */
export function readCall(op: string, args: readonly unknown[], isStatic: readonly boolean[]): Reading {
  const defs: (TreeDef | null)[] = [];
  const statics: unknown[] = [];
  const leaves: unknown[] = [];
  const inputs: AnyTensor[] = [];
  for (let i = 0; i < args.length; i++) {
    if (isStatic[i]) {
      if (args[i] instanceof Tensor) {
        throw new TraceError(`${op}: static argument ${i} is a tensor; static arguments must be plain values (numbers, strings, options objects): pass tensors as ordinary arguments`);
      }
      defs.push(null);
      statics.push(snapshot(args[i]));
      continue;
    }
    const [ls, def] = flatten(args[i]);
    defs.push(def);
    statics.push(undefined);
    for (const leaf of ls) {
      if (leaf instanceof Tensor) {
        if (leaf instanceof Tracer) return 'traced';
        leaves.push(new Aval(dimsOf(leaf), leaf.dtype));
        inputs.push(leaf as AnyTensor);
      } else leaves.push(leaf);
    }
  }
  for (let i = args.length; i < isStatic.length; i++) {
    if (isStatic[i]) throw new TraceError(`${op}: static argument ${i} is missing: the call has ${args.length} arguments`);
  }
  return { sig: { arity: args.length, defs, statics, leaves }, inputs };
}

/**
 * Matches a call against `sig`, pushing its tensor leaves onto `inputs`.
 * Returns 1 on a match, 0 on a mismatch, -1 when a leaf is a tracer.
 */
export function matchCall(sig: Signature, args: readonly unknown[], inputs: AnyTensor[]): number {
  if (args.length !== sig.arity) return 0;
  const defs = sig.defs, leaves = sig.leaves;
  let leaf = 0;
  for (let i = 0; i < args.length; i++) {
    const def = defs[i];
    const arg = args[i];
    if (def === null || def === undefined) {
      if (!staticEqual(sig.statics[i], arg)) return 0;
      continue;
    }
    // A tensor argument (the common case): compare it here, without the tree walk.
    const want = def.kind === 'leaf' ? leaves[leaf] : undefined;
    if (want instanceof Aval && arg instanceof Tensor && !(arg instanceof Tracer)) {
      leaf++;
      if (arg.dtype !== want.dtype) return 0;
      const s = arg.shape as readonly number[], w = want.shape;
      if (s.length !== w.length) return 0;
      for (let j = 0; j < s.length; j++) if (s[j] !== w[j]) return 0;
      inputs.push(arg as AnyTensor);
      continue;
    }
    const cursor = { leaf, result: 1 };
    if (!matchTree(def, arg, leaves, cursor, inputs)) return cursor.result === -1 ? -1 : 0;
    leaf = cursor.leaf;
  }
  return 1;
}

function matchTree(def: TreeDef, node: unknown, leaves: readonly unknown[], cursor: { leaf: number; result: number }, inputs: AnyTensor[]): boolean {
  if (def.kind === 'leaf') {
    const want = leaves[cursor.leaf++];
    if (want instanceof Aval) {
      if (!(node instanceof Tensor) || node.dtype !== want.dtype) return false;
      if (node instanceof Tracer) {
        cursor.result = -1;
        return false;
      }
      const s = node.shape as readonly number[], w = want.shape;
      if (s.length !== w.length) return false;
      for (let j = 0; j < s.length; j++) if (s[j] !== w[j]) return false;
      inputs.push(node as AnyTensor);
      return true;
    }
    return !(node instanceof Tensor) && !Array.isArray(node) && !isPlainObject(node) && Object.is(node, want);
  }
  if (def.kind === 'array') {
    if (!Array.isArray(node) || node.length !== def.children.length) return false;
    for (let j = 0; j < node.length; j++) if (!matchTree(def.children[j]!, node[j], leaves, cursor, inputs)) return false;
    return true;
  }
  if (node instanceof Tensor || !isPlainObject(node)) return false;
  const keys = def.keys;
  let n = 0;
  for (const _ in node) n++;
  if (n !== keys.length) return false;
  for (let j = 0; j < keys.length; j++) {
    const k = keys[j]!;
    if (!Object.hasOwn(node, k) || !matchTree(def.children[j]!, node[k], leaves, cursor, inputs)) return false;
  }
  return true;
}
