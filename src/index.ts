/**
 * typegrad: typed tensors, pure autodiff transforms and functional training.
 *
 * @example
 * ```ts
 * import { tensor, matmul, grad, sum, mul } from 'typegrad';
 * const x = tensor([[1, 2, 3], [4, 5, 6]]); // Tensor<[2, 3]>
 * ```
 */
export { Tensor, type AnyTensor, type Scalar, type NestedArray } from './core/tensor.js';
export type { DType, FloatDType, Promote } from './core/dtype.js';
export { TypegradError, ShapeError, DTypeError, AxisError, ValueError, TreeError, TraceError, ResourceError } from './core/errors.js';
export type { Dim, Shape, Sym } from './shape/dim.js';
export * from './ops/create.js';
export * from './ops/unary.js';
export * from './ops/binary.js';
export * from './ops/reduce.js';
export { grad, valueAndGrad, vjp, type GradOptions, type LossScalar } from './autodiff/grad.js';
export { jvp } from './autodiff/jvp.js';
export { vmap, type VmapFn, type VmapOptions, type Batched, type InAxes, type OutAxes } from './autodiff/vmap.js';
export { jacfwd, jacrev, hessian } from './autodiff/jacobian.js';
export { debugNans } from './autodiff/debug-nans.js';
export { stopGradient } from './ops/stop-gradient.js';
export * as tree from './tree/index.js';
export * as random from './random/index.js';
export * from './ops/reshape.js';
export * from './ops/permute.js';
export * from './ops/join.js';
export * from './ops/slicing.js';
export * from './ops/gather.js';
export * from './ops/linalg.js';
export * from './ops/conv.js';
export * from './ops/assert-shape.js';
export * from './ops/astype.js';
export * as optim from './optim/index.js';
export * from './data/index.js';
export * from './losses/index.js';
export * as nn from './nn/index.js';
export { jit, jitStats, type JitOptions, type JitStats, type ArgIndex } from './jit/jit.js';
export { makeProgram, StagedProgram } from './jit/make-program.js';
export type { Program, Var, Eqn, Const, Executable } from './jit/program.js';
export * as io from './io/index.js';
export { FormatError, CheckpointError } from './io/errors.js';
export * as tune from './tune/index.js';
