import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../store/temp-dir.test-support.ts';
import { PendingFile } from './pending-file.ts';

const tempDir = useTempDir();

describe('PendingFile', () => {
  it('appears whole at its path on commit, written at the positions given', () => {
    const file = path.join(tempDir(), 'videos', 'a.mp4');
    const pending = PendingFile.create(file);
    pending.write(0, Uint8Array.of(0, 0, 0, 0));
    pending.write(4, Uint8Array.of(5, 6));
    pending.write(1, Uint8Array.of(9)); // a muxer going back to fill in a size
    expect(fs.existsSync(file)).toBe(false);
    pending.commit(file);
    expect([...fs.readFileSync(file)]).toEqual([0, 9, 0, 0, 5, 6]);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['a.mp4']);
  });

  it('leaves nothing when discarded', () => {
    const pending = PendingFile.create(path.join(tempDir(), 'b.webm'));
    pending.write(0, Uint8Array.of(1, 2, 3));
    pending.discard();
    expect(fs.readdirSync(tempDir())).toEqual([]);
  });

  it('fails at once, naming the file, where it cannot be written', () => {
    fs.writeFileSync(path.join(tempDir(), 'file'), '');
    expect(() => PendingFile.create(path.join(tempDir(), 'file', 'c.mp4'))).toThrow(/cannot write .*c\.mp4: (ENOTDIR|EEXIST)/);
  });
});
