/**
 * Typed utilities over parameter trees.
 * @example
 * ```ts
 * import { tree } from 'typegrad';
 * tree.leaves({ w: zeros([2, 3]), b: zeros([3]) }).length; // 2
 * ```
 */
export { flatten, unflatten, leaves, leavesWithPaths, structure, structureEquals, assertSameStructure, map, map2, zip, isLeaf } from './tree.js';
export type { PyTree, PyTreeOf, TreeDef } from './tree.js';
