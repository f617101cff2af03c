/**
 * `vmap`: write a function for one example, get the batched version. The
 * function runs once, on tracers that each stand for a whole batch (see
 * `batch.ts`), so a batched call is one pass of batched primitives, not a
 * loop; and it composes with `grad`, `jvp`, `jit` and itself.
 */
import { AxisError, ShapeError, TraceError, TreeError, ValueError, formatShape } from '../core/errors.js';
import { withTrace } from '../core/trace.js';
import { type AnyTensor, Tensor, dimsOf } from '../core/tensor.js';
import { broadcastTo, concat, reshape } from '../lax/index.js';
import { moveBatchAxis } from '../lax/batching.js';
import { batchedKey, isKey, keyBatchOf, type Key } from '../random/key.js';
import { BatchTrace, BatchTracer } from './batch.js';
import type { VmapFn, VmapOptions } from './vmap-types.js';
import { checkFunction, checkOptions } from '../core/validate.js';

export type { VmapFn, VmapOptions, Batched, InAxes, OutAxes } from './vmap-types.js';

type Axis = number | null;

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function childPath(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** True for a non-empty array whose leaves (through nested arrays) are all keys. */
function isKeyArray(x: unknown): x is readonly unknown[] {
  return Array.isArray(x) && x.length > 0 && x.every((e) => isKey(e) || isKeyArray(e));
}

/**
 * Walks a tree (tensors, keys, arrays, plain objects) with an axis spec that
 * is a prefix of it: a number or null applies to the whole subtree. `leaf`
 * gets every tensor, and every array of keys whose axis is a number.
 */
function walk(node: unknown, spec: unknown, path: string, what: string, leaf: (x: unknown, axis: Axis, path: string) => unknown): unknown {
  if (spec === null || typeof spec === 'number') {
    const axis = spec as Axis;
    if (node instanceof Tensor || (axis !== null && isKeyArray(node))) return leaf(node, axis, path);
    if (isKey(node) || keyBatchOf(node) !== undefined) return leaf(node, axis, path);
    if (Array.isArray(node)) return node.map((c, i) => walk(c, axis, childPath(path, i), what, leaf));
    if (isPlainObject(node)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(node)) out[k] = walk(node[k], axis, childPath(path, k), what, leaf);
      return out;
    }
    return node; // numbers, strings, functions: the same for every element
  }
  if (Array.isArray(spec)) {
    if (!Array.isArray(node) || node.length !== spec.length) {
      throw new TreeError(`vmap: ${what} for ${path} is an array of ${spec.length} but ${path} is ${Array.isArray(node) ? `an array of ${node.length}` : describe(node)}`);
    }
    return node.map((c, i) => walk(c, spec[i], childPath(path, i), what, leaf));
  }
  if (isPlainObject(spec)) {
    if (!isPlainObject(node)) throw new TreeError(`vmap: ${what} for ${path} is an object but ${path} is ${describe(node)}`);
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(node)) {
      if (!(k in spec)) throw new TreeError(`vmap: ${what} for ${path} has no entry for key ${JSON.stringify(k)}`);
      out[k] = walk(node[k], spec[k], childPath(path, k), what, leaf);
    }
    return out;
  }
  throw new TreeError(`vmap: ${what} for ${path} must be a number, null, or an array or object of them, got ${describe(spec)}`);
}

function describe(x: unknown): string {
  if (x instanceof Tensor) return `a tensor of shape ${formatShape(dimsOf(x))}`;
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (isPlainObject(x)) return 'an object';
  return x === null ? 'null' : typeof x;
}

