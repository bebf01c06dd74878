/**
 * The headless browser `gaitlab record` renders in: Chromium (the system's, or $CHROMIUM_PATH)
 * through playwright-core, or else Electron's own Chromium with an offscreen window. Playwright
 * never downloads a browser here; a missing one is a clear error naming what to install.
 */
import fs from 'node:fs';
import { _electron, chromium, type Page } from 'playwright-core';
import { engineEntry } from '../../sim/core/engine-entry.ts';
import { findElectron } from './find-electron.ts';
import { CHROMIUM_FLAGS } from './chromium-flags.ts';
import { holdDescendantsPriority } from './browser-priority.ts';

export type BrowserChoice = { kind: 'chromium' | 'electron'; executable: string };

export interface RecordBrowser {
  page: Page;
  /** `Chromium (/usr/bin/chromium)`, for messages. */
  description: string;
  close(): Promise<void>;
}

/** Where Chromium and Chrome are installed by Debian/Ubuntu packages, Google's packages and macOS. */
const CHROMIUM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
];

/** Electron's main script for recording; only its file: Electron runs it, not Node through tsx. */
const ELECTRON_MAIN = engineEntry('main/video/electron-record.mjs').file;

/** $CHROMIUM_PATH if set, else an installed Chromium or Chrome, else Electron's binary; else an error saying what to install. */
export function findBrowser(
  env: NodeJS.ProcessEnv = process.env,
  exists: (file: string) => boolean = fs.existsSync,
  electron: () => { binary: string } | { missing: string } = findElectron,
): BrowserChoice {
  const chosen = env.CHROMIUM_PATH;
  if (chosen) {
    if (!exists(chosen)) throw new Error(`CHROMIUM_PATH is ${chosen}, but there is no file there`);
    return { kind: 'chromium', executable: chosen };
  }
  const installed = CHROMIUM_PATHS.find((file) => exists(file));
  if (installed) return { kind: 'chromium', executable: installed };
  const found = electron();
  if ('binary' in found) return { kind: 'electron', executable: found.binary };
  throw new Error(
    'no browser to render the video in: install Chromium (Debian/Ubuntu: `apt-get install chromium`; ' +
      'macOS: Google Chrome) or set CHROMIUM_PATH to a Chrome or Chromium binary, or install Electron with its binary ' +
      `(\`npm install electron\`). Looked for ${CHROMIUM_PATHS.join(', ')}; Electron: ${found.missing}`,
  );
}

/** Launches the chosen browser, held at this process's CPU priority until it is closed (browser-priority.ts). */
export async function launchBrowser(choice: BrowserChoice): Promise<RecordBrowser> {
  const launched = await launch(choice);
  const release = holdDescendantsPriority();
  return {
    ...launched,
    close: () => {
      release();
      return launched.close();
    },
  };
}

async function launch(choice: BrowserChoice): Promise<RecordBrowser> {
  if (choice.kind === 'chromium') {
    const browser = await chromium.launch({ executablePath: choice.executable, args: [...CHROMIUM_FLAGS] });
    const page = await browser.newPage();
    return { page, description: `Chromium (${choice.executable})`, close: () => browser.close() };
  }
  // Not run on the machines this was written on (no Electron binary there); see electron-record.mjs.
  const app = await _electron.launch({ executablePath: choice.executable, args: [ELECTRON_MAIN] });
  const page = await app.firstWindow();
  return { page, description: `Electron (${choice.executable})`, close: () => app.close() };
}
