/**
 * Durable and atomic file writes. A run can be killed (or the machine can lose power) at any
 * instant; readers must then see either the old file or the new one, never a torn mix.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeError } from './fs-errors.ts';

/** Names that start with this are in-progress writes, or litter of interrupted ones: never data. */
export const TEMP_PREFIX = '.tmp-';

/**
 * Writes `chunks` to `file` (replacing it) and fsyncs, so the data is on disk before we rename or
 * publish it. An error names the file (and, for a full disk, the space left).
 */
export function writeFileDurable(file: string, chunks: string | readonly Uint8Array[]): void {
  try {
    writeAndSync(file, chunks);
  } catch (error) {
    throw writeError(file, error);
  }
}

function writeAndSync(file: string, chunks: string | readonly Uint8Array[]): void {
  const fd = fs.openSync(file, 'w');
  try {
    for (const chunk of typeof chunks === 'string' ? [chunks] : chunks) fs.writeFileSync(fd, chunk);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Makes a rename or unlink inside `dir` durable: a renamed entry is only on disk once its folder is. */
export function fsyncDir(dir: string): void {
  // Windows cannot open a folder as a file; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** Replaces `file` all at once: temp file beside it, fsync, rename over it, fsync the folder. */
export function writeFileAtomic(file: string, data: string | readonly Uint8Array[]): void {
  const temp = path.join(path.dirname(file), `${TEMP_PREFIX}${path.basename(file)}-${randomBytes(4).toString('hex')}`);
  try {
    writeAndSync(temp, data);
    fs.renameSync(temp, file);
  } catch (error) {
    fs.rmSync(temp, { force: true });
    throw writeError(file, error);
  }
  fsyncDir(path.dirname(file));
}
