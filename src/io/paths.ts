/**
 * Parameter trees as flat records with dotted keys (`layers.0.w`), the
 * naming safetensors files use, and back through a template.
 */
import { DTypeError, ShapeError, TreeError, ValueError, formatShape } from '../core/errors.js';
import { type AnyTensor, Tensor, dimsOf } from '../core/tensor.js';
import { isSpec, type Loaded } from './spec.js';
import { describeValue } from '../core/describe.js';
import { checkOptions } from '../core/validate.js';

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

const join = (prefix: string, key: string | number): string => (prefix === '' ? String(key) : `${prefix}.${key}`);

/**
 * Walks a tree of tensors (arrays by index, objects by sorted key) and
 * calls `leaf` with each dotted path. Keys that are empty or contain `.`
 * would make two paths collide and are refused.
 */
export function walkPaths(op: string, tree: unknown, leaf: (path: string, value: unknown) => void, prefix = ''): void {
  if (Array.isArray(tree)) tree.forEach((c, i) => walkPaths(op, c, leaf, join(prefix, i)));
  else if (!(tree instanceof Tensor) && !isSpec(tree) && isPlainObject(tree)) {
    for (const k of Object.keys(tree).sort()) {
      if (k === '' || k.includes('.')) throw new TreeError(`${op}: key ${JSON.stringify(k)} at ${prefix === '' ? 'the root' : prefix} is empty or contains '.', so its path would be ambiguous`);
      walkPaths(op, tree[k], leaf, join(prefix, k));
    }
  } else leaf(prefix, tree);
}

/**
 * The tensors of a tree keyed by dotted path, in flattening order.
 *
 * @example
 * ```ts
 * import { io, zeros } from 'typegrad';
 * [...io.treeToRecord({ layers: [{ w: zeros([2]) }] }).keys()]; // ['layers.0.w']
 * ```
 */
export function treeToRecord(tree: unknown, op = 'io.treeToRecord'): Map<string, AnyTensor> {
  const out = new Map<string, AnyTensor>();
  walkPaths(op, tree, (path, v) => {
    if (!(v instanceof Tensor)) throw new TreeError(`${op}: ${path || 'the root'} is ${v === null ? 'null' : typeof v}, expected a tensor`);
    out.set(path, v as AnyTensor);
  });
  return out;
}

/**
 * Options of {@link recordToTree}.
 *
 * @example
 * ```ts
 * io.recordToTree(record, { w: io.spec([2]) }, { allowExtra: true });
 * ```
 */
export interface TemplateOptions {
  /** Allow entries in the record that the template does not use; default false (they are an error). */
  readonly allowExtra?: boolean;
}

/**
 * Rebuilds the tree `like` describes from a record, checking that every
 * path is present with the template's shape and dtype. `where` starts each
 * error message (`io.load: model.safetensors`).
 *
 * @example
 * ```ts
 * import { io, zeros } from 'typegrad';
 * const rec = new Map([['w', zeros([2])]]);
 * io.recordToTree(rec, { w: io.spec([2]) }); // { w: Tensor<[2]> }
 * ```
 */
export function recordToTree<T>(record: ReadonlyMap<string, AnyTensor>, like: T, options: TemplateOptions = {}, where = 'io.recordToTree'): Loaded<T> {
  if (!(record instanceof Map)) throw new ValueError(`${where}: record must be a Map of path to tensor, got ${describeValue(record)}`);
  options = checkOptions(where, options);
  const used = new Set<string>();
  const build = (node: unknown, path: string): unknown => {
    if (Array.isArray(node)) return node.map((c, i) => build(c, join(path, i)));
    if (!(node instanceof Tensor) && !isSpec(node) && isPlainObject(node)) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(node)) {
        if (k === '' || k.includes('.')) throw new TreeError(`${where}: template key ${JSON.stringify(k)} at ${path || 'the root'} is empty or contains '.'`);
        out[k] = build(node[k], join(path, k));
      }
      return out;
    }
    if (!(node instanceof Tensor) && !isSpec(node)) throw new TreeError(`${where}: the template's ${path || 'root'} is ${node === null ? 'null' : typeof node}, expected a tensor or io.spec`);
    const want = node as { shape: readonly number[]; dtype: string };
    const got = record.get(path);
    if (got === undefined) throw new TreeError(`${where}: ${path || 'the root'} is missing (the file has ${describeKeys(record)})`);
    used.add(path);
    const gs = dimsOf(got), ws = want.shape as readonly number[];
    if (gs.length !== ws.length || gs.some((d, i) => d !== ws[i])) {
      throw new ShapeError(`${where}: ${path} has shape ${formatShape(gs)} in the file but ${formatShape(ws)} in the template`);
    }
    if (got.dtype !== want.dtype) throw new DTypeError(`${where}: ${path} is ${got.dtype} in the file but ${want.dtype} in the template`);
    return got;
  };
  const out = build(like, '');
  if (options.allowExtra !== true && used.size !== record.size) {
    const extra = [...record.keys()].filter((k) => !used.has(k));
    throw new TreeError(`${where}: the file has ${extra.length} entries the template does not: ${extra.slice(0, 5).join(', ')}${extra.length > 5 ? ', ...' : ''} (pass allowExtra: true to ignore them)`);
  }
  return out as Loaded<T>;
}

function describeKeys(record: ReadonlyMap<string, AnyTensor>): string {
  const keys = [...record.keys()];
  if (keys.length === 0) return 'no entries';
  return `${keys.slice(0, 8).join(', ')}${keys.length > 8 ? `, ... (${keys.length} entries)` : ''}`;
}
