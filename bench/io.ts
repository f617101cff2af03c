/**
 * Save/load speed against NumPy, in the same run on the same machine:
 * the W2 MLP's parameters (784-128-10, 101,770 float32) and one 100 MB
 * float32 tensor, as .npy and safetensors, to a temporary directory.
 * Prints median MB/s over the repeats and the ratio to NumPy's
 * `np.save` / `np.load` (run by bench/io_numpy.py with /usr/bin/python3).
 *
 * `io.save` writes atomically and durably (temp file, fsync, rename, fsync
 * of the directory); `np.save` does not fsync, so the table also shows the
 * same bytes written with a plain `writeFileSync` (no fsync) for a like-for-like
 * row.
 *
 *     npm run bench:io              (or: npx tsx bench/io.ts [--repeats 5])
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { arange, nn, random, type AnyTensor } from '../src/index.node.js';
import { io } from '../src/node.js';

const { values: args } = parseArgs({ options: { repeats: { type: 'string', default: '5' } } });
const repeats = Number(args.repeats);
const dir = mkdtempSync(join(tmpdir(), 'typegrad-bench-io-'));

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function time(f: () => void): number {
  const times: number[] = [];
  for (let k = 0; k < repeats; k++) {
    const t = performance.now();
    f();
    times.push((performance.now() - t) / 1000);
  }
  return median(times);
}

const params = nn.sequential(nn.linear(784, 128), nn.relu, nn.linear(128, 10)).init(random.key(0));
const big = arange(25_000_000) as AnyTensor; // 100 MB of float32
const cases: [string, unknown, number][] = [
  ['W2 MLP params (101,770 floats)', params, 101_770 * 4],
  ['one 100 MB tensor', big, 100_000_000],
];

const py = spawnSync('/usr/bin/python3', [join(import.meta.dirname, 'io_numpy.py'), dir, '101770,25000000', String(repeats)], { encoding: 'utf8' });
const numpy = py.status === 0 ? (JSON.parse(py.stdout) as Record<string, { save: number; load: number }>) : undefined;
if (numpy === undefined) console.log(`NumPy side skipped: ${py.error?.message ?? py.stderr.trim()}`);

const rows: string[][] = [['data', 'operation', 'MB/s', 'NumPy MB/s', 'ratio']];
const add = (data: string, op: string, mbps: number, np?: number) =>
  rows.push([data, op, mbps.toFixed(0), np === undefined ? '-' : np.toFixed(0), np === undefined ? '-' : `${(mbps / np).toFixed(2)}x`]);

for (const [label, tree, bytes] of cases) {
  const mb = bytes / 1e6;
  const ref = numpy?.[String(bytes / 4)];
  const single = tree instanceof Object && 'dtype' in (tree as object);
  const npyPath = join(dir, 'x.npy');
  const stPath = join(dir, 'x.safetensors');
  if (single) {
    add(label, '.npy save, io.save (atomic, fsync)', mb / time(() => io.save(npyPath, tree)), ref?.save);
    add(label, '.npy save, toNpy + writeFileSync', mb / time(() => writeFileSync(npyPath, io.toNpy(tree as AnyTensor))), ref?.save);
    add(label, '.npy load, io.load', mb / time(() => io.loadAll(npyPath)), ref?.load);
    add(label, '.npy load, readFileSync + fromNpy', mb / time(() => io.fromNpy(readFileSync(npyPath))), ref?.load);
  }
  add(label, 'safetensors save, io.save (atomic, fsync)', mb / time(() => io.save(stPath, tree)), ref?.save);
  add(label, 'safetensors save, toSafetensors + writeFileSync', mb / time(() => writeFileSync(stPath, io.toSafetensors(tree))), ref?.save);
  add(label, 'safetensors load, io.loadAll', mb / time(() => io.loadAll(stPath)), ref?.load);
}
rmSync(dir, { recursive: true, force: true });

const width = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const r of rows) console.log(r.map((cell, c) => (c < 2 ? cell.padEnd(width[c]!) : cell.padStart(width[c]!))).join('  '));
console.log(`\nmedian of ${repeats} runs; NumPy ${numpy === undefined ? 'not run' : 'np.save / np.load of the same sizes, in this run'}; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
