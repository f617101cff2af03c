#!/usr/bin/env node
// Checks the text of compile-time errors.
//
// Runs the project's `tsc` on a fixture project (default
// tests/type-errors/tsconfig.json) and matches every error against
// `// @expect-error <substring>` markers: a marker applies to the next line
// that is not itself a marker, and its substring must occur in the text of an
// error reported on that line (the headline or its elaboration lines). It
// fails on a marker that no error matches, on an error that no marker on its
// line matches, and on an error on a line without a marker.
//
//   node scripts/check-type-errors.mjs [path/to/tsconfig.json]
//
// Exit code 0 when all pass, 1 otherwise; prints `N passed, M failed`.
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const project = resolve(process.argv[2] ?? join(root, 'tests/type-errors/tsconfig.json'));
const fixtureDir = dirname(project);
const MARKER = /^\s*\/\/\s*@expect-error\s+(.*?)\s*$/;

/** Markers of every .ts file directly in the fixture folder: key `file:line` of the target line. */
function readMarkers() {
  const markers = new Map();
  for (const name of readdirSync(fixtureDir).filter((f) => f.endsWith('.ts')).sort()) {
    const file = join(fixtureDir, name);
    const lines = readFileSync(file, 'utf8').split(/\r?\n/);
    let pending = [];
    lines.forEach((text, i) => {
      const m = MARKER.exec(text);
      if (m) {
        pending.push({ text: m[1], markerLine: i + 1 });
        return;
      }
      if (pending.length > 0) {
        markers.set(`${file}:${i + 1}`, pending);
        pending = [];
      }
    });
    if (pending.length > 0) markers.set(`${file}:${lines.length + 1}`, pending);
  }
  return markers;
}

/** The errors of one tsc run: { key, where, text } with the elaboration lines joined to the headline. */
function runTsc() {
  const tsc = join(root, 'node_modules/.bin/tsc');
  const res = spawnSync(tsc, ['--noEmit', '--pretty', 'false', '-p', project], { cwd: root, encoding: 'utf8' });
  if (res.error) throw res.error;
  const errors = [];
  const HEAD = /^(.+?)\((\d+),(\d+)\): error (TS\d+: .*)$/;
  for (const line of `${res.stdout}${res.stderr}`.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const m = HEAD.exec(line);
    if (m) {
      const file = resolve(root, m[1]);
      errors.push({ key: `${file}:${m[2]}`, where: `${m[1]}:${m[2]}:${m[3]}`, text: m[4] });
    } else if (/^\s/.test(line) && errors.length > 0) {
      errors[errors.length - 1].text += `\n${line.trim()}`;
    } else {
      errors.push({ key: '(no location)', where: '(no location)', text: line });
    }
  }
  return { errors, status: res.status };
}

const markers = readMarkers();
const { errors } = runTsc();
const failures = [];
let passed = 0;

const errorsByLine = new Map();
for (const e of errors) errorsByLine.set(e.key, [...(errorsByLine.get(e.key) ?? []), e]);

for (const [key, list] of markers) {
  const found = errorsByLine.get(key) ?? [];
  for (const m of list) {
    if (found.some((e) => e.text.includes(m.text))) passed++;
    else {
      const got = found.length === 0 ? 'no error' : found.map((e) => e.text).join('\n    ');
      failures.push(`${key.replace(`${root}/`, '')}: expected an error containing "${m.text}", got: ${got}`);
    }
  }
}
for (const e of errors) {
  const list = markers.get(e.key);
  if (list === undefined) failures.push(`${e.where}: error without an @expect-error marker: ${e.text}`);
  else if (!list.some((m) => e.text.includes(m.text))) failures.push(`${e.where}: error matched by no marker on its line: ${e.text}`);
}

if (markers.size === 0) failures.push(`${fixtureDir}: no @expect-error markers found`);

for (const f of failures) console.log(`FAIL ${f.replaceAll('\n', '\n    ')}`);
console.log(`${passed} passed, ${failures.length} failed`);
process.exitCode = failures.length === 0 ? 0 : 1;
