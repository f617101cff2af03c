// The three stores: the same log semantics in each (round trip, NaN kept,
// create/load modes, resume from a fresh handle), and for the shared stores
// several worker processes on one study (no trial lost or run twice) and a
// worker killed with SIGKILL mid-trial: its trial is marked failed (as
// Optuna's heartbeat does; it is not re-queued) and the study goes on.
// PostgreSQL tests need TYPEGRAD_PG_URL (`eval "$(scripts/start-postgres.sh)"`;
// .ci/run sets it) and skip with a note without it.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tune } from '../../src/node.js';

const root = new URL('../..', import.meta.url).pathname;
const pgUrl = process.env['TYPEGRAD_PG_URL'];
if (pgUrl === undefined) console.warn('storage.test: TYPEGRAD_PG_URL is not set; skipping the PostgreSQL tests (eval "$(scripts/start-postgres.sh)" to run them)');
const dir = mkdtempSync(join(tmpdir(), 'typegrad-tune-'));
const unique = (what: string) => `${what}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

const pgStores: tune.Storage[] = [];
afterAll(async () => {
  for (const s of pgStores) await s.close();
});

interface Store {
  name: string;
  make: () => tune.Storage;
  where?: () => string;
  skip?: boolean;
}
const stores: Store[] = [
  { name: 'memory', make: (() => { const s = tune.memoryStorage(); return () => s; })() },
  { name: 'journal', make: (() => { const p = join(dir, 'shared.jsonl'); return () => tune.journalStorage(p); })(), where: () => `journal:${join(dir, `${unique('w')}.jsonl`)}` },
  { name: 'postgres', make: () => { const s = tune.postgresStorage(pgUrl ?? 'postgres://none'); pgStores.push(s); return s; }, where: () => `postgres:${pgUrl}`, skip: pgUrl === undefined },
];

/** Runs the worker script in its own node process (no npx or tsx wrapper, so a signal reaches it). */
function worker(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'tests/tune/helpers/worker.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, out, err })));
  const started = new Promise<number>((resolve, reject) => {
    child.stdout.on('data', () => {
      const m = /started (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.on('close', () => reject(new Error(`worker ended before starting a trial: ${err}`)));
  });
  started.catch(() => undefined); // only the killed-worker test awaits it
  return { child, done, started };
}

describe.each(stores)('$name storage', ({ make, where, skip, name }) => {
  it.skipIf(skip)('round-trips trials, NaN reports included, and resumes from a fresh handle', async () => {
    const studyName = unique('roundtrip');
    const a = await tune.createStudy({ studyName, storage: make(), direction: 'maximize', sampler: tune.randomSampler() });
    const t = await a.ask();
    const lr = t.float('lr', 1e-4, 1, { log: true });
    const opt = t.categorical('opt', ['sgd', 'adam'] as const);
    t.report(0.5, 0);
    t.report(NaN, 1);
    t.setUserAttr('note', { epochs: 2 });
    await a.tell(t, 0.75);
    const failed = await a.ask();
    await a.tell(failed, 'fail', new Error('boom'));

    const b = await tune.loadStudy({ studyName, storage: make() });
    expect(b.direction).toBe('maximize');
    expect(b.trials.length).toBe(2);
    const [first, second] = b.trials;
    expect(first).toMatchObject({ number: 0, state: 'complete', value: 0.75, params: { lr, opt }, userAttrs: { note: { epochs: 2 } } });
    expect(first!.intermediate.get(0)).toBe(0.5);
    expect(first!.intermediate.get(1)).toBeNaN();
    expect(second).toMatchObject({ state: 'fail', error: 'Error: boom' });
    // Resume: numbering goes on after the stored trials.
    expect((await b.ask()).number).toBe(2);
  });

  it.skipIf(skip)('creates, loads and refuses as the mode says', async () => {
    const studyName = unique('modes');
    const storage = make();
    await tune.createStudy({ studyName, storage });
    await expect(tune.createStudy({ studyName, storage })).rejects.toThrow(/already exists/);
    await expect(tune.createStudy({ studyName, storage, loadIfExists: true })).resolves.toBeInstanceOf(tune.Study);
    await expect(tune.loadStudy({ studyName: unique('missing'), storage })).rejects.toThrow(tune.StorageError);
    expect(await storage.studyNames()).toContain(studyName);
  });

  if (where === undefined) return;

  it.skipIf(skip)('three worker processes share one study: every trial run exactly once', async () => {
    const place = where();
    const studyName = unique('shared');
    const runs = await Promise.all([0, 1, 2].map(() => worker([place, studyName, '8']).done));
    for (const r of runs) expect(r.code, r.err).toBe(0);
    const ran = runs.flatMap((r) => [...r.out.matchAll(/ran (\d+)/g)].map((m) => Number(m[1])));
    expect(ran.sort((x, y) => x - y)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    const storage = place.startsWith('journal:') ? tune.journalStorage(place.slice(8)) : make();
    const study = await tune.loadStudy({ studyName, storage });
    expect(study.trials.map((t) => t.number)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(study.trials.every((t) => t.state === 'complete')).toBe(true);
    expect(new Set(study.trials.map((t) => t.worker)).size).toBe(3);
    // Each trial's reports came from one worker only: three steps each.
    expect(study.trials.every((t) => t.intermediate.size === 3)).toBe(true);
  }, 120_000);

  it.skipIf(skip)(`a worker killed mid-trial leaves its trial failed, and the study resumes (${name})`, async () => {
    const place = where();
    const studyName = unique('killed');
    const storage = place.startsWith('journal:') ? tune.journalStorage(place.slice(8)) : make();
    const study = await tune.createStudy({ studyName, storage, heartbeatInterval: 0.2, sampler: tune.randomSampler() });
    await study.optimize((t) => t.float('x', 0, 1), { trials: 2 });
    const w = worker([place, studyName, '5', 'hang', '0.2']);
    const number = await w.started;
    w.child.kill('SIGKILL');
    const { signal } = await w.done;
    expect(signal).toBe('SIGKILL');
    await study.refresh();
    expect(study.trials[number]!.state).toBe('running');
    // Its grace period is 0.4 s; after that the next ask of any worker declares it dead.
    await new Promise((r) => setTimeout(r, 800));
    await study.optimize((t) => t.float('x', 0, 1), { trials: 3 });
    const dead = study.trials[number]!;
    expect(dead.state).toBe('fail');
    expect(dead.error).toMatch(/^no heartbeat for [\d.]+s from worker .+: marked failed$/);
    expect(study.trials.length).toBe(number + 1 + 3);
    expect(study.trials.filter((t) => t.state === 'complete').length).toBe(5);
  }, 60_000);
});

describe('optimizeInWorkers', () => {
  it('needs a store other threads can open', async () => {
    const study = await tune.createStudy();
    await expect(tune.optimizeInWorkers(study, { module: join(root, 'examples/tune-fashion-mnist.ts'), trials: 2 })).rejects.toThrow(/memory store cannot be opened from another thread; use tune.journalStorage/);
  });
});

describe('journal file', () => {
  it('cuts off a line torn by a crashed writer, and breaks a lock whose holder died', async () => {
    const path = join(dir, 'torn.jsonl');
    const storage = tune.journalStorage(path);
    const study = await tune.createStudy({ studyName: 'torn', storage, sampler: tune.randomSampler() });
    await study.tell(await study.ask(), 1);
    // A writer died in the middle of a line...
    appendFileSync(path, '{"study":"torn","op":{"op":"finish","n":0,"sta');
    // ...while holding the lock (pid 2^22 + 1 is above Linux's default pid_max, so not alive).
    writeFileSync(`${path}.lock`, `${2 ** 22 + 1}\n`);
    const again = await tune.loadStudy({ studyName: 'torn', storage: tune.journalStorage(path) });
    expect(again.trials.length).toBe(1);
    await again.tell(await again.ask(), 2);
    const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l !== '');
    expect(lines.every((l) => { JSON.parse(l); return true; })).toBe(true);
    expect((await tune.loadStudy({ studyName: 'torn', storage: tune.journalStorage(path) })).trials.map((t) => t.value)).toEqual([1, 2]);
  });

  it('refuses a journal from a newer version, and names the file and byte of a corrupt line', () => {
    const newer = join(dir, 'newer.jsonl');
    writeFileSync(newer, '{"typegrad-journal":2}\n');
    expect(() => tune.journalStorage(newer).studyNames()).toThrow(/journal version 2; this library reads version 1/);
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"typegrad-journal":1}\n{"study":"s","direction":"minimize"}\nnot json\n');
    expect(() => tune.journalStorage(bad).read('s', 0)).toThrow(/bad\.jsonl: bad line at byte 60/);
  });
});
