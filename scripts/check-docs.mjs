// Docs are checked (npm run test:docs, part of npm test): every ```ts block of
// README.md and every @example in the doc comments of src/ (fenced ```ts
// blocks and inline `code`) is written out as its own module and type-checked
// with tsc against the sources ('typegrad', 'typegrad/testing', ... map to src/).
//
// Conventions for fragments:
// - Names the fragment uses from typegrad's entries (and `expect`/`describe`/
//   `it` from vitest, `fc` from fast-check, `pipe` from fp-ts) are imported for
//   it unless it imports them itself.
// - A hidden preamble declares anything else it uses: in README.md an HTML
//   comment right before the block, `<!-- hidden: declare const params: Params; -->`;
//   in a doc comment a line `// hidden: declare const params: Params;`.
// - A free lower-case name that a fragment only reads (`x`, `params`, `grads`)
//   stands for some value: it is declared `any` (a name it calls, constructs or
//   uses as a type is not: a misspelt function still fails).
// - A line whose comment starts with `// error` (on it or on the next line) must
//   NOT compile: it gets an `@ts-expect-error`, so it fails the check if it compiles.
// - Relative imports in a doc comment are resolved from the file it is in.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, process.argv.includes('--only') ? '.docs-check-only' : '.docs-check');
const require = createRequire(import.meta.url);
const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin/tsc');

// ---------------------------------------------------------------------------
// The names each entry exports, followed through `export ... from` chains.
const ENTRIES = {
  typegrad: 'src/index.node.ts',
  'typegrad/node': 'src/node.ts',
  'typegrad/testing': 'src/testing/index.ts',
  'typegrad/testing/arbitraries': 'src/testing/arbitraries.ts',
  'typegrad/testing/vitest': 'src/testing/vitest.ts',
};
function exportedNames(file, seen = new Set()) {
  if (seen.has(file)) return new Set();
  seen.add(file);
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  const names = new Set();
  const target = (spec) => resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
  for (const m of text.matchAll(/export\s+\*\s+as\s+(\w+)\s+from/g)) names.add(m[1]);
  for (const m of text.matchAll(/export\s+\*\s+from\s+'([^']+)'/g)) for (const n of exportedNames(target(m[1]), seen)) names.add(n);
  for (const m of text.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)) {
    for (const part of m[1].split(',')) {
      const name = part.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop()?.trim();
      if (name) names.add(name);
    }
  }
  for (const m of text.matchAll(/export\s+(?:declare\s+)?(?:abstract\s+)?(?:async\s+)?(?:class|interface|type|function\*?|const|let|enum|namespace)\s+(\w+)/g)) names.add(m[1]);
  return names;
}
const provided = new Map(); // name -> module
// Later entries win: `io` is typegrad/node's (with files), which extends typegrad's.
for (const [mod, file] of Object.entries(ENTRIES)) for (const n of exportedNames(join(root, file))) provided.set(n, mod);
for (const n of ['expect', 'describe', 'it', 'vi']) provided.set(n, 'vitest');
provided.set('pipe', 'fp-ts/lib/function.js');
const DEFAULT_IMPORTS = { fc: 'fast-check' };
const shapeNames = exportedNames(join(root, 'src/shape/index.ts'));
const shapeModule = relative(out, join(root, 'src/shape/index.ts'));

// ---------------------------------------------------------------------------
// Fragments.
const fragments = []; // { where, code, preamble, file }

function readme(path = join(root, 'README.md')) {
  const lines = readFileSync(path, 'utf8').split('\n');
  const label = relative(root, path);
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ts\s*$/.test(lines[i])) continue;
    const start = i;
    let hidden = '';
    const prev = lines[start - 1] ?? '';
    const hm = /^<!--\s*hidden:([\s\S]*?)-->\s*$/.exec(prev);
    if (hm) hidden = hm[1].trim();
    const body = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i]);
    fragments.push({ where: `${label}:${start + 1}`, code: body.join('\n'), preamble: hidden, file: null });
  }
}

function sources(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) sources(p);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) docComments(p);
  }
}

