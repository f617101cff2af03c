/**
 * Parameter trees: a tensor, or nested arrays, tuples and plain objects of
 * tensors. Flattening order is deterministic: arrays by index, objects by
 * sorted key. Errors name the path where two trees differ, e.g.
 * `params.layers[1].b`.
 */
import { describeValue } from '../core/describe.js';
import { TreeError, ValueError } from '../core/errors.js';
import { checkArray, checkFunction } from '../core/validate.js';
import { Tensor, type AnyTensor } from '../core/tensor.js';

/** Any parameter tree. */
export type PyTree = AnyTensor | readonly PyTree[] | { readonly [key: string]: PyTree };

/**
 * The constraint `P extends PyTreeOf<P>` accepts interfaces and type aliases
 * whose leaves are all tensors, and rejects number leaves.
 */
export type PyTreeOf<P> = AnyTensor | { readonly [K in keyof P]: P[K] extends AnyTensor ? P[K] : P[K] extends object ? PyTreeOf<P[K]> : never };

/** The structure of a tree, without its leaves. Compare with {@link structureEquals}. */
export type TreeDef =
  | { readonly kind: 'leaf' }
  | { readonly kind: 'array'; readonly children: readonly TreeDef[] }
  | { readonly kind: 'object'; readonly keys: readonly string[]; readonly children: readonly TreeDef[] };

const LEAF: TreeDef = Object.freeze({ kind: 'leaf' });

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** True for values that are leaves: tensors and anything that is not an array or plain object. */
export function isLeaf(x: unknown): boolean {
  return x instanceof Tensor || !(Array.isArray(x) || isPlainObject(x));
}

/** Deepest nesting a tree may have (deeper is surely a mistake, and would overflow the stack). */
const MAX_DEPTH = 1000;

function childPath(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/**
 * Splits a tree into its leaves (in order) and its structure.
 * @example
 * ```ts
 * const [leaves, def] = tree.flatten({ w: zeros([2]), b: [scalar(1)] }); // leaves: [b[0], w]
 * ```
 */
export function flatten(tree: unknown, op = 'tree.flatten'): [leaves: unknown[], def: TreeDef] {
  const leaves: unknown[] = [];
  const open = new Set<object>(); // the containers on the path from the root: a tree is finite and acyclic
  const enter = (node: object): void => {
    if (open.has(node)) throw new TreeError(`${op}: the tree contains itself (a cycle), so it has no finite structure`);
    if (open.size > MAX_DEPTH) throw new TreeError(`${op}: the tree is nested more than ${MAX_DEPTH} levels deep`);
    open.add(node);
  };
  const walk = (node: unknown): TreeDef => {
    if (Array.isArray(node)) {
      enter(node);
      const def: TreeDef = { kind: 'array', children: node.map(walk) };
      open.delete(node);
      return def;
    }
    if (!(node instanceof Tensor) && isPlainObject(node)) {
      enter(node);
      const keys = Object.keys(node).sort();
      const def: TreeDef = { kind: 'object', keys, children: keys.map((k) => walk(node[k])) };
      open.delete(node);
      return def;
    }
    leaves.push(node);
    return LEAF;
  };
  const def = walk(tree);
  return [leaves, def];
}

/** Leaves with their paths, in flattening order. */
export function leavesWithPaths(tree: unknown, root = 'tree'): [path: string, leaf: unknown][] {
  const out: [string, unknown][] = [];
  flatten(tree, 'tree.leavesWithPaths'); // refuses a cyclic tree before the walk below could recurse forever
  const walk = (node: unknown, path: string): void => {
    if (Array.isArray(node)) node.forEach((c, i) => walk(c, childPath(path, i)));
    else if (!(node instanceof Tensor) && isPlainObject(node)) {
      for (const k of Object.keys(node).sort()) walk(node[k], childPath(path, k));
    } else out.push([path, node]);
  };
  walk(tree, root);
  return out;
}

/**
 * Rebuilds a tree from a structure and leaves (in flattening order).
 * @example
 * ```ts
 * const [leaves, def] = tree.flatten(params);
 * tree.unflatten(def, leaves); // a tree equal to params
 * ```
 */
export function unflatten<T = unknown>(def: TreeDef, leaves: readonly unknown[]): T {
  checkArray('tree.unflatten', 'leaves', leaves);
  let i = 0;
  let depth = 0;
  const build = (d: TreeDef): unknown => {
    const v = d as Partial<{ kind: unknown; keys: unknown; children: unknown }> | null;
    const ok =
      typeof v === 'object' && v !== null &&
      (v.kind === 'leaf' ||
        (v.kind === 'array' && Array.isArray(v.children)) ||
        (v.kind === 'object' && Array.isArray(v.children) && Array.isArray(v.keys) && v.keys.length === v.children.length));
    if (!ok) throw new TreeError(`tree.unflatten: def must be a structure from tree.flatten or tree.structure, got ${describeValue(d)} inside it`);
    if (++depth > MAX_DEPTH) throw new TreeError(`tree.unflatten: def is nested more than ${MAX_DEPTH} levels deep (or contains itself)`);
    try {
      return buildNode(d);
    } finally {
      depth--;
    }
  };
  const buildNode = (d: TreeDef): unknown => {
    if (d.kind === 'leaf') {
      if (i >= leaves.length) throw new TreeError(`tree.unflatten: structure needs more than ${leaves.length} leaves`);
      return leaves[i++];
    }
    if (d.kind === 'array') return d.children.map(build);
    const obj: Record<string, unknown> = {};
    d.keys.forEach((k, j) => (obj[k] = build(d.children[j]!)));
    return obj;
  };
  const out = build(def);
  if (i !== leaves.length) throw new TreeError(`tree.unflatten: structure has ${i} leaves, got ${leaves.length}`);
  return out as T;
}

/** The leaves of a tree in flattening order. */
export function leaves(tree: unknown): unknown[] {
  return flatten(tree, 'tree.leaves')[0];
}

/** The structure of a tree. */
export function structure(tree: unknown): TreeDef {
  return flatten(tree, 'tree.structure')[1];
}

/**
 * Throws a `TreeError` naming the first path where `a` and `b` differ in
 * structure (`op: params.layers[1] has keys [b,w] but grads.layers[1] has keys [w]`).
 */
export function assertSameStructure(op: string, a: unknown, b: unknown, nameA = 'a', nameB = 'b'): void {
  if (typeof op !== 'string') throw new ValueError(`tree.assertSameStructure: op must be a string (the name the error starts with), got ${describeValue(op)}`);
  flatten(a, op); // cycles are refused before the walk below
  flatten(b, op);
  const walk = (x: unknown, y: unknown, px: string, py: string): void => {
    const xa = Array.isArray(x), ya = Array.isArray(y);
    const xo = !xa && !(x instanceof Tensor) && isPlainObject(x);
    const yo = !ya && !(y instanceof Tensor) && isPlainObject(y);
    if (xa || ya) {
      if (!(xa && ya)) throw new TreeError(`${op}: ${px} is ${describe(x)} but ${py} is ${describe(y)}`);
      if (x.length !== y.length) throw new TreeError(`${op}: ${px} has ${x.length} elements but ${py} has ${y.length}`);
      x.forEach((c, i) => walk(c, y[i], childPath(px, i), childPath(py, i)));
      return;
    }
    if (xo || yo) {
      if (!(xo && yo)) throw new TreeError(`${op}: ${px} is ${describe(x)} but ${py} is ${describe(y)}`);
      const kx = Object.keys(x).sort(), ky = Object.keys(y).sort();
      if (kx.join('\u0000') !== ky.join('\u0000')) {
        throw new TreeError(`${op}: ${px} has keys [${kx.join(',')}] but ${py} has keys [${ky.join(',')}]`);
      }
      for (const k of kx) walk(x[k], y[k], childPath(px, k), childPath(py, k));
    }
  };
  walk(a, b, nameA, nameB);
}

function describe(x: unknown): string {
  if (x instanceof Tensor) return `a tensor of shape [${(x.shape as readonly number[]).join(',')}]`;
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (isPlainObject(x)) return 'an object';
  return x === null ? 'null' : typeof x;
}

/** True when two trees have the same structure (leaves are not compared). */
export function structureEquals(a: unknown, b: unknown): boolean {
  try {
    assertSameStructure('tree.structureEquals', a, b);
    return true;
  } catch {
    return false;
  }
}

/**
 * Maps every leaf of a tree, keeping its structure (and, for typed trees, its type).
 * @example
 * ```ts
 * const halved = tree.map(params, (p) => mul(p, 0.5)); // same type as params
 * ```
 */
export function map<T>(tree: T, f: (leaf: AnyTensor, path: string) => AnyTensor, root = 'tree'): T {
  checkFunction('tree.map', 'f', f);
  flatten(tree, 'tree.map'); // refuses a cyclic tree before the walk below could recurse forever
  const walk = (node: unknown, path: string): unknown => {
    if (Array.isArray(node)) return node.map((c, i) => walk(c, childPath(path, i)));
    if (!(node instanceof Tensor) && isPlainObject(node)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(node)) out[k] = walk(node[k], childPath(path, k));
      return out;
    }
    if (!(node instanceof Tensor)) throw new TreeError(`tree.map: ${path} is ${describe(node)}, expected a tensor`);
    return f(node, path);
  };
  return walk(tree, root) as T;
}

