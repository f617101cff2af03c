import { describe, expect, it } from 'vitest';
import { ShapeError, TreeError, io, nn, random, tensor } from '../../src/index.js';
import { expected, fixture, throwsNamed } from './helpers.js';

const model = nn.sequential(nn.linear(3, 4), nn.relu, nn.linear(4, 2));

describe('PyTorch state dicts', () => {
  it('a torch nn.Sequential state dict loads into nn.sequential and computes what PyTorch computed', () => {
    const { tensors } = io.fromSafetensors(fixture('torch-mlp.safetensors'));
    expect([...tensors.keys()].sort()).toEqual(['0.bias', '0.weight', '2.bias', '2.weight']);
    expect(tensors.get('0.weight')!.shape).toEqual([4, 3]);
    const params = io.fromTorchStateDict(tensors, model.init(random.key(0)));
    expect(params[0].w.shape).toEqual([3, 4]);
    const want = expected['torch-mlp.safetensors'] as { input: number[][]; output: number[][] };
    const y = model.apply(params, tensor(want.input) as never);
    expect(y).toBeAllclose(want.output, { rtol: 1e-6, atol: 1e-6 });
  });
  it('export and import are inverse, bit for bit', () => {
    const params = model.init(random.key(3));
    const dict = io.toTorchStateDict(params);
    expect(dict.get('2.weight')!.shape).toEqual([2, 4]);
    expect(dict.get('2.weight')!.toArray()).toEqual((params[2].w.toArray() as number[][])[0]!.map((_, j) => params[2].w.toArray().map((r) => r[j])));
    const back = io.fromTorchStateDict(io.fromSafetensors(io.toSafetensors(dict, { format: 'pt' })).tensors, model.init(random.key(9)));
    expect(io.toSafetensors(back)).toEqual(io.toSafetensors(params));
  });
  it('prefix and rename map other layouts (a module with self.linear; nn.mlp without activation slots)', () => {
    const lin = nn.linear(30, 1).init(random.key(0));
    expect([...io.toTorchStateDict(lin, { prefix: 'linear.' }).keys()].sort()).toEqual(['linear.bias', 'linear.weight']);
    const mlp = nn.mlp([3, 4, 2]).init(random.key(0));
    const rename = (p: string) => p.replace(/^\d+/, (i) => String(2 * Number(i)));
    expect([...io.toTorchStateDict(mlp, { rename }).keys()].sort()).toEqual(['0.bias', '0.weight', '2.bias', '2.weight']);
    const params = io.fromTorchStateDict(io.fromSafetensors(fixture('torch-mlp.safetensors')).tensors, { 0: { w: io.spec([3, 4]), b: io.spec([4]) }, 1: { w: io.spec([4, 2]), b: io.spec([2]) } }, { rename });
    expect(params[1].w.shape).toEqual([4, 2]);
  });
  it('errors name both names and shapes', () => {
    const { tensors } = io.fromSafetensors(fixture('torch-mlp.safetensors'));
    throwsNamed(() => io.fromTorchStateDict(tensors, nn.sequential(nn.linear(5, 4), nn.relu, nn.linear(4, 2)).init(random.key(0))), ShapeError, '0.weight has shape [4,3] but 0.w [5,4] needs [4,5]', '[out, in]');
    throwsNamed(() => io.fromTorchStateDict(tensors, nn.mlp([3, 4, 2]).init(random.key(0))), TreeError, '1.b maps to "1.bias", which the state dict lacks');
    throwsNamed(() => io.fromTorchStateDict(tensors, { 0: { w: io.spec([3, 4]) } }), TreeError, 'entries the template does not use');
  });
});
