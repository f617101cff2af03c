/**
 * A table of a parameter tree: one row per tensor with its dotted path (the
 * key `io.save` writes), shape, dtype and number of elements, then the total.
 */
import { BYTES_PER_ELEMENT } from '../core/dtype.js';
import { TreeError } from '../core/errors.js';
import { type AnyTensor, Tensor, dimsOf } from '../core/tensor.js';
import { walkPaths } from '../io/paths.js';

const grouped = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

function bytesText(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024 ** 3).toFixed(2)} GiB`;
}

/**
 * The parameters of a model as a text table, with the total count and size.
 *
 * @example
 * ```ts
 * import { nn, random } from 'typegrad';
 * const model = nn.sequential(nn.linear(784, 128), nn.relu, nn.linear(128, 10));
 * console.log(nn.summary(model.init(random.key(0))));
 * // path   shape      dtype     params
 * // 0.b    [128]      float32      128
 * // 0.w    [784,128]  float32  100,352
 * // 2.b    [10]       float32       10
 * // 2.w    [128,10]   float32    1,280
 * // total                      101,770  (397.5 KiB)
 * ```
 */
export function summary(params: unknown): string {
  const rows: [string, string, string, string][] = [];
  let total = 0;
  let bytes = 0;
  walkPaths('nn.summary', params, (path, v) => {
    if (!(v instanceof Tensor)) throw new TreeError(`nn.summary: ${path || 'the root'} is ${v === null ? 'null' : typeof v}, expected a tensor`);
    const t = v as AnyTensor;
    total += t.size;
    bytes += t.size * BYTES_PER_ELEMENT[t.dtype];
    rows.push([path === '' ? '(root)' : path, `[${dimsOf(t).join(',')}]`, t.dtype, grouped(t.size)]);
  });
  const header: [string, string, string, string] = ['path', 'shape', 'dtype', 'params'];
  const footer: [string, string, string, string] = ['total', '', '', grouped(total)];
  const all = [header, ...rows, footer];
  const width = [0, 1, 2, 3].map((c) => Math.max(...all.map((r) => r[c]!.length)));
  const line = (r: readonly string[], suffix = '') =>
    `${r[0]!.padEnd(width[0]!)}  ${r[1]!.padEnd(width[1]!)}  ${r[2]!.padEnd(width[2]!)}  ${r[3]!.padStart(width[3]!)}${suffix}`.trimEnd();
  return [line(header), ...rows.map((r) => line(r)), line(footer, `  (${bytesText(bytes)})`)].join('\n');
}
