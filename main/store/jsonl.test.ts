import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JsonlLog, JsonlTail } from './jsonl.ts';
import { useTempDir } from './temp-dir.test-support.ts';

const tempDir = useTempDir();
const rowSchema = z.object({ step: z.number(), loss: z.number().nullable() }).strict();
const log = () => new JsonlLog(path.join(tempDir(), 'metrics.jsonl'), rowSchema);

describe('JsonlLog', () => {
  it('reads back what it appended, in order', () => {
    const rows = [
      { step: 1, loss: 0.5 },
      { step: 2, loss: null },
    ];
    for (const row of rows) log().append(row);
    expect(log().read()).toEqual(rows);
    expect(fs.readFileSync(log().file, 'utf8')).toBe('{"step":1,"loss":0.5}\n{"step":2,"loss":null}\n');
  });

  it('refuses a record that would not read back, leaving the log readable', () => {
    log().append({ step: 1, loss: 0.5 });
    expect(() => log().append({ step: Number.NaN, loss: 1 })).toThrow(new RegExp(`record for ${log().file}: unexpected content:[\\s\\S]*at step`));
    expect(log().read()).toEqual([{ step: 1, loss: 0.5 }]);
  });

  it('reads a log that was never written as empty', () => {
    expect(log().read()).toEqual([]);
  });

  it('ignores a torn last line (a writer killed mid-append)', () => {
    fs.writeFileSync(log().file, '{"step":1,"loss":0.5}\n{"step":2,"lo');
    expect(log().read()).toEqual([{ step: 1, loss: 0.5 }]);
  });

  it('ignores an unterminated last line even when it happens to parse', () => {
    fs.writeFileSync(log().file, '{"step":1,"loss":0.5}\n{"step":2,"loss":1}');
    expect(log().read()).toEqual([{ step: 1, loss: 0.5 }]);
  });

  it('cuts a torn last line before its first append, so the log stays readable', () => {
    fs.writeFileSync(log().file, '{"step":1,"loss":0.5}\n{"step":2,"lo');
    const resumed = log();
    resumed.append({ step: 2, loss: 0.25 });
    resumed.append({ step: 3, loss: 0.125 });
    expect(fs.readFileSync(resumed.file, 'utf8')).toBe('{"step":1,"loss":0.5}\n{"step":2,"loss":0.25}\n{"step":3,"loss":0.125}\n');
  });

  it('reports a corrupt line before the last by file and line number', () => {
    fs.writeFileSync(log().file, '{"step":1,"loss":0.5}\n{"step":2,"lo\n{"step":3,"loss":1}\n');
    expect(() => log().read()).toThrow(`${log().file}:2: not valid JSON`);
  });

  it('reports a line that does not fit the schema by file, line and field', () => {
    fs.writeFileSync(log().file, '{"step":1,"loss":0.5}\n{"step":"two","loss":1}\n');
    expect(() => log().read()).toThrow(new RegExp(`${log().file}:2: unexpected content:[\\s\\S]*at step`));
  });
});

describe('JsonlTail', () => {
  it('returns what was appended since the last call, a torn line once whole, and starts over on a cut or rewritten file', () => {
    const file = log().file;
    const tail = new JsonlTail(file, rowSchema);
    expect(tail.next()).toEqual([]); // no file yet
    log().append({ step: 1, loss: 1 });
    fs.appendFileSync(file, '{"step":2,');
    expect(tail.next()).toEqual([{ step: 1, loss: 1 }]);
    expect(tail.next()).toEqual([]);
    fs.appendFileSync(file, '"loss":2}\n');
    expect(tail.next()).toEqual([{ step: 2, loss: 2 }]);
    expect(tail.read()).toEqual([
      { step: 1, loss: 1 },
      { step: 2, loss: 2 },
    ]);
    fs.truncateSync(file, '{"step":1,"loss":1}\n'.length); // cut shorter than was read: read again from the start
    expect(tail.next()).toEqual([{ step: 1, loss: 1 }]);
    log().append({ step: 3, loss: 3 });
    expect(tail.next()).toEqual([{ step: 3, loss: 3 }]);
    // Rewritten (retain writes a new file): read again from the start, even where it is no shorter.
    log().retain((row) => row.step !== 1);
    log().append({ step: 4, loss: 4 });
    expect(tail.next()).toEqual([
      { step: 3, loss: 3 },
      { step: 4, loss: 4 },
    ]);
  });

  it('names the file and line of a record that does not parse', () => {
    const file = log().file;
    fs.writeFileSync(file, '{"step":1,"loss":1}\n');
    const tail = new JsonlTail(file, rowSchema);
    tail.next();
    fs.appendFileSync(file, '{"step":"x","loss":1}\n');
    expect(() => tail.next()).toThrow(`${file}:2: unexpected content`);
  });
});
