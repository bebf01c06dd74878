import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { writeFileDurable } from './atomic-write.ts';
import { JsonlLog } from './jsonl.ts';

// /dev/full answers every write with ENOSPC: a full disk without filling one.
const FULL = '/dev/full';

describe.skipIf(!fs.existsSync(FULL))('a full disk (ENOSPC, from /dev/full)', () => {
  it('names the file written and how much space is left', () => {
    expect(() => writeFileDurable(FULL, 'data')).toThrow(
      /^cannot write \/dev\/full: ENOSPC \(no space left on the disk: [\d.]+ (bytes|KB|MB|GB|TB) left there\)$/,
    );
  });

  it('names the log appended to, and keeps the OS code', () => {
    const log = new JsonlLog(FULL, z.object({ step: z.number() }));
    let thrown: unknown;
    try {
      log.append({ step: 1 });
    } catch (error) {
      thrown = error;
    }
    expect((thrown as Error).message).toMatch(/^cannot write \/dev\/full: ENOSPC \(no space left on the disk: .* left there\)$/);
    expect((thrown as NodeJS.ErrnoException).code).toBe('ENOSPC');
  });
});