/**
 * Maps pairs of leaves of two trees with the same structure.
 * @example
 * ```ts
 * const next = tree.map2(params, grads, (p, g) => sub(p, mul(g, 0.1)));
 * ```
 */
export function map2<T>(a: T, b: NoInfer<T>, f: (x: AnyTensor, y: AnyTensor, path: string) => AnyTensor, root = 'tree'): T {
  checkFunction('tree.map2', 'f', f);
  assertSameStructure('tree.map2', a, b, root, root);
  const walk = (x: unknown, y: unknown, path: string): unknown => {
    if (Array.isArray(x)) return x.map((c, i) => walk(c, (y as unknown[])[i], childPath(path, i)));
    if (!(x instanceof Tensor) && isPlainObject(x)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(x)) out[k] = walk(x[k], (y as Record<string, unknown>)[k], childPath(path, k));
      return out;
    }
    if (!(x instanceof Tensor) || !(y instanceof Tensor)) {
      throw new TreeError(`tree.map2: ${path} is ${describe(x)} and ${describe(y)}, expected two tensors`);
    }
    return f(x, y, path);
  };
  return walk(a, b, root) as T;
}

/**
 * Pairs the leaves of trees with the same structure: `zip(a, b)` is a list of `[leafA, leafB]`.
 * @example
 * ```ts
 * for (const [p, g] of tree.zip(params, grads)) console.log(p, g); // leaves side by side
 * ```
 */
export function zip(...trees: readonly unknown[]): unknown[][] {
  if (trees.length === 0) return [];
  for (let i = 1; i < trees.length; i++) assertSameStructure('tree.zip', trees[0], trees[i], 'tree0', `tree${i}`);
  const all = trees.map((t) => flatten(t, 'tree.zip')[0]);
  return all[0]!.map((_, j) => all.map((l) => l[j]));
}
