// Consumer checks of the packed package (npm run test:package, part of npm test):
// `npm pack`, install the tarball into a temporary project offline, with an empty
// npm cache (its runtime dependencies and theirs are packed from our own
// node_modules, so the check needs neither the network nor a warm cache), then
// use it as people do:
//   1. plain Node: `node app.mjs` (typegrad, typegrad/testing without vitest or
//      fast-check installed, typegrad/node);
//   2. `require('typegrad')` from CommonJS: works on Node >= 20.19 (require of
//      ESM); older Node must fail with Node's ERR_REQUIRE_ESM, not a SyntaxError;
//   3. TypeScript consumers with `types: []`, strict + noUncheckedIndexedAccess +
//      exactOptionalPropertyTypes, skipLibCheck false, target es2020, module
//      nodenext and bundler: they compile, an @ts-expect-error on a bad matmul is
//      honoured, and without it the shape error appears;
//   4. a browser bundle (esbuild --platform=browser) with no node: module;
//   5. publint and @arethetypeswrong/cli (ESM-only profile) report nothing.
// Prints the package and install sizes. Everything runs offline.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
/** A file of one of our devDependencies (installed at the top of node_modules; some export no package.json). */
const bin = (pkg, path) => join(root, 'node_modules', pkg, path);
const tmp = mkdtempSync(join(tmpdir(), 'typegrad-consumer-'));
const keep = process.argv.includes('--keep');
let failures = 0;

