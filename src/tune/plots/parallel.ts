/**
 * Parallel coordinates: one vertical axis per parameter and one for the
 * objective; each complete trial is a line through its values, coloured by
 * its objective value (yellow = best). Log parameters use log axes;
 * categorical ones spread their choices evenly.
 */
import type { Distribution } from '../distributions.js';
import type { Direction, FrozenTrial } from '../frozen-trial.js';
import { document, esc, frame, ramp, scale, tickLabel, type Scale } from './svg.js';
import { checkDirection, checkTrials } from '../checks.js';

/**
 * The parallel-coordinates plot as a standalone SVG document.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * writeFileSync('parallel.svg', tune.parallelCoordinatesPlot(study.trials, study.direction));
 * ```
 */
export function parallelCoordinatesPlot(trials: readonly FrozenTrial[], direction: Direction): string {
  checkTrials('tune.parallelCoordinatesPlot', trials);
  checkDirection('tune.parallelCoordinatesPlot', direction);
  const complete = trials.filter((t) => t.state === 'complete');
  const names = [...new Set(complete.flatMap((t) => Object.keys(t.params)))].sort();
  const f = frame(Math.max(720, 140 * (names.length + 1)), 460, 60, 60, 70, 30);
  if (complete.length === 0) return document(f, 'Parallel coordinates', `<text x="${f.width / 2}" y="${f.height / 2}" text-anchor="middle">no complete trial yet</text>`);
  const cols = names.length + 1;
  const colX = (i: number) => f.left + (cols === 1 ? 0 : (i * (f.right - f.left)) / (cols - 1));
  // One axis per parameter: the union of the distributions seen (last one for categoricals).
  const axesOf = names.map((name) => {
    const dists = complete.map((t) => t.distributions[name]).filter((d): d is Distribution => d !== undefined);
    const last = dists[dists.length - 1]!;
    if (last.kind === 'categorical') {
      const choices = last.choices.map((c) => String(c));
      const step = (f.bottom - f.top) / Math.max(1, choices.length - 1);
      return { name, at: (v: unknown) => (choices.length === 1 ? (f.top + f.bottom) / 2 : f.bottom - choices.indexOf(String(v)) * step), labels: choices.map((c, i) => [c, choices.length === 1 ? (f.top + f.bottom) / 2 : f.bottom - i * step] as const) };
    }
    const lo = Math.min(...dists.map((d) => (d.kind === 'categorical' ? 0 : d.low)));
    const hi = Math.max(...dists.map((d) => (d.kind === 'categorical' ? 1 : d.high)));
    const s: Scale = scale(lo, hi, f.bottom, f.top, last.log && lo > 0);
    return { name, at: (v: unknown) => s(v as number), labels: s.ticks.filter((t) => t >= lo && t <= hi).map((t) => [tickLabel(t), s(t)] as const) };
  });
  const values = complete.map((t) => t.value!);
  const [vlo, vhi] = [Math.min(...values), Math.max(...values)];
  const vs = scale(vlo, vhi, f.bottom, f.top);
  const goodness = (v: number) => (vhi === vlo ? 1 : direction === 'minimize' ? (vhi - v) / (vhi - vlo) : (v - vlo) / (vhi - vlo));
  const parts: string[] = [];
  // Worst first, so the best lines lie on top.
  for (const t of [...complete].sort((a, b) => goodness(a.value!) - goodness(b.value!))) {
    const pts: string[] = [];
    axesOf.forEach((a, i) => {
      if (t.params[a.name] !== undefined) pts.push(`${pts.length === 0 ? 'M' : 'L'}${colX(i)},${a.at(t.params[a.name])}`);
    });
    pts.push(`${pts.length === 0 ? 'M' : 'L'}${colX(cols - 1)},${vs(t.value!)}`);
    parts.push(`<path d="${pts.join(' ')}" fill="none" stroke="${ramp(goodness(t.value!))}" stroke-width="1.5" stroke-opacity="0.8"><title>trial ${t.number}: ${t.value}</title></path>`);
  }
  const axis = (i: number, title: string, labels: readonly (readonly [string, number])[]) => {
    const x = colX(i);
    const anchor = i === cols - 1 ? 'start' : 'end';
    const dx = i === cols - 1 ? 6 : -6;
    return [
      `<line x1="${x}" x2="${x}" y1="${f.top}" y2="${f.bottom}" stroke="#333" stroke-width="1.5"/>`,
      `<text x="${x}" y="${f.top - 12}" text-anchor="middle" font-weight="bold">${esc(title)}</text>`,
      ...labels.map(([l, y]) => `<text x="${x + dx}" y="${y + 4}" text-anchor="${anchor}" fill="#333" stroke="white" stroke-width="3" paint-order="stroke">${esc(l)}</text>`),
    ].join('\n');
  };
  axesOf.forEach((a, i) => parts.push(axis(i, a.name, a.labels)));
  parts.push(axis(cols - 1, 'objective', vs.ticks.filter((t) => t >= vlo && t <= vhi).map((t) => [tickLabel(t), vs(t)] as const)));
  return document(f, 'Parallel coordinates (colour: objective, yellow = best)', parts.join('\n'));
}
