/**
 * An append-only JSON-lines log (metrics.jsonl, events.jsonl). A line counts once its newline is
 * on disk: a process killed mid-append leaves an unterminated last line, which readers ignore and
 * the next writer cuts off before appending. Anything else that does not parse is corruption.
 * `JsonlTail` reads a log another process is writing, a few new records at a time.
 */
import fs from 'node:fs';
import type { z } from 'zod';
import { writeFileAtomic } from './atomic-write.ts';
import { parseJson, readText } from './json-file.ts';
import { writeError } from './fs-errors.ts';

const NEWLINE = 0x0a;

export class JsonlLog<Schema extends z.ZodType> {
  private tailChecked = false;

  constructor(
    readonly file: string,
    private readonly schema: Schema,
  ) {}

  /** Refuses a record that would not read back (say a NaN step, which JSON turns into null): it would corrupt the log. */
  append(record: z.infer<Schema>): void {
    const line = JSON.stringify(record);
    parseJson(line, this.schema, `record for ${this.file}`);
    if (!this.tailChecked) {
      dropTornTail(this.file);
      this.tailChecked = true;
    }
    // A reader racing this append sees at most an unterminated last line, which it ignores.
    try {
      fs.appendFileSync(this.file, `${line}\n`);
    } catch (error) {
      throw writeError(this.file, error);
    }
  }

  /**
   * Keeps only the records `keep` accepts, rewriting the file atomically (a kill leaves the old
   * log or the new one) when any is dropped; returns how many were.
   */
  retain(keep: (record: z.infer<Schema>) => boolean): number {
    const records = this.read();
    const kept = records.filter(keep);
    if (kept.length === records.length) return 0;
    writeFileAtomic(this.file, kept.map((record) => `${JSON.stringify(record)}\n`).join(''));
    this.tailChecked = true;
    return records.length - kept.length;
  }

  /** Every complete record; a missing file is an empty log. */
  read(): z.infer<Schema>[] {
    if (!fs.existsSync(this.file)) return [];
    const lines = readText(this.file).split('\n');
    lines.pop(); // '' after the last newline, or a torn record
    return lines.map((line, i) => parseJson(line, this.schema, `${this.file}:${i + 1}`));
  }
}

/**
 * A log as another process appends to it: each `next()` returns the records appended since the
 * last, reading only the new bytes (a file unchanged since costs one stat). A torn last line waits
 * for the call that finds it whole. A log rewritten (retain: a new file) or cut shorter is read
 * again from its start, so the reader gets the new history, and must skip what it already has.
 */
export class JsonlTail<Schema extends z.ZodType> {
  /** Bytes up to the end of the last complete line returned. */
  private offset = 0;
  private inode = -1;
  private seenSize = -1;
  /** The line number of the record at `offset`, for errors. */
  private line = 1;

  constructor(
    readonly file: string,
    private readonly schema: Schema,
  ) {}

  /** The records appended since the last call (every one at the first); none while the file is missing. */
  next(): z.infer<Schema>[] {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(this.file);
    } catch {
      return [];
    }
    if (stat.ino !== this.inode || stat.size < this.offset) {
      this.inode = stat.ino;
      this.offset = 0;
      this.line = 1;
      this.seenSize = -1;
    }
    if (stat.size === this.seenSize) return [];
    this.seenSize = stat.size;
    const bytes = this.readBytes(this.offset, stat.size);
    const end = bytes.lastIndexOf(NEWLINE) + 1;
    const records = this.parse(bytes.subarray(0, end), this.line);
    this.offset += end;
    this.line += records.length;
    return records;
  }

  /** Every record the calls so far have returned, read again (the file as it was at the last call). */
  read(): z.infer<Schema>[] {
    return this.parse(this.readBytes(0, this.offset), 1);
  }

  private parse(bytes: Buffer, firstLine: number): z.infer<Schema>[] {
    const lines = bytes.toString('utf8').split('\n');
    lines.pop(); // '' after the last newline
    return lines.map((line, i) => parseJson(line, this.schema, `${this.file}:${firstLine + i}`));
  }

  private readBytes(from: number, to: number): Buffer {
    if (to === from) return Buffer.alloc(0); // the file may not exist yet
    const bytes = Buffer.alloc(to - from);
    const fd = fs.openSync(this.file, 'r');
    try {
      const read = fs.readSync(fd, bytes, 0, bytes.length, from);
      return bytes.subarray(0, read);
    } finally {
      fs.closeSync(fd);
    }
  }
}

/** Cuts an unterminated last line (left by a killed writer) so the next record starts on its own line. */
function dropTornTail(file: string): void {
  if (!fs.existsSync(file)) return;
  const fd = fs.openSync(file, 'r+');
  try {
    const size = fs.fstatSync(fd).size;
    if (size === 0) return;
    const last = Buffer.alloc(1);
    fs.readSync(fd, last, 0, 1, size - 1);
    if (last[0] === NEWLINE) return;
    fs.ftruncateSync(fd, fs.readFileSync(file).lastIndexOf(NEWLINE) + 1);
  } finally {
    fs.closeSync(fd);
  }
}
