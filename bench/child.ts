/**
 * Runs one workload on one library in a fresh process, started by `run.ts`
 * (`--lib typegrad --workload W1 [--quick]`), and sends back its results
 * over the IPC channel. A process of its own per row keeps libraries from
 * sharing a heap, a JIT or a garbage collector, and makes its peak RSS its own.
 */
import '../src/platform/node.js'; // Node's host: worker threads for the kernels, files
import { REGISTRY } from './registry.js';
import { LIBS, WORKLOADS, familyOf, type Lib, type Result, type WorkloadId } from './workload.js';

/** What the child sends to its parent. */
export type ChildMessage = { readonly results: Result[] } | { readonly error: string };

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<ChildMessage> {
  const lib = arg('--lib') as Lib;
  const workload = arg('--workload') as WorkloadId;
  if (!LIBS.includes(lib) || !WORKLOADS.includes(workload)) return { error: `child: bad --lib ${lib} or --workload ${workload}` };
  try {
    const load = REGISTRY[workload][familyOf(lib)];
    if (load === undefined) return { error: `child: ${lib} has no ${workload}` };
    const runner = await load();
    return { results: await runner({ lib, quick: process.argv.includes('--quick') }) };
  } catch (e) {
    return { error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
}

const message = await main();
if (process.send) process.send(message, () => process.exit(0));
else {
  console.log(JSON.stringify(message, null, 2));
  process.exit(0);
}
