import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Inside the repository `typegrad` and its subpaths resolve to the sources:
// each `exports` entry's `./dist/X.js` becomes `src/X.ts`, so tests (and the
// docs check) never need a build.
type Target = string | { readonly default?: string };
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { exports: Record<string, Target> };
const alias = Object.entries(pkg.exports).flatMap(([sub, target]) => {
  const js = typeof target === 'string' ? target : target.default;
  if (js === undefined || !js.startsWith('./dist/')) return [];
  const name = `typegrad${sub.slice(1)}`;
  const source = fileURLToPath(new URL(js.replace(/^\.\/dist\//, './src/').replace(/\.js$/, '.ts'), import.meta.url));
  return [{ find: new RegExp(`^${name.replace(/[/.]/g, '\\$&')}$`), replacement: source }];
});

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/setup.ts'],
    // Property tests and examples are CPU-bound; two workers match the machine.
    pool: 'forks',
    maxWorkers: 2,
    // Generous limits: a test fails on a wrong result, never because a busy
    // 2-core machine ran it slowly (examples start child processes in hooks).
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
