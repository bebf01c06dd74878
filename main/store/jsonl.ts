/**
 * An append-only JSON-lines log (metrics.jsonl, events.jsonl). A line counts once its newline is
 * on disk: a process killed mid-append leaves an unterminated last line, which readers ignore and
 * the next writer cuts off before appending. Anything else that does not parse is corruption.
 */
import fs from 'node:fs';
import type { z } from 'zod';
import { writeFileAtomic } from './atomic-write.ts';
import { parseJson, readText } from './json-file.ts';

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
    fs.appendFileSync(this.file, `${line}\n`);
  }

  /** Rewrites the log atomically with the records before the first that fails `keep`; untouched when all pass. */
  keepWhile(keep: (record: z.infer<Schema>) => boolean): void {
    const records = this.read();
    const end = records.findIndex((record) => !keep(record));
    if (end === -1) return;
    writeFileAtomic(this.file, records.slice(0, end).map((record) => `${JSON.stringify(record)}\n`).join(''));
    this.tailChecked = true;
  }

  /** Every complete record; a missing file is an empty log. */
  read(): z.infer<Schema>[] {
    if (!fs.existsSync(this.file)) return [];
    const lines = readText(this.file).split('\n');
    lines.pop(); // '' after the last newline, or a torn record
    return lines.map((line, i) => parseJson(line, this.schema, `${this.file}:${i + 1}`));
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
