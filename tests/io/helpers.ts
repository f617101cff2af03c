import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TypegradError } from '../../src/index.js';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));

export const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(FIXTURES + name));

/** expected.json, with Python's 'nan' / 'inf' / '-inf' strings turned back into numbers. */
export const expected: Record<string, Record<string, unknown>> = JSON.parse(readFileSync(FIXTURES + 'expected.json', 'utf8'), (_k, v) =>
  v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v,
);

/** Runs `f`, expects a throw of class `cls` whose message matches every pattern; returns the error. */
export function throwsNamed<E extends Error>(f: () => unknown, cls: abstract new (...a: never[]) => E, ...patterns: (string | RegExp)[]): E {
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  if (!(error instanceof cls)) throw new Error(`expected ${cls.name}, got ${error === undefined ? 'no error' : String(error)}`);
  for (const p of patterns) {
    const ok = typeof p === 'string' ? error.message.includes(p) : p.test(error.message);
    if (!ok) throw new Error(`message ${JSON.stringify(error.message)} does not match ${String(p)}`);
  }
  return error;
}

/** The fuzz invariant: `f` returns, or throws a named TypegradError (never a TypeError, RangeError, ...). */
export function onlyNamedErrors(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof TypegradError)) throw new Error(`unnamed error: ${String(e)}${e instanceof Error ? `\n${e.stack}` : ''}`);
  }
}

/** Little-endian u64 header length + header text + data, for hand-made safetensors files. */
export function safetensorsBytes(header: string, data: Uint8Array | number = 0): Uint8Array {
  const h = new TextEncoder().encode(header);
  const d = typeof data === 'number' ? new Uint8Array(data) : data;
  const out = new Uint8Array(8 + h.length + d.length);
  new DataView(out.buffer).setUint32(0, h.length, true);
  out.set(h, 8);
  out.set(d, 8 + h.length);
  return out;
}
