// The browser tutorial page (examples/browser/): bundled with esbuild and
// served from 127.0.0.1 by a tiny static server that sends the COOP/COEP
// headers which make the page cross-origin isolated (so SharedArrayBuffer and
// the kernel workers are available). `npm run browser` builds and serves it;
// tests/browser/page.test.ts imports buildPage and serve.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.csv': 'text/csv', '.map': 'application/json', '.png': 'image/png' };

/** Bundles the page into `out` (main.js, train.worker.js, index.html, breast_cancer.csv). */
export async function buildPage(out) {
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: { main: join(root, 'examples/browser/main.ts'), 'train.worker': join(root, 'examples/browser/train.worker.ts') },
    outdir: out,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    sourcemap: true,
    logLevel: 'warning',
  });
  copyFileSync(join(root, 'examples/browser/index.html'), join(out, 'index.html'));
  copyFileSync(join(root, 'src/data/bundled/breast_cancer.csv'), join(out, 'breast_cancer.csv'));
}

/**
 * Serves `dir` on 127.0.0.1 (`port` 0: any free port). With `isolated`, every
 * response carries Cross-Origin-Opener-Policy: same-origin and
 * Cross-Origin-Embedder-Policy: require-corp. Resolves to the server and its URL.
 */
export function serve(dir, { port = 0, isolated = true } = {}) {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^([/\\])+/, '');
    const file = join(dir, path === '' ? 'index.html' : path);
    if (!file.startsWith(dir + sep) && file !== dir) {
      res.writeHead(403).end();
      return;
    }
    let body;
    try {
      body = readFileSync(file);
    } catch {
      res.writeHead(404).end('not found');
      return;
    }
    const headers = { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' };
    if (isolated) Object.assign(headers, { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' });
    res.writeHead(200, headers).end(body);
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}/` })));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = join(root, '.browser-page');
  await buildPage(out);
  const { url } = await serve(out, { port: Number(process.env.PORT ?? 8080) });
  console.log(`the tutorial page: ${url} (cross-origin isolated; Ctrl-C stops)`);
}
