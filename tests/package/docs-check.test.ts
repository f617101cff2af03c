/**
 * The docs check (scripts/check-docs.mjs, `npm run test:docs`) fails where it
 * should: on a fragment that does not compile, on a line marked `// error`
 * that compiles, and passes a good one with a hidden preamble, a free name
 * read as `any` and an `// error` line that is an error.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'typegrad-docs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function check(markdown: string): { status: number | null; out: string } {
  const file = join(dir, `doc-${Math.random().toString(36).slice(2)}.md`);
  writeFileSync(file, markdown);
  const r = spawnSync(process.execPath, ['scripts/check-docs.mjs', '--only', file], { cwd: root, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}
const block = (code: string, hidden = ''): string => `${hidden ? `<!-- hidden: ${hidden} -->\n` : ''}\`\`\`ts\n${code}\n\`\`\`\n`;

describe('the docs check', { timeout: 120_000 }, () => {
  it('passes good fragments: auto-imports, hidden preambles, free names, marked errors', () => {
    const md = [
      block('const y = matmul(tensor([[1, 2]]), zeros([2, 3])); // Tensor<[1, 3]>\nconst z: Tensor<[1, 3]> = y;'),
      block('const n: number = params.w.size;', 'declare const params: { w: Tensor<[3]> };'),
      block('sum(x, 0);'),
      block('matmul(zeros([2, 3]), zeros([4, 5]));\n// error: matmul: inner dimensions differ'),
    ].join('\n');
    const r = check(md);
    expect(r.out).toMatch(/4 fragments .* 0 failing/);
    expect(r.status).toBe(0);
  });

  it('fails a fragment that does not compile, naming where it is', () => {
    const r = check(`# doc\n\n${block("const y: Tensor<[2, 2]> = matmul(zeros([2, 3]), zeros([3, 5]));")}`);
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/doc-\w+\.md:3 .*error TS2322/);
  });

  it('fails a line marked // error that compiles, and a misspelt function', () => {
    expect(check(block('matmul(zeros([2, 3]), zeros([3, 5])); // error: not really')).status).toBe(1);
    expect(check(block('matmull(zeros([2, 3]), zeros([3, 5]));')).out).toMatch(/Cannot find name 'matmull'/);
  });
});
