/**
 * Learning curves: every trial's intermediate values by step, complete
 * trials in blue and pruned ones in orange, so one sees where the pruner
 * stopped the runs that were falling behind.
 */
import type { FrozenTrial } from '../frozen-trial.js';
import { axes, document, frame, legend, scale } from './svg.js';
import { checkTrials } from '../checks.js';

/**
 * The intermediate-values plot as a standalone SVG document.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * writeFileSync('intermediate.svg', tune.intermediatePlot(study.trials));
 * ```
 */
export function intermediatePlot(trials: readonly FrozenTrial[]): string {
  checkTrials('tune.intermediatePlot', trials);
  const f = frame();
  const withCurves = trials.filter((t) => t.intermediate.size > 0 && t.state !== 'running');
  const points = withCurves.flatMap((t) => [...t.intermediate].filter(([, v]) => Number.isFinite(v)));
  if (points.length === 0) return document(f, 'Intermediate values', `<text x="${f.width / 2}" y="${f.height / 2}" text-anchor="middle">no reported values yet</text>`);
  const steps = points.map(([s]) => s);
  const vals = points.map(([, v]) => v);
  const [lo, hi] = [Math.min(...vals), Math.max(...vals)];
  const pad = (hi - lo) * 0.05 || 1;
  const x = scale(Math.min(...steps), Math.max(Math.max(...steps), Math.min(...steps) + 1), f.left + 10, f.right - 10);
  const y = scale(lo - pad, hi + pad, f.bottom, f.top);
  const parts = [axes(f, x, y, 'step', 'intermediate value')];
  const colour = (t: FrozenTrial) => (t.state === 'pruned' ? '#ff7f0e' : t.state === 'complete' ? '#1f77b4' : '#999');
  // Pruned curves last, so they stand out.
  for (const t of [...withCurves].sort((a, b) => Number(a.state === 'pruned') - Number(b.state === 'pruned'))) {
    const pts = [...t.intermediate].filter(([, v]) => Number.isFinite(v)).sort((a, b) => a[0] - b[0]);
    const d = pts.map(([s, v], i) => `${i === 0 ? 'M' : 'L'}${x(s)},${y(v)}`).join(' ');
    parts.push(`<path d="${d}" fill="none" stroke="${colour(t)}" stroke-width="1.5" stroke-opacity="0.85"><title>trial ${t.number} (${t.state})</title></path>`);
    const [ls, lv] = pts[pts.length - 1]!;
    if (t.state === 'pruned') parts.push(`<circle cx="${x(ls)}" cy="${y(lv)}" r="3" fill="#ff7f0e"/>`);
  }
  parts.push(legend(f, [['#1f77b4', 'complete'], ['#ff7f0e', 'pruned (dot: where)'], ['#999', 'failed']]));
  return document(f, 'Intermediate values', parts.join('\n'));
}
