/**
 * How a tensor prints (`toString()`, Node's `util.inspect`, `console.log`),
 * after NumPy's `repr`: the values as nested brackets, right-aligned in
 * columns, then the shape and dtype:
 *
 *     Tensor([[1.5, 2. , 3. ],
 *             [4. , 5. , 6. ]], shape=[2, 3], dtype=float32)
 *
 * Floats share one notation: integers print as `2.`, others with up to 4
 * decimals (trailing zeros dropped, as many as the widest needs; NumPy
 * shows 8, PyTorch 4), and `1.2346e+08` style when a value is at least 1e8 or a nonzero one below
 * 1e-4; `nan`, `inf`, `-inf` as NumPy. A tensor of more than 1000 elements
 * shows the first and last 3 entries of every axis with `...` between them.
 */

/** Options of {@link formatTensor}. */
export interface FormatOptions {
  /** Summarise (`...`) above this many elements. Default 1000. */
  readonly threshold?: number;
  /** Entries kept at each end of a summarised axis. Default 3. */
  readonly edgeItems?: number;
  /** Decimals of the fixed notation. Default 4. */
  readonly precision?: number;
}

/** The strings of the shown elements, one format for all, padded to one width. */
function formatter(values: ArrayLike<number>, dtype: string, shown: readonly number[], precision: number): (v: number) => string {
  if (dtype === 'bool') return (v) => (v !== 0 ? ' true' : 'false');
  if (dtype === 'int32') {
    const width = Math.max(1, ...shown.map((i) => String(values[i]).length));
    return (v) => String(v).padStart(width);
  }
  const finite = shown.map((i) => values[i]!).filter((v) => Number.isFinite(v));
  const special = (v: number): string | undefined => (Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : undefined);
  const abs = finite.map(Math.abs);
  const max = abs.length ? Math.max(...abs) : 0;
  const minNonzero = abs.filter((a) => a > 0).reduce((m, a) => Math.min(m, a), Infinity);
  let body: (v: number) => string;
  if (max >= 1e8 || minNonzero < 1e-4) {
    // As many mantissa decimals as the widest needs, at most `precision`: 1.e+09, 1.25e-05.
    const decimals = Math.max(...finite.map((v) => v.toExponential(precision).split('e')[0]!.replace(/0+$/, '').split('.')[1]?.length ?? 0));
    body = (v) => {
      const [m, e] = v.toExponential(decimals).split('e') as [string, string];
      return `${decimals === 0 ? `${m}.` : m}e${e.replace(/^([+-])(\d)$/, '$10$2')}`;
    };
  } else if (finite.every((v) => Number.isInteger(v))) {
    body = (v) => `${v.toFixed(0)}.`;
  } else {
    // As many decimals as the widest element needs, at most `precision`; the rest padded with spaces.
    const decimals = Math.max(...finite.map((v) => v.toFixed(precision).replace(/0+$/, '').split('.')[1]!.length));
    body = (v) => {
      const s = v.toFixed(decimals);
      const trimmed = s.replace(/0+$/, '');
      return trimmed + ' '.repeat(s.length - trimmed.length);
    };
  }
  const text = (v: number): string => special(v) ?? body(v);
  const width = Math.max(1, ...shown.map((i) => text(values[i]!).length));
  return (v) => text(v).padStart(width);
}

/** Indices shown along an axis of length `n`: all, or the first and last `edge` with -1 for the ellipsis. */
function axisIndices(n: number, summarise: boolean, edge: number): number[] {
  if (!summarise || n <= 2 * edge) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: edge }, (_, i) => i), -1, ...Array.from({ length: edge }, (_, i) => n - edge + i)];
}

/**
 * NumPy-style text of row-major `values` with `shape` and `dtype`.
 *
 * @example
 * ```ts
 * import { tensor } from 'typegrad';
 * String(tensor([[1, 2], [3, 4.5]]));
 * // 'Tensor([[1. , 2. ],\n        [3. , 4.5]], shape=[2, 2], dtype=float32)'
 * ```
 */
export function formatTensor(values: ArrayLike<number>, shape: readonly number[], dtype: string, options: FormatOptions = {}): string {
  const { threshold = 1000, edgeItems = 3, precision = 4 } = options;
  const summarise = values.length > threshold;
  const strides = shape.map((_, k) => shape.slice(k + 1).reduce((a, b) => a * b, 1));
  // Every shown flat index, to fix one format for all of them.
  const shown: number[] = [];
  const collect = (axis: number, offset: number): void => {
    if (axis === shape.length) {
      shown.push(offset);
      return;
    }
    for (const i of axisIndices(shape[axis]!, summarise, edgeItems)) if (i >= 0) collect(axis + 1, offset + i * strides[axis]!);
  };
  collect(0, 0);
  const fmt = formatter(values, dtype, shown, precision);
  const prefix = 'Tensor(';
  const render = (axis: number, offset: number, indent: string): string => {
    if (axis === shape.length) return fmt(values[offset]!);
    const parts = axisIndices(shape[axis]!, summarise, edgeItems).map((i) => (i < 0 ? '...' : render(axis + 1, offset + i * strides[axis]!, `${indent} `)));
    const last = axis === shape.length - 1;
    // The last axis runs along a line; outer axes put one block per line, with a blank line per extra level.
    const separator = last ? ', ' : `,${'\n'.repeat(shape.length - axis - 1)}${indent} `;
    return `[${parts.join(separator)}]`;
  };
  const body = shape.length === 0 ? fmt(values[0]!).trim() : render(0, 0, ' '.repeat(prefix.length));
  return `${prefix}${body}, shape=[${shape.join(', ')}], dtype=${dtype})`;
}
