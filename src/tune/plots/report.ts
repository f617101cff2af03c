/**
 * Writes a study's plots as standalone SVG files and one HTML page that
 * shows them with the best trial and the trial table.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Study } from '../study.js';
import { formatValue } from '../table.js';
import { historyPlot } from './history.js';
import { importancePlot } from './importance.js';
import { intermediatePlot } from './intermediate.js';
import { parallelCoordinatesPlot } from './parallel.js';
import { esc } from './svg.js';

/**
 * Writes `history.svg`, `parallel.svg`, `importance.svg`,
 * `intermediate.svg` and `index.html` (all four inline, the best trial and
 * the table) into `dir`, and returns their paths.
 *
 * @example
 * ```ts
 * const files = tune.writeReport(study, 'runs/mnist'); // files.html: open it in a browser
 * ```
 */
export function writeReport(study: Study, dir: string): { html: string; svgs: string[] } {
  mkdirSync(dir, { recursive: true });
  const trials = study.trials;
  const charts: [string, string][] = [
    ['history.svg', historyPlot(trials, study.direction)],
    ['parallel.svg', parallelCoordinatesPlot(trials, study.direction)],
    ['importance.svg', importancePlot(trials)],
    ['intermediate.svg', intermediatePlot(trials)],
  ];
  const svgs = charts.map(([name, svg]) => {
    const path = join(dir, name);
    writeFileSync(path, svg);
    return path;
  });
  const best = trials.some((t) => t.state === 'complete') ? study.best : null;
  const counts = (['complete', 'pruned', 'fail', 'running'] as const).map((s) => `${trials.filter((t) => t.state === s).length} ${s}`).join(', ');
  const html = [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><title>${esc(study.name)}</title>`,
    '<style>body{font-family:DejaVu Sans,Arial,sans-serif;margin:24px;background:#fafafa}figure{display:inline-block;margin:8px;background:white;box-shadow:0 1px 3px #0002}pre{background:white;padding:12px;font-size:12px;overflow:auto}</style>',
    '</head><body>',
    `<h1>Study ${esc(study.name)}</h1>`,
    `<p>${study.direction}, sampler ${esc(study.sampler.name)}, pruner ${esc(study.pruner.name)}; ${trials.length} trials: ${counts}.</p>`,
    best === null ? '<p>No complete trial yet.</p>' : `<p><b>Best trial ${best.trial.number}</b>: value ${esc(formatValue(best.value))}; ${Object.entries(best.params).map(([k, v]) => `${esc(k)} = ${esc(formatValue(v))}`).join(', ')}</p>`,
    ...charts.map(([, svg]) => `<figure>${svg}</figure>`),
    `<h2>Trials</h2><pre>${esc(study.table())}</pre>`,
    '</body></html>',
  ].join('\n');
  const htmlPath = join(dir, 'index.html');
  writeFileSync(htmlPath, html);
  return { html: htmlPath, svgs };
}
