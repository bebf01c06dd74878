/** Electron's binary, for the desktop window (`gaitlab start`) and for offscreen recording where no Chromium is installed. */
import fs from 'node:fs';
import { createRequire } from 'node:module';

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
