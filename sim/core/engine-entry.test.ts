import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT, builtEntryPath, engineEntry } from './engine-entry.ts';

describe('engineEntry', () => {
  it('names the built file after the source, flat in out/engine', () => {
    expect(builtEntryPath('main/trainer/trainer-process.ts')).toBe('out/engine/trainer-process.js');
    expect(builtEntryPath('main/video/electron-record.mjs')).toBe('out/engine/electron-record.js');
  });

  it('from source, starts the TypeScript file through tsx', () => {
    const entry = engineEntry('main/trainer/trainer-process.ts');
    expect(entry.file).toBe(path.join(PACKAGE_ROOT, 'main/trainer/trainer-process.ts'));
    expect(fs.existsSync(entry.file)).toBe(true);
    expect(entry.execArgv[0]).toBe('--import');
    expect(entry.execArgv[1]).toMatch(/^file:.*\/tsx\//);
    expect(entry.tsxApi).toMatch(/^file:.*\/tsx\//);
  });

  it('finds the package root, where package.json and the assets are', () => {
    expect(JSON.parse(fs.readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')).name).toBe('gaitlab');
    expect(fs.existsSync(path.join(PACKAGE_ROOT, 'assets/robots/ant.xml'))).toBe(true);
  });
});
