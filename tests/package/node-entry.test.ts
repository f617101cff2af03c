/**
 * Examples and benchmarks run in Node from the sources, so they import the
 * Node entry (`src/index.node.ts`, which installs Node's host: worker
 * threads for the kernels, files, zlib), as `typegrad` does under Node. From
 * the platform-neutral `src/index.ts` they would get the web host: no files,
 * one thread. (Tests get Node's host from tests/setup.ts.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'browser' ? [] : tsFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

describe('Node programs in the repository', () => {
  it('import src/index.node.js, not the platform-neutral src/index.js', () => {
    const offenders = [...tsFiles(join(root, 'examples')), ...tsFiles(join(root, 'bench'))]
      .filter((f) => /from '(\.\.\/)+src\/index\.js'/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f));
    expect(offenders, "import from '../src/index.node.js' (Node's host) instead").toEqual([]);
  });

  it('the browser example imports the platform-neutral entry', () => {
    expect(readFileSync(join(root, 'examples/browser/train.worker.ts'), 'utf8')).toMatch(/from '\.\.\/\.\.\/src\/index\.js'/);
  });
});
