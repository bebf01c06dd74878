/**
 * A file written piece by piece at given positions (a muxer goes back to fill in sizes) that
 * appears at its path whole or not at all: it is written under a temp name beside the target,
 * fsynced, then renamed; a failed or cancelled write removes the temp file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fsyncDir, TEMP_PREFIX } from '../store/atomic-write.ts';
import { describeFsError } from '../store/fs-errors.ts';

export class PendingFile {
  private constructor(
    private readonly temp: string,
    private fd: number | null,
  ) {}

  /** Opens the temp file now, so an unwritable destination fails before any work is done. */
  static create(file: string): PendingFile {
    const dir = path.dirname(path.resolve(file));
    const temp = path.join(dir, `${TEMP_PREFIX}${path.basename(file)}-${randomBytes(4).toString('hex')}`);
    try {
      fs.mkdirSync(dir, { recursive: true });
      return new PendingFile(temp, fs.openSync(temp, 'wx'));
    } catch (error) {
      throw new Error(`cannot write ${path.resolve(file)}: ${describeFsError(error)}`);
    }
  }

  write(position: number, data: Uint8Array): void {
    if (this.fd === null) throw new Error('the file was already committed or discarded');
    let done = 0;
    while (done < data.length) done += fs.writeSync(this.fd, data, done, data.length - done, position + done);
  }

  /** Makes the data durable and puts it at `file` (replacing what is there). */
  commit(file: string): void {
    if (this.fd === null) throw new Error('the file was already committed or discarded');
    try {
      fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
      this.fd = null;
      fs.renameSync(this.temp, file);
    } catch (error) {
      this.discard();
      throw new Error(`cannot write ${path.resolve(file)}: ${describeFsError(error)}`);
    }
    fsyncDir(path.dirname(path.resolve(file)));
  }

  discard(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
    fs.rmSync(this.temp, { force: true });
  }
}