function docComments(file) {
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(/\/\*\*([\s\S]*?)\*\//g)) {
    const line = text.slice(0, m.index).split('\n').length;
    const body = m[1].split('\n').map((l) => l.replace(/^\s*\* ?/, ''));
    const joined = body.join('\n');
    for (const ex of joined.matchAll(/@example\b([\s\S]*?)(?=@\w+|$)/g)) {
      const section = ex[1];
      const fenced = [...section.matchAll(/```(?:ts|typescript)\n([\s\S]*?)```/g)];
      if (fenced.length > 0) {
        for (const f of fenced) fragments.push({ where: `${relative(root, file)}:${line}`, code: f[1], preamble: '', file });
      } else {
        const inline = /^\s*`([^`]+)`/.exec(section);
        if (inline) fragments.push({ where: `${relative(root, file)}:${line}`, code: inline[1], preamble: '', file });
      }
    }
  }
}

// `--only FILE.md` checks just that Markdown file (the checker's own test uses it).
const only = process.argv.indexOf('--only');
if (only >= 0) readme(resolve(process.argv[only + 1]));
else {
  readme();
  sources(join(root, 'src'));
}

// ---------------------------------------------------------------------------
// Each fragment as a module.
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const index = [];
fragments.forEach((f, k) => {
  const name = `f${String(k).padStart(4, '0')}.ts`;
  let lines = f.code.split('\n');
  const hidden = lines.filter((l) => /^\s*\/\/ hidden:/.test(l)).map((l) => l.replace(/^\s*\/\/ hidden:\s?/, ''));
  lines = lines.filter((l) => !/^\s*\/\/ hidden:/.test(l));
  // `// error` on a line, or on the line after it: that line must not compile.
  const marked = [];
  lines.forEach((l, i) => {
    const next = lines[i + 1] ?? '';
    const isErr = /\/\/\s*error\b/.test(l) && !/^\s*\/\//.test(l);
    const nextErr = /^\s*\/\/\s*error\b/.test(next) && l.trim() !== '' && !/^\s*\/\//.test(l);
    if (isErr || nextErr) marked.push('// @ts-expect-error (the docs say this is an error)');
    marked.push(l);
  });
  let code = marked.join('\n');
  // Relative imports of a doc comment resolve from its file.
  if (f.file) code = code.replace(/from '(\.{1,2}\/[^']+)'/g, (_, spec) => `from '${relative(out, resolve(dirname(f.file), spec)).replace(/^(?!\.)/, './')}'`);
  const preamble = [f.preamble, ...hidden].filter(Boolean).join('\n');
  // Names declared or imported by the fragment itself are not imported for it.
  const own = new Set();
  for (const m of `${preamble}\n${code}`.matchAll(/import\s+(?:type\s+)?(?:(\w+)\s*,?\s*)?(?:\*\s+as\s+(\w+))?\s*(?:\{([^}]*)\})?\s*from/g)) {
    if (m[1]) own.add(m[1]);
    if (m[2]) own.add(m[2]);
    for (const p of (m[3] ?? '').split(',')) {
      const n = p.trim().replace(/^type\s+/, '').split(/\s+as\s+/).pop()?.trim();
      if (n) own.add(n);
    }
  }
  for (const m of `${preamble}\n${code}`.matchAll(/\b(?:const|let|var|function|class|interface|type|enum)\s+(\w+)/g)) own.add(m[1]);
  for (const m of `${preamble}\n${code}`.matchAll(/\b(?:const|let|var)\s*[{[]([^=]*)[}\]]\s*=/g)) for (const n of m[1].match(/[A-Za-z_$][\w$]*/g) ?? []) own.add(n);
  const stripped = code.replace(/\/\/.*$/gm, '').replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, "''");
  const used = new Set(stripped.match(/(?<![\w$.])[A-Za-z_$][\w$]*/g) ?? []);
  const preambleUsed = new Set(preamble.match(/(?<![\w$.])[A-Za-z_$][\w$]*/g) ?? []);
  const byModule = new Map();
  // A doc comment sees what its own file exports, then the package's entries.
  const local = f.file ? exportedNames(f.file) : new Set();
  const localModule = f.file ? relative(out, f.file).replace(/^(?!\.)/, './') : '';
  for (const n of new Set([...used, ...preambleUsed])) {
    if (own.has(n)) continue;
    // Inside src/, the shape types (`Broadcast`, `MatMul`, ...) are in scope too.
    const mod = local.has(n) ? localModule : provided.get(n) ?? (f.file && shapeNames.has(n) ? shapeModule : undefined);
    if (mod) byModule.set(mod, [...(byModule.get(mod) ?? []), n]);
  }
  const imports = [...byModule].map(([mod, names]) => `import { ${names.join(', ')} } from '${mod}';`);
  for (const [n, mod] of Object.entries(DEFAULT_IMPORTS)) if (used.has(n) && !own.has(n)) imports.push(`import ${n} from '${mod}';`);
  const header = `// ${f.where}\n${imports.join('\n')}\n${preamble}\n`;
  writeFileSync(join(out, name), `${header}${code}\nexport {};\n`);
  index.push({ name, where: f.where, offset: header.split('\n').length - 1 });
});

