/**
 * `npm start` / `gaitlab start`: the Electron window where Electron's binary is installed,
 * otherwise the same UI served to the browser (serve mode), opened in the default browser when
 * there is one. `gaitlab serve` is the second half alone.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../sim/core/engine-entry.ts';
import { startServer } from '../serve/server.ts';
import { findElectron } from '../video/find-electron.ts';

/** The one line `gaitlab start` prints before serving the UI to the browser instead of opening the window. */
export function browserFallbackLine(missing: string): string {
  return `The desktop window needs Electron's binary (${missing}); the UI is served at the address below instead.`;
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
    const child = spawn(electron.binary, [path.join(PACKAGE_ROOT, 'out/main/index.js')], {
      stdio: 'inherit',
      env: { ...process.env, GAITLAB_RUNS: path.resolve(options.runs) },
    });
    child.on('exit', (code) => process.exit(code ?? 0));
    return;
  }
  console.log(browserFallbackLine(electron.missing));
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
