/**
 * PyTorch `state_dict` names and layouts. A typegrad parameter tree maps to
 * a state dict by path, with these leaf renames:
 *
 * | typegrad leaf | PyTorch entry | layout |
 * | --- | --- | --- |
 * | `w` (linear kernel, rank 2) | `weight` | transposed: ours is `[in, out]`, `nn.Linear.weight` is `[out, in]` |
 * | `b` | `bias` | as is |
 * | `scale`, `bias` (layerNorm, batchNorm) | `weight`, `bias` | as is |
 * | `table` (embedding) | `weight` | as is |
 * | anything else | the same name | as is |
 *
 * `nn.sequential` gives one tuple slot per member (`[]` for `relu`), so its
 * indices are those of `torch.nn.Sequential`; other layouts (an `nn.mlp`,
 * whose slots skip the activations, or a custom module) take a `rename`
 * function and a `prefix`.
 */
import { ShapeError, TreeError, ValueError, formatShape } from '../core/errors.js';
import { type AnyTensor, Tensor, dimsOf } from '../core/tensor.js';
import { transpose } from '../ops/permute.js';
import { recordToTree, treeToRecord, walkPaths } from './paths.js';
import { isSpec, type Loaded } from './spec.js';
import { describeValue } from '../core/describe.js';
import { checkInteger, checkOptions, checkString } from '../core/validate.js';

/**
 * Options of the PyTorch mapping.
 *
 * @example
 * ```ts
 * io.toTorchStateDict(mlpParams, { prefix: 'net.', rename: (p) => p.replace(/^\d+/, (i) => String(2 * Number(i))) });
 * ```
 */
export interface TorchOptions {
  /** Prepended to every PyTorch name, e.g. `'linear.'` for a module holding `self.linear`. */
  readonly prefix?: string;
  /** Maps our dotted path (after the leaf rename) to the PyTorch name; e.g. `(p) => p.replace(/^\d+/, (i) => String(2 * +i))` for `nn.mlp`. */
  readonly rename?: (path: string) => string;
  /** On import, ignore state-dict entries the template does not use (such as `num_batches_tracked`); default false. */
  readonly allowExtra?: boolean;
}

/**
 * PyTorch's name for one of our paths, and whether the leaf is stored transposed.
 *
 * @example
 * ```ts
 * io.torchNameOf('0.w', 2);                      // { name: '0.weight', transposed: true }
 * io.torchNameOf('b', 1, { prefix: 'linear.' }); // { name: 'linear.bias', transposed: false }
 * ```
 */
export function torchNameOf(path: string, rank: number, options: TorchOptions = {}): { name: string; transposed: boolean } {
  checkString('io.torchNameOf', 'path', path);
  checkInteger('io.torchNameOf', 'rank', rank);
  options = checkOptions('io.torchNameOf', options);
  const parts = path.split('.');
  const leaf = parts[parts.length - 1]!;
  let transposed = false;
  if (leaf === 'w') {
    parts[parts.length - 1] = 'weight';
    transposed = rank === 2;
  } else if (leaf === 'b') parts[parts.length - 1] = 'bias';
  else if (leaf === 'scale' || leaf === 'table') parts[parts.length - 1] = 'weight';
  const mapped = parts.join('.');
  return { name: (options.prefix ?? '') + (options.rename === undefined ? mapped : options.rename(mapped)), transposed };
}

/**
 * A parameter tree as a PyTorch state dict (names and layouts of the table
 * above). Save it with `io.toSafetensors(dict, { format: 'pt' })` or
 * `io.saveTorch`.
 *
 * @example
 * ```ts
 * import { io, nn, random } from 'typegrad';
 * const params = nn.linear(30, 1).init(random.key(0));      // { w: [30, 1], b: [1] }
 * const dict = io.toTorchStateDict(params, { prefix: 'linear.' });
 * [...dict.keys()];                // ['linear.bias', 'linear.weight']
 * dict.get('linear.weight')!.shape; // [1, 30]
 * ```
 */
export function toTorchStateDict(params: unknown, options: TorchOptions = {}): Map<string, AnyTensor> {
  checkOptions('io.toTorchStateDict', options);
  const out = new Map<string, AnyTensor>();
  for (const [path, t] of treeToRecord(params, 'io.toTorchStateDict')) {
    const { name, transposed } = torchNameOf(path, dimsOf(t).length, options);
    if (out.has(name)) throw new TreeError(`io.toTorchStateDict: ${path} and another path both map to ${JSON.stringify(name)}`);
    out.set(name, transposed ? (transpose(t as never) as AnyTensor) : t);
  }
  return out;
}

/**
 * Loads a PyTorch state dict (e.g. from a safetensors file) into the tree
 * `like` describes, with its exact type: each leaf is looked up under its
 * PyTorch name, transposed where the layouts differ, and checked against
 * the template's shape (the error names both names and both shapes).
 *
 * @example
 * ```ts
 * import { io, nn, random } from 'typegrad';
 * const model = nn.sequential(nn.linear(3, 4), nn.relu, nn.linear(4, 2));
 * const { tensors } = io.fromSafetensors(bytesFromPyTorch);        // '0.weight' [4, 3], '0.bias', '2.weight', '2.bias'
 * const params = io.fromTorchStateDict(tensors, model.init(random.key(0))); // typeof params
 * ```
 */
export function fromTorchStateDict<T>(stateDict: ReadonlyMap<string, AnyTensor>, like: T, options: TorchOptions = {}): Loaded<T> {
  if (!(stateDict instanceof Map)) throw new ValueError(`io.fromTorchStateDict: stateDict must be a Map of name to tensor, got ${describeValue(stateDict)}`);
  options = checkOptions('io.fromTorchStateDict', options);
  const record = new Map<string, AnyTensor>();
  const used = new Set<string>();
  const leaves: [string, readonly number[]][] = [];
  walkPaths('io.fromTorchStateDict', like, (path, v) => {
    if (!(v instanceof Tensor) && !isSpec(v)) throw new TreeError(`io.fromTorchStateDict: the template's ${path || 'root'} is ${v === null ? 'null' : typeof v}, expected a tensor or io.spec`);
    leaves.push([path, dimsOf(v)]);
  });
  for (const [path, want] of leaves) {
    const { name, transposed } = torchNameOf(path, want.length, options);
    const got = stateDict.get(name);
    if (got === undefined) {
      throw new TreeError(`io.fromTorchStateDict: ${path} maps to ${JSON.stringify(name)}, which the state dict lacks (it has ${[...stateDict.keys()].slice(0, 8).join(', ')})`);
    }
    used.add(name);
    const expectTorch = transposed ? [...want].reverse() : want;
    const gs = dimsOf(got);
    if (gs.length !== expectTorch.length || gs.some((d, i) => d !== expectTorch[i])) {
      throw new ShapeError(
        `io.fromTorchStateDict: ${name} has shape ${formatShape(gs)} but ${path} ${formatShape(want)} needs ${formatShape(expectTorch)}${transposed ? ' (PyTorch stores linear weights as [out, in])' : ''}`,
      );
    }
    record.set(path, transposed ? (transpose(got as never) as AnyTensor) : got);
  }
  if (options.allowExtra !== true && used.size !== stateDict.size) {
    const extra = [...stateDict.keys()].filter((k) => !used.has(k));
    throw new TreeError(`io.fromTorchStateDict: the state dict has entries the template does not use: ${extra.slice(0, 5).join(', ')} (pass allowExtra: true to ignore them)`);
  }
  return recordToTree(record, like, {}, 'io.fromTorchStateDict');
}