/** `axis` as a non-negative axis of a batched value of rank `rank` (the batch axis included). */
function normalize(axis: number, rank: number, what: string, path: string, shape: readonly number[]): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw new AxisError(`vmap: ${what} ${axis} is out of range for ${path} of shape ${formatShape(shape)}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** The keys of an array of key trees, transposed: one batched key per position of the element's tree. */
function batchKeys(node: readonly unknown[], join: (parts: readonly AnyTensor[]) => AnyTensor): unknown {
  const first = node[0];
  if (Array.isArray(first)) return first.map((_, j) => batchKeys(node.map((e) => (e as unknown[])[j]), join));
  return batchedKey({ keys: node as readonly Key[], join });
}

/**
 * Vectorises `f` over a batch axis: `vmap(f)(xs)` is `f` applied to every
 * slice of `xs` along axis 0, stacked along axis 0, computed in one batched
 * pass. Arguments may be parameter trees; `inAxes` gives, per argument, the
 * batch axis (negative counts from the end, `null` for an argument shared by
 * every element), or a tree of them per leaf. `outAxes` places the batch
 * axis of every output leaf. An array of keys (`random.split(k, n)`) with a
 * numeric axis is a batch of keys: each element samples its own stream.
 *
 * Batch sizes must agree across arguments (a `ShapeError` names both);
 * `axisSize` gives the size when no argument is batched.
 *
 * @example
 * ```ts
 * import { vmap, grad, sum, square, zeros, type Tensor } from 'typegrad';
 * const f = (x: Tensor<[3]>) => sum(square(x));
 * const fs = vmap(f);                 // <B extends Dim>(x: Tensor<[B, 3]>) => Tensor<[B]>
 * fs(zeros([8, 3]));                  // Tensor<[8]>
 * const perExample = vmap(grad((w: Tensor<[3]>, x: Tensor<[3]>) => sum(mul(w, x))), { inAxes: [null, 0] });
 * perExample(zeros([3]), zeros([8, 3])); // Tensor<[8, 3]>: one gradient per example
 * ```
 */
export function vmap<F extends (...args: never[]) => unknown, const O extends VmapOptions<Parameters<F>> = {}>(f: F, opts?: O): VmapFn<F, O> {
  checkFunction('vmap', 'f (the function to batch)', f);
  const options: VmapOptions<unknown[]> = checkOptions('vmap', opts);
  return ((...args: unknown[]) => {
    const inAxes = (options.inAxes === undefined ? 0 : options.inAxes) as unknown;
    let specs: readonly unknown[];
    if (Array.isArray(inAxes)) {
      if (inAxes.length !== args.length) {
        throw new TreeError(`vmap: inAxes has ${inAxes.length} entries but the function was called with ${args.length} arguments`);
      }
      specs = inAxes;
    } else specs = args.map(() => inAxes);
    // First pass: the batch size, agreed by every batched leaf.
    let size: number | undefined = options.axisSize;
    let sizeFrom = size === undefined ? '' : 'axisSize';
    const axes: number[] = []; // the normalised axis of every batched tensor, in walk order
    args.forEach((arg, i) =>
      walk(arg, specs[i], `args[${i}]`, 'inAxes', (x, axis, path) => {
        if (axis === null) return x;
        let n: number;
        let where: string;
        if (x instanceof Tensor) {
          const shape = dimsOf(x);
          const ax = normalize(axis, shape.length, 'inAxes', path, shape);
          axes.push(ax);
          n = shape[ax]!;
          where = path;
        } else if (Array.isArray(x)) {
          n = x.length;
          where = path;
        } else {
          throw new ValueError(`vmap: ${path} is a single key; to map over keys pass an array of them, such as random.split(key, n)`);
        }
        if (size === undefined) {
          size = n;
          sizeFrom = where;
        } else if (n !== size) {
          throw new ShapeError(`vmap: batch sizes differ: ${sizeFrom} has ${size} but ${where} has ${n}`);
        }
        return x;
      }),
    );
    if (size === undefined) throw new ValueError('vmap: no argument is batched (every inAxes is null); give axisSize');
    const batchSize = size;
    return withTrace(
      (level) => new BatchTrace(level, batchSize),
      (trace) => {
        const join = (parts: readonly AnyTensor[]): AnyTensor => {
          if (!trace.live) throw new TraceError('random: a batch of keys from a vmap that has already returned was used');
          const s = parts.length > 0 ? dimsOf(parts[0]!) : [];
          return trace.wrap(concat(parts.map((p) => reshape(p, [1, ...s])), 0), 0);
        };
        let next = 0;
        const traced = args.map((arg, i) =>
          walk(arg, specs[i], `args[${i}]`, 'inAxes', (x, axis) => {
            if (axis === null) return x;
            if (x instanceof Tensor) return trace.wrap(x as AnyTensor, axes[next++]!);
            return batchKeys(x as readonly unknown[], join);
          }),
        );
        const out = (f as unknown as (...a: unknown[]) => unknown)(...traced);
        return walk(out, options.outAxes === undefined ? 0 : options.outAxes, 'output', 'outAxes', (x, axis, path) => {
          const batch = keyBatchOf(x);
          if (batch !== undefined) return batch.keys;
          if (!(x instanceof Tensor)) return x;
          const [value, dim] = trace.split(x as AnyTensor);
          if (axis === null) {
            if (dim !== null) throw new ValueError(`vmap: ${path} differs between batch elements but its outAxes is null`);
            return value;
          }
          const rank = dimsOf(value).length + (dim === null ? 1 : 0);
          const shape = dimsOf(x);
          const to = normalize(axis, rank, 'outAxes', path, [batchSize, ...shape]);
          // An output that is the same for every element is copied along the batch axis.
          const full = dim === null ? broadcastTo(reshape(value, [1, ...shape]), [batchSize, ...shape]) : value;
          return moveBatchAxis(full, dim ?? 0, to);
        });
      },
    );
  }) as VmapFn<F, O>;
}

export { BatchTracer };