const paths = Object.fromEntries(Object.entries(ENTRIES).map(([mod, file]) => [mod, [relative(out, join(root, file))]]));
writeFileSync(
  join(out, 'tsconfig.json'),
  JSON.stringify(
    {
      extends: relative(out, join(root, 'tsconfig.json')),
      compilerOptions: { noEmit: true, noUnusedLocals: false, verbatimModuleSyntax: false, isolatedModules: false, module: 'esnext', moduleResolution: 'bundler', paths, types: ['node'], allowImportingTsExtensions: true, typeRoots: [relative(out, join(root, 'node_modules/@types'))] },
      include: ['*.ts'],
      exclude: [],
    },
    null,
    2,
  ),
);
const check = () => {
  const r = spawnSync(process.execPath, [tsc, '-p', join(out, 'tsconfig.json'), '--pretty', 'false'], { cwd: root, encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
};
// Pass 1, then: a free lower-case name that the fragment only reads (never calls,
// constructs or uses as a type), like `x`, `params` or `grads` in `opt.update(grads, state, params)`,
// stands for "some value of the right type": it is declared `any` and the fragment checked again.
let output = check();
let assumed = 0;
const free = new Map();
for (const m of output.matchAll(/(f\d{4}\.ts)\(\d+,\d+\): error TS(?:2304|2552|18004): (?:Cannot find name|No value exists in scope for the shorthand property) '([a-z_$][\w$]*)'/g)) {
  free.set(m[1], new Set([...(free.get(m[1]) ?? []), m[2]]));
}
for (const [name, names] of free) {
  const path = join(out, name);
  const text = readFileSync(path, 'utf8');
  const readOnly = [...names].filter((n) => !new RegExp(`(?<![\\w$.])${n.replace(/\$/g, '\\$')}\\s*[(<]|new\\s+${n}\\b`).test(text));
  if (readOnly.length === 0) continue;
  assumed += readOnly.length;
  const [first, ...rest] = text.split('\n');
  writeFileSync(path, [first, `declare let ${readOnly.map((n) => `${n}: any`).join(', ')}; // free names of the fragment`, ...rest].join('\n'));
  const e = index.find((i) => i.name === name);
  if (e) e.offset += 1;
}
if (assumed > 0) output = check();
// Map errors back to where the fragment is documented.
const where = new Map(index.map((e) => [e.name, e]));
const errors = output
  .split('\n')
  .filter((l) => /error TS\d+/.test(l))
  .map((l) => {
    const m = /(f\d{4}\.ts)\((\d+),(\d+)\)/.exec(l);
    const e = m && where.get(m[1]);
    return e ? `${e.where} (fragment line ${Number(m[2]) - e.offset}): ${l.slice(l.indexOf('error'))}  [.docs-check/${e.name}]` : l;
  });
const bad = new Set(errors.map((e) => e.split(' (fragment')[0]));
console.log(`docs: ${fragments.length} fragments (README ${fragments.filter((f) => !f.file).length}, doc comments ${fragments.filter((f) => f.file).length}) type-checked, ${assumed} free names read as any, ${bad.size} failing`);
if (errors.length > 0) {
  console.log(errors.join('\n'));
  process.exit(1);
}
