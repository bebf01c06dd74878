/** Turns Node's fs errors into words a user can act on, keeping the OS code to search for. */
import fs from 'node:fs';
import path from 'node:path';

const REASONS: Record<string, string> = {
  ENOENT: 'it does not exist',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the disk',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'something that is not a folder is already there',
  EISDIR: 'it is a folder',
};

/**
 * `EACCES (permission denied)`: the OS code to search for, and what it means here. Given the file,
 * a full disk also says how much space is left on it.
 */
export function describeFsError(error: unknown, file?: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined) return (error as Error).message;
  const reason = REASONS[code] ?? (error as Error).message;
  const left = code === 'ENOSPC' && file !== undefined ? spaceLeft(file) : null;
  return `${code} (${reason}${left === null ? '' : `: ${left} left there`})`;
}

/**
 * An error from writing `file` that names it (a write through a file descriptor names no file),
 * keeping the OS code for callers that check it.
 */
export function writeError(file: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined) return error as Error;
  return Object.assign(new Error(`cannot write ${file}: ${describeFsError(error, file)}`, { cause: error }), { code });
}

/** The space left to this user on the disk that holds `file` ("1.5 MB"), or null if it cannot be told. */
function spaceLeft(file: string): string | null {
  try {
    const stats = fs.statfsSync(path.dirname(file));
    return formatBytes(stats.bavail * stats.bsize);
  } catch {
    return null;
  }
}

function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(1)} ${units[unit]}`;
}
