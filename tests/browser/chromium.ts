/**
 * Drives headless Chromium (Debian's `chromium`, `/usr/bin/chromium`, or
 * `$CHROMIUM`) over the DevTools protocol on a pipe (`--remote-debugging-pipe`:
 * JSON messages ending in a NUL byte on file descriptors 3 and 4), so no
 * WebSocket client or browser-automation package is needed.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** The Chromium binary, or undefined when none is installed. */
export const chromiumPath: string | undefined = [process.env['CHROMIUM'], '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
  (p): p is string => p !== undefined && existsSync(p),
);

/** What a page run gives back. */
export interface PageRun {
  /** The text of `#status` at the end (`done`, `error`, or `running` on timeout). */
  readonly status: string;
  /** The text of `#results` (key=value lines) and of `#log`. */
  readonly results: string;
  readonly log: string;
  /** A PNG screenshot of the page at the end. */
  readonly png: Buffer;
  /** Console messages and uncaught exceptions the page reported. */
  readonly console: readonly string[];
}

interface Message {
  readonly id?: number;
  readonly method?: string;
  readonly params?: Record<string, unknown>;
  readonly result?: Record<string, unknown>;
  readonly error?: { readonly message: string };
}

/** Opens `url`, waits until `#status` leaves `running` (or `timeoutMs`), reads the page and takes a screenshot. */
export async function runPage(url: string, timeoutMs = 60_000): Promise<PageRun> {
  if (chromiumPath === undefined) throw new Error('no chromium: apt-get install chromium');
  const profile = mkdtempSync(join(tmpdir(), 'typegrad-chromium-'));
  const flags = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-dev-shm-usage',
    `--user-data-dir=${profile}`,
    '--remote-debugging-pipe',
    '--window-size=800,900',
    'about:blank',
  ];
  const child = spawn(chromiumPath, flags, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  const pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  const consoleLines: string[] = [];
  let buffered = '';
  fromBrowser.on('data', (d: Buffer) => {
    buffered += d.toString();
    let end: number;
    while ((end = buffered.indexOf('\0')) >= 0) {
      const m = JSON.parse(buffered.slice(0, end)) as Message;
      buffered = buffered.slice(end + 1);
      if (m.id !== undefined) {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (m.error) p?.reject(new Error(`DevTools: ${m.error.message}`));
        else p?.resolve(m);
      } else if (m.method === 'Runtime.consoleAPICalled') {
        const args = (m.params?.['args'] as { value?: unknown; description?: string }[] | undefined) ?? [];
        consoleLines.push(args.map((a) => String(a.value ?? a.description ?? '')).join(' '));
      } else if (m.method === 'Runtime.exceptionThrown') {
        consoleLines.push(`exception: ${JSON.stringify(m.params?.['exceptionDetails'])}`);
      }
    }
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  let nextId = 1;
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: (m) => resolve(m.result ?? {}), reject });
      toBrowser.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    });
  const failed = new Promise<never>((_, reject) => {
    child.on('exit', (code, signal) => reject(new Error(`chromium exited (${signal ?? code}): ${stderr}`)));
    child.on('error', reject);
  });
  failed.catch(() => {});
  try {
    const { targetId } = (await Promise.race([send('Target.createTarget', { url: 'about:blank' }), failed])) as { targetId: string };
    const { sessionId } = (await send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    await send('Runtime.enable', {}, sessionId);
    await send('Page.enable', {}, sessionId);
    await send('Page.navigate', { url }, sessionId);
    const text = async (id: string): Promise<string> => {
      const r = (await send('Runtime.evaluate', { expression: `document.getElementById(${JSON.stringify(id)})?.textContent ?? ''`, returnByValue: true }, sessionId)) as {
        result: { value?: string };
      };
      return r.result.value ?? '';
    };
    const end = Date.now() + timeoutMs;
    let status = '';
    while (Date.now() < end) {
      status = await text('status');
      if (status !== '' && status !== 'running') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const [results, log] = [await text('results'), await text('log')];
    const shot = (await send('Page.captureScreenshot', { format: 'png' }, sessionId)) as { data: string };
    return { status, results, log, png: Buffer.from(shot.data, 'base64'), console: consoleLines };
  } finally {
    await Promise.race([send('Browser.close').catch(() => {}), new Promise((r) => setTimeout(r, 3000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
    // Chromium's helper processes may still be writing the profile for a moment after it exits.
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    } catch {
      /* a leftover temporary directory is harmless */
    }
  }
}

/** Parses `key=value` lines into numbers, booleans or strings. */
export function parseResults(text: string): Record<string, number | boolean | string> {
  const out: Record<string, number | boolean | string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i < 0) continue;
    const v = line.slice(i + 1);
    out[line.slice(0, i)] = v === 'true' ? true : v === 'false' ? false : v !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
  }
  return out;
}
