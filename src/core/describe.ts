/**
 * How error messages print a bad argument: short, never throwing, safe on
 * cyclic objects, huge arrays and tensors.
 */
import { Tensor } from './tensor.js';

const MAX_ITEMS = 8;
const MAX_CHARS = 120;

/**
 * @internal A printable form of any value for an error message:
 * `"a"` for a string, `[1,2,…(10 items)]` for a long array, `Tensor<[2], float32>`
 * for a tensor, `<cycle>` where an object contains itself.
 */
export function describeValue(value: unknown): string {
  const out = show(value, 0, new Set());
  return out.length > MAX_CHARS ? `${out.slice(0, MAX_CHARS - 1)}…` : out;
}

function show(value: unknown, depth: number, seen: Set<object>): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return value.toString();
  if (typeof value !== 'object' || value === null) return Object.is(value, -0) ? '-0' : String(value);
  if (value instanceof Tensor) return String(value);
  if (seen.has(value)) return '<cycle>';
  if (depth > 3) return Array.isArray(value) ? '[…]' : '{…}';
  seen.add(value);
  try {
    if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as unknown as { length?: number }).length ?? value.byteLength})`;
    if (Array.isArray(value)) {
      const items = value.slice(0, MAX_ITEMS).map((v) => show(v, depth + 1, seen));
      if (value.length > MAX_ITEMS) items.push(`…(${value.length} items)`);
      return `[${items.join(',')}]`;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return `a ${proto?.constructor?.name ?? 'object'}`;
    try {
      const json = JSON.stringify(value); // the familiar form, when it is short and has no cycle
      if (json !== undefined && json.length <= MAX_CHARS) return json;
    } catch {
      // a cycle or a bigint: fall through
    }
    const keys = Object.keys(value);
    const items = keys.slice(0, MAX_ITEMS).map((k) => `${k}: ${show((value as Record<string, unknown>)[k], depth + 1, seen)}`);
    if (keys.length > MAX_ITEMS) items.push('…');
    return `{${items.join(', ')}}`;
  } catch {
    return 'an object';
  } finally {
    seen.delete(value);
  }
}
