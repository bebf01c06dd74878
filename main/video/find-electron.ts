/** Electron's binary, for the desktop window (`gaitlab start`) and for offscreen recording where no Chromium is installed. */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** What fetches Electron's binary, which `npm install` skips here (allowScripts in package.json). */
const ELECTRON_INSTALL_HINT = 'where GitHub is reachable, `node node_modules/electron/install.js` fetches it';

/**
 * The Electron binary's path, or null with the reason in our words. The electron package's own
 * error ("failed to install correctly, please delete node_modules/electron") is wrong advice here:
 * its binary is skipped on purpose, so we look for its path file ourselves.
 */
export function findElectron(packageDir = electronPackageDir()): { binary: string } | { missing: string } {
  if (!packageDir) return { missing: 'the electron package is not installed (`npm install` installs it)' };
  const pathFile = path.join(packageDir, 'path.txt');
  if (!fs.existsSync(pathFile)) return { missing: `Electron's binary is not installed; ${ELECTRON_INSTALL_HINT}` };
  const binary = path.join(packageDir, 'dist', fs.readFileSync(pathFile, 'utf8'));
  // A half-finished download leaves the path file without the binary.
  return fs.existsSync(binary) ? { binary } : { missing: `no Electron binary at ${binary}; ${ELECTRON_INSTALL_HINT}` };
}

function electronPackageDir(): string | null {
  try {
    return path.dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
}
