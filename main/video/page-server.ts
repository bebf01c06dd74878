/**
 * The built record page (renderer/record.html, built with the UI by `npm run build:renderer`),
 * served read-only on 127.0.0.1 while a video is made: WebCodecs needs a secure context, which
 * 127.0.0.1 is and a file:// page loading modules is not. The page holds nothing secret and the
 * server writes nothing, so unlike `gaitlab serve` it needs no token.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { RENDERER_DIST, serveStatic } from '../static/static-files.ts';

const RECORD_PAGE = 'record.html';
const VITE_CONFIG = fileURLToPath(new URL('../../renderer/vite.config.ts', import.meta.url));

export interface PageServer {
  /** The record page's address. */
  url: string;
  close(): Promise<void>;
}

/** Builds the UI (record page included) when the record page is not built yet, as on a fresh checkout. */
export async function ensureRecordPage(distDir = RENDERER_DIST, log: (line: string) => void = console.error): Promise<void> {
  if (fs.existsSync(path.join(distDir, RECORD_PAGE))) return;
  log(`the record page is not built (no ${path.join(distDir, RECORD_PAGE)}): building the UI (npm run build:renderer)…`);
  const { build } = await import('vite');
  await build({ configFile: VITE_CONFIG, logLevel: 'warn' });
  if (!fs.existsSync(path.join(distDir, RECORD_PAGE))) throw new Error(`building the UI made no ${path.join(distDir, RECORD_PAGE)}`);
}

export async function startPageServer(distDir = RENDERER_DIST): Promise<PageServer> {
  const root = path.resolve(distDir);
  const server = createServer((request, response) => serveStatic(root, request, response));
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
  });
  return {
    url: `http://127.0.0.1:${port}/${RECORD_PAGE}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
