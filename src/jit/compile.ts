/**
 * The compiler's entry point: a {@link Program} in, an {@link Executable}
 * out. The program goes through the passes (`compiler/passes.ts`), is
 * scheduled into fused loops and kernel roots (`compiler/schedule.ts`),
 * gets a static memory plan (`compiler/memory.ts`), and becomes a list of
 * closures over generated loops (`compiler/executor.ts`). Results equal the
 * reference interpreter's (`interpret`) within float32 rounding of the
 * WebAssembly kernels the eager path also uses.
 */
import type { Executable, Program } from './program.js';
import { eliminateCommonSubexpressions, eliminateDeadCode } from './compiler/passes.js';
import { schedule } from './compiler/schedule.js';
import { foldConstants, simplifyAlgebra } from './compiler/simplify.js';
import { buildExecutor, type ExecutorInfo } from './compiler/executor.js';

/** How a program is compiled. */
export interface CompileOptions {
  /** Per input of the program: true where the caller gives up the input's buffer (it may be reused for an output). */
  readonly donate?: readonly boolean[];
}

/** The passes, in order. */
export function optimize(program: Program): Program {
  const live = eliminateDeadCode(program);
  return eliminateDeadCode(eliminateCommonSubexpressions(simplifyAlgebra(foldConstants(live))));
}

/**
 * Compiles a staged program into a function of its inputs.
 * @example
 * ```ts
 * const run = compile(program);
 * const [out] = run([x]);
 * ```
 */
export function compile(program: Program, options: CompileOptions = {}): Executable {
  return compileWithInfo(program, options).run;
}

/** @internal {@link compile}, also returning what was built (loops, memory plan) for tests. */
export function compileWithInfo(program: Program, options: CompileOptions = {}): { run: Executable; info: ExecutorInfo; optimized: Program } {
  const optimized = optimize(program);
  const { run, info } = buildExecutor(optimized, schedule(optimized), options.donate);
  return { run, info, optimized };
}
