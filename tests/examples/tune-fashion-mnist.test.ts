// The tuning example's quick run: two worker threads share a journal-file
// study of 6 trials with median pruning; it prints a progress line per
// trial, the best trial and the table, and writes the plots.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FASHION_MNIST_DIR } from '../../src/data/datasets.js';
import { tune } from '../../src/node.js';

const root = join(import.meta.dirname, '../..');
const present = ['train-images-idx3-ubyte', 't10k-images-idx3-ubyte'].every(
  (name) => existsSync(join(FASHION_MNIST_DIR, `${name}.gz`)) || existsSync(join(FASHION_MNIST_DIR, name)),
);

describe('examples/tune-fashion-mnist.ts', () => {
  it('runs the quick study in two worker threads, prints the best trial and writes the plots', async (ctx) => {
    if (!present) ctx.skip(`Fashion-MNIST files not found in ${FASHION_MNIST_DIR} (apt-get install dataset-fashion-mnist): example not run`);
    const out = mkdtempSync(join(tmpdir(), 'typegrad-tune-example-'));
    const text = execFileSync(process.execPath, ['--import', 'tsx', 'examples/tune-fashion-mnist.ts', '--quick', '--out', out], { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
    expect(text).toContain('6 trials of 2 epochs (5 batches of 64), 2 worker threads, median pruning');
    expect([...text.matchAll(/^trial [1-6]\/6 (complete|pruned|fail)/gm)]).toHaveLength(6);
    expect(text).toMatch(/^Best trial \d+: validation accuracy 0\.\d{4}$/m);
    for (const p of ['lr', 'optimizer', 'n_layers', 'n_units_l0', 'dropout_l0']) expect(text).toMatch(new RegExp(`^  ${p}: `, 'm'));
    for (const f of ['index.html', 'history.svg', 'parallel.svg', 'importance.svg', 'intermediate.svg']) expect(existsSync(join(out, f)), f).toBe(true);
    // The study is stored: both workers' trials, numbered 0..5, none left running.
    const study = await tune.loadStudy({ studyName: 'fashion-mnist-mlp', storage: tune.journalStorage(join(out, 'study.jsonl')) });
    expect(study.trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(study.trials.every((t) => t.state === 'complete' || t.state === 'pruned')).toBe(true);
    expect(new Set(study.trials.map((t) => t.worker)).size).toBe(2);
  }, 300_000);
});
