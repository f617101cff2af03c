import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointError, DTypeError, ShapeError, ValueError, nn, optim, random, tensor, zeros } from '../../src/index.js';
import { checkpoint, io } from '../../src/node.js';
import { throwsNamed } from '../io/helpers.js';

const root = mkdtempSync(join(tmpdir(), 'typegrad-ckpt-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(root, `d${n++}`);

const bits = (t: { dtype: string }) => io.tensorToRaw(t as never).bytes;

describe('checkpoint.save / restore', () => {
  const model = nn.mlp([3, 5, 2]);
  const params = model.init(random.key(0));
  const opt = optim.adam(optim.cosineDecay({ init: 1e-3, decaySteps: 100 }));
  const state = {
    params,
    optState: opt.init(params),
    position: { epoch: 2, index: 7 },
    key: random.split(random.key(9))[1]!,
    epoch: 2,
    step: 21,
    metadata: { lr: 1e-3, note: 'run a', tags: ['x', 'y'], odd: { $tensor: 'not a tensor' } },
    extras: { nan: NaN, negZero: -0, inf: -Infinity, none: null, flag: true, nothing: undefined, big: 2 ** 53 - 1 },
  };
  it('restores every leaf exactly into a template with fresh values', () => {
    const dir = freshDir();
    checkpoint.save(dir, state);
    const like = { ...state, params: model.init(random.key(5)), key: random.key(0), position: { epoch: 0, index: 0 }, epoch: 0, step: 0, metadata: {}, extras: { nan: 0, negZero: 0, inf: 0, none: null, flag: false, nothing: undefined, big: 0 } };
    const back = checkpoint.restore(dir, like);
    expect(bits(back.params[1].w)).toEqual(bits(params[1].w));
    expect(back.key.words).toEqual(state.key.words);
    expect(random.isKey(back.key)).toBe(true);
    expect(back.position).toEqual({ epoch: 2, index: 7 });
    expect([back.epoch, back.step]).toEqual([2, 21]);
    expect(back.metadata).toEqual(state.metadata);
    expect(back.extras).toEqual(state.extras);
    expect(Object.is(back.extras.negZero, -0)).toBe(true);
    const [, s1] = back.optState as unknown as [unknown, { count: number; mu: typeof params }];
    const [, s0] = state.optState as unknown as [unknown, { count: number; mu: typeof params }];
    expect(bits(s1.count as never)).toEqual(bits(s0.count as never)); // an int32 scalar tensor
    expect(bits(s1.mu[0].w)).toEqual(bits(s0.mu[0].w));
  });
  it('keeps the newest N and names files by step; latest is the highest step', () => {
    const dir = freshDir();
    for (const step of [1, 5, 3, 10, 7]) checkpoint.save(dir, { ...state, step }, { keep: 2 });
    expect(checkpoint.list(dir).map((c) => c.step)).toEqual([7, 10]);
    expect(checkpoint.latest(dir)?.step).toBe(10);
    expect(checkpoint.restore(dir, state, { step: 7 }).step).toBe(7);
    throwsNamed(() => checkpoint.restore(dir, state, { step: 1 }), CheckpointError, 'no checkpoint for step 1', 'steps: 7, 10');
  });
  it('skips a damaged newest file and temp files; removes temp files of dead writers', () => {
    const dir = freshDir();
    checkpoint.save(dir, { ...state, step: 1 });
    writeFileSync(join(dir, 'ckpt-000000000002.safetensors'), new Uint8Array(20));
    writeFileSync(join(dir, '.ckpt-000000000003.safetensors.tmp-999999999-0123456789ab'), new Uint8Array(20));
    expect(checkpoint.latest(dir)?.step).toBe(1);
    expect(checkpoint.restore(dir, state).step).toBe(1);
    checkpoint.save(dir, { ...state, step: 4 });
    expect(readdirSync(dir).some((f) => f.includes('.tmp-'))).toBe(false);
  });
  it('mismatches with the template are named errors', () => {
    const dir = freshDir();
    checkpoint.save(dir, state);
    throwsNamed(() => checkpoint.restore(dir, { ...state, params: nn.mlp([3, 6, 2]).init(random.key(0)) }), ShapeError, 'params.0.b has shape [5] in the checkpoint but [6] in the template');
    throwsNamed(() => checkpoint.restore(dir, { ...state, params: nn.mlp([3, 5, 2], { dtype: 'float64' }).init(random.key(0)) }), DTypeError, 'params.0.b is float32');
    throwsNamed(() => checkpoint.restore(dir, { ...state, key: 3 }), CheckpointError, 'key is a key in the checkpoint but number in the template');
    throwsNamed(() => checkpoint.restore(dir, { ...state, epoch: undefined, extra: 1 }), CheckpointError, 'has keys');
    throwsNamed(() => checkpoint.restore(freshDir(), state), CheckpointError, 'holds no complete checkpoint');
  });
  it('refuses what it cannot store', () => {
    throwsNamed(() => checkpoint.save(freshDir(), { step: 1, f: () => 1 }), CheckpointError, 'f is function');
    throwsNamed(() => checkpoint.save(freshDir(), { step: 1, d: new Date(0) }), CheckpointError, 'a Date object');
    throwsNamed(() => checkpoint.save(freshDir(), { w: zeros([1]) }), ValueError, 'the step must be');
    throwsNamed(() => checkpoint.save(freshDir(), { step: 1 }, { keep: 0 }), ValueError, 'keep');
  });
  it('a checkpoint is a safetensors file that other readers can open', () => {
    const dir = freshDir();
    const path = checkpoint.save(dir, { step: 3, w: tensor([1, 2]) });
    expect(Object.keys(io.loadAll(path))).toEqual(['w']);
  });
});
