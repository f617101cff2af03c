/**
 * Passes over a staged program, each a function from program to program
 * that keeps its meaning (the reference interpreter gives the same
 * outputs before and after):
 * - {@link eliminateDeadCode}: drops eqns no output depends on;
 * - {@link eliminateCommonSubexpressions}: one eqn per distinct
 *   (primitive, params, inputs).
 */
import type { Eqn, Program, Var } from '../program.js';

/**
 * Drops eqns whose results no output needs (and consts nothing reads).
 * @example
 * ```ts
 * eliminateDeadCode(program).eqns.length <= program.eqns.length; // true
 * ```
 */
export function eliminateDeadCode(program: Program): Program {
  const live = new Set(program.outputs.map((v) => v.id));
  const kept: Eqn[] = [];
  for (let i = program.eqns.length - 1; i >= 0; i--) {
    const e = program.eqns[i]!;
    if (!live.has(e.out.id)) continue;
    kept.push(e);
    for (const x of e.inputs) live.add(x.id);
  }
  kept.reverse();
  if (kept.length === program.eqns.length && program.consts.every((c) => live.has(c.v.id))) return program;
  return { ...program, consts: program.consts.filter((c) => live.has(c.v.id)), eqns: kept };
}

/** A key equal for equal params (plain data: numbers, strings, arrays, records). */
function paramKey(p: unknown): string {
  return JSON.stringify(p, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : Object.is(v, -0) ? '-0' : v)) ?? 'undefined';
}

/**
 * Replaces each eqn that repeats an earlier one (same primitive, params
 * and inputs) by the earlier one's result.
 * @example
 * ```ts
 * eliminateCommonSubexpressions(program).eqns.length <= program.eqns.length; // true
 * ```
 */
export function eliminateCommonSubexpressions(program: Program): Program {
  const seen = new Map<string, Var>();
  const rename = new Map<number, Var>();
  const r = (v: Var): Var => rename.get(v.id) ?? v;
  const eqns: Eqn[] = [];
  let changed = false;
  for (const e of program.eqns) {
    const inputs = e.inputs.map(r);
    const key = `${e.prim}|${paramKey(e.params)}|${inputs.map((v) => v.id).join(',')}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      rename.set(e.out.id, earlier);
      changed = true;
      continue;
    }
    seen.set(key, e.out);
    if (inputs.some((v, i) => v !== e.inputs[i])) {
      changed = true;
      eqns.push({ ...e, inputs });
    } else eqns.push(e);
  }
  if (!changed) return program;
  return { ...program, eqns, outputs: program.outputs.map(r) };
}
