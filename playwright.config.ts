// End-to-end tests of the UI (`npm run test:e2e`): Chromium from the system (Debian's
// /usr/bin/chromium, or $CHROMIUM_PATH) against serve mode; Electron through Playwright's
// _electron where its binary is installed. Playwright never downloads browsers here.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_FLAGS } from './main/video/chromium-flags.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/artifacts',
  // One at a time: on a small machine the trainers and the browser need every core.
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  reporter: [['list']],
  use: {
    viewport: { width: 1440, height: 900 },
    colorScheme: 'dark',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_FLAGS],
    },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
});
