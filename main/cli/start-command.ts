/**
 * `npm start` / `gaitlab start`: the Electron window where Electron's binary is installed,
 * otherwise the same UI served to the browser (serve mode), opened in the default browser when
 * there is one. `gaitlab serve` is the second half alone.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../sim/core/engine-entry.ts';
import { startServer } from '../serve/server.ts';

/** The Electron binary's path, or null with the reason (not installed, or its download was skipped). */
export function findElectron(): { binary: string } | { missing: string } {
  const require = createRequire(import.meta.url);
  try {
    // The electron package's main export is the path of its downloaded binary; it throws without one.
    const binary = require('electron') as unknown;
    if (typeof binary !== 'string') return { missing: 'the electron package did not export a binary path' };
    // A half-finished download leaves the path file without the binary.
    return fs.existsSync(binary) ? { binary } : { missing: `no Electron binary at ${binary}` };
  } catch (error) {
    return { missing: (error as Error).message.split('\n')[0] };
  }
}

export async function serve(options: { port: number; runs: string; open: boolean }): Promise<void> {
  const server = await startServer({ port: options.port, runsDir: path.resolve(options.runs) });
  console.log(`GaitLab is running at ${server.url}`);
  console.log('(the token in the address is required; press Ctrl-C to stop)');
  if (options.open) openBrowser(server.url);
  const shutdown = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

export async function start(options: { port: number; runs: string }): Promise<void> {
  const electron = findElectron();
  if ('binary' in electron) {
    const child = spawn(electron.binary, [path.join(PACKAGE_ROOT, 'out/main/index.js')], { stdio: 'inherit', env: { ...process.env, GAITLAB_RUNS: path.resolve(options.runs) } });
    child.on('exit', (code) => process.exit(code ?? 0));
    return;
  }
  console.log(`Electron is not available (${electron.missing}); serving the app to your browser instead.`);
  await serve({ ...options, open: true });
}

/** Best effort: a desktop session has xdg-open/open/start; a headless machine has none, and that is fine. */
function openBrowser(url: string): void {
  const command = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '', url] : [url];
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return;
  const child = spawn(command, args, { stdio: 'ignore', detached: true });
  child.on('error', () => {});
  child.unref();
}
