/**
 * `typegrad/testing`: gradient checks, arbitraries and matchers for users'
 * own test suites (needs `fast-check` and `vitest` installed).
 * @example
 * ```ts
 * import { checkGrads, arbTensor, installAllclose } from 'typegrad/testing';
 * ```
 */
export { checkGrads, GradCheckError, type CheckGradsOptions } from './check-grads.js';
export { arbShape, arbTensor, arbBroadcastableShapes, arbParamTree, type ArbShapeOptions, type ArbTensorOptions } from './arbitraries.js';
export { allcloseMatchers, installAllclose, type AllcloseOptions } from './matchers.js';
