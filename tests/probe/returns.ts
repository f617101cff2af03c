/**
 * What a probe call that RETURNS must satisfy (issue 15: "each call either
 * returns a correct result or throws a named error"). A bad value is only
 * allowed to return for a documented reason, and every reason comes with an
 * executable check of the result:
 *
 * - `ieee`: a NaN/Inf operand propagates per IEEE 754 (the Array API's
 *   special cases); the result equals a plain float64 reference of the op.
 * - `promotes`: an int32/bool tensor where the op computes in float is
 *   promoted; the result equals the plain reference on the promoted values.
 * - `valid here`: the value is bad for some parameters but legal for this
 *   one (a number as the other operand, -1 as an axis, 1e300 as a learning
 *   rate, an array as a dataset, a function as the thing to transform); the
 *   result equals a plain reference of the function.
 * - `default`: `undefined`, `{}` or an options object with no known key
 *   means the defaults; the result equals the call without it.
 * - `no parameters`: the function takes no argument; the result equals the
 *   call with none.
 * - `total`: a predicate or a tree function is defined on every value; the
 *   result equals a plain definition.
 * - `either`: the function promises an `Either`; the result is a Left whose
 *   error names the function.
 *
 * `RETURNS` says which reason covers which (function, class); `checkReturned`
 * fails a returning call that no entry covers, so a new export that returns
 * on a bad value needs a reason and a reference here.
 */
import * as api from '../../src/index.js';
import { Tensor, TypegradError } from '../../src/index.js';
import type { PublicFunction } from './probe-lib.js';

export type Reason = 'ieee' | 'promotes' | 'valid here' | 'default' | 'no parameters' | 'total' | 'either';

/** One returning call: the function, the class and position of the bad value, the arguments and the value it gave. */
export interface ReturnedCall {
  readonly f: PublicFunction;
  readonly cls: string;
  readonly pos: number;
  readonly args: readonly unknown[];
  readonly value: unknown;
}

// ---------------------------------------------------------------- references

/** A tensor as plain data: its shape and its elements in row-major order, booleans as 0/1. */
interface Plain {
  readonly shape: readonly number[];
  readonly values: readonly number[];
}

const flat = (a: unknown): number[] => (Array.isArray(a) ? a.flatMap(flat) : [Number(a)]);
const plain = (v: unknown): Plain => (v instanceof Tensor ? { shape: [...(v.shape as readonly number[])], values: flat(v.toArray()) } : { shape: [], values: [Number(v)] });

function broadcastShape(shapes: readonly (readonly number[])[]): number[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  return Array.from({ length: rank }, (_, i) => Math.max(...shapes.map((s) => s[s.length - rank + i] ?? 1)));
}

/** Element `flatIndex` of the broadcast result, read from `p`. */
function at(p: Plain, shape: readonly number[], flatIndex: number): number {
  let idx = 0;
  let stride = 1;
  let rest = flatIndex;
  const off = shape.length - p.shape.length;
  const strides: number[] = [];
  for (let i = p.shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= p.shape[i]!;
  }
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = rest % shape[i]!;
    rest = Math.floor(rest / shape[i]!);
    const j = i - off;
    if (j >= 0 && p.shape[j] !== 1) idx += d * strides[j]!;
  }
  return p.values[idx]!;
}

/** An element-wise op over broadcast operands, from a scalar definition. */
function elementwise(g: (...xs: number[]) => number, operands: readonly Plain[]): Plain {
  const shape = broadcastShape(operands.map((o) => o.shape));
  const size = shape.reduce((a, b) => a * b, 1);
  return { shape, values: Array.from({ length: size }, (_, i) => g(...operands.map((o) => at(o, shape, i)))) };
}

const erf = (x: number): number => {
  // Abramowitz and Stegun 7.1.26 (|error| < 1.5e-7), odd extension.
  const t = 1 / (1 + 0.3275911 * Math.abs(x));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return x >= 0 ? y : -y;
};
const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
/** x g(x), by IEEE rules: at -Infinity it is -Inf * 0 = NaN (as in PyTorch and JAX), not the limit 0. */
const gated = (g: (x: number) => number) => (x: number): number => x * g(x);

/** Ops computed through an approximation (gelu's erfc, relative error 1.2e-7), and their relative tolerance in float64 too. */
export const APPROXIMATE: Readonly<Record<string, number>> = { 'nn.gelu': 1e-6 };

