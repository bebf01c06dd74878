/**
 * Serves the built renderer to the window as gaitlab://app/…, a secure standard origin of its own
 * (file:// pages share one opaque origin and get no response headers, so no CSP).
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { net, protocol, type CustomScheme } from 'electron';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../main/static/static-files.ts';

export const APP_ORIGIN = 'gaitlab://app';

/** Registered with the app's other scheme before the app is ready (main.ts). */
export const APP_SCHEME: CustomScheme = { scheme: 'gaitlab', privileges: { standard: true, secure: true, supportFetchAPI: true } };

export function serveRenderer(rendererDir: string): void {
  protocol.handle('gaitlab', async (request) => {
    const { host, pathname } = new URL(request.url);
    const file = path.join(rendererDir, decodeURIComponent(pathname === '/' ? '/index.html' : pathname));
    const inside = file.startsWith(rendererDir + path.sep);
    if (
      host !== 'app' ||
      !inside ||
      !(await fs.stat(file).then(
        (s) => s.isFile(),
        () => false,
      ))
    ) {
      return new Response('not found', { status: 404 });
    }
    const response = await net.fetch(pathToFileURL(file).href);
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}
