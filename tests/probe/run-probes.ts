/**
 * Runs every probe and prints a JSON summary (for the test and for the
 * closing table). Usage: tsx tests/probe/run-probes.ts [seed] [runsPerClass];
 * runsPerClass 0 tries every value of every class (what the probe test does).
 */
import fc from 'fast-check';
import '../../src/platform/node.js';
import { BAD_CLASSES, BAD_VALUES, FILLERS, probe, publicFunctions, type Outcome } from './probe-lib.js';
import { checkReturned } from './returns.js';

const seed = Number(process.argv[2] ?? 15);
const runs = Number(process.argv[3] ?? 3);
const fns = publicFunctions();
const perClass: Record<string, Record<Outcome | 'returned, checked', number>> = {};
const raw: Record<string, string> = {};
const wrong: Record<string, string> = {};
const otherOp: Record<string, string> = {};
let calls = 0;
for (const [cls, arb] of Object.entries(BAD_CLASSES)) {
  const counts = (perClass[cls] = { returned: 0, 'returned, checked': 0, 'named error': 0, 'named error, other op': 0, 'raw error': 0 });
  const samples = runs === 0 ? BAD_VALUES[cls]! : fc.sample(arb, { seed, numRuns: runs });
  for (const f of fns) {
    const arity = Math.min(Math.max(f.fn.length, 1), 3);
    for (let pos = 0; pos < arity; pos++) {
      for (const bad of samples) {
        const args = Array.from({ length: arity }, (_, k) => (k === pos ? bad : FILLERS[k === 0 ? 0 : 1]));
        process.env['PROBE_CURRENT'] = `${f.path} ${cls} ${pos}`;
        const { outcome, detail, value } = await probe(f, args);
        counts[outcome]++;
        if (outcome === 'returned') {
          const { reason, problem } = await checkReturned({ f, cls, pos, args, value });
          if (problem === undefined) counts['returned, checked']++;
          else wrong[`${f.path} | ${cls} | arg ${pos}`] ??= `${reason ?? 'no reason'}: ${problem}`;
        }
        calls++;
        if (outcome === 'raw error') raw[`${f.path} | ${cls} | arg ${pos}`] ??= detail;
        if (outcome === 'named error, other op') otherOp[`${f.path} | ${cls} | arg ${pos}`] ??= detail;
      }
    }
  }
}
console.log(JSON.stringify({ functions: fns.length, calls, perClass, raw, otherOp, wrong }));
