import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tree, tensor, scalar, zeros, mul, TreeError } from '../../src/index.js';
import { arbParamTree } from '../../src/testing/arbitraries.js';

const params = { w: zeros([2, 3]), layers: [{ b: scalar(1) }, { b: scalar(2), w: tensor([1, 2]) }] as const };

describe('tree', () => {
  it('flattens in a deterministic order (arrays by index, objects by sorted key)', () => {
    const [leaves] = tree.flatten({ z: scalar(1), a: [scalar(2), scalar(3)] });
    expect(leaves.map((l) => (l as ReturnType<typeof scalar>).item())).toEqual([2, 3, 1]);
  });

  it('unflatten inverts flatten', () => {
    fc.assert(
      fc.property(arbParamTree(), (t) => {
        const [leaves, def] = tree.flatten(t);
        const back = tree.unflatten(def, leaves);
        expect(tree.structureEquals(back, t)).toBe(true);
        expect(tree.leaves(back)).toEqual(leaves);
      }),
      { numRuns: 50 },
    );
  });

  it('map keeps the structure and the type', () => {
    const doubled = tree.map(params, (x) => mul(x, 2));
    expect(doubled.layers[1].w.toArray()).toEqual([2, 4]);
    expect(tree.structureEquals(doubled, params)).toBe(true);
  });

  it('map2 names the path where structures differ', () => {
    const other = { w: zeros([2, 3]), layers: [{ b: scalar(1) }, { b: scalar(2) }] };
    expect(() => tree.map2(params, other as never, (a) => a, 'params')).toThrow(TreeError);
    expect(() => tree.map2(params, other as never, (a) => a, 'params')).toThrow('params.layers[1] has keys [b,w] but params.layers[1] has keys [b]');
  });

  it('zip pairs leaves', () => {
    const pairs = tree.zip(params, tree.map(params, (x) => mul(x, 3)));
    expect(pairs).toHaveLength(4);
  });

  it('map rejects non-tensor leaves with their path', () => {
    expect(() => tree.map({ lr: 0.1 } as never, (x) => x, 'opts')).toThrow('tree.map: opts.lr is number, expected a tensor');
  });

  it('never mutates its input', () => {
    const before = JSON.stringify(tree.structure(params));
    tree.map(params, (x) => mul(x, 2));
    expect(JSON.stringify(tree.structure(params))).toBe(before);
    expect(params.layers[1].w.toArray()).toEqual([1, 2]);
  });
});
