/**
 * Small SVG building blocks for the study plots: linear and log scales with
 * "nice" ticks, axes, escaping, a colour ramp, and the frame every chart
 * shares (title, plot area, margins). Charts are standalone SVG documents.
 */

/** A map from data to pixels, and its ticks. */
export interface Scale {
  (x: number): number;
  readonly ticks: readonly number[];
  readonly log: boolean;
}

/** Ticks at 1, 2 or 5 times a power of ten, about `count` of them over [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

/**
 * A scale from [lo, hi] to [a, b] pixels; log-scaled when `log` (lo > 0),
 * with ticks at powers of ten then.
 *
 * @example
 * ```ts
 * const x = scale(0, 10, 50, 550); x(5); // 300
 * ```
 */
export function scale(lo: number, hi: number, a: number, b: number, log = false): Scale {
  if (lo === hi) {
    lo -= lo === 0 ? 1 : Math.abs(lo) * 0.1;
    hi += hi === 0 ? 1 : Math.abs(hi) * 0.1;
  }
  const f = log ? Math.log10 : (v: number) => v;
  const [flo, fhi] = [f(lo), f(hi)];
  const s = ((v: number) => a + ((f(v) - flo) / (fhi - flo)) * (b - a)) as Scale;
  const ticks = log ? Array.from({ length: Math.floor(fhi) - Math.ceil(flo) + 1 }, (_, i) => 10 ** (Math.ceil(flo) + i)) : niceTicks(lo, hi);
  return Object.assign(s, { ticks: ticks.length > 0 ? ticks : [lo, hi], log });
}

/** Escapes text for SVG and HTML. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A number for a tick label: short. */
export function tickLabel(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(0).replace('e+', 'e');
  return String(Number(v.toPrecision(3)));
}

/** A colour on a blue (0) to yellow (1) ramp, close to viridis. */
export function ramp(t: number): string {
  const stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const c = stops[i]!.map((v, k) => Math.round(v + (stops[i + 1]![k]! - v) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

/** The drawing area of a chart inside its margins. */
export interface Frame {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** The default frame: 720 x 420 with room for axis labels. */
export function frame(width = 720, height = 420, left = 70, right = 24, top = 44, bottom = 56): Frame {
  return { width, height, left, right: width - right, top, bottom: height - bottom };
}

/** Wraps chart elements in a standalone SVG document with a title. */
export function document(f: Frame, title: string, body: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${f.width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">${esc(title)}</text>`,
    body,
    '</svg>',
  ].join('\n');
}

/** A bottom x axis and a left y axis with ticks, grid lines and labels. */
export function axes(f: Frame, x: Scale, y: Scale, xLabel: string, yLabel: string): string {
  const parts: string[] = [];
  for (const t of y.ticks) {
    const py = y(t);
    if (py < f.top - 0.5 || py > f.bottom + 0.5) continue;
    parts.push(`<line x1="${f.left}" x2="${f.right}" y1="${py}" y2="${py}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${f.left - 6}" y="${py + 4}" text-anchor="end">${esc(tickLabel(t))}</text>`);
  }
  for (const t of x.ticks) {
    const px = x(t);
    if (px < f.left - 0.5 || px > f.right + 0.5) continue;
    parts.push(`<line x1="${px}" x2="${px}" y1="${f.bottom}" y2="${f.bottom + 5}" stroke="#333"/>`);
    parts.push(`<text x="${px}" y="${f.bottom + 18}" text-anchor="middle">${esc(tickLabel(t))}</text>`);
  }
  parts.push(`<line x1="${f.left}" x2="${f.right}" y1="${f.bottom}" y2="${f.bottom}" stroke="#333"/>`);
  parts.push(`<line x1="${f.left}" x2="${f.left}" y1="${f.top}" y2="${f.bottom}" stroke="#333"/>`);
  parts.push(`<text x="${(f.left + f.right) / 2}" y="${f.height - 14}" text-anchor="middle">${esc(xLabel)}</text>`);
  parts.push(`<text transform="translate(16 ${(f.top + f.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
  return parts.join('\n');
}

/** A legend box at the top right: [colour, label] pairs. */
export function legend(f: Frame, items: readonly (readonly [string, string])[]): string {
  return items.map(([colour, label], i) => `<rect x="${f.right - 150}" y="${f.top + 6 + i * 18}" width="12" height="12" fill="${colour}"/><text x="${f.right - 132}" y="${f.top + 16 + i * 18}">${esc(label)}</text>`).join('\n');
}
