/**
 * Keeps a recording's browser at the recording's own CPU priority. Chromium raises its browser,
 * GPU and compositor threads to nice -8 where it may (as root, in most containers), and the
 * threads they start inherit it: a headless recording would then outrank the trainer (+5) and the
 * window the user watches. A recording is background work, so every thread of this process's
 * descendants is put back to this process's niceness, again every few seconds for threads started
 * since (SwiftShader's start with the first frame). Linux only (/proc); elsewhere it does nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import { descendants, processTable } from './process-table.ts';

const RECHECK_MS = 2000;

/** Starts holding the descendants of this process at its niceness; the returned function stops. */
export function holdDescendantsPriority(): () => void {
  const hold = (): boolean => {
    const table = processTable();
    if (table) lowerThreads(descendants(table, process.pid), os.getPriority());
    return table !== null;
  };
  if (!hold()) return () => {};
  const timer = setInterval(hold, RECHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** Lowers every thread of `pids` that runs above `niceness` to it (a thread id is a pid to setpriority). */
export function lowerThreads(pids: number[], niceness: number): void {
  for (const pid of pids) {
    let threads: string[];
    try {
      threads = fs.readdirSync(`/proc/${pid}/task`);
    } catch {
      continue; // it exited meanwhile
    }
    for (const tid of threads.map(Number)) {
      try {
        if (os.getPriority(tid) < niceness) os.setPriority(tid, niceness);
      } catch {
        // The thread exited meanwhile.
      }
    }
  }
}
