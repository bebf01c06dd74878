/** `gaitlab start` without Electron's binary: one line in our words, then the served address. */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../store/temp-dir.test-support.ts';
import { findElectron } from '../video/find-electron.ts';
import { nodeArgs } from '../../sim/core/engine-entry.ts';
import { CLI } from './cli-process.test-support.ts';
import { browserFallbackLine } from './start-command.ts';

describe('findElectron', () => {
  const dir = useTempDir();

  it('says the binary is missing and how to fetch it, not the electron package advice', () => {
    const found = findElectron(dir());
    expect(found).toEqual({ missing: expect.stringContaining('node node_modules/electron/install.js') });
    expect(JSON.stringify(found)).not.toMatch(/delete node_modules/);
  });

  it('finds the binary its path file names, and reports a half-finished download', () => {
    fs.writeFileSync(path.join(dir(), 'path.txt'), 'electron');
    expect(findElectron(dir())).toEqual({ missing: expect.stringContaining(`no Electron binary at ${path.join(dir(), 'dist', 'electron')}`) });
    fs.mkdirSync(path.join(dir(), 'dist'));
    fs.writeFileSync(path.join(dir(), 'dist', 'electron'), '');
    expect(findElectron(dir())).toEqual({ binary: path.join(dir(), 'dist', 'electron') });
  });

  it('has a reason when the electron package is not installed at all', () => {
    expect(findElectron(null)).toEqual({ missing: expect.stringContaining('npm install') });
  });
});

describe.skipIf('binary' in findElectron())('gaitlab start without Electron', () => {
  const runsDir = useTempDir();

  it('first prints one line saying what the window needs, and that the UI is served instead', async () => {
    const child = spawn(process.execPath, nodeArgs(CLI, ['start', '--port', '0', '--runs', runsDir()]), {
      env: { ...process.env, DISPLAY: '', WAYLAND_DISPLAY: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk;
          if (stdout.includes('\n')) resolve();
        });
        child.on('exit', (code) => reject(new Error(`gaitlab start exited with ${code}: ${stderr}`)));
      });
    } finally {
      child.kill();
    }
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(browserFallbackLine((findElectron() as { missing: string }).missing));
    expect(lines[0]).toMatch(/^The desktop window needs Electron's binary \(.*install\.js.*\); the UI is served at the address below instead\.$/);
    expect(stdout + stderr).not.toMatch(/delete node_modules/);
  });
});
