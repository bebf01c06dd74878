/**
 * The desktop app through Playwright's _electron, where Electron's binary is installed (its
 * download is skipped on machines that cannot reach it: then this test is skipped, saying why).
 * Needs `npm run build:app` (done by `npm run test:e2e`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { findElectron } from '../main/video/find-electron.ts';

test('the Electron app opens the Lab and trains a run', async () => {
  const electronFound = findElectron();
  if ('missing' in electronFound) {
    console.log(`skipping the Electron test: ${electronFound.missing}`);
    test.skip(true, electronFound.missing);
    return;
  }
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'gaitlab-electron-'));
  const app = await electron.launch({ executablePath: electronFound.binary, args: ['out/main/index.js'], env: { ...process.env, GAITLAB_RUNS: runsDir } });
  try {
    const page = await app.firstWindow();
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    await page.getByTestId('new-run').click();
    await expect(page.getByTestId('start-run')).toBeEnabled();
    await page.getByTestId('start-run').click();
    await expect(page.getByTestId('run-status')).toHaveText('running', { timeout: 60_000 });
    await page.getByTestId('stop-run').click();
    await expect(page.getByTestId('run-status')).toHaveText('stopped', { timeout: 60_000 });
    await page.screenshot({ path: path.join('test-results', 'screenshots', 'electron-dark.png') });
  } finally {
    await app.close();
    fs.rmSync(runsDir, { recursive: true, force: true });
  }
});
