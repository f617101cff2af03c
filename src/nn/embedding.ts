/** Embedding: a lookup table from int32 indices to vectors. */
import type { FloatDType } from '../core/dtype.js';
import { DTypeError, TreeError, ValueError } from '../core/errors.js';
import { checkDims } from '../core/validate.js';
import { type AnyTensor, Tensor } from '../core/tensor.js';
import * as lax from '../lax/index.js';
import type { Key } from '../random/key.js';
import { type Initializer, normal } from './init.js';
import type { Layer } from './layer.js';

/** The parameters of `embedding(V, E)`: the table. */
export interface EmbeddingParams<V extends number, E extends number, D extends FloatDType = 'float32'> {
  table: Tensor<[V, E], D>;
}

/** Options of {@link embedding}. */
export interface EmbeddingOptions<D extends FloatDType> {
  readonly dtype?: D;
  /** Default N(0, 1), as PyTorch's `nn.Embedding`. */
  readonly init?: Initializer;
}

/**
 * A table of `numEmbeddings` vectors of size `dim`: `apply(params, indices)`
 * maps int32 indices of any shape `[...L]` to `[...L, dim]`. An index outside
 * `[-numEmbeddings, numEmbeddings)` is a `ValueError` (negative ones count
 * from the end). The gradient adds up over repeated indices.
 *
 * @example
 * ```ts
 * const emb = nn.embedding(1000, 64);
 * const p = emb.init(random.key(0));                          // { table: Tensor<[1000, 64]> }
 * emb.apply(p, tensor([[1, 5, 7]], { dtype: 'int32' }));      // Tensor<[1, 3, 64]>
 * ```
 */
export function embedding<const V extends number, const E extends number, D extends FloatDType = 'float32'>(
  numEmbeddings: V,
  dim: E,
  options: EmbeddingOptions<D> = {},
): Layer<[], [E], EmbeddingParams<V, E, D>, 'int32', D> {
  const name = `embedding(${numEmbeddings}, ${dim})`;
  for (const [n, v] of [['numEmbeddings', numEmbeddings], ['dim', dim]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new ValueError(`embedding: ${n} must be a positive integer, got ${String(v)}`);
  }
  checkDims(name, [numEmbeddings, dim], 'table shape'); // refused now, not at init
  const dtype = (options.dtype ?? 'float32') as D;
  const init = options.init ?? normal(1);
  return Object.freeze({
    kind: 'layer',
    name,
    inFeatures: Object.freeze([]) as unknown as [],
    outFeatures: Object.freeze([dim]) as unknown as [E],
    needsMode: false,
    usesKey: false,
    init: (key: Key) => ({ table: init(key, [numEmbeddings, dim], dtype) }) as EmbeddingParams<V, E, D>,
    apply(params: unknown, indices: unknown) {
      const table = (params as { table?: unknown } | null)?.table;
      if (!(table instanceof Tensor)) throw new TreeError(`${name}: params.table must be a tensor`);
      if (!(indices instanceof Tensor) || indices.dtype !== 'int32') {
        throw new DTypeError(`${name}: indices must be an int32 tensor, got ${indices instanceof Tensor ? indices.dtype : typeof indices}`);
      }
      return lax.gather(table as AnyTensor, indices as AnyTensor, 0) as never;
    },
  }) as Layer<[], [E], EmbeddingParams<V, E, D>, 'int32', D>;
}
