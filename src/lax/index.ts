/**
 * The primitive layer: untyped (any-shape) functions that bind primitives.
 * Derivative rules and the typed public ops are written on top of it.
 */
/** Any tensor, as the primitive layer sees it. */
export type { AnyTensor as AnyTensorLike } from '../core/tensor.js';
export * from './create.js';
export * from './unary.js';
export * from './binary.js';
export * from './where.js';
export * from './structural.js';
export * from './reduce-sum.js';
export * from './transpose.js';
export * from './slice.js';
export * from './concat.js';
export * from './gather.js';
export * from './reduce-extrema.js';
export * from './reduce-prod.js';
export * from './arg-reduce.js';
export * from './matmul.js';
export * from './conv.js';
export * from './pool.js';
