// The message-text checker for compile-time errors, run on the real fixtures
// and on a negative control whose markers must all be reported.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

function check(project?: string): { status: number | null; out: string } {
  const args = ['scripts/check-type-errors.mjs', ...(project === undefined ? [] : [project])];
  const res = spawnSync(process.execPath, args, { encoding: 'utf8' });
  return { status: res.status, out: `${res.stdout}${res.stderr}` };
}

describe('scripts/check-type-errors.mjs', () => {
  it('passes on tests/type-errors', () => {
    const { status, out } = check();
    expect(out).toMatch(/^\d+ passed, 0 failed$/m);
    expect(status).toBe(0);
  });

  it('fails on the negative control: wrong text, unmarked error, marker without error', () => {
    const { status, out } = check('tests/type-errors/negative/tsconfig.json');
    expect(status).toBe(1);
    expect(out).toContain('1 passed, 4 failed');
    expect(out).toContain('wrong.ts:11: expected an error containing "add: cannot broadcast [2,3] with [5]: dim 3 vs 4"');
    expect(out).toContain('wrong.ts:11:8: error matched by no marker on its line');
    expect(out).toContain('wrong.ts:13:8: error without an @expect-error marker');
    expect(out).toContain('wrong.ts:16: expected an error containing "add: cannot broadcast", got: no error');
  });
});
