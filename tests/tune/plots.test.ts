// The study plots: standalone SVG documents and an HTML report that a real
// browser (Debian's chromium, headless) parses without error and renders to
// a non-blank screenshot; the importances recover the parameter that matters.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tune } from '../../src/node.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn('plots.test: /usr/bin/chromium is missing (apt-get install chromium); skipping the browser checks');

function chromium(args: string[]): string {
  const profile = mkdtempSync(join(tmpdir(), 'typegrad-chromium-'));
  return execFileSync(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=${profile}`, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 90_000 });
}

/** A study with complete, pruned and failed trials; only `x` matters much. */
async function demoStudy(): Promise<tune.Study> {
  const study = await tune.createStudy({ studyName: 'plots & <demo>', sampler: tune.randomSampler({ seed: 2 }), pruner: tune.medianPruner({ nStartupTrials: 3 }) });
  await study.optimize((t) => {
    const x = t.float('x', -3, 3);
    const lr = t.float('lr', 1e-4, 1, { log: true });
    const opt = t.categorical('opt', ['sgd', 'adam'] as const);
    if (t.number === 7) throw new Error('diverged');
    for (let step = 0; step < 8; step++) {
      t.report(x * x + 1 / (step + 1) + 0.01 * Math.log(lr), step);
      if (t.shouldPrune()) throw new tune.TrialPruned();
    }
    return x * x + 0.01 * Math.log(lr) + (opt === 'adam' ? 0 : 0.05);
  }, { trials: 40, catch: true });
  return study;
}

describe('plots', () => {
  it('the importances put the parameter that matters first', async () => {
    const imps = tune.paramImportances((await demoStudy()).trials);
    expect(imps[0]!.name).toBe('x');
    expect(imps[0]!.importance).toBeGreaterThan(0.6);
    expect(imps.reduce((s, i) => s + i.importance, 0)).toBeCloseTo(1, 12);
  });

  it('draws every trial kind into SVG, escaping names', async () => {
    const study = await demoStudy();
    const history = tune.historyPlot(study.trials, study.direction);
    expect(history.match(/<circle /g)!.length).toBe(study.trials.filter((t) => t.state === 'complete').length);
    const pruned = study.trials.filter((t) => t.state === 'pruned').length;
    expect(pruned).toBeGreaterThan(0);
    expect(tune.intermediatePlot(study.trials).match(/\(pruned\)/g)!.length).toBe(pruned);
    const dir = mkdtempSync(join(tmpdir(), 'typegrad-report-'));
    const { html } = tune.writeReport(study, dir);
    expect(readFileSync(html, 'utf8')).toContain('Study plots &amp; &lt;demo&gt;');
  });

  it.skipIf(!hasChromium)('Chromium parses each SVG and renders the report to a non-blank screenshot', async () => {
    const study = await demoStudy();
    const dir = mkdtempSync(join(tmpdir(), 'typegrad-report-'));
    const { html, svgs } = tune.writeReport(study, dir);
    for (const svg of svgs) {
      const dom = chromium(['--dump-dom', svg]);
      expect(dom, svg).toContain('<svg');
      expect(dom, svg).not.toContain('parsererror');
    }
    const png = join(dir, 'report.png');
    chromium(['--window-size=1400,2400', `--screenshot=${png}`, html]);
    // A blank page of this size compresses to a few kilobytes; four charts are far larger.
    expect(statSync(png).size).toBeGreaterThan(40_000);
  }, 240_000);
});
