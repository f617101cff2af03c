/**
 * Files we write load in NumPy and PyTorch: the test writes .npy, .npz and
 * safetensors files, runs tests/io/fixtures/read_ours.py with
 * /usr/bin/python3, and compares what NumPy and PyTorch read with what was
 * written (dtype, shape, every value, -0 and NaN included). A typegrad
 * model exported as a PyTorch state dict is loaded with
 * `load_state_dict(strict=True)` and must compute what typegrad computes.
 * Skipped, with a note, where Python, NumPy or PyTorch is missing.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nn, random, scalar, tensor, zeros, type AnyTensor } from '../../src/index.js';
import { io } from '../../src/node.js';
import { FIXTURES } from './helpers.js';

const PYTHON = '/usr/bin/python3';
const probe = spawnSync(PYTHON, ['-c', 'import numpy, torch'], { encoding: 'utf8' });
const available = probe.status === 0;
if (!available) console.warn(`tests/io/python.test.ts skipped: ${PYTHON} with numpy and torch is not available (${probe.error?.message ?? probe.stderr.trim()})`);

const dir = mkdtempSync(join(tmpdir(), 'typegrad-py-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What Python prints for a tensor: -0, NaN and infinities as strings, bools as booleans. */
function plain(t: AnyTensor): unknown {
  const walk = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(walk) : typeof v === 'number' ? (Number.isNaN(v) ? 'nan' : v === Infinity ? 'inf' : v === -Infinity ? '-inf' : Object.is(v, -0) ? '-0' : v) : v;
  return walk(t.toArray());
}

const NUMPY_DTYPE = { float32: 'float32', float64: 'float64', int32: 'int32', bool: 'bool' } as const;

describe.skipIf(!available)('NumPy and PyTorch read what we write', () => {
  const arrays: Record<string, AnyTensor> = {
    f32: tensor([[1.5, -0], [NaN, -Infinity]]),
    f64: tensor([1e-310, 0.1, -2], { dtype: 'float64' }),
    i32: tensor([-(2 ** 31), 7, 2 ** 31 - 1], { dtype: 'int32' }),
    bool: tensor([true, false]),
    scalar: scalar(2.5, { dtype: 'float64' }),
    empty: zeros([0, 3]),
  };
  const model = nn.sequential(nn.linear(3, 4), nn.relu, nn.linear(4, 2));
  const params = model.init(random.key(7));
  const input = [[1, -2, 0.5], [0, 3, -1]];
  for (const [k, t] of Object.entries(arrays)) writeFileSync(join(dir, `${k}.npy`), io.toNpy(t));
  io.save(join(dir, 'stored.npz'), arrays);
  io.save(join(dir, 'deflated.npz'), arrays, { compress: true });
  io.save(join(dir, 'tree.safetensors'), { ...arrays, nested: { w: tensor([1, 2]) } }, { metadata: { who: 'typegrad' } });
  io.saveTorch(join(dir, 'torch-model.safetensors'), params);
  writeFileSync(join(dir, 'input.json'), JSON.stringify(input));
  const run = available ? spawnSync(PYTHON, [join(FIXTURES, 'read_ours.py'), dir], { encoding: 'utf8', maxBuffer: 1 << 26 }) : undefined;
  const seen = run?.status === 0 ? (JSON.parse(run.stdout) as Record<string, Record<string, { dtype: string; shape: number[]; values: unknown }>>) : {};

  it('the Python side ran', () => {
    expect(run?.stderr ?? '').toBe('');
    expect(run?.status).toBe(0);
  });
  it.each(Object.keys(arrays))('np.load reads %s.npy exactly', (k) => {
    const t = arrays[k]!;
    expect(seen[`${k}.npy`]).toEqual({ dtype: NUMPY_DTYPE[t.dtype], shape: t.shape, values: plain(t) });
  });
  it.each(['stored.npz', 'deflated.npz'])('np.load reads %s', (name) => {
    for (const [k, t] of Object.entries(arrays)) expect(seen[name]![k]).toEqual({ dtype: NUMPY_DTYPE[t.dtype], shape: t.shape, values: plain(t) });
  });
  it('safetensors bytes become the same torch tensors, metadata included', () => {
    const got = seen['tree.safetensors']!;
    for (const [k, t] of Object.entries(arrays)) expect(got[k]).toEqual({ dtype: `torch.${NUMPY_DTYPE[t.dtype]}`, shape: t.shape, values: plain(t) });
    expect(got['nested.w']!.values).toEqual([1, 2]);
    expect(got['__metadata__']).toEqual({ who: 'typegrad' });
  });
  it('a typegrad model loads into torch.nn.Sequential with load_state_dict(strict=True) and computes the same outputs', () => {
    const ours = model.apply(params, tensor(input) as never);
    expect(ours).toBeAllclose(seen['torch-model-output'] as unknown as number[][], { rtol: 1e-6, atol: 1e-6 });
  });
});

describe.skipIf(!available)('the committed fixtures are what make_fixtures.py writes today', () => {
  const out = join(dir, 'regenerated');
  mkdirSync(out);
  const run = available ? spawnSync(PYTHON, [join(FIXTURES, 'make_fixtures.py'), out], { encoding: 'utf8' }) : undefined;
  it('the script ran', () => {
    expect(run?.status).toBe(0);
  });
  const names = readdirSync(FIXTURES).filter((n) => !n.endsWith('.py') && !n.endsWith('.json'));
  it.each(names)('%s', (name) => {
    const committed = new Uint8Array(readFileSync(join(FIXTURES, name)));
    const fresh = new Uint8Array(readFileSync(join(out, name)));
    if (name.endsWith('.npz')) {
      // Zip entries carry the time of writing: compare the arrays instead of the bytes.
      const [a, b] = [io.fromNpz(committed), io.fromNpz(fresh)];
      expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
      for (const [k, t] of a) expect(io.tensorToRaw(b.get(k)!).bytes).toEqual(io.tensorToRaw(t).bytes);
    } else expect(fresh).toEqual(committed);
  });
  it('expected.json', () => {
    expect(JSON.parse(readFileSync(join(out, 'expected.json'), 'utf8'))).toEqual(JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')));
  });
});
