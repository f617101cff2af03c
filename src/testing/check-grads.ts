/**
 * `checkGrads`: compares a function's reverse- and forward-mode derivatives
 * with central finite differences computed in float64, and checks that the
 * two modes agree (`<v, J u> = <J^T v, u>`). Second order checks the
 * derivative functions themselves, recursively.
 */
import { isFloat } from '../core/dtype.js';
import { TypegradError } from '../core/errors.js';
import { type AnyTensor, Tensor, fromStorage, storageOf, dimsOf } from '../core/tensor.js';
import { jvp } from '../autodiff/jvp.js';
import { vjp } from '../autodiff/grad.js';
import { flatten, leavesWithPaths, unflatten } from '../tree/tree.js';
import { astype } from '../lax/index.js';
import { key as makeKey, split, normal, type Key } from '../random/index.js';

/** Options of {@link checkGrads}. */
export interface CheckGradsOptions {
  /** 1 checks first derivatives; 2 also checks the derivatives of the derivatives. Default 1. */
  readonly order?: 1 | 2;
  /** Which modes to check. Default both. */
  readonly modes?: readonly ('rev' | 'fwd')[];
  /** Finite-difference step. Default 1e-5 (float64). */
  readonly eps?: number;
  /** Relative tolerance. Default 1e-4. */
  readonly rtol?: number;
  /** Absolute tolerance. Default 1e-6. */
  readonly atol?: number;
  /** Key for the random directions. Default `key(0)`. */
  readonly key?: Key;
}

/** Thrown by {@link checkGrads} with the path, the index and both values. */
export class GradCheckError extends TypegradError {
  override name = 'GradCheckError';
}

type Fn = (...args: never[]) => unknown;

function toFloat64(tree: unknown): unknown {
  const [leaves, def] = flatten(tree);
  return unflatten(def, leaves.map((l) => (l instanceof Tensor && isFloat(l.dtype) ? astype(l as AnyTensor, 'float64') : l)));
}

function floatLeaves(tree: unknown): AnyTensor[] {
  return flatten(tree)[0].filter((l): l is AnyTensor => l instanceof Tensor && isFloat(l.dtype));
}

/** Sum over all float leaves of `<a, b>` in float64 (trees of the same structure). */
function vdot(a: unknown, b: unknown): number {
  const la = floatLeaves(a), lb = floatLeaves(b);
  let s = 0;
  for (let i = 0; i < la.length; i++) {
    const x = storageOf(la[i]!.concrete()), y = storageOf(lb[i]!.concrete());
    for (let j = 0; j < x.length; j++) s += x[j]! * y[j]!;
  }
  return s;
}

/** A random tree like `tree` (float leaves replaced by standard normals in float64). */
function randomLike(k: Key, tree: unknown): unknown {
  const [leaves, def] = flatten(tree);
  let kk = k;
  return unflatten(
    def,
    leaves.map((l) => {
      if (!(l instanceof Tensor) || !isFloat(l.dtype)) return l;
      const [next, sub] = split(kk);
      kk = next;
      return normal(sub, dimsOf(l), { dtype: 'float64' });
    }),
  );
}

/** `tree` with element `index` of float leaf `leafIndex` moved by `delta`. */
function perturb(tree: unknown, leafIndex: number, index: number, delta: number): unknown {
  const [leaves, def] = flatten(tree);
  let k = -1;
  return unflatten(
    def,
    leaves.map((l) => {
      if (!(l instanceof Tensor) || !isFloat(l.dtype)) return l;
      if (++k !== leafIndex) return l;
      const data = storageOf(l.concrete()).slice() as Float64Array;
      data[index]! += delta;
      return fromStorage(data, dimsOf(l), 'float64');
    }),
  );
}

function close(got: number, want: number, rtol: number, atol: number): boolean {
  if (Number.isNaN(got) && Number.isNaN(want)) return true;
  return Math.abs(got - want) <= atol + rtol * Math.abs(want);
}

function argsDiffable(args: readonly unknown[]): number[] {
  return args.flatMap((a, i) => {
    const leaves = flatten(a)[0];
    return leaves.length > 0 && leaves.every((l) => l instanceof Tensor && isFloat(l.dtype)) ? [i] : [];
  });
}

