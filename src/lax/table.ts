/**
 * The one table of primitives, keyed by name. Every record carries its shape
 * rule, dtype rule, kernel and both derivative rules (the `Primitive` type
 * requires them), so a primitive without a rule does not compile. Tests are
 * driven from this table: adding a primitive without adding its gradient
 * check case is a compile error in `tests/autodiff/primitives.test.ts`.
 */
import type { Primitive } from '../core/primitive.js';
import { negPrim, expPrim, logPrim, log1pPrim, expm1Prim, sqrtPrim, sinPrim, cosPrim, tanhPrim, sigmoidPrim, absPrim, reluPrim, signPrim, floorPrim, ceilPrim, roundPrim } from './unary.js';
import { addPrim, subPrim, mulPrim, divPrim, powPrim, maximumPrim, minimumPrim, eqPrim, nePrim, ltPrim, lePrim, gtPrim, gePrim } from './binary.js';
import { wherePrim } from './where.js';
import { reshapePrim, broadcastToPrim, astypePrim, stopGradientPrim } from './structural.js';
import { reduceSumPrim } from './reduce-sum.js';
import { reduceMaxPrim, reduceMinPrim } from './reduce-extrema.js';
import { reduceProdPrim } from './reduce-prod.js';
import { argmaxPrim, argminPrim } from './arg-reduce.js';
import { transposePrim } from './transpose.js';
import { slicePrim, unslicePrim } from './slice.js';
import { concatPrim } from './concat.js';
import { gatherPrim, scatterAddPrim } from './gather.js';
import { matmulPrim } from './matmul.js';
import { conv2dPrim, convTranspose2dPrim, conv2dWeightGradPrim } from './conv.js';
import { maxPoolArgmax2dPrim } from './pool.js';

export const primitives = {
  // elementwise unary
  neg: negPrim, exp: expPrim, log: logPrim, log1p: log1pPrim, expm1: expm1Prim, sqrt: sqrtPrim,
  sin: sinPrim, cos: cosPrim, tanh: tanhPrim, sigmoid: sigmoidPrim, abs: absPrim, relu: reluPrim,
  sign: signPrim, floor: floorPrim, ceil: ceilPrim, round: roundPrim,
  // elementwise binary (broadcasting)
  add: addPrim, sub: subPrim, mul: mulPrim, div: divPrim, pow: powPrim, maximum: maximumPrim, minimum: minimumPrim,
  eq: eqPrim, ne: nePrim, lt: ltPrim, le: lePrim, gt: gtPrim, ge: gePrim,
  where: wherePrim,
  // reductions
  sum: reduceSumPrim, max: reduceMaxPrim, min: reduceMinPrim, prod: reduceProdPrim, argmax: argmaxPrim, argmin: argminPrim,
  // structure and movement
  reshape: reshapePrim, broadcastTo: broadcastToPrim, astype: astypePrim, stopGradient: stopGradientPrim,
  transpose: transposePrim, slice: slicePrim, unslice: unslicePrim, concat: concatPrim, gather: gatherPrim, scatterAdd: scatterAddPrim,
  // linear algebra
  matmul: matmulPrim,
  // convolution and pooling
  conv2d: conv2dPrim, convTranspose2d: convTranspose2dPrim, conv2dWeightGrad: conv2dWeightGradPrim, maxPoolArgmax2d: maxPoolArgmax2dPrim,
} as const satisfies { readonly [name: string]: Primitive<never> };

/** The name of every primitive. */
export type PrimitiveName = keyof typeof primitives;
