import type { Server } from 'node:http';
/** Bundles the browser tutorial page into `out`. */
export function buildPage(out: string): Promise<void>;
/** Serves `dir` on 127.0.0.1, with COOP/COEP headers when `isolated` (default true). */
export function serve(dir: string, options?: { port?: number; isolated?: boolean }): Promise<{ server: Server; url: string }>;