function checkOrder1(f: Fn, args: readonly unknown[], opts: Required<Omit<CheckGradsOptions, 'order'>>, label: string): void {
  const call = (xs: readonly unknown[]): unknown => (f as (...a: unknown[]) => unknown)(...xs);
  const diffable = argsDiffable(args);
  const partial = (...d: unknown[]): unknown => {
    const xs = args.slice();
    diffable.forEach((i, k) => (xs[i] = d[k]));
    return call(xs);
  };
  const primals = diffable.map((i) => args[i]);
  const out0 = call(args);
  const [k1, k2] = split(opts.key);
  const u = randomLike(k1, out0); // output cotangent
  const v = randomLike(k2, primals); // input tangent
  const { eps, rtol, atol } = opts;
  const scalarized = (xs: readonly unknown[]): number => vdot(u, partial(...xs));
  const paths = diffable.flatMap((i) => leavesWithPaths(args[i], `args[${i}]`).map(([p]) => p));

  // Finite differences of <u, f(x)> with respect to every input element.
  const numeric: number[][] = [];
  let leafIndex = 0;
  for (const leaf of floatLeaves(primals)) {
    const row: number[] = [];
    for (let j = 0; j < leaf.size; j++) {
      const plus = scalarized(perturb(primals, leafIndex, j, eps) as unknown[]);
      const minus = scalarized(perturb(primals, leafIndex, j, -eps) as unknown[]);
      row.push((plus - minus) / (2 * eps));
    }
    numeric.push(row);
    leafIndex++;
  }
  const compare = (mode: string, analytic: (leaf: number, j: number) => number): void => {
    numeric.forEach((row, li) =>
      row.forEach((want, j) => {
        const got = analytic(li, j);
        if (!close(got, want, rtol, atol)) {
          throw new GradCheckError(
            `checkGrads${label}: ${mode}-mode derivative of ${paths[li]} at flat index ${j}: got ${got}, finite differences give ${want} ` +
              `(rtol ${rtol}, atol ${atol})`,
          );
        }
      }),
    );
  };

  let revCts: unknown = null;
  if (opts.modes.includes('rev')) {
    const [, pullback] = vjp(partial, ...primals);
    revCts = pullback(u);
    const leaves = floatLeaves(revCts);
    compare('rev', (li, j) => storageOf(leaves[li]!.concrete())[j]!);
  }
  if (opts.modes.includes('fwd')) {
    const leaves = floatLeaves(primals);
    const basis = (li: number, j: number): unknown => {
      const zeroTree = unflatten(flatten(primals)[1], flatten(primals)[0].map((l) => (l instanceof Tensor ? zerosF64(l) : l)));
      return perturb(zeroTree, li, j, 1);
    };
    const fwd = leaves.map((leaf, li) =>
      Array.from({ length: leaf.size }, (_, j) => vdot(u, jvp(partial, primals, basis(li, j) as unknown[])[1])),
    );
    compare('fwd', (li, j) => fwd[li]![j]!);
  }
  if (revCts !== null && opts.modes.includes('fwd')) {
    // <u, J v> (forward) must equal <J^T u, v> (reverse).
    const forward = vdot(u, jvp(partial, primals, v as unknown[])[1]);
    const reverse = vdot(revCts, v);
    if (!close(forward, reverse, rtol, atol)) {
      throw new GradCheckError(`checkGrads${label}: forward and reverse modes disagree: <u, J v> = ${forward} but <J^T u, v> = ${reverse}`);
    }
  }
}

function zerosF64(l: AnyTensor): AnyTensor {
  return fromStorage(new Float64Array(l.size), dimsOf(l), 'float64');
}

/**
 * Checks the derivatives of `f` at `args` against finite differences (in
 * float64: float arguments are cast first). Arguments whose leaves are all
 * float tensors are differentiated; others (integer labels) are held fixed.
 * Throws a {@link GradCheckError} naming the argument path, the flat index and
 * both values.
 *
 * @example
 * ```ts
 * import { checkGrads } from 'typegrad/testing';
 * checkGrads((x: Tensor<[3]>) => sum(mul(x, x)), [tensor([1, 2, 3])], { order: 2 });
 * ```
 */
export function checkGrads<A extends unknown[]>(f: (...args: A) => unknown, args: A, options: CheckGradsOptions = {}): void {
  const opts = {
    modes: options.modes ?? (['rev', 'fwd'] as const),
    eps: options.eps ?? 1e-5,
    rtol: options.rtol ?? 1e-4,
    atol: options.atol ?? 1e-6,
    key: options.key ?? makeKey(0),
  };
  const args64 = args.map(toFloat64);
  checkOrder1(f as Fn, args64, opts, '');
  if ((options.order ?? 1) < 2) return;
  const diffable = argsDiffable(args64);
  const [ku, kv] = split(opts.key);
  const out0 = (f as (...a: unknown[]) => unknown)(...args64);
  const u = randomLike(ku, out0);
  const v = randomLike(kv, diffable.map((i) => args64[i]));
  const withDiffable = (xs: unknown[], d: unknown[]): unknown[] => {
    const ys = xs.slice();
    diffable.forEach((i, k) => (ys[i] = d[k]));
    return ys;
  };
  const partial = (fixed: unknown[]) => (...d: unknown[]): unknown => (f as (...a: unknown[]) => unknown)(...withDiffable(fixed, d));
  if (opts.modes.includes('rev')) {
    // The derivative of x -> J(x)^T u.
    const pulled = (...xs: unknown[]): unknown => vjp(partial(xs), ...diffable.map((i) => xs[i]))[1](u);
    checkOrder1(pulled as Fn, args64, opts, ' (order 2, rev)');
  }
  if (opts.modes.includes('fwd')) {
    // The derivative of x -> J(x) v.
    const pushed = (...xs: unknown[]): unknown => jvp(partial(xs), diffable.map((i) => xs[i]), v as unknown[])[1];
    checkOrder1(pushed as Fn, args64, opts, ' (order 2, fwd)');
  }
}
