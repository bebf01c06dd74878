/**
 * One writer per run: whoever trains a run (`gaitlab train`/`resume`, a Lab's trainer process, a
 * sweep worker) holds `<run>/lock`, a small JSON file naming its pid, host and start time. It is
 * created whole and atomically (written beside, then hard-linked into place, which fails if a lock
 * is there), removed on release and at exit, and a lock left by a process that died (its pid is
 * gone on this host) is taken over. A second writer gets a RunLockedError naming the owner.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { TEMP_PREFIX, writeFileDurable } from './atomic-write.ts';
import { describeFsError } from './fs-errors.ts';

const LOCK_FILE = 'lock';

const ownerSchema = z.object({ pid: z.number().int().positive(), host: z.string(), since: z.string() });
export type RunLockOwner = z.infer<typeof ownerSchema>;

export class RunLockedError extends Error {
  constructor(
    readonly runDir: string,
    readonly owner: RunLockOwner,
  ) {
    super(
      `run ${path.basename(runDir)} is being written by pid ${owner.pid} on ${owner.host} since ${owner.since}; ` +
        `stop that one first (if no such process runs, delete ${lockFile(runDir)})`,
    );
  }
}

/** Locks this process holds, by run folder: released at exit, however the process ends its event loop. */
const held = new Map<string, RunLock>();
process.on('exit', () => {
  for (const lock of held.values()) lock.release();
});

export class RunLock {
  private constructor(
    readonly runDir: string,
    private readonly text: string,
  ) {}

  /** Takes the run's lock, recovering a stale one; a live owner (this process included) is a RunLockedError. */
  static acquire(runDir: string): RunLock {
    const mine = held.get(runDir);
    if (mine) throw new RunLockedError(runDir, JSON.parse(mine.text) as RunLockOwner);
    const owner: RunLockOwner = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
    const text = JSON.stringify(owner);
    const temp = path.join(runDir, `${TEMP_PREFIX}lock-${randomBytes(4).toString('hex')}`);
    writeFileDurable(temp, text);
    try {
      // Bounded: each pass either takes the lock, meets a live owner, or clears one stale lock.
      for (let attempt = 0; attempt < 5; attempt++) {
        try {
          fs.linkSync(temp, lockFile(runDir));
          const lock = new RunLock(runDir, text);
          held.set(runDir, lock);
          return lock;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot lock run ${path.basename(runDir)}: ${describeFsError(error)}`);
        }
        const current = readLock(runDir);
        if (current?.owner && isAlive(current.owner)) throw new RunLockedError(runDir, current.owner);
        if (current) clearStale(runDir, current.text);
      }
      throw new Error(`cannot lock run ${path.basename(runDir)}: its lock keeps changing (several processes starting at once?); try again`);
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }

  /** Removes the lock if it is still this one's; safe to call twice. */
  release(): void {
    if (held.get(this.runDir) !== this) return;
    held.delete(this.runDir);
    try {
      if (fs.readFileSync(lockFile(this.runDir), 'utf8') === this.text) fs.rmSync(lockFile(this.runDir));
    } catch {
      // Gone already (the run was deleted): nothing to release.
    }
  }
}

/** The process that holds the run's lock, unless that is this process or is gone (a stale lock). */
export function otherWriter(runDir: string): RunLockOwner | null {
  if (held.has(runDir)) return null;
  const owner = readLock(runDir)?.owner;
  return owner && isAlive(owner) ? owner : null;
}

/** Refuses with a RunLockedError when another live process writes the run. */
export function assertNoOtherWriter(runDir: string): void {
  const owner = otherWriter(runDir);
  if (owner) throw new RunLockedError(runDir, owner);
}

function lockFile(runDir: string): string {
  return path.join(runDir, LOCK_FILE);
}

/** The lock on disk; null when there is none. One that does not parse (locks are written whole) has no owner: stale. */
function readLock(runDir: string): { owner: RunLockOwner | null; text: string } | null {
  let text: string;
  try {
    text = fs.readFileSync(lockFile(runDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // no owner: see below
  }
  const parsed = ownerSchema.safeParse(json);
  return { owner: parsed.success ? parsed.data : null, text };
}

/** Another host's process cannot be checked: it is taken to be alive. This process holds no lock it did not record. */
function isAlive(owner: RunLockOwner): boolean {
  if (owner.host !== os.hostname()) return true;
  if (owner.pid === process.pid) return false; // a stale lock of a previous process with our pid (a restarted container)
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Removes the stale lock whose content is `staleText`. Two processes may find the same stale lock:
 * each moves it aside (atomic, so one wins) and puts back what it moved if that was not the stale
 * lock but a fresh one the other had taken meanwhile.
 */
function clearStale(runDir: string, staleText: string): void {
  const aside = path.join(runDir, `${TEMP_PREFIX}stale-lock-${randomBytes(4).toString('hex')}`);
  try {
    fs.renameSync(lockFile(runDir), aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // someone else cleared it
    throw error;
  }
  try {
    if (fs.readFileSync(aside, 'utf8') !== staleText) {
      try {
        fs.linkSync(aside, lockFile(runDir));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
  } finally {
    fs.rmSync(aside, { force: true });
  }
}
