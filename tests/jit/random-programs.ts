/**
 * Random programs for the compiler's property tests: a base shape S, inputs
 * whose shapes broadcast to S (every dtype, odd, size-0 and size-1 dims),
 * and a list of ops drawn from the primitive table that keep every value
 * broadcastable to S, so any two values combine.
 */
import fc from 'fast-check';
import * as lax from '../../src/lax/index.js';
import { fromStorage, type AnyTensor, type ArrayTensor } from '../../src/core/tensor.js';
import { allocate, type DType } from '../../src/core/dtype.js';
import type { Shape } from '../../src/shape/dim.js';
import type { Program } from '../../src/jit/program.js';
import { record } from './record.js';

type T = ArrayTensor<Shape, DType>;

/** A tensor of `shape` filled with `values` repeated. */
export function tensorOf(values: readonly number[], shape: readonly number[], dtype: DType): T {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) data[i] = dtype === 'bool' ? (values[i % values.length]! > 0 ? 1 : 0) : values[i % values.length]!;
  return fromStorage<Shape, DType>(data, shape, dtype);
}

const unaryOps = ['neg', 'exp', 'log', 'log1p', 'expm1', 'sqrt', 'sin', 'cos', 'tanh', 'sigmoid', 'abs', 'relu', 'sign', 'floor', 'ceil', 'round'] as const;
const binaryOps = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;

/** A drawn program. */
export interface ProgramSpec {
  base: number[];
  inputs: { dtype: DType; ones: boolean[]; values: number[] }[];
  ops: Op[];
  outs: number[];
}

/** One op of a random program: it reads earlier values by index (modulo the count so far). */
type Op =
  | { k: 'unary'; op: (typeof unaryOps)[number]; a: number }
  | { k: 'binary'; op: (typeof binaryOps)[number]; a: number; b: number }
  | { k: 'where'; c: number; a: number; b: number }
  | { k: 'astype'; a: number; to: DType }
  | { k: 'sum' | 'max' | 'prod'; a: number; axis: number }
  | { k: 'transpose'; a: number }
  | { k: 'slice1'; a: number; axis: number }
  | { k: 'broadcast'; a: number }
  | { k: 'reshapeFlat'; a: number };

const dtypeArb = fc.constantFrom<DType>('float32', 'float32', 'float64', 'int32', 'bool');
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant('unary' as const), op: fc.constantFrom(...unaryOps), a: fc.nat() }) },
  { weight: 5, arbitrary: fc.record({ k: fc.constant('binary' as const), op: fc.constantFrom(...binaryOps), a: fc.nat(), b: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('where' as const), c: fc.nat(), a: fc.nat(), b: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('astype' as const), a: fc.nat(), to: dtypeArb }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constantFrom('sum' as const, 'max' as const, 'prod' as const), a: fc.nat(), axis: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('transpose' as const), a: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('slice1' as const), a: fc.nat(), axis: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('broadcast' as const), a: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('reshapeFlat' as const), a: fc.nat() }) },
);

const dimArb = fc.constantFrom(0, 1, 1, 2, 3, 5, 7);

/**
 * A random program over a base shape S: every value's shape broadcasts to S
 * (S with some dims 1), so any two values combine. Transposes and
 * flattening reshapes are undone at once (two view eqns in a row).
 */
export const programArb = fc.record({
  base: fc.array(dimArb, { minLength: 0, maxLength: 3 }),
  inputs: fc.array(fc.record({ dtype: dtypeArb, ones: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), values: fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: 1, maxLength: 9 }) }), { minLength: 1, maxLength: 3 }),
  ops: fc.array(opArb, { minLength: 1, maxLength: 10 }),
  outs: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
});

/** The program and inputs of a drawn spec, or null where a dtype rule refuses an op. */
export function build(spec: ProgramSpec): { program: Program; inputs: T[] } | null {
  const S = spec.base;
  const inputs = spec.inputs.map((i) => tensorOf(i.values, S.map((d, k) => (i.ones[k] ? 1 : d)), i.dtype));
  const f = (...xs: AnyTensor[]): AnyTensor[] => {
    const vals: AnyTensor[] = [...xs];
    const pick = (i: number): AnyTensor => vals[i % vals.length]!;
    for (const op of spec.ops) {
      let r: AnyTensor;
      switch (op.k) {
        case 'unary': r = (lax as unknown as Record<string, (x: AnyTensor) => AnyTensor>)[op.op]!(pick(op.a)); break;
        case 'binary': r = (lax as unknown as Record<string, (x: AnyTensor, y: AnyTensor) => AnyTensor>)[op.op]!(pick(op.a), pick(op.b)); break;
        case 'where': r = lax.where(lax.gt(pick(op.c), lax.scalarLike(0, pick(op.c))), pick(op.a), pick(op.b)); break;
        case 'astype': r = lax.astype(pick(op.a), op.to); break;
        case 'sum': case 'max': case 'prod': {
          const x = pick(op.a);
          if (x.rank === 0) continue;
          const axes = [op.axis % x.rank];
          r = op.k === 'sum' ? lax.reduceSum(x, axes, true) : op.k === 'max' ? lax.reduceMax(x, axes, true) : lax.reduceProd(x, axes, true);
          break;
        }
        case 'transpose': {
          const x = pick(op.a);
          const perm = [...Array(x.rank).keys()].reverse();
          r = lax.transpose(lax.exp(lax.transpose(x, perm)), perm);
          break;
        }
        case 'slice1': {
          const x = pick(op.a);
          if (x.rank === 0) continue;
          const k = op.axis % x.rank;
          const shape = x.shape as unknown as number[];
          if (shape[k] === 0) continue;
          r = lax.slice(x, { starts: shape.map((d, j) => (j === k ? d - 1 : 0)), sizes: shape.map((d, j) => (j === k ? 1 : d)), steps: shape.map(() => 1) });
          break;
        }
        case 'broadcast': r = lax.broadcastTo(pick(op.a), S); break;
        case 'reshapeFlat': {
          const x = pick(op.a);
          r = lax.reshape(lax.neg(lax.reshape(x, [x.size])), x.shape as unknown as number[]);
          break;
        }
      }
      vals.push(r);
    }
    return spec.outs.map((o) => vals[vals.length - 1 - (o % (vals.length - xs.length + 1))] ?? vals[vals.length - 1]!);
  };
  try {
    return { program: record(f, inputs), inputs };
  } catch {
    return null; // a dtype rule refused (neg of bool, ...): not a program
  }
}

