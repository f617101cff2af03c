/**
 * The page of the browser tutorial (`npm run browser`, and the headless
 * Chromium test in `tests/browser/`): starts `train.worker.ts`, prints what
 * it reports and draws the training loss on a canvas as it arrives.
 * Every printed line also lands in `#results` as `key=value` lines, which the
 * test reads; `#status` ends as `done` or `error`.
 */
import type { Report } from './train.worker.js';

interface Element {
  textContent: string | null;
  getContext?(kind: '2d'): Canvas2D | null;
  readonly width?: number;
  readonly height?: number;
}
interface Canvas2D {
  fillStyle: string;
  strokeStyle: string;
  lineWidth: number;
  font: string;
  fillRect(x: number, y: number, w: number, h: number): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  stroke(): void;
  fillText(text: string, x: number, y: number): void;
}
interface PageScope {
  readonly document: { getElementById(id: string): Element | null };
  readonly crossOriginIsolated?: boolean;
  readonly Worker: new (url: string, options: { type: 'module' }) => { onmessage: ((e: { data: Report }) => void) | null; onerror: ((e: { message?: string }) => void) | null };
}
const page = globalThis as unknown as PageScope;
const byId = (id: string): Element => page.document.getElementById(id)!;

const log = byId('log');
const results = byId('results');
const status = byId('status');
const say = (line: string): void => { log.textContent += `${line}\n`; };
const record = (key: string, value: string | number | boolean): void => { results.textContent += `${key}=${value}\n`; };

const losses: number[] = [];
function draw(epochs: number): void {
  const canvas = byId('curve');
  const ctx = canvas.getContext!('2d')!;
  const w = canvas.width!, h = canvas.height!, pad = 36;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, w, h);
  ctx.strokeStyle = '#888';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(pad, 8);
  ctx.lineTo(pad, h - pad);
  ctx.lineTo(w - 8, h - pad);
  ctx.stroke();
  const top = Math.max(...losses), bottom = 0;
  const px = (e: number): number => pad + ((w - pad - 8) * e) / epochs;
  const py = (l: number): number => h - pad - ((h - pad - 8) * (l - bottom)) / (top - bottom || 1);
  ctx.strokeStyle = '#1f6feb';
  ctx.lineWidth = 2;
  ctx.beginPath();
  losses.forEach((l, i) => (i === 0 ? ctx.moveTo(px(i + 1), py(l)) : ctx.lineTo(px(i + 1), py(l))));
  ctx.stroke();
  ctx.fillStyle = '#333';
  ctx.font = '12px sans-serif';
  ctx.fillText(`${top.toFixed(2)}`, 4, 16);
  ctx.fillText('0', 20, h - pad);
  ctx.fillText('training loss (binary cross-entropy), full-batch SGD', w - 330, 20);
  ctx.fillText(`epoch ${losses.length}/${epochs}: loss ${losses[losses.length - 1]!.toFixed(4)}`, pad + 8, h - 12);
}

record('crossOriginIsolated', page.crossOriginIsolated === true);
const worker = new page.Worker('train.worker.js', { type: 'module' });
worker.onerror = (e) => {
  status.textContent = 'error';
  say(`worker failed: ${e.message ?? 'unknown error'}`);
};
worker.onmessage = ({ data: r }) => {
  switch (r.kind) {
    case 'backprop':
      say(`backprop: loss at w = 1: ${r.loss}, dloss/dw: ${r.grad}`);
      record('backpropLoss', r.loss);
      record('backpropGrad', r.grad);
      break;
    case 'split':
      say(`train: ${r.train} samples, test: ${r.test} samples, ${r.features} features`);
      break;
    case 'epoch':
      losses.push(r.loss);
      draw(r.epochs);
      if (r.epoch === 1) record('firstLoss', r.loss);
      if (r.epoch % 10 === 0) say(`Epoch ${String(r.epoch).padStart(3)}: Loss: ${r.loss.toFixed(3)}`);
      if (r.epoch === r.epochs) {
        record('lastLoss', r.loss);
        record('epochs', r.epoch);
      }
      break;
    case 'accuracy':
      say(`Test accuracy: ${r.test.toFixed(3)}`);
      record('testAccuracy', r.test);
      break;
    case 'matmul':
      say(`matmul ${r.n}x${r.n}: max error ${r.maxError.toExponential(2)}; WebAssembly ${r.wasm}, shared memory ${r.sharedMemory}, ${r.workersReady} kernel worker(s) ready, ${r.workerChunks} chunks run by them`);
      for (const [k, v] of Object.entries(r)) if (k !== 'kind') record(`matmul.${k}`, v as number | boolean);
      break;
    case 'done':
      status.textContent = 'done';
      break;
    case 'error':
      say(r.message);
      record('error', JSON.stringify(r.message));
      status.textContent = 'error';
      break;
  }
};
