import { describe, expect, it } from 'vitest';
import { TreeError, nn, random, scalar, zeros } from '../../src/index.js';

describe('nn.summary', () => {
  it('lists paths, shapes, dtypes and counts with the total', () => {
    const model = nn.sequential(nn.linear(784, 128), nn.relu, nn.linear(128, 10));
    expect(nn.summary(model.init(random.key(0)))).toBe(
      [
        'path   shape      dtype     params',
        '0.b    [128]      float32      128',
        '0.w    [784,128]  float32  100,352',
        '2.b    [10]       float32       10',
        '2.w    [128,10]   float32    1,280',
        'total                      101,770  (397.5 KiB)',
      ].join('\n'),
    );
  });
  it('counts mixed dtypes, scalars and empty tensors', () => {
    const s = nn.summary({ a: scalar(1, { dtype: 'float64' }), b: zeros([0, 3]), c: zeros([2], { dtype: 'bool' }) });
    expect(s.split('\n')).toEqual(['path   shape  dtype    params', 'a      []     float64       1', 'b      [0,3]  float32       0', 'c      [2]    bool          2', 'total                       3  (10 B)']);
  });
  it('rejects non-tensor leaves, naming the path', () => {
    expect(() => nn.summary({ a: { b: 3 } })).toThrow(TreeError);
    expect(() => nn.summary({ a: { b: 3 } })).toThrow('nn.summary: a.b is number');
  });
});
