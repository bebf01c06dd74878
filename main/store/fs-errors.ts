/** Turns Node's fs errors into words a user can act on, keeping the OS code to search for. */

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

/** `EACCES (permission denied)`: the OS code to search for, and what it means here. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === undefined) return (error as Error).message;
  return `${code} (${REASONS[code] ?? (error as Error).message})`;
}
