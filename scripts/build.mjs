// The published build (npm run build; prepare and prepack run it): tsc with
// tsconfig.build.json compiles src/ to dist/ (ESM JavaScript, .d.ts,
// declaration maps, source maps), then the files tsc does not emit are
// copied next to the modules that load them by URL: the bundled datasets
// and the plain-JavaScript worker entry of workerMap.
import { spawnSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
rmSync(dist, { recursive: true, force: true });
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
// As the `prepare` step of a development `npm install`, a type error in a work
// in progress must not fail the install: tsc still emitted, so warn and go on.
// `npm run build`, `prepack` (npm pack, npm publish) and git installs stay strict.
if (r.status !== 0) {
  const lenient = process.env.npm_lifecycle_event === 'prepare' && process.env.npm_command === 'install' || process.env.npm_command === 'ci';
  if (!lenient) process.exit(r.status ?? 1);
  console.warn('build: tsc reported errors (see above); dist/ was emitted anyway for this development install');
}
cpSync(join(root, 'src/data/bundled'), join(dist, 'data/bundled'), { recursive: true });
cpSync(join(root, 'src/data/worker-entry.mjs'), join(dist, 'data/worker-entry.mjs'));
cpSync(join(root, 'src/tune/worker-entry.mjs'), join(dist, 'tune/worker-entry.mjs'));