function step(name, fn) {
  const t0 = performance.now();
  try {
    const note = fn();
    console.log(`ok   ${name} (${((performance.now() - t0) / 1000).toFixed(1)} s)${note ? `: ${note}` : ''}`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}: ${e instanceof Error ? e.message : e}`);
  }
}

/** Runs a command; returns { status, out } (stdout and stderr together). */
/**
 * The folders of our runtime dependencies and of theirs, transitively, as
 * Node resolves them from our node_modules (a nested copy wins over the
 * top-level one).
 */
function runtimeDependencies() {
  const found = new Map();
  const visit = (name, fromDir) => {
    for (let dir = fromDir; ; dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) {
        if (found.has(candidate)) return;
        found.set(candidate, name);
        const pkg = JSON.parse(readFileSync(join(candidate, 'package.json'), 'utf8'));
        for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, candidate);
        return;
      }
      if (dir === root || dirname(dir) === dir) throw new Error(`runtime dependency ${name} is not installed under ${fromDir}`);
    }
  };
  const own = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  for (const dep of Object.keys(own.dependencies ?? {})) visit(dep, root);
  return [...found.keys()];
}

function run(cmd, args, cwd = tmp, env = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}
function ok(cmd, args, cwd) {
  const r = run(cmd, args, cwd);
  if (r.status !== 0) throw new Error(`${[cmd, ...args].join(' ')} exited ${r.status}:\n${r.out}`);
  return r.out;
}
const expectIn = (text, want) => {
  if (!text.includes(want)) throw new Error(`expected ${JSON.stringify(want)} in:\n${text}`);
};
const write = (name, text) => writeFileSync(join(tmp, name), text.trimStart());

let tarball;
try {
  step('npm pack (prepare builds dist/)', () => {
    const out = execFileSync('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const [info] = JSON.parse(out.slice(out.indexOf('[')));
    tarball = info.filename;
    const files = info.files.map((f) => f.path);
    for (const unwanted of ['tests/', 'bench/', 'type-tests/', '.ci/', 'examples/', 'tsconfig.json', 'vitest.config.ts']) {
      if (files.some((f) => f.startsWith(unwanted))) throw new Error(`the tarball ships ${unwanted}`);
    }
    for (const wanted of ['LICENSE', 'README.md', 'package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/index.d.ts.map', 'dist/index.js.map', 'dist/node.js', 'dist/data/bundled/breast_cancer.csv', 'dist/data/worker-entry.mjs']) {
      if (!files.includes(wanted)) throw new Error(`the tarball lacks ${wanted}`);
    }
    return `${tarball}: ${(info.size / 1024).toFixed(0)} kB packed, ${(info.unpackedSize / 1024 / 1024).toFixed(2)} MB unpacked, ${files.length} files`;
  });

  step('install the tarball into a temporary project, offline', () => {
    write('package.json', '{ "name": "consumer", "private": true, "type": "module" }\n');
    const deps = runtimeDependencies();
    for (const dir of deps) ok('npm', ['pack', '--pack-destination', tmp, dir], tmp);
    const tarballs = readdirSync(tmp).filter((f) => f.endsWith('.tgz') && f !== tarball).map((f) => `./${f}`);
    ok('npm', ['install', '--offline', '--cache', join(tmp, '.npm-cache'), '--no-audit', '--no-fund', '--ignore-scripts', '--no-package-lock', ...tarballs, `./${tarball}`], tmp);
    const du = run('du', ['-sh', join(tmp, 'node_modules')]).out.split('\t')[0];
    return `node_modules ${du}`;
  });

  step('plain node app.mjs', () => {
    write('app.mjs', `
import { tensor, matmul, grad, sum, square, scalar, breastCancer } from 'typegrad';
import { checkGrads } from 'typegrad/testing';
import { progressBar } from 'typegrad/node';
const y = matmul(tensor([[1, 2], [3, 4]]), tensor([[1], [1]]));
console.log('matmul', JSON.stringify(y.toArray()));
console.log('grad', grad((x) => sum(square(x)))(tensor([1, 2, 3])).toArray().join(','));
checkGrads((x) => sum(square(x)), [scalar(3, { dtype: 'float64' })]);
console.log('checkGrads ok');
console.log('breastCancer', breastCancer().x.shape.join('x'));
console.log(String(tensor([[1, 2], [3, 4]])));
progressBar({ total: 1, label: 'bar', tty: false }).done();
`);
    const out = ok(process.execPath, ['app.mjs']);
    for (const want of ['matmul [[3],[7]]', 'grad 2,4,6', 'checkGrads ok', 'breastCancer 569x30', 'Tensor([[1., 2.],']) expectIn(out, want);
  });

  step("require('typegrad') from CommonJS", () => {
    write('app.cjs', `
const { tensor, matmul } = require('typegrad');
console.log('require', JSON.stringify(matmul(tensor([[1, 2]]), tensor([[3], [4]])).toArray()));
`);
    const [major, minor] = process.versions.node.split('.').map(Number);
    const requireEsm = major > 22 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19);
    const r = run(process.execPath, ['app.cjs']);
    if (requireEsm) {
      if (r.status !== 0) throw new Error(r.out);
      expectIn(r.out, 'require [[11]]');
      return `Node ${process.versions.node}: works (require of ESM)`;
    }
    expectIn(r.out, 'ERR_REQUIRE_ESM');
    return `Node ${process.versions.node}: ESM only, Node says ERR_REQUIRE_ESM`;
  });

  const strict = { strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, skipLibCheck: false, types: [], target: 'es2020', noEmit: true };
  const consumerTs = `
import { matmul, tensor, zeros, grad, sum, square, nn, random, type Tensor } from 'typegrad';
import { checkGrads } from 'typegrad/testing';
const x = tensor([[1, 2, 3], [4, 5, 6]]);
const y: Tensor<[2, 4]> = matmul(x, zeros([3, 4]));
// @ts-expect-error matmul: inner dimensions differ: [2,3] x [4,5]
matmul(x, zeros([4, 5]));
const model = nn.sequential(nn.linear(3, 2), nn.relu);
const out: Tensor<[2, 2]> = model.apply(model.init(random.key(0)), x);
const g = grad((w: Tensor<[3]>) => sum(square(w)))(tensor([1, 2, 3]));
checkGrads((w: Tensor<[3], 'float64'>) => sum(square(w)), [tensor([1, 2, 3], { dtype: 'float64' })]);
export const results = [y, out, g];
`;
  for (const [label, options] of [
    ['nodenext', { module: 'nodenext', moduleResolution: 'nodenext' }],
    ['bundler', { module: 'esnext', moduleResolution: 'bundler' }],
  ]) {
    step(`TypeScript consumer (types: [], strictest flags, skipLibCheck false, target es2020, module ${label})`, () => {
      write('index.ts', consumerTs);
      write(`tsconfig.${label}.json`, JSON.stringify({ compilerOptions: { ...strict, ...options }, files: ['index.ts'] }, null, 2));
      ok(process.execPath, [bin('typescript', 'bin/tsc'), '-p', `tsconfig.${label}.json`]);
    });
  }

  step('TypeScript consumer: without @ts-expect-error the shape error appears', () => {
    write('bad.ts', `import { matmul, tensor, zeros } from 'typegrad';\nmatmul(tensor([[1, 2, 3], [4, 5, 6]]), zeros([4, 5]));\n`);
    write('tsconfig.bad.json', JSON.stringify({ compilerOptions: { ...strict, module: 'nodenext', moduleResolution: 'nodenext' }, files: ['bad.ts'] }, null, 2));
    const r = run(process.execPath, [bin('typescript', 'bin/tsc'), '-p', 'tsconfig.bad.json']);
    if (r.status === 0) throw new Error('a bad matmul compiled');
    expectIn(r.out, 'matmul: inner dimensions differ: [2,3] x [4,5]');
    if (r.out.includes('node_modules/typegrad')) throw new Error(`errors inside the package:\n${r.out}`);
  });

  step('browser bundle (esbuild --platform=browser)', () => {
    write('browser.mjs', `
import { tensor, matmul, breastCancer } from 'typegrad';
import { checkGrads } from 'typegrad/testing';
export const run = (csv) => [matmul(tensor([[1, 2]]), tensor([[3], [4]])).item(), breastCancer(csv).x.shape, typeof checkGrads];
`);
    const out = ok(process.execPath, ['-e', `
const esbuild = require(${JSON.stringify(require.resolve('esbuild'))});
const r = esbuild.buildSync({ entryPoints: ['browser.mjs'], bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent' });
const nodeImports = Object.values(r.metafile.inputs).flatMap((i) => i.imports.map((m) => m.path)).filter((p) => p.startsWith('node:'));
if (nodeImports.length) throw new Error('node: imports in the browser bundle: ' + nodeImports.join(', '));
if (Object.keys(r.metafile.inputs).some((p) => p.includes('platform/node'))) throw new Error('the Node platform is in the browser bundle');
console.log('bundle', r.outputFiles[0].contents.length);
`]);
    return `${(Number(out.split(' ')[1]) / 1024).toFixed(0)} kB unminified`;
  });

  step('publint', () => ok(process.execPath, [bin('publint', 'src/cli.js'), 'run', root, '--strict'], root).trim().split('\n').pop());
  step('@arethetypeswrong/cli (ESM-only profile)', () => {
    ok(process.execPath, [bin('@arethetypeswrong/cli', 'dist/index.js'), join(tmp, tarball), '--profile', 'esm-only', '--format', 'ascii'], root);
  });
} finally {
  if (!keep) rmSync(tmp, { recursive: true, force: true });
  else console.log(`kept ${tmp}`);
}
if (failures > 0) {
  console.log(`${failures} consumer check(s) failed`);
  process.exit(1);
}
