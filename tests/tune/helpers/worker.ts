// A worker process for the storage tests: opens a shared study and runs
// `optimize` on it, writing one line per trial it ran to stdout.
//
//   tsx tests/tune/helpers/worker.ts <journal:PATH | postgres:URL> <study> <trials> [hang] [heartbeat seconds]
//
// With `hang`, the first trial's objective prints `started N` and blocks
// forever (the test kills the process with SIGKILL).
import { tune } from '../../../src/node.js';

const [where, studyName, trialsText, mode, heartbeatText] = process.argv.slice(2);
const storage = where!.startsWith('journal:') ? tune.journalStorage(where!.slice('journal:'.length)) : tune.postgresStorage(where!.slice('postgres:'.length));
const heartbeatInterval = heartbeatText === undefined ? undefined : Number(heartbeatText);
const study = await tune.createStudy({ studyName, storage, loadIfExists: true, sampler: tune.tpe({ seed: process.pid, nStartupTrials: 4 }), heartbeatInterval });
const block = new Int32Array(new SharedArrayBuffer(4));
try {
  await study.optimize((trial) => {
    const x = trial.float('x', -5, 5);
    const k = trial.categorical('k', ['a', 'b'] as const);
    if (mode === 'hang') {
      process.stdout.write(`started ${trial.number}\n`);
      for (;;) Atomics.wait(block, 0, 0, 1000);
    }
    // A little work, so that workers interleave.
    for (let step = 0; step < 3; step++) {
      trial.report(x * x + step, step);
      Atomics.wait(block, 0, 0, 2);
    }
    process.stdout.write(`ran ${trial.number}\n`);
    return x * x + (k === 'a' ? 0 : 1);
  }, { trials: Number(trialsText) });
} finally {
  await storage.close();
}
