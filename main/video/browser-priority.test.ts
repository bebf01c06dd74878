import { spawn } from 'node:child_process';
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { descendants, processTable } from './process-table.ts';
import { holdDescendantsPriority, lowerThreads } from './browser-priority.ts';

/** Raising a process's priority takes root (CAP_SYS_NICE), as Chromium's own raise does. */
function mayRaisePriority(): boolean {
  const child = spawn('sleep', ['1']);
  try {
    os.setPriority(child.pid!, os.getPriority() - 1);
    return true;
  } catch {
    return false;
  } finally {
    child.kill();
  }
}

const linux = processTable() !== null;
const children: ReturnType<typeof spawn>[] = [];
afterEach(() => children.splice(0).forEach((child) => child.kill()));

function sleeper(): number {
  const child = spawn('sleep', ['30']);
  children.push(child);
  return child.pid!;
}

describe.skipIf(!linux)('a recording browser kept at the recording priority', () => {
  it('finds children and grandchildren', () => {
    // A shell whose child sleeps: a grandchild of this process.
    const shell = spawn('sh', ['-c', 'sleep 30 & wait']);
    children.push(shell);
    const grandchildren = (): number[] => {
      const table = processTable()!;
      return descendants(table, process.pid).filter((pid) => table.get(pid)?.parent === shell.pid);
    };
    expect(descendants(processTable()!, process.pid)).toContain(shell.pid);
    return expect.poll(() => grandchildren().length).toBe(1);
  });

  it.skipIf(!mayRaisePriority())('lowers threads that run above this process, and never raises one', () => {
    const own = os.getPriority();
    const raised = sleeper();
    const lowered = sleeper();
    os.setPriority(raised, own - 8);
    os.setPriority(lowered, Math.min(19, own + 5));
    lowerThreads([raised, lowered], own);
    expect(os.getPriority(raised)).toBe(own);
    expect(os.getPriority(lowered)).toBe(Math.min(19, own + 5));

    const later = sleeper();
    os.setPriority(later, own - 8);
    const release = holdDescendantsPriority();
    release();
    expect(os.getPriority(later)).toBe(own);
  });
});
