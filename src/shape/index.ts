/**
 * Shape rules, each twice: a type (`Broadcast<A, B, Op>`) that computes the
 * result shape, or a `ShapeMismatch<message>`, at compile time, and a
 * run-time function (`broadcastShapes(op, a, b)`) that computes it or
 * throws `ShapeError`/`AxisError` with the same message.
 *
 * @example
 * ```ts
 * import { broadcastShapes, type Broadcast } from './index.js';
 * type S = Broadcast<[455, 30], [30]>;     // [455, 30]
 * broadcastShapes('add', [455, 30], [30]); // [455, 30]
 * ```
 *
 * @module
 */
export type { Dim, Shape, Sym, SymName, Mutable } from './dim.js';
export type { ShapeMismatch, IsMismatch, Check, Ok, ErrOr, AxisArg, AxisCheck } from './errors.js';
export type { DimToString, FormatShape } from './format.js';
export { formatShape } from './format.js';
export type { Add, Sub, Mul, DivExact, DivCeil, Compare, Product, IsNat, Signed } from './arith.js';
export type { SameDim, UnifyEqual, UnifyBroadcast } from './unify.js';
export type { Broadcast, BroadcastTo } from './broadcast.js';
export { broadcastShapes, broadcastToShape } from './broadcast.js';
export type { MatMul } from './matmul.js';
export { matmulShape } from './matmul.js';
export type { NumElements, Reshape, Flatten } from './reshape.js';
export { numElements, sameShape, reshapeShape, flattenShape } from './reshape.js';
export type { NormalizeAxis, NormalizeAxes } from './axes.js';
export { normalizeAxis, normalizeAxes } from './axes.js';
export type { Reduce } from './reduce.js';
export { reduceShape } from './reduce.js';
export type { Transpose, Permute } from './permute.js';
export { transposeShape, permuteShape, normalizePermutation, invertPermutation } from './permute.js';
export type { ExpandDims, Squeeze } from './squeeze.js';
export { expandDimsShape, squeezeShape } from './squeeze.js';
export type { ShapesOf, Concat, Stack } from './concat.js';
export { concatShapes, stackShapes } from './concat.js';
export type { Split } from './split.js';
export { splitSizes, splitShapes } from './split.js';
export type { SliceSpec, SliceAxis, Slice, Index } from './slice.js';
export { resolveSlice, sliceShape, indexShape } from './slice.js';
export type { Take, OneHot } from './gather.js';
export { takeShape, oneHotShape } from './gather.js';
export type { PatternDim, FromPattern } from './pattern.js';
export { formatPattern, matchShape, matchesShape } from './pattern.js';
