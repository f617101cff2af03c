import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DTypeError, FormatError, ShapeError, TreeError, ValueError, nn, random, tensor, zeros } from '../../src/index.js';
import { io } from '../../src/node.js';
import { throwsNamed } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'typegrad-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('io.save / io.load', () => {
  const model = nn.sequential(nn.linear(4, 8), nn.relu, nn.linear(8, 2));
  const params = model.init(random.key(1));
  it.each(['m.safetensors', 'm.npz'])('%s: a model round trips into its exact type', (name) => {
    const path = join(dir, name);
    io.save(path, params);
    const back = io.load(path, model.init(random.key(2)));
    expect(back[2].w.toArray()).toEqual(params[2].w.toArray());
    expect(back[0].b.toArray()).toEqual(params[0].b.toArray());
    expect(Object.keys(io.loadAll(path)).sort()).toEqual(['0.b', '0.w', '2.b', '2.w']);
  });
  it('compressed .npz', () => {
    const path = join(dir, 'z.npz');
    io.save(path, { a: zeros([1000]) }, { compress: true });
    expect(io.load(path, { a: io.spec([1000]) }).a.shape).toEqual([1000]);
  });
  it('.npy holds one tensor; a spec template types it', () => {
    const path = join(dir, 'w.npy');
    io.save(path, tensor([[1, 2, 3]], { dtype: 'float64' }));
    const w = io.load(path, io.spec([1, 3], 'float64'));
    expect(w.toArray()).toEqual([[1, 2, 3]]);
    throwsNamed(() => io.save(join(dir, 'two.npy'), { a: zeros([1]), b: zeros([1]) }), ValueError, 'one tensor');
  });
  it('metadata', () => {
    const path = join(dir, 'meta.safetensors');
    io.save(path, { a: zeros([1]) }, { metadata: { epochs: '8' } });
    expect(io.loadMetadata(path)).toEqual({ epochs: '8' });
  });
  it('mismatches name the path and both shapes or dtypes', () => {
    const path = join(dir, 'm.safetensors');
    throwsNamed(() => io.load(path, nn.sequential(nn.linear(4, 9), nn.relu, nn.linear(9, 2)).init(random.key(0))), ShapeError, `io.load: ${path}: 0.w has shape [4,8] in the file but [4,9] in the template`);
    throwsNamed(() => io.load(path, nn.sequential(nn.linear(4, 8, { dtype: 'float64' }), nn.relu, nn.linear(8, 2)).init(random.key(0))), DTypeError, '0.w is float32 in the file but float64 in the template');
    throwsNamed(() => io.load(path, { 0: { w: io.spec([4, 8]) } }), TreeError, 'the file has 3 entries the template does not');
    expect(io.load(path, { 0: { w: io.spec([4, 8]) } }, { allowExtra: true })[0].w.shape).toEqual([4, 8]);
    throwsNamed(() => io.load(path, { x: io.spec([1]) }, { allowExtra: true }), TreeError, 'x is missing');
  });
  it('errors: unknown extension, missing file, malformed file, ambiguous keys', () => {
    throwsNamed(() => io.save(join(dir, 'x.pt'), {}), ValueError, 'unknown extension');
    throwsNamed(() => io.loadAll(join(dir, 'nope.safetensors')), ValueError, 'cannot read');
    writeFileSync(join(dir, 'bad.safetensors'), new Uint8Array(3));
    throwsNamed(() => io.loadAll(join(dir, 'bad.safetensors')), FormatError, `safetensors: ${join(dir, 'bad.safetensors')}: `);
    throwsNamed(() => io.save(join(dir, 'k.safetensors'), { 'a.b': zeros([1]) }), TreeError, "contains '.'");
  });
  it('no temporary files are left behind', () => {
    expect(readdirSync(dir).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });
});