/** Scalar definitions (IEEE float64, the Array API's special cases) of the element-wise public ops. */
export const UNARY: Readonly<Record<string, (x: number) => number>> = {
  abs: Math.abs, ceil: Math.ceil, floor: Math.floor, neg: (x) => -x, round: (x) => (Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : Math.round(x)),
  sign: (x) => (Number.isNaN(x) ? NaN : x > 0 ? 1 : x < 0 ? -1 : 0),
  exp: Math.exp, expm1: Math.expm1, log: Math.log, log1p: Math.log1p, sqrt: Math.sqrt, rsqrt: (x) => 1 / Math.sqrt(x),
  square: (x) => x * x, reciprocal: (x) => 1 / x, sin: Math.sin, cos: Math.cos, tanh: Math.tanh, 'nn.tanh': Math.tanh,
  sigmoid, 'nn.sigmoid': sigmoid, softplus: (x) => (x > 30 ? x : Math.log1p(Math.exp(x))),
  relu: (x) => (Number.isNaN(x) ? NaN : Math.max(x, 0)), 'nn.relu': (x) => (Number.isNaN(x) ? NaN : Math.max(x, 0)),
  'nn.leakyRelu': (x) => (x > 0 ? x : 0.01 * x), 'nn.elu': (x) => (x > 0 ? x : Math.expm1(x)),
  'nn.silu': gated(sigmoid), 'nn.gelu': gated((x) => 0.5 * (1 + erf(x / Math.SQRT2))),
  stopGradient: (x) => x, onesLike: () => 1, zerosLike: () => 0,
};
const pow = (a: number, b: number): number => (b === 0 || a === 1 || (a === -1 && !Number.isFinite(b)) ? 1 : a ** b);
export const BINARY: Readonly<Record<string, (a: number, b: number) => number>> = {
  add: (a, b) => a + b, sub: (a, b) => a - b, mul: (a, b) => a * b, div: (a, b) => a / b, pow,
  maximum: Math.max, minimum: Math.min,
  eq: (a, b) => +(a === b), ne: (a, b) => +(a !== b), lt: (a, b) => +(a < b), le: (a, b) => +(a <= b), gt: (a, b) => +(a > b), ge: (a, b) => +(a >= b),
};

/** Softmax along the last axis, by its definition exp(x - max) / sum. */
function softmaxRows(p: Plain, log: boolean): Plain {
  const n = p.shape[p.shape.length - 1] ?? 1;
  const values: number[] = [];
  for (let r = 0; r < p.values.length; r += n) {
    const row = p.values.slice(r, r + n);
    const m = Math.max(...row);
    const s = row.reduce((a, x) => a + Math.exp(x - m), 0);
    values.push(...row.map((x) => (log ? x - m - Math.log(s) : Math.exp(x - m) / s)));
  }
  return { shape: p.shape, values };
}

/** Moves data only: the elements of `p` under a new shape, or a gather. */
const reshaped = (p: Plain, shape: readonly number[]): Plain => ({ shape, values: p.values });
const axisOf = (axis: number, rank: number): number => (axis < 0 ? axis + rank : axis);

/** Plain-JS references of the tensor-valued public functions that return on some bad value. */
export const TENSOR_REFERENCES: Readonly<Record<string, (args: readonly unknown[]) => Plain | Plain[]>> = {
  ...Object.fromEntries(Object.entries(UNARY).map(([k, g]) => [k, (args: readonly unknown[]) => elementwise(g, [plain(args[0])])])),
  ...Object.fromEntries(Object.entries(BINARY).map(([k, g]) => [k, (args: readonly unknown[]) => elementwise(g, [plain(args[0]), plain(args[1])])])),
  clip: ([x, lo, hi]) =>
    elementwise((v, l, h) => (Number.isNaN(l) || Number.isNaN(h) ? NaN : Math.min(Math.max(v, l), h)), [plain(x), plain(lo ?? -Infinity), plain(hi ?? Infinity)]),
  where: ([c, a, b]) => elementwise((cv, av, bv) => (cv ? av : bv), [plain(c), plain(a), plain(b)]),
  'nn.softmax': ([x]) => softmaxRows(plain(x), false),
  'nn.logSoftmax': ([x]) => softmaxRows(plain(x), true),
  squeeze: ([x]) => reshaped(plain(x), plain(x).shape.filter((d) => d !== 1)),
  transpose: ([x]) => {
    const p = plain(x);
    const [r, c] = p.shape.slice(-2) as [number, number];
    return { shape: [...p.shape.slice(0, -2), c, r], values: p.values.map((_, i) => p.values[(i % r) * c + Math.floor(i / r)]!) };
  },
  reshape: ([x]) => reshaped(plain(x), [plain(x).values.length]), // the bad value is [-1]
  expandDims: ([x, axis]) => {
    const p = plain(x);
    const s = [...p.shape];
    s.splice(axisOf(axis as number, s.length + 1), 0, 1);
    return reshaped(p, s);
  },
  flatten: ([x, axis]) => {
    const p = plain(x);
    const a = axisOf((axis as number | undefined) ?? 0, p.shape.length);
    return reshaped(p, [...p.shape.slice(0, a), p.shape.slice(a).reduce((m, d) => m * d, 1)]);
  },
  index: ([x, i]) => {
    const p = plain(x);
    const inner = p.values.length / p.shape[0]!;
    const k = axisOf(i as number, p.shape[0]!);
    return { shape: p.shape.slice(1), values: p.values.slice(k * inner, (k + 1) * inner) };
  },
  slice: ([x]) => {
    // The bad value is the spec [-1]: the last row, its axis dropped.
    const p = plain(x);
    const inner = p.values.length / p.shape[0]!;
    return { shape: p.shape.slice(1), values: p.values.slice(-inner) };
  },
  split: ([x, n, axis]) => {
    const p = plain(x);
    const [r, c] = p.shape as [number, number];
    const a = axisOf((axis as number | undefined) ?? 0, 2);
    const k = (a === 0 ? r : c) / (n as number);
    return Array.from({ length: n as number }, (_, part) =>
      a === 0
        ? { shape: [k, c], values: p.values.slice(part * k * c, (part + 1) * k * c) }
        : { shape: [r, k], values: p.values.filter((_, i) => Math.floor((i % c) / k) === part) },
    );
  },
  argmax: ([x, axis]) => argReduce(plain(x), axis as number | undefined, (a, b) => a > b),
  argmin: ([x, axis]) => argReduce(plain(x), axis as number | undefined, (a, b) => a < b),
  matmul: ([a, b]) => matvec(plain(a), plain(b)),
  dot: ([a, b]) => matvec(plain(a), plain(b)),
  arange: ([start, stop, step]) => {
    const n = Math.max(0, Math.ceil(((stop as number) - (start as number)) / (step as number)));
    return { shape: [n], values: Array.from({ length: n }, (_, i) => (start as number) + i * (step as number)) };
  },
  linspace: ([start, stop, num]) => {
    const n = num as number;
    const [a, b] = [start as number, stop as number];
    return { shape: [n], values: Array.from({ length: n }, (_, i) => (i === n - 1 && n > 1 ? b : a + ((b - a) * i) / Math.max(n - 1, 1))) };
  },
};

