import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileDurable } from './atomic-write.ts';
import { useTempDir } from './temp-dir.test-support.ts';

const tempDir = useTempDir();

describe('writeFileDurable', () => {
  it('writes the chunks in order, replacing the file', () => {
    const file = path.join(tempDir(), 'f.bin');
    fs.writeFileSync(file, 'old content that is longer');
    writeFileDurable(file, [Uint8Array.of(1, 2), Uint8Array.of(), Uint8Array.of(3)]);
    expect([...fs.readFileSync(file)]).toEqual([1, 2, 3]);
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temp file beside it', () => {
    const file = path.join(tempDir(), 'run.json');
    fs.writeFileSync(file, 'old');
    writeFileAtomic(file, 'new');
    expect(fs.readFileSync(file, 'utf8')).toBe('new');
    expect(fs.readdirSync(tempDir())).toEqual(['run.json']);
  });

  it('leaves the target untouched and removes its temp file when the rename fails', () => {
    const target = path.join(tempDir(), 'occupied');
    fs.mkdirSync(path.join(target, 'inside'), { recursive: true });
    expect(() => writeFileAtomic(target, 'data')).toThrow();
    expect(fs.readdirSync(tempDir())).toEqual(['occupied']);
    expect(fs.readdirSync(target)).toEqual(['inside']);
  });
});
