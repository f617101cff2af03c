/**
 * @internal Tree walking for optimizers: one pass over a parameter-shaped
 * tree that collects its leaves and checks that other trees (grads, state
 * buffers) have the same structure, shapes and dtypes, naming the first path
 * where they differ. Outputs are rebuilt with the reference tree's key order.
 */
import { DTypeError, ShapeError, TreeError, formatShape } from '../core/errors.js';
import { Tensor, type AnyTensor, dimsOf } from '../core/tensor.js';

/** @internal The structure of a walked tree, in the reference tree's key order. */
export type Skeleton =
  | null // a leaf
  | { readonly kind: 'array'; readonly children: readonly Skeleton[] }
  | { readonly kind: 'object'; readonly keys: readonly string[]; readonly children: readonly Skeleton[] };

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || x instanceof Tensor) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function childPath(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function describe(x: unknown): string {
  if (x instanceof Tensor) return `a tensor of shape ${formatShape(dimsOf(x))}`;
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (isPlainObject(x)) return 'an object';
  return x === null ? 'null' : x === undefined ? 'undefined' : typeof x;
}

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** @internal
 * Walks `trees[0]` and checks every other tree against it: same arrays,
 * same object keys, and at each leaf a tensor of the same shape (and dtype,
 * unless `checkDType` is false). Returns the skeleton and `leaves[k][i]`,
 * leaf i of tree k. Throws `TreeError`, `ShapeError` or `DTypeError` whose
 * message starts with `op` and names both paths (`grads.layers[1].b`).
 */
export function zipTrees(
  op: string,
  trees: readonly unknown[],
  names: readonly string[],
  checkDType = true,
): { skeleton: Skeleton; leaves: AnyTensor[][] } {
  const n = trees.length;
  const leaves: AnyTensor[][] = Array.from({ length: n }, () => []);
  const paths = names.slice();
  let depth = 0;
  const walk = (nodes: unknown[]): Skeleton => {
    const ref = nodes[0];
    // A tree is finite: a cyclic one would recurse until the stack overflows.
    if (++depth > 1000) throw new TreeError(`${op}: ${paths[0]} is nested more than 1000 levels deep (does the tree contain itself?)`);
    try {
      return walkNode(nodes, ref);
    } finally {
      depth--;
    }
  };
  const walkNode = (nodes: unknown[], ref: unknown): Skeleton => {
    if (Array.isArray(ref)) {
      for (let k = 1; k < n; k++) {
        const o = nodes[k];
        if (!Array.isArray(o)) throw new TreeError(`${op}: ${paths[0]} is ${describe(ref)} but ${paths[k]} is ${describe(o)}`);
        if (o.length !== ref.length) throw new TreeError(`${op}: ${paths[0]} has ${ref.length} elements but ${paths[k]} has ${o.length}`);
      }
      const saved = paths.slice();
      const children = ref.map((c, i) => {
        for (let k = 0; k < n; k++) paths[k] = childPath(saved[k]!, i);
        return walk(nodes.map((x) => (x as unknown[])[i]));
      });
      for (let k = 0; k < n; k++) paths[k] = saved[k]!;
      return { kind: 'array', children };
    }
    if (isPlainObject(ref)) {
      const keys = Object.keys(ref);
      for (let k = 1; k < n; k++) {
        const o = nodes[k];
        if (!isPlainObject(o)) throw new TreeError(`${op}: ${paths[0]} is ${describe(ref)} but ${paths[k]} is ${describe(o)}`);
        const ok = Object.keys(o);
        if (ok.length !== keys.length || keys.some((key) => !Object.hasOwn(o, key))) {
          throw new TreeError(`${op}: ${paths[0]} has keys [${keys.slice().sort().join(',')}] but ${paths[k]} has keys [${ok.sort().join(',')}]`);
        }
      }
      const saved = paths.slice();
      const children = keys.map((key) => {
        for (let k = 0; k < n; k++) paths[k] = childPath(saved[k]!, key);
        return walk(nodes.map((x) => (x as Record<string, unknown>)[key]));
      });
      for (let k = 0; k < n; k++) paths[k] = saved[k]!;
      return { kind: 'object', keys, children };
    }
    if (!(ref instanceof Tensor)) throw new TreeError(`${op}: ${paths[0]} is ${describe(ref)}, expected a tensor`);
    const shape = dimsOf(ref);
    for (let k = 1; k < n; k++) {
      const o = nodes[k];
      if (!(o instanceof Tensor)) throw new TreeError(`${op}: ${paths[0]} is ${describe(ref)} but ${paths[k]} is ${describe(o)}`);
      if (!sameDims(shape, dimsOf(o))) {
        throw new ShapeError(`${op}: ${paths[0]} has shape ${formatShape(shape)} but ${paths[k]} has shape ${formatShape(dimsOf(o))}`);
      }
      if (checkDType && o.dtype !== ref.dtype) throw new DTypeError(`${op}: ${paths[0]} is ${ref.dtype} but ${paths[k]} is ${o.dtype}`);
    }
    for (let k = 0; k < n; k++) leaves[k]!.push(nodes[k] as AnyTensor);
    return null;
  };
  const skeleton = walk(trees.slice());
  return { skeleton, leaves };
}

/** @internal Builds a tree of the skeleton's structure from leaves in walking order. */
export function rebuild<T>(skeleton: Skeleton, leaves: readonly AnyTensor[]): T {
  let i = 0;
  const build = (s: Skeleton): unknown => {
    if (s === null) return leaves[i++];
    if (s.kind === 'array') return s.children.map(build);
    const out: Record<string, unknown> = {};
    for (let k = 0; k < s.keys.length; k++) out[s.keys[k]!] = build(s.children[k]!);
    return out;
  };
  return build(skeleton) as T;
}

/** @internal The leaves of a tree in walking order, checking that each is a tensor. */
export function leavesOf(op: string, tree: unknown, name: string): { skeleton: Skeleton; leaves: AnyTensor[] } {
  const { skeleton, leaves } = zipTrees(op, [tree], [name]);
  return { skeleton, leaves: leaves[0]! };
}
