/**
 * The main entry on the web host (no file system, no zlib, no worker
 * threads that import modules): datasets load from text or bytes, the same
 * values as from the files in Node; reading a path is a PlatformError that
 * says to pass bytes. Runs in Node by switching the host to the web one.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { breastCancer, digits, fromTensors, iris, loader, moduleDataset, random, readCsv, wine, zeros } from '../../src/index.js';
import { platform, PlatformError, setPlatform } from '../../src/platform/index.js';
import { nodePlatform } from '../../src/platform/node.js';
import { webPlatform } from '../../src/platform/web.js';

const bundled = (file: string): Uint8Array => readFileSync(new URL(`../../src/data/bundled/${file}`, import.meta.url));

afterEach(() => setPlatform(nodePlatform));

describe('the web host', () => {
  it('the tests run on the Node host unless switched', () => {
    expect(platform().name).toBe('node');
  });

  it('loads the bundled datasets from bytes or text, equal to the files read in Node', () => {
    const fromFiles = { bc: breastCancer(), wine: wine(), iris: iris() };
    setPlatform(webPlatform);
    const bc = breastCancer(bundled('breast_cancer.csv'));
    expect(bc.x.toArray()).toEqual(fromFiles.bc.x.toArray());
    expect(bc.y.toArray()).toEqual(fromFiles.bc.y.toArray());
    expect(bc.targetNames).toEqual(fromFiles.bc.targetNames);
    expect(wine(new TextDecoder().decode(bundled('wine.csv'))).x.toArray()).toEqual(fromFiles.wine.x.toArray());
    expect(iris(bundled('iris.csv')).y.toArray()).toEqual(fromFiles.iris.y.toArray());
  });

  it('reading a path, or gunzip, is a PlatformError that says to pass bytes', () => {
    setPlatform(webPlatform);
    expect(() => breastCancer()).toThrow(PlatformError);
    expect(() => breastCancer()).toThrow(/pass the bytes instead/);
    expect(() => digits(bundled('digits.csv.gz'))).toThrow(/gunzip needs Node/);
    const r = readCsv({ path: '/etc/hostname' });
    expect(r._tag === 'Left' && r.left.message).toMatch(/^csv: cannot read \/etc\/hostname: reading \/etc\/hostname needs Node/);
  });

  it('a loader with workers is a ValueError naming the option; without workers it runs', () => {
    setPlatform(webPlatform);
    const ds = moduleDataset(import.meta.url, { length: 4, get: (i: number) => i });
    expect(() => loader(ds, { batchSize: 2, workers: 1 })).toThrow(/workers need worker threads/);
    const batches = [...loader(fromTensors(zeros([4, 2])), { batchSize: 2, shuffle: true, key: random.key(0) }).epoch(0)];
    expect(batches).toHaveLength(2);
  });
});
