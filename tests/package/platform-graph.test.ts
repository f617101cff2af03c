/**
 * The main entry is platform-neutral: bundled by esbuild for the browser,
 * its import graph holds no `node:` module, and the bundle never touches
 * `process`. Node's host comes in only through `src/platform/node.ts`
 * (the `node` export condition and `typegrad/node`), which must pull in
 * node modules (a control: the scan can fail).
 */
import { build, type Metafile } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

async function graph(entry: string, platform: 'browser' | 'node'): Promise<{ inputs: string[]; nodeImports: string[]; code: string }> {
  const r = await build({
    entryPoints: [entry],
    absWorkingDir: root,
    bundle: true,
    write: false,
    format: 'esm',
    platform,
    metafile: true,
    logLevel: 'silent',
    external: ['fp-ts', 'fp-ts/*'],
  });
  const meta: Metafile = r.metafile;
  const nodeImports = Object.values(meta.inputs).flatMap((i) => i.imports.map((m) => m.path).filter((p) => p.startsWith('node:')));
  return { inputs: Object.keys(meta.inputs), nodeImports, code: r.outputFiles[0]!.text };
}

/** Uses of the `process` global: `process.x`, `process[...]` (not `globalThis.process`, nor a method named process). */
const processUses = (code: string): string[] => code.match(/(?<![\w$.'"`])process\s*[.[]/g) ?? [];

describe('the main entry in a browser bundle', () => {
  it('has no node: module and no process in its import graph', { timeout: 60_000 }, async () => {
    const g = await graph('src/index.ts', 'browser');
    expect(g.nodeImports).toEqual([]);
    expect(g.inputs.some((p) => p.includes('platform/node'))).toBe(false);
    expect(g.inputs.some((p) => p.endsWith('backend/wasm/pool.ts'))).toBe(true); // the kernels and their pool are in it
    expect(processUses(g.code)).toEqual([]);
  });

  it('testing and testing/arbitraries are platform-neutral too', { timeout: 60_000 }, async () => {
    for (const entry of ['src/testing/index.ts', 'src/testing/arbitraries.ts']) {
      const g = await (async () => {
        const r = await build({ entryPoints: [entry], absWorkingDir: root, bundle: true, write: false, format: 'esm', platform: 'browser', metafile: true, logLevel: 'silent', external: ['fp-ts', 'fp-ts/*', 'fast-check'] });
        return { nodeImports: Object.values(r.metafile.inputs).flatMap((i) => i.imports.map((m) => m.path).filter((p) => p.startsWith('node:'))), code: r.outputFiles[0]!.text };
      })();
      expect(g.nodeImports, entry).toEqual([]);
      expect(processUses(g.code), entry).toEqual([]);
    }
  });

  it('the Node entries do import node: modules and use process (the scan sees them)', { timeout: 60_000 }, async () => {
    for (const entry of ['src/index.node.ts', 'src/node.ts']) {
      const g = await graph(entry, 'node');
      expect(g.nodeImports, entry).toContain('node:worker_threads');
      expect(processUses(g.code).length, entry).toBeGreaterThan(0);
    }
  });
});
