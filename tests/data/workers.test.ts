import { describe, expect, it } from 'vitest';
import { ValueError } from '../../src/core/errors.js';
import { WorkerError } from '../../src/data/errors.js';
import { workerMap } from '../../src/data/workers.js';
import { itemValue } from './fixtures/item-value.js';

const items = new URL('./fixtures/items.ts', import.meta.url);

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/**
 * Thread ids of the fixture workers that answer a ping within `ms`, or as
 * soon as `enough` have answered. A worker still loading its module answers
 * once loaded, so waiting for `enough` tolerates a slow start.
 */
async function liveWorkers(ms = 300, enough = Infinity): Promise<number[]> {
  const channel = new BroadcastChannel('typegrad-test-workers');
  const seen = new Set<number>();
  let timer: NodeJS.Timeout | undefined;
  let ping: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve) => {
    channel.onmessage = (event: MessageEvent) => {
      if (event.data?.pong !== undefined) seen.add(event.data.pong);
      if (seen.size >= enough) resolve();
    };
    channel.postMessage('ping');
    ping = setInterval(() => channel.postMessage('ping'), 50); // reach workers that start listening late
    timer = setTimeout(resolve, ms);
  });
  clearTimeout(timer);
  clearInterval(ping);
  channel.close();
  return [...seen];
}

describe('workerMap', () => {
  it('delivers items in the order of the indices, as loading them in the main thread would', async () => {
    const indices = [9, 0, 5, 3, 8, 1, 2, 7, 6, 4, 12, 11];
    const got = await collect(workerMap<ReturnType<typeof itemValue> & { thread: number }>(items, indices, { workers: 3 }));
    expect(got.map(({ thread: _, ...rest }) => rest)).toEqual(indices.map(itemValue));
    // The work really was spread over more than one thread.
    expect(new Set(got.map((g) => g.thread)).size).toBeGreaterThan(1);
    expect(got[0]!.data).toBeInstanceOf(Float32Array);
  });

  it('re-runs from the start on each iteration', async () => {
    const it = workerMap<{ index: number }>(items, [2, 1], { workers: 1 });
    expect((await collect(it)).map((x) => x.index)).toEqual([2, 1]);
    expect((await collect(it)).map((x) => x.index)).toEqual([2, 1]);
  });

  it('calls get(index) on an exported dataset object, and loads plain JavaScript modules', async () => {
    expect(await collect(workerMap<number>(items, [1, 2, 3], { workers: 2, exportName: 'doubled' }))).toEqual([2, 4, 6]);
    const js = new URL('./fixtures/items-js.mjs', import.meta.url);
    expect(await collect(workerMap<number>(js, [1, 5], { workers: 1, exportName: 'triple' }))).toEqual([3, 15]);
  });

  it('surfaces a failed item as a WorkerError naming its index, after the items before it', async () => {
    const got: number[] = [];
    let error: unknown;
    try {
      for await (const item of workerMap<{ index: number }>(items, [0, 1, 13, 2], { workers: 2 })) got.push(item.index);
    } catch (e) {
      error = e;
    }
    expect(got).toEqual([0, 1]);
    expect(error).toBeInstanceOf(WorkerError);
    const e = error as WorkerError;
    expect(e.index).toBe(13);
    expect(e.message).toBe('workerMap: index 13 failed: item 13 is broken');
    expect((e.cause as Error).name).toBe('RangeError');
    expect((e.cause as Error).stack).toContain('items.ts');
  });

  it('reports a worker that exits while loading an item', async () => {
    const run = collect(workerMap<number>(items, [0, 1, 4, 5], { workers: 2, exportName: 'crashOnFour' }));
    await expect(run).rejects.toThrow(/index 4 failed: .*exited with code 3/);
    await expect(run).rejects.toMatchObject({ index: 4 });
  });

  it('names the exports when the asked-for export is missing', async () => {
    const run = collect(workerMap<number>(items, [7], { workers: 1, exportName: 'nope' }));
    await expect(run).rejects.toThrow(/index 7 failed: module .*items\.ts has no export "nope".*doubled/);
  });

  it('terminates its workers when the iteration is abandoned', async () => {
    const it = workerMap<number>(items, [1, 2, 3, 4, 5, 6], { workers: 2, exportName: 'slow' })[Symbol.asyncIterator]();
    try {
      expect((await it.next()).value).toBe(1);
      expect((await liveWorkers(10_000, 2)).length).toBe(2);
    } finally {
      await it.return!(undefined);
    }
    expect(await liveWorkers()).toEqual([]);
  });

  it('terminates its workers when the iteration ends or fails', async () => {
    await collect(workerMap(items, [1, 2], { workers: 2, exportName: 'slow' }));
    expect(await liveWorkers()).toEqual([]);
    await collect(workerMap(items, [13], { workers: 2 })).catch(() => undefined);
    expect(await liveWorkers()).toEqual([]);
  });

  it('starts nothing until iterated', async () => {
    workerMap(items, [1, 2, 3], { workers: 2, exportName: 'slow' });
    expect(await liveWorkers(200)).toEqual([]);
  });

  it('checks its arguments', () => {
    expect(() => workerMap(items, [1], { workers: 0 })).toThrow(ValueError);
    expect(() => workerMap(items, [1], { workers: 1.5 })).toThrow('workerMap: workers must be a positive integer, got 1.5');
    expect(() => workerMap(items, [1], { buffer: -1 })).toThrow('workerMap: buffer must be a positive integer, got -1');
    expect(() => workerMap('fixtures/items.ts', [1])).toThrow(/must be a URL or an absolute path/);
  });

  it('rejects an index that is not a non-negative integer at its position', async () => {
    const got: number[] = [];
    const run = (async () => {
      for await (const x of workerMap<number>(items, [1, -2], { workers: 1, exportName: 'doubled' })) got.push(x);
    })();
    await expect(run).rejects.toThrow('workerMap: index -2 failed: indices must be non-negative integers, got -2');
    expect(got).toEqual([2]);
  });
});