function argReduce(p: Plain, axis: number | undefined, better: (a: number, b: number) => boolean): Plain {
  const pick = (xs: readonly number[]): number => xs.reduce((best, v, i) => (better(v, xs[best]!) ? i : best), 0);
  if (axis === undefined) return { shape: [], values: [pick(p.values)] };
  const [r, c] = p.shape as [number, number]; // the filler is a matrix
  const a = axisOf(axis, 2);
  if (a === 1) return { shape: [r], values: Array.from({ length: r }, (_, i) => pick(p.values.slice(i * c, (i + 1) * c))) };
  return { shape: [c], values: Array.from({ length: c }, (_, j) => pick(Array.from({ length: r }, (_, i) => p.values[i * c + j]!))) };
}

function matvec(a: Plain, b: Plain): Plain {
  const [r, c] = a.shape as [number, number];
  return { shape: [r], values: Array.from({ length: r }, (_, i) => a.values.slice(i * c, (i + 1) * c).reduce((s, v, j) => s + v * b.values[j]!, 0)) };
}

/** `undefined` when `got` (a tensor) matches `want` to float32 precision (NaN where NaN, infinities equal). */
export function compareTensor(got: unknown, want: Plain, atLeast = 0): string | undefined {
  if (!(got instanceof Tensor)) return `expected a tensor, got ${typeof got}`;
  const g = plain(got);
  if (JSON.stringify(g.shape) !== JSON.stringify(want.shape)) return `shape [${g.shape}], expected [${want.shape}]`;
  const tol = Math.max(atLeast, got.dtype === 'float64' ? 1e-9 : 2e-6);
  for (let i = 0; i < want.values.length; i++) {
    // A float32 result is the reference rounded to float32 (1e300 is Infinity there).
    const [x, y] = [g.values[i]!, got.dtype === 'float32' ? Math.fround(want.values[i]!) : want.values[i]!];
    const ok = Number.isNaN(y) ? Number.isNaN(x) : x === y || Math.abs(x - y) <= tol * Math.max(1, Math.abs(y));
    if (!ok) return `element ${i} is ${x}, expected ${y} (got [${g.values}], expected [${want.values}])`;
  }
  return undefined;
}

// ------------------------------------------------------ references, not tensors

const isPlainObject = (v: unknown): boolean => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Tensor) && Object.getPrototypeOf(v) === Object.prototype;
/** The leaves of a tree, by definition: arrays and plain objects are nodes (keys in insertion order), everything else a leaf. */
const leavesOf = (v: unknown): unknown[] => (Array.isArray(v) ? v.flatMap(leavesOf) : isPlainObject(v) ? Object.values(v as object).flatMap(leavesOf) : [v]);
/** The structure of a tree as text; a node inside itself is `<cycle>` (a cyclic value equals no tree). */
const structureOf = (v: unknown, seen: readonly unknown[] = []): string => {
  if (seen.includes(v)) return '<cycle>';
  const inner = (c: unknown): string => structureOf(c, [...seen, v]);
  return Array.isArray(v) ? `[${v.map(inner).join(',')}]` : isPlainObject(v) ? `{${Object.entries(v as object).map(([k, c]) => `${k}:${inner(c)}`).join(',')}}` : '*';
};
const same = (a: readonly unknown[], b: readonly unknown[]): boolean => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
const expect = (ok: boolean, what: string): string | undefined => (ok ? undefined : what);

