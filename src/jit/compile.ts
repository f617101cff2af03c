/**
 * The compiler's entry point: a {@link Program} in, an {@link Executable}
 * out. Today it is the reference interpreter; optimisation passes, fusion,
 * the memory plan and WebAssembly code generation replace its body.
 */
import { interpret, type Executable, type Program } from './program.js';

/** How a program is compiled. */
export interface CompileOptions {
  /** Per input of the program: true where the caller gives up the input's buffer (it may be reused for an output). */
  readonly donate?: readonly boolean[];
}

/** Compiles a staged program into a function of its inputs. */
export function compile(program: Program, _options: CompileOptions = {}): Executable {
  return (inputs) => interpret(program, inputs);
}
