/**
 * `npm run test:e2e [-- playwright test args]`: builds the renderer, the Electron app's main and
 * the engine, then runs Playwright. The browser tests need the system's Chromium (Playwright never
 * downloads one here); on a machine that could not install it they are skipped, saying why in one
 * line, so that `npm test` still passes there.
 */
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { CHROMIUM_PATH } from '../playwright.config.ts';

try {
  fs.accessSync(CHROMIUM_PATH, fs.constants.X_OK);
} catch {
  console.log(`e2e tests skipped: no Chromium at ${CHROMIUM_PATH} (install Debian's chromium, or set CHROMIUM_PATH)`);
  process.exit(0);
}

/** Runs a step in the foreground; the first that fails ends the run with its status. */
function step(command: string, args: string[], options: SpawnSyncOptions = {}): void {
  const { status } = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (status !== 0) process.exit(status ?? 1);
}

// npm is a .cmd script on Windows, which only a shell runs.
step('npm', ['run', 'build:renderer'], { shell: process.platform === 'win32' });
step('npm', ['run', 'build:app'], { shell: process.platform === 'win32' });
// The Electron test's app (out/main) starts the built trainer (out/engine).
step('npm', ['run', 'build'], { shell: process.platform === 'win32' });
step(process.execPath, [createRequire(import.meta.url).resolve('@playwright/test/cli'), 'test', ...process.argv.slice(2)]);
