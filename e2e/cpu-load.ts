/**
 * How busy other processes kept the machine while a test measured something in wall time. A page's
 * long tasks, a frame's time and a trainer's speed all include time spent waiting for a core, so on
 * a machine shared with other work they measure that work too; this says how much there was.
 * Linux only (/proc); elsewhere nothing is known.
 */
import fs from 'node:fs';
import os from 'node:os';

export interface CpuLoad {
  /** Cores' worth of CPU that processes outside the watched tree kept busy, on average. */
  outsideCores: number;
  cores: number;
}

/** CPU time in clock ticks: the machine's, its idle part, and that of the watched process tree. */
interface Sample {
  total: number;
  idle: number;
  tree: number;
}

/** Starts watching the machine and the process tree under `root`; `stop()` reports (null off Linux). */
export function watchCpu(root: number): { stop(): CpuLoad | null } {
  const start = sample(root);
  return {
    stop() {
      const end = sample(root);
      if (!start || !end) return null;
      const cores = os.cpus().length;
      // Every core ticks once per tick of the clock, busy or idle: the elapsed time in ticks.
      const elapsed = (end.total - start.total) / cores;
      const busy = end.total - start.total - (end.idle - start.idle);
      const outside = Math.max(0, busy - (end.tree - start.tree));
      return { outsideCores: elapsed > 0 ? outside / elapsed : 0, cores };
    },
  };
}

function sample(root: number): Sample | null {
  if (!fs.existsSync('/proc/stat')) return null;
  // cpu user nice system idle iowait irq softirq steal (guest time is inside user); steal is other VMs' use.
  const cpu = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const total = cpu.reduce((sum, ticks) => sum + ticks, 0);
  const idle = cpu[3] + cpu[4];

  const processes = new Map<number, { parent: number; ticks: number }>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // it exited meanwhile
    }
    // After the command name (which may hold spaces and parentheses): state, ppid, ..., utime, stime,
    // cutime, cstime. Children's times count once they are reaped, so a process of the tree that
    // ends within the window still counts for it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    processes.set(Number(entry), { parent: Number(fields[1]), ticks: fields.slice(11, 15).map(Number).reduce((a, b) => a + b, 0) });
  }
  const inTree = (pid: number): boolean => {
    for (let at = pid; at > 1; at = processes.get(at)?.parent ?? 0) if (at === root) return true;
    return false;
  };
  let tree = 0;
  for (const [pid, { ticks }] of processes) if (inTree(pid)) tree += ticks;
  return { total, idle, tree };
}
