/**
 * `jvp`: forward-mode derivative of a function along given tangents.
 */
import { describeValue } from '../core/describe.js';
import { isFloat } from '../core/dtype.js';
import { DTypeError, ShapeError, TraceError, TreeError } from '../core/errors.js';
import { withTrace } from '../core/trace.js';
import { type AnyTensor, Tensor, dimsOf } from '../core/tensor.js';
import { flatten, leavesWithPaths, unflatten } from '../tree/tree.js';
import { zerosLike } from '../lax/index.js';
import { ForwardTrace, ForwardTracer } from './forward.js';

/**
 * Evaluates `f(...primals)` and its directional derivative along `tangents`
 * (each tangent has the structure, shapes and dtypes of its primal).
 *
 * @example
 * ```ts
 * import { jvp, sin, scalar } from 'typegrad';
 * const [y, dy] = jvp((x: Scalar) => sin(x), [scalar(0)], [scalar(1)]); // y = 0, dy = cos(0) = 1
 * ```
 */
export function jvp<A extends unknown[], R>(f: (...args: A) => R, primals: A, tangents: NoInfer<A>): [out: R, tangentOut: R] {
  if (typeof f !== 'function') throw new TraceError(`jvp: expected a function, got ${describeValue(f)}`);
  if (!Array.isArray(primals) || !Array.isArray(tangents)) {
    throw new TreeError(`jvp: primals and tangents must be arrays of arguments, got ${describeValue(primals)} and ${describeValue(tangents)}`);
  }
  if (primals.length !== tangents.length) {
    throw new TreeError(`jvp: got ${primals.length} primals but ${tangents.length} tangents`);
  }
  return withTrace(
    (level) => new ForwardTrace(level, 'jvp'),
    (trace) => {
      const traced = primals.map((arg, i) => {
        const [leaves, def] = flatten(arg);
        const [tleaves, tdef] = flatten(tangents[i]);
        if (JSON.stringify(def) !== JSON.stringify(tdef)) {
          throw new TreeError(`jvp: tangents[${i}] does not have the structure of primals[${i}]`);
        }
        const paths = leavesWithPaths(arg, `primals[${i}]`);
        return unflatten(
          def,
          leaves.map((leaf, k) => {
            const t = tleaves[k];
            const path = paths[k]![0];
            if (!(leaf instanceof Tensor) || !(t instanceof Tensor)) throw new TreeError(`jvp: ${path} and its tangent must be tensors`);
            if (!isFloat(leaf.dtype)) throw new DTypeError(`jvp: cannot differentiate with respect to ${path} of dtype ${leaf.dtype}`);
            const ps = dimsOf(leaf), ts = dimsOf(t);
            if (ps.length !== ts.length || ps.some((d, j) => d !== ts[j])) {
              throw new ShapeError(`jvp: tangent of shape [${ts.join(',')}] does not match ${path} of shape [${ps.join(',')}]`);
            }
            return new ForwardTracer(trace, leaf as AnyTensor, t as AnyTensor);
          }),
        );
      }) as A;
      const out = f(...traced);
      const [outLeaves, outDef] = flatten(out);
      const ps: unknown[] = [];
      const ts: unknown[] = [];
      for (const leaf of outLeaves) {
        if (!(leaf instanceof Tensor)) {
          ps.push(leaf);
          ts.push(leaf);
          continue;
        }
        const [p, t] = trace.split(leaf as AnyTensor);
        ps.push(p);
        ts.push(t ?? zerosLike(p));
      }
      return [unflatten<R>(outDef, ps), unflatten<R>(outDef, ts)];
    },
  );
}

export { ForwardTracer };
