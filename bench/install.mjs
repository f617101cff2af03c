// Installs the benchmark peers (bench/package.json: TensorFlow.js, jax-js) into
// bench/node_modules on first use, from bench/package-lock.json. `npm run bench`
// runs this first; the development install (`npm install` at the root) never
// downloads them. Reinstalls when the lockfile is newer than the installed tree.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bench = dirname(fileURLToPath(import.meta.url));
const { dependencies } = JSON.parse(readFileSync(join(bench, 'package.json'), 'utf8'));
const marker = join(bench, 'node_modules', '.package-lock.json');
const installed =
  existsSync(marker) &&
  statSync(marker).mtimeMs >= statSync(join(bench, 'package-lock.json')).mtimeMs &&
  Object.keys(dependencies).every((name) => existsSync(join(bench, 'node_modules', name, 'package.json')));
if (!installed) {
  console.error(`bench: installing the peers (${Object.keys(dependencies).join(', ')}) into bench/node_modules ...`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: bench, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('bench: installing the peers failed; the peer rows will report errors, typegrad rows still run');
    process.exitCode = 0;
  }
}