/** The plain CRC-32 (IEEE, bit by bit). */
function crc32(text: string): number {
  let c = 0xffffffff;
  for (const byte of new TextEncoder().encode(text)) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** The first update of a gradient transformation on a small tree, as plain numbers (a behavioural fingerprint). */
function firstUpdate(tx: unknown): number[] {
  const t = tx as { init(p: unknown): unknown; update(g: unknown, s: unknown, p: unknown): [unknown, unknown] };
  const params = { w: api.tensor([1, -1, 2]) };
  const grads = { w: api.tensor([0.5, -2, 0]) };
  const [u] = t.update(grads, t.init(params), params);
  return plain((u as { w: Tensor }).w).values as number[];
}
const G = [0.5, -2, 0];
const P = [1, -1, 2];
const f32 = (xs: readonly number[]): number[] => xs.map(Math.fround);
const lrOf = (lr: unknown): number => (typeof lr === 'function' ? (lr as (s: number) => number)(0) : (lr as number));
/** First updates of the optimizers at learning rate `lr` (default options; Adam-like bias correction makes step one sign(g)). */
const FIRST_UPDATE: Readonly<Record<string, (lr: number) => number[]>> = {
  'optim.sgd': (lr) => G.map((g) => -lr * g),
  'optim.scaleByLearningRate': (lr) => G.map((g) => -lr * g),
  'optim.adam': (lr) => G.map((g) => (-lr * g) / (Math.abs(g) + 1e-8)),
  'optim.adamw': (lr) => G.map((g, i) => -lr * (g / (Math.abs(g) + 1e-8) + 0.01 * P[i]!)),
  'optim.lion': (lr) => G.map((g) => -lr * Math.sign(0.1 * g)),
  'optim.rmsprop': (lr) => G.map((g) => (-lr * g) / (Math.sqrt(0.01 * g * g) + 1e-8)),
  'optim.adagrad': (lr) => G.map((g) => (-lr * g) / (Math.sqrt(g * g) + 1e-7)),
  'optim.scale': (k) => G.map((g) => k * g),
  'optim.clip': (d) => G.map((g) => Math.min(Math.max(g, -d), d)),
  'optim.clipByGlobalNorm': (m) => {
    const n = Math.hypot(...G);
    return G.map((g) => (n > m ? (g * m) / n : g));
  },
  'optim.addDecayedWeights': (wd) => G.map((g, i) => g + wd * P[i]!),
};

function close(got: readonly number[], want: readonly number[]): string | undefined {
  const ok = got.length === want.length && got.every((x, i) => Object.is(x, want[i]) || Math.abs(x - want[i]!) <= 1e-5 * Math.max(1, Math.abs(want[i]!)));
  return ok ? undefined : `[${got}], expected [${want}]`;
}

/** A comparable summary of a description (a layer, a pruner, a sampler, a storage): its own data fields. */
function fields(v: unknown): string {
  if (typeof v !== 'object' || v === null) return JSON.stringify(v);
  // A study's generated name and worker id differ from call to call; they are not options.
  const kept = Object.entries(v).filter(([k, x]) => typeof x !== 'function' && k !== 'worker' && !(k === 'name' && String(x).startsWith('study-')));
  return JSON.stringify(kept.map(([k, x]) => [k, typeof x === 'object' && x !== null ? fields(x) : x]));
}

type Check = (call: ReturnedCall) => string | undefined | Promise<string | undefined>;

/** References of the functions whose result is not a tensor (or is checked through another function). */
const OTHER_REFERENCES: Readonly<Record<string, Check>> = {
  dim: ({ args, value }) => expect(value === args[1], `dim(name, 2) is ${String(value)}`),
  hasShape: ({ args, value }) => {
    const pattern = args[1] as unknown[];
    const ok = pattern.length === 2 && pattern.every((p, i) => p === null || typeof p === 'string' || p === [2, 2][i]);
    return expect(value === ok, `hasShape gave ${String(value)}, expected ${ok}`);
  },
  'io.halfToNumber': ({ args, value }) => {
    const h = args[0] as number;
    const [s, e, m] = [h >> 15 ? -1 : 1, (h >> 10) & 31, h & 1023];
    const want = e === 0 ? s * m * 2 ** -24 : e === 31 ? (m ? NaN : s * Infinity) : s * (1 + m / 1024) * 2 ** (e - 15);
    return expect(Object.is(value, want), `${String(value)}, expected ${want}`);
  },
  'io.torchNameOf': ({ args, value }) => expect((value as { name: unknown }).name === args[0], `renamed ${JSON.stringify(args[0])} to ${JSON.stringify(value)}`),
  'io.treeToRecord': ({ args, value }) => expect(same([...(value as Map<string, unknown>).values()], leavesOf(args[0])), 'the record is not the leaves of the tree'),
  'io.toTorchStateDict': ({ args, value }) => expect(same([...(value as Map<string, unknown>).values()], leavesOf(args[0])), 'the state dict is not the leaves of the tree'),
  'io.toNpz': ({ args, value }) => {
    const back = [...api.io.fromNpz(value as Uint8Array).values()].map((t) => JSON.stringify(plain(t)));
    return expect(JSON.stringify(back) === JSON.stringify(leavesOf(args[0]).map((t) => JSON.stringify(plain(t)))), 'fromNpz(toNpz(tree)) lost values');
  },
  'io.toNpy': ({ args, value }) => compareTensor(api.io.fromNpy(value as Uint8Array), plain(args[0])),
  'io.tensorToRaw': ({ args, value }) => compareTensor(api.io.rawToTensor(value as never), plain(args[0])),
  'io.toSafetensors': ({ args, value }) => expect(JSON.stringify([...(value as Uint8Array)]) === JSON.stringify([...api.io.toSafetensors(args[0] as never)]), 'not the bytes of the call without options'),
  'nn.init.fans': ({ args, value }) => {
    const [i, o] = args[0] as number[];
    return expect(JSON.stringify(value) === JSON.stringify({ fanIn: i, fanOut: o }), `fans gave ${JSON.stringify(value)}`);
  },
  'nn.summary': ({ args, value }) => {
    const total = leavesOf(args[0]).reduce((n: number, t) => n + (t as Tensor).size, 0);
    return expect(typeof value === 'string' && new RegExp(`total\\s+${total}\\b`).test(value), `summary does not total ${total} parameters: ${String(value)}`);
  },
  'optim.globalNorm': ({ args, value }) => {
    const want = Math.sqrt(leavesOf(args[0]).flatMap((t) => plain(t).values).reduce((s, v) => s + v * v, 0));
    return expect(Number.isNaN(want) ? Number.isNaN(value as number) : value === want || Math.abs((value as number) - want) <= 1e-6 * Math.max(1, want), `${String(value)}, expected ${want}`);
  },
  'optim.constant': ({ args, value }) => expect(value === args[0], `constant(v)(step) is ${String(value)}`),
  'optim.piecewiseConstant': ({ args, value }) => expect(value === args[0], `piecewiseConstant(v)(step) is ${String(value)}`),
  'random.key': ({ args, value }) => {
    const n = args[0] as number;
    return expect(JSON.stringify((value as { words: number[] }).words) === JSON.stringify([Math.floor(n / 2 ** 32), n >>> 0]), `key(${n}) is ${JSON.stringify(value)}`);
  },
  'tune.crc32': ({ args, value }) => expect(value === crc32(args[0] as string), `crc32 gave ${String(value)}`),
  'tune.defaultGamma': ({ args, value }) => expect(value === Math.min(Math.ceil(0.1 * (args[0] as number)), 25), `defaultGamma gave ${String(value)}`),
  'tune.nanPercentile': ({ args, value }) => {
    const v = (args[0] as number[]).filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
    const pos = ((args[1] as number) / 100) * (v.length - 1);
    const lo = Math.floor(pos);
    const want = v[lo]! + ((v[Math.min(lo + 1, v.length - 1)]! - v[lo]!) * (pos - lo));
    return expect(value === want, `${String(value)}, expected ${want}`);
  },
  'tune.percentilePruner': ({ args, value }) => expect((value as { name: string }).name === `percentile(${String(args[0])})`, `named ${(value as { name: string }).name}`),
  'tune.floatDistribution': ({ args, value }) => expect(JSON.stringify(value) === JSON.stringify({ kind: 'float', low: args[1], high: args[2], log: false, step: null }), JSON.stringify(value)),
  'tune.intDistribution': ({ args, value }) => expect(JSON.stringify(value) === JSON.stringify({ kind: 'int', low: args[1], high: args[2], log: false, step: 1 }), JSON.stringify(value)),
  'tune.grid': ({ value }) => expect((value as { name: string }).name === 'grid', 'not a grid sampler'),
  'nn.dropout': ({ args, value }) => expect((value as { name: string }).name === `dropout(${String(args[0])})`, `named ${(value as { name: string }).name}`),
  'nn.flatten': ({ args, value }) => expect((value as { name: string }).name === `flatten(${String(args[0] ?? 3)})`, `named ${(value as { name: string }).name}`),
  'nn.unflatten': ({ args, value }) => expect(JSON.stringify((value as { outFeatures: unknown }).outFeatures) === JSON.stringify(args[0]), `unflattens to ${JSON.stringify(value)}`),
  'nn.sequential': ({ value }) => expect((value as { name: string }).name === 'sequential(function at 0)', `named ${(value as { name: string }).name}`),
  // A function to transform: the transformed function of no arguments gives what the function gives.
  jit: ({ value }) => expect(value === 1, `jit(() => 1)() is ${String(value)}`),
  debugNans: ({ value }) => expect(value === 1, `debugNans(() => 1)() is ${String(value)}`),
  vjp: ({ value }) => expect(Array.isArray(value) && value[0] === 1, `vjp(() => 1)() is ${String(value)}`),
  // A non-tensor output is static: the program of () => 1 has no inputs, equations or outputs (jit(() => 1)() gives the 1).
  makeProgram: ({ value }) => expect(JSON.stringify(value) === JSON.stringify({ inputs: [], consts: [], eqns: [], outputs: [] }), `makeProgram(() => 1)() is ${JSON.stringify(value)}`),
  // An array is a source of items.
  fromArray: ({ args, value }) => {
    const d = value as { length: number; get(i: number): unknown };
    const items = args[0] as unknown[];
    return expect(d.length === items.length && items.every((x, i) => d.get(i) === x), 'fromArray(items) does not hold the items');
  },
  'iter.enumerate': ({ args, value }) => expect(same([...(value as Iterable<[number, unknown]>)].flat(), (args[0] as unknown[]).flatMap((x, i) => [i, x])), 'not the items numbered'),
  'asyncIter.enumerate': async ({ args, value }) => expect(same((await api.asyncIter.toArray(value as AsyncIterable<unknown>)).flat(), (args[0] as unknown[]).flatMap((x, i) => [i, x])), 'not the items numbered'),
  'asyncIter.fromIterable': async ({ args, value }) => expect(same(await api.asyncIter.toArray(value as AsyncIterable<unknown>), args[0] as unknown[]), 'not the items'),
  'asyncIter.toArray': ({ args, value }) => expect(same(value as unknown[], args[0] as unknown[]), 'not the items'),
  fromTensors: ({ args, value }) => {
    const d = value as { length: number; get(i: number): unknown };
    const t = args[0] as Tensor;
    return expect(d.length === t.shape[0] && compareTensor((d.get(0) as Tensor[])[0] ?? d.get(0), { shape: t.shape.slice(1), values: plain(t).values.slice(0, plain(t).values.length / t.shape[0]!) }) === undefined, 'item 0 is not row 0');
  },
  // Tree functions, total over any leaves.
  'tree.flatten': ({ args, value }) => expect(same((value as [unknown[]])[0], leavesOf(args[0])), 'not the leaves'),
  'tree.leaves': ({ args, value }) => expect(same(value as unknown[], leavesOf(args[0])), 'not the leaves'),
  'tree.leavesWithPaths': ({ args, value }) => expect(same((value as [string, unknown][]).map(([, v]) => v), leavesOf(args[0])), 'not the leaves'),
  'tree.structure': ({ args, value }) => expect(same(api.tree.leaves(api.tree.unflatten(value as never, leavesOf(args[0]))), leavesOf(args[0])), 'unflatten(structure(t), leaves(t)) is not t'),
  'tree.structureEquals': ({ args, value }) => expect(value === (structureOf(args[0]) === structureOf(args[1])), `structureEquals gave ${String(value)}`),
  'tree.assertSameStructure': ({ args, value }) => expect(value === undefined && structureOf(args[0]) === structureOf(args[1]), 'asserted different structures equal'),
  'tree.zip': ({ args, value }) => expect(Array.isArray(value) && value.every((t) => Array.isArray(t) && t.length === 1) && same(value.flat(), leavesOf(args[0])), 'zip of one tree is not its leaves, each in a list of one'),
  'tree.map': ({ args, value }) => expect(value === (args[1] as (x: unknown) => unknown)(args[0]) || leavesOf(value).every((x) => x === 1), 'tree.map(t, () => 1) is not all ones'),
  'tree.isLeaf': ({ args, value }) => expect(value === !(Array.isArray(args[0]) || isPlainObject(args[0])), `isLeaf gave ${String(value)}`),
  // Type guards: none of the bad values is the thing they test for.
  'io.isSpec': ({ value }) => expect(value === false, 'a bad value is a spec'),
  isModuleDataset: ({ value }) => expect(value === false, 'a bad value is a module dataset'),
  isTensorDataset: ({ value }) => expect(value === false, 'a bad value is a tensor dataset'),
  'random.isKey': ({ value }) => expect(value === false, 'a bad value is a key'),
};

/** A layer: its name shows the size given (not a coerced one), and its init gives tensors with that size among their dims. */
const layerCheck: Check = ({ args, value }) => {
  const layer = value as { name: string; init?: (k: unknown) => unknown };
  const sizes = [args[0]].flat() as number[];
  const shown = [String(args[0]), sizes.join(', '), JSON.stringify(args[0])];
  if (!shown.some((s) => layer.name.includes(`(${s}`) || layer.name.includes(`([${s}]`))) return `${layer.name} does not show ${JSON.stringify(args[0])}`;
  const dims = api.tree.leaves(layer.init?.(api.random.key(0))).flatMap((t) => [...(t as Tensor).shape]);
  return expect(sizes.every((n) => dims.includes(n)), `init gave dims [${dims}], not ${sizes}`);
};

// ------------------------------------------------------------------- reasons

const tensorCheck: Check = ({ f, args, value }) => {
  const ref = TENSOR_REFERENCES[f.path];
  if (ref === undefined) return `no plain reference for ${f.path} in TENSOR_REFERENCES`;
  const want = ref(args);
  if (!Array.isArray(want)) return compareTensor(value, want, APPROXIMATE[f.path]);
  if (!Array.isArray(value) || value.length !== want.length) return `expected ${want.length} tensors`;
  return want.map((w, i) => compareTensor(value[i], w)).find((m) => m !== undefined);
};

/** The reference of `f`: a tensor reference, another, or (for the optimizers) the first update. */
const referenceCheck: Check = (call) => {
  const { f, args, value } = call;
  if (f.path in TENSOR_REFERENCES) return tensorCheck(call);
  if (f.path in OTHER_REFERENCES) return OTHER_REFERENCES[f.path]!(call);
  const update = FIRST_UPDATE[f.path];
  if (update !== undefined) return close(firstUpdate(value), f32(update(lrOf(args[0]))));
  if (/^nn\./.test(f.path)) return layerCheck(call);
  return `no plain reference for ${f.path}`;
};

/** The call without the bad value (trailing undefined, or no argument at all) gives the same. */
const withoutCheck: Check = async ({ f, args, pos, value }) => {
  let base = f.fn(...args.slice(0, pos));
  if (base !== null && typeof base === 'object' && typeof (base as Promise<unknown>).then === 'function') base = await base;
  if (typeof base === 'function') base = (base as (...a: unknown[]) => unknown)();
  if (value instanceof Tensor) return compareTensor(value, plain(base));
  if (typeof value === 'object' && value !== null && typeof (value as { update?: unknown }).update === 'function') return close(firstUpdate(value), firstUpdate(base));
  if (Array.isArray(value) && value[0] instanceof Tensor) return expect(fields(value.map((t: Tensor) => JSON.stringify(plain(t)))) === fields((base as Tensor[]).map((t) => JSON.stringify(plain(t)))), 'differs from the call without it');
  if (typeof value === 'object' && value !== null && 'length' in value && typeof (value as { get?: unknown }).get === 'function') {
    const [a, b] = [value as { length: number; get(i: number): unknown }, base as { length: number; get(i: number): unknown }];
    return expect(a.length === b.length && JSON.stringify(api.tree.leaves(a.get(0)).map((t) => plain(t))) === JSON.stringify(api.tree.leaves(b.get(0)).map((t) => plain(t))), 'a dataset unlike the default one');
  }
  return expect(fields(value) === fields(base), `${fields(value)} differs from the call without it: ${fields(base)}`);
};

const eitherCheck: Check = ({ f, value }) => {
  const e = value as { _tag?: string; left?: unknown };
  return expect(e._tag === 'Left' && e.left instanceof TypegradError && (e.left.message.includes(f.name) || e.left.message.includes(f.path)), `expected a Left naming ${f.name}, got ${JSON.stringify(value)}`);
};

/** Each reason's check. */
export const CHECKS: Readonly<Record<Reason, Check>> = {
  ieee: referenceCheck,
  promotes: referenceCheck,
  'valid here': referenceCheck,
  total: referenceCheck,
  default: withoutCheck,
  'no parameters': withoutCheck,
  either: eitherCheck,
};

// ------------------------------------------------------------- the review table

const ELEMENTWISE = [...Object.keys(UNARY), ...Object.keys(BINARY), 'clip', 'where', 'nn.softmax', 'nn.logSoftmax', 'squeeze', 'transpose', 'expandDims', 'index'];
const OPTIMIZERS = Object.keys(FIRST_UPDATE);
const OPTIONS_ONLY = ['optim.scaleByAdam', 'optim.scaleByLion', 'optim.scaleByRms', 'optim.scaleByRss', 'tune.createStudy', 'tune.hyperbandPruner', 'tune.medianPruner', 'tune.randomSampler', 'tune.successiveHalvingPruner', 'tune.tpe', 'tune.cmaEs', 'breastCancer', 'digits', 'iris', 'wine', 'fashionMnist'];
const TREE = ['tree.flatten', 'tree.leaves', 'tree.leavesWithPaths', 'tree.structure', 'tree.structureEquals', 'tree.zip', 'tree.isLeaf', 'tree.assertSameStructure', 'tree.map'];
const SERIALIZE = ['io.toNpz', 'io.toTorchStateDict', 'io.treeToRecord', 'nn.summary', 'optim.globalNorm', 'io.tensorToRaw', 'io.toNpy', 'fromTensors'];
const BAD_NUMBERS = ['NaN/Inf number', 'negative size', 'huge size', 'fractional size'];

/**
 * Which reason lets which (function, class of bad value) return. An entry
 * with `positions` covers only those argument positions. The reviewed list:
 * each line is a claim the matching check verifies on every call.
 */
export const RETURNS: readonly { readonly fns: readonly string[]; readonly classes: readonly string[]; readonly positions?: readonly number[]; readonly reason: Reason }[] = [
  { fns: ELEMENTWISE, classes: ['NaN/Inf tensor', 'NaN/Inf number'], reason: 'ieee' },
  { fns: [...ELEMENTWISE, 'matmul', 'dot', 'io.toNpy', 'io.tensorToRaw', 'fromTensors', 'stopGradient', 'onesLike', 'zerosLike'], classes: ['wrong dtype'], reason: 'promotes' },
  // A number as the other operand of a binary op, or as a bound of clip, is a scalar.
  { fns: [...Object.keys(BINARY), 'clip'], classes: ['non-tensor', ...BAD_NUMBERS], positions: [1, 2], reason: 'valid here' },
  // -1 is the last axis; an undefined axis is the default.
  { fns: ['argmax', 'argmin', 'expandDims', 'flatten', 'split', 'index', 'reshape', 'slice'], classes: ['non-tensor', 'negative size'], positions: [1, 2], reason: 'valid here' },
  // Any finite number is a start of arange/linspace (an empty range when past the stop).
  { fns: ['arange', 'linspace'], classes: ['non-tensor', ...BAD_NUMBERS], positions: [0], reason: 'valid here' },
  // A positive number is a learning rate / factor / threshold (a function is a schedule); 1e300 overflows to Inf in float32 per IEEE.
  { fns: OPTIMIZERS, classes: ['non-tensor', 'huge size', 'fractional size'], positions: [0], reason: 'valid here' },
  { fns: ['optim.scale'], classes: ['negative size'], reason: 'valid here' }, // a negative factor flips the updates
  { fns: ['optim.constant', 'optim.piecewiseConstant', 'dim', 'io.halfToNumber', 'io.torchNameOf', 'random.key', 'tune.crc32', 'tune.defaultGamma', 'tune.nanPercentile', 'tune.percentilePruner', 'tune.floatDistribution', 'tune.intDistribution', 'tune.grid', 'hasShape', 'nn.init.fans', 'nn.dropout', 'nn.flatten', 'nn.unflatten', 'nn.sequential', 'jit', 'debugNans', 'vjp', 'makeProgram', 'fromArray', 'iter.enumerate', 'asyncIter.enumerate', 'asyncIter.fromIterable', 'asyncIter.toArray'], classes: ['non-tensor', ...BAD_NUMBERS, 'string for number', 'wrong-shaped tree', 'cyclic'], reason: 'valid here' },
  // Layers: a positive size (5) or a list of them ([1, 2]) is a size (a size too large for its parameters is refused at construction).
  { fns: ['nn.batchNorm', 'nn.batchNorm2d', 'nn.layerNorm', 'nn.linear', 'nn.conv2d', 'nn.embedding', 'nn.mlp'], classes: ['non-tensor'], positions: [0], reason: 'valid here' },
  // Trees of tensors (with any dtype, NaN, any shapes): serialised, listed or measured as they are.
  { fns: SERIALIZE, classes: ['non-tensor', 'wrong dtype', 'NaN/Inf tensor', 'wrong-shaped tree'], reason: 'total' },
  { fns: TREE, classes: Object.keys({ 'non-tensor': 0, 'wrong dtype': 0, 'NaN/Inf tensor': 0, 'NaN/Inf number': 0, 'negative size': 0, 'huge size': 0, 'fractional size': 0, 'string for number': 0, 'wrong-shaped tree': 0, cyclic: 0 }), reason: 'total' },
  { fns: ['io.isSpec', 'isModuleDataset', 'isTensorDataset', 'random.isKey'], classes: ['non-tensor', 'wrong dtype', 'NaN/Inf tensor', ...BAD_NUMBERS, 'string for number', 'wrong-shaped tree', 'cyclic'], reason: 'total' },
  { fns: [...OPTIONS_ONLY, 'io.toSafetensors'], classes: ['non-tensor', 'wrong-shaped tree', 'cyclic'], reason: 'default' },
  { fns: ['maxWorkers', 'tune.memoryStorage', 'tune.nopPruner'], classes: ['non-tensor', 'wrong dtype', 'NaN/Inf tensor', ...BAD_NUMBERS, 'string for number', 'wrong-shaped tree', 'cyclic'], reason: 'no parameters' },
  { fns: ['readCsv', 'readIdx'], classes: ['non-tensor', 'wrong dtype', 'NaN/Inf tensor', ...BAD_NUMBERS, 'string for number', 'wrong-shaped tree', 'cyclic'], reason: 'either' },
];

/** The reason that lets this call return, or undefined when none does. */
export function reasonFor(call: Pick<ReturnedCall, 'f' | 'cls' | 'pos'>): Reason | undefined {
  return RETURNS.find((r) => r.fns.includes(call.f.path) && r.classes.includes(call.cls) && (r.positions === undefined || r.positions.includes(call.pos)))?.reason;
}

/** `undefined` when the returned call is covered by a reason whose check holds; otherwise what is wrong. */
export async function checkReturned(call: ReturnedCall): Promise<{ reason?: Reason; problem?: string }> {
  const reason = reasonFor(call);
  if (reason === undefined) return { problem: 'returned, and no entry of RETURNS (tests/probe/returns.ts) gives a reason' };
  try {
    const problem = await CHECKS[reason](call);
    return problem === undefined ? { reason } : { reason, problem };
  } catch (e) {
    return { reason, problem: `its check threw ${e instanceof Error ? e.message : String(e)}` };
  }
}
