/**
 * The optimisation history: each complete trial's value by trial number
 * (dots), the best value so far (a step line), and pruned trials at their
 * last reported value (grey crosses).
 */
import type { Direction, FrozenTrial } from '../frozen-trial.js';
import { axes, document, frame, legend, scale } from './svg.js';
import { checkDirection, checkTrials } from '../checks.js';

/**
 * The history plot as a standalone SVG document.
 *
 * @example
 * ```ts
 * import { writeFileSync } from 'node:fs';
 * writeFileSync('history.svg', tune.historyPlot(study.trials, study.direction));
 * ```
 */
export function historyPlot(trials: readonly FrozenTrial[], direction: Direction): string {
  checkTrials('tune.historyPlot', trials);
  checkDirection('tune.historyPlot', direction);
  const f = frame();
  const complete = trials.filter((t) => t.state === 'complete');
  const pruned = trials.filter((t) => t.state === 'pruned' && t.value !== null);
  const values = [...complete, ...pruned].map((t) => t.value!);
  if (values.length === 0) return document(f, 'Optimization history', `<text x="${f.width / 2}" y="${f.height / 2}" text-anchor="middle">no finished trial yet</text>`);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = (hi - lo) * 0.05 || 1;
  const x = scale(0, Math.max(1, trials.length - 1), f.left + 10, f.right - 10);
  const y = scale(lo - pad, hi + pad, f.bottom, f.top);
  const parts = [axes(f, x, y, 'trial', 'objective value')];
  let best: number | null = null;
  const path: string[] = [];
  for (const t of complete) {
    if (best === null || (direction === 'minimize' ? t.value! < best : t.value! > best)) {
      if (best !== null) path.push(`L${x(t.number)},${y(best)}`);
      best = t.value!;
      path.push(`${path.length === 0 ? 'M' : 'L'}${x(t.number)},${y(best)}`);
    }
  }
  if (best !== null) path.push(`L${x(trials.length - 1)},${y(best)}`);
  parts.push(`<path d="${path.join(' ')}" fill="none" stroke="#d62728" stroke-width="2"/>`);
  for (const t of pruned) {
    const [cx, cy] = [x(t.number), y(t.value!)];
    parts.push(`<path d="M${cx - 4},${cy - 4}L${cx + 4},${cy + 4}M${cx - 4},${cy + 4}L${cx + 4},${cy - 4}" stroke="#999" stroke-width="1.5"><title>trial ${t.number} (pruned): ${t.value}</title></path>`);
  }
  for (const t of complete) parts.push(`<circle cx="${x(t.number)}" cy="${y(t.value!)}" r="4" fill="#1f77b4"><title>trial ${t.number}: ${t.value}</title></circle>`);
  parts.push(legend(f, [['#1f77b4', 'complete trial'], ['#d62728', `best so far (${direction})`], ['#999', 'pruned (last value)']]));
  return document(f, 'Optimization history', parts.join('\n'));
}
