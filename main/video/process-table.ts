/**
 * Every process on the machine with its parent and its own CPU time, read from Linux's /proc
 * (null elsewhere): for keeping a recording's browser at the recording's priority, and for the
 * e2e tests' account of who kept the cores busy.
 */
import fs from 'node:fs';

export interface ProcessEntry {
  parent: number;
  /** User + system CPU time of all its threads, in clock ticks (not its reaped children's). */
  ticks: number;
}

export function processTable(): Map<number, ProcessEntry> | null {
  if (!fs.existsSync('/proc/self/stat')) return null;
  const processes = new Map<number, ProcessEntry>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // it exited meanwhile
    }
    // After the command name (which may hold spaces and parentheses): state, ppid, ..., utime, stime.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    processes.set(Number(entry), { parent: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) });
  }
  return processes;
}

/** The processes under `root` in `table` (its children, theirs, ...). */
export function descendants(table: Map<number, ProcessEntry>, root: number): number[] {
  const children = new Map<number, number[]>();
  for (const [pid, { parent }] of table) {
    const siblings = children.get(parent);
    if (siblings) siblings.push(pid);
    else children.set(parent, [pid]);
  }
  const found: number[] = [];
  for (const queue = [...(children.get(root) ?? [])]; queue.length > 0;) {
    const pid = queue.pop()!;
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}
